"""Facts derived from trackers, the roster and agent calls, shared by the rules and the pages.

Pure functions of the read board: task references and lookups, state categories, the BASS
transition table, roster lookups, and the DND clock. Nothing here reads files or writes output.
The analysis builds the one `TaskIndex` and `Roster` of a run (`Context.tasks`, `Context.roster`).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from generator.model import Agent, AgentCall, Board, CallValue, Task, TaskChange, Tracker
from generator.readers.backlog import backlog_id_key
from generator.timeutil import canonical, clock_minutes

if TYPE_CHECKING:
    # Only for annotations: the analysis builds its Context from this module's TaskIndex and
    # Roster, and the configuration checks rule names against the rules, which import this.
    from generator.analysis import AddressBook, Resolved
    from generator.config import Config

TRACKER_TITLES = {"riff": "Riff", "bass": "BASS", "backlog": "Backlog.md", "beads": "beads"}
# Columns of the task board, in order; each tracker's own states map onto them.
CATEGORIES = ("todo", "in_progress", "review", "blocked", "done", "other")
CATEGORY_TITLES = {
    "todo": "To do",
    "in_progress": "In progress",
    "review": "Review",
    "blocked": "Blocked",
    "done": "Done",
    "other": "Other",
}
_CATEGORY_WORDS = {
    "todo": ("todo", "to do", "open", "new", "backlog", "ready", "planned", "triage", "queued"),
    "in_progress": (
        "in progress",
        "doing",
        "active",
        "started",
        "wip",
        "working",
        "claimed",
        "ongoing",
        "hooked",
    ),
    "review": ("review", "in review", "needs review", "qa", "testing", "verify"),
    "blocked": ("blocked", "on hold", "waiting", "stuck"),
    "done": (
        "done",
        "closed",
        "resolved",
        "merged",
        "complete",
        "completed",
        "shipped",
        "fixed",
        "cancelled",
        "canceled",
        "wontfix",
        "won't fix",
        "wont fix",
        "won't do",
        "wont do",
    ),
}
_WORD_CATEGORY = {w: c for c, words in _CATEGORY_WORDS.items() for w in words}

# --- task references ----------------------------------------------------------------------------

_REF = re.compile(
    r"(?P<riff>\bRiff\s*[#:]?\s*#?(?P<riff_id>\d[\w-]*))"
    r"|(?P<bass>\bBASS\s*[#:]?\s*(?P<bass_id>[A-Za-z]+-\d+|\d+))"
    r"|(?P<backlog>(?<![\w-])(?P<backlog_id>task-\d+(?:\.\d+)*))"
    r"|(?P<hash>(?<![\w/&#])#(?P<hash_id>\d+)\b)",
    re.IGNORECASE,
)
_NOT_TASK = re.compile(r"(?:\bPR|\bMR|\bpull|\bissue|\bPull request)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TaskRef:
    """A reference to a tracker task as written: `Riff #412`, `BASS:T-17`, `task-12`, `#412`."""

    tracker: str | None  # None for a bare `#412`: any tracker, Riff first
    id: str
    text: str


def task_refs(text: str) -> list[TaskRef]:
    """Every task reference in `text`, in order (pull requests are not tasks)."""
    out: list[TaskRef] = []
    for m in _REF.finditer(text or ""):
        if m["hash"] and _NOT_TASK.search(text[: m.start()]):
            continue
        if m["riff"]:
            out.append(TaskRef("riff", m["riff_id"], m.group(0)))
        elif m["bass"]:
            out.append(TaskRef("bass", m["bass_id"], m.group(0)))
        elif m["backlog"]:
            out.append(TaskRef("backlog", m["backlog_id"], m.group(0)))
        else:
            out.append(TaskRef(None, m["hash_id"], m.group(0)))
    return out


def _norm_id(value: str) -> str:
    return value.strip().lstrip("#").lower()


class TaskIndex:
    """Every task of the board, found by tracker and id.

    Backlog.md ids compare as Backlog.md compares them (`backlog_id_key`: case, zero padding, a
    bare number takes the task prefix), and a legacy `task-12` finds `BACK-12` when the project
    renamed its prefix. Ids with a tracker's own prefix (`BACK-12`, beads `bd-a3f8`) are found
    in free text too (`in_text`).
    """

    def __init__(self, trackers: Sequence[Tracker]) -> None:
        self.trackers = tuple(trackers)
        self._by: dict[tuple[str, str], Task] = {}
        self._prefix: dict[str, str] = {}
        prefixes: set[str] = set()
        for tracker in trackers:
            if tracker.kind == "backlog":
                self._prefix["backlog"] = tracker.prefix or "task"
                prefixes.update({(tracker.prefix or "task").lower(), "draft"})
            for task in tracker.tasks:
                if task.id:
                    self._by.setdefault((tracker.kind, self._key(tracker.kind, task.id)), task)
                    if tracker.kind == "beads" and "-" in task.id:
                        prefixes.add(task.id.split("-", 1)[0].lower())
        prefixes.discard("task")  # `task-12` is read by the fixed pattern already
        self._own = (
            re.compile(
                r"(?<![\w/.-])(?:" + "|".join(re.escape(p) for p in sorted(prefixes)) + r")"
                r"-[A-Za-z0-9](?:[\w.-]*[A-Za-z0-9])?",
                re.IGNORECASE,
            )
            if prefixes
            else None
        )

    def _key(self, kind: str, task_id: str) -> str:
        if kind == "backlog":
            return backlog_id_key(task_id.lstrip("#"), self._prefix.get("backlog", "task"))
        return _norm_id(task_id)

    def get(self, tracker: str | None, task_id: str) -> Task | None:
        """The task `task_id` of `tracker` (any tracker, Riff first, when None)."""
        kinds = (tracker,) if tracker else ("riff", "bass", "backlog", "beads")
        for kind in kinds:
            task = self._by.get((kind, self._key(kind, task_id)))
            if task is None and kind == "backlog":
                task = self._legacy(task_id)
            if task is not None:
                return task
        return None

    def _legacy(self, task_id: str) -> Task | None:
        """`task-12` in a project whose prefix is now `back`: the ids before the rename."""
        prefix = self._prefix.get("backlog", "task")
        m = re.match(r"^task-(\d+(?:\.\d+)*)$", task_id.strip(), re.IGNORECASE)
        if m is None or prefix.lower() == "task":
            return None
        return self._by.get(("backlog", backlog_id_key(m[1], prefix)))

    def find(self, ref: TaskRef) -> Task | None:
        return self.get(ref.tracker, ref.id)

    def in_text(self, text: str) -> list[Task]:
        """The tasks `text` refers to, each once, in order."""
        found: list[tuple[int, Task]] = []
        for m in _REF.finditer(text or ""):
            refs = task_refs(m.group(0)) if not _NOT_TASK.search((text or "")[: m.start()]) else []
            task = self.find(refs[0]) if refs else None
            if task is not None:
                found.append((m.start(), task))
        if self._own is not None:
            for m in self._own.finditer(text or ""):
                task = self._own_id(m.group(0))
                if task is not None:
                    found.append((m.start(), task))
        out: list[Task] = []
        for _, task in sorted(found, key=lambda pt: pt[0]):
            if all(task is not t for t in out):
                out.append(task)
        return out

    def _own_id(self, written: str) -> Task | None:
        """The longest leading part of `bd-a3f8.1-fix` that is a Backlog.md or beads id."""
        candidate = written
        while candidate:
            for kind in ("backlog", "beads"):
                task = self._by.get((kind, self._key(kind, candidate)))
                if task is not None:
                    return task
            cut = max(candidate.rfind("-"), candidate.rfind("."))
            if cut <= 0:
                return None
            candidate = candidate[:cut]
        return None

    def dependency(self, task: Task, dep: str) -> Task | None:
        """What one entry of `task.deps` names: a task of the same tracker, or a written ref."""
        refs = task_refs(dep)
        if refs and refs[0].tracker is not None:
            return self.find(refs[0])
        return self.get(task.tracker, dep)


def owner(book: AddressBook, assignee: str) -> Resolved:
    """What an assignee resolves to, `@sA` and `@Sintra` included."""
    return book.resolve(assignee.strip().lstrip("@"))


def category(task: Task) -> str:
    """The board column of a task's state: todo, in_progress, review, blocked, done or other.

    A tracker that says itself where a task belongs (Backlog.md's folders and configured status
    order, beads' fixed statuses) decides; otherwise the words of the status do."""
    if task.state:
        return task.state
    key = " ".join(task.status.strip().lower().replace("_", " ").replace("-", " ").split())
    return _WORD_CATEGORY.get(key, "other")


def task_label(task: Task) -> str:
    """`Riff #412`, `BASS T-17`, `Backlog.md task-12`: how messages name a task."""
    if task.tracker == "riff":
        return f"Riff #{task.id}" if task.id else "a Riff task without id"
    if task.tracker == "bass":
        return f"BASS {task.id}" if task.id else "a BASS task without id"
    if task.tracker == "beads":
        return f"beads {task.id}" if task.id else "a beads issue without id"
    return f"Backlog.md {task.id}" if task.id else "a Backlog.md task without id"


def task_anchor(task: Task) -> str:
    """A stable HTML id for a task on its tracker page."""
    slug = re.sub(r"[^a-z0-9]+", "-", task.id.lower()).strip("-") or f"line-{task.source.line}"
    return f"task-{task.tracker}-{slug}"


def is_handoff(task: Task) -> bool:
    """A handoff task: `type:handoff` in the body's header line or a `type` key, or its label."""
    if (task.type or "").strip().lower() == "handoff":
        return True
    return any(label.strip().lower() in ("handoff", "type:handoff") for label in task.labels)


def last_activity(task: Task, changes: Iterable[TaskChange] = ()) -> datetime | None:
    """The newest sign that anyone touched the task: updates, comments, activity rows."""
    times = [s.value for s in (task.created, task.updated, task.last_seen) if s is not None]
    times += [c.at.value for c in task.comments if c.at is not None]
    times += [c.at.value for c in changes if c.at is not None]
    return max(times) if times else None


# --- BASS --------------------------------------------------------------------------------------

# The transition table of the BASS protocol (formats.md §4). `any → blocked` is always allowed.
ALLOWED = frozenset(
    {
        ("todo", "in_progress"),
        ("in_progress", "review"),
        ("in_progress", "done"),
        ("review", "done"),
    }
)
_AUTO = re.compile(r"(?<![a-z])(?:ops|infra)(?![a-z])", re.IGNORECASE)


def auto_completable(task: Task) -> bool:
    """May go `in_progress → done` without review: `ops`/`infra` project or label, or flagged."""
    if task.auto_complete:
        return True
    return any(_AUTO.search(v) for v in (task.project or "", *task.labels))


@dataclass(frozen=True, slots=True)
class Transition:
    """One BASS activity row, judged against the transition table."""

    change: TaskChange
    task: Task | None
    before: str  # the state it left; for a change out of `blocked`, the state before the block
    verdict: str  # `ok`, `illegal`, `bypass` (in_progress → done without review), `signoff`

    @property
    def shown(self) -> str:
        """`review → done`, or `blocked (was review) → done`."""
        c = self.change
        if c.before == "blocked" and self.before != "blocked":
            return f"blocked (was {self.before or '?'}) → {c.after}"
        return f"{c.before or 'created'} → {c.after}"


def bass_changes(tracker: Tracker) -> dict[str, list[TaskChange]]:
    """Activity rows per task id, oldest first (rows without a time keep their file order)."""
    return _in_order(tracker.activity)


def bass_transitions(board: Board) -> Iterator[Transition]:
    """Every BASS activity row with a verdict (unknown states are export-parse's, not judged)."""
    states = ("todo", "in_progress", "review", "done", "blocked")
    for tracker in board.trackers:
        if tracker.kind != "bass":
            continue
        tasks = {t.id: t for t in tracker.tasks}
        for task_id, rows in _in_order(tracker.activity).items():
            before_block: str | None = None
            for change in rows:
                before, after = change.before, change.after
                if after not in states or (before and before not in states):
                    continue
                if after == "blocked":
                    if before != "blocked":
                        before_block = before or None
                    yield Transition(change, tasks.get(task_id), before, "ok")
                    continue
                effective = before
                if before == "blocked":
                    effective = before_block or ""
                    before_block = None
                    if not effective or effective == after:
                        # back to where it was, or nothing known to judge it by
                        verdict = "ok" if after != "done" else _judge("in_progress", after)
                        yield Transition(change, tasks.get(task_id), effective, verdict)
                        continue
                if not effective or effective == after:
                    yield Transition(change, tasks.get(task_id), effective, "ok")
                    continue
                yield Transition(change, tasks.get(task_id), effective, _judge(effective, after))


@dataclass(frozen=True, slots=True)
class Gap:
    """A status change of a BASS task that no activity row records (one row per change, §4).

    `change` is the row that starts from a state the task was not in, or None when the gap is
    between the last row and the task's own `status`; `previous` is the row before it.
    """

    task_id: str
    task: Task | None
    previous: TaskChange
    change: TaskChange | None

    @property
    def left(self) -> str:
        """The state the task was in: where the previous row left it."""
        return self.previous.after

    @property
    def found(self) -> str:
        """The state the log or the task goes on from."""
        if self.change is not None:
            return self.change.before
        return self.task.status if self.task is not None else ""


def bass_gaps(board: Board) -> Iterator[Gap]:
    """Every place a BASS task's activity log does not add up, per task, oldest first.

    A row whose `from` is not the previous row's `to`, and a task whose `status` is not its last
    row's `to`. Rows without a `from`, and unknown states (export-parse's), are not compared; a task
    without activity rows has nothing to compare its status with.
    """
    states = ("todo", "in_progress", "review", "done", "blocked")
    for tracker in board.trackers:
        if tracker.kind != "bass":
            continue
        tasks: dict[str, Task] = {}
        for task in tracker.tasks:
            tasks.setdefault(task.id, task)  # the reader's rule: checks use the first
        for task_id, rows in _in_order(tracker.activity).items():
            if not task_id:
                continue
            found = tasks.get(task_id)
            previous: TaskChange | None = None
            for change in rows:
                if (
                    previous is not None
                    and change.before in states
                    and change.before != previous.after
                ):
                    yield Gap(task_id, found, previous, change)
                previous = change if change.after in states else None
            if (
                found is not None
                and previous is not None
                and found.status in states
                and found.status != previous.after
            ):
                yield Gap(task_id, found, previous, None)


def _judge(before: str, after: str) -> str:
    if (before, after) not in ALLOWED:
        return "illegal"
    if (before, after) == ("in_progress", "done"):
        return "bypass"
    if (before, after) == ("review", "done"):
        return "signoff"
    return "ok"


def _in_order(rows: Sequence[TaskChange]) -> dict[str, list[TaskChange]]:
    """Rows per task, oldest first; rows without a time keep their place in the file."""
    out: dict[str, list[tuple[int, TaskChange]]] = defaultdict(list)
    for index, change in enumerate(rows):
        out[change.task_id].append((index, change))
    ordered: dict[str, list[TaskChange]] = {}
    for task_id, items in out.items():
        timed = all(c.at is not None for _, c in items)
        if timed:
            items.sort(key=lambda ic: (ic[1].at.value, ic[0]))  # type: ignore[union-attr]
        ordered[task_id] = [c for _, c in items]
    return ordered


# --- the roster ---------------------------------------------------------------------------------

_AGENT_KEY = re.compile(r"^agent:(?P<id>[^:\s]+)(?::|$)")


class Roster:
    """The roster agents, found by id, display name or session key (`agent:<id>:main`)."""

    def __init__(self, agents: Sequence[Agent]) -> None:
        self.agents = tuple(agents)
        self._by: dict[str, Agent] = {}
        for agent in agents:
            self._by.setdefault(agent.id.lower(), agent)
        for agent in agents:
            if agent.name:
                self._by.setdefault(agent.name.lower(), agent)

    def __bool__(self) -> bool:
        return bool(self.agents)

    def get(self, who: str | None) -> Agent | None:
        """By id, name or session key; `@vinyl`, `Tila 🤖` and `Tila (bot)` find their agent."""
        if not who:
            return None
        text = who.strip().strip("`@")
        m = _AGENT_KEY.match(text)
        if m:
            text = m["id"]
        found = self._by.get(text.lower())
        if found is None:
            words = re.sub(r"\([^)]*\)|[^\w\s.-]", " ", text).split()
            found = self._by.get(" ".join(words).lower()) if words else None
        return found

    @cached_property
    def orchestrators(self) -> tuple[Agent, ...]:
        """Agents with role `orchestrator`; without any roles written, the agent `main`."""
        found = tuple(a for a in self.agents if (a.role or "").lower() == "orchestrator")
        if found or any(a.role for a in self.agents):
            return found
        return tuple(a for a in self.agents if a.id == "main")


def may_sign_off(who: str, config: Config, team: Roster) -> bool:
    """The person (configured names) or an orchestrator of the roster, by id or name."""
    name = who.strip().lower()
    allowed = {s.lower() for s in (*config.agents.signoff, *config.agents.people)}
    for agent in team.orchestrators:
        allowed.add(agent.id.lower())
        if agent.name:
            allowed.add(agent.name.lower())
    if name in allowed:
        return True
    found = team.get(who)
    return found is not None and found in team.orchestrators


def signers(config: Config, team: Roster) -> list[str]:
    """Who may sign off, for messages."""
    names = list(config.agents.signoff)
    for agent in team.orchestrators:
        names.append(f"{agent.id} ({agent.name})" if agent.name else agent.id)
    return names


# --- agent calls --------------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"<[^>]*>|\{[^}]*\}|\.\.\.|…|^\$|\bTODO\b|^\s*$")


def is_placeholder(value: object) -> bool:
    """`agent:<id>:main`, `...`, `{label}`: a template value, not one to judge."""
    return isinstance(value, str) and bool(PLACEHOLDER.search(value))


def in_dnd(moment: datetime, config: Config) -> bool:
    """Whether `moment` falls in the configured do-not-disturb window, in the team's zone."""
    local = moment.astimezone(ZoneInfo(config.agents.timezone))
    start = clock_minutes(config.agents.dnd_start) or 0
    end = clock_minutes(config.agents.dnd_end) or 0
    now = local.hour * 60 + local.minute
    if start == end:
        return False
    if start < end:
        return start <= now < end
    return now >= start or now < end  # a window across midnight, 22:00–07:00


def local_clock(moment: datetime, config: Config) -> str:
    """`04:12 Europe/Lisbon`, for messages."""
    local = moment.astimezone(ZoneInfo(config.agents.timezone))
    return f"{local:%H:%M} {config.agents.timezone}"


def judged_calls(board: Board, tool: str | tuple[str, ...]) -> Iterator[AgentCall]:
    """Calls of `tool` whose arguments were read and that are not marked as what not to do."""
    tools = (tool,) if isinstance(tool, str) else tool
    for call in board.calls:
        if call.tool in tools and call.readable and not call.counterexample:
            yield call


def call_label(call: AgentCall) -> str:
    """`sessions_send` by frankel at 2026-06-03T09:12Z (or `… in a playbook`), for messages."""
    who = f" by {call.agent}" if call.agent else ""
    if call.at is not None:
        return f"`{call.tool}`{who} at {canonical(call.at.value)}"
    return f"`{call.tool}`{who}" + (" in a playbook" if call.origin == "playbook" else "")


def shown_value(value: CallValue) -> str:
    """An argument value as written in a call: `"keep"`, `30`."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)
