"""What coding agents' own files add to the outputs: status.json records and the Agents page views
of Claude Code sessions and MCP Agent Mail (profiles, threads, reservations, tokens by day)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from generator.agent_activity import (
    active_at,
    mail_waiting,
    matching_row,
    sessions_by_row,
    threads,
)
from generator.model import Board, Finding, Stamp
from generator.model_agents import (
    AgentMail,
    AgentRun,
    ClaudeSession,
    MailMessage,
    MailProfile,
    Reservation,
    Spawn,
    TokenUsage,
)
from generator.result import Result


def _at(stamp: Stamp | None) -> str | None:
    return stamp.iso() if stamp is not None else None


def tokens_record(t: TokenUsage) -> dict[str, int]:
    return {
        "input": t.input,
        "output": t.output,
        "cache_creation": t.cache_creation,
        "cache_read": t.cache_read,
        "total": t.total,
        "responses": t.responses,
    }


def _spawn_record(s: Spawn) -> dict[str, Any]:
    return {
        "path": s.source.path,
        "line": s.source.line,
        "tool_use_id": s.tool_use_id,
        "tool": s.tool,
        "at": _at(s.at),
        "description": s.description,
        "subagent_type": s.subagent_type,
        "prompt_head": s.prompt_head,
        "agent_id": s.agent_id,
        "agent_file": s.agent_file,
        "status": s.status,
    }


def _run_record(r: AgentRun) -> dict[str, Any]:
    return {
        "agent": r.agent,
        "path": r.source.path,
        "agent_type": r.agent_type,
        "description": r.description,
        "internal": r.internal,
        "first_at": _at(r.first),
        "last_at": _at(r.last),
        "lines": r.lines,
        "tools": dict(r.tools),
        "errors": [{"path": e.path, "line": e.line} for e in r.errors],
        "tokens": tokens_record(r.tokens),
    }


def coding_session_records(board: Board) -> list[dict[str, Any]]:
    """status.json `coding_sessions`: one per Claude Code session read."""
    out = []
    for cs in board.claude_sessions:
        row = matching_row(cs, board.scoreboard.rows)
        out.append(
            {
                "id": cs.id,
                "path": cs.source.path,
                "local": cs.local,
                "cwd": cs.cwd,
                "branch": cs.branch,
                "scoreboard_session": row.session_id if row is not None else None,
                "title": cs.title,
                "models": list(cs.models),
                "compactions": cs.compactions,
                "first_at": _at(cs.first),
                "last_at": _at(cs.last),
                "spawns": [_spawn_record(s) for s in cs.spawns],
                "agents": [_run_record(r) for r in cs.runs],
                "tokens": tokens_record(cs.tokens),
                "usage": [
                    {"day": u.day, "agent": u.agent, "model": u.model, **tokens_record(u.tokens)}
                    for u in cs.usage
                ],
            }
        )
    return out


def _message_record(m: MailMessage, acks_known: bool) -> dict[str, Any]:
    return {
        "path": m.source.path,
        "project": m.project,
        "id": m.id,
        "thread": m.thread,
        "at": _at(m.at),
        "from": m.sender,
        "to": list(m.to),
        "cc": list(m.cc),
        "subject": m.subject,
        "importance": m.importance,
        "ack_required": m.ack_required,
        "receipts": [
            {"agent": who, "read_at": _at(read), "ack_at": _at(ack)}
            for who, read, ack in m.receipts
        ]
        if acks_known
        else None,
    }


def _profile_record(p: MailProfile) -> dict[str, Any]:
    return {
        "path": p.source.path,
        "project": p.project,
        "name": p.name,
        "program": p.program,
        "model": p.model,
        "task": p.task,
        "inception_at": _at(p.inception),
        "last_active_at": _at(p.last_active),
        "retired": p.retired,
    }


def _reservation_record(r: Reservation) -> dict[str, Any]:
    return {
        "path": r.source.path,
        "project": r.project,
        "id": r.id,
        "agent": r.agent,
        "pattern": r.pattern,
        "exclusive": r.exclusive,
        "reason": r.reason,
        "created_at": _at(r.created),
        "expires_at": _at(r.expires),
        "released_at": _at(r.released),
    }


def agent_mail_record(mail: AgentMail | None) -> dict[str, Any] | None:
    """status.json `agent_mail`: the archive's messages, profiles and reservations; null if none."""
    if mail is None:
        return None
    return {
        "root": mail.root,
        "acks_known": mail.acks_known,
        "waiting": mail_waiting(mail),
        "messages": [_message_record(m, mail.acks_known) for m in mail.messages],
        "profiles": [_profile_record(p) for p in mail.profiles],
        "reservations": [_reservation_record(r) for r in mail.reservations],
    }


# --- the Agents page ---------------------------------------------------------------------------


@dataclass
class CodingView:
    """One Claude Code session as the Agents page shows it."""

    session: ClaudeSession
    anchor: str
    row_label: str | None
    row_index: int | None  # 1-based position on the scoreboard, for the link to its row
    tools: list[tuple[str, int]]
    chart: list[tuple[str, int, int]]  # (hour, lines, bar height 0–100)
    findings: list[Finding] = field(default_factory=list)


