"""Near misses for a mistyped name (a rule, a command): "did you mean …?"."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def near(word: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """The choices `word` was probably meant to be: close spellings first, then those that start
    with it or contain it (`stale` → stale-claim, stale-in-progress), at most `limit`."""
    options = sorted(set(choices))
    key = word.strip().lower()
    if not key:
        return []
    found = difflib.get_close_matches(key, options, n=limit, cutoff=0.75)
    found += [c for c in options if c.lower().startswith(key)]
    found += [c for c in options if key in c.lower()]
    found += difflib.get_close_matches(key, options, n=limit, cutoff=0.6)
    return list(dict.fromkeys(c for c in found if c != word))[:limit]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`; did you mean: a, b?` (empty when nothing is near)."""
    found = near(word, choices)
    return f"; did you mean: {', '.join(found)}?" if found else ""
