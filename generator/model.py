"""The board model: frozen, typed records of everything read, each carrying its source location."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the records of coding agents' own files import this module
    from generator.model_agents import AgentMail, ClaudeSession
    from generator.model_docs import RepoDocs


class Severity(StrEnum):
    """How bad a finding is; ordered by `rank` (error is the highest)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


def utc_iso(value: datetime) -> str:
    """A UTC datetime as ISO 8601 with seconds: `2026-05-31T10:00:00Z` (`timeutil.iso` takes any
    zone)."""
    if value.year < 1000:  # how strftime pads such a year depends on the platform's C library
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    # What strftime writes, at a third of its cost: status.json has one per message and ack.
    v = value
    return f"{v.year}-{v.month:02}-{v.day:02}T{v.hour:02}:{v.minute:02}:{v.second:02}Z"


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
        return utc_iso(self.value)


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
    merge: bool = False  # more than one parent

    @property
    def short(self) -> str:
        return self.sha[:7]

    @property
    def label(self) -> str:
        """`a1b2c3d “[sA] feat: …”`: how findings and pages name a commit."""
        subject = self.subject if len(self.subject) <= 72 else self.subject[:71] + "…"
        return f"{self.short} “{subject}”"


@dataclass(frozen=True, slots=True)
class MessageEvent:
    """One change of a message block in git, by the commit that made it.

    `kind` is `added` (first committed; `state` is its status then), `status` (the heading's
    `status:` went from `before` to `state`), `ack` (an ack line appended: `by`, `state`, and `at`
    as written), `rewritten` (heading fields or body changed; `detail` says which), `deleted` or
    `restored`.
    """

    kind: str
    commit: Commit
    state: str | None = None
    before: str | None = None
    by: str | None = None
    at: datetime | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class MessageTrail:
    """A message block's life in the history of its queue file, oldest event first.

    A block moved unchanged to another queue file in one commit keeps its trail, which goes on
    in the new file (`path` is the file of its last sighting).
    """

    path: str
    id: str  # the message id at its last sighting (the id the board gives it when present)
    sender: str | None
    to: str | None
    type: str | None
    status: str  # the heading's status at its last sighting
    ack_states: tuple[str, ...]  # the states of its ack lines at its last sighting
    events: tuple[MessageEvent, ...]
    present: bool  # still in the file at the built revision
    digest: str  # heading (without `status:`) and body at its last sighting, for moves


@dataclass(frozen=True, slots=True)
class PresenceBeat:
    """One value of a claim row's Presence cell, from the commit that wrote it."""

    commit: Commit
    at: datetime | None  # the Presence timestamp as written; None when the cell had none
    detail: str


@dataclass(frozen=True, slots=True)
class ClaimSpan:
    """One session's row on the scoreboard, from the commit that added it to the one removing it."""

    session: str
    label: str  # `sA · Sintra` as the row named itself last
    added: Commit  # a shallow clone's boundary commit for a row already there (history.boundary)
    removed: Commit | None  # None: the row is still there at the built revision
    claimed: datetime | None  # the Claimed cell when the row was added
    beats: tuple[PresenceBeat, ...]  # every Presence value, the first included
    scopes: tuple[tuple[Commit, tuple[str, ...]], ...]  # the claimed paths from each change
    name: str | None = None  # the display name the row gave last


@dataclass(frozen=True, slots=True)
class HistorySecret:
    """A credential in a version of a blackboard file that HEAD no longer holds (git still does).

    Only the kind and a masked prefix are kept, never the value: `line` (None: in the file's
    name) is the line in the version `commit` wrote, the first that held this value.
    """

    path: str
    line: int | None
    kind: str
    shown: str
    commit: Commit


@dataclass(frozen=True, slots=True)
class History:
    """The commits of the repository, newest first; empty when the folder is not a git repository."""

    commits: tuple[Commit, ...] = ()
    head: str | None = None
    branch: str | None = None
    remote_url: str | None = None
    # The blackboard's own history (readers/history_board.py); empty when it was not walked.
    trails: tuple[MessageTrail, ...] = ()
    claims: tuple[ClaimSpan, ...] = ()
    blackboard: tuple[str, ...] = ()  # the paths walked: the scoreboard, then the queue folder
    scoreboard_since: datetime | None = None  # when the scoreboard file first appeared
    # A shallow clone: its boundary commits (parents not fetched) are read as the starting state,
    # never as a change; the history before them, and what the rules would see in it, is missing.
    shallow: bool = False
    boundary: tuple[str, ...] = ()  # the boundary commits reachable from HEAD, sorted
    secrets: tuple[HistorySecret, ...] = ()  # credentials only the blackboard's history holds

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
    # A digest of each message as parsed, when the read cache knows them (the render cache keys
    # message cards by them); not part of what the file says, so not compared.
    fingerprints: tuple[str, ...] = field(default=(), compare=False, repr=False)


