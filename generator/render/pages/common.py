"""What every page module shares: the site's shape, orderings, and findings by location."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from generator.analysis import Liveness
from generator.model import Finding, Severity

NavItem = str | dict[str, Any]
# Renders one page: `render(template, path, **context)`.
Render = Callable[..., None]
SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
LIVENESS_ORDER = (Liveness.LIVE, Liveness.IDLE, Liveness.STALE, Liveness.UNKNOWN)
# Names used verbatim in file names, nav titles and Material's unescaped templates: nothing a
# browser or Python-Markdown could read as markup, nothing case-folding file systems could merge.
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$")


@dataclass(frozen=True, slots=True)
class Site:
    """What `build_pages` returns: markdown pages, other files, and the nav."""

    pages: dict[str, str]
    files: dict[str, bytes]
    nav: list[NavItem]


def finding_key(f: Finding) -> tuple[int, str, int, str]:
    """Errors first, then by place: the order of the lint report and the overview's top findings."""
    return (-f.severity.rank, f.path, f.line or 0, f.message)


def findings_in(findings: Sequence[Finding], path: str, first: int, last: int) -> list[Finding]:
    """The findings on lines `first`..`last` of `path`, in their given order."""
    return [
        f for f in findings if f.path == path and f.line is not None and first <= f.line <= last
    ]


class FindingIndex:
    """`findings_in` for many ranges: the findings of each path by line, in their given order."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.by_path: dict[str, list[tuple[int, int, Finding]]] = defaultdict(list)
        for i, f in enumerate(findings):
            if f.line is not None:
                self.by_path[f.path].append((f.line, i, f))
        for entries in self.by_path.values():
            entries.sort(key=lambda e: e[:2])

    def within(self, path: str, first: int, last: int) -> list[Finding]:
        entries = self.by_path.get(path)
        if not entries:
            return []
        lo = bisect_left(entries, (first, -1), key=lambda e: e[:2])
        hits = []
        for entry in entries[lo:]:
            if entry[0] > last:
                break
            hits.append(entry)
        hits.sort(key=lambda e: e[1])
        return [f for _line, _i, f in hits]
