"""Replay the blackboard's commits oldest first: trails of the messages, spans of the claims.

Each queue file is kept as its lines and its blocks. A commit's hunks are applied to the lines, then
only the blocks around the changed lines are split again (queue_scan, from the enclosing block's
heading until the scan meets an unchanged block start), and only those are parsed. A block keeps its
identity by message id, or by its place in the file when its heading changed: comparing the new
parse with the old gives the events (added, status, ack, rewritten, deleted, restored). A block
that one commit removes from a queue file and adds to another, with the same id base and the same
heading fields and body, was moved: it keeps its trail (its first commit, its acks), and a later
edit of it is a rewrite, never a deletion. The scoreboard is read whole when its table changes
otherwise; a heartbeat, which rewrites one row in place, and a claim or a release, which adds or
removes rows of the table's body, have only the new rows read. Its rows are compared by session
id to give the claim spans.

Every credential in the lines a commit writes is redacted as everywhere else, and remembered once
per distinct value (kind, masked prefix, where, the commit that first wrote it; the value only as
a keyed hash): `secrets_for` gives those HEAD no longer holds, which only git's history still has.

Everything kept here is plain data (`dump` / `load`) so a cache can resume the walk at any commit.
"""

from __future__ import annotations

import bisect
import hashlib
import hmac
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any

from generator.model import (
    ClaimRow,
    ClaimSpan,
    Commit,
    HistorySecret,
    MessageEvent,
    MessageTrail,
    PresenceBeat,
)
from generator.readers import queue_scan
from generator.readers.history_diff import FileDiff
from generator.readers.mdtable import find_tables

# The queue and scoreboard readers' own pieces, so that a block or row means here what it means
# on the board (a test checks that the ids and states at HEAD agree with the readers').
from generator.readers.queue import MESSAGE_TYPES, STATES, ack_parts, known_value, parse_heading
from generator.readers.queue_scan import is_ack_line
from generator.readers.scoreboard import header_columns, read_row, read_scoreboard
from generator.readers.secrets import (
    Secret,
    find_in_path,
    find_secrets,
    may_hold_secret,
    redact_path,
    redact_text,
)
from generator.timeutil import parse_stamp

