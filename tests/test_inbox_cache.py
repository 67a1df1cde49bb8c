"""Read-only caches: `statusboard inbox` (a session-start hook) uses the history, read and render
caches a build wrote, works out what is new in memory, and writes nothing anywhere."""

from __future__ import annotations

import hashlib
import logging
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator import pipeline
from generator.cache import user_cache_dir
from generator.cli import main
from generator.config import load_config
from tests.conftest import GitRepo

NOW = "2026-06-05T12:00Z"
QUEUE = "docs/ai/sessions/queue"
SCOREBOARD = """\
# Active sessions

| Session | Task | Worktree | Claimed | Presence | Scope |
|---|---|---|---|---|---|
| sA · Sintra | Riff #412 | worktree `session-sA` → direct-to-main, `[sA]` | 2026-06-05T08:00Z | 2026-06-05T11:50Z · abc1234 | `services/**` |
| sB · Porto | Riff #398 | worktree `session-sB` → direct-to-main, `[sB]` | 2026-06-05T09:00Z | 2026-06-05T11:40Z · abc1234 | `web/**` |
"""


def _at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)


def _message(stamp: str, sender: str, to: str, text: str) -> str:
    return f"## {stamp} · from:{sender} · to:{to} · type:question · status:sent\n\n{text}\n\n"


@pytest.fixture
def board(git_repo: GitRepo) -> GitRepo:
    git_repo.write("docs/ai/sessions/active.md", SCOREBOARD)
    git_repo.commit("[sA] claim", at=_at("2026-06-05T08:00Z"))
    git_repo.write(
        f"{QUEUE}/to-sA.md",
        "# Queue — to sA\n\n" + _message("2026-06-05T09:00Z", "sB", "sA", "Retry budget?"),
    )
    git_repo.write(
        f"{QUEUE}/to-sB.md",
        "# Queue — to sB\n\n" + _message("2026-06-05T09:10Z", "sA", "sB", "Banner copy?"),
    )
    git_repo.commit("[sB] docs(ai-sessions): ask sA", at=_at("2026-06-05T09:00Z"))
    return git_repo


def _snapshot(*roots: Path) -> dict[str, tuple[int, str]]:
    """Every file and folder under `roots`: its mtime (ns) and, for a file, its SHA-256."""
    out: dict[str, tuple[int, str]] = {}
    for root in roots:
        for p in sorted([root, *root.rglob("*")]) if root.exists() else ():
            digest = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            out[str(p)] = (p.stat().st_mtime_ns, digest)
    return out


def _warm_then_commit(board: GitRepo, tmp_path: Path) -> None:
    """A build that writes every cache, then a new message committed after it."""
    assert main(["build", str(board.root), "-o", str(tmp_path / "site"), "--now", NOW, "-q"]) in (
        0,
        1,
    )
    cache = board.root / ".statusboard-cache"
    assert list(cache.glob("history-*.json")) and list(cache.glob("read-*.json"))
    assert list(cache.glob("render-*.json"))
    board.append(f"{QUEUE}/to-sA.md", _message("2026-06-05T11:00Z", "sB", "sA", "Canary alert?"))
    board.commit("[sB] docs(ai-sessions): ask again", at=_at("2026-06-05T11:00Z"))


def test_inbox_uses_the_caches_and_writes_nothing(
    board: GitRepo,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    _warm_then_commit(board, tmp_path)
    capsys.readouterr()
    before = _snapshot(board.root, user_cache_dir())
    with caplog.at_level(logging.INFO, logger="generator"):
        assert main(["inbox", "sA", str(board.root), "--now", NOW]) == 0
        cached = capsys.readouterr().out
        assert main(["inbox", "sA", str(board.root), "--now", NOW, "--format", "json"]) == 0
        cached_json = capsys.readouterr().out
    assert _snapshot(board.root, user_cache_dir()) == before
    # Resumed: only the commit after the cached head was walked; the unchanged queue file came
    # from the read cache and the changed one was parsed (in memory only).
    assert "history: 1 new commit(s) after the cached" in caplog.text
    assert "read from scratch" not in caplog.text
    assert "read cache: 1 queue file(s) reused, 1 parsed" in caplog.text
    assert "Canary alert?" in cached and "Retry budget?" in cached

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="generator"):
        assert main(["inbox", "sA", str(board.root), "--now", NOW, "--no-cache"]) == 0
        fresh = capsys.readouterr().out
        assert (
            main(["inbox", "sA", str(board.root), "--now", NOW, "--format", "json", "--no-cache"])
            == 0
        )
        fresh_json = capsys.readouterr().out
    assert "history: 3 commit(s) read from scratch" in caplog.text
    assert (cached, cached_json) == (fresh, fresh_json)
    assert _snapshot(board.root, user_cache_dir()) == before


def test_inbox_without_a_signing_key_creates_none(
    board: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _warm_then_commit(board, tmp_path)
    home = tmp_path / "another-user-cache"
    monkeypatch.setitem(os.environ, "XDG_CACHE_HOME", str(home))
    before = _snapshot(board.root)
    assert main(["inbox", "sB", str(board.root), "--now", NOW]) == 0
    assert not home.exists(), "no key, no template folder: the signed caches are simply off"
    assert _snapshot(board.root) == before


def test_a_read_only_build_uses_the_render_cache_and_writes_none(
    board: GitRepo, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _warm_then_commit(board, tmp_path)
    config = load_config(board.root)
    cache = board.root / ".statusboard-cache"
    before = _snapshot(cache, user_cache_dir())
    with caplog.at_level(logging.DEBUG, logger="generator"):
        ro = pipeline.build(board.root, config, _at(NOW), tmp_path / "ro", save_cache=False)
    assert _snapshot(cache, user_cache_dir()) == before
    reused = re.search(r"render cache: (\d+) reused", caplog.text)
    assert reused is not None and int(reused.group(1)) > 0
    rw = pipeline.build(board.root, config, _at(NOW), tmp_path / "rw")
    assert _snapshot(cache) != before, "a normal build records the new commit and card"
    assert ro.findings == rw.findings
    for page in ("inboxes/sA.html", "status.json", "waiting/sA.json"):
        assert (tmp_path / "ro" / page).read_bytes() == (tmp_path / "rw" / page).read_bytes()
