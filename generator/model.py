"""The board model: frozen, typed records of everything read, each carrying its source location."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Severity(StrEnum):
    """How bad a finding is; ordered by `rank` (error is the highest)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True, slots=True, order=True)
class SourceRef:
    """Where a thing was read: a repository-relative POSIX path and a 1-based line (None if none)."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else self.path


@dataclass(frozen=True, slots=True)
class Stamp:
    """A timestamp as written (`raw`) and normalised to an aware UTC datetime (`value`)."""

    value: datetime
    raw: str
    canonical: bool  # written exactly as YYYY-MM-DDTHH:MMZ
    had_zone: bool  # False: no zone was written, UTC was assumed

    def iso(self) -> str:
        """ISO 8601 UTC with seconds, the form of every machine output."""
        return self.value.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class Problem:
    """Something a reader could not take as written; surfaced by the parsing rule named `rule`."""

    rule: str
    source: SourceRef
    message: str


@dataclass(frozen=True, slots=True)
class RawBlock:
    """Text the reader keeps verbatim (prose around a table, an unparsable row or heading)."""

    source: SourceRef
    text: str


# --- git history -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit reachable from the built revision (newest first in `History.commits`)."""

    sha: str
    at: datetime  # committer time, UTC
    author: str
    subject: str
    session: str | None  # `sA` when the subject starts with `[sA]`
    paths: tuple[str, ...]  # paths the commit touched (first-parent diff)

    @property
    def short(self) -> str:
        return self.sha[:7]


@dataclass(frozen=True, slots=True)
class History:
    """The commits of the repository, newest first; empty when the folder is not a git repository."""

    commits: tuple[Commit, ...] = ()
    head: str | None = None
    branch: str | None = None
    remote_url: str | None = None

    def newest_by_session(self, session: str, since: datetime | None = None) -> Commit | None:
        """The newest `[session]` commit, optionally only those at or after `since`."""
        for c in self.commits:
            if c.session == session and (since is None or c.at >= since):
                return c
        return None


# --- the claim scoreboard --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """One row of `active.md`: a session's claim. Unparsable cells leave fields None."""

    source: SourceRef
    raw: str
    cells: tuple[tuple[str, str], ...]  # (column header, cell text) in file order, extras included
    session_id: str | None
    name: str | None
    task: str
    branch: str | None
    mode: str | None
    prefix: str | None
    worktree: str
    claimed: Stamp | None
    presence: Stamp | None
    presence_detail: str
    scope: str
    paths: tuple[str, ...]

    @property
    def label(self) -> str:
        """`sA · Sintra` as messages and pages name a row; the raw first cell when the id is missing."""
        if self.session_id and self.name:
            return f"{self.session_id} · {self.name}"
        if self.session_id:
            return self.session_id
        first = self.cells[0][1].strip() if self.cells else ""
        return first or f"row at line {self.source.line}"


@dataclass(frozen=True, slots=True)
class Scoreboard:
    """The claim scoreboard file; `exists` is False when the repository has none."""

    path: str
    exists: bool
    header: tuple[str, ...] = ()
    header_line: int | None = None
    rows: tuple[ClaimRow, ...] = ()
    unparsed: tuple[RawBlock, ...] = ()  # rows kept raw because they could not be read
    prose: tuple[RawBlock, ...] = ()  # everything outside the table, verbatim


# --- addressed queues ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ack:
    """One `- ack · <ts> · <by> · <state>[ · <note>]` line under a message."""

    source: SourceRef
    raw: str
    at: Stamp | None
    by: str
    state: str
    note: str


@dataclass(frozen=True, slots=True)
class Message:
    """One level-2 block of a queue file. `parsed` is False when the heading could not be read."""

    id: str  # `<file>#<timestamp>-<from>` (+ `-2`, `-3` for repeats)
    anchor: str  # a stable HTML id derived from `id`
    source: SourceRef  # the heading line
    end_line: int  # last line of the block
    queue: str  # recipient from the file name: `sA`, or `all`
    heading: str  # the heading text as written (after `## `)
    parsed: bool
    at: Stamp | None
    sender: str | None
    to: str | None
    type: str | None
    ref: str | None
    re: str | None
    via: str | None
    status: str  # `sent` when omitted
    status_explicit: bool
    fields: tuple[tuple[str, str], ...]  # every key:value of the heading, in order, unknown kept
    body: str  # the markdown body, ack lines removed
    acks: tuple[Ack, ...]

    @property
    def is_broadcast(self) -> bool:
        return self.queue == "all"


@dataclass(frozen=True, slots=True)
class QueueFile:
    """One `queue/to-<id>.md` file."""

    path: str
    recipient: str  # `sA`, `Sintra`, `all`: what follows `to-` in the file name
    preamble: tuple[RawBlock, ...]  # text before the first message, verbatim
    messages: tuple[Message, ...]


# --- the whole board ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceText:
    """A board source as read (secrets already redacted), for rules that scan text."""

    path: str
    text: str


@dataclass(frozen=True, slots=True)
class Board:
    """Everything read from one repository at one revision. Built by `readers.read_board`."""

    root: str
    scoreboard: Scoreboard
    queues: tuple[QueueFile, ...]
    history: History
    problems: tuple[Problem, ...]
    sources: tuple[SourceText, ...] = ()
    name_pool: tuple[str, ...] = ()  # display names known from config or roster

    @property
    def messages(self) -> tuple[Message, ...]:
        return tuple(m for q in self.queues for m in q.messages)


# --- analysis results --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    """One lint result; `sort_key` orders them so every output is deterministic."""

    rule: str
    severity: Severity
    path: str
    line: int | None
    message: str
    commit: str | None = None  # short sha, for findings about a commit

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line if self.line is not None else 0, self.rule, self.message)
