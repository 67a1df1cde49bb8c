"""The blackboard's changes, per commit: `git log --raw` read into file changes, and each change
worked out from the old and the new version of the file (`changes`).

`parse` reads `git log --raw`; the hunks `changes` gives have `git diff -U0`'s shape and are
applied to the kept text of each file (history_board.py). Lines are decoded as UTF-8 (invalid
bytes replaced) and normalised as the readers normalise files: a trailing CR is dropped and a
byte-order mark at the start of the file is removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

RECORD = (
    b"\x1e\x1f"  # starts each commit: no diff line can begin with it (they begin with +-@ etc.)
)
FORMAT = "--format=%x1e%x1f%H"
_RAW = re.compile(rb"^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])\d*\t(.*)$")
_BOM = "\ufeff"
_ESCAPES = {
    "a": 7,
    "b": 8,
    "t": 9,
    "n": 10,
    "v": 11,
    "f": 12,
    "r": 13,
    '"': 34,
    "\\": 92,
}


@dataclass(slots=True)
class Hunk:
    """`@@ -old,n_old +new,n_new @@` and the added lines (normalised text)."""

    old: int  # 1-based; with n_old == 0 the line after which the new lines go
    n_old: int
    new: int
    n_new: int
    lines: list[str] = field(default_factory=list)


@dataclass(slots=True)
class FileDiff:
    """One file's change in one commit."""

    path: str
    status: str = "M"  # A added, D deleted, M modified, T type changed
    mode: str = "100644"  # the new mode (`120000` a symbolic link, `160000` a submodule)
    blob: str | None = None  # the new blob's sha
    old_blob: str | None = None  # the old blob's sha (None: the file is new)
    binary: bool = False
    hunks: list[Hunk] = field(default_factory=list)

    @property
    def regular(self) -> bool:
        return self.mode.startswith("100")


@dataclass(slots=True)
class CommitDiff:
    """Every blackboard file a commit changed (against its first parent)."""

    sha: str
    files: dict[str, FileDiff] = field(default_factory=dict)


def unquote(path: bytes) -> str:
    """A path as git prints it: C-quoted (`"a\\tb"`, octal escapes) when it has unusual bytes."""
    if not path.startswith(b'"') or not path.endswith(b'"') or len(path) < 2:
        return path.decode("utf-8", "replace")
    body = path[1:-1].decode("latin-1")
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\" or i + 1 >= len(body):
            out.append(ord(c))
            i += 1
            continue
        nxt = body[i + 1]
        digits = body[i + 1 : i + 4]
        if len(digits) == 3 and all(d in "01234567" for d in digits):
            out.append(int(digits, 8) & 0xFF)
            i += 4
        else:
            out.append(_ESCAPES.get(nxt, ord(nxt)))
            i += 2
    return out.decode("utf-8", "replace")


def parse(chunks: Iterable[bytes]) -> Iterator[CommitDiff]:
    """Commits from the bytes of `git log --raw --no-abbrev FORMAT`, in the order git sends them:
    each changed file with its status, new mode and old and new blobs (the hunks are `changes`')."""
    commit: CommitDiff | None = None
    for batch in _batches(chunks):
        for line in batch:
            if line.startswith(RECORD):
                if commit is not None:
                    yield commit
                commit = CommitDiff(line[len(RECORD) :].decode("ascii").strip())
                continue
            if commit is None or not line.startswith(b":"):
                continue
            m = _RAW.match(line)
            if m:
                path = unquote(m.group(6))
                commit.files[path] = FileDiff(
                    path,
                    m.group(5).decode(),
                    m.group(2).decode(),
                    m.group(4).decode() if m.group(5) != b"D" else None,
                    m.group(3).decode() if m.group(3).strip(b"0") else None,
                )
    if commit is not None:
        yield commit


def _batches(chunks: Iterable[bytes]) -> Iterator[list[bytes]]:
    """The lines of the stream, a chunk's worth at a time."""
    rest = b""
    for chunk in chunks:
        if not chunk:
            continue
        parts = (rest + chunk).split(b"\n")
        rest = parts.pop()
        yield parts
    if rest:
        yield [rest]


# What git's diff looks at to call a version binary (`buffer_is_binary`: a NUL in the first 8000
# bytes); such a change has no hunks, and the walk reads the new version whole.
_BINARY_PROBE = 8000
_STEP = 1 << 16
# A span longer than this (bytes, both sides) is worth looking into for a run both share; the run
# is looked for by the first _ANCHOR bytes of each of the span's first _ANCHOR_LINES lines.
_SPLIT = 4096
_ANCHOR = 128
_ANCHOR_LINES = 4


class Change(NamedTuple):
    """What `changes` found: the hunks, whether git would call it binary, and the number of lines
    of the old and of the new version (a last line without a newline counts too)."""

    hunks: list[Hunk]
    binary: bool
    old_lines: int
    new_lines: int


