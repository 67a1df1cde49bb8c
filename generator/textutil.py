"""Quoting text in finding and problem messages: one line, clipped; `a, b or c` lists."""

from __future__ import annotations


def clip(text: str, limit: int = 60) -> str:
    """Text quoted in a problem message: one line, at most `limit` characters, no backticks."""
    flat = " ".join(text.split()).replace("`", "'")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def or_list(items: list[str]) -> str:
    """`a`, `a or b`, `a, b or c`."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]
