"""Facts derived from coding agents' own files: which claim a Claude Code session works for, and
the Agent Mail reservations in force. Pure functions of the board; nothing here reads files."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import PurePosixPath

from generator.model import Board, ClaimRow, Stamp
from generator.model_agents import AgentMail, ClaudeSession, MailMessage, Reservation

# Branches many sessions share: a transcript on one of them says nothing about which claim it is.
_SHARED_BRANCHES = frozenset({"main", "master", "trunk", "develop", "dev", "head"})


def _leaf(path: str) -> str:
    return PurePosixPath(path.replace("\\", "/").rstrip("/")).name.lower()


def _words(text: str) -> str:
    return re.sub(r"[`*_]", "", text).strip()


def matching_row(session: ClaudeSession, rows: Sequence[ClaimRow]) -> ClaimRow | None:
    """The claim row a session works for: the one whose branch, or worktree folder, is the
    session's (`gitBranch` / `cwd`); None when no row, or more than one, says so."""
    found: list[ClaimRow] = []
    branch = (session.branch or "").strip()
    if branch and branch.lower() not in _SHARED_BRANCHES:
        found = [r for r in rows if r.branch and _words(r.branch) == branch]
    if not found and session.cwd:
        leaf = _leaf(session.cwd)
        found = [r for r in rows if _words(r.worktree) and _leaf(_words(r.worktree)) == leaf]
    ids = {r.session_id for r in found}
    return found[0] if len(ids) == 1 else None


def transcript_seen(board: Board) -> dict[str, tuple[datetime, ClaudeSession]]:
    """Scoreboard session id -> the newest transcript activity of a session mapped to its row."""
    out: dict[str, tuple[datetime, ClaudeSession]] = {}
    rows = board.scoreboard.rows
    for cs in board.claude_sessions:
        if cs.last is None:
            continue
        row = matching_row(cs, rows)
        if row is None or row.session_id is None:
            continue
        known = out.get(row.session_id)
        if known is None or cs.last.value > known[0]:
            out[row.session_id] = (cs.last.value, cs)
    return out


def sessions_by_row(board: Board) -> dict[str, list[ClaudeSession]]:
    """Scoreboard session id -> the Claude Code sessions mapped to its row, newest first."""
    out: dict[str, list[ClaudeSession]] = {}
    for cs in board.claude_sessions:
        row = matching_row(cs, board.scoreboard.rows)
        if row is not None and row.session_id is not None:
            out.setdefault(row.session_id, []).append(cs)
    for found in out.values():
        found.sort(key=lambda s: s.last.value.timestamp() if s.last else 0, reverse=True)
    return out


def active_at(lease: Reservation, moment: datetime) -> bool:
    """Whether a reservation was in force at `moment` (created, not yet expired or released)."""
    if lease.created is not None and moment < lease.created.value:
        return False
    ends = [s.value for s in (lease.expires, lease.released) if s is not None]
    return not ends or moment < min(ends)


def interval(lease: Reservation) -> tuple[datetime | None, datetime | None]:
    """When a reservation started and ended (its release, else its expiry)."""
    ends = [s.value for s in (lease.expires, lease.released) if s is not None]
    return (lease.created.value if lease.created else None, min(ends) if ends else None)


def threads(messages: Iterable[MailMessage]) -> dict[tuple[str, str], list[MailMessage]]:
    """(project, thread) -> its messages, oldest first."""
    out: dict[tuple[str, str], list[MailMessage]] = {}
    for m in messages:
        out.setdefault((m.project, m.thread), []).append(m)
    for found in out.values():
        found.sort(key=lambda m: (m.at.value.timestamp() if m.at else 0, m.id))
    return out


def ack_state(
    message: MailMessage, recipient: str, acks_known: bool
) -> tuple[str, Stamp | None, Stamp | None]:
    """(`acked` / `read` / `unread` / `unknown`, read time, ack time) of one recipient: unknown
    without the database, or when the database holds no receipt for it."""
    if not acks_known:
        return "unknown", None, None
    mine = [r for r in message.receipts if r[0] == recipient] or [
        r for r in message.receipts if r[0].casefold() == recipient.casefold()
    ]
    if not mine:
        return "unknown", None, None
    _, read, ack = mine[0]
    return ("acked" if ack else ("read" if read else "unread")), read, ack


def awaits_ack(message: MailMessage, state: str) -> bool:
    """Whether the sender waits on this recipient: it asked for an ack, and the database shows
    the recipient has not given one (an unknown state is no wait)."""
    return message.ack_required and state in ("read", "unread")


def mail_waiting(mail: AgentMail | None) -> int:
    """How many (message, recipient) pairs of the archive wait for an ack."""
    if mail is None:
        return 0
    return sum(
        1
        for m in mail.messages
        for who in dict.fromkeys((*m.to, *m.cc))
        if awaits_ack(m, ack_state(m, who, mail.acks_known)[0])
    )
