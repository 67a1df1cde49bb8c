"""Progress on long work: one line per stage on a terminal (stderr), silence in CI or when piped.

The stages of a build: `history` (the git walk), `read` (the board files), `analyse` (liveness,
threads, the rules), `pages` (the generated markdown), `mkdocs` (the HTML), `outputs` (status.json
and the lint reports); each line says what it counted and how long it took. On an interactive
terminal a stage's line shows while it runs and is completed in place; with `-v` (or when
stderr is no terminal but `-v` asked for progress) each stage has a start and an end line, so
mkdocs' own log lines fall between them.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

_CI_OFF = ("", "0", "false", "no")


def in_ci() -> bool:
    """Whether a CI service runs us (they all set CI; `CI=false` or `CI=0` says no)."""
    return os.environ.get("CI", "").strip().lower() not in _CI_OFF


def plural(count: int, word: str) -> str:
    """`1 commit`, `2 commits`."""
    return f"{count} {word}{'' if count == 1 else 's'}"


class Stage:
    """The stage running now: what it counted, and (for work done in the background) its time."""

    def __init__(self) -> None:
        self.counts: list[str] = []
        self.seconds: float | None = None

    def count(self, text: str) -> None:
        """Add a count to the stage's line (`700 commits`)."""
        self.counts.append(text)

    def took(self, seconds: float) -> None:
        """The stage's real duration, when its work ran in the background before it was waited on."""
        self.seconds = seconds


class Progress:
    """Reports stages and their durations; `timings` keeps them for the build summary."""

    def __init__(self, stream: TextIO | None, verbose: bool = False, live: bool = False) -> None:
        self.stream = stream
        self.verbose = verbose
        self.live = live and not verbose  # complete each line in place (an interactive terminal)
        self.timings: dict[str, float] = {}

    @classmethod
    def quiet(cls) -> Progress:
        return cls(None)

    @classmethod
    def for_terminal(cls, verbose: bool = False) -> Progress:
        """Shown on an interactive stderr outside CI, or always with `verbose`."""
        interactive = sys.stderr.isatty() and not in_ci()
        stream = sys.stderr if (interactive or verbose) else None
        return cls(stream, verbose, live=interactive)

    @property
    def shown(self) -> bool:
        return self.stream is not None

    def note(self, text: str) -> None:
        """A line of detail (shown with progress)."""
        if self.stream is not None:
            print(f"  {text}", file=self.stream, flush=True)

    @contextmanager
    def stage(self, name: str) -> Iterator[Stage]:
        start = time.perf_counter()
        stage = Stage()
        if self.stream is not None:
            end = "" if self.live else "\n"
            print(f"statusboard: {name} …", end=end, file=self.stream, flush=True)
        try:
            yield stage
        finally:
            elapsed = time.perf_counter() - start
            seconds = stage.seconds if stage.seconds is not None else elapsed
            self.timings[name] = self.timings.get(name, 0.0) + elapsed
            if self.stream is not None:
                detail = ", ".join([*stage.counts, f"{seconds:.2f} s"])
                lead = "\r\033[K" if self.live else ""
                print(f"{lead}statusboard: {name}: {detail}", file=self.stream, flush=True)
