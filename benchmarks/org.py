"""Measure `statusboard org` over many published boards: synthetic status.json files, one site.

    python -m benchmarks.org                      # 100 repositories
    python -m benchmarks.org --repos 300 --keep /tmp/org

Each repository's status.json has the shape `statusboard build` writes (5 sessions in every
liveness state, 60 messages, a few of them addressed by qualified handle to the next project). The
org file lists them all as `status =` entries. Printed: the time to read them, to judge the
cross-project messages, to build the site, the total, and the site's size. Not a test: nothing
here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from generator.org import cross_messages, gather, load_org_config
from generator.render.org_site import render_org

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
STATES = ("live", "idle", "stale", "unknown", "live")
STATUSES = ("sent", "seen", "accepted", "answered", "done")


def _stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def status_file(index: int, repos: int, rng: random.Random) -> dict[str, Any]:
    """One synthetic repository's status.json."""
    sessions = [
        {
            "id": f"s{chr(ord('A') + i)}",
            "name": f"N{index}x{i}",
            "task": f"Riff #{index * 10 + i}",
            "branch": f"session-s{chr(ord('A') + i)}",
            "liveness": state,
            "last_seen": _stamp(NOW - timedelta(minutes=rng.randrange(5, 900))),
            "paths": ["src/"],
        }
        for i, state in enumerate(STATES)
    ]
    messages = []
    for n in range(60):
        status = rng.choice(STATUSES)
        to = f"s{chr(ord('A') + rng.randrange(5))}"
        if n % 20 == 0:  # three per repository go to the next project
            to = f"r{(index + 1) % repos}:{to}"
        messages.append(
            {
                "id": f"docs/ai/sessions/queue/to-sA.md#{n}",
                "path": "docs/ai/sessions/queue/to-sA.md",
                "line": 3 + n * 4,
                "queue": "sA",
                "at": _stamp(NOW - timedelta(minutes=n * 17)),
                "from": "sB",
                "to": to,
                "type": "question",
                "status": status,
                "waiting_for": "an ack" if status in ("sent", "accepted") else None,
            }
        )
    waiting = sum(1 for m in messages if m["waiting_for"])
    return {
        "schema_version": 1,
        "generated_at": _stamp(NOW),
        "source": {"commit": f"{index:040x}", "branch": "main", "repo": None},
        "sessions": sessions,
        "messages": messages,
        "findings": {"error": index % 3, "warning": index % 5, "info": 1, "total": 1 + index % 8},
        "counts": {"messages": {"total": len(messages), "waiting": waiting}},
    }


def write_org(folder: Path, repos: int) -> Path:
    """`repos` status.json files and the org file listing them; returns the org file."""
    rng = random.Random(7)
    lines = ['title = "Benchmark org"']
    for i in range(repos):
        path = folder / f"r{i}" / "status.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(status_file(i, repos, rng)), encoding="utf-8")
        lines.append(f'[[repo]]\nname = "r{i}"\ntag = "r{i}"\nstatus = "r{i}/status.json"')
        lines.append(f'site_url = "https://acme.github.io/r{i}/"')
    org = folder / "org.toml"
    org.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return org


def _size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def measure(repos: int, keep: Path | None) -> None:
    with tempfile.TemporaryDirectory(prefix="statusboard-org-bench-") as tmp:
        folder = keep or Path(tmp)
        if keep is not None and keep.exists():
            shutil.rmtree(keep)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "boards").mkdir()
        org_file = write_org(folder / "boards", repos)
        start = time.perf_counter()
        config = load_org_config(org_file)
        read = gather(config, NOW)
        t_read = time.perf_counter()
        crossing = cross_messages(read)
        t_cross = time.perf_counter()
        out = render_org(config, read, crossing, NOW, folder / "site")
        t_site = time.perf_counter()
        files, size = _size(out)
        org_json = (out / "org.json").stat().st_size
        print(
            "| repositories | read | cross-project | site | total | site files | site size | org.json |"
        )
        print("|---|---|---|---|---|---|---|---|")
        print(
            f"| {repos} | {t_read - start:.2f} s | {t_cross - t_read:.3f} s ({len(crossing)} messages) "
            f"| {t_site - t_cross:.2f} s | {t_site - start:.2f} s | {files} | {size / 1e6:.2f} MB "
            f"| {org_json / 1e3:.0f} kB |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repos", type=int, default=100, help="how many repositories (100)")
    parser.add_argument(
        "--keep", type=Path, help="write the boards and the site here, and keep them"
    )
    args = parser.parse_args()
    measure(args.repos, args.keep)


if __name__ == "__main__":
    main()
