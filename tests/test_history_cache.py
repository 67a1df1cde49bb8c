"""The history cache: a rebuild reads only new commits; a corrupt or stale cache is not trusted."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from generator.cache import HistoryCache
from generator.cli import main
from generator.config import Config, parse_config
from generator.model import History
from generator.readers import history as history_reader
from generator.readers.history import read_history
from tests.conftest import GitRepo

T0 = datetime(2026, 5, 31, 9, 0, tzinfo=UTC)
QUEUE = "docs/ai/sessions/queue/to-sA.md"
BOARD = "docs/ai/sessions/active.md"


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def send(repo: GitRepo, minute: int, status: str = "sent") -> str:
    stamp = at(minute).strftime("%Y-%m-%dT%H:%MZ")
    repo.append(QUEUE, f"## {stamp} · from:sB · to:sA · type:info · status:{status}\n\nHi.\n\n")
    return repo.commit(f"[sB] docs(ai-sessions): message at {stamp}", at=at(minute))


def board(repo: GitRepo) -> None:
    repo.write(
        BOARD,
        "| Session | Task | Worktree | Claimed | Presence | Scope |\n|---|---|---|---|---|---|\n"
        "| sA · Sintra | Riff #1 | `session-sA` → PR, `[sA]` | 2026-05-31T09:00Z "
        "| 2026-05-31T09:00Z · | `a/**` |\n",
    )
    repo.commit("[sA] claim", at=at(0))


@pytest.fixture
def walks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The revision ranges the blackboard walk was asked for, in order."""
    seen: list[str] = []
    real = history_reader._walk

    def spy(handle: Any, walk: Any, paths: Any, revs: str) -> None:
        seen.append(revs)
        real(handle, walk, paths, revs)

    monkeypatch.setattr(history_reader, "_walk", spy)
    return seen


def cache_file(repo: GitRepo) -> Path:
    (path,) = (repo.root / ".statusboard-cache").glob("history-*.json")
    return path


def test_a_rebuild_reads_only_the_new_commits(git_repo: GitRepo, walks: list[str]) -> None:
    board(git_repo)
    first = send(git_repo, 5)
    cold = read_history(git_repo.root, Config())
    assert walks == [first]  # from scratch: the whole history up to HEAD
    assert (git_repo.root / ".statusboard-cache" / "CACHEDIR.TAG").is_file()

    assert read_history(git_repo.root, Config()) == cold  # nothing new: git log is not run at all
    assert walks == [first]

    head = send(git_repo, 9, "seen")
    warm = read_history(git_repo.root, Config())
    assert walks == [first, f"{first}..{head}"]
    assert warm == read_history(git_repo.root, Config(), cache=False)
    assert len(warm.commits) == 3 and len(warm.trails) == 2


