"""Measure how the build grows with the number of queue files (inboxes): N and 10 N.

    python -m benchmarks.recipients                 # 50 and 500 queue files
    python -m benchmarks.recipients --small 20 --repeat 2

Each queue file holds two messages a month apart (so each inbox has a page and two monthly
archives), committed in one commit. The whole `statusboard build` runs in a fresh child process
per board (`pipeline.build`, as the command calls it), timed wall and CPU, with the site's size
and page count. Printed: a table and the ratios of the large board to the small one — the target
is that ten times the queue files cost at most about ten times the time and the size (before the
navigation stopped listing every inbox on every page, they cost about a hundred times). Not a
test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from generator.gitbuild import Change, CommitSpec, build_repo

NOW = "2026-05-31T18:00Z"
QUEUE = "docs/ai/sessions/queue"


def make_board(root: Path, recipients: int) -> None:
    """A repository with `recipients` queue files of two messages each, in one commit."""
    files: dict[str, str] = {}
    for i in range(recipients):
        sid = f"s{i:04d}"
        files[f"{QUEUE}/to-{sid}.md"] = (
            f"# Queue to {sid}\n\n"
            f"## 2026-04-30T10:00Z · from:human · to:{sid} · type:info · status:sent\n\n"
            f"Note number {i} for {sid}.\n\n"
            f"## 2026-05-30T10:00Z · from:human · to:{sid} · type:question · status:sent\n\n"
            f"Question number {i} for {sid}?\n"
        )
    at = datetime(2026, 5, 30, 11, 0, tzinfo=UTC)
    changes = tuple(Change(path, text) for path, text in files.items())
    build_repo(root, [CommitSpec("queues", at, changes, author="Dev", email="dev@example.invalid")])


def child(repo: str, out: str) -> dict[str, Any]:
    """One build of `repo` into `out`; its wall and CPU seconds."""
    import resource
    import time

    from generator import pipeline
    from generator.config import load_config
    from generator.timeutil import parse_now

    start, cpu = time.perf_counter(), time.process_time()
    config = load_config(Path(repo))
    pipeline.build(Path(repo), config, parse_now(NOW), Path(out))
    return {
        "wall": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure(recipients: int, repeat: int, tmp: Path) -> dict[str, Any]:
    repo = tmp / f"repo-{recipients}"
    make_board(repo, recipients)
    runs = []
    for n in range(repeat):
        out = tmp / f"site-{recipients}-{n}"
        code = f"import json,sys; from benchmarks.recipients import child; print(json.dumps(child({str(repo)!r}, {str(out)!r})))"
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp / "xdg")}
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    site = tmp / f"site-{recipients}-0"
    files = [p for p in site.rglob("*") if p.is_file()]
    inboxes = [p for p in (site / "inboxes").rglob("*") if p.is_file()]
    return {
        "recipients": recipients,
        "wall": statistics.median(r["wall"] for r in runs),
        "cpu": statistics.median(r["cpu"] for r in runs),
        "rss_mb": max(r["rss_mb"] for r in runs),
        "pages": sum(1 for p in files if p.suffix == ".html"),
        "site_mb": sum(p.stat().st_size for p in files) / 1e6,
        "inbox_mb": sum(p.stat().st_size for p in inboxes) / 1e6,
    }


def _cpu() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    except OSError:
        return platform.machine()
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return names[0] if names else platform.machine()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", type=int, default=50, help="queue files of the small board")
    parser.add_argument("--repeat", type=int, default=1, help="builds per board (median)")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(
        f"# {_cpu()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {load:.1f} at the start\n"
    )
    with tempfile.TemporaryDirectory(prefix="statusboard-bench-") as name:
        tmp = Path(name)
        rows = [measure(n, args.repeat, tmp) for n in (args.small, args.small * 10)]
    print("| queue files | build wall | build CPU | peak RSS | pages | site | inbox pages |")
    print("|--:|--:|--:|--:|--:|--:|--:|")
    for r in rows:
        print(
            f"| {r['recipients']:,} | {r['wall']:.1f} s | {r['cpu']:.1f} s | {r['rss_mb']:.0f} MB "
            f"| {r['pages']:,} | {r['site_mb']:.1f} MB | {r['inbox_mb']:.1f} MB |"
        )
    small, large = rows
    print(
        f"\n10× the queue files: {large['wall'] / small['wall']:.1f}× the wall time, "
        f"{large['cpu'] / small['cpu']:.1f}× the CPU time, "
        f"{large['site_mb'] / small['site_mb']:.1f}× the site, "
        f"{large['inbox_mb'] / small['inbox_mb']:.1f}× the inbox pages (target: about 10× or less)"
    )


if __name__ == "__main__":
    main()
