"""Measure statusboard on synthetic boards of several sizes and print markdown tables.

    python -m benchmarks.run                          # 1k and 2k messages: a few minutes
    python -m benchmarks.run --sizes 5k,20k --keep /tmp/boards --layers --memory

The boards have the shape of issue 11's: 12 sessions over 90 days, about 1.4 commits per message
(benchmarks/synthetic.py), streamed into `git fast-import`. For each size, each run in a fresh child
process calling `generator.pipeline.build` (stage times from a `Progress` that records them):

- a plain `git log -p` of the blackboard paths, the baseline;
- `lint` with no cache (`--no-cache`);
- a cold build (no repository cache folder, an empty user cache folder);
- then one new commit, and a rebuild with the cold build's caches, and a warm `lint`;
- a CI-style `lint`: a fresh clone, the cache folder restored from the cold build, and a new user
  cache folder (a fresh runner: its signing key is new, so only the history cache is usable);
- with `--layers`, the rebuild again without each cache layer, and the hand-written JSON encoder
  against the standard library's on the whole status.json;
- with `--memory`, a cold build under tracemalloc: what is held at the end of each stage;
- with `--without LAYER,…`, every run with those cache layers off (history, read, render,
  templates).

CPU seconds are the child's and its git processes' (user + system), wall seconds the child's
elapsed time; the machine and its load average are printed first, since the machine may be
shared. Not a test: nothing here asserts a time; the issue's targets are printed beside the
figures.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

from benchmarks.synthetic import QUEUE_DIR, SCOREBOARD, Size, build_synthetic
from generator.progress import Progress, Stage

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ".statusboard-cache"
SIZES = {
    name: Size(name, messages=n, commits=round(n * 1.4))
    for name, n in (("1k", 1000), ("2k", 2000), ("5k", 5000), ("10k", 10000), ("20k", 20000))
}
LAYERS = ("history", "read", "render", "templates")
STAGES = ("read", "history", "analyse", "pages", "mkdocs", "outputs")


# --- the child: one pipeline run --------------------------------------------------------------


class Recorder(Progress):
    """Progress that keeps each stage's wall and CPU seconds, and with `memory` what tracemalloc
    finds held at the stage's end (the largest holders, by line)."""

    def __init__(self, memory: bool = False) -> None:
        super().__init__(None)
        self.memory = memory
        self.stages: dict[str, dict[str, float]] = {}
        self.held: dict[str, dict[str, Any]] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[Stage]:
        wall, cpu = time.perf_counter(), time.process_time()
        with super().stage(name) as stage:
            yield stage
        record = self.stages.setdefault(name, {"wall": 0.0, "cpu": 0.0})
        record["wall"] += time.perf_counter() - wall
        record["cpu"] += time.process_time() - cpu
        if stage.seconds is not None:  # work that ran in the background (the history walk)
            record["own wall"] = stage.seconds
        record["peak_mb"] = _rss_mb()  # the process's peak so far: which stage raised it
        if self.memory:
            self.held[name] = held_memory()


def held_memory(top: int = 14) -> dict[str, Any]:
    """What tracemalloc traces now, the peak since the last call, and the largest holders."""
    current, peak = tracemalloc.get_traced_memory()
    snapshot = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(False, tracemalloc.__file__)]
    )
    stats = snapshot.statistics("lineno")[:top]
    tracemalloc.reset_peak()
    return {
        "current_mb": current / 1e6,
        "peak_mb": peak / 1e6,
        "top": [[_where(s.traceback[0]), s.size / 1e6, s.count] for s in stats],
    }


def _where(frame: tracemalloc.Frame) -> str:
    name = frame.filename
    for marker in ("/generator/", "/site-packages/", "/lib/python"):
        if marker in name:
            name = name[name.index(marker) + 1 :]
            break
    return f"{name}:{frame.lineno}"