@dataclass
class MailThreadView:
    project: str
    thread: str
    anchor: str
    messages: list[MailMessage]


@dataclass
class MailInboxView:
    """One Agent Mail agent's inbox: the messages addressed or copied to it, newest first."""

    project: str
    agent: str
    anchor: str
    messages: list[MailMessage]


@dataclass
class LeaseView:
    lease: Reservation
    state: str  # `active`, `released`, `expired`


def session_anchor(cs: ClaudeSession) -> str:
    """The HTML id of a Claude Code session on the Agents page."""
    return "cc-" + "".join(c if c.isalnum() else "-" for c in cs.id)[:60]


def coding_links(board: Board) -> dict[str, list[tuple[str, str]]]:
    """Scoreboard session id -> (anchor on the Agents page, title) of its Claude Code sessions."""
    return {
        sid: [(session_anchor(cs), cs.title or cs.id[:8]) for cs in found]
        for sid, found in sessions_by_row(board).items()
    }


def thread_anchor(project: str, thread: str) -> str:
    """The HTML id of an Agent Mail thread on the Agents page."""
    return "mail-" + "".join(c if c.isalnum() else "-" for c in f"{project}-{thread}")


def inbox_anchor(project: str, agent: str) -> str:
    """The HTML id of an Agent Mail agent's inbox on the Agents page."""
    return "mail-inbox-" + "".join(c if c.isalnum() else "-" for c in f"{project}-{agent}")


def _chart(activity: tuple[tuple[str, int], ...]) -> list[tuple[str, int, int]]:
    if not activity:
        return []
    shown = list(activity[-48:])  # the last 48 active hours
    top = max(n for _, n in shown) or 1
    return [(hour, n, max(4, round(100 * n / top))) for hour, n in shown]


def activity_context(result: Result) -> dict[str, Any]:
    """What agents.md.j2 needs for the coding sessions and Agent Mail sections."""
    board = result.board
    rows = board.scoreboard.rows
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_path[f.path].append(f)
    views: list[CodingView] = []
    for cs in sorted(
        board.claude_sessions, key=lambda s: (-(s.last.value.timestamp() if s.last else 0), s.id)
    ):
        row = matching_row(cs, rows)
        tools: dict[str, int] = defaultdict(int)
        for run in cs.runs:
            for name, n in run.tools:
                tools[name] += n
        paths = {r.source.path for r in cs.runs}
        views.append(
            CodingView(
                session=cs,
                anchor=session_anchor(cs),
                row_label=row.label if row is not None else None,
                row_index=rows.index(row) + 1 if row is not None else None,
                tools=sorted(tools.items(), key=lambda kv: (-kv[1], kv[0])),
                chart=_chart(cs.activity),
                findings=sorted(
                    (f for p in paths for f in by_path.get(p, [])), key=Finding.sort_key
                ),
            )
        )
    cost: dict[tuple[str, str], TokenUsage] = {}
    for cs in board.claude_sessions:
        for u in cs.usage:
            label = f"{cs.id[:8]} · {u.agent}"
            key = (u.day, label)
            cost[key] = cost.get(key, TokenUsage()).plus(u.tokens)
    mail = board.mail
    mail_threads: list[MailThreadView] = []
    leases: list[LeaseView] = []
    mail_inboxes: list[MailInboxView] = []
    if mail is not None:
        for (project, thread), found in sorted(threads(mail.messages).items()):
            anchor = thread_anchor(project, thread)
            mail_threads.append(MailThreadView(project, thread, anchor, found))
        for lease in mail.reservations:
            leases.append(LeaseView(lease, _lease_state(lease, result.now)))
        boxes: dict[tuple[str, str], list[MailMessage]] = defaultdict(list)
        for m in mail.messages:
            for who in dict.fromkeys((*m.to, *m.cc)):
                boxes[(m.project, who)].append(m)
        for (project, who), found in sorted(boxes.items()):
            found.sort(key=lambda m: (m.at.value.timestamp() if m.at else 0, m.id), reverse=True)
            mail_inboxes.append(MailInboxView(project, who, inbox_anchor(project, who), found))
    return {
        "coding": views,
        "cost": [(day, who, t) for (day, who), t in sorted(cost.items())],
        "mail": mail,
        "mail_threads": mail_threads,
        "mail_profiles": sorted(
            mail.profiles if mail else (), key=lambda p: (p.project, p.name.lower())
        ),
        "leases": leases,
        "mail_inboxes": mail_inboxes,
        "thread_anchor": thread_anchor,
        "inbox_anchor": inbox_anchor,
        "mail_inbox_ids": {box.anchor for box in mail_inboxes},
    }


def _lease_state(lease: Reservation, now: datetime) -> str:
    if lease.released is not None and lease.released.value <= now:
        return "released"
    return "active" if active_at(lease, now) else "expired"
