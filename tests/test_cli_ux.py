"""How the command feels: help with defaults, the subcommand's usage on errors, near-miss
suggestions, progress on a terminal only, mkdocs' log once with -v, and hints to run next."""

from __future__ import annotations

import os
import pty
import shlex
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import GitRepo
from tests.test_cli import NOW, QUEUE, SCOREBOARD

STAGES = ("history", "read", "analyse", "pages", "mkdocs", "outputs")
COMMANDS = ("build", "lint", "serve", "demo", "rules")


@pytest.fixture
def clean_board(git_repo: GitRepo) -> Path:
    git_repo.write("docs/ai/sessions/active.md", SCOREBOARD)
    git_repo.write("docs/ai/sessions/queue/to-sA.md", QUEUE)
    git_repo.commit("[sA] docs(ai-sessions): claim sA", at=datetime(2026, 5, 31, 15, 0, tzinfo=UTC))
    return git_repo.root


def _entry(capsys: pytest.CaptureFixture[str], command: str, option: str) -> str:
    """The help of one option, its wrapped lines joined."""
    assert main([command, "--help"]) == 0
    lines = capsys.readouterr().out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(option))
    entry = [lines[start].strip()[len(option) :]]
    for line in lines[start + 1 :]:
        if not line.startswith(" " * 4) or not line.strip():
            break  # the next option (indented by two) or the end of the section
        entry.append(line.strip())
    return " ".join(" ".join(entry).split())


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main([*argv, "--help"]) == 0
    return " ".join(capsys.readouterr().out.split())  # argparse wraps lines: compare words


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_a_description(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = _help(capsys, command)
    usage, _, rest = text.partition(" positional arguments:")
    if not rest:
        usage, _, rest = text.partition(" options:")
    description = usage.split("]")[-1].replace("REPO", "").replace("NAME", "").strip()
    assert len(description.split()) >= 8, f"{command}: no description in {text[:300]!r}"


@pytest.mark.parametrize(
    ("command", "option", "default"),
    [
        ("build", "-o SITE, --output SITE", "(default: site/)"),
        ("serve", "-o SITE, --output SITE", "(default: site/)"),
        ("serve", "--port PORT", "(default: 8000)"),
        ("demo", "--port PORT", "(default: 8000)"),
        ("demo", "-o SITE, --output SITE", "(default: site/)"),
        ("lint", "--format {text,json,sarif,junit,github}", "(default: text)"),
        ("lint", "--fail-on {error,warning,info,never}", "(default: error)"),
        ("lint", "--select RULES", "(default: every rule)"),
        ("build", "--now TS", "(default: the current time)"),
        ("rules", "NAME", "(default: list every rule)"),
    ],
)
def test_options_say_their_default(
    command: str, option: str, default: str, capsys: pytest.CaptureFixture[str]
) -> None:
    entry = _entry(capsys, command, option)
    assert default in entry, f"{command} {option}: {entry!r}"


def test_a_usage_error_shows_the_subcommands_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--bogus"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: statusboard lint ")
    errors = [line for line in err.splitlines() if "error:" in line]
    assert errors == ["statusboard lint: error: unrecognized arguments: --bogus"]
    assert main(["serve", ".", "extra"]) == 2
    assert capsys.readouterr().err.startswith("usage: statusboard serve ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["rules", "stale"], "unknown rule 'stale'; did you mean: stale-claim, stale-in-progress?"),
        (["rules", "trespas"], "unknown rule 'trespas'; did you mean: trespass?"),
        (
            ["lint", "--select", "stale-claim,stale"],
            "did you mean: stale-claim, stale-in-progress?",
        ),
        (["biuld"], "unknown command 'biuld'; did you mean build?"),
        (["sevre"], "unknown command 'sevre'; did you mean serve?"),
        (["rules", "zzzz"], "unknown rule 'zzzz'; `statusboard rules` lists them"),
    ],
)
def test_near_misses_are_suggested(
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    clean_board: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(clean_board)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_serve_with_a_bad_now_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", ".", "--now", "garbage"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "statusboard: error: --now 'garbage' is not a timestamp (expected YYYY-MM-DDTHH:MMZ)"
    ]


def test_the_hint_serves_what_was_built(
    clean_board: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "my site"
    assert main(["build", str(clean_board), "-o", str(out), "--now", NOW]) == 0
    hint = capsys.readouterr().out.splitlines()[-1]
    expected = [str(clean_board), "-o", str(out), "--now", NOW]
    command = hint.split("or serve it: ")[1]
    assert command == "statusboard serve " + " ".join(shlex.quote(w) for w in expected)
    assert shlex.split(command)[2:] == expected  # pasted into a shell, it is the same build
    assert main(["build", str(clean_board), "--allow-no-git", "-o", str(out)]) == 0
    hint = capsys.readouterr().out.splitlines()[-1]
    command = hint.split("or serve it: ")[1]
    assert shlex.split(command)[2:] == [str(clean_board), "-o", str(out), "--allow-no-git"]


def _build(repo: Path, out: Path, *flags: str, env: dict[str, str], tty: bool = False) -> str:
    """Run `statusboard build` in a child process; returns its stderr (a terminal's when `tty`)."""
    argv = [sys.executable, "-m", "generator", "build", str(repo), "-o", str(out), "--now", NOW]
    if not tty:
        done = subprocess.run([*argv, *flags], capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stderr
    parent, child = pty.openpty()
    try:
        ran = subprocess.run(
            [*argv, *flags], stdout=subprocess.PIPE, stderr=child, env=env, timeout=120
        )
        os.close(child)
        chunks = []
        while True:
            try:
                chunk = os.read(parent, 65536)
            except OSError:  # the terminal closed: everything was read
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(parent)
    assert ran.returncode == 0
    return b"".join(chunks).decode("utf-8", "replace")


def _env(**changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def test_verbose_shows_every_stage_and_mkdocs_log_once(clean_board: Path, tmp_path: Path) -> None:
    err = _build(clean_board, tmp_path / "site", "-v", env=_env(CI="true"))
    for stage in STAGES:
        done = [line for line in err.splitlines() if line.startswith(f"statusboard: {stage}: ")]
        assert len(done) == 1, (stage, err)
    assert "statusboard: history: 1 commit, " in err
    mkdocs = [line for line in err.splitlines() if "Documentation built" in line]
    assert len(mkdocs) == 1, err
    repeated = [line for line, n in Counter(err.splitlines()).items() if n > 1 and "mkdocs" in line]
    assert not repeated, repeated


def test_progress_on_a_terminal_and_never_in_ci(clean_board: Path, tmp_path: Path) -> None:
    on_terminal = _build(clean_board, tmp_path / "a", env=_env(CI=None), tty=True)
    for stage in STAGES:
        assert f"statusboard: {stage}: " in on_terminal, (stage, on_terminal)
    assert "Documentation built" not in on_terminal  # mkdocs' log is for -v
    in_ci = _build(clean_board, tmp_path / "b", env=_env(CI="true"), tty=True)
    assert not [s for s in STAGES if f"statusboard: {s}" in in_ci], in_ci
    piped = _build(clean_board, tmp_path / "c", env=_env(CI=None))
    assert not [s for s in STAGES if f"statusboard: {s}" in piped], piped
