"""Analyse a read board: liveness, address resolution, threads, waiting time, and the lint findings.

Nothing here reads files or writes output: it takes the frozen `Board` and returns frozen facts.
Every fact more than one rule or page needs (the address book, the roster, the task index, the
overlapping claims, the judged BASS transitions) is worked out once here, in `build_context`, and
read from the `Context`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from generator.agent_activity import transcript_seen
from generator.globs import overlaps
from generator.model import Board, ClaimRow, Finding, Message
from generator.tracking import Roster, TaskIndex, Transition, bass_transitions

if TYPE_CHECKING:
    # Only for annotations: importing the rules package here would load every rule module, and
    # they import this module, so a program that imports analysis first would hit a cycle. The
    # configuration checks rule names against that package: the same cycle the other way.
    from generator.config import Config
    from generator.rules.base import Rule

SESSION_ID = re.compile(r"^s[A-Z]$")
DISPLAY_NAME = re.compile(r"^[A-Za-z]{1,12}$")
# States after which the recipient still owes something (the sender is waiting on them).
OPEN_STATES = {"sent": "to be seen", "seen": "an answer or decision", "accepted": "to be done"}
ACK_STATES = ("sent", "seen", "answered", "accepted", "declined", "done")
MESSAGE_TYPES = ("question", "answer", "handoff", "claim", "release", "relay", "info")


class Liveness(StrEnum):
    """A session's presence state against now."""

    LIVE = "live"
    IDLE = "idle"
    STALE = "stale"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class SessionState:
    """A claim row with what analysis learned about it."""

    row: ClaimRow
    last_seen: datetime | None
    seen_by: str  # `presence`, `commit`, `transcript`, `claim` or `` (what gave last_seen)
    newest_commit_sha: str | None
    liveness: Liveness

    @property
    def id(self) -> str | None:
        return self.row.session_id


class AddressKind(StrEnum):
    """What an address in `to:` / `from:` resolved to."""

    SESSION = "session"
    EVERYONE = "everyone"
    HUMAN = "human"
    AGENT = "agent"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Resolved:
    """The result of resolving one address; `id` is a session id or agent id where known."""

    kind: AddressKind
    id: str | None
    raw: str


@dataclass(frozen=True, slots=True)
class AddressBook:
    """Every identity the board knows: claim rows, names, ids seen in history, agents."""

    ids: frozenset[str]  # session ids known from rows, history and queue file names
    names: dict[str, str | None]  # lower-cased display name -> session id (None: pool only)
    agents: frozenset[str]
    project_tag: str | None
    # Every rule resolves the same few addresses thousands of times: each is worked out once.
    _resolved: dict[str | None, Resolved] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def resolve(self, address: str | None) -> Resolved:
        known = self._resolved.get(address)
        if known is None:
            known = self._resolved[address] = self._resolve(address)
        return known

    def _resolve(self, address: str | None) -> Resolved:
        raw = (address or "").strip()
        text = raw
        if text.lower() in ("all", "*"):
            return Resolved(AddressKind.EVERYONE, None, raw)
        if text.lower() == "human":
            return Resolved(AddressKind.HUMAN, None, raw)
        if text.startswith("agent:"):
            parts = text.split(":")
            agent = parts[1] if len(parts) > 1 else ""
            kind = AddressKind.AGENT if agent in self.agents else AddressKind.UNKNOWN
            return Resolved(kind, agent or None, raw)
        if ":" in text:
            tag, _, rest = text.partition(":")
            if self.project_tag is not None and tag != self.project_tag:
                return Resolved(AddressKind.UNKNOWN, None, raw)
            if rest == "*":
                return Resolved(AddressKind.EVERYONE, None, raw)
            text = rest
        if text in self.ids:
            return Resolved(AddressKind.SESSION, text, raw)
        if text.lower() in self.names:
            return Resolved(AddressKind.SESSION, self.names[text.lower()], raw)
        if text in self.agents:
            return Resolved(AddressKind.AGENT, text, raw)
        return Resolved(AddressKind.UNKNOWN, None, raw)


