"""A beads export (formats.md §4): `.beads/issues.jsonl`, one issue per line.

The export is what `bd` writes from its database (the data itself lives there): every issue with
its type, status, priority, assignee and owner, labels, comments, timestamps, close reason and
typed dependency edges. Lines are read one at a time, so a large export never becomes one
document; a line may also be the `{"schema_version": 1, "data": …}` envelope of newer `bd`
versions, or a line of the legacy export with `type` and `deps` (bare ids) for `issue_type` and
`dependencies`. Every key not read into a field is kept in `extra`; a `tombstone` (deleted) issue
is kept too, as finished. A line that cannot be read is kept raw and reported at its line; the
rest still counts.

Edges to issues the export does not hold are kept: `external:<rig>:<id>` targets, ephemeral
wisps (`*-wisp-*`, never exported), another rig's prefix, and links of closed issues (closed
issues are compacted and reaped from the database) are shown as external, never judged.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from generator.model import (
    Problem,
    RawBlock,
    SourceRef,
    Stamp,
    Task,
    TaskComment,
    TaskEdge,
    Tracker,
)
from generator.readers._text import clip
from generator.readers.tracker_json import as_json, loose_stamp, type_name

RULE = "export-parse"
KIND = "beads"
LEGACY_BEADS = ".beads/beads.jsonl"  # the export of older `bd` versions; never `interactions.jsonl`
STATUSES = ("open", "in_progress", "blocked", "deferred", "closed", "pinned", "hooked", "tombstone")
# A soft-deleted issue (`bd delete`): `bd list` hides it; the board keeps it apart, as finished.
TOMBSTONE = "tombstone"
# Edge types that make an issue wait on its target (`bd ready` honours these).
BLOCKING = ("blocks", "conditional-blocks", "waits-for")
_FRACTION = re.compile(r"(\.\d{6})\d+")
_SHOWN = (
    ("description", "Description"),
    ("design", "Design"),
    ("acceptance_criteria", "Acceptance criteria"),
    ("notes", "Notes"),
)
_READ = {
    "id", "title", "status", "priority", "issue_type", "assignee", "owner", "labels", "comments",
    "created_at", "updated_at", "closed_at", "close_reason", "dependencies", "parent",
    "agent_state", "last_activity", "external_ref", "description", "design",
    "acceptance_criteria", "notes",
}  # fmt: skip
# The keys of the legacy export and the current keys they stand for.
_LEGACY = {"type": "issue_type", "deps": "dependencies"}
# Derived counts `bd` adds to each line; the board counts for itself.
_DERIVED = {"dependency_count", "dependent_count", "comment_count"}


def beads_stamp(value: Any) -> Stamp | None:
    """An RFC 3339 time as Go writes it (nanoseconds, offsets)."""
    if isinstance(value, str):
        return loose_stamp(_FRACTION.sub(r"\1", value.strip()))
    return loose_stamp(value)


def id_prefix(issue_id: str) -> str:
    """`bd` for `bd-a3f8.1`: the rig's prefix."""
    return issue_id.split("-", 1)[0].lower() if "-" in issue_id else ""


def _lines(text: str) -> list[tuple[int, Any, str]]:
    """(line, value or the error text, raw) per non-blank line; a whole-file JSON document
    (pretty-printed, an envelope around a list) is taken as one value at line 1."""
    out: list[tuple[int, Any, str]] = []
    bad = 0
    for n, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line:
            continue
        try:
            out.append((n, json.loads(line), raw))
        except ValueError as exc:
            bad += 1
            out.append((n, _Bad(str(exc)), raw))
    if bad and out and isinstance(out[0][1], _Bad):
        try:
            whole = json.loads(text)
        except ValueError:
            return out
        return [(1, whole, text)]
    return out


class _Bad:
    """A line that is not JSON, with the decoder's complaint."""

    def __init__(self, error: str) -> None:
        self.error = error


def _issues(value: Any) -> list[Any]:
    """The issues a line holds: itself, or what an envelope's `data` (or a list) holds."""
    if (
        isinstance(value, dict)
        and "data" in value
        and "schema_version" in value
        and "id" not in value
    ):
        data = value["data"]
        return list(data) if isinstance(data, list) else [data]
    if isinstance(value, list):
        return list(value)
    return [value]


