"""Credentials that only the blackboard's history holds: found once per value, never cached raw."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from generator.cli import main
from generator.config import Config
from generator.readers import history as history_reader
from generator.readers.history import read_history
from tests.conftest import GitRepo

T0 = datetime(2026, 5, 31, 9, 0, tzinfo=UTC)
QUEUE = "docs/ai/sessions/queue/to-sA.md"
OTHER = "docs/ai/sessions/queue/to-sB.md"
GITHUB = "ghp_jENUhJduRHHJEYXg4JdpmrcXgGCJbW56eCuN"
NPM = "npm_BenQtYh5Xj8TPQxjq4i9DoV8gz4FkQ1okTBG"
HEADING = "## 2026-05-31T09:00Z · from:sB · to:sA · type:info · status:sent\n\n"


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def cache_bytes(repo: GitRepo) -> bytes:
    (path,) = (repo.root / ".statusboard-cache").glob("history-*.json")
    return path.read_bytes()


def leak_and_scrub(repo: GitRepo, token: str, minute: int, path: str = QUEUE) -> str:
    """Commit `token` in a message body, then a commit without it; the sha that added it."""
    repo.write(path, HEADING + f"Use {token} for the mirror.\n")
    added = repo.commit("[sB] docs(ai-sessions): mirror", at=at(minute))
    repo.write(path, HEADING + "Use the vault.\n")
    repo.commit("[sB] docs(ai-sessions): scrub", at=at(minute + 1))
    return added


def test_a_removed_credential_is_found_once_and_the_cache_holds_no_value(
    git_repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history_reader, "REWRITE_AFTER", 1)  # save after every resume too
    added = leak_and_scrub(git_repo, GITHUB, 0)
    leak_and_scrub(git_repo, GITHUB, 10)  # the same value again: still one finding
    history = read_history(git_repo.root, Config())
    assert [(s.path, s.line, s.kind, s.shown, s.commit.sha) for s in history.secrets] == [
        (QUEUE, 3, "GitHub token", "ghp_…", added)
    ]
    raw = cache_bytes(git_repo)
    assert GITHUB.encode() not in raw and GITHUB[4:20].encode() not in raw
    assert b"ghp_\xe2\x80\xa6" in raw  # the masked prefix is what the cache keeps

    # Resumed from the cache: the known value is not found again, a new one is.
    leak_and_scrub(git_repo, GITHUB, 20)
    npm = leak_and_scrub(git_repo, NPM, 30, OTHER)
    resumed = read_history(git_repo.root, Config())
    assert [(s.path, s.kind, s.commit.sha) for s in resumed.secrets] == [
        (QUEUE, "GitHub token", added),
        (OTHER, "npm token", npm),
    ]
    raw = cache_bytes(git_repo)
    assert GITHUB.encode() not in raw and NPM.encode() not in raw
    assert resumed.secrets == read_history(git_repo.root, Config(), cache=False).secrets


def test_a_credential_still_at_head_is_left_to_the_reader(git_repo: GitRepo) -> None:
    git_repo.write(QUEUE, HEADING + f"Use {GITHUB}.\n")
    git_repo.commit("[sB] docs(ai-sessions): mirror", at=at(0))
    git_repo.write(OTHER, HEADING + "Moved here.\n")
    git_repo.write(QUEUE, HEADING + "Gone.\n")
    git_repo.commit("[sB] docs(ai-sessions): scrub", at=at(1))
    git_repo.write(OTHER, HEADING + f"Moved here: {GITHUB}.\n")
    git_repo.commit("[sB] docs(ai-sessions): moved", at=at(2))
    assert read_history(git_repo.root, Config()).secrets == ()


def test_a_cache_keyed_by_another_user_is_not_resumed(
    git_repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    added = leak_and_scrub(git_repo, GITHUB, 0)
    first = read_history(git_repo.root, Config())
    # Another user's key (another XDG cache folder) cannot match the cached fingerprints.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-user"))
    walked: list[str] = []
    real = history_reader._walk
    monkeypatch.setattr(
        history_reader, "_walk", lambda h, w, p, revs: (walked.append(revs), real(h, w, p, revs))
    )
    again = read_history(git_repo.root, Config())
    assert walked and ".." not in walked[0]  # read from scratch, not resumed
    assert [s.commit.sha for s in again.secrets] == [s.commit.sha for s in first.secrets]
    assert [s.commit.sha for s in again.secrets] == [added]
    assert os.listdir(tmp_path / "other-user" / "statusboard") == ["signing-key"]


def test_a_credential_at_a_shallow_boundary_is_not_said_to_be_added_there(
    git_repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    leak_and_scrub(git_repo, GITHUB, 0)  # before the cut: the clone never sees it
    git_repo.write(QUEUE, HEADING + f"Use {NPM}.\n")
    boundary = git_repo.commit("[sB] docs(ai-sessions): npm", at=at(5))
    git_repo.write(QUEUE, HEADING + "Use the vault.\n")
    git_repo.commit("[sB] docs(ai-sessions): scrub npm", at=at(6))
    shallow = tmp_path / "shallow"
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(
        ["git", "clone", "-q", "--depth", "2", git_repo.root.as_uri(), str(shallow)],
        check=True,
        env=env,
    )
    history = read_history(shallow, Config(), cache=False)
    assert history.boundary == (boundary,)
    assert [(s.kind, s.commit.sha) for s in history.secrets] == [("npm token", boundary)]

    def lint(repo: Path) -> list[str]:
        capsys.readouterr()
        now = "2026-05-31T10:00Z"
        main(["lint", str(repo), "--now", now, "--format", "json", "--fail-on", "never"])
        found = json.loads(capsys.readouterr().out)
        assert all(f["line"] is None for f in found if f["rule"] == "secret-in-board")
        return sorted(f["message"] for f in found if f["rule"] == "secret-in-board")

    cut = lint(shallow)
    assert len(cut) == 1 and "npm token `npm_…`" in cut[0]
    assert f"already there at the shallow clone's boundary {boundary[:7]}" in cut[0]
    full = lint(git_repo.root)
    assert [m.split(" in the history")[0] for m in full] == [
        "GitHub token `ghp_…`",
        "npm token `npm_…`",
    ]
    assert f"added in {boundary[:7]}" in full[1]