def changes(old: bytes | None, new: bytes, new_lines: int | None = None) -> Change:
    """The change from the `old` version of a file (None: it is new) to the `new` one, in hunks of
    `git diff -U0`'s shape: the lines between what both versions share at their start and at their
    end (no hunk when they are the same), cut in two where a long run both share lies between two
    changes (`_split`); and whether git would call it binary.
    `new_lines`: the new version's number of lines, when known (counting them costs a pass; the
    versions are read newest first, so the old one's comes back for the next older change).

    git's own diff may cut a change into more hunks, with unchanged lines between; the walk
    re-reads from the first changed line to the last either way (history_board._apply), so the
    replayed history is the same. Lines are normalised as `parse` normalises a diff's.
    """
    before = old or b""
    total = new_lines if new_lines is not None else _line_count(new, 0, len(new))
    if b"\0" in before[:_BINARY_PROBE] or b"\0" in new[:_BINARY_PROBE]:
        return Change([], True, _line_count(before, 0, len(before)), total)
    if len(new) >= len(before) and new.startswith(before):
        start = len(before)  # most changes add at the end: one comparison, no search
    else:
        start = _shared_start(before, new)
    if start == len(before) == len(new):
        return Change([], False, total, total)
    start = before.rfind(b"\n", 0, start) + 1  # back to the start of the first differing line
    end_old, end_new = _shared_end(before, new, start)
    # The lines before the span, from the end: the shared end is short where a change is late.
    first = total - _line_count(new, start, len(new))
    spans = [(start, end_old, start, end_new)]
    if end_old - start > _SPLIT and end_new - start > _SPLIT:
        spans = _split(before, new, start, end_old, end_new) or spans
    hunks: list[Hunk] = []
    line = first  # lines before the next span, in both versions
    at_old = start
    for a0, a1, b0, b1 in spans:
        if a0 == a1 and b0 == b1:
            continue  # the shared run reaches the end: nothing changed after it
        line += _line_count(before, at_old, a0)  # the lines both share between two spans
        removed = _line_count(before, a0, a1)
        added = new[b0:b1].split(b"\n") if b1 > b0 else []
        if added and added[-1] == b"":
            added.pop()
        lines = [(a[:-1] if a.endswith(b"\r") else a).decode("utf-8", "replace") for a in added]
        if lines and line == 0 and lines[0].startswith(_BOM):
            lines[0] = lines[0][1:]
        old_at = line + 1 if removed else line
        hunks.append(Hunk(old_at, removed, line + 1 if lines else line, len(lines), lines))
        # git numbers a hunk's new lines after the hunks before it: the new line count moves on
        line += len(lines)
        at_old = a1
        hunks[-1].old -= sum(h.n_new - h.n_old for h in hunks[:-1])
    old_total = total - sum(h.n_new - h.n_old for h in hunks)
    return Change(hunks, False, old_total, total)


def _split(
    a: bytes, b: bytes, start: int, end_a: int, end_b: int
) -> list[tuple[int, int, int, int]] | None:
    """Two spans instead of one where a long run of lines both share lies between two changes
    (an ack near the start of the span, a send at the file's end): the run is then neither
    decoded nor re-read. None where no such run is found near the span's start."""
    pos = start
    for _ in range(_ANCHOR_LINES):
        newline = a.find(b"\n", pos, end_a)
        if newline < 0:
            return None
        pos = newline + 1  # a line start in `a` after the first changed line(s)
        anchor = a[pos : pos + _ANCHOR]
        if len(anchor) < _ANCHOR:
            return None
        q = b.find(anchor, start, min(end_b, pos + _SPLIT))
        while q >= 0 and q > start and b[q - 1 : q] != b"\n":
            q = b.find(anchor, q + 1, min(end_b, pos + _SPLIT))
        if q < 0:
            continue
        run = _shared_start(a, b, pos, q, min(end_a - pos, end_b - q))
        run = a.rfind(b"\n", pos, pos + run) + 1 - pos  # whole lines only
        if run <= 0 or run < (end_a - pos) // 2:
            continue
        return [(start, pos, start, q), (pos + run, end_a, q + run, end_b)]
    return None


def _shared_start(a: bytes, b: bytes, i: int = 0, j: int = 0, limit: int | None = None) -> int:
    """How many bytes a[i:] and b[j:] share at their start, at most `limit` (compared a block at a
    time, in C)."""
    if limit is None:
        limit = min(len(a) - i, len(b) - j)
    n = 0
    while n + _STEP <= limit and a[i + n : i + n + _STEP] == b[j + n : j + n + _STEP]:
        n += _STEP
    lo, hi = n, min(n + _STEP, limit) + 1  # the first lo bytes are shared, the first hi are not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[i + n : i + mid] == b[j + n : j + mid]:
            lo = mid
        else:
            hi = mid
    return lo


def _shared_end(a: bytes, b: bytes, start: int) -> tuple[int, int]:
    """Where the lines both share at their end begin, in `a` and in `b` (not before `start`,
    and each at the start of a line in both)."""
    limit = min(len(a), len(b)) - start
    n = 0
    while (
        n + _STEP <= limit
        and a[len(a) - n - _STEP : len(a) - n] == b[len(b) - n - _STEP : len(b) - n]
    ):
        n += _STEP
    lo, hi = n, min(n + _STEP, limit) + 1  # the last lo bytes are shared, the last hi are not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[len(a) - mid : len(a) - n] == b[len(b) - mid : len(b) - n]:
            lo = mid
        else:
            hi = mid
    end_a, end_b = len(a) - lo, len(b) - lo
    if (end_a > start and a[end_a - 1 : end_a] != b"\n") or (
        end_b > start and b[end_b - 1 : end_b] != b"\n"
    ):
        # Not at a line start in both: the shared lines begin after the next newline.
        newline = a.find(b"\n", end_a)
        step = newline + 1 - end_a if newline >= 0 else lo
        end_a, end_b = end_a + step, end_b + step
    return end_a, end_b


def _line_count(data: bytes, start: int, end: int) -> int:
    """The lines of data[start:end] (a last one without a newline counts)."""
    if end <= start:
        return 0
    return data.count(b"\n", start, end) + (data[end - 1 : end] != b"\n")
