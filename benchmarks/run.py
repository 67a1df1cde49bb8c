"""Measure the pipeline on synthetic boards of three sizes and print markdown tables.

    python -m benchmarks.run                      # small, medium, large
    python -m benchmarks.run --sizes large --repeat 3 --keep /tmp/boards

For each size: build the board (benchmarks/synthetic.py), time a plain `git log -p` over its
blackboard paths, then run the pipeline cold in a child process — history (the cache folder removed
first, so it is read and written from scratch), read, analyse, render (pages and machine outputs),
mkdocs — with the child's peak RSS; then add one commit and run it again, warm (the history, read,
render and template caches from the cold run; the signing key of the render caches is the user's,
as for `statusboard build`). Children keep the parent's measurements free of imports and in-memory
caches. Not a test: nothing here asserts a time; the targets are printed beside the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.synthetic import QUEUE_DIR, SCOREBOARD, Size, build_synthetic

SIZES = {
    "small": Size("small", messages=500, commits=700),
    "medium": Size("medium", messages=2000, commits=2800),
    "large": Size("large", messages=5000, commits=7000),
    "xl": Size("xl", messages=10000, commits=14000),
}
STAGES = ("history+read", "analyse", "render", "mkdocs")


# --- the child: one pipeline run, timed stage by stage ----------------------------------------


def child(repo: Path, now: str, site: Path, alone: bool) -> dict[str, Any]:
    """Run the pipeline once on `repo`, as `statusboard build` does (the garbage collector paused
    throughout); stage times, peak RSS and the site's size."""
    from generator import pipeline

    with pipeline.collector_paused():
        return _child(repo, now, site, alone)


def _child(repo: Path, now: str, site: Path, alone: bool) -> dict[str, Any]:
    from generator import pipeline
    from generator.config import load_config
    from generator.progress import Progress
    from generator.readers import read_board
    from generator.readers.history import read_history
    from generator.timeutil import parse_now

    times: dict[str, float] = {}
    config = load_config(repo)
    # The history stage on its own, for the table: cold, it neither reads nor writes the cache;
    # warm, it resumes from a copy of the cache (so the real run below still finds the original).
    start = time.perf_counter()
    if alone:
        read_history(repo, config, cache=False)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "cache"
            shutil.copytree(repo / config.cache.dir, copy)
            start = time.perf_counter()
            read_history(repo, replace(config, cache=replace(config.cache, dir=str(copy))))
    times["history alone"] = time.perf_counter() - start
    # As `statusboard build` runs it: the history walk (cache on) overlaps reading the files.
    start = time.perf_counter()
    board = read_board(repo, config)
    times["history+read"] = time.perf_counter() - start
    history = board.history
    start = time.perf_counter()
    result = pipeline.analyse(board, config, parse_now(now))
    times["analyse"] = time.perf_counter() - start
    rss_before_mkdocs = _rss_mb()
    progress = Progress.quiet()
    pipeline.render(result, site, progress)
    times["render"] = progress.timings.get("pages", 0.0) + progress.timings.get(
        "machine outputs", 0.0
    )
    times["mkdocs"] = progress.timings.get("site", 0.0)
    pages = [p for p in site.rglob("*.html") if "assets" not in p.parts]
    return {
        "times": times,
        "rss_mb": _rss_mb(),
        "rss_before_mkdocs_mb": rss_before_mkdocs,
        "pages": len(pages),
        "site_mb": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6,
        "messages": len(board.messages),
        "commits": len(history.commits),
        "findings": len(result.findings),
    }


def _rss_mb() -> float:
    # ru_maxrss is in KiB on Linux, bytes on macOS.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1 << 20) if sys.platform == "darwin" else rss / 1024


# --- the parent: boards, baselines, children, tables -------------------------------------------


def _git(repo: Path, *args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)