def read_beads(path: str, text: str) -> tuple[Tracker, list[Problem]]:
    """Read every issue line of the export."""
    problems: list[Problem] = []
    raw: list[RawBlock] = []

    def report(line: int, message: str) -> None:
        problems.append(Problem(RULE, SourceRef(path, line), message))

    found: list[tuple[int, dict[str, Any]]] = []
    for line, value, written in _lines(text):
        if isinstance(value, _Bad):
            report(
                line, f"beads: line {line} is not JSON ({clip(value.error, 60)}); kept as written"
            )
            raw.append(RawBlock(SourceRef(path, line), clip(written, 400)))
            continue
        items = _issues(value)
        for item in items:
            if not isinstance(item, dict):
                report(
                    line,
                    f"beads: line {line} holds {type_name(item)}, not an issue; kept as written",
                )
                raw.append(RawBlock(SourceRef(path, line), clip(as_json(item), 400)))
                continue
            if not isinstance(item.get("id"), str) or not item["id"].strip():
                report(line, f"beads: the issue at line {line} has no `id`; kept as written")
                raw.append(RawBlock(SourceRef(path, line), clip(as_json(item), 400)))
                continue
            found.append((line, item))

    ids = {item["id"].strip() for _, item in found}
    prefixes = Counter(id_prefix(i) for i in ids)
    tasks: list[Task] = []
    seen: dict[str, int] = {}
    outside: Counter[str] = Counter()
    for line, issue in found:
        task = _task(path, line, issue, ids, set(prefixes), outside, report)
        if task.id in seen:
            report(
                line,
                f"beads issue {task.id} appears twice (also at line {seen[task.id]}); links and checks use the first",
            )
        else:
            seen[task.id] = line
        tasks.append(task)
    partial = ""
    if outside:
        shown = ", ".join(f"{n} {why}" for why, n in sorted(outside.items()))
        partial = f"links to issues this export does not hold: {shown}"
    return (
        Tracker(
            KIND,
            path,
            tuple(tasks),
            (),
            tuple(raw),
            prefix=prefixes.most_common(1)[0][0] if prefixes else None,
            partial=partial,
        ),
        problems,
    )