# --- task trackers, the agent roster, agent calls and the chat bridge (formats.md §4–7) -------

# A value of a call argument; nested objects and lists are kept as their JSON text.
CallValue = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class TaskComment:
    """One comment under a tracker task (a Riff task's ack log)."""

    source: SourceRef
    author: str
    at: Stamp | None
    body: str


@dataclass(frozen=True, slots=True)
class Criterion:
    """One checkbox of a Backlog.md task's Acceptance Criteria or Definition of Done."""

    kind: str  # `acceptance` or `done` (Definition of Done)
    index: int  # `#3` as written, else its position
    checked: bool
    text: str
    line: int | None


@dataclass(frozen=True, slots=True)
class TaskEdge:
    """A typed link from a task to another (beads `dependencies[]`, Backlog.md `parent_task_id`).

    `type` is as written (`blocks`, `parent-child`, `waits-for`, `related`, …, unknown ones
    kept); `external`: the target is not in this export and the export is known to be partial
    (ephemeral wisps, another rig's prefix), so it is shown as such and never judged.
    """

    type: str
    target: str
    line: int | None
    external: bool = False


@dataclass(frozen=True, slots=True)
class TaskChange:
    """One row of a BASS activity log: `agent` moved task `task_id` from `before` to `after`."""

    source: SourceRef
    task_id: str
    at: Stamp | None
    agent: str
    before: str
    after: str
    note: str


@dataclass(frozen=True, slots=True)
class Task:
    """One task of a tracker export (Riff, BASS, beads) or a Backlog.md file; unreadable fields
    stay empty."""

    source: SourceRef
    tracker: str  # `riff`, `bass`, `backlog` or `beads`
    id: str
    title: str
    status: str  # as written
    assignees: tuple[str, ...]  # Riff `assignee`, BASS `agent`, Backlog.md `assignee` list
    labels: tuple[str, ...]  # the lanes
    deps: tuple[str, ...]  # ids this task waits on, as written
    created: Stamp | None = None
    updated: Stamp | None = None
    url: str | None = None
    body: str = ""
    type: str | None = None  # `type:` of the body's header line (`handoff`, …), or a `type` key
    header: tuple[tuple[str, str], ...] = ()  # every `key:value` of the body's header line
    project: str | None = None  # BASS
    blocker: str = ""  # BASS: the blocker note
    auto_complete: bool = False  # BASS `auto_complete: true`
    comments: tuple[TaskComment, ...] = ()
    lines: tuple[tuple[str, int], ...] = ()  # the line of each field as written (`deps`, …)
    span: tuple[int, int] | None = None  # first and last line of the task as written
    # Backlog.md and beads (readers/backlog.py, readers/beads.py); empty for the others.
    state: str | None = None  # the board column the tracker itself implies (config, folder)
    priority: str | None = None  # `high`, `P1`, as written or normalised by the tracker
    milestone: str | None = None
    parent: str | None = None  # parent task id (Backlog.md `parent_task_id`, beads `parent`)
    folder: str | None = None  # Backlog.md: `tasks`, `completed`, `drafts` or `archive`
    owner: str | None = None  # beads `owner` (the human behind the assignee)
    closed: Stamp | None = None  # beads `closed_at`
    close_reason: str = ""  # beads `close_reason`
    sections: tuple[tuple[str, str], ...] = ()  # (title, markdown): Description, Notes, …
    criteria: tuple[Criterion, ...] = ()
    edges: tuple[TaskEdge, ...] = ()  # every typed link; `deps` holds the blocking ones
    agent_state: str | None = None  # beads agent beads: `idle`, `working`, …
    last_seen: Stamp | None = None  # beads `last_activity` of an agent bead
    extra: tuple[tuple[str, str], ...] = ()  # other fields as written (JSON text), kept

    def line_of(self, key: str) -> int | None:
        """The line of field `key`, else the task's own line."""
        return next((n for k, n in self.lines if k == key), self.source.line)

    @property
    def assignee(self) -> str | None:
        return self.assignees[0] if self.assignees else None

    @property
    def key(self) -> str:
        """`riff:412`: unique across trackers."""
        return f"{self.tracker}:{self.id}"


