"""A shallow clone (actions/checkout's default depth 1): the boundary commit is a starting state.

git shows a boundary commit (its parents were not fetched) as a root commit adding every file.
Read as a change, that invented trespass, mixed-session and non-atomic-claim findings, and the
claims released before it made their sessions "unknown". These tests clone a real repository
with `--depth` and compare with the full clone.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.config import Config
from generator.readers.history import read_history
from tests.conftest import GitRepo

T0 = datetime(2026, 5, 31, 9, 0, tzinfo=UTC)
NOW = "2026-05-31T11:00Z"
BOARD = "docs/ai/sessions/active.md"
HEADER = "| Session | Task | Worktree | Claimed | Presence | Scope |\n|---|---|---|---|---|---|\n"
# The rules that read git history, and unknown-recipient (released sessions come from history).
HISTORY_RULES = {
    "mixed-session-commit",
    "trespass",
    "claim-not-committed-atomically",
    "commit-prefix-missing",
    "ghost-session-commit",
    "unknown-recipient",
    "misfiled-message",
}


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def row(sid: str, name: str, scope: str, presence: int = 0) -> str:
    seen = at(presence).strftime("%Y-%m-%dT%H:%MZ")
    return (
        f"| {sid} · {name} | Riff #1 | `session-{sid}` → PR, `[{sid}]` | 2026-05-31T09:00Z "
        f"| {seen} · | `{scope}` |\n"
    )


def clean_history(repo: GitRepo) -> list[str]:
    """A clean board: claims committed alone, each session in its own paths, sD released after
    sending a message. Returns the shas, oldest first."""
    a, b, d = row("sA", "Sintra", "a/**"), row("sB", "Porto", "b/**"), row("sD", "Braga", "c/**")
    shas = []
    repo.write("README.md", "# demo\n")
    repo.write("a/x.py", "x = 1\n")
    repo.write("b/y.py", "y = 1\n")
    shas.append(repo.commit("chore: start", at=at(0)))
    repo.write(BOARD, HEADER + a)
    shas.append(repo.commit("[sA] docs(ai-sessions): claim", at=at(1)))
    repo.write(BOARD, HEADER + a + b)
    shas.append(repo.commit("[sB] docs(ai-sessions): claim", at=at(2)))
    repo.write(BOARD, HEADER + a + b + d)
    shas.append(repo.commit("[sD] docs(ai-sessions): claim", at=at(3)))
    repo.write(
        "docs/ai/sessions/queue/to-sA.md",
        "## 2026-05-31T09:04Z · from:sD · to:sA · type:info · status:sent\n\nDone with c/.\n",
    )
    shas.append(repo.commit("[sD] docs(ai-sessions): message to sA", at=at(4)))
    repo.write(BOARD, HEADER + a + b)
    shas.append(repo.commit("[sD] docs(ai-sessions): release", at=at(5)))
    repo.write("a/x.py", "x = 2\n")
    shas.append(repo.commit("[sA] feat(a): two", at=at(6)))
    repo.write("b/y.py", "y = 2\n")
    shas.append(repo.commit("[sB] feat(b): two", at=at(7)))
    repo.write(BOARD, HEADER + row("sA", "Sintra", "a/**", 8) + b)
    shas.append(repo.commit("[sA] chore(ai-sessions): heartbeat", at=at(8)))
    return shas


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    ).stdout


def clone(origin: Path, dest: Path, depth: int | None = None) -> Path:
    extra = ["--depth", str(depth)] if depth is not None else []
    git(origin.parent, "clone", "-q", *extra, origin.resolve().as_uri(), str(dest))
    return dest


def lint(repo: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> list[dict[str, Any]]:
    capsys.readouterr()
    main(["lint", str(repo), "--now", NOW, "--format", "json", "--fail-on", "never", *extra])
    findings: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    return findings


def history_findings(findings: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(f["rule"], f["message"]) for f in findings if f["rule"] in HISTORY_RULES]


@pytest.fixture
def origin(git_repo: GitRepo) -> tuple[GitRepo, list[str]]:
    return git_repo, clean_history(git_repo)


@pytest.mark.parametrize("depth", [1, 3, 5])
def test_a_shallow_clone_of_a_clean_board_stays_clean(
    origin: tuple[GitRepo, list[str]],
    tmp_path: Path,
    depth: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    repo, shas = origin
    full = lint(clone(repo.root, tmp_path / "full"), capsys, "--no-cache")
    assert history_findings(full) == []  # the board is clean with its whole history
    shallow_repo = clone(repo.root, tmp_path / "shallow", depth)
    assert history_findings(lint(shallow_repo, capsys, "--no-cache")) == []
    assert history_findings(lint(shallow_repo, capsys)) == []  # through the history cache too

    history = read_history(shallow_repo, Config(), cache=False)
    boundary = shas[-depth]
    assert history.shallow and history.boundary == (boundary,)
    assert [c.sha for c in history.commits] == shas[::-1][:depth]
    (cut,) = [c for c in history.commits if c.sha == boundary]
    assert cut.paths == ()  # not "every file added"
    # The boundary's tree is the starting state: the claims it holds are known.
    assert {s.session for s in history.claims if s.removed is None} == {"sA", "sB"}


def test_a_complete_history_keeps_its_root_commit_a_change(
    origin: tuple[GitRepo, list[str]],
) -> None:
    repo, shas = origin
    history = read_history(repo.root, Config(), cache=False)
    assert not history.shallow and history.boundary == ()
    assert history.commits[-1].sha == shas[0]
    assert set(history.commits[-1].paths) == {"README.md", "a/x.py", "b/y.py"}


def test_the_boundary_is_never_judged_but_later_commits_are(
    origin: tuple[GitRepo, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _shas = origin
    repo.write("b/y.py", "y = 3\n")
    repo.commit("[sA] fix: touch b", at=at(9))  # a real trespass after the boundary
    shallow_repo = clone(repo.root, tmp_path / "shallow", 2)
    found = history_findings(lint(shallow_repo, capsys, "--no-cache"))
    assert [rule for rule, _ in found] == ["trespass"]
    assert "[sA] fix: touch b" in found[0][1]


def test_unknown_recipient_is_kept_where_history_cannot_help(
    origin: tuple[GitRepo, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _shas = origin
    repo.append(
        "docs/ai/sessions/queue/to-sA.md",
        "\n## 2026-05-31T09:10Z · from:agent:nobody · to:sA · type:info · status:sent\n\nHi.\n",
    )
    repo.commit("[sA] docs(ai-sessions): relay", at=at(10))
    shallow_repo = clone(repo.root, tmp_path / "shallow", 1)
    found = history_findings(lint(shallow_repo, capsys, "--no-cache"))
    assert [(rule, "agent:nobody" in msg) for rule, msg in found] == [("unknown-recipient", True)]


def test_shallow_is_said_on_the_terminal_the_site_and_status_json(
    origin: tuple[GitRepo, list[str]],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    repo, shas = origin
    shallow_repo = clone(repo.root, tmp_path / "shallow", 2)
    site = tmp_path / "site"
    with caplog.at_level(logging.WARNING):
        main(["build", str(shallow_repo), "-o", str(site), "--now", NOW, "--no-cache"])
    said = [r.getMessage() for r in caplog.records if "shallow clone" in r.getMessage()]
    assert len(said) == 1 and shas[-2][:7] in said[0] and "fetch-depth: 0" in said[0]
    source = json.loads((site / "status.json").read_text(encoding="utf-8"))["source"]
    assert source["shallow"] is True and source["boundary"] == [shas[-2]]
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Shallow clone" in index and shas[-2][:7] in index

    caplog.clear()
    full_site = tmp_path / "full-site"
    with caplog.at_level(logging.WARNING):
        main(["build", str(repo.root), "-o", str(full_site), "--now", NOW, "--no-cache"])
    assert not [r for r in caplog.records if "shallow clone" in r.getMessage()]
    source = json.loads((full_site / "status.json").read_text(encoding="utf-8"))["source"]
    assert source["shallow"] is False and source["boundary"] == []
    assert "Shallow clone" not in (full_site / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("fetch", [["--unshallow"], ["--deepen=3"]])
def test_an_unshallow_or_a_deepen_rebuilds_the_history_cache(
    origin: tuple[GitRepo, list[str]], tmp_path: Path, fetch: list[str]
) -> None:
    repo, _shas = origin
    shallow_repo = clone(repo.root, tmp_path / "shallow", 1)
    cut = read_history(shallow_repo, Config())  # writes the cache
    assert cut.shallow and len(cut.commits) == 1
    assert list((shallow_repo / ".statusboard-cache").glob("history-*.json"))

    git(shallow_repo, "fetch", "-q", *fetch, "origin")
    warm = read_history(shallow_repo, Config())
    cold = read_history(shallow_repo, Config(), cache=False)
    assert warm == cold
    assert len(warm.commits) > 1 and warm.boundary != cut.boundary


def test_a_heartbeat_before_the_boundary_is_not_forgotten(
    origin: tuple[GitRepo, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _shas = origin
    repo.write("a/x.py", "x = 3\n")
    repo.commit("[sA] feat(a): three", at=at(9))  # after sA's heartbeat, the boundary at depth 2

    def beats(found: list[dict[str, Any]]) -> list[str]:
        return [f["message"].split(":")[0] for f in found if f["rule"] == "missing-heartbeat"]

    # sB committed and never beat. sA's Presence moved before the cut: the row shows it, and
    # the commit after the cut is no reason to say "Presence has never changed".
    assert beats(lint(repo.root, capsys, "--no-cache")) == ["sB · Porto"]
    assert beats(lint(clone(repo.root, tmp_path / "shallow", 2), capsys, "--no-cache")) == []


def test_messages_and_claims_at_the_boundary_are_a_starting_state(
    origin: tuple[GitRepo, list[str]], tmp_path: Path
) -> None:
    """Who added a block or a row, and who acked it, is in the history that was not fetched:
    nothing of it is given to the boundary commit (here a commit touching no board file)."""
    repo, shas = origin
    queue = "docs/ai/sessions/queue/to-sA.md"
    repo.append(queue, "\n- ack · 2026-05-31T09:09Z · sA · seen\n")
    ack = repo.commit("[sA] docs(ai-sessions): seen", at=at(9))
    repo.write("b/y.py", "y = 3\n")
    web = repo.commit("[sB] feat(b): three", at=at(10))

    def build(source: Path, name: str) -> tuple[dict[str, Any], str]:
        site = tmp_path / f"{name}-site"
        main(["build", str(source), "-o", str(site), "--now", NOW, "--no-cache"])
        status = json.loads((site / "status.json").read_text(encoding="utf-8"))
        return status, (site / "inboxes" / "sA.html").read_text(encoding="utf-8")

    def trail(status: dict[str, Any]) -> list[tuple[str, str, str | None]]:
        (message,) = status["messages"]
        return [(e["event"], e["commit"], e["session"]) for e in message["history"]]

    full, full_card = build(repo.root, "full")
    assert trail(full) == [("added", shas[4], "sD"), ("ack", ack, "sA")]
    assert all(c["added"] is not None for c in full["claims"])
    assert f'by sD">{shas[4][:7]}' in full_card and f'by sA">{ack[:7]}' in full_card

    cut, cut_card = build(clone(repo.root, tmp_path / "depth1", 1), "depth1")
    assert cut["source"]["boundary"] == [web]
    assert trail(cut) == []  # neither `added` nor the ack is the boundary's
    assert [c["added"] for c in cut["claims"]] == [None, None]
    jsonschema = pytest.importorskip("jsonschema")
    schema = Path(__file__).parents[1] / "docs" / "reference" / "schemas" / "status.schema.json"
    validator = jsonschema.Draft202012Validator(json.loads(schema.read_text(encoding="utf-8")))
    assert [e.message for e in validator.iter_errors(cut)] == []
    assert web[:7] not in cut_card and shas[4][:7] not in cut_card

    later, later_card = build(clone(repo.root, tmp_path / "depth2", 2), "depth2")
    assert later["source"]["boundary"] == [ack]
    assert trail(later) == []
    assert ack[:7] not in later_card

    after, after_card = build(clone(repo.root, tmp_path / "depth3", 3), "depth3")
    assert after["source"]["boundary"] == [shas[-1]]  # the heartbeat; the ack comes after it
    assert trail(after) == [("ack", ack, "sA")]
    assert f'by sA">{ack[:7]}' in after_card and shas[-1][:7] not in after_card


def test_a_queue_file_of_a_session_released_before_the_boundary_is_not_misfiled(
    origin: tuple[GitRepo, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """sD (Braga) was released before the boundary: a message to Braga in to-sD.md is filed right,
    which only the lost history can tell; the shallow clone says nothing rather than guess."""
    repo, _shas = origin
    repo.write("statusboard.toml", 'names = ["Sintra", "Porto", "Braga"]\n')
    repo.write(
        "docs/ai/sessions/queue/to-sD.md",
        "## 2026-05-31T09:10Z · from:sA · to:Braga · type:info · status:sent\n\nThanks.\n",
    )
    repo.commit("[sA] docs(ai-sessions): thanks to Braga", at=at(10))
    assert history_findings(lint(clone(repo.root, tmp_path / "full"), capsys, "--no-cache")) == []
    shallow_repo = clone(repo.root, tmp_path / "shallow", 1)
    assert history_findings(lint(shallow_repo, capsys, "--no-cache")) == []
    # A file named after nobody, in the shallow clone too: reported (no history could name it).
    repo.write(
        "docs/ai/sessions/queue/to-nobody-here.md",
        "## 2026-05-31T09:11Z · from:sA · to:sB · type:info · status:sent\n\nOops.\n",
    )
    repo.commit("[sA] docs(ai-sessions): misfiled", at=at(11))
    found = history_findings(lint(clone(repo.root, tmp_path / "shallow2", 1), capsys, "--no-cache"))
    assert [rule for rule, _ in found] == ["misfiled-message"]
