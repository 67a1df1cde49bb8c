"""What one run produces: the read board, the facts derived from it and the lint findings.

At the bottom of the dependency graph (it needs only the model, the configuration and the
analysis context), so every renderer can take a `Result` without importing the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from generator.analysis import Context
from generator.config import Config
from generator.model import Board, Finding
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