@pytest.mark.parametrize(
    "damage",
    [
        "truncate",
        "flip a payload byte",
        "not json",
        "another format",
        "payload of another shape",
        "forged with a valid checksum",
    ],
)
def test_a_corrupt_cache_is_rebuilt(
    git_repo: GitRepo,
    walks: list[str],
    damage: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    board(git_repo)
    head = send(git_repo, 5)
    expected = read_history(git_repo.root, Config())
    path = cache_file(git_repo)
    raw = path.read_bytes()
    header, _, payload = raw.partition(b"\n")
    if damage == "truncate":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "flip a payload byte":
        path.write_bytes(header + b"\n" + payload.replace(b'"sB"', b'"sC"', 1))
    elif damage == "not json":
        path.write_bytes(b"\x00\x01 garbage")
    elif damage == "another format":
        data = json.loads(header)
        data["format"] = 999
        path.write_bytes(json.dumps(data).encode() + b"\n" + payload)
    elif damage == "payload of another shape":
        HistoryCache(path.parent, json.loads(header)["key"]).save(head, {"commits": "nope"})
    else:  # well-formed JSON, a matching checksum, but a block pointing at no trail
        data = json.loads(payload)
        data["walk"]["queues"][0][2][1][13] = 99999
        HistoryCache(path.parent, json.loads(header)["key"]).save(head, data)
    with caplog.at_level(logging.INFO, logger="generator"):
        again = read_history(git_repo.root, Config())
    assert again == expected
    assert walks == [head, head]  # walked from scratch again
    assert "history cache" in caplog.text
    assert cache_file(git_repo).read_bytes() != b"\x00\x01 garbage"  # and rewritten


def test_a_rewritten_history_is_not_resumed(git_repo: GitRepo, walks: list[str]) -> None:
    board(git_repo)
    send(git_repo, 5)
    cached = send(git_repo, 6)
    read_history(git_repo.root, Config())
    # A force-push: the cached head is amended away, so it is no longer an ancestor of HEAD.
    git_repo._git("reset", "-q", "--hard", "HEAD~1")
    stamp = at(7).strftime("%Y-%m-%dT%H:%MZ")
    git_repo.append(QUEUE, f"## {stamp} · from:sC · to:sA · type:info · status:sent\n\nOther.\n")
    head = git_repo.commit("[sC] docs(ai-sessions): another message", at=at(7))
    fresh = read_history(git_repo.root, Config())
    assert walks[-1] == head  # from scratch, not f"{cached}..{head}"
    assert fresh == read_history(git_repo.root, Config(), cache=False)
    assert cached not in {c.sha for c in fresh.commits}


def test_a_cached_head_off_the_first_parent_chain_is_not_resumed(
    git_repo: GitRepo, walks: list[str]
) -> None:
    board(git_repo)
    send(git_repo, 5)
    git_repo._git("checkout", "-q", "-b", "side")
    side = send(git_repo, 6)
    read_history(git_repo.root, Config())  # cached at the side branch's head
    git_repo._git("checkout", "-q", "main")
    git_repo.write(
        "docs/ai/sessions/queue/to-sB.md", "## 2026-05-31T09:07Z · from:sA · to:sB · type:info\n"
    )
    git_repo.commit("[sA] docs(ai-sessions): note to sB", at=at(7))
    git_repo._git("merge", "-q", "--no-ff", "side", "-m", "merge side", at=at(8))
    merged = read_history(git_repo.root, Config())
    assert walks[-1] != f"{side}..{merged.head}"  # the diffs after `side` do not apply to it
    assert merged == read_history(git_repo.root, Config(), cache=False)


def test_the_cache_folder_is_configurable_and_optional(
    git_repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    board(git_repo)
    send(git_repo, 5)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # an absolute cache.dir must be in it
    elsewhere = tmp_path / "caches"
    config = parse_config({"cache": {"dir": str(elsewhere)}})
    read_history(git_repo.root, config)
    assert list(elsewhere.glob("history-*.json"))
    assert not (git_repo.root / ".statusboard-cache").exists()
    read_history(git_repo.root, parse_config({"cache": {"enabled": False}}))
    assert not (git_repo.root / ".statusboard-cache").exists()


def test_an_unwritable_cache_folder_only_costs_the_speed_up(
    git_repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    board(git_repo)
    send(git_repo, 5)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    config = parse_config({"cache": {"dir": str(blocker / "cache")}})
    assert read_history(git_repo.root, config) == read_history(git_repo.root, Config(), cache=False)


def test_no_cache_on_the_command_line(git_repo: GitRepo, tmp_path: Path) -> None:
    board(git_repo)
    send(git_repo, 5)
    args = [str(git_repo.root), "--now", "2026-05-31T12:00Z", "--format", "json"]
    assert main(["lint", *args, "--no-cache", "--output", str(tmp_path / "a.json")]) == 0
    assert not (git_repo.root / ".statusboard-cache").exists()
    assert main(["lint", *args, "--output", str(tmp_path / "b.json")]) == 0
    assert (git_repo.root / ".statusboard-cache").is_dir()
    assert (tmp_path / "a.json").read_text() == (tmp_path / "b.json").read_text()


def test_empty_history_is_not_cached(tmp_path: Path) -> None:
    assert read_history(tmp_path, Config()) == History()
    assert not (tmp_path / ".statusboard-cache").exists()
