"""The Tasks and Agents pages' view models, and the `tasks[]` / `agents[]` records of status.json.

Pure: a Result in, plain objects out. The templates `tasks.md.j2`, `tracker.md.j2` and
`agents.md.j2` only read these.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from generator.analysis import AddressKind, Context
from generator.model import Agent, AgentCall, Board, Finding, Message, Task, TaskChange, Tracker
from generator.readers.beads import is_deleted
from generator.result import Result
from generator.tracking import (
    CATEGORIES,
    CATEGORY_TITLES,
    TRACKER_TITLES,
    TaskIndex,
    Transition,
    bass_changes,
    category,
    last_activity,
    owner,
    task_anchor,
    task_label,
    task_refs,
)

MAX_GRAPH_NODES = 60  # a bigger dependency graph is cut, and the page says so
COLUMN_CARDS = 25  # cards per board column; the rest are counted and listed below
DONE_CARDS = 40  # done tasks with a full card; older ones get one row each
OPEN_CARDS = 250  # other tasks with a full card (most recently active first); the rest get rows
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
        "priority": task.priority,
        "milestone": task.milestone,
        "parent": task.parent,
        "folder": task.folder,
        "owner": task.owner,
        "closed_at": task.closed.iso() if task.closed else None,
        "close_reason": task.close_reason or None,
        "edges": [{"type": e.type, "target": e.target, "external": e.external} for e in task.edges],
        "criteria": [
            {"kind": c.kind, "index": c.index, "checked": c.checked, "text": c.text}
            for c in task.criteria
        ],
        "comments": len(task.comments),
        "agent_state": task.agent_state,
        "last_activity": task.last_seen.iso() if task.last_seen else None,
        "extra": dict(task.extra),
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


OTHER_CLIP = 160  # characters of another field's value shown on the card; the rest on demand
# Backlog.md keys whose items name files of the repository (or web pages): linked on the card.
_FILE_LISTS = frozenset({"references", "documentation", "modified_files"})
_REPO_PATH = re.compile(
    r"^(?P<path>[\w@+-][\w.@+ ()-]*(?:/[\w.@+ ()-]+)+|[\w@+-][\w@+ ()-]*\.\w+)(?::(?P<line>\d+))?$"
)


@dataclass(frozen=True, slots=True)
class OtherItem:
    """One item of a list-valued other field: a web address, a repository file, or text."""

    text: str
    url: str | None = None  # an http(s) address as written
    path: str | None = None  # a file of the repository (linked to the code host)
    line: int | None = None


@dataclass(frozen=True, slots=True)
class OtherField:
    """A key of the task the board has no field for, as written (formats.md: kept and shown)."""

    key: str
    text: str  # the whole value as text (JSON for what is not text)
    items: tuple[OtherItem, ...] = ()  # a list of plain values: one item each

    @property
    def short(self) -> str:
        return self.text if len(self.text) <= OTHER_CLIP else self.text[: OTHER_CLIP - 1] + "…"

    @property
    def clipped(self) -> bool:
        return len(self.text) > OTHER_CLIP


def other_fields(task: Task) -> list[OtherField]:
    """The task's `extra` keys for its card: list values item by item, files and pages linked."""
    out: list[OtherField] = []
    for key, text in task.extra:
        items: tuple[OtherItem, ...] = ()
        value: Any = None
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError:
                value = None
        if isinstance(value, list) and all(
            isinstance(x, str | int | float) and not isinstance(x, bool) for x in value
        ):
            items = tuple(_other_item(str(x), key in _FILE_LISTS) for x in value)
        out.append(OtherField(key, text, items))
    return out


def _other_item(text: str, files: bool) -> OtherItem:
    item = text.strip()
    if not files:
        return OtherItem(item)
    if item.startswith(("https://", "http://")) and not any(c.isspace() for c in item):
        return OtherItem(item, url=item)
    m = _REPO_PATH.match(item.removeprefix("./"))
    if m and ".." not in m["path"].split("/"):
        return OtherItem(
            item, path=m["path"].rstrip("/"), line=int(m["line"]) if m["line"] else None
        )
    return OtherItem(item)


