"""Claimed paths as sets of files: whether a claim covers a path, and whether two claims overlap.

A claimed path is a repository-relative POSIX path or glob, written in the Scope cell. Its meaning
here:

- It covers what it matches **and everything beneath**, like a git pathspec: `services/payments`
  covers `services/payments/retry.py`; `services/*` covers `services/payments/retry.py` too.
- `*` and `?` match within one segment, `**` as a whole segment matches any number of segments,
  `[...]` is a character class, `{a,b}` alternatives are expanded first (wcmatch's own bracex).
- Dotfiles are not special (`*` matches `.env`): a claim is about files, not about shell listing.

Two claims overlap when some path is covered by both. For `*`, `?`, `**` and literals this is
decided exactly (a two-pattern match, segment by segment, then character by character). Where an
exact answer would need more — a character range wider than 512 code points, or extglob forms like
`@(a|b)`, which are read as `*` — the answer leans towards "overlap": a false alarm is fixed by
narrowing a Scope cell, a missed overlap is two sessions editing the same file.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import bracex
from wcmatch import glob

_EXTGLOB = re.compile(r"[@!+*?]\(")
_MAX_RANGE = 512  # enumerate character ranges up to this size; wider ones are taken to overlap

# A token of one path segment: `*`, `?`, a literal character, or a class (negated, members, ranges).
_Token = tuple[str, bool, frozenset[str], tuple[tuple[str, str], ...]]
_STAR: _Token = ("*", False, frozenset(), ())
_ANY: _Token = ("?", False, frozenset(), ())


def normalise(pattern: str) -> str:
    """A claimed path without `./`, a leading or trailing `/`, or doubled slashes."""
    text = pattern.strip()  # a backslash stays: in a glob it escapes the next character
    while text.startswith("./"):
        text = text[2:]
    text = re.sub(r"/{2,}", "/", text).strip("/")
    return text


def _expand(pattern: str) -> tuple[str, ...]:
    try:
        return tuple(bracex.expand(pattern, keep_escapes=True, limit=256)) or (pattern,)
    except Exception:  # bracex raises on runaway expansions; keep the pattern as written
        return (pattern,)


def _segments(pattern: str, beneath: bool = True) -> tuple[str, ...]:
    # Everything beneath a match is covered too: `a/b` means `a/b/**` (a no-op after a final `**`).
    parts = tuple(s for s in normalise(pattern).split("/") if s and s != ".")
    if beneath and (not parts or parts[-1] != "**"):
        parts = (*parts, "**")
    return tuple("*" if _EXTGLOB.search(s) else s for s in parts)


def overlaps(a: str, b: str) -> bool:
    """True when some path is covered by both claimed paths `a` and `b`."""
    return any(_segments_meet(_segments(x), _segments(y)) for x in _expand(a) for y in _expand(b))


def covers(pattern: str, path: str) -> bool:
    """True when the claimed `pattern` covers the file or folder `path`."""
    target = _segments(glob.escape(normalise(path)), beneath=False)
    return any(_segments_meet(_segments(x), target) for x in _expand(pattern))


@lru_cache(maxsize=4096)
def _segments_meet(p: tuple[str, ...], q: tuple[str, ...]) -> bool:
    @cache
    def meet(i: int, j: int) -> bool:
        if i == len(p) and j == len(q):
            return True
        if i < len(p) and p[i] == "**":
            return meet(i + 1, j) or (j < len(q) and meet(i, j + 1))
        if j < len(q) and q[j] == "**":
            return meet(i, j + 1) or (i < len(p) and meet(i + 1, j))
        if i == len(p) or j == len(q):
            return False
        return _segment_meets(p[i], q[j]) and meet(i + 1, j + 1)

    return meet(0, 0)


@lru_cache(maxsize=4096)
def _segment_meets(a: str, b: str) -> bool:
    """True when some single segment (a file or folder name) matches both segment patterns."""
    s, t = _tokens(a), _tokens(b)

    @cache
    def meet(i: int, j: int) -> bool:
        if i == len(s) and j == len(t):
            return True
        if i < len(s) and s[i] is _STAR:
            return meet(i + 1, j) or (j < len(t) and meet(i, j + 1))
        if j < len(t) and t[j] is _STAR:
            return meet(i, j + 1) or (i < len(s) and meet(i + 1, j))
        if i == len(s) or j == len(t):
            return False
        return _chars_meet(s[i], t[j]) and meet(i + 1, j + 1)

    return meet(0, 0)


def _tokens(segment: str) -> tuple[_Token, ...]:
    out: list[_Token] = []
    i = 0
    while i < len(segment):
        c = segment[i]
        if c == "*":
            if not out or out[-1] is not _STAR:  # `**` inside a segment is just `*`
                out.append(_STAR)
            i += 1
        elif c == "?":
            out.append(_ANY)
            i += 1
        elif c == "\\" and i + 1 < len(segment):
            out.append(("lit", False, frozenset(segment[i + 1]), ()))
            i += 2
        elif c == "[":
            parsed = _char_class(segment, i)
            if parsed is None:
                out.append(("lit", False, frozenset("["), ()))
                i += 1
            else:
                token, i = parsed
                out.append(token)
        else:
            out.append(("lit", False, frozenset(c), ()))
            i += 1
    return tuple(out)


def _char_class(segment: str, start: int) -> tuple[_Token, int] | None:
    """Parse `[...]` at `start`: the token and the index after `]`; None when it is unclosed."""
    i = start + 1
    negated = i < len(segment) and segment[i] in "!^"
    if negated:
        i += 1
    members: set[str] = set()
    ranges: list[tuple[str, str]] = []
    first = True
    while i < len(segment) and (first or segment[i] != "]"):
        first = False
        c = segment[i]
        if i + 2 < len(segment) and segment[i + 1] == "-" and segment[i + 2] != "]":
            ranges.append((c, segment[i + 2]))
            i += 3
        else:
            members.add(c)
            i += 1
    if i >= len(segment):
        return None
    return ("class", negated, frozenset(members), tuple(ranges)), i + 1


def _chars_meet(x: _Token, y: _Token) -> bool:
    if x[0] == "?" or y[0] == "?":
        return True
    if x[0] == "lit" and y[0] == "lit":
        return x[2] == y[2]
    if x[0] == "lit":
        return _in_class(next(iter(x[2])), y)
    if y[0] == "lit":
        return _in_class(next(iter(y[2])), x)
    if x[1] and y[1]:
        return True  # two negated classes exclude a few characters each: some other one is left
    positive, other = (y, x) if x[1] else (x, y)
    chars = _enumerate(positive)
    # a range too wide to list is taken to overlap (the documented lean)
    return True if chars is None else any(_in_class(c, other) for c in chars)


def _in_class(char: str, token: _Token) -> bool:
    _, negated, members, ranges = token
    inside = char in members or any(lo <= char <= hi for lo, hi in ranges)
    return inside != negated


def _enumerate(token: _Token) -> set[str] | None:
    chars = set(token[2])
    for lo, hi in token[3]:
        if ord(hi) - ord(lo) > _MAX_RANGE:
            return None
        chars.update(chr(n) for n in range(ord(lo), ord(hi) + 1))
    return chars