def without(layers: list[str]) -> ExitStack:
    """Cache layers switched off for this child only (patched through their public names)."""
    from generator.cache import HistoryCache
    from generator.readers.read_cache import ReadCache
    from generator.render import fragments

    stack = ExitStack()
    if "history" in layers:  # read the whole history, write no cache
        stack.enter_context(mock.patch.object(HistoryCache, "load", return_value=None))
        stack.enter_context(mock.patch.object(HistoryCache, "save"))
    if "read" in layers:  # parse every queue file
        off = classmethod(lambda cls, repo, config, **options: cls(None, None))
        stack.enter_context(mock.patch.object(ReadCache, "open", off))
    if "render" in layers:  # render every card, row, markdown text and status.json record
        stack.enter_context(mock.patch.object(fragments.PageFragments, "get", return_value=None))
        stack.enter_context(mock.patch.object(fragments.FragmentCache, "save"))
    if "templates" in layers:  # compile every template
        stack.enter_context(mock.patch.object(fragments, "template_cache", return_value=None))
    return stack


def child(spec: dict[str, Any]) -> dict[str, Any]:
    """One `pipeline.build` as the spec says (`out` None: lint); what it took and made."""
    from generator import pipeline
    from generator.config import load_config
    from generator.timeutil import parse_now

    repo = Path(spec["repo"])
    out = Path(spec["out"]) if spec["out"] else None
    with without(spec["without"]):
        if spec["memory"]:
            tracemalloc.start()
        config = load_config(repo)
        if not spec["cache"]:
            config = replace(config, cache=replace(config.cache, enabled=False))
        progress = Recorder(spec["memory"])
        wall, cpu = time.perf_counter(), time.process_time()
        result = pipeline.build(repo, config, parse_now(spec["now"]), out, progress=progress)
        report: dict[str, Any] = {
            "stages": progress.stages,
            "in_wall": time.perf_counter() - wall,
            "in_cpu": time.process_time() - cpu,
            "rss_mb": _rss_mb(),
            "messages": len(result.board.messages),
            "commits": len(result.board.history.commits),
            "findings": len(result.findings),
        }
        if spec["memory"]:
            report["held"] = progress.held
            tracemalloc.stop()
    if out is not None:
        files = [p for p in out.rglob("*") if p.is_file()]
        report["pages"] = sum(1 for p in files if p.suffix == ".html" and "assets" not in p.parts)
        report["site_mb"] = sum(p.stat().st_size for p in files) / 1e6
    if spec["json"]:
        report["json"] = json_probe(result)
    return report


def json_probe(result: Any) -> dict[str, float]:
    """status.json of the whole board through the hand-written encoder and through the standard
    library's (`machine_outputs` with the document given; its lint outputs timed apart)."""
    from generator.render.outputs import machine_outputs, status_document

    document = status_document(result)
    start = time.process_time()
    direct = machine_outputs(result, status=document)
    both = time.process_time() - start
    start = time.process_time()
    machine_outputs(result, status={})
    lint_only = time.process_time() - start
    start = time.process_time()
    standard = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    stdlib = time.process_time() - start
    if standard != direct["status.json"]:
        raise AssertionError("the direct encoder's status.json differs from json.dumps'")
    return {"direct": both - lint_only, "stdlib": stdlib, "mb": len(standard) / 1e6}


def _rss_mb() -> float:
    # ru_maxrss is in KiB on Linux, bytes on macOS.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1 << 20) if sys.platform == "darwin" else rss / 1024


# --- the parent: boards, baselines, children, tables ----------------------------------------


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True, env=env
    )
    return done.stdout


def plain_git_log(repo: Path) -> dict[str, float]:
    """`git log -p` over the blackboard paths, its output thrown away: CPU and wall seconds."""
    cpu, wall = _children_cpu(), time.perf_counter()
    with open(os.devnull, "wb") as sink:
        subprocess.run(
            ["git", "log", "-p", "--", SCOREBOARD, QUEUE_DIR], cwd=repo, stdout=sink, check=True
        )
    return {"cpu": _children_cpu() - cpu, "wall": time.perf_counter() - wall}


def add_one_commit(repo: Path, at: datetime) -> None:
    """One more message, committed the way a session would."""
    path = repo / QUEUE_DIR / "to-sA.md"
    stamp = at.strftime("%Y-%m-%dT%H:%MZ")
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"## {stamp} · from:sB · to:sA · type:question · status:sent\n\nOne more?\n\n")
    who = "Porto (sB)", "porto.sb@synthetic.example"
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": at.isoformat(),
        "GIT_COMMITTER_DATE": at.isoformat(),
        "GIT_AUTHOR_NAME": who[0],
        "GIT_AUTHOR_EMAIL": who[1],
        "GIT_COMMITTER_NAME": who[0],
        "GIT_COMMITTER_EMAIL": who[1],
    }
    _git(repo, "add", "--", QUEUE_DIR, env=env)
    _git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "[sB] one more", env=env)