def unique_anchors(tasks: Sequence[Task]) -> dict[int, str]:
    """An HTML id per task (by identity), unique on the page: a task id written twice (an
    archived copy, a duplicate) gets `--2`, `--3` after the first, which keeps the plain anchor
    that links to the id lead to. `--` never occurs in a plain anchor."""
    out: dict[int, str] = {}
    used: set[str] = set()
    for task in tasks:
        base = anchor = task_anchor(task)
        n = 1
        while anchor in used:
            n += 1
            anchor = f"{base}--{n}"
        used.add(anchor)
        out[id(task)] = anchor
    return out


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
    parent: tuple[str, Link | None] | None = None  # (as written, link) of the parent task
    children: list[TaskView] = field(default_factory=list)  # subtasks, epics' children
    edges: list[tuple[str, str, Link | None, bool]] = field(default_factory=list)
    # (type, target as written, link, external) of every typed link but the parent's
    other: list[OtherField] = field(default_factory=list)  # the keys the board has no field for
    milestone: tuple[str, str] | None = None  # Backlog.md: (title, file) of the named milestone

    @property
    def label(self) -> str:
        return task_label(self.task)

    @property
    def progress(self) -> tuple[int, int]:
        """(checked, total) of the acceptance criteria."""
        items = [c for c in self.task.criteria if c.kind == "acceptance"]
        return sum(1 for c in items if c.checked), len(items)

    @property
    def children_done(self) -> int:
        return sum(1 for c in self.children if c.state == "done")

    @property
    def filter_text(self) -> str:
        """What the page's filter box matches: id, title, labels, assignees, lowercased."""
        t = self.task
        return " ".join((t.id, t.title, *t.labels, *t.assignees)).lower()


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


