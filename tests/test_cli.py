"""The command: exit codes, formats, errors as one line, `rules`, and build writing a site."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator import rules as registry
from generator.cli import main
from tests.conftest import GitRepo

NOW = "2026-05-31T16:00Z"
SCOREBOARD = """# Active sessions

| Session | Task | Worktree | Claimed | Presence | Scope |
|---|---|---|---|---|---|
| sA · Sintra | Riff #412 | worktree `session-sA` → direct-to-main, `[sA]` | 2026-05-31T11:40Z | 2026-05-31T15:50Z · abc1234 | payments: `services/payments/**` |
| sB · Porto | Riff #415 | worktree `session-sB` → PR, `[sB]` | 2026-05-31T09:00Z | 2026-05-31T14:00Z · | web: `web/**` |
"""
QUEUE = """## 2026-05-31T12:00Z · from:sB · to:sA · type:question · ref:Riff#412 · status:answered

Which retry policy do we keep?

- ack · 2026-05-31T12:10Z · sA · seen
- ack · 2026-05-31T12:30Z · sA · answered
"""


@pytest.fixture
def clean_board(git_repo: GitRepo) -> Path:
    git_repo.write("docs/ai/sessions/active.md", SCOREBOARD)
    git_repo.write("docs/ai/sessions/queue/to-sA.md", QUEUE)
    git_repo.commit("[sA] docs(ai-sessions): claim sA", at=datetime(2026, 5, 31, 15, 0, tzinfo=UTC))
    return git_repo.root


@pytest.fixture
def broken_board(clean_board: Path) -> Path:
    queue = clean_board / "docs/ai/sessions/queue/to-sA.md"
    queue.write_text(QUEUE + "\n## no fields in this heading\n\nbody\n", encoding="utf-8")
    return clean_board


def test_lint_clean_board_exits_0(clean_board: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(clean_board), "--now", NOW, "--fail-on", "warning"]) == 0
    assert capsys.readouterr().out.strip().endswith("no findings")


def test_lint_findings_exit_1_with_path_line(
    broken_board: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint", str(broken_board), "--now", NOW]) == 1
    out = capsys.readouterr().out
    assert "docs/ai/sessions/queue/to-sA.md:8: error message-parse " in out


def test_fail_on_never_and_info(broken_board: Path) -> None:
    assert main(["lint", str(broken_board), "--now", NOW, "--fail-on", "never"]) == 0


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "github"])
def test_lint_formats(broken_board: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    assert main(["lint", str(broken_board), "--now", NOW, "--format", fmt]) == 1
    out = capsys.readouterr().out
    if fmt == "json":
        assert any(f["rule"] == "message-parse" and f["line"] == 8 for f in json.loads(out))
    elif fmt == "sarif":
        results = json.loads(out)["runs"][0]["results"]
        assert any(r["ruleId"] == "message-parse" for r in results)
    elif fmt == "junit":
        root = ET.fromstring(out.split("\n", 1)[1])
        assert len(root.findall(".//testcase")) == len(registry.RULES)
    else:
        assert "::error file=docs/ai/sessions/queue/to-sA.md,line=8,title=message-parse::" in out


def test_github_step_summary(
    broken_board: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    main(["lint", str(broken_board), "--now", NOW, "--format", "github"])
    assert "| error | `message-parse` |" in summary.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["lint", "/no/such/folder"], "no such folder"),
        (["lint", ".", "--now", "tomorrow"], "not a timestamp"),
        (["lint", ".", "--select", "no-such-rule"], "unknown rule 'no-such-rule'"),
        (["rules", "no-such-rule"], "unknown rule"),
        (["lint", ".", "--config", "/no/such.toml"], "no such configuration file"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_bad_option_exits_2() -> None:
    assert main(["lint", "--format", "xml"]) == 2
    assert main([]) == 2


def test_rules_list_and_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    listing = capsys.readouterr().out
    for rule in registry.RULES:
        assert rule.name in listing
    assert main(["rules", "stale-claim"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("stale-claim (")
    for section in ("## What it finds", "## Why it matters", "## Example", "## Fix"):
        assert section in page


def test_build_writes_site_and_outputs(
    broken_board: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    code = main(["build", str(broken_board), "-o", str(out), "--now", NOW])
    assert code == 1  # a message-parse error, and still a complete site
    for name in ("index.html", "status.json", "lint.json", "lint.sarif", "lint.junit.xml"):
        assert (out / name).is_file(), name
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))
    assert status["generated_at"] == "2026-05-31T16:00:00Z"
    assert [s["id"] for s in status["sessions"]] == ["sA", "sB"]
    assert "built" in capsys.readouterr().out


def test_a_folder_in_no_repository_is_an_error_unless_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    board = tmp_path / "plain"
    (board / "docs/ai/sessions").mkdir(parents=True)
    (board / "docs/ai/sessions/active.md").write_text(SCOREBOARD, encoding="utf-8")
    for command in ("lint", "build"):
        assert (
            main(
                [
                    command,
                    str(board),
                    "--now",
                    NOW,
                    "-o" if command == "build" else "--format",
                    str(tmp_path / "site") if command == "build" else "text",
                ]
            )
            == 2
        )
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0, err
        assert "is not inside a git repository" in err and "--allow-no-git" in err
    assert not (tmp_path / "site").exists()
    # Allowed: the files are read, without history, and the terminal says so.
    args = [str(board), "--now", NOW, "--format", "json", "--allow-no-git"]
    assert main(["lint", *args, "--fail-on", "never"]) == 0
    captured = capsys.readouterr()
    assert "not a git repository; reading its files without history" in captured.err
    assert json.loads(captured.out) == []  # sA and sB both live, nothing to report


def test_a_subfolder_reads_the_whole_repository(
    broken_board: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint", str(broken_board), "--now", NOW, "--format", "json"]) == 1
    from_root = capsys.readouterr()
    assert "reading the repository at" not in from_root.err
    sub = broken_board / "docs/ai/sessions/queue"
    assert main(["lint", str(sub), "--now", NOW, "--format", "json"]) == 1
    from_sub = capsys.readouterr()
    assert from_sub.out == from_root.out and json.loads(from_sub.out)
    assert f"statusboard: reading the repository at {broken_board.resolve()}" in from_sub.err


def test_a_worktree_is_a_repository(
    git_repo: GitRepo, clean_board: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = tmp_path / "worktree"
    git_repo._git("worktree", "add", "-q", str(tree))
    assert (tree / ".git").is_file()  # a worktree's .git is a file naming the main repository
    assert main(["lint", str(tree / "docs"), "--now", NOW, "--fail-on", "warning"]) == 0
    assert f"reading the repository at {tree.resolve()}" in capsys.readouterr().err


def test_a_bare_repository_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bare = tmp_path / "shop.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    assert main(["lint", str(bare), "--now", NOW]) == 2
    err = capsys.readouterr().err.strip()
    assert "bare repository" in err and "\n" not in err


def test_a_repository_without_board_sources_says_so(
    git_repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git_repo.write("README.md", "# A project without a blackboard\n")
    git_repo.commit("initial", at=datetime(2026, 5, 31, 9, 0, tzinfo=UTC))
    assert main(["lint", str(git_repo.root), "--now", NOW]) == 0
    assert "no board sources found under" in capsys.readouterr().err
    out = tmp_path / "site"
    assert main(["build", str(git_repo.root), "-o", str(out), "--now", NOW, "-q"]) == 0
    assert "docs/how-to/onboard.md" in capsys.readouterr().err
    overview = (out / "index.html").read_text(encoding="utf-8")
    assert "No board sources found" in overview
    assert 'href="docs/how-to/onboard' in overview


def test_a_board_does_not_say_it_has_no_sources(
    clean_board: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    assert main(["build", str(clean_board), "-o", str(out), "--now", NOW, "-q"]) == 0
    assert "no board sources" not in capsys.readouterr().err
    assert "No board sources found" not in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ('[paths]\nqueue_dir = "../elsewhere"\n', "[paths].queue_dir"),
        ('[rules]\nstale-claimm = "off"\n', "stale-claimm"),
        ("[thresholds]\nstale_hours = 0\n", "[thresholds].stale_hours"),
    ],
)
def test_a_bad_configuration_is_one_line_and_exit_2(
    clean_board: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], toml: str, key: str
) -> None:
    config = tmp_path / "board.toml"
    config.write_text(toml, encoding="utf-8")
    for argv in (["--config", str(config)], []):
        if not argv:
            (clean_board / "statusboard.toml").write_text(toml, encoding="utf-8")
        assert main(["lint", str(clean_board / "docs"), "--now", NOW, *argv]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 2 and err[0].startswith("statusboard: reading the repository"), err
        assert err[1].startswith("statusboard: error: ") and key in err[1], err


def test_the_command_ends_with_main_s_status_and_all_its_output(
    clean_board: Path, broken_board: Path
) -> None:
    """`statusboard` (here `python -m generator`) ends without freeing every object: the exit
    status is still main's, and everything printed is there, to a file or a pipe that closes."""
    import sys

    def command(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "generator", *args], capture_output=True, text=True
        )

    findings = command("lint", str(broken_board), "--now", NOW, "--format", "json")
    assert findings.returncode == 1
    assert json.loads(findings.stdout)  # the whole document, flushed
    assert command("lint", "/nonexistent/board").returncode == 2
    # A reader that leaves after the first line: no traceback, the status of the findings.
    head = subprocess.run(
        f"{sys.executable} -m generator lint {broken_board} --now {NOW} | head -c 1",
        shell=True,
        capture_output=True,
        text=True,
        executable="/bin/bash",
    )
    assert "Traceback" not in head.stderr
