"""The tutorial works as written: every shell block of it is run, in order, in a temporary folder."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import rules as registry

TUTORIAL = Path(__file__).resolve().parent.parent / "docs" / "tutorial" / "two-sessions.md"
SHELL_BLOCK = re.compile(r"^```(?:sh|bash|shell)\n(.*?)^```$", re.M | re.S)


def shell_blocks(markdown: str) -> list[str]:
    """The tutorial's commands: every fenced block tagged sh, bash or shell, in order."""
    return [m.group(1) for m in SHELL_BLOCK.finditer(markdown)]


def test_the_tutorial_has_the_blocks_this_test_runs() -> None:
    text = TUTORIAL.read_text(encoding="utf-8")
    blocks = shell_blocks(text)
    assert len(blocks) >= 10
    # Every fence in the page is either a command block run here or an output block.
    fences = re.findall(r"^```(\w*)$", text, re.M)
    assert set(fences[::2]) <= {"sh", "text"}, "an untested kind of code block"
    assert any("statusboard build" in b for b in blocks)


@pytest.fixture(scope="module")
def tutorial_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("bash") is None or shutil.which("git") is None:
        pytest.skip("the tutorial needs bash and git")
    work = tmp_path_factory.mktemp("tutorial")
    script = "set -euo pipefail\n" + "\n".join(shell_blocks(TUTORIAL.read_text(encoding="utf-8")))
    env = {
        **os.environ,
        # The statusboard of this interpreter first, and no user or system git configuration.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(work),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "NO_MKDOCS_2_WARNING": "1",
        "LC_ALL": "C.UTF-8",
    }
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(key, None)
    run = subprocess.run(
        ["bash", "-c", script], cwd=work, env=env, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, f"the tutorial failed:\n{run.stdout}\n{run.stderr}"
    assert re.search(
        r"^statusboard: built \S*/statusboard-tutorial/board/ from [0-9a-f]{7}", run.stdout, re.M
    )
    assert run.stdout.rstrip().endswith("no findings"), run.stdout
    # Step 11's lint finds what the page says it finds: the missing heartbeats, and nothing else.
    first_lint = run.stdout.split("statusboard: built")[0]
    found = set(re.findall(r"^\S+:\d+: (?:error|warning|info) ([a-z-]+) ", first_lint, re.M))
    assert found <= {"missing-heartbeat"}, found
    if "missing-heartbeat" in registry.BY_NAME:
        assert first_lint.count(": info missing-heartbeat sA · Sintra:") == 1, first_lint
        assert first_lint.count(": info missing-heartbeat sB · Porto:") == 1, first_lint
    return work / "statusboard-tutorial"


def test_the_tutorial_ends_with_two_live_sessions_on_the_board(tutorial_run: Path) -> None:
    status = json.loads((tutorial_run / "board" / "status.json").read_text(encoding="utf-8"))
    sessions = {s["id"]: s for s in status["sessions"]}
    assert set(sessions) == {"sA", "sB"}
    assert sessions["sA"]["name"] == "Sintra" and sessions["sB"]["name"] == "Porto"
    assert sessions["sA"]["paths"] == ["services/payments/**"]
    assert sessions["sB"]["paths"] == ["web/**"]
    # Built seconds after the claims, so both are live (the threshold is 30 minutes).
    assert {s["liveness"] for s in sessions.values()} == {"live"}
    assert status["findings"]["total"] == 0


def test_the_tutorial_outputs_follow_the_published_schemas(tutorial_run: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="pip install -e '.[test]'")
    schemas = TUTORIAL.parent.parent / "reference" / "schemas"
    for name in ("status", "lint"):
        schema = json.loads((schemas / f"{name}.schema.json").read_text(encoding="utf-8"))
        document = json.loads((tutorial_run / "board" / f"{name}.json").read_text(encoding="utf-8"))
        jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)


def test_the_tutorial_messages_and_their_ack_chains(tutorial_run: Path) -> None:
    status = json.loads((tutorial_run / "board" / "status.json").read_text(encoding="utf-8"))
    by_type = {m["type"]: m for m in status["messages"]}
    assert set(by_type) == {"question", "answer", "handoff"}
    question, answer, handoff = by_type["question"], by_type["answer"], by_type["handoff"]
    assert (question["from"], question["to"], question["status"]) == ("sB", "sA", "answered")
    assert [a["state"] for a in question["acks"]] == ["seen", "answered"]
    # `re:` threads the answer to the question (written to the minute; the output may add seconds).
    assert answer["re"] in (question["at"], question["at"][:16] + "Z")
    assert answer["status"] == "done"
    assert (handoff["ref"], handoff["status"]) == ("#14", "accepted")
    assert handoff["waiting_for"] is not None, "an accepted handoff waits to be done"
    assert status["counts"]["messages"]["waiting"] == 1


def test_the_tutorial_board_pages_show_them(tutorial_run: Path) -> None:
    board = tutorial_run / "board"
    scoreboard = (board / "scoreboard.html").read_text(encoding="utf-8")
    assert "sA · Sintra" in scoreboard and "sB · Porto" in scoreboard
    inbox_a = (board / "inboxes" / "sA.html").read_text(encoding="utf-8")
    assert "Does charge() take cents" in inbox_a
    inbox_b = (board / "inboxes" / "sB.html").read_text(encoding="utf-8")
    assert "Your card was declined" in inbox_b
