"""The Tasks and Agents pages' view models, and the `tasks[]` / `agents[]` records of status.json.

Pure: a Result in, plain objects out. The templates `tasks.md.j2`, `tracker.md.j2` and
`agents.md.j2` only read these.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from generator.analysis import AddressKind, Context
from generator.model import Agent, AgentCall, Board, Finding, Message, Task, TaskChange, Tracker
from generator.pipeline import Result
from generator.tracking import (
    CATEGORIES,
    CATEGORY_TITLES,
    TRACKER_TITLES,
    TaskIndex,
    Transition,
    bass_changes,
    bass_transitions,
    category,
    last_activity,
    owner,
    roster,
    task_anchor,
    task_index,
    task_label,
    task_refs,
)

MAX_GRAPH_NODES = 60  # a bigger dependency graph is cut, and the page says so
COLUMN_CARDS = 25  # cards per board column; the rest are counted and listed below
DONE_CARDS = 40  # done tasks with a full card; older ones get one row each
_LABEL_SAFE = re.compile(r"[^A-Za-z0-9 .,:/()+_-]+")
_CLASS_DEFS = (
    "  classDef todo fill:#edf2f7,stroke:#718096,color:#1a202c",
    "  classDef inprogress fill:#fefcbf,stroke:#b7791f,color:#1a202c",
    "  classDef review fill:#bee3f8,stroke:#2b6cb0,color:#1a202c",
    "  classDef blocked fill:#fed7d7,stroke:#c53030,color:#1a202c",
    "  classDef done fill:#c6f6d5,stroke:#1b873f,color:#1a202c",
    "  classDef other fill:#f7fafc,stroke:#a0aec0,color:#1a202c",
)


# --- status.json ----------------------------------------------------------------------------


def lane(task: Task) -> str | None:
    """The lane of a task: its BASS project, else its first label."""
    return task.project or (task.labels[0] if task.labels else None)


def task_record(task: Task) -> dict[str, Any]:
    """One task as status.json shows it (contract.md: source, id, title, status, assignee, deps)."""
    return {
        "source": task.tracker,
        "id": task.id,
        "title": task.title,
        "status": task.status,
        "state": category(task),
        "assignee": task.assignee,
        "assignees": list(task.assignees),
        "deps": list(task.deps),
        "lane": lane(task),
        "labels": list(task.labels),
        "type": task.type,
        "blocker": task.blocker or None,
        "created_at": task.created.iso() if task.created else None,
        "updated_at": task.updated.iso() if task.updated else None,
        "url": task.url,
        "path": task.source.path,
        "line": task.source.line,
    }


def agent_record(agent: Agent) -> dict[str, Any]:
    """One roster agent as status.json shows it (contract.md: id, name, type)."""
    return {
        "id": agent.id,
        "name": agent.name,
        "type": agent.type,
        "role": agent.role,
        "reach": agent.reach or None,
        "path": agent.source.path,
        "line": agent.source.line,
    }


def task_counts(board: Board) -> dict[str, Any]:
    """Tasks by board column and by tracker: the Overview's numbers."""
    states = Counter(category(t) for t in board.tasks)
    return {
        **{state: states[state] for state in CATEGORIES},
        "total": len(board.tasks),
        "by_source": {tr.kind: len(tr.tasks) for tr in board.trackers},
    }


# --- pages ----------------------------------------------------------------------------------


def tracker_page(kind: str) -> str:
    return f"tasks/{kind}.md"


@dataclass(slots=True)
class Link:
    """A link from a task to something else of the site: page, anchor, text."""

    page: str
    anchor: str | None
    text: str
    note: str = ""


@dataclass(slots=True)
class Event:
    """One line of a task's history: created, commented, changed state, updated."""

    at: datetime | None
    raw_at: str
    kind: str  # `created`, `updated`, `comment`, `change`
    who: str
    text: str
    findings: list[Finding] = field(default_factory=list)  # about this change or comment


