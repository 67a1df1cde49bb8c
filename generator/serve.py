"""Serve a built site on localhost; for a repository, rebuild when its board or history changes."""

from __future__ import annotations

import functools
import http.server
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from generator import pipeline
from generator.config import Config
from generator.progress import Progress
from generator.timeutil import parse_now


def _server(folder: Path, port: int) -> http.server.ThreadingHTTPServer:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    # A partial cannot be subclassed, so the folder is bound after the subclass is made.
    handler = functools.partial(Quiet, directory=str(folder))
    # Loopback only: a status board is for the person at this machine, not the network.
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def serve_folder(folder: Path, port: int) -> None:
    """Serve `folder` until interrupted."""
    server = _server(folder, port)
    print(f"serving {folder} at http://127.0.0.1:{server.server_port}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _signature(repo: Path, config: Config) -> tuple[tuple[str, float, int], ...]:
    """What changes when the board does: the board files and the git refs."""
    paths = [repo / config.paths.scoreboard]
    queue = repo / config.paths.queue_dir
    if queue.is_dir():
        paths.extend(sorted(queue.glob("to-*.md")))
    git = repo / ".git"
    paths.extend(p for p in (git / "HEAD", git / "packed-refs") if p.exists())
    if (git / "refs" / "heads").is_dir():
        paths.extend(sorted((git / "refs" / "heads").rglob("*")))
    sig = []
    for p in paths:
        try:
            st = p.stat()
        except OSError:
            continue
        sig.append((str(p), st.st_mtime, st.st_size))
    return tuple(sig)


def serve_repository(repo: Path, config: Config, out: Path, port: int, now: str | None) -> None:
    """Build, serve, and rebuild whenever the board files or the branch move."""
    progress = Progress.for_terminal()

    def build() -> None:
        when = parse_now(now) if now else datetime.now(UTC).replace(second=0, microsecond=0)
        with pipeline.collector_paused():
            board = pipeline.read(repo, config, progress)
            result = pipeline.analyse(board, config, when, None, progress)
            pipeline.render(result, out, progress)
        print(f"built {out} ({len(result.findings)} findings)")

    build()
    server = _server(out, port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(
        f"serving at http://127.0.0.1:{server.server_port}/ — rebuilds on change (Ctrl-C to stop)"
    )
    last = _signature(repo, config)
    try:
        while True:
            time.sleep(1.0)
            current = _signature(repo, config)
            if current != last:
                last = current
                try:
                    build()
                except Exception as exc:  # keep serving the last good site
                    print(f"rebuild failed: {exc}")
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
