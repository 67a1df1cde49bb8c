"""The pipeline, top to bottom: read → analyse → render. Only `render` writes."""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from generator import rules as rule_registry
from generator.analysis import build_context, run_rules
from generator.collector import collector_paused
from generator.config import Config
from generator.model import Board, History
from generator.progress import Progress, plural
from generator.result import Result
from generator.rules.base import Rule


def read(
    repo: Path, config: Config, progress: Progress | None = None, *, save_cache: bool = True
) -> Board:
    """Read every board source of `repo` (and its git history) into the frozen model.

    `save_cache=False` uses the history and read caches where they are valid but writes nothing
    (neither cache files nor the signing key): a read-only run, as `statusboard inbox` is.
    """
    from generator.readers import read_board
    from generator.readers.history import read_history

    progress = progress or Progress.quiet()

    def walk() -> tuple[History, float]:
        start = time.perf_counter()
        return read_history(repo, config, save=save_cache), time.perf_counter() - start

    # The history walk waits on git most of the time: it runs while the files are read.
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="history")
    walking = pool.submit(walk)
    pool.shutdown(wait=False)
    with progress.stage("read") as stage:
        board = read_board(repo, config, history=History(), save_cache=save_cache)
        stage.count(plural(len(board.sources), "file"))
        stage.count(plural(len(board.messages), "message"))
    with progress.stage("history") as stage:
        history, seconds = walking.result()
        stage.count(plural(len(history.commits), "commit"))
        stage.took(seconds)
    return replace(board, history=history)


def analyse(
    board: Board,
    config: Config,
    now: datetime,
    rules: Sequence[Rule] | None = None,
    progress: Progress | None = None,
) -> Result:
    """Derive liveness and threads, and run the lint rules."""
    with (progress or Progress.quiet()).stage("analyse") as stage:
        selected = tuple(rules) if rules is not None else rule_registry.RULES
        context = build_context(board, config, now, agents=(a.id for a in board.agents))
        findings = run_rules(context, selected)
        stage.count(plural(len(context.sessions), "session"))
        stage.count(plural(len(findings), "finding"))
        return Result(board, context, findings, selected)


def render(
    result: Result, out: Path, progress: Progress | None = None, *, save_cache: bool = True
) -> Path:
    """Write the static site and the machine outputs into `out`; returns `out`. With
    `save_cache=False` the render cache is used where valid, and not written."""
    from generator.render.site import render_site

    return render_site(result, out, progress or Progress.quiet(), save_cache=save_cache)


def build(
    repo: Path,
    config: Config,
    now: datetime,
    out: Path | None = None,
    *,
    rules: Sequence[Rule] | None = None,
    progress: Progress | None = None,
    mkdocs_project: Path | None = None,
    save_cache: bool = True,
) -> Result:
    """The whole run, top to bottom: read → analyse → render (when `out` is given).

    Every entry point calls this: `statusboard build`/`lint`/`demo`/`serve`/`inbox`, the mkdocs
    plugin and the benchmark. Without `out` nothing is written but the caches (that is `lint`);
    with `save_cache=False` not even those: valid caches are read, new commits and changed files
    are worked out in memory, and no file is written (that is `inbox`, a session-start hook).
    """
    with collector_paused():
        board = read(repo, config, progress, save_cache=save_cache)
        result = analyse(board, config, now, rules, progress)
        if out is not None:
            render(result, out, progress, save_cache=save_cache)
        if mkdocs_project is not None:
            from generator.render.site import export_project

            export_project(result, mkdocs_project)
    return result
