"""The Riff / tasks-prod export (formats.md §4): a JSON list of tasks, or `{"tasks": [...]}`."""

from __future__ import annotations

import re
from typing import Any

from generator.model import Problem, RawBlock, SourceRef, Task, TaskComment, Tracker
from generator.readers._text import clip
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
KIND = "riff"
# `from:… · to:… · type:… · ref:… · status:…`: the queue heading's fields, on the body's first line.
_HEADER_FIELD = re.compile(r"^(?P<key>[a-z][a-z_-]*):(?P<value>.*)$")


def read_riff(path: str, text: str) -> tuple[Tracker, list[Problem]]:
    """Read a Riff export; what cannot be read is reported, the readable tasks are kept."""
    doc = JsonDoc.parse(path, text)
    items, raw = _task_list(doc)
    tasks: list[Task] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items, 1):
        if not isinstance(item, JObject):
            doc.report(
                doc.item_line(items, index - 1),
                f"task {index} of the Riff export is {type_name(item)}, expected an object; "
                f"kept as `{clip(as_json(item), 40)}`",
            )
            continue
        task = _task(doc, item, index)
        if task.id:
            if task.id in seen:
                doc.report(
                    task.source.line,
                    f"Riff task #{task.id} appears twice (also at line {seen[task.id]}); "
                    "links and checks use the first",
                )
            else:
                seen[task.id] = task.source.line or 0
        tasks.append(task)
    return Tracker(KIND, path, tuple(tasks), (), raw), doc.problems


def _task_list(doc: JsonDoc) -> tuple[list[Any], tuple[RawBlock, ...]]:
    """The task array, salvaged up to the parser's error when the file is not valid JSON."""
    if doc.error is not None:
        doc.report_error("the Riff export")
        salvaged: list[Any] = doc.salvage("tasks") or doc.salvage(None) or []
        if salvaged:
            doc.report(
                doc.error.lineno,
                f"the Riff export: {len(salvaged)} task(s) before the error were read; "
                "the rest of the file is shown as text",
            )
        return salvaged, (_raw_from(doc, doc.error.lineno),)
    value = doc.value
    if isinstance(value, list):
        return value, ()
    if isinstance(value, JObject):
        tasks = value.get("tasks")
        if isinstance(tasks, list):
            return tasks, ()
        if tasks is None:
            doc.report(
                doc.line_of(value), "the Riff export has no `tasks` list (nor is it a list itself)"
            )
        else:
            doc.report(
                doc.key_line(value, "tasks"),
                f"the Riff export's `tasks` is {type_name(tasks)}, expected a list",
            )
        return [], ()
    doc.report(1, f"the Riff export is {type_name(value)}, expected a list of tasks")
    return [], ()


def _raw_from(doc: JsonDoc, line: int) -> RawBlock:
    lines = doc.text.split("\n")
    start = max(line - 3, 0)
    return RawBlock(SourceRef(doc.path, start + 1), "\n".join(lines[start : line + 2]))


def _assignees(doc: JsonDoc, obj: JObject, what: str) -> tuple[str, ...]:
    """`assignee` as a name, a handle, a list of them, or an object with a name."""
    value = obj.get("assignee", obj.get("assignees"))
    key = "assignee" if "assignee" in obj else "assignees"
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    if isinstance(value, dict):
        for name_key in ("handle", "name", "login", "username", "id"):
            if isinstance(value.get(name_key), str) and value[name_key].strip():
                return (value[name_key].strip(),)
    if isinstance(value, list):
        return list_of(doc, obj, key, what)
    doc.report(
        doc.key_line(obj, key),
        f"{what}: `{key}` is {type_name(value)}, expected a name or handle; kept as "
        f"`{clip(as_json(value), 40)}`",
    )
    return (as_json(value),)


def header_fields(body: str) -> tuple[tuple[str, str], ...]:
    """The `key:value · key:value` fields of the body's first line, or () when it has none."""
    first = body.lstrip("\n").split("\n", 1)[0].strip()
    pairs: list[tuple[str, str]] = []
    for part in first.split(" · "):
        m = _HEADER_FIELD.match(part.strip())
        if m is None:
            return ()
        pairs.append((m["key"], m["value"].strip()))
    return tuple(pairs) if len(pairs) >= 2 else ()


def _comments(doc: JsonDoc, obj: JObject, what: str) -> tuple[TaskComment, ...]:
    value = obj.get("comments")
    if value is None:
        return ()
    if not isinstance(value, list):
        doc.report(
            doc.key_line(obj, "comments"),
            f"{what}: `comments` is {type_name(value)}, expected a list of {{author, at, body}}",
        )
        return ()
    out: list[TaskComment] = []
    for index, item in enumerate(value):
        if not isinstance(item, JObject):
            here = doc.item_line(value, index) or doc.key_line(obj, "comments")
            doc.report(
                here,
                f"{what}: a comment is {type_name(item)}, expected an object; kept as "
                f"`{clip(as_json(item), 40)}`",
            )
            out.append(TaskComment(doc.ref(here), "", None, as_json(item)))
            continue
        line = doc.line_of(item)
        author = person_of(doc, item, "author", f"{what}, comment at line {line}")
        at = stamp_of(doc, item, "at", f"{what}, comment at line {line}")
        if at is None and "at" not in item:
            at = stamp_of(doc, item, "created_at", f"{what}, comment at line {line}")
        body = text_of(doc, item, "body", f"{what}, comment at line {line}")
        out.append(TaskComment(doc.ref(line), author, at, body))
    return tuple(out)


def _task(doc: JsonDoc, obj: JObject, index: int) -> Task:
    line = doc.key_line(obj, "id") if "id" in obj else doc.line_of(obj)
    task_id = text_of(doc, obj, "id", f"task {index} of the Riff export").strip().lstrip("#")
    if not task_id:
        doc.report(line, f"task {index} of the Riff export has no `id`: nothing can refer to it")
    what = f"Riff task #{task_id}" if task_id else f"task {index} of the Riff export"
    status = text_of(doc, obj, "status", what)
    if not status.strip():
        doc.report(line, f"{what} has no `status`")
    body = text_of(doc, obj, "body", what)
    header = header_fields(body)
    kind = next((v for k, v in header if k == "type"), None)
    if kind is None and isinstance(obj.get("type"), str):
        kind = obj["type"]
    url = text_of(doc, obj, "url", what) or None
    deps = tuple(d.strip().lstrip("#") for d in list_of(doc, obj, "deps", what))
    return Task(
        source=doc.ref(line),
        tracker=KIND,
        id=task_id,
        title=text_of(doc, obj, "title", what),
        status=status.strip(),
        assignees=_assignees(doc, obj, what),
        labels=list_of(doc, obj, "labels", what),
        deps=tuple(d for d in deps if d),
        created=stamp_of(doc, obj, "created_at", what),
        updated=stamp_of(doc, obj, "updated_at", what),
        url=url,
        body=body,
        type=kind,
        header=header,
        comments=_comments(doc, obj, what),
        lines=key_lines(doc, obj, ("id", "status", "assignee", "labels", "deps", "body")),
        span=doc.span(obj),
    )