def layout(
    nodes: list[Task],
    edges: list[tuple[Task, Task]],
    mermaid: str,
    note: str,
    anchors: dict[int, str] | None = None,
) -> Graph:
    """Place the tasks in columns by layer and draw each dependency as a curve (`anchors`: the
    page's HTML id of each task, by identity)."""
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
            anchor=(anchors or {}).get(id(t)) or task_anchor(t),
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
    notes: list[str] = field(default_factory=list)  # what the page must say about the source
    labels: list[str] = field(default_factory=list)  # every label, for the filter
    people: list[str] = field(default_factory=list)  # every assignee, for the filter
    groups: list[tuple[TaskView, int, int]] = field(default_factory=list)
    # parents with children: (parent, children done, children)
    deleted: list[TaskView] = field(default_factory=list)  # beads tombstones: kept, shown apart

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
    bead: TaskView | None = None  # a beads agent bead (`issue_type: agent`) for this agent

    @property
    def kind(self) -> str:
        if self.agent is None:
            return "beads agent" if self.bead is not None else "not in roster"
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
        self.index: TaskIndex = self.ctx.tasks
        self.team = self.ctx.roster
        self._message_link = message_link
        self._session_link = session_link
        self.flagged: dict[tuple[str, int | None], list[Finding]] = defaultdict(list)
        for f in result.findings:
            self.flagged[(f.path, f.line)].append(f)
        # Which claim rows and messages name each task: found once, not once per task.
        self._claims: dict[str, list[Link]] = defaultdict(list)
        for state in self.ctx.sessions:
            if state.row.session_id:
                link = self._session_link(state.row.session_id)
                if link is not None:
                    for t in self.index.in_text(state.row.task):
                        self._claims[t.key].append(link)
        self._messages: dict[str, list[Link]] = defaultdict(list)
        named: dict[str, list[Task]] = {}
        for m in self.board.messages:
            if m.parsed and m.ref:
                if m.ref not in named:
                    named[m.ref] = self.index.in_text(m.ref)
                for t in named[m.ref]:
                    self._messages[t.key].append(self._message_link(m))
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
            for t in self.ctx.transitions:
                verdicts[id(t.change)] = t
        page = tracker_page(tracker.kind)
        anchors = unique_anchors(tracker.tasks)
        milestones: dict[str, tuple[str, str]] = {}
        for m_id, title, path in tracker.milestones:  # an active milestone before an archived one
            milestones.setdefault(m_id.strip().lower(), (title or m_id, path))
        views: list[TaskView] = []
        every: list[TaskView] = []
        deleted: list[TaskView] = []
        for task in tracker.tasks:
            rows = changes.get(task.id, [])
            view = self._task(task, page, rows, verdicts)
            view.anchor = anchors[id(task)]
            if task.milestone:
                view.milestone = milestones.get(task.milestone.strip().lower())
            every.append(view)
            self.views.setdefault(task.key, view)
            # A deleted beads issue is no work of the board: out of the columns and cards,
            # listed in a group of its own (anchors kept).
            (deleted if is_deleted(task) else views).append(view)

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
        archived |= {id(v) for v in recent([v for v in views if v.state != "done"])[OPEN_CARDS:]}
        statuses = Counter(t.status or "(none)" for t in tracker.tasks)
        by_key = {v.task.key: v for v in views}
        groups: dict[str, TaskView] = {}
        for v in views:
            if v.task.parent:
                above = self.index.get(tracker.kind, v.task.parent)
                holder = by_key.get(above.key) if above is not None else None
                if holder is not None and holder is not v:
                    holder.children.append(v)
                    groups.setdefault(holder.task.key, holder)
        graph = self._graph(tracker, anchors)
        covered = {(f.path, f.line) for v in every for f in v.findings}
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
            tasks=every,
            columns=[c for c in columns if c[3] or c[0] != "other"],
            statuses=sorted(statuses.items(), key=lambda kv: (-kv[1], kv[0])),
            graph=graph,
            findings=sorted(loose, key=Finding.sort_key),
            cards=[v for v in views if id(v) not in archived],
            archived=[v for v in views if id(v) in archived],
            notes=self._notes(tracker),
            labels=sorted({label for t in tracker.tasks for label in t.labels}),
            people=sorted({a for t in tracker.tasks for a in t.assignees}),
            groups=[(g, g.children_done, len(g.children)) for g in groups.values()],
            deleted=deleted,
        )

    def _notes(self, tracker: Tracker) -> list[str]:
        """What the page says about the source itself (markdown, board text escaped later)."""
        notes: list[str] = []
        if tracker.kind == "backlog":
            counts = Counter(t.folder or "tasks" for t in tracker.tasks)
            shown = ", ".join(f"`{f}/` {n}" for f, n in sorted(counts.items()))
            notes.append(
                f"Task prefix `{tracker.prefix or 'task'}`, statuses in board order "
                + " → ".join(f"`{s}`" for s in tracker.statuses)
                + (f" (from `{tracker.config_path}`)" if tracker.config_path else " (defaults)")
                + (f"; by folder: {shown}" if shown else "")
                + ". Completed and archived tasks count as done, drafts as other."
            )
            drafts = sum(1 for t in tracker.tasks if "/archive/drafts/" in f"/{t.source.path}")
            if drafts:
                notes.append(
                    f"{drafts} archived draft(s) of `archive/drafts/` (which Backlog.md itself "
                    "lists nowhere) are shown with the archive, as done."
                )
            if tracker.milestones:
                named = Counter((t.milestone or "").strip().lower() for t in tracker.tasks)
                notes.append(
                    "Milestones: "
                    + ", ".join(
                        f"{title or m_id} (`{m_id}`, {named[m_id.strip().lower()]} task(s))"
                        for m_id, title, _ in tracker.milestones
                    )
                    + "."
                )
            if tracker.ignored:
                notes.append(
                    f"{len(tracker.ignored)} other file(s) in the task folders are no task by "
                    "Backlog.md's naming (`<prefix>-*.md`, `draft-*.md`) and are not read: "
                    + ", ".join(f"`{p}`" for p in tracker.ignored[:10])
                    + (" …" if len(tracker.ignored) > 10 else "")
                )
        if tracker.kind == "beads":
            notes.append(
                "This is an export: the issues live in the beads database, and `bd export` "
                "(or its sync) writes this file."
            )
            stale = self._stale_export(tracker.path)
            if stale:
                notes.append(stale)
            if tracker.partial:
                notes.append(
                    f"The export is partial, by design: {tracker.partial}; those links are shown as external."
                )
        return notes

    def _stale_export(self, path: str) -> str:
        """Whether a commit touched `.beads/` after the last one that touched the export."""
        folder = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
        newest_other = newest_export = None
        for commit in self.board.history.commits:  # newest first (parents after children)
            if path in commit.paths:
                newest_export = commit
                break
            if newest_other is None and any(
                p.startswith(folder) and p != path for p in commit.paths
            ):
                newest_other = commit
        if newest_export is None or newest_other is None:
            return ""
        return (
            f"The export is older than the repository's last commit touching `{folder}` "
            f"({newest_other.label}, {newest_other.at:%Y-%m-%d %H:%M} UTC; the export was last "
            f"committed in {newest_export.label}): the database may hold newer changes."
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
        sessions = list(self._claims.get(task.key, ()))
        messages = list(self._messages.get(task.key, ()))
        parent: tuple[str, Link | None] | None = None
        if task.parent:
            above = self.index.get(task.tracker, task.parent)
            parent = (task.parent, self.task_link(above) if above is not None else None)
        edges: list[tuple[str, str, Link | None, bool]] = []
        for edge in task.edges:
            if edge.type == "parent-child" and edge.target == task.parent:
                continue
            target = None if edge.external else self.index.get(task.tracker, edge.target)
            link = self.task_link(target) if target is not None else None
            edges.append((edge.type, edge.target, link, edge.external))
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
            parent=parent,
            edges=edges,
            other=other_fields(task),
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

    def _graph(self, tracker: Tracker, anchors: dict[int, str]) -> Graph | None:
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
        return layout(nodes, edges, "\n".join(lines), note, anchors)

    # agents

    def _agents(self) -> list[AgentView]:
        ids: list[str] = [a.id for a in self.team.agents]
        for call in self.board.calls:
            if call.agent and self.team.get(call.agent) is None and call.agent not in ids:
                ids.append(call.agent)
        # beads agent beads join the page: by the roster agent they name, else on their own.
        beads: dict[str, TaskView] = {}
        for view in self.views.values():
            if view.task.tracker == "beads" and view.task.type == "agent":
                found = self.team.get(view.task.title) or self.team.get(view.task.id)
                agent_id = found.id if found is not None else view.task.id
                beads.setdefault(agent_id, view)
                if agent_id not in ids:
                    ids.append(agent_id)
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
                    bead=beads.get(agent_id),
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
