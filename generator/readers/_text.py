"""Small text helpers the readers share: verbatim blocks and quoting text in messages."""

from __future__ import annotations

from generator.model import RawBlock, SourceRef


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


def clip(text: str, limit: int = 60) -> str:
    """Text quoted in a problem message: one line, at most `limit` characters, no backticks."""
    flat = " ".join(text.split()).replace("`", "'")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def or_list(items: list[str]) -> str:
    """`a`, `a or b`, `a, b or c`."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]
