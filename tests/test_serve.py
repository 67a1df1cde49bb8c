"""`statusboard serve`: mkdocs' live-reload server over a real repository, on loopback.

The server runs as a real `statusboard serve` process on a free port; every wait is bounded.
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.config import Config
from generator.serve import bind, git_dirs, serve_folder, watch_plan
from tests.conftest import GitRepo
from tests.test_cli import NOW, QUEUE, SCOREBOARD

WAIT = 60.0  # seconds: the longest any single step may take on a loaded machine
RIFF = [{"id": 412, "title": "Payments retry", "status": "open", "assignee": "sA", "deps": []}]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str, timeout: float = WAIT) -> tuple[int, str]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as response:
        return response.status, response.read().decode("utf-8")


def _epoch(page: str) -> int:
    """The site version the page was served at (mkdocs' injected `livereload(epoch, id)`)."""
    found = re.search(r"livereload\((\d+), \d+\)", page)
    assert found, "no live-reload script in the page"
    return int(found[1])


class Serving:
    """A `statusboard serve` process and its output lines, read as they come."""

    def __init__(self, args: list[str]) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "CI": "true"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        for stream in (self.process.stdout, self.process.stderr):
            threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.put(line)

    def wait_for(self, text: str) -> str:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.process.poll() is None, f"serve exited: {self.seen}"
                continue
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} within {WAIT} s: {self.seen}")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=WAIT)
        finally:
            if self.process.poll() is None:
                self.process.kill()

    def rest(self) -> str:
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return "".join(self.seen)


@pytest.fixture
def board(git_repo: GitRepo) -> GitRepo:
    git_repo.write("docs/ai/sessions/active.md", SCOREBOARD)
    git_repo.write("docs/ai/sessions/queue/to-sA.md", QUEUE)
    git_repo.write("docs/ai/tracker/riff.json", json.dumps(RIFF))
    git_repo.write("statusboard.toml", '[site]\ntitle = "First title"\n')
    git_repo.commit("[sA] docs(ai-sessions): claim sA", at=datetime(2026, 5, 31, 15, 0, tzinfo=UTC))
    return git_repo


def _rebuilt_after(port: int, epoch: int) -> int:
    """Wait (bounded) for the live-reload endpoint to report a version newer than `epoch`."""
    _, text = _get(port, f"/livereload/{epoch}/1")
    newer = int(text)
    assert newer > epoch, f"no rebuild: the endpoint still reports {newer}"
    return newer


def test_serve_rebuilds_on_change_and_keeps_the_last_good_site(
    board: GitRepo, tmp_path: Path
) -> None:
    port = _free_port()
    out = tmp_path / "out"
    server = Serving([str(board.root), "-o", str(out), "--port", str(port), "--now", NOW])
    try:
        server.wait_for("serving")
        status, page = _get(port, "/")
        assert status == 200 and "First title" in page
        epoch = _epoch(page)

        # A new message in a queue file: the site is rebuilt and the open pages told to reload.
        board.append(
            "docs/ai/sessions/queue/to-sA.md",
            "\n## 2026-05-31T13:00Z · from:sB · to:sA · type:question · status:sent\n\nAnd now?\n",
        )
        epoch = _rebuilt_after(port, epoch)
        document = json.loads(_get(port, "/status.json")[1])
        assert len(document["messages"]) == 2
        assert document["generated_at"] == "2026-05-31T16:00:00Z"  # --now holds for rebuilds

        # A tracker file: rebuilt.
        riff = [*RIFF, {"id": 413, "title": "Second task", "status": "open", "deps": []}]
        board.write("docs/ai/tracker/riff.json", json.dumps(riff))
        epoch = _rebuilt_after(port, epoch)
        assert "Second task" in _get(port, "/status.json")[1]

        # The configuration: read again.
        board.write("statusboard.toml", '[site]\ntitle = "Second title"\n')
        epoch = _rebuilt_after(port, epoch)
        assert "Second title" in _get(port, "/")[1]

        # A broken configuration: one line says so, the last good site is still served as it was
        # and the open pages are not reloaded.
        board.write("statusboard.toml", "[site\n")
        line = server.wait_for("rebuild failed")
        assert "statusboard.toml" in line and "still serving the last good site" in line
        status, page = _get(port, "/", timeout=10)
        assert status == 200 and "Second title" in page and _epoch(page) == epoch

        # Mended: rebuilt again.
        board.write("statusboard.toml", '[site]\ntitle = "Third title"\n')
        epoch = _rebuilt_after(port, epoch)
        assert "Third title" in _get(port, "/")[1]
    finally:
        code = server.stop()
    output = server.rest()
    assert code == 0, output  # Ctrl-C ends it cleanly
    assert "Traceback" not in output
    assert output.count("rebuild failed") == 1