class Runner:
    """Runs children at one `now`: each with the user cache folder it is given (`xdg`)."""

    def __init__(self, now: str, off: tuple[str, ...] = ()) -> None:
        self.now = now
        self.off = off  # cache layers off in every run (`--without`)

    def run(
        self,
        repo: Path,
        xdg: Path,
        out: Path | None,
        *,
        cache: bool = True,
        off: tuple[str, ...] = (),
        memory: bool = False,
        json_probe: bool = False,
    ) -> dict[str, Any]:
        if out is not None and out.exists():
            shutil.rmtree(out)
        spec = {
            "repo": str(repo),
            "now": self.now,
            "out": str(out) if out is not None else None,
            "cache": cache,
            "without": sorted({*self.off, *off}),
            "memory": memory,
            "json": json_probe,
        }
        env = {**os.environ, "XDG_CACHE_HOME": str(xdg), "CI": "", "PYTHONHASHSEED": "0"}
        cpu, wall = _children_cpu(), time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.run", "--child", json.dumps(spec)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
        )
        if done.returncode != 0:
            raise RuntimeError(f"child failed ({done.returncode}):\n{done.stderr[-3000:]}")
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        result["cpu"] = _children_cpu() - cpu
        result["wall"] = time.perf_counter() - wall
        return result


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run of median CPU time (its stages and sizes are kept together)."""
    ranked = sorted(runs, key=lambda r: float(r["cpu"]))
    chosen = dict(ranked[(len(ranked) - 1) // 2])
    chosen["cpus"] = [r["cpu"] for r in runs]
    chosen["rss_mb"] = max(r["rss_mb"] for r in runs)
    return chosen


def board_for(size: Size, work: Path, say: Any) -> tuple[Path, dict[str, Any]]:
    """The board of `size` in `work`: built (streamed into fast-import), or reused when a kept
    one is there (reset to its original head, its caches removed)."""
    repo = work / size.name
    marker = work / f"{size.name}.board.json"
    if marker.exists() and repo.exists():
        meta: dict[str, Any] = json.loads(marker.read_text())
        if meta.get("size") == asdict(size):
            _git(repo, "reset", "-q", "--hard", meta["head"])
            shutil.rmtree(repo / CACHE_DIR, ignore_errors=True)
            say(f"  reusing the board in {repo}")
            return repo, meta
    shutil.rmtree(repo, ignore_errors=True)
    cpu, wall = _children_cpu(), time.perf_counter()
    own = time.process_time()
    built = build_synthetic(repo, size)
    meta = {
        "size": asdict(size),
        "head": _git(repo, "rev-parse", "HEAD").strip(),
        "commits": built.commits,
        "messages": built.messages,
        "now": built.now.isoformat(),
        "queue_mb": built.queue_bytes / 1e6,
        "git_mb": sum(p.stat().st_size for p in (repo / ".git").rglob("*") if p.is_file()) / 1e6,
        "build_cpu": time.process_time() - own + _children_cpu() - cpu,
        "build_wall": time.perf_counter() - wall,
    }
    marker.write_text(json.dumps(meta))
    return repo, meta


def measure(
    size: Size,
    work: Path,
    repeat: int,
    layers: bool,
    memory: bool,
    say: Any,
    r: dict[str, Any],
    off: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Every measurement of one size, into `r` as they come (a failure keeps the rest)."""
    repo, meta = board_for(size, work, say)
    say(
        f"  board: {meta['messages']:,} messages, {meta['commits']:,} commits, .git "
        f"{meta['git_mb']:.0f} MB, built in {meta['build_wall']:.0f} s"
    )
    now = (datetime.fromisoformat(meta["now"]) + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%MZ")
    runner = Runner(now, off)
    site = work / f"{size.name}-site"
    xdg = work / f"{size.name}-xdg"
    saved = work / f"{size.name}-saved"
    r.update(size=asdict(size), board=meta, load_start=os.getloadavg())

    def fresh(folder: Path) -> Path:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return folder

    def restore() -> None:
        """The caches as the cold build left them (repository folder and user folder)."""
        for name, target in ((CACHE_DIR, repo / CACHE_DIR), ("xdg", xdg)):
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(saved / name, target)

    r["git_log"] = min((plain_git_log(repo) for _ in range(repeat)), key=lambda g: g["cpu"])
    say(f"  git log -p: {r['git_log']['cpu']:.1f} s CPU")
    r["lint_nocache"] = _median(
        [runner.run(repo, fresh(xdg), None, cache=False) for _ in range(repeat)]
    )
    say(f"  lint, no cache: {r['lint_nocache']['cpu']:.1f} s CPU")
    colds = []
    for _ in range(repeat):
        shutil.rmtree(repo / CACHE_DIR, ignore_errors=True)
        colds.append(runner.run(repo, fresh(xdg), site))
    r["cold"] = _median(colds)
    say(f"  cold build: {r['cold']['cpu']:.1f} s CPU, peak {r['cold']['rss_mb']:.0f} MB")
    fresh(saved)
    shutil.copytree(repo / CACHE_DIR, saved / CACHE_DIR)
    shutil.copytree(xdg, saved / "xdg")
    r["cache_mb"] = sum(p.stat().st_size for p in (saved / CACHE_DIR).rglob("*")) / 1e6

    add_one_commit(repo, datetime.fromisoformat(meta["now"]) + timedelta(minutes=10))
    warms = []
    for _ in range(repeat):
        restore()
        warms.append(runner.run(repo, xdg, site))
    r["rebuild"] = _median(warms)
    say(f"  rebuild after one commit: {r['rebuild']['cpu']:.2f} s CPU")
    lints = []
    for _ in range(repeat):
        restore()
        lints.append(runner.run(repo, xdg, None))
    r["lint_warm"] = _median(lints)

    # CI: a fresh clone at the new commit, the cache folder restored, a runner's new user folder.
    clone = work / f"{size.name}-ci"
    shutil.rmtree(clone, ignore_errors=True)
    _git(work, "clone", "-q", str(repo), str(clone))
    cis = []
    for _ in range(repeat):
        shutil.rmtree(clone / CACHE_DIR, ignore_errors=True)
        shutil.copytree(saved / CACHE_DIR, clone / CACHE_DIR)
        cis.append(runner.run(clone, fresh(work / f"{size.name}-ci-xdg"), None))
    r["lint_ci"] = _median(cis)
    say(f"  lint, warm: {r['lint_warm']['cpu']:.2f} s; CI-style: {r['lint_ci']['cpu']:.2f} s CPU")

    if layers:
        r["layers"] = {}
        for layer in (x for x in LAYERS if x not in off):
            runs = []
            try:
                for _ in range(repeat):
                    restore()
                    runs.append(runner.run(repo, xdg, site, off=(layer,)))
            except RuntimeError as exc:  # a layer's switch no longer fits the code: say so
                say(f"  rebuild without the {layer} cache failed: {str(exc)[-300:]}")
                continue
            r["layers"][layer] = _median(runs)
            say(f"  rebuild without the {layer} cache: {r['layers'][layer]['cpu']:.2f} s CPU")
        restore()
        probe = runner.run(
            repo, fresh(work / f"{size.name}-probe-xdg"), None, cache=False, json_probe=True
        )
        r["json"] = probe["json"]
    if memory:
        shutil.rmtree(repo / CACHE_DIR, ignore_errors=True)
        r["memory"] = runner.run(repo, fresh(xdg), site, memory=True)
        say("  memory profile taken")
    shutil.rmtree(clone, ignore_errors=True)
    r["load_end"] = os.getloadavg()
    return r


def machine() -> dict[str, str]:
    def run(*cmd: str) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
        except OSError:
            return ""

    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in run("lscpu").splitlines()
            if line.startswith("Model name")
        ),
        platform.processor() or platform.machine(),
    )
    try:
        kib = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        ram = f"{kib / (1 << 20):.0f} GiB"
    except (OSError, StopIteration, ValueError):
        ram = "unknown"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return {
        "cpu": model,
        "nproc": run("nproc").strip() or str(os.cpu_count()),
        "ram": ram,
        "python": platform.python_version(),
        "git": run("git", "--version").strip().removeprefix("git version "),
        "load": load,
    }


