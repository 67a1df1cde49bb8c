"""Small text helpers the readers share: verbatim blocks and quoting text in messages.

`clip` and `or_list` live in `generator.textutil` (the rules quote text too); they are imported
here so that every reader finds its helpers in one place.
"""

from __future__ import annotations

from generator.model import RawBlock, SourceRef
from generator.textutil import clip, or_list

__all__ = ["clip", "or_list", "raw_block", "trimmed_range"]


def trimmed_range(lines: list[str], start: int, end: int) -> tuple[int, int]:
    """[start, end) narrowed so that it neither starts nor ends with a blank line."""
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return start, end


def raw_block(path: str, lines: list[str], start: int, end: int) -> RawBlock | None:
    """Lines [start, end) kept verbatim, blank lines at both ends trimmed; None when empty."""
    start, end = trimmed_range(lines, start, end)
    if start >= end:
        return None
    return RawBlock(SourceRef(path, start + 1), "\n".join(lines[start:end]))
