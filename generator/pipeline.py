"""The pipeline, top to bottom: read → analyse → render. Only `render` writes."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from generator import rules as rule_registry
from generator.analysis import Context, build_context, run_rules
from generator.config import Config
from generator.model import Board, Finding
from generator.progress import Progress
from generator.rules.base import Rule


@dataclass(frozen=True, slots=True)
class Result:
    """Everything the renderers need: the board, the derived facts, the findings."""

    board: Board
    context: Context
    findings: tuple[Finding, ...]
    rules: tuple[Rule, ...]

    @property
    def config(self) -> Config:
        return self.context.config

    @property
    def now(self) -> datetime:
        return self.context.now


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run a build (read → analyse → render) with the cyclic garbage collector paused.

    A build makes millions of small objects (commits, trails, messages, views) that nearly all
    live until it ends. The collector would walk every one of them again each time the heap grew
    by a quarter, finding next to nothing: a third of a rebuild's time on a large board. Memory is
    still freed by reference counting as usual; the rare cycle waits for the collector's return.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextmanager
def collector_running() -> Iterator[None]:
    """Inside `collector_paused`: let the collector run for a while (mkdocs, whose own garbage
    has cycles, builds the site's HTML here)."""
    if gc.isenabled():
        yield
        return
    gc.enable()
    try:
        yield
    finally:
        gc.disable()


def read(repo: Path, config: Config, progress: Progress | None = None) -> Board:
    """Read every board source of `repo` (and its git history) into the frozen model."""
    from generator.readers import read_board

    with (progress or Progress.quiet()).stage("read"):
        return read_board(repo, config)


def analyse(
    board: Board,
    config: Config,
    now: datetime,
    rules: Sequence[Rule] | None = None,
    progress: Progress | None = None,
) -> Result:
    """Derive liveness and threads, and run the lint rules."""
    with (progress or Progress.quiet()).stage("analyse"):
        selected = tuple(rules) if rules is not None else rule_registry.RULES
        context = build_context(board, config, now, agents=(a.id for a in board.agents))
        return Result(board, context, run_rules(context, selected), selected)


def render(result: Result, out: Path, progress: Progress | None = None) -> Path:
    """Write the static site and the machine outputs into `out`; returns `out`."""
    from generator.render.site import render_site

    return render_site(result, out, progress or Progress.quiet())
