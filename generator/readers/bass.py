"""The BASS export (formats.md §4): `{"tasks": [...], "activity": [...]}`, one activity row per change."""

from __future__ import annotations

from typing import Any

from generator.model import Problem, RawBlock, SourceRef, Task, TaskChange, Tracker
from generator.readers._text import clip, or_list
from generator.readers.tracker_json import (
    JObject,
    JsonDoc,
    as_json,
    key_lines,
    list_of,
    person_of,
    stamp_of,
    text_of,
    type_name,
)

RULE = "export-parse"
KIND = "bass"
STATES = ("todo", "in_progress", "review", "done", "blocked")
_SHOWN_STATES = or_list([f"`{s}`" for s in STATES])


def normal_state(text: str) -> str | None:
    """A BASS state as written (`In Progress`, `in-progress`) in its canonical form, else None."""
    key = "_".join(text.strip().lower().replace("-", " ").split())
    return key if key in STATES else None


def read_bass(path: str, text: str) -> tuple[Tracker, list[Problem]]:
    """Read a BASS export; unknown states and broken rows are reported, the rest is kept."""
    doc = JsonDoc.parse(path, text)
    raw: tuple[RawBlock, ...] = ()
    tasks_value: Any
    activity_value: Any = None
    if doc.error is not None:
        doc.report_error("the BASS export")
        tasks_value = doc.salvage("tasks") or doc.salvage(None) or []
        activity_value = doc.salvage("activity") or []
        read = len(tasks_value) + len(activity_value)
        if read:
            doc.report(
                doc.error.lineno,
                f"the BASS export: {len(tasks_value)} task(s) and {len(activity_value)} activity "
                "row(s) before the error were read; the rest of the file is shown as text",
            )
        lines = text.split("\n")
        start = max(doc.error.lineno - 3, 0)
        raw = (
            RawBlock(SourceRef(path, start + 1), "\n".join(lines[start : doc.error.lineno + 2])),
        )
    elif isinstance(doc.value, list):
        tasks_value = doc.value  # a bare task list: no activity log
    elif isinstance(doc.value, JObject):
        tasks_value = doc.value.get("tasks")
        activity_value = doc.value.get("activity")
        if tasks_value is None:
            doc.report(doc.line_of(doc.value), "the BASS export has no `tasks` list")
            tasks_value = []
        elif not isinstance(tasks_value, list):
            doc.report(
                doc.key_line(doc.value, "tasks"),
                f"the BASS export's `tasks` is {type_name(tasks_value)}, expected a list",
            )
            tasks_value = []
        if activity_value is not None and not isinstance(activity_value, list):
            doc.report(
                doc.key_line(doc.value, "activity"),
                f"the BASS export's `activity` is {type_name(activity_value)}, expected a list",
            )
            activity_value = []
    else:
        doc.report(1, f"the BASS export is {type_name(doc.value)}, expected an object with `tasks`")
        tasks_value = []

    tasks: list[Task] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(tasks_value, 1):
        if not isinstance(item, JObject):
            doc.report(
                doc.item_line(tasks_value, index - 1),
                f"task {index} of the BASS export is {type_name(item)}, expected an object; "
                f"kept as `{clip(as_json(item), 40)}`",
            )
            continue
        task = _task(doc, item, index)
        if task.id in seen:
            doc.report(
                task.source.line,
                f"BASS task {task.id} appears twice (also at line {seen[task.id]}); "
                "links and checks use the first",
            )
        elif task.id:
            seen[task.id] = task.source.line or 0
        tasks.append(task)
    activity = _activity(doc, activity_value or [], set(seen))
    return Tracker(KIND, path, tuple(tasks), tuple(activity), raw), doc.problems


def _state(doc: JsonDoc, obj: JObject, key: str, what: str) -> str:
    """A state field in canonical form; an unknown one is reported and kept as written."""
    written = text_of(doc, obj, key, what)
    if not written.strip():
        return ""
    state = normal_state(written)
    if state is None:
        doc.report(
            doc.key_line(obj, key),
            f"{what}: `{key}` `{clip(written, 30)}` is not a BASS state ({_SHOWN_STATES})",
        )
        return written.strip()
    return state


def _task(doc: JsonDoc, obj: JObject, index: int) -> Task:
    line = doc.key_line(obj, "id") if "id" in obj else doc.line_of(obj)
    task_id = text_of(doc, obj, "id", f"task {index} of the BASS export").strip()
    if not task_id:
        doc.report(line, f"task {index} of the BASS export has no `id`: nothing can refer to it")
    what = f"BASS task {task_id}" if task_id else f"task {index} of the BASS export"
    status = _state(doc, obj, "status", what)
    if not status:
        doc.report(line, f"{what} has no `status` ({_SHOWN_STATES})")
    agent = person_of(doc, obj, "agent", what)
    auto = obj.get("auto_complete", False)
    if not isinstance(auto, bool):
        doc.report(
            doc.key_line(obj, "auto_complete"),
            f"{what}: `auto_complete` is {type_name(auto)}, expected true or false",
        )
        auto = auto in ("true", "yes", 1)
    project = text_of(doc, obj, "project", what).strip() or None
    return Task(
        source=doc.ref(line),
        tracker=KIND,
        id=task_id,
        title=text_of(doc, obj, "title", what),
        status=status,
        assignees=(agent,) if agent else (),
        labels=list_of(doc, obj, "labels", what),
        deps=list_of(doc, obj, "deps", what) or list_of(doc, obj, "dependencies", what),
        created=stamp_of(doc, obj, "created_at", what),
        updated=stamp_of(doc, obj, "updated_at", what),
        url=text_of(doc, obj, "url", what) or None,
        body=text_of(doc, obj, "description", what) or text_of(doc, obj, "body", what),
        type=text_of(doc, obj, "type", what) or None,
        project=project,
        blocker=text_of(doc, obj, "blocker", what).strip(),
        auto_complete=bool(auto),
        lines=key_lines(doc, obj, ("id", "status", "agent", "blocker", "deps", "dependencies")),
        span=doc.span(obj),
    )


def _activity(doc: JsonDoc, rows: list[Any], known: set[str]) -> list[TaskChange]:
    out: list[TaskChange] = []
    for index, row in enumerate(rows, 1):
        if not isinstance(row, JObject):
            doc.report(
                doc.line_of(rows),
                f"activity row {index} of the BASS export is {type_name(row)}, expected an "
                f"object; kept as `{clip(as_json(row), 40)}`",
            )
            continue
        line = doc.line_of(row)
        task_id = text_of(doc, row, "task_id", f"activity row {index}").strip()
        what = f"activity row {index} (task {task_id or '?'})"
        if not task_id:
            doc.report(line, f"activity row {index} of the BASS export has no `task_id`")
        elif known and task_id not in known:
            doc.report(line, f"{what} is about task {task_id}, which the export does not hold")
        after = _state(doc, row, "to", what)
        if not after:
            doc.report(line, f"{what} has no `to` state: the change it records is unknown")
        time_key = next((k for k in ("at", "timestamp", "created_at") if k in row), "at")
        at = stamp_of(doc, row, time_key, what)
        if at is None and time_key not in row:
            doc.report(line, f"{what} has no `at` time")
        out.append(
            TaskChange(
                source=doc.ref(line),
                task_id=task_id,
                at=at,
                agent=person_of(doc, row, "agent", what),
                before=_state(doc, row, "from", what),
                after=after,
                note=text_of(doc, row, "note", what).strip(),
            )
        )
    return out