@dataclass(frozen=True, slots=True)
class Tracker:
    """One tracker source: a Riff, BASS or beads export file, or a Backlog.md folder."""

    kind: str  # `riff`, `bass`, `backlog` or `beads`
    path: str
    tasks: tuple[Task, ...] = ()
    activity: tuple[TaskChange, ...] = ()  # BASS only
    unparsed: tuple[RawBlock, ...] = ()  # what could not be read, verbatim
    statuses: tuple[str, ...] = ()  # Backlog.md: the configured statuses, in board order
    prefix: str | None = None  # Backlog.md `task_prefix`; beads: the export's id prefix
    ignored: tuple[str, ...] = ()  # files of the folder that are no task by the tracker's naming
    partial: str = ""  # why the export is known to hold only part of the tracker (beads)
    config_path: str | None = None  # Backlog.md `config.yml`, when read
    # Backlog.md `milestones/m-*.md`: (id, title, path) of each, for the `milestone:` of a task
    milestones: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Agent:
    """One row of the agent roster (`agents.md` or `agents.yml`)."""

    source: SourceRef
    id: str
    type: str  # `named`, `spawn-only`, or the text as written when it is neither
    name: str | None
    role: str | None
    reach: str  # the How to reach cell as written

    @property
    def spawn_only(self) -> bool:
        return self.type == "spawn-only"


@dataclass(frozen=True, slots=True)
class AgentCall:
    """One inter-agent tool call: from a transcript line, or a snippet written in a playbook."""

    source: SourceRef
    origin: str  # `transcript` or `playbook`
    tool: str  # `sessions_send`, `sessions_spawn`, `sessions_history`, `sessions_list`, …
    agent: str | None  # the calling agent, where known
    at: Stamp | None
    arguments: tuple[tuple[str, CallValue], ...]
    text: str  # the call as written, clipped (for pages and messages)
    readable: bool = True  # False: the arguments could not be read (an export-parse finding)
    elided: bool = False  # a sketch: `...` stands for arguments not written out
    counterexample: bool = False  # a playbook snippet marked as what not to do (❌, "never")
    child: str | None = None  # the spawned child's session key or run id, from the tool result
    expressions: tuple[str, ...] = ()  # arguments written as code (`message=brief`): value unknown

    def known(self, name: str) -> bool:
        """True when the argument is present with a literal value a rule can judge."""
        return self.has(name) and name not in self.expressions

    def has(self, name: str) -> bool:
        return any(k == name for k, _ in self.arguments)

    def arg(self, name: str) -> CallValue:
        """The argument's value; None when it is absent (use `has` to tell the two apart)."""
        return next((v for k, v in self.arguments if k == name), None)


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One message of a Telegram chat export (the human bridge)."""

    source: SourceRef
    chat: str  # the export's chat name
    id: str
    at: Stamp | None
    sender: str
    sender_id: str
    text: str


@dataclass(frozen=True, slots=True)
class Chat:
    """One Telegram Desktop export (`result.json`)."""

    path: str
    name: str
    messages: tuple[ChatMessage, ...] = ()


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
    trackers: tuple[Tracker, ...] = ()  # Riff, BASS, Backlog.md, in that order, those present
    agents: tuple[Agent, ...] = ()  # the roster
    roster_path: str | None = None  # the roster file read, if any
    calls: tuple[AgentCall, ...] = ()  # from transcripts and playbooks
    call_sources: tuple[str, ...] = ()  # transcripts and playbooks read, in order
    chats: tuple[Chat, ...] = ()  # Telegram exports
    claude_sessions: tuple[ClaudeSession, ...] = ()  # Claude Code transcripts (model_agents.py)
    mail: AgentMail | None = None  # an MCP Agent Mail archive, when one was found
    docs: RepoDocs | None = None  # the repository's own Diátaxis documents (model_docs.py)

    @property
    def messages(self) -> tuple[Message, ...]:
        return tuple(m for q in self.queues for m in q.messages)

    @property
    def tasks(self) -> tuple[Task, ...]:
        return tuple(t for tr in self.trackers for t in tr.tasks)

    @property
    def has_sources(self) -> bool:
        """Whether any board source was found (or reported unreadable): False for a repository
        that has no blackboard at all, most often the wrong folder."""
        return bool(
            self.scoreboard.exists
            or self.queues
            or self.trackers
            or self.roster_path
            or self.call_sources
            or self.chats
            or self.claude_sessions
            or self.mail is not None
            or self.problems
        )


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