# --- tables ---------------------------------------------------------------------------------


def _t(run: dict[str, Any]) -> str:
    return f"{run['cpu']:.2f} s ({run['wall']:.1f} s)"


def _stage(run: dict[str, Any], name: str, key: str = "cpu") -> float:
    return float(run["stages"].get(name, {}).get(key, 0.0))


def _beyond_mkdocs(run: dict[str, Any]) -> float:
    """The tool's own in-process CPU time: every stage but mkdocs."""
    return sum(_stage(run, s) for s in STAGES if s != "mkdocs")


def tables(results: list[dict[str, Any]]) -> str:
    out = [
        "CPU seconds of the run's process and its git processes (wall seconds in brackets); "
        "each run a fresh process.",
        "",
        "| messages | commits | plain `git log -p` | cold build | rebuild after one commit "
        "| lint, no cache | lint, warm | CI-style lint | Python peak (cold build) |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        g = r["git_log"]
        out.append(
            f"| {r['board']['messages']:,} | {r['board']['commits']:,} | "
            f"{g['cpu']:.2f} s ({g['wall']:.1f} s) | {_t(r['cold'])} | {_t(r['rebuild'])} | "
            f"{_t(r['lint_nocache'])} | {_t(r['lint_warm'])} | {_t(r['lint_ci'])} | "
            f"{r['cold']['rss_mb']:.0f} MB |"
        )
    out += [
        "",
        "| messages | cold ÷ git log (≤ 1.3 at 20k) | rebuild ÷ git log (≤ 0.1 at 20k) "
        "| rebuild beyond mkdocs (≤ 0.5 s at 5k) | mkdocs: cold, rebuild | CI ÷ warm lint "
        "(≤ 1.5) | pages | site | cache folder | load at start → end |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        c, w, g = r["cold"], r["rebuild"], r["git_log"]["cpu"]
        out.append(
            f"| {r['board']['messages']:,} | {c['cpu'] / g:.2f}× | {w['cpu'] / g:.3f}× | "
            f"{_beyond_mkdocs(w):.2f} s | {_stage(c, 'mkdocs'):.1f} s "
            f"({_stage(c, 'mkdocs') / c['cpu']:.0%}), {_stage(w, 'mkdocs'):.1f} s "
            f"({_stage(w, 'mkdocs') / w['cpu']:.0%}) | "
            f"{r['lint_ci']['cpu'] / r['lint_warm']['cpu']:.2f}× | {c['pages']} | "
            f"{c['site_mb']:.0f} MB | {r['cache_mb']:.0f} MB | "
            f"{r['load_start'][0]:.1f} → {r['load_end'][0]:.1f} |"
        )
    out += [
        "",
        "Stages (CPU seconds in the process; `history` runs in a thread during `read`, its own "
        "wall time in brackets; outside the stages: start-up, imports and the git processes):",
        "",
        "| messages | run | read | history | analyse | pages | mkdocs | outputs "
        "| outside the stages |",
        "|--:|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        for label, key in (
            ("cold build", "cold"),
            ("rebuild", "rebuild"),
            ("lint, no cache", "lint_nocache"),
        ):
            run = r[key]
            cells = []
            for s in STAGES:
                if s not in run["stages"]:
                    cells.append("–")
                elif s == "history":
                    cells.append(f"{_stage(run, s):.2f} ({_stage(run, s, 'own wall'):.2f} s)")
                else:
                    cells.append(f"{_stage(run, s):.2f}")
            out.append(
                f"| {r['board']['messages']:,} | {label} | "
                + " | ".join(cells)
                + f" | {run['cpu'] - run['in_cpu']:.2f} |"
            )
    if len(results) > 1:
        out += [
            "",
            "Growth between sizes: the ratio of CPU times ÷ the ratio of messages (1 = linear):",
            "",
            "| messages | `git log -p` | cold build | rebuild | lint, no cache | Python peak |",
            "|---|--:|--:|--:|--:|--:|",
        ]
        for a, b in itertools.pairwise(results):
            n = b["board"]["messages"] / a["board"]["messages"]

            def slope(get: Any, a: dict[str, Any] = a, b: dict[str, Any] = b, n: float = n) -> str:
                return f"{get(b) / get(a) / n:.2f}"

            out.append(
                f"| {a['board']['messages']:,} → {b['board']['messages']:,} | "
                f"{slope(lambda r: r['git_log']['cpu'])} | {slope(lambda r: r['cold']['cpu'])} | "
                f"{slope(lambda r: r['rebuild']['cpu'])} | "
                f"{slope(lambda r: r['lint_nocache']['cpu'])} | "
                f"{slope(lambda r: r['cold']['rss_mb'])} |"
            )
    with_layers = [r for r in results if "layers" in r]
    if with_layers:
        out += [
            "",
            "What each cache layer saves on the rebuild after one commit (CPU seconds; the "
            "rebuild with every layer, then without one):",
            "",
            "| messages | every layer | "
            + " | ".join(f"without {x}" for x in LAYERS)
            + " | status.json: direct encoder vs `json.dumps` |",
            "|--:|--:|" + "--:|" * len(LAYERS) + "--:|",
        ]
        for r in with_layers:
            base = r["rebuild"]["cpu"]
            cells = [
                f"{r['layers'][x]['cpu']:.2f} s ({r['layers'][x]['cpu'] - base:+.2f})"
                if x in r["layers"]
                else "–"
                for x in LAYERS
            ]
            j = r.get("json", {"direct": 0.0, "stdlib": 0.0, "mb": 0.0})
            out.append(
                f"| {r['board']['messages']:,} | {base:.2f} s | "
                + " | ".join(cells)
                + f" | {j['direct']:.2f} s vs {j['stdlib']:.2f} s ({j['mb']:.0f} MB) |"
            )
    for r in results:
        if "memory" not in r:
            continue
        held = r["memory"]["held"]
        out += [
            "",
            f"Memory of the cold build at {r['board']['messages']:,} messages (tracemalloc; "
            f"peak RSS under it {r['memory']['rss_mb']:.0f} MB): traced at each stage's end, "
            "the stage's peak, and the largest holders where the most is held:",
            "",
            "| stage | held | peak in the stage |",
            "|---|--:|--:|",
        ]
        for name, h in held.items():
            out.append(f"| {name} | {h['current_mb']:.0f} MB | {h['peak_mb']:.0f} MB |")
        name, most = max(held.items(), key=lambda kv: kv[1]["current_mb"])
        out += ["", f"At the end of `{name}`:", "", "| where | MB | blocks |", "|---|--:|--:|"]
        out += [f"| `{w}` | {mb:.1f} | {n:,} |" for w, mb, n in most["top"]]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--sizes", default="1k,2k", help="comma-separated: " + ", ".join(SIZES))
    parser.add_argument("--repeat", type=int, default=1, help="runs of each kind; medians shown")
    parser.add_argument("--keep", metavar="DIR", help="keep the boards here (and reuse them)")
    parser.add_argument("--layers", action="store_true", help="the rebuild without each cache")
    parser.add_argument(
        "--without",
        default="",
        metavar="LAYERS",
        help="cache layers off in every run, comma-separated: " + ", ".join(LAYERS),
    )
    parser.add_argument("--memory", action="store_true", help="a cold build under tracemalloc")
    parser.add_argument("--json", metavar="FILE", help="also write every measurement here")
    parser.add_argument("--child", metavar="SPEC", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        from generator.cli import exit_now

        print(json.dumps(child(json.loads(args.child))))
        exit_now(0)  # as the `statusboard` command ends: no freeing of every object at exit
    unknown = [s for s in args.sizes.split(",") if s.strip() and s.strip() not in SIZES]
    if unknown:
        parser.error(f"unknown size {', '.join(unknown)}; sizes: {', '.join(SIZES)}")
    sizes = [SIZES[s.strip()] for s in args.sizes.split(",") if s.strip()]
    off = tuple(x.strip() for x in args.without.split(",") if x.strip())
    if any(x not in LAYERS for x in off):
        parser.error(f"unknown layer in --without {args.without}; layers: {', '.join(LAYERS)}")
    host = machine()
    print(
        f"Machine: {host['cpu']}, nproc {host['nproc']}, {host['ram']} RAM, Python "
        f"{host['python']}, git {host['git']}; load average {host['load']} at the start\n",
        flush=True,
    )
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="statusboard-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    def say(text: str) -> None:
        print(text, flush=True)

    results: list[dict[str, Any]] = []
    try:
        for size in sizes:
            say(f"· {size.name}: {size.messages:,} messages, {size.commits:,} commits …")
            results.append({})
            measure(
                size, work, max(args.repeat, 1), args.layers, args.memory, say, results[-1], off
            )
    finally:
        if args.json:  # what was measured, even when a run failed
            Path(args.json).write_text(json.dumps({"machine": host, "results": results}))
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(tables(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