def test_a_commit_rebuilds(board: GitRepo, tmp_path: Path) -> None:
    port = _free_port()
    server = Serving([str(board.root), "-o", str(tmp_path / "out"), "--port", str(port)])
    try:
        server.wait_for("serving")
        epoch = _epoch(_get(port, "/")[1])
        board.commit("[sB] docs: note", at=datetime(2026, 5, 31, 15, 30, tzinfo=UTC))  # refs move
        _rebuilt_after(port, epoch)
    finally:
        assert server.stop() == 0


def test_watch_plan_names_every_source_and_never_the_site(board: GitRepo, tmp_path: Path) -> None:
    root = board.root.resolve()
    board.write("AGENTS.md", "# agents\n")
    board.write("docs/ai/agents.md", "| Agent ID | Type | How to reach |\n|---|---|---|\n")
    board.write("docs/ai/transcripts/a/x.jsonl", "{}\n")
    out = root / "docs" / "ai" / "site"  # inside a folder the playbook globs search
    out.mkdir()
    (out.parent / ".site.statusboard-lock").write_text("", encoding="utf-8")
    plan = watch_plan(root, Config(), out, (root / "statusboard.toml",))
    git = root / ".git"
    assert plan[git / "HEAD"] is False and plan[git / "refs"] is True
    assert plan[root / "statusboard.toml"] is False
    assert plan[root / "AGENTS.md"] is False
    assert plan[root / "docs/ai/tracker"] is True  # docs/ai is taken apart around the site
    assert plan[root / "docs/ai/sessions"] is True
    assert plan[root / "docs/ai/agents.md"] is False
    for path in plan:
        assert not (path == out or out in path.parents), path
        assert ".statusboard-" not in path.name, path
        assert git not in path.parents or path.name in ("HEAD", "refs", "packed-refs"), path
    # Nothing is watched twice: no path lies inside a folder watched recursively.
    deep = [p for p, recursive in plan.items() if recursive]
    assert not [p for p in plan for d in deep if d in p.parents]


def test_a_worktree_watches_its_own_head_and_the_shared_refs(
    board: GitRepo, tmp_path: Path
) -> None:
    tree = tmp_path / "worktree"
    board._git("worktree", "add", "-q", str(tree))
    assert (tree / ".git").is_file()
    main_git = (board.root / ".git").resolve()
    own, common = git_dirs(tree)
    assert own == main_git / "worktrees" / "worktree" and common == main_git
    plan = watch_plan(tree, Config(), tmp_path / "out", ())
    assert plan[own / "HEAD"] is False
    assert plan[main_git / "refs"] is True
    assert (tree / ".git") not in plan
    assert plan[tree.resolve() / "docs/ai"] is True  # the playbooks' glob root holds the board


def test_a_built_folder_is_served_until_stopped(tmp_path: Path) -> None:
    """What `statusboard demo --serve` does once the demo is built."""
    folder = tmp_path / "built"
    folder.mkdir()
    (folder / "index.html").write_text("<html><body>built</body></html>", encoding="utf-8")
    server = bind(folder, 0)
    thread = threading.Thread(target=serve_folder, args=(folder, server), daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + WAIT
        while True:
            try:
                status, page = _get(server.server_port, "/", timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert status == 200 and "built" in page
    finally:
        server.shutdown()
        thread.join(timeout=WAIT)
    assert not thread.is_alive()


def test_ctrl_c_ends_serve_even_when_the_watcher_thread_does_not_stop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from types import SimpleNamespace

    from generator import serve

    stuck = threading.Event()
    watcher = threading.Thread(target=stuck.wait, daemon=True)  # a watcher that never stops
    watcher.start()

    def interrupted() -> None:
        raise KeyboardInterrupt

    server = SimpleNamespace(
        serve=interrupted,
        shutdown=lambda: None,
        serve_thread=threading.Thread(target=lambda: None),
        observer=watcher,
    )
    monkeypatch.setattr(serve, "JOIN_SECONDS", 0.2)
    stopping = threading.Thread(target=serve._run, args=(server, False), daemon=True)
    stopping.start()
    stopping.join(timeout=10)  # a hang fails here instead of hanging the suite
    assert not stopping.is_alive() and watcher.is_alive()
    stuck.set()