@dataclass(slots=True)
class TaskView:
    """A task with what its card shows."""

    task: Task
    anchor: str
    page: str
    state: str
    assignees: list[tuple[str, Link | None]]  # (as written, link to the session or agent)
    deps: list[tuple[str, Link | None]]  # (as written, link to the task; None: dangling)
    dependents: list[Link]
    sessions: list[Link]  # scoreboard rows whose Task cell names the task
    messages: list[Link]  # queue messages whose ref names the task
    events: list[Event]
    findings: list[Finding]
    last_active: datetime | None

    @property
    def label(self) -> str:
        return task_label(self.task)


@dataclass(frozen=True, slots=True)
class GraphNode:
    """A task box of the dependency graph, placed."""

    x: int
    y: int
    label: str  # `Riff #412`
    title: str  # clipped
    state: str
    anchor: str
    tooltip: str


@dataclass(frozen=True, slots=True)
class GraphEdge:
    """An arrow from a task to the task that waits on it, as an SVG path."""

    path: str
    back: bool  # points against the layers (a cycle)


@dataclass(frozen=True, slots=True)
class Graph:
    """The dependency graph of one tracker, laid out in layers (no JavaScript needed)."""

    width: int
    height: int
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    mermaid: str  # the same graph as mermaid source, board text sanitised
    note: str  # what was left out, when the tracker is too big


NODE_W, NODE_H, GAP_X, GAP_Y, PAD = 190, 46, 56, 14, 8


def _layers(nodes: list[Task], edges: list[tuple[Task, Task]]) -> dict[int, int]:
    """Layer of each node (by id): the longest chain of dependencies before it; cycles last."""
    preds: dict[int, list[int]] = defaultdict(list)
    for a, b in edges:
        preds[id(b)].append(id(a))
    layer: dict[int, int] = {}
    remaining = [id(t) for t in nodes]
    while remaining:
        ready = [n for n in remaining if all(p in layer for p in preds[n] if p != n)]
        if not ready:  # a cycle: place its first member after everything placed so far
            ready = [remaining[0]]
        for n in ready:
            layer[n] = 1 + max((layer[p] for p in preds[n] if p in layer), default=-1)
        remaining = [n for n in remaining if n not in layer]
    return layer


