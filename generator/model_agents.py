"""What coding agents leave behind: Claude Code sessions and MCP Agent Mail archives (frozen records).

Kept apart from `model.py` so the board model stays readable; `Board` refers to these records.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import SourceRef, Stamp


@dataclass(frozen=True, slots=True)
class TokenUsage:
    """Tokens of model responses, each response counted once (by `message.id`)."""

    input: int = 0
    output: int = 0
    cache_creation: int = 0
    cache_read: int = 0
    responses: int = 0

    @property
    def total(self) -> int:
        return self.input + self.output + self.cache_creation + self.cache_read

    def plus(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            self.input + other.input,
            self.output + other.output,
            self.cache_creation + other.cache_creation,
            self.cache_read + other.cache_read,
            self.responses + other.responses,
        )


@dataclass(frozen=True, slots=True)
class DayUsage:
    """Tokens of one agent of a session (`main` or a subagent id) on one UTC day."""

    day: str  # YYYY-MM-DD
    agent: str
    model: str | None
    tokens: TokenUsage


@dataclass(frozen=True, slots=True)
class Spawn:
    """One subagent spawn: a `Task` / `Agent` tool call, linked to its result and its file."""

    source: SourceRef
    tool_use_id: str
    tool: str
    at: Stamp | None
    description: str | None  # None: the call gave none (a finding)
    subagent_type: str | None
    prompt_head: str
    agent_id: str | None = None  # the subagent's id, from the tool result or a progress line
    agent_file: str | None = None  # the subagent transcript, when it was found
    status: str | None = None  # `completed`, `error`, … from the tool result; None: no result
    result_head: str = ""


@dataclass(frozen=True, slots=True)
class AgentRun:
    """What one transcript file (the main one or a subagent's) shows."""

    source: SourceRef  # the file, no line
    agent: str  # `main`, or the subagent id
    agent_type: str | None  # from `<agent>.meta.json` or the spawn
    description: str | None
    first: Stamp | None
    last: Stamp | None
    lines: int
    tools: tuple[tuple[str, int], ...]  # tool name -> uses, by name
    errors: tuple[SourceRef, ...]  # tool results with `is_error: true`
    tokens: TokenUsage
    internal: bool = False  # a compaction helper (`agent-acompact-*`), not a spawn


@dataclass(frozen=True, slots=True)
class ClaudeSession:
    """One Claude Code session: its main transcript and its subagents' transcripts."""

    source: SourceRef
    id: str
    cwd: str | None
    branch: str | None
    title: str | None  # `ai-title` / `summary` line, else the slug
    models: tuple[str, ...]
    compactions: int
    first: Stamp | None
    last: Stamp | None
    spawns: tuple[Spawn, ...]
    runs: tuple[AgentRun, ...]  # the main run first, then subagents by file name
    usage: tuple[DayUsage, ...]  # per agent per day, sorted
    activity: tuple[tuple[str, int], ...]  # `YYYY-MM-DDTHH` -> lines written that hour
    local: bool = False  # read from the person's own ~/.claude/projects (opt-in)

    @property
    def tokens(self) -> TokenUsage:
        total = TokenUsage()
        for run in self.runs:
            total = total.plus(run.tokens)
        return total

    @property
    def errors(self) -> int:
        return sum(len(r.errors) for r in self.runs)


@dataclass(frozen=True, slots=True)
class MailMessage:
    """One MCP Agent Mail message (`messages/YYYY/MM/*.md` with a `---json` front matter)."""

    source: SourceRef
    project: str  # the archive's project slug
    id: str
    thread: str  # `thread_id`, else the message's own id
    at: Stamp | None
    sender: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str
    importance: str
    ack_required: bool
    body: str
    # (recipient, read_ts, ack_ts) from the database; empty when the acks are not known
    receipts: tuple[tuple[str, Stamp | None, Stamp | None], ...] = ()


@dataclass(frozen=True, slots=True)
class MailProfile:
    """One `agents/<Name>/profile.json`."""

    source: SourceRef
    project: str
    name: str
    program: str
    model: str
    task: str
    inception: Stamp | None
    last_active: Stamp | None
    retired: bool


@dataclass(frozen=True, slots=True)
class Reservation:
    """One `file_reservations/*.json`: an agent's lease on a path pattern."""

    source: SourceRef
    project: str
    id: str
    agent: str
    pattern: str
    exclusive: bool
    reason: str
    created: Stamp | None
    expires: Stamp | None
    released: Stamp | None


@dataclass(frozen=True, slots=True)
class AgentMail:
    """An MCP Agent Mail archive as read; `acks_known` only when its database was read."""

    root: str
    messages: tuple[MailMessage, ...] = ()
    profiles: tuple[MailProfile, ...] = ()
    reservations: tuple[Reservation, ...] = ()
    acks_known: bool = False
    database: str | None = None