@dataclass(frozen=True, slots=True)
class Overlap:
    """Two claim rows of different sessions, neither stale, whose Scope paths share a file.

    `earlier` is the row higher on the scoreboard; `pairs` are (earlier's path, later's path).
    """

    earlier: SessionState
    later: SessionState
    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Context:
    """What every rule and page sees: the board, the configuration, now, and derived facts."""

    board: Board
    config: Config
    now: datetime
    sessions: tuple[SessionState, ...]
    book: AddressBook
    # session id -> the sorted times it showed a sign of life (claims, presence, its commits)
    seen_times: dict[str, tuple[datetime, ...]]
    roster: Roster
    tasks: TaskIndex
    # every pair of claims the scope-overlap rule reports, in scoreboard order of the later row
    overlaps: tuple[Overlap, ...]
    # session id -> the sorted times its claim row was removed (released or reaped), from git
    gone_times: dict[str, tuple[datetime, ...]] = field(default_factory=dict)
    # every BASS activity row with its verdict (the bass-* rules and the Tasks page read it)
    transitions: tuple[Transition, ...] = ()
    # Facts several rules derive from the board alike (the parsed messages, the claims held at
    # each commit): the first rule to ask works one out, the others read it (`rules._common`).
    derived: dict[Callable[[Context], Any], Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def session(self, session_id: str | None) -> SessionState | None:
        """The first claim row of `session_id`, if any."""
        for state in self.sessions:
            if state.id == session_id:
                return state
        return None

    def liveness_at(self, session_id: str, moment: datetime) -> Liveness:
        """The liveness of a session at a past moment, from every sign of life known up to then.

        Signs of life are claims, every Presence value the scoreboard's history held and the
        session's commits. A session whose row was removed after its last sign of life had left
        the board by then: UNKNOWN, as before its first sign.
        """
        times = self.seen_times.get(session_id, ())
        i = bisect.bisect_right(times, moment)
        if i == 0:
            return Liveness.UNKNOWN
        gone = self.gone_times.get(session_id, ())
        j = bisect.bisect_right(gone, moment)
        if j and gone[j - 1] >= times[i - 1]:
            return Liveness.UNKNOWN
        return classify(moment - times[i - 1], self.config)

    def overlaps_of(self, state: SessionState) -> list[tuple[str, SessionState]]:
        """(own claimed path, the other session) for each path of `state` another claim shares,
        once per pair, in scoreboard order of the other session."""
        found: list[tuple[int, str, SessionState]] = []
        order = {id(s): i for i, s in enumerate(self.sessions)}
        for overlap in self.overlaps:
            if overlap.earlier is state:
                mine, other = [x for x, _ in overlap.pairs], overlap.later
            elif overlap.later is state:
                mine, other = [y for _, y in overlap.pairs], overlap.earlier
            else:
                continue
            found.extend((order[id(other)], path, other) for path in dict.fromkeys(mine))
        return [(path, other) for _, path, other in sorted(found, key=lambda f: (f[0], f[1]))]

    def present_between(self, session_id: str, start: datetime, end: datetime) -> bool:
        """True when the session was live or idle at some moment in [start, end]."""
        if self.liveness_at(session_id, start) in (Liveness.LIVE, Liveness.IDLE):
            return True
        times = self.seen_times.get(session_id, ())
        i = bisect.bisect_left(times, start)
        return i < len(times) and times[i] <= end


def classify(age: timedelta, config: Config) -> Liveness:
    """live / idle / stale for a time since last seen, by the configured thresholds."""
    t = config.thresholds
    if age <= timedelta(minutes=t.live_minutes):
        return Liveness.LIVE
    if age <= timedelta(hours=t.stale_hours):
        return Liveness.IDLE
    return Liveness.STALE


def _session_state(
    row: ClaimRow,
    board: Board,
    config: Config,
    now: datetime,
    transcripts: dict[str, tuple[datetime, Any]] | None = None,
) -> SessionState:
    candidates: list[tuple[datetime, str, str | None]] = []
    if row.presence is not None:
        candidates.append((row.presence.value, "presence", None))
    if row.session_id is not None:
        since = row.claimed.value if row.claimed is not None else None
        commit = board.history.newest_by_session(row.session_id, since)
        if commit is not None:
            candidates.append((commit.at, "commit", commit.sha))
        # The third signal: the newest line of a Claude Code session working for this row.
        seen = (transcripts or {}).get(row.session_id)
        if seen is not None and seen[0] <= now:
            candidates.append((seen[0], "transcript", None))
    if row.claimed is not None:
        candidates.append((row.claimed.value, "claim", None))
    if not candidates:
        return SessionState(row, None, "", None, Liveness.UNKNOWN)
    # max by time; on a tie prefer presence, then commit, then claim (the list's order)
    best = max(candidates, key=lambda c: c[0])
    sha = next((c[2] for c in candidates if c[1] == "commit"), None)
    return SessionState(row, best[0], best[1], sha, classify(now - best[0], config))


def claim_overlaps(sessions: Sequence[SessionState]) -> tuple[Overlap, ...]:
    """Every pair of rows of different sessions, neither stale, whose claimed paths overlap.

    A row whose liveness is unknown (no timestamp at all) is not stale: its claim has not been
    shown to lapse. One session's two rows are duplicate-claim's, not an overlap.
    """
    holding = [s for s in sessions if s.id is not None and s.liveness is not Liveness.STALE]
    found: list[Overlap] = []
    for j, later in enumerate(holding):
        for earlier in holding[:j]:
            if earlier.id == later.id:
                continue
            pairs = tuple(
                (x, y) for x in earlier.row.paths for y in later.row.paths if overlaps(x, y)
            )
            if pairs:
                found.append(Overlap(earlier, later, pairs))
    return tuple(found)


def build_context(
    board: Board, config: Config, now: datetime, agents: Iterable[str] = ()
) -> Context:
    """Derive liveness, the address book, the signs of life of every session, the roster, the
    task index, the overlapping claims and the judged BASS transitions."""
    transcripts = transcript_seen(board)
    sessions = tuple(
        _session_state(r, board, config, now, transcripts) for r in board.scoreboard.rows
    )
    ids: set[str] = {r.session_id for r in board.scoreboard.rows if r.session_id}
    ids.update(c.session for c in board.history.commits if c.session)
    # Not the queue file names: a typo'd `to-sQ.md` must not make `to:sQ` a known session.
    names: dict[str, str | None] = {n.lower(): None for n in (*config.names, *board.name_pool)}
    for r in board.scoreboard.rows:
        if r.name:
            names.setdefault(r.name.lower(), r.session_id)
            if names[r.name.lower()] is None:
                names[r.name.lower()] = r.session_id
    # Rows of the past (formats.md §1: addresses resolve through the git history of claims too);
    # the current rows, read first, keep a name that moved to another session.
    for span in reversed(board.history.claims):
        if SESSION_ID.match(span.session):
            ids.add(span.session)
            if span.name and names.get(span.name.lower()) is None:
                names[span.name.lower()] = span.session
    seen: dict[str, list[datetime]] = {}
    for r in board.scoreboard.rows:
        if r.session_id is None:
            continue
        bucket = seen.setdefault(r.session_id, [])
        bucket.extend(s.value for s in (r.claimed, r.presence) if s is not None)
    for c in board.history.commits:
        if c.session is not None:
            seen.setdefault(c.session, []).append(c.at)
    gone: dict[str, list[datetime]] = {}
    for span in board.history.claims:  # the claims over time, from the scoreboard's history
        bucket = seen.setdefault(span.session, [])
        bucket.extend(beat.at for beat in span.beats if beat.at is not None)
        if span.claimed is not None:
            bucket.append(span.claimed)
        if span.removed is not None:
            gone.setdefault(span.session, []).append(span.removed.at)
    # Roster agents resolve (`agent:frankel:main`) whether or not the caller passed them.
    known_agents = frozenset((*agents, *(a.id for a in board.agents)))
    book = AddressBook(frozenset(ids), names, known_agents, config.project_tag)
    times = {k: tuple(sorted(v)) for k, v in seen.items()}
    left = {k: tuple(sorted(v)) for k, v in gone.items()}
    return Context(
        board,
        config,
        now,
        sessions,
        book,
        times,
        roster=Roster(board.agents),
        tasks=TaskIndex(board.trackers),
        overlaps=claim_overlaps(sessions),
        gone_times=left,
        transitions=tuple(bass_transitions(board)),
    )


def run_rules(ctx: Context, rules: Sequence[Rule]) -> tuple[Finding, ...]:
    """Run each enabled rule; findings come back sorted by path, line, rule, message."""
    findings: list[Finding] = []
    for rule in rules:
        severity = ctx.config.severity_for(rule.name, rule.severity)
        if severity is None:
            continue
        for hit in rule.check(ctx):
            level = severity
            if hit.severity is not None and hit.severity.rank < severity.rank:
                level = hit.severity  # a hit may be milder than its rule, never harsher
            findings.append(Finding(rule.name, level, hit.path, hit.line, hit.message, hit.commit))
    findings.sort(key=Finding.sort_key)
    return tuple(_dedupe(findings))


def _dedupe(findings: list[Finding]) -> Iterable[Finding]:
    last: Finding | None = None
    for f in findings:
        if f != last:
            yield f
        last = f


# --- views the site needs (pure functions of the board) -----------------------------------------


def reply_target(message: Message, messages: Sequence[Message]) -> Message | None:
    """The message a `re:` answers: same send time, preferring the one this reply is addressed to."""
    if not message.re:
        return None
    from generator.timeutil import parse_stamp

    wanted = parse_stamp(message.re)
    if wanted is None:
        return None
    matches = [
        m for m in messages if m.at is not None and m.at.value == wanted.value and m is not message
    ]
    if not matches:
        return None
    for m in matches:
        if message.to and m.sender and m.sender == message.to:
            return m
    return matches[0]


def waiting_on(message: Message) -> str | None:
    """What the sender is still waiting for, or None when the message needs nothing more."""
    if message.is_broadcast or not message.parsed:
        # an unreadable block has no known recipient or state: it is a finding, not a wait
        return None
    if message.status == "sent":
        return OPEN_STATES["sent"]
    if message.status == "seen" and message.type in ("question", "handoff", "claim"):
        return OPEN_STATES["seen"]
    if message.status == "accepted":
        return OPEN_STATES["accepted"]
    return None
