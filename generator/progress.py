"""Progress on long work: stage lines on a terminal (stderr), silence in CI or when piped."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


class Progress:
    """Reports stages and their durations; `timings` keeps them for the build summary."""

    def __init__(self, stream: TextIO | None, verbose: bool = False) -> None:
        self.stream = stream
        self.verbose = verbose
        self.timings: dict[str, float] = {}

    @classmethod
    def quiet(cls) -> Progress:
        return cls(None)

    @classmethod
    def for_terminal(cls, verbose: bool = False) -> Progress:
        """Shown on an interactive stderr outside CI, or always with `verbose`."""
        interactive = sys.stderr.isatty() and not os.environ.get("CI")
        return cls(sys.stderr if (interactive or verbose) else None, verbose)

    def note(self, text: str) -> None:
        if self.stream is not None:
            print(f"  {text}", file=self.stream, flush=True)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        if self.stream is not None:
            print(f"· {name} …", file=self.stream, flush=True)
        try:
            yield
        finally:
            elapsed = time.perf_counter() - start
            self.timings[name] = self.timings.get(name, 0.0) + elapsed
            if self.stream is not None:
                print(f"  {name} done in {elapsed:.2f} s", file=self.stream, flush=True)
