"""The pipeline, top to bottom: read → analyse → render. Only `render` writes."""

from __future__ import annotations

from collections.abc import Sequence
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
