"""The overview page (index.md.j2): "who needs me?" first.

What waits on the person (messages to `human`, BASS reviews waiting for sign-off, blocked tasks,
handoffs nobody accepted), then the sessions stale → idle → live with their task and how long in
that state, then the top findings, errors first. The build's order is the no-script fallback;
statusboard.js re-sorts the sessions and recounts "needs you" as time passes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from generator.analysis import AddressKind, Liveness
from generator.config import Thresholds
from generator.model import Finding
from generator.render.pages.common import Render, finding_key
from generator.render.pages.inboxes import MessageView, RecipientView
from generator.render.pages.locations import Locations, Where
from generator.render.pages.scoreboard import SessionView
from generator.render.tasks import TaskPages
from generator.result import Result
from generator.tracking import category, is_handoff, last_activity, signers, task_label

# Sessions needing a look come first; a session never seen sorts just after the stale ones.
SESSION_ORDER = (Liveness.STALE, Liveness.UNKNOWN, Liveness.IDLE, Liveness.LIVE)
NEED_ORDER = ("message", "review", "handoff", "blocked")
TOP_FINDINGS = 5


@dataclass(frozen=True, slots=True)
class Need:
    """One thing that waits on the person, with where to act on it."""

    kind: str  # `message`, `review`, `handoff`, `blocked`
    title: str
    detail: str
    page: str
    anchor: str | None
    since: datetime | None  # how long it has waited, where known


@dataclass(frozen=True, slots=True)
class SessionLine:
    """A claim row as the overview lists it: its task's title, scope and time in its state."""

    view: SessionView
    index: int  # its row on the scoreboard (the `session-N` anchor)
    task_title: str
    task_page: str | None
    task_anchor: str | None
    since: datetime | None  # when it entered its state (live: last seen)


@dataclass(frozen=True, slots=True)
class TopFinding:
    finding: Finding
    where: Where


def state_since(liveness: Liveness, last_seen: datetime | None, t: Thresholds) -> datetime | None:
    """When a session entered its state: stale and idle after their thresholds, live when seen."""
    if last_seen is None:
        return None
    if liveness is Liveness.STALE:
        return last_seen + timedelta(hours=t.stale_hours)
    if liveness is Liveness.IDLE:
        return last_seen + timedelta(minutes=t.live_minutes)
    return last_seen


def needs(result: Result, recipients: list[RecipientView], tasks: TaskPages) -> list[Need]:
    """Everything that waits on the person, by kind, longest waiting first."""
    book = result.context.book
    out: list[Need] = []
    for r in recipients:
        for v in r.messages:
            # Addressed to the person, whichever queue it was filed in.
            to = v.message.to or r.key
            if v.waiting and book.resolve(to).kind is AddressKind.HUMAN:
                out.append(_message_need("message", v, f"{v.message.type or 'message'}"))
    for r in recipients:
        for v in r.messages:
            m = v.message
            if m.type == "handoff" and m.status in ("sent", "seen") and v.waiting:
                out.append(_message_need("handoff", v, "handoff"))
    who = ", ".join(signers(result.config, result.context.roster)) or "the person"
    for tracker in result.board.trackers:
        for task in tracker.tasks:
            state = category(task)
            link = tasks.task_link(task)
            title = f"{task_label(task)} {task.title}".strip()
            since = last_activity(task)
            if tracker.kind == "bass" and state == "review":
                out.append(
                    Need("review", title, f"sign-off by {who}", link.page, link.anchor, since)
                )
            elif state == "blocked":
                detail = task.blocker or "blocked"
                out.append(Need("blocked", title, detail, link.page, link.anchor, since))
            elif (
                is_handoff(task) and state != "done" and not any(a.strip() for a in task.assignees)
            ):
                out.append(Need("handoff", title, "no assignee", link.page, link.anchor, since))
    floor = result.now.replace(year=1)
    out.sort(key=lambda n: (NEED_ORDER.index(n.kind), n.since or floor, n.title))
    return out


def _message_need(kind: str, v: MessageView, what: str) -> Need:
    m = v.message
    title = f"{what} from {m.sender} to {v.owner.title}"
    detail = f"{m.ref} · {v.summary}" if m.ref else v.summary
    return Need(kind, title, detail, v.archive, v.anchor, v.waiting_since)


def session_lines(
    result: Result, sessions: list[SessionView], tasks: TaskPages
) -> list[SessionLine]:
    """The sessions stale → never seen → idle → live, the longest in their state first."""
    t = result.config.thresholds
    lines = []
    for i, s in enumerate(sessions, start=1):
        found = result.context.tasks.in_text(s.row.task)
        link = tasks.task_link(found[0]) if found else None
        since = state_since(s.state.liveness, s.state.last_seen, t)
        lines.append(
            SessionLine(
                s,
                i,
                found[0].title if found else "",
                link.page if link else None,
                link.anchor if link else None,
                since,
            )
        )
    floor = result.now.replace(year=1)
    lines.sort(
        key=lambda x: (SESSION_ORDER.index(x.view.state.liveness), x.since or floor, x.index)
    )
    return lines


def render_overview(
    render: Render,
    result: Result,
    status: dict[str, Any],
    repo: str | None,
    sessions: list[SessionView],
    recipients: list[RecipientView],
    waiting: list[MessageView],
    tasks: TaskPages,
    locations: Locations,
    include_docs: bool,
) -> None:
    """index.md: what needs the person, the sessions, the top findings, then the counts."""
    history = result.board.history
    commit_url = f"{repo}/commit/{history.head}" if repo and history.head else None
    top = sorted(result.findings, key=finding_key)[:TOP_FINDINGS]
    render(
        "index.md.j2",
        "index.md",
        status=status,
        counts=status["counts"],
        findings=status["findings"],
        history=history,
        commit_url=commit_url,
        sessions=session_lines(result, sessions, tasks),
        needs=needs(result, recipients, tasks),
        top_findings=[TopFinding(f, locations.of(f)) for f in top],
        waiting=waiting[:5],
        waiting_total=len(waiting),
        recipients=recipients,
        has_sources=result.board.has_sources,
        onboard_page="docs/how-to/onboard.md" if include_docs else None,
    )