def plain_git_log(repo: Path) -> float:
    """Seconds for `git log -p` over the blackboard paths, its output thrown away."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        subprocess.run(
            ["git", "log", "-p", "--", SCOREBOARD, QUEUE_DIR], cwd=repo, stdout=sink, check=True
        )
    return time.perf_counter() - start


def add_one_commit(repo: Path, at: datetime) -> None:
    """One more message, committed the way a session would."""
    path = repo / QUEUE_DIR / "to-sA.md"
    stamp = at.strftime("%Y-%m-%dT%H:%MZ")
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"## {stamp} · from:sB · to:sA · type:question · status:sent\n\nOne more?\n\n")
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": at.isoformat(),
        "GIT_COMMITTER_DATE": at.isoformat(),
        "GIT_AUTHOR_NAME": "Porto (sB)",
        "GIT_AUTHOR_EMAIL": "porto.sb@synthetic.example",
        "GIT_COMMITTER_NAME": "Porto (sB)",
        "GIT_COMMITTER_EMAIL": "porto.sb@synthetic.example",
    }
    _git(repo, "add", "-A", env=env)
    _git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "[sB] one more", env=env)


def run_child(repo: Path, now: str, site: Path, alone: bool = False) -> dict[str, Any]:
    if site.exists():
        shutil.rmtree(site)
    flag = ["--alone"] if alone else []
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", *flag, "--child", str(repo), now, str(site)],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    out = dict(runs[0])
    out["times"] = {k: statistics.median(r["times"][k] for r in runs) for k in runs[0]["times"]}
    out["rss_mb"] = max(r["rss_mb"] for r in runs)
    out["rss_before_mkdocs_mb"] = max(r["rss_before_mkdocs_mb"] for r in runs)
    return out


def measure(size: Size, work: Path, repeat: int) -> dict[str, Any]:
    repo = work / size.name
    if repo.exists():
        shutil.rmtree(repo)
    start = time.perf_counter()
    built = build_synthetic(repo, size)
    build_s = time.perf_counter() - start
    now = (built.now + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%MZ")
    site = work / f"{size.name}-site"
    git_log, cold_runs, warm_runs = [], [], []
    for _ in range(repeat):
        git_log.append(plain_git_log(repo))
        shutil.rmtree(repo / ".statusboard-cache", ignore_errors=True)
        cold_runs.append(run_child(repo, now, site, alone=True))
    add_one_commit(repo, built.now + timedelta(minutes=10))
    cache = repo / ".statusboard-cache"
    saved = work / f"{size.name}-cache"
    shutil.rmtree(saved, ignore_errors=True)
    shutil.copytree(cache, saved)  # each warm run starts from the cold run's cache
    for _ in range(repeat):
        shutil.rmtree(cache)
        shutil.copytree(saved, cache)
        warm_runs.append(run_child(repo, now, site))
    return {
        "size": size,
        "built": built,
        "build_s": build_s,
        "git_log_p": statistics.median(git_log),
        "cold": _median(cold_runs),
        "warm": _median(warm_runs),
    }


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        ram = f"{mem / (1 << 20):.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        ram = "RAM unknown"
    git = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {ram}, Python {platform.python_version()}, {git}, "
        f"load average {os.getloadavg()[0]:.1f} at the start"
    )


def part(run: dict[str, Any]) -> float:
    """history + read + analyse + render: the part the git-log target is about."""
    t = run["times"]
    return float(t["history+read"] + t["analyse"] + t["render"])


def tables(results: list[dict[str, Any]]) -> str:
    rows = [
        "| size | messages | commits | queue files | `git log -p` | history alone | "
        "history + read | analyse | render | mkdocs | total | part ÷ git log | peak RSS | pages "
        "| site |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        c, b = r["cold"], r["built"]
        t = c["times"]
        total = sum(t[k] for k in STAGES)
        rows.append(
            f"| {r['size'].name} | {c['messages']:,} | {c['commits']:,} | "
            f"{b.queue_bytes / 1e6:.1f} MB | {r['git_log_p']:.2f} s | "
            f"{t['history alone']:.2f} s | {t['history+read']:.2f} s | "
            f"{t['analyse']:.2f} s | {t['render']:.2f} s | {t['mkdocs']:.1f} s | {total:.1f} s | "
            f"{part(c) / r['git_log_p']:.2f}× | {c['rss_mb']:.0f} MB | {c['pages']} | "
            f"{c['site_mb']:.0f} MB |"
        )
    rows += [
        "",
        "Rebuild after one new commit (the caches of the cold run):",
        "",
        "| size | history alone, cold → warm | history + read, cold → warm | analyse | render "
        "| part cold → warm | warm ÷ cold | mkdocs |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        c, w = r["cold"], r["warm"]
        t = w["times"]
        rows.append(
            f"| {r['size'].name} | {c['times']['history alone']:.2f} → {t['history alone']:.2f} s "
            f"({t['history alone'] / c['times']['history alone']:.0%}) | "
            f"{c['times']['history+read']:.2f} → {t['history+read']:.2f} s | "
            f"{t['analyse']:.2f} s | {t['render']:.2f} s | "
            f"{part(c):.2f} → {part(w):.2f} s | {part(w) / part(c):.0%} | {t['mkdocs']:.1f} s |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--sizes", default="small,medium,large", help="comma-separated: " + ", ".join(SIZES)
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; medians are shown")
    parser.add_argument("--keep", metavar="DIR", help="build the boards here and keep them")
    parser.add_argument("--child", nargs=3, metavar=("REPO", "NOW", "SITE"), help=argparse.SUPPRESS)
    parser.add_argument("--alone", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        repo, now, site = args.child
        print(json.dumps(child(Path(repo), now, Path(site), args.alone)))
        return 0
    sizes = [SIZES[name.strip()] for name in args.sizes.split(",") if name.strip()]
    print(f"Machine: {machine()}\n", flush=True)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="statusboard-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for size in sizes:
            print(
                f"· {size.name}: {size.messages} messages over {size.commits} commits …", flush=True
            )
            results.append(measure(size, work, max(args.repeat, 1)))
            print(f"  built in {results[-1]['build_s']:.1f} s", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(tables(results))
    largest = results[-1]
    c, w = largest["cold"], largest["warm"]
    total = sum(c["times"][k] for k in STAGES)
    print(
        f"\nTargets on {largest['size'].name}: part ≤ 2× git log -p: "
        f"{part(c) / largest['git_log_p']:.2f}×; warm ≤ 10% of cold: history "
        f"{w['times']['history alone'] / c['times']['history alone']:.0%}, whole part "
        f"{part(w) / part(c):.0%}; peak RSS < 500 MB: {c['rss_mb']:.0f} MB; "
        f"whole build < 60 s: {total:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