_BLANKS = re.compile(r"\n{3,}")
Fetch = Callable[[str], bytes | None]
# What an ack line may start with (`is_ack_line`: up to three of regex `\s`, then `-`, `*` or
# `+`); most body lines start with none of them and skip the regex.
_ACK_FIRST = frozenset(
    "-*+ \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_Entry = tuple[str | None, "_Row", str | None]  # a claim row: session id, summary, claimed (iso)


def _redact(text: str) -> str:
    """`redact_text`, skipped for the many lines that hold nothing a credential needs."""
    return redact_text(text) if may_hold_secret(text) else text


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


# --- one queue file --------------------------------------------------------------------------


@dataclass(slots=True)
class _Block:
    """A block of a queue file as last seen: where it starts and what its parse said."""

    start: int
    heading: str | None  # None: the preamble
    first_ack: int | None
    exact: bool
    base: str = ""  # the id base (`<stamp>-<from>`, or `L<line>`)
    id: str = ""
    status: str = "sent"
    fields: tuple[tuple[str, str], ...] = ()  # the heading without `status:` (redacted)
    body: str = ""  # digest of the body without ack lines
    acks: tuple[tuple[str, str, str, str], ...] = ()  # (digest, state, by, at iso) per ack line
    sender: str | None = None
    to: str | None = None
    type: str | None = None
    trail: int = -1  # index into Walk.trails
    key: str = ""  # digest of the block's text: an unchanged block is not parsed again
    summed: str = ""  # `digest()` once worked out (not kept in the cache: it follows from the rest)

    def digest(self) -> str:
        if not self.summed:
            self.summed = _digest(repr(self.fields) + "\n" + self.body)
        return self.summed

    @staticmethod
    def start_of(block: _Block) -> int:
        return block.start


class _Ids:
    """Message ids exactly as the queue reader gives them (`-2`, `-3` for repeats in a file)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.ids: set[str] = set()
        self.repeats: dict[str, int] = {}

    def new(self, base: str) -> str:
        n = self.repeats.get(base, 1)
        ident = f"{self.name}#{base}" if n == 1 else f"{self.name}#{base}-{n}"
        while ident in self.ids:
            n += 1
            ident = f"{self.name}#{base}-{n}"
        self.repeats[base] = n + 1
        self.ids.add(ident)
        return ident


@dataclass(slots=True)
class _Queue:
    path: str
    lines: list[str] | None = field(default_factory=list)  # None: unknown (binary, unreadable)
    blocks: list[_Block] = field(default_factory=list)
    ids: _Ids | None = None
    name: str = ""

    def __post_init__(self) -> None:
        self.name = PurePosixPath(self.path).name


@dataclass(slots=True)
class _Trail:
    path: str
    id: str
    sender: str | None
    to: str | None
    type: str | None
    status: str
    ack_states: tuple[str, ...]
    digest: str
    present: bool = True
    events: list[tuple[Any, ...]] = field(
        default_factory=list
    )  # (kind, sha, state, before, by, at, detail)


# --- the scoreboard --------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    label: str
    presence: str | None  # iso
    detail: str
    paths: tuple[str, ...]


@dataclass(slots=True)
class _Span:
    session: str
    label: str
    added: str  # sha
    claimed: str | None  # iso
    beats: list[tuple[str, str | None, str]] = field(default_factory=list)  # (sha, at iso, detail)
    scopes: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    removed: str | None = None


class Walk:
    """The blackboard's history so far; `commit` feeds it one commit's blackboard diffs."""

    def __init__(self, scoreboard: str, queue_dir: str, key: bytes | None = None) -> None:
        self.scoreboard = scoreboard
        self.queue_dir = queue_dir
        # The key of the credentials' fingerprints; without one (no private cache folder) a
        # key of this run only, so a cache written with it is never resumed.
        self.key = key if key is not None else os.urandom(32)
        # fingerprint -> (path, line (0: the file's name), kind, masked prefix, sha)
        self.secrets: dict[str, tuple[str, int, str, str, str]] = {}
        self.queues: dict[str, _Queue] = {}
        self.trails: list[_Trail] = []
        self.graveyard: dict[tuple[str, str], int] = {}  # (path, id) -> deleted trail
        self.board_lines: list[str] | None = None
        self.open: dict[str, _Span] = {}
        self.closed: list[_Span] = []
        self.board_since: str | None = None  # sha of the commit that created the scoreboard
        # the last version's table: its header and column indexes, and each row by line index
        self.board_header: tuple[tuple[str, ...], dict[str, int]] | None = None
        self.board_rows: dict[int, _Entry] | None = None
        # The claim table's delimiter line (0-based) when markdown-it reads the table as one
        # (rows may then be added and removed without reading the file again); kept in memory
        # only: a resumed walk reads the file whole at its first change of the table's shape.
        self.board_delimiter: int | None = None
        self.head: str | None = None  # the last commit fed
        # The blocks one commit removed and the new blocks it added, (path, block) each: a block
        # that left one queue file and arrived in another with the same id and text was moved.
        self._left: list[tuple[str, _Block]] = []
        self._arrived: list[tuple[str, _Block]] = []

    # --- feeding ---------------------------------------------------------------------------

    def is_queue(self, path: str) -> bool:
        prefix = f"{self.queue_dir}/" if self.queue_dir else ""
        rest = path[len(prefix) :] if path.startswith(prefix) else None
        return (
            rest is not None and "/" not in rest and rest.startswith("to-") and rest.endswith(".md")
        )

    def commit(self, sha: str, files: Iterable[FileDiff], fetch: Fetch) -> None:
        """Apply one commit's diffs (against its first parent) to the kept files."""
        self._left, self._arrived = [], []
        for diff in sorted(files, key=lambda d: d.path):
            if diff.path == self.scoreboard:
                self._scoreboard(sha, diff, fetch)
            elif self.is_queue(diff.path):
                self._queue(sha, diff, fetch)
        if self._left and self._arrived:
            self._moves(sha)
        self._left, self._arrived = [], []
        self.head = sha

    # --- queues ----------------------------------------------------------------------------

    def _queue(self, sha: str, diff: FileDiff, fetch: Fetch) -> None:
        # Known by its shown name, as the queue reader knows it: a credential in the file name
        # reaches neither a message id nor the history cache.
        path = redact_path(diff.path)
        track = self.queues.get(path)
        if diff.status == "D" or not diff.regular:
            if track is not None:
                for block in track.blocks:
                    self._gone(track, block, sha)
                del self.queues[path]
            return
        if track is None:
            track = self.queues[path] = _Queue(path)
            if path != diff.path:
                self._remember(sha, path, find_in_path(diff.path, self.key)[1])
        old_lines = track.lines
        region = None
        if not diff.binary and old_lines is not None:
            region = _apply(old_lines, diff)
        if region is None:  # binary, unknown before, or hunks that do not fit: read the blob
            track.lines = fetch_lines(fetch, diff.blob)
            if track.lines is None:
                return  # unreadable now: the blocks keep their last readable state
            region = (0, len(track.lines), 1 << 62, 0)  # split the whole file again
        if track.lines is not None:
            self._scan(sha, path, track.lines, region[0], region[1])
        self._rescan(track, sha, *region)

    def _rescan(self, track: _Queue, sha: str, lo: int, hi: int, old_hi: int, delta: int) -> None:
        lines = track.lines
        assert lines is not None
        blocks = track.blocks
        start = _Block.start_of
        k0 = 0
        if blocks and lo > 0:
            k0 = max(bisect.bisect_right(blocks, max(lo - 1, 0), key=start) - 1, 0)
        fresh: list[queue_scan.Span] = []
        kr = len(blocks)
        for span in queue_scan.scan(lines, blocks[k0].start if blocks else 0):
            if span.start >= hi and fresh:
                # An old block wholly after the change starts here again: the rest is as it was.
                was = span.start - delta
                k = bisect.bisect_left(blocks, was, key=start)
                if k > k0 and k < len(blocks) and blocks[k].start == was and was >= old_hi:
                    kr = k
                    break
            fresh.append(span)
        tail = blocks[kr:]
        if delta:
            for block in tail:
                block.start += delta
        end_of = [s.start for s in fresh[1:]] + [tail[0].start if tail else len(lines)]
        old = blocks[k0:kr]
        known = {b.key: b for b in old if b.heading is not None}
        parsed = [_parse(lines, s, e, known) for s, e in zip(fresh, end_of, strict=True)]
        track.blocks = blocks[:k0] + parsed + tail
        self._ids(track, old, parsed, tail, delta)
        self._compare(track, sha, old, parsed, k0)

    def _ids(
        self,
        track: _Queue,
        old: list[_Block],
        parsed: list[_Block],
        tail: list[_Block],
        delta: int,
    ) -> None:
        old_bases = [b.base for b in old if b.heading is not None]
        new_bases = [b.base for b in parsed if b.heading is not None]
        shifted_l = delta != 0 and any(b.base.startswith("L") for b in tail)
        if shifted_l:
            for b in tail:
                if b.base.startswith("L"):
                    b.base = f"L{b.start + 1}"
        if track.ids is not None and not shifted_l:
            if old_bases == new_bases:
                for b, o in zip(
                    [b for b in parsed if b.heading is not None],
                    [o for o in old if o.heading is not None],
                    strict=True,
                ):
                    b.id = o.id
                return
            if not tail and new_bases[: len(old_bases)] == old_bases:
                headed = [b for b in parsed if b.heading is not None]
                for b, o in zip(headed, [o for o in old if o.heading is not None], strict=False):
                    b.id = o.id
                for b in headed[len(old_bases) :]:
                    b.id = track.ids.new(b.base)
                return
        track.ids = _Ids(track.name)
        for b in track.blocks:
            if b.heading is not None:
                b.id = track.ids.new(b.base)
                if b.trail >= 0:  # a block outside the change whose id moved (`L<line>`, `-2`)
                    self.trails[b.trail].id = b.id

    def _compare(
        self, track: _Queue, sha: str, old: list[_Block], new: list[_Block], k0: int
    ) -> None:
        old_by_id = {b.id: b for b in old if b.heading is not None}
        matched: dict[int, _Block] = {}
        leftover_new: dict[int, _Block] = {}
        for j, b in enumerate(new):
            if b.heading is None:
                continue
            o = old_by_id.pop(b.id, None)
            if o is not None:
                matched[j] = o
            else:
                leftover_new[j] = b
        # A block whose heading changed keeps its place in the file: the same ordinal, rewritten.
        by_place = {
            k0 + i: o for i, o in enumerate(old) if o.heading is not None and o.id in old_by_id
        }
        for j in list(leftover_new):
            o = by_place.get(k0 + j)
            if o is not None and o.id in old_by_id:
                del old_by_id[o.id]
                matched[j] = o
                del leftover_new[j]
        for o in old_by_id.values():
            self._gone(track, o, sha)
        for j, b in enumerate(new):
            if b.heading is None:
                continue
            if j in matched:
                self._changed(matched[j], b, sha)
            else:
                self._added(track, b, sha)

    def _added(self, track: _Queue, b: _Block, sha: str) -> None:
        index = self.graveyard.pop((track.path, b.id), None)
        if index is not None:
            trail = self.trails[index]
            trail.present = True
            trail.events.append(("restored", sha, b.status, trail.status, None, None, ""))
        else:
            index = len(self.trails)
            trail = _Trail(track.path, b.id, b.sender, b.to, b.type, b.status, (), b.digest())
            self.trails.append(trail)
            trail.events.append(("added", sha, b.status, None, None, None, ""))
            for _key, state, by, at in b.acks:
                trail.events.append(("ack", sha, state, None, by, at or None, "with the block"))
            self._arrived.append((track.path, b))
        b.trail = index
        self._sync(trail, b)

    def _changed(self, o: _Block, b: _Block, sha: str) -> None:
        b.trail = o.trail
        trail = self.trails[o.trail]
        if b.key and b.key == o.key:
            # The same text (most often a block beside the change, split again): no event, and
            # the trail already says what the block says (`_sync` keeps it so), but its id.
            trail.id = b.id
            return
        details = []
        if o.fields != b.fields:
            keys = sorted({k or "(text)" for k, v in set(o.fields) ^ set(b.fields)}, key=str.lower)
            details.append(
                "its heading (" + ", ".join(f"`{k}:`" if k != "(text)" else k for k in keys) + ")"
            )
        if o.body != b.body:
            details.append("its body")
        old_keys = [a[0] for a in o.acks]
        new_keys = [a[0] for a in b.acks]
        if new_keys[: len(old_keys)] != old_keys:
            details.append("an ack line already committed")
        # Repairing a block no reader could take as a message is not rewriting one.
        if details and (o.sender or o.to or o.type):
            trail.events.append(("rewritten", sha, None, None, None, None, " and ".join(details)))
        if o.status != b.status:
            trail.events.append(("status", sha, b.status, o.status, None, None, ""))
        appended = (
            b.acks[len(old_keys) :]
            if new_keys[: len(old_keys)] == old_keys
            else [a for a in b.acks if a[0] not in set(old_keys)]
        )
        for _d, state, by, at in appended:
            trail.events.append(("ack", sha, state, None, by, at or None, ""))
        self._sync(trail, b)

    def _gone(self, track: _Queue, b: _Block, sha: str) -> None:
        if b.heading is None or b.trail < 0:
            return
        trail = self.trails[b.trail]
        trail.present = False
        trail.events.append(("deleted", sha, None, trail.status, None, None, ""))
        self.graveyard[(track.path, b.id)] = b.trail
        self._left.append((track.path, b))

    @staticmethod
    def _identity(b: _Block) -> tuple[str, str]:
        """What makes a block the same message in another file: its id base (send time and
        sender; the heading itself when it has none) and its heading fields and body."""
        base = (b.heading or "") if b.base.startswith("L") else b.base
        return base, b.digest()

    def _moves(self, sha: str) -> None:
        """Join each block this commit added to a block it removed with the same identity.

        A block moved to another queue file (a misfiled message put right, the emptied file
        removed) keeps its trail: the deletion is undone and the trail goes on in the new file,
        with any status or ack change the move made. The new block's own trail is dropped.
        """
        left: dict[tuple[str, str], list[tuple[str, _Block]]] = {}
        for path, o in self._left:
            left.setdefault(self._identity(o), []).append((path, o))
        dropped: list[int] = []
        for path, b in self._arrived:
            candidates = left.get(self._identity(b))
            if not candidates or b.trail < 0:
                continue
            # Another file first (a move); the same file only when nothing else fits.
            k = next((i for i, (p, _) in enumerate(candidates) if p != path), 0)
            old_path, o = candidates.pop(k)
            trail = self.trails[o.trail]
            if not trail.events or trail.events[-1][:2] != ("deleted", sha):
                continue
            trail.events.pop()
            if self.graveyard.get((old_path, o.id)) == o.trail:
                del self.graveyard[(old_path, o.id)]
            trail.present = True
            trail.path = path
            dropped.append(b.trail)
            self._changed(o, b, sha)
        if dropped:
            self._drop(dropped)

    def _drop(self, indexes: list[int]) -> None:
        """Remove trails no block points at any more, and renumber the references to the rest."""
        gone = set(indexes)
        renumber: dict[int, int] = {}
        kept: list[_Trail] = []
        for i, trail in enumerate(self.trails):
            if i not in gone:
                renumber[i] = len(kept)
                kept.append(trail)
        self.trails = kept
        for queue in self.queues.values():
            for block in queue.blocks:
                if block.trail >= 0:
                    block.trail = renumber[block.trail]
        self.graveyard = {key: renumber[i] for key, i in self.graveyard.items()}

    @staticmethod
    def _sync(trail: _Trail, b: _Block) -> None:
        trail.id, trail.sender, trail.to, trail.type = b.id, b.sender, b.to, b.type
        trail.status = b.status
        trail.ack_states = tuple(a[1] for a in b.acks)
        trail.digest = b.digest()

    # --- the scoreboard --------------------------------------------------------------------

    def _scoreboard(self, sha: str, diff: FileDiff, fetch: Fetch) -> None:
        if diff.status == "D" or not diff.regular:
            self.board_lines = self.board_rows = self.board_delimiter = None
            self._rows(sha, {})
            return
        if self.board_since is None:
            self.board_since = sha
        lines = self.board_lines
        # A heartbeat rewrites one row in place: then only that row is read again.
        quick = _row_edits(diff, self.board_rows) if lines is not None else None
        # A claim adds a row, a release removes one: then only the added rows are read.
        reshaped = (
            _reshaped_rows(diff, self.board_rows, self.board_delimiter)
            if quick is None and lines is not None
            else None
        )
        region = _apply(lines, diff) if not diff.binary and lines is not None else None
        if lines is None or region is None:
            quick = reshaped = None
            lines = self.board_lines = fetch_lines(fetch, diff.blob)
            if lines is None:
                return  # unreadable in this version: the claims stand as they were
            region = (0, len(lines), 0, 0)
        self._scan(sha, self.scoreboard, lines, region[0], region[1])
        if quick is not None and self.board_rows is not None and self.board_header is not None:
            header, columns = self.board_header
            for i in quick:
                row = _one_row(self.scoreboard, i, lines[i], header, columns)
                if row is None:
                    quick = None
                    break
                self.board_rows[i] = row
            if quick is not None and not self._table_holds(lines, quick):
                self.board_delimiter = None  # rows the whole file may not read as rows
        elif reshaped is not None:
            rows_now = self._reread_rows(lines, *reshaped)
            if rows_now is not None:
                self.board_rows = rows_now
                quick = []
        if quick is None and not self._read_board(lines):
            return  # no claim table in this version: nothing to compare, claims stand as they were
        rows: dict[str, _Row] = {}
        claimed: dict[str, str | None] = {}
        for _i, (sid, summary, when) in sorted((self.board_rows or {}).items()):
            if sid is not None and sid not in rows:  # a second row of an id is duplicate-claim's
                rows[sid] = summary
                claimed[sid] = when
        self._rows(sha, rows, claimed)

    def _read_board(self, lines: list[str]) -> bool:
        text = _redact("\n".join(lines))
        board, _problems = read_scoreboard(self.scoreboard, text)
        self.board_delimiter = None
        if not board.header:
            self.board_rows = self.board_header = None
            return False
        self.board_header = (board.header, header_columns(board.header))
        self.board_rows = {}
        for row in board.rows:
            assert row.source.line is not None
            self.board_rows[row.source.line - 1] = _summary(row)
        delimiter = board.header_line  # 1-based header line: the 0-based delimiter line
        if delimiter is not None and _standard_table(text, delimiter):
            self.board_delimiter = delimiter
        return True

    def _table_holds(self, lines: list[str], fresh: list[int]) -> bool:
        """Whether the claim table still ends where its rows do, as `_read_board` would read it,
        with the `fresh` lines among its rows (lines that a whole read may read otherwise)."""
        delimiter = self.board_delimiter
        if delimiter is None or delimiter >= len(lines):
            return False
        text = "\n".join(lines)
        # markdown-it turns a lone CR into a line break (the lines would not be the reader's), a
        # private key block is redacted across lines, and past 65,536 missing cells in all
        # markdown-it ends a table early: each needs the whole file read.
        if "\r" in text or "PRIVATE KEY" in text:
            return False
        if len(lines) * (lines[delimiter].count("|") + 1) > 1 << 16:
            return False
        # A line that starts with `|` continues the table: no other block can start with it.
        return all(_redact(lines[i]).startswith("|") for i in fresh)

    def _reread_rows(
        self, lines: list[str], kept: dict[int, _Entry], fresh: list[int]
    ) -> dict[int, _Entry] | None:
        """The claim table's rows after a diff that added or removed whole rows of its body, as
        `_read_board` would read them; None when reading the whole file may say otherwise."""
        if self.board_header is None or not self._table_holds(lines, fresh):
            return None
        header, columns = self.board_header
        rows = dict(kept)
        for i in fresh:
            row = _one_row(self.scoreboard, i, lines[i], header, columns)
            if row is None:
                return None  # a line the reader keeps as text: read the whole file
            rows[i] = row
        return dict(sorted(rows.items()))

    def _rows(
        self, sha: str, rows: dict[str, _Row], claimed: dict[str, str | None] | None = None
    ) -> None:
        for sid in sorted(set(self.open) - set(rows)):
            span = self.open.pop(sid)
            span.removed = sha
            self.closed.append(span)
        for sid, row in rows.items():
            found = self.open.get(sid)
            if found is None:
                new = self.open[sid] = _Span(sid, row.label, sha, (claimed or {}).get(sid))
                new.beats.append((sha, row.presence, row.detail))
                new.scopes.append((sha, row.paths))
                continue
            span = found
            span.label = row.label
            last = span.beats[-1]
            if (last[1], last[2]) != (row.presence, row.detail):
                span.beats.append((sha, row.presence, row.detail))
            if span.scopes[-1][1] != row.paths:
                span.scopes.append((sha, row.paths))

    # --- credentials ---------------------------------------------------------------------------

    def _scan(self, sha: str, path: str, lines: list[str], lo: int, hi: int) -> None:
        """Remember the credentials in the lines a commit wrote (`lo:hi` of the new version)."""
        text = "\n".join(lines[lo:hi])
        if may_hold_secret(text):
            found = find_secrets(text, self.key)[1]
            self._remember(sha, path, [replace(s, line=s.line + lo) for s in found])

    def _remember(self, sha: str, path: str, found: Iterable[Secret]) -> None:
        for s in found:
            if s.fingerprint is not None and s.fingerprint not in self.secrets:
                self.secrets[s.fingerprint] = (path, s.line, s.kind, s.shown, sha)

    def key_id(self) -> str:
        """Names the fingerprints' key without giving it away (a cache must match it)."""
        return hmac.new(self.key, b"statusboard fingerprint key", hashlib.sha256).hexdigest()[:16]

    def secrets_for(self, commits: dict[str, Commit]) -> tuple[HistorySecret, ...]:
        """The credentials some version held that the files at HEAD no longer hold."""
        if not self.secrets:
            return ()
        still: set[str] = set()
        texts = [q.lines for q in self.queues.values()] + [self.board_lines]
        for lines in texts:
            if lines is not None:
                still.update(
                    s.fingerprint or "" for s in find_secrets("\n".join(lines), self.key)[1]
                )
        out = []
        for fingerprint, (path, line, kind, shown, sha) in self.secrets.items():
            if fingerprint in still or sha not in commits:
                continue
            if line == 0 and path in self.queues:
                continue  # the file still has that name: the queue reader reports it
            out.append(HistorySecret(path, line or None, kind, shown, commits[sha]))
        out.sort(key=lambda s: (s.path, s.commit.at, s.line or 0, s.kind))
        return tuple(out)

    # --- results ---------------------------------------------------------------------------

    def trails_for(
        self, commits: dict[str, Commit], starting: frozenset[str] = frozenset()
    ) -> tuple[MessageTrail, ...]:
        """The messages' trails. The `starting` commits (a shallow clone's boundary) are the
        starting state, not a change: no event is theirs, so a block already there has no
        `added` (who added it, and when, is in the history that was not fetched)."""
        out = []
        for t in self.trails:
            events = tuple(
                MessageEvent(
                    kind,
                    commits[sha],
                    state,
                    before,
                    by,
                    _time(at) if at else None,
                    detail,
                )
                for kind, sha, state, before, by, at, detail in t.events
                if sha in commits and sha not in starting
            )
            out.append(
                MessageTrail(
                    t.path,
                    t.id,
                    t.sender,
                    t.to,
                    t.type,
                    t.status,
                    t.ack_states,
                    events,
                    t.present,
                    t.digest,
                )
            )
        return tuple(out)

    def claims_for(self, commits: dict[str, Commit]) -> tuple[ClaimSpan, ...]:
        spans = [*self.closed, *sorted(self.open.values(), key=lambda s: s.session)]
        out = []
        for s in spans:
            if s.added not in commits:
                continue
            out.append(
                ClaimSpan(
                    session=s.session,
                    label=s.label,
                    added=commits[s.added],
                    removed=commits.get(s.removed) if s.removed else None,
                    claimed=_time(s.claimed) if s.claimed else None,
                    beats=tuple(
                        PresenceBeat(commits[sha], _time(at) if at else None, detail)
                        for sha, at, detail in s.beats
                        if sha in commits
                    ),
                    scopes=tuple(
                        (commits[sha], paths) for sha, paths in s.scopes if sha in commits
                    ),
                    name=_name(s.session, s.label),
                )
            )
        out.sort(key=lambda c: (c.added.at, c.session))
        return tuple(out)


def _parse(lines: list[str], span: queue_scan.Span, end: int, known: dict[str, _Block]) -> _Block:
    """One block read as the queue reader reads it, keeping what the history compares.

    A block whose text is that of a block in `known` takes that block's reading.
    """
    if span.heading is None:
        return _Block(span.start, None, span.first_ack, span.exact)
    shown, base, status, sender, to, kind, fields, parsed = _reading(span.heading)
    block = _Block(span.start, shown, span.first_ack, span.exact)  # `shown`: kept in the cache
    last = end
    while last > span.start + 1 and not lines[last - 1].strip():
        last -= 1
    block.key = _digest("\n".join(lines[span.start : last]))
    same = known.get(block.key)
    if same is not None:
        block.status, block.fields, block.body, block.acks = (
            same.status,
            same.fields,
            same.body,
            same.acks,
        )
        block.sender, block.to, block.type = same.sender, same.to, same.type
        block.base = same.base if not same.base.startswith("L") else f"L{span.start + 1}"
        block.summed = same.summed
        return block
    block.base = base if base is not None else f"L{span.start + 1}"
    block.status, block.sender, block.to, block.type = status, sender, to, kind
    block.fields = fields
    acks: list[tuple[str, str, str, str]] = []
    taken: set[int] = set()
    if parsed:
        for a, b in queue_scan.items(lines, span, end):
            if not is_ack_line(lines[a]):
                continue
            while b > a + 1 and not lines[b - 1].strip():
                b -= 1
            ack = _ack(tuple(lines[a:b]))
            if ack is not None:
                acks.append(ack)
                taken.update(range(a, b))
    body = [
        x
        for i, x in enumerate(lines[span.start + 1 : end], span.start + 1)
        if i not in taken and not (x[:1] in _ACK_FIRST and is_ack_line(x))
    ]
    block.body = _digest(_BLANKS.sub("\n\n", "\n".join(body).strip()))
    block.acks = tuple(acks)
    return block


_Reading = tuple[
    str, str | None, str, str | None, str | None, str | None, tuple[tuple[str, str], ...], bool
]


# A message's block is read again at each change of it (an ack, a new status) with the same
# heading and the same earlier ack lines: their readings are remembered for a while.
@lru_cache(maxsize=1 << 12)
def _reading(heading: str) -> _Reading:
    """What a heading says, as the queue reader reads it: the shown (redacted) heading, the id
    base (None: the block is known by its line), status, sender, to, type, the fields without
    `status:`, and whether it reads as a message."""
    shown = _redact(heading)
    parsed = parse_heading(shown)
    sender = parsed.first("from") if parsed.parsed else None
    base = None
    if parsed.parsed and parsed.stamp is not None and sender and parsed.stamp_text is not None:
        base = f"{parsed.stamp_text}-{sender}"
    status, to, kind = "sent", None, None
    if parsed.parsed:
        status = known_value(parsed.first("status"), STATES) or "sent"
        to = parsed.first("to")
        kind = known_value(parsed.first("type"), MESSAGE_TYPES)
    fields = tuple((k, v) for k, v in parsed.fields if k.lower() != "status") + tuple(
        ("", p) for p in parsed.stray
    )
    return shown, base, status, sender, to, kind, fields, parsed.parsed


@lru_cache(maxsize=1 << 14)
def _ack(raw: tuple[str, ...]) -> tuple[str, str, str, str] | None:
    """(digest, state, by, time) of an ack item, as the queue reader reads it."""
    lines = [_redact(x) for x in raw]
    parts = ack_parts(lines)
    if len(parts) < 4 or parts[0].lower() != "ack" or not parts[2] or not parts[3]:
        return None
    stamp = parse_stamp(parts[1].strip("`"))
    if stamp is None:
        return None
    state = known_value(parts[3], STATES) or parts[3]
    return (_digest("\n".join(lines)), state, parts[2], stamp.iso())


def _summary(row: ClaimRow) -> tuple[str | None, _Row, str | None]:
    presence = row.presence.iso() if row.presence else None
    summary = _Row(row.label, presence, row.presence_detail, row.paths)
    return row.session_id, summary, row.claimed.iso() if row.claimed else None


def _row_edits(diff: FileDiff, rows: dict[int, _Entry] | None) -> list[int] | None:
    """The row lines a diff rewrites one for one, or None when it does anything else."""
    if rows is None or diff.binary or not diff.hunks:
        return None
    changed: list[int] = []
    for h in diff.hunks:
        if h.n_old != h.n_new or h.n_old == 0 or h.old != h.new:
            return None
        span = range(h.old - 1, h.old - 1 + h.n_old)
        if any(i not in rows for i in span):
            return None
        changed.extend(span)
    return changed


def _reshaped_rows(
    diff: FileDiff, rows: dict[int, _Entry] | None, delimiter: int | None
) -> tuple[dict[int, _Entry], list[int]] | None:
    """For a diff that only removes rows of the claim table's body and puts lines after a row (or
    the delimiter line): the rows kept, at their new line indexes, and the new lines' indexes.
    None when the diff touches anything else."""
    if rows is None or delimiter is None or diff.binary or not diff.hunks:
        return None
    ends: list[tuple[int, int]] = []  # (old index after the hunk, lines it adds minus removes)
    fresh: list[int] = []
    gone: set[int] = set()
    for h in diff.hunks:
        if h.n_old:
            span = range(h.old - 1, h.old - 1 + h.n_old)
            if any(i not in rows for i in span):
                return None
            gone.update(span)
            ends.append((h.old - 1 + h.n_old, h.n_new - h.n_old))
        elif h.old - 1 == delimiter or h.old - 1 in rows:
            ends.append((h.old, h.n_new))
        else:
            return None
        fresh.extend(range(h.new - 1, h.new - 1 + h.n_new))
    kept = {}
    for i, entry in rows.items():
        if i not in gone:
            kept[i + sum(d for end, d in ends if end <= i)] = entry
    return kept, fresh


def _standard_table(text: str, delimiter: int) -> bool:
    """Whether markdown-it reads `text` up to line `delimiter` as ending with a table's header and
    delimiter line (a table of its own, not text that only looks like one)."""
    return _ends_with_table("\n".join(text.split("\n", delimiter + 1)[: delimiter + 1]))


@lru_cache(maxsize=32)  # the text above the table rarely changes
def _ends_with_table(head: str) -> bool:
    # What follows the delimiter line cannot change how markdown-it reads the lines before it.
    last = head.count("\n")
    return any(t.standard and t.delimiter == last for t in find_tables(head))


def _one_row(
    path: str, index: int, line: str, header: tuple[str, ...], columns: dict[str, int]
) -> tuple[str | None, _Row, str | None] | None:
    """One table row read as the scoreboard reader reads it; None when it is no longer a row."""
    row = read_row(path, index + 1, _redact(line), header, columns)
    return _summary(row) if row is not None else None


def _name(session: str, label: str) -> str | None:
    """The display name in a row's label (`sA · Sintra`, as ClaimRow.label gives it)."""
    prefix = f"{session} · "
    return label[len(prefix) :] if label.startswith(prefix) else None


def _time(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def _apply(lines: list[str], diff: FileDiff) -> tuple[int, int, int, int] | None:
    """Apply the hunks in place; (lo, hi) of the new lines, the old end and the line delta.

    None when a hunk does not fit the kept text (then the caller reads the blob instead).
    """
    hunks = diff.hunks
    if not hunks:
        return (len(lines), len(lines), len(lines), 0)
    lo, hi, old_hi, delta = 1 << 62, 0, 0, 0
    for h in reversed(hunks):
        at = h.old if h.n_old == 0 else h.old - 1
        if at < 0 or at + h.n_old > len(lines) or len(h.lines) != h.n_new:
            return None
        lines[at : at + h.n_old] = h.lines
    for h in hunks:
        new_at = h.new if h.n_new == 0 else h.new - 1
        old_at = h.old if h.n_old == 0 else h.old - 1
        lo = min(lo, new_at)
        hi = max(hi, new_at + h.n_new)
        old_hi = max(old_hi, old_at + h.n_old)
        delta += h.n_new - h.n_old
    return (lo, hi, old_hi, delta)


def fetch_lines(fetch: Fetch, blob: str | None) -> list[str] | None:
    """A blob's lines as the readers normalise them; None when missing, binary or not UTF-8."""
    data = fetch(blob) if blob else None
    if data is None or b"\0" in data:
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


# --- the walk as plain data, for the cache -----------------------------------------------------


class StaleState(ValueError):
    """The kept state does not match the repository (a cache that must not be trusted)."""


def lines_digest(lines: list[str] | None) -> str | None:
    return None if lines is None else _digest("\n".join(lines))


def dump(walk: Walk) -> dict[str, Any]:
    """The walk as JSON-ready data (the files' text is not kept: git has it at `walk.head`)."""
    return {
        "scoreboard": walk.scoreboard,
        "queue_dir": walk.queue_dir,
        "head": walk.head,
        "queues": [
            [
                q.path,
                lines_digest(q.lines),
                [
                    [
                        b.start,
                        b.heading,
                        b.first_ack,
                        b.exact,
                        b.base,
                        b.id,
                        b.status,
                        [list(f) for f in b.fields],
                        b.body,
                        [list(a) for a in b.acks],
                        b.sender,
                        b.to,
                        b.type,
                        b.trail,
                        b.key,
                    ]
                    for b in q.blocks
                ],
            ]
            for q in walk.queues.values()
        ],
        "trails": [
            [
                t.path,
                t.id,
                t.sender,
                t.to,
                t.type,
                t.status,
                list(t.ack_states),
                t.digest,
                t.present,
                [list(e) for e in t.events],
            ]
            for t in walk.trails
        ],
        "graveyard": [[p, i, n] for (p, i), n in walk.graveyard.items()],
        # keyed hashes and masked prefixes only: never a credential's value
        "secrets": [walk.key_id(), [[f, *where] for f, where in walk.secrets.items()]],
        "board": [
            lines_digest(walk.board_lines) if walk.board_lines is not None else None,
            walk.board_lines is not None,
            [list(walk.board_header[0]), walk.board_header[1]] if walk.board_header else None,
            [
                [i, sid, r.label, r.presence, r.detail, list(r.paths), when]
                for i, (sid, r, when) in sorted((walk.board_rows or {}).items())
            ]
            if walk.board_rows is not None
            else None,
            [_span_data(s) for s in walk.open.values()],
            [_span_data(s) for s in walk.closed],
            walk.board_since,
        ],
    }


def _span_data(s: _Span) -> list[Any]:
    return [
        s.session,
        s.label,
        s.added,
        s.claimed,
        [list(b) for b in s.beats],
        [[sha, list(p)] for sha, p in s.scopes],
        s.removed,
    ]


def _span(d: list[Any]) -> _Span:
    return _Span(
        d[0],
        d[1],
        d[2],
        d[3],
        [(b[0], b[1], b[2]) for b in d[4]],
        [(sha, tuple(p)) for sha, p in d[5]],
        d[6],
    )


def load(
    data: dict[str, Any], read: Callable[[str], list[str] | None], key: bytes | None = None
) -> Walk:
    """A walk from `dump`'s data, its files read again at its head with `read(path)`.

    Raises StaleState when anything does not fit: a file whose text git gives differently than
    when it was dumped, ids that do not come out the same, or data of the wrong shape.
    """
    try:
        walk = Walk(str(data["scoreboard"]), str(data["queue_dir"]), key)
        walk.head = data["head"]
        key_id, found = data["secrets"]
        if found and key_id != walk.key_id():
            raise StaleState("the cached credentials' fingerprints are of another key")
        walk.secrets = {
            str(f): (str(p), int(line), str(kind), str(shown), str(sha))
            for f, p, line, kind, shown, sha in found
        }
        for path, digest, blocks in data["queues"]:
            track = walk.queues[path] = _Queue(path)
            track.lines = read(path) if digest is not None else None
            if lines_digest(track.lines) != digest:
                raise StaleState(f"{path} differs from the cached text at {walk.head}")
            for row in blocks:
                block = _Block(*row[:4])
                (block.base, block.id, block.status) = row[4:7]
                block.fields = tuple((str(k), str(v)) for k, v in row[7])
                block.body = row[8]
                block.acks = tuple((a[0], a[1], a[2], a[3]) for a in row[9])
                block.sender, block.to, block.type, block.trail, block.key = row[10:15]
                track.blocks.append(block)
            track.ids = _Ids(track.name)
            for block in track.blocks:
                if block.heading is not None and track.ids.new(block.base) != block.id:
                    raise StaleState(f"{path}: message ids do not replay")
        for row in data["trails"]:
            trail = _Trail(
                row[0], row[1], row[2], row[3], row[4], row[5], tuple(row[6]), row[7], row[8]
            )
            trail.events = [tuple(e) for e in row[9]]
            walk.trails.append(trail)
        walk.graveyard = {(str(p), str(i)): int(n) for p, i, n in data["graveyard"]}
        count = len(walk.trails)
        indexes = [b.trail for q in walk.queues.values() for b in q.blocks]
        if any(not -1 <= int(i) < count for i in [*indexes, *walk.graveyard.values()]):
            raise StaleState("the cached walk points at trails it does not hold")
        if any(not isinstance(e[1], str) for t in walk.trails for e in t.events):
            raise StaleState("the cached walk has events without a commit")
        digest, known, header, rows, opened, closed, since = data["board"]
        if known:
            walk.board_lines = read(walk.scoreboard)
            if lines_digest(walk.board_lines) != digest:
                raise StaleState(f"{walk.scoreboard} differs from the cached text")
        if header is not None:
            walk.board_header = (tuple(header[0]), {str(k): int(v) for k, v in header[1].items()})
        if rows is not None:
            walk.board_rows = {
                int(r[0]): (r[1], _Row(r[2], r[3], r[4], tuple(r[5])), r[6]) for r in rows
            }
        walk.open = {s.session: s for s in map(_span, opened)}
        walk.closed = [_span(s) for s in closed]
        walk.board_since = since
        return walk
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        if isinstance(exc, StaleState):
            raise
        raise StaleState(f"the cached walk has an unexpected shape ({exc!r})") from exc
