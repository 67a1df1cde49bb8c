"""The blackboard's diffs: one streamed `git log -p -U0 --raw` read into per-commit file changes.

Only the blackboard paths are asked for, with no context lines, so git sends just what changed;
hunks are applied to the kept text of each file (history_board.py). Lines are decoded as UTF-8
(invalid bytes replaced) and normalised as the readers normalise files: a trailing CR is dropped
and a byte-order mark at the start of the file is removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

RECORD = (
    b"\x1e\x1f"  # starts each commit: no diff line can begin with it (they begin with +-@ etc.)
)
FORMAT = "--format=%x1e%x1f%H"
_HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
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
    blob: str | None = None  # the new blob's sha, to fetch the content when the diff is binary
    binary: bool = False
    hunks: list[Hunk] = field(default_factory=list)
    # "\ No newline at end of file" after a removed / an added line
    eol_marker_old: bool = False
    eol_marker_new: bool = False

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


def _diff_path(line: bytes) -> str:
    """The path of a `diff --git a/P b/P` line (renames are off, so both sides name one path)."""
    rest = line[len(b"diff --git ") :]
    if rest.startswith(b'"'):
        end = rest.index(b'"', 1)
        while rest[end - 1 : end] == b"\\":
            end = rest.index(b'"', end + 1)
        return unquote(rest[: end + 1])[2:]
    half = (len(rest) - 1) // 2
    return rest[2:half].decode("utf-8", "replace")


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    return text[:-1] if text.endswith("\r") else text


def parse(chunks: Iterable[bytes]) -> Iterator[CommitDiff]:
    """Commits from the bytes of `git log -p -U0 --raw FORMAT`, in the order git sends them."""
    commit: CommitDiff | None = None
    current: FileDiff | None = None
    hunk: Hunk | None = None
    last_sign = b""
    for line in _lines(chunks):
        first = line[:1]
        if hunk is not None:
            if first == b"+":
                text = _text(line[1:])
                if hunk.new == 1 and not hunk.lines and text.startswith(_BOM):
                    text = text[1:]
                hunk.lines.append(text)
                last_sign = b"+"
                continue
            if first == b"-":
                last_sign = b"-"
                continue
            if first == b"\\" and current is not None:
                if last_sign == b"+":
                    current.eol_marker_new = True
                else:
                    current.eol_marker_old = True
                continue
            hunk = None
        if line.startswith(RECORD):
            if commit is not None:
                yield commit
            commit = CommitDiff(line[len(RECORD) :].decode("ascii").strip())
            current = None
        elif commit is None:
            continue
        elif first == b":":
            m = _RAW.match(line)
            if m:
                path = unquote(m.group(6))
                commit.files[path] = FileDiff(
                    path,
                    m.group(5).decode(),
                    m.group(2).decode(),
                    m.group(4).decode() if m.group(5) != b"D" else None,
                )
        elif line.startswith(b"diff --git "):
            path = _diff_path(line)
            current = commit.files.setdefault(path, FileDiff(path))
        elif current is None:
            continue
        elif first == b"@":
            m = _HUNK.match(line)
            if m:
                hunk = Hunk(
                    int(m.group(1)),
                    int(m.group(2)) if m.group(2) is not None else 1,
                    int(m.group(3)),
                    int(m.group(4)) if m.group(4) is not None else 1,
                )
                current.hunks.append(hunk)
                last_sign = b""
        elif line.startswith(b"Binary files ") or line.startswith(b"GIT binary patch"):
            current.binary = True
    if commit is not None:
        yield commit


def _lines(chunks: Iterable[bytes]) -> Iterator[bytes]:
    rest = b""
    for chunk in chunks:
        if not chunk:
            continue
        parts = (rest + chunk).split(b"\n")
        rest = parts.pop()
        yield from parts
    if rest:
        yield rest