def layout(nodes: list[Task], edges: list[tuple[Task, Task]], mermaid: str, note: str) -> Graph:
    """Place the tasks in columns by layer and draw each dependency as a curve."""
    layer = _layers(nodes, edges)
    columns: dict[int, list[Task]] = defaultdict(list)
    for t in nodes:
        columns[layer[id(t)]].append(t)
    place: dict[int, tuple[int, int]] = {}
    for col, members in columns.items():
        for row, t in enumerate(members):
            place[id(t)] = (PAD + col * (NODE_W + GAP_X), PAD + row * (NODE_H + GAP_Y))
    placed = tuple(
        GraphNode(
            x=place[id(t)][0],
            y=place[id(t)][1],
            label=task_label(t),
            title=t.title if len(t.title) <= 28 else t.title[:27].rstrip() + "…",
            state=category(t),
            anchor=task_anchor(t),
            tooltip=f"{task_label(t)} {t.title} ({t.status or 'no status'})",
        )
        for t in nodes
    )
    arrows: list[GraphEdge] = []
    for a, b in edges:
        (ax, ay), (bx, by) = place[id(a)], place[id(b)]
        x1, y1 = ax + NODE_W, ay + NODE_H // 2
        x2, y2 = bx - 4, by + NODE_H // 2
        back = layer[id(b)] <= layer[id(a)]
        bend = max(40, abs(x2 - x1) // 2)
        if back:  # loop around underneath, so a cycle is visible as one
            low = max(ay, by) + NODE_H + GAP_Y // 2
            arrows.append(GraphEdge(f"M{x1},{y1} C{x1 + 40},{low} {x2 - 40},{low} {x2},{y2}", True))
        else:
            arrows.append(
                GraphEdge(f"M{x1},{y1} C{x1 + bend},{y1} {x2 - bend},{y2} {x2},{y2}", False)
            )
    width = PAD * 2 + len(columns) * NODE_W + (len(columns) - 1) * GAP_X
    tallest = max(len(m) for m in columns.values())
    height = PAD * 2 + tallest * NODE_H + (tallest - 1) * GAP_Y + GAP_Y
    return Graph(width, height, placed, tuple(arrows), mermaid, note)


@dataclass(slots=True)
class TrackerView:
    """One tracker: its tasks in board columns, the graph, what could not be read."""

    tracker: Tracker
    title: str
    page: str
    tasks: list[TaskView]
    columns: list[tuple[str, str, list[TaskView], int]]  # (state, title, cards shown, total)
    statuses: list[tuple[str, int]]  # the tracker's own states as written, with counts
    graph: Graph | None  # None when no task has dependencies
    findings: list[Finding] = field(default_factory=list)  # about the file, not a task
    cards: list[TaskView] = field(default_factory=list)  # tasks with a full card
    archived: list[TaskView] = field(default_factory=list)  # older done tasks: one row each

    def count(self, state: str) -> int:
        return sum(1 for t in self.tasks if t.state == state)

    @property
    def finding_count(self) -> int:
        return len(self.findings) + sum(len(t.findings) for t in self.tasks)


@dataclass(slots=True)
class CallView:
    call: AgentCall
    findings: list[Finding]


@dataclass(slots=True)
class AgentView:
    """A roster agent (or an agent only seen in transcripts) with its activity."""

    id: str
    agent: Agent | None
    anchor: str
    tasks: list[TaskView]
    changes: list[tuple[TaskChange, Link | None]]
    calls: list[CallView]
    chat: int  # messages on the bridge
    findings: list[Finding]

    @property
    def kind(self) -> str:
        if self.agent is None:
            return "not in roster"
        return self.agent.type

    @property
    def other_findings(self) -> list[Finding]:
        """Findings not already shown under one of the agent's calls."""
        shown = {f for c in self.calls for f in c.findings}
        return [f for f in self.findings if f not in shown]


def agent_anchor(agent_id: str) -> str:
    return "agent-" + (re.sub(r"[^a-z0-9]+", "-", agent_id.lower()).strip("-") or "x")


def mermaid_label(text: str, limit: int = 40) -> str:
    """Board text made safe for a mermaid label: a small alphabet, no quotes or brackets."""
    flat = _LABEL_SAFE.sub(" ", " ".join(text.split())).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "..."


class TaskPages:
    """Builds the views of the Tasks and Agents pages from a Result, once."""

    def __init__(
        self,
        result: Result,
        message_link: Callable[[Message], Link],
        session_link: Callable[[str], Link | None],
    ) -> None:
        self.result = result
        self.ctx: Context = result.context
        self.board = result.board
        self.index: TaskIndex = task_index(self.board)
        self.team = roster(self.board)
        self._message_link = message_link
        self._session_link = session_link
        self.flagged: dict[tuple[str, int | None], list[Finding]] = defaultdict(list)
        for f in result.findings:
            self.flagged[(f.path, f.line)].append(f)
        self.views: dict[str, TaskView] = {}
        self.trackers = [self._tracker(t) for t in self.board.trackers]
        self._link_dependents()
        self.agents = self._agents()

    # links

    def task_link(self, task: Task) -> Link:
        return Link(tracker_page(task.tracker), task_anchor(task), task_label(task), task.title)

    def agent_link(self, who: str) -> Link | None:
        agent = self.team.get(who)
        if agent is None:
            return None
        return Link("agents.md", agent_anchor(agent.id), agent.id, agent.name or "")

    def person_link(self, who: str) -> Link | None:
        """A session (scoreboard row) or a roster agent, for an assignee."""
        resolved = owner(self.ctx.book, who)
        if resolved.kind is AddressKind.SESSION and resolved.id:
            return self._session_link(resolved.id)
        return self.agent_link(who)

    def tasks_in(self, text: str) -> list[Link]:
        return [self.task_link(t) for t in self.index.in_text(text)]

    # trackers

    def _findings(self, path: str, first: int | None, last: int | None = None) -> list[Finding]:
        if first is None:
            return []
        out: list[Finding] = []
        for line in range(first, (last or first) + 1):
            out.extend(self.flagged.get((path, line), []))
        return out

    def _tracker(self, tracker: Tracker) -> TrackerView:
        changes = bass_changes(tracker) if tracker.kind == "bass" else {}
        verdicts: dict[int, Transition] = {}
        if tracker.kind == "bass":
            for t in bass_transitions(self.board):
                verdicts[id(t.change)] = t
        page = tracker_page(tracker.kind)
        views: list[TaskView] = []
        for task in tracker.tasks:
            rows = changes.get(task.id, [])
            view = self._task(task, page, rows, verdicts)
            views.append(view)
            self.views.setdefault(task.key, view)

        # Pages stay readable on big trackers: a board column shows its most recent cards, and
        # done tasks beyond the most recent ones get a row instead of a card (anchors kept).
        def recent(items: list[TaskView]) -> list[TaskView]:
            return sorted(items, key=lambda v: -(v.last_active.timestamp() if v.last_active else 0))

        columns = []
        for state in CATEGORIES:
            members = [v for v in views if v.state == state]
            columns.append(
                (state, CATEGORY_TITLES[state], recent(members)[:COLUMN_CARDS], len(members))
            )
        archived = {id(v) for v in recent([v for v in views if v.state == "done"])[DONE_CARDS:]}
        statuses = Counter(t.status or "(none)" for t in tracker.tasks)
        graph = self._graph(tracker)
        covered = {(f.path, f.line) for v in views for f in v.findings}
        loose = [
            f
            for f in self.result.findings
            if (f.path == tracker.path or f.path.startswith(tracker.path + "/"))
            and (f.path, f.line) not in covered
        ]
        return TrackerView(
            tracker=tracker,
            title=TRACKER_TITLES.get(tracker.kind, tracker.kind),
            page=page,
            tasks=views,
            columns=[c for c in columns if c[3] or c[0] != "other"],
            statuses=sorted(statuses.items(), key=lambda kv: (-kv[1], kv[0])),
            graph=graph,
            findings=sorted(loose, key=Finding.sort_key),
            cards=[v for v in views if id(v) not in archived],
            archived=[v for v in views if id(v) in archived],
        )

    def _task(
        self,
        task: Task,
        page: str,
        rows: Sequence[TaskChange],
        verdicts: dict[int, Transition],
    ) -> TaskView:
        events: list[Event] = []
        if task.created is not None:
            events.append(Event(task.created.value, task.created.raw, "created", "", ""))
        for c in task.comments:
            events.append(
                Event(
                    c.at.value if c.at else None,
                    c.at.raw if c.at else "",
                    "comment",
                    c.author,
                    c.body,
                )
            )
        for r in rows:
            verdict = verdicts.get(id(r))
            shown = verdict.shown if verdict else f"{r.before or 'created'} → {r.after}"
            text = shown + (f" — {r.note}" if r.note else "")
            events.append(
                Event(
                    r.at.value if r.at else None,
                    r.at.raw if r.at else "",
                    "change",
                    r.agent,
                    text,
                    self._findings(r.source.path, r.source.line),
                )
            )
        seen = {e.at for e in events}
        if task.updated is not None and task.updated.value not in seen:
            events.append(Event(task.updated.value, task.updated.raw, "updated", "", ""))
        events.sort(key=lambda e: (e.at is None, e.at.timestamp() if e.at else 0.0))
        first, last = task.span or (task.source.line, task.source.line)
        findings = self._findings(task.source.path, first, last)
        findings += [f for e in events for f in e.findings if f not in findings]
        deps: list[tuple[str, Link | None]] = []
        for dep in task.deps:
            target = self.index.dependency(task, dep)
            deps.append((dep, self.task_link(target) if target is not None else None))
        sessions: list[Link] = []
        for state in self.ctx.sessions:
            row = state.row
            if task in self.index.in_text(row.task) and row.session_id:
                link = self._session_link(row.session_id)
                if link is not None:
                    sessions.append(link)
        messages = [
            self._message_link(m)
            for m in self.board.messages
            if m.parsed and m.ref and task in self.index.in_text(m.ref)
        ]
        return TaskView(
            task=task,
            anchor=task_anchor(task),
            page=page,
            state=category(task),
            assignees=[(a, self.person_link(a)) for a in task.assignees],
            deps=deps,
            dependents=[],
            sessions=sessions,
            messages=messages,
            events=events,
            findings=sorted(findings, key=Finding.sort_key),
            last_active=last_activity(task, rows),
        )

    def _link_dependents(self) -> None:
        by_place: dict[tuple[str, str | None], TaskView] = {
            (v.page, v.anchor): v for v in self.views.values()
        }
        for view in self.views.values():
            for _, link in view.deps:
                target = by_place.get((link.page, link.anchor)) if link is not None else None
                if target is not None:
                    target.dependents.append(self.task_link(view.task))

    def _graph(self, tracker: Tracker) -> Graph | None:
        """The tracker's dependencies (dep → task), bounded, laid out and as mermaid source."""
        edges: list[tuple[Task, Task]] = []
        for task in tracker.tasks:
            for dep in task.deps:
                target = self.index.dependency(task, dep)
                if target is not None:
                    edges.append((target, task))
        if not edges:
            return None
        seen: dict[int, Task] = {}  # by identity: tasks compare by value, slowly
        for a, b in edges:
            for t in (a, b):
                seen.setdefault(id(t), t)
        nodes = list(seen.values())
        note = ""
        if len(nodes) > MAX_GRAPH_NODES:
            kept = set(map(id, nodes[:MAX_GRAPH_NODES]))
            note = (
                f"The graph shows the first {MAX_GRAPH_NODES} of {len(nodes)} tasks with "
                "dependencies; every dependency is listed on its task's card."
            )
            nodes = nodes[:MAX_GRAPH_NODES]
            edges = [(a, b) for a, b in edges if id(a) in kept and id(b) in kept]
        ids = {id(t): f"n{i}" for i, t in enumerate(nodes)}
        lines = ["graph LR"]
        for t in nodes:
            text = mermaid_label(f"{task_label(t)} {t.title}")
            lines.append(f'  {ids[id(t)]}["{text}"]')
        for a, b in edges:
            lines.append(f"  {ids[id(a)]} --> {ids[id(b)]}")
        lines.extend(_CLASS_DEFS)
        for state in CATEGORIES:
            members = [ids[id(t)] for t in nodes if category(t) == state]
            if members:
                lines.append(f"  class {','.join(members)} {state.replace('_', '')}")
        return layout(nodes, edges, "\n".join(lines), note)

    # agents

    def _agents(self) -> list[AgentView]:
        ids: list[str] = [a.id for a in self.team.agents]
        for call in self.board.calls:
            if call.agent and self.team.get(call.agent) is None and call.agent not in ids:
                ids.append(call.agent)
        views: list[AgentView] = []
        for agent_id in ids:
            agent = self.team.get(agent_id)
            names = {agent_id.lower(), *([agent.name.lower()] if agent and agent.name else [])}

            def mine(who: str | None, names: set[str] = names) -> bool:
                if not who:
                    return False
                found = self.team.get(who)
                key = found.id.lower() if found is not None else who.strip().lower()
                return key in names

            tasks = [v for v in self.views.values() if any(mine(a) for a in v.task.assignees)]
            changes: list[tuple[TaskChange, Link | None]] = []
            for tracker in self.board.trackers:
                for change in tracker.activity:
                    if mine(change.agent):
                        target = self.index.get(tracker.kind, change.task_id)
                        changes.append((change, self.task_link(target) if target else None))
            calls = [
                CallView(c, self._findings(c.source.path, c.source.line))
                for c in self.board.calls
                if mine(c.agent)
            ]
            chat = sum(1 for ch in self.board.chats for m in ch.messages if mine(m.sender))
            findings: list[Finding] = []
            for c in calls:
                findings.extend(c.findings)
            for change, _ in changes:
                findings.extend(self._findings(change.source.path, change.source.line))
            if agent is not None:
                findings.extend(self._findings(agent.source.path, agent.source.line))
            for ch in self.board.chats:
                for m in ch.messages:
                    if mine(m.sender):
                        findings.extend(self._findings(m.source.path, m.source.line))
            views.append(
                AgentView(
                    id=agent_id,
                    agent=agent,
                    anchor=agent_anchor(agent_id),
                    tasks=tasks,
                    changes=changes,
                    calls=calls,
                    chat=chat,
                    findings=sorted(set(findings), key=Finding.sort_key),
                )
            )
        return views


# --- wiring into the site -------------------------------------------------------------------


class MessageCard(Protocol):
    """What the inbox pages know of a message: its permanent page and anchor."""

    message: Message
    archive: str

    @property
    def anchor(self) -> str: ...


def build_task_pages(result: Result, cards: Sequence[MessageCard]) -> TaskPages:
    """The views of the Tasks and Agents pages, linked to the inbox and scoreboard anchors."""
    by_message = {id(c.message): c for c in cards}
    rows = {}
    for i, state in enumerate(result.context.sessions, 1):
        if state.id and state.id not in rows:
            rows[state.id] = Link("scoreboard.md", f"session-{i}", state.row.label)

    def message_link(m: Message) -> Link:
        card = by_message.get(id(m))
        if card is None:
            return Link("inboxes/index.md", None, m.id)
        return Link(
            card.archive,
            card.anchor,
            f"{m.type or 'message'} {m.at.raw if m.at else ''}".strip(),
            m.id,
        )

    return TaskPages(result, message_link, rows.get)


def page_context(result: Result, tp: TaskPages) -> dict[str, Any]:
    """What tasks.md.j2, tracker.md.j2 and agents.md.j2 need besides the common context."""
    board = result.board
    claimed: list[tuple[Any, Link | None, TaskView | None]] = []
    for i, state in enumerate(result.context.sessions, 1):
        row = state.row
        if not row.task.strip() or "tbd" in row.task.lower():
            continue
        found = tp.index.in_text(row.task)
        link = Link("scoreboard.md", f"session-{i}", row.label)
        if found:
            claimed.extend((row, link, tp.views.get(t.key)) for t in found)
        elif task_refs(row.task):
            claimed.append((row, link, None))
    playbooks: dict[str, list[CallView]] = defaultdict(list)
    for call in board.calls:
        if call.origin == "playbook":
            playbooks[call.source.path].append(
                CallView(call, tp._findings(call.source.path, call.source.line))
            )
    roster_findings = [
        f for f in result.findings if board.roster_path and f.path == board.roster_path
    ]
    return {
        "trackers": tp.trackers,
        "categories": [
            (c, CATEGORY_TITLES[c])
            for c in CATEGORIES
            if c != "other" or any(category(t) == "other" for t in board.tasks)
        ],
        "claimed": claimed,
        "agents": tp.agents,
        "roster_path": board.roster_path,
        "roster_findings": roster_findings,
        "playbooks": sorted(playbooks.items()),
        "call_sources": [p for p in board.call_sources if p not in playbooks],
        "chats": board.chats,
        "sources": result.config.sources,
        "call_limit": 50,
    }


def row_task_links(result: Result, tp: TaskPages) -> dict[int, list[Link]]:
    """For the scoreboard: the tasks each claim row's Task cell names, by row position (1-based)."""
    out: dict[int, list[Link]] = {}
    for i, state in enumerate(result.context.sessions, 1):
        links = [tp.task_link(t) for t in tp.index.in_text(state.row.task)]
        if links:
            out[i] = links
    return out


def ref_links(tp: TaskPages) -> Callable[[Message], list[Link]]:
    """For message cards: the tasks a message's `ref:` names."""

    known: dict[str, list[Link]] = {}  # thousands of messages name the same few refs

    def links(m: Message) -> list[Link]:
        if not m.ref:
            return []
        if m.ref not in known:
            known[m.ref] = tp.tasks_in(m.ref)
        return known[m.ref]

    return links