def _task(
    path: str,
    line: int,
    item: dict[str, Any],
    ids: set[str],
    prefixes: set[str],
    outside: Counter[str],
    report: Callable[[int, str], None],
) -> Task:
    issue_id = item["id"].strip()

    def text(key: str) -> str:
        value = item.get(key)
        if value is None:
            return ""
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        report(
            line,
            f"beads issue {issue_id}: `{key}` is {type_name(value)}, expected text; kept as JSON",
        )
        return as_json(value)

    def stamp(key: str) -> Stamp | None:
        value = item.get(key)
        if value in (None, ""):
            return None
        found = beads_stamp(value)
        if found is None:
            report(line, f"beads issue {issue_id}: `{key}` `{clip(str(value), 40)}` is not a time")
        return found

    status = text("status")
    if not status:
        report(line, f"beads issue {issue_id} has no `status`")
    priority = item.get("priority")
    shown_priority: str | None = None
    if isinstance(priority, int) and not isinstance(priority, bool):
        shown_priority = f"P{priority}"
    elif priority not in (None, ""):
        shown_priority = str(priority)
    labels: list[str] = []
    for label in item.get("labels") or []:
        labels.append(label if isinstance(label, str) else as_json(label))
    if item.get("labels") is not None and not isinstance(item.get("labels"), list):
        report(
            line,
            f"beads issue {issue_id}: `labels` is {type_name(item['labels'])}, expected a list",
        )
        labels = []
    comments: list[TaskComment] = []
    raw_comments = item.get("comments") or []
    if not isinstance(raw_comments, list):
        report(
            line,
            f"beads issue {issue_id}: `comments` is {type_name(raw_comments)}, expected a list",
        )
        raw_comments = []
    for c in raw_comments:
        if not isinstance(c, dict):
            report(
                line, f"beads issue {issue_id}: a comment is {type_name(c)}; kept as its JSON text"
            )
            comments.append(TaskComment(SourceRef(path, line), "", None, as_json(c)))
            continue
        comments.append(
            TaskComment(
                SourceRef(path, line),
                str(c.get("author") or ""),
                beads_stamp(c.get("created_at")),
                str(c.get("text") if c.get("text") is not None else c.get("body") or ""),
            )
        )
    edges: list[TaskEdge] = []
    deps: list[str] = []
    parent = text("parent") or None
    # The legacy export (`.beads/beads.jsonl` of older tools) writes `deps`: bare ids.
    deps_key = "dependencies" if "dependencies" in item or "deps" not in item else "deps"
    raw_deps = item.get(deps_key) or []
    if not isinstance(raw_deps, list):
        report(
            line,
            f"beads issue {issue_id}: `{deps_key}` is {type_name(raw_deps)}, expected a list",
        )
        raw_deps = []
    closed = status.lower() in ("closed", TOMBSTONE)
    for dep in raw_deps:
        if isinstance(dep, str):  # an old export: a bare id that blocks this issue
            target, kind = dep.strip(), "blocks"
        elif isinstance(dep, dict) and isinstance(dep.get("depends_on_id"), str):
            target = dep["depends_on_id"].strip()
            kind = str(dep.get("type") or dep.get("dependency_type") or "blocks").strip()
        else:
            report(
                line,
                f"beads issue {issue_id}: a dependency `{clip(as_json(dep), 60)}` names no `depends_on_id`",
            )
            continue
        why = _outside(target, ids, prefixes, closed)
        if why:
            outside[why] += 1
        edges.append(TaskEdge(kind, target, line, external=bool(why)))
        if kind in BLOCKING and not why:
            deps.append(target)
        if kind == "parent-child" and parent is None:
            parent = target
    sections = tuple((title, text(key)) for key, title in _SHOWN if text(key))
    # `type`/`deps` are the legacy names of `issue_type`/`dependencies`: read when the current
    # key is absent, otherwise kept with the other keys.
    legacy = {k for k, new in _LEGACY.items() if k in item and new not in item}
    extra = tuple(
        (k, v if isinstance(v, str) else as_json(v))
        for k, v in item.items()
        # `0` is a value (`compaction_level: 0`); only empties and a bare `false` go unshown
        if k not in _READ and k not in _DERIVED and k not in legacy
        and v is not None and v is not False and v not in ("", [], {})
    )  # fmt: skip
    if text("external_ref"):
        extra = (("external_ref", text("external_ref")), *extra)
    body = "\n\n".join(f"### {t}\n\n{s}" if t != "Description" else s for t, s in sections)
    return Task(
        source=SourceRef(path, line),
        tracker=KIND,
        id=issue_id,
        title=text("title"),
        status=status,
        assignees=(text("assignee"),) if text("assignee") else (),
        labels=tuple(labels),
        deps=tuple(deps),
        created=stamp("created_at"),
        updated=stamp("updated_at"),
        body=body,
        type=text("issue_type" if "issue_type" in item else "type") or None,
        comments=tuple(comments),
        span=(line, line),
        state=_state(status),
        priority=shown_priority,
        parent=parent,
        owner=text("owner") or None,
        closed=stamp("closed_at"),
        close_reason=text("close_reason"),
        sections=sections,
        edges=tuple(edges),
        agent_state=text("agent_state") or None,
        last_seen=stamp("last_activity"),
        extra=extra,
    )


def _outside(target: str, ids: set[str], prefixes: set[str], closed: bool) -> str:
    """Why a target that is not in the export is not judged ("" when it should be there)."""
    if target in ids:
        return ""
    if target.startswith("external:"):
        return "external references"
    if "-wisp-" in target:
        return "ephemeral wisps"
    if id_prefix(target) not in prefixes:
        return "issues of other rigs"
    if closed:
        return "links of closed issues (compacted or reaped)"
    return ""


def _state(status: str) -> str | None:
    """The board column of a beads status (`hooked`: claimed by a worker; `pinned`: a standing
    context bead, not work; `deferred`: on ice; `tombstone`: deleted, no open work)."""
    return {
        "open": "todo",
        "in_progress": "in_progress",
        "hooked": "in_progress",
        "blocked": "blocked",
        "closed": "done",
        TOMBSTONE: "done",
        "deferred": "other",
        "pinned": "other",
    }.get(status.strip().lower())


def is_deleted(task: Task) -> bool:
    """A beads issue deleted with `bd delete` (status `tombstone`): kept, shown apart."""
    return task.tracker == KIND and task.status.strip().lower() == TOMBSTONE
