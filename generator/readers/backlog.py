"""A Backlog.md folder (formats.md §4): `backlog/tasks/*.md`, YAML front matter then markdown."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import yaml

from generator.model import Problem, RawBlock, SourceRef, Stamp, Task, Tracker
from generator.readers._text import clip
from generator.readers.tracker_json import as_json, loose_stamp, type_name

RULE = "export-parse"
KIND = "backlog"
# `task-12 - Retry budget reset.md`: the public tool's file names.
_FILE_NAME = re.compile(r"^(?P<id>[A-Za-z]+-\d+(?:\.\d+)*)(?:\s*-\s*(?P<title>.*))?$")
_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:")


def read_backlog_task(path: str, text: str) -> tuple[Task | None, list[Problem], RawBlock | None]:
    """Read one task file; a file with broken front matter is kept raw and reported."""
    problems: list[Problem] = []

    def report(line: int | None, message: str) -> None:
        problems.append(Problem(RULE, SourceRef(path, line), message))

    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    named = _FILE_NAME.match(stem)
    file_id = named["id"] if named else stem
    file_title = (named["title"] or "").replace("-", " ").strip() if named else ""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        report(1, f"Backlog.md task `{stem}` has no YAML front matter (a first line `---`)")
        return None, problems, RawBlock(SourceRef(path, 1), text.strip("\n"))
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        report(1, f"Backlog.md task `{stem}`: the front matter is never closed with `---`")
        return None, problems, RawBlock(SourceRef(path, 1), text.strip("\n"))
    front = "\n".join(lines[1:end])
    try:
        data = yaml.safe_load(front) if front.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1  # +1 for 1-based, +1 for the `---`
        problem = getattr(exc, "problem", None) or str(exc).split("\n", 1)[0]
        report(line, f"Backlog.md task `{stem}`: the front matter is not valid YAML: {problem}")
        return None, problems, RawBlock(SourceRef(path, 1), "\n".join(lines[: end + 1]))
    if not isinstance(data, dict):
        report(2, f"Backlog.md task `{stem}`: the front matter is {type_name(data)}, not keys")
        return None, problems, RawBlock(SourceRef(path, 1), "\n".join(lines[: end + 1]))

    key_lines: dict[str, int] = {}
    for i in range(1, end):
        m = _KEY.match(lines[i])
        if m:
            key_lines.setdefault(m["key"], i + 1)

    def text_field(key: str) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value).strip()
        report(
            key_lines.get(key, 1),
            f"Backlog.md task `{stem}`: `{key}` is {type_name(value)}, expected text",
        )
        return as_json(value)

    def list_field(key: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None or value == "":
            return ()
        if isinstance(value, str):
            return tuple(p.strip() for p in value.split(",") if p.strip())
        if not isinstance(value, list):
            report(
                key_lines.get(key, 1),
                f"Backlog.md task `{stem}`: `{key}` is {type_name(value)}, expected a list",
            )
            return ()
        out: list[str] = []
        for item in value:
            if isinstance(item, str | int | float) and not isinstance(item, bool):
                out.append(str(item).strip())
            else:
                report(
                    key_lines.get(key, 1),
                    f"Backlog.md task `{stem}`: an item of `{key}` is {type_name(item)}; kept as "
                    f"`{clip(as_json(item), 40)}`",
                )
                out.append(as_json(item))
        return tuple(o for o in out if o)

    def stamp_field(key: str) -> Stamp | None:
        value = data.get(key)
        if value is None or value == "":
            return None
        stamp = _stamp(value)
        if stamp is None:
            report(
                key_lines.get(key, 1),
                f"Backlog.md task `{stem}`: `{key}` `{clip(str(value), 30)}` is not a date",
            )
        return stamp

    task_id = text_field("id") or file_id
    title = text_field("title") or file_title
    status = text_field("status")
    if not status:
        report(key_lines.get("status", 1), f"Backlog.md task {task_id} has no `status`")
    body_start = end + 1
    body = "\n".join(lines[body_start:]).strip("\n")
    return (
        Task(
            source=SourceRef(path, key_lines.get("id", 1)),
            tracker=KIND,
            id=task_id,
            title=title,
            status=status,
            assignees=tuple(a.lstrip("@") for a in list_field("assignee")),
            labels=list_field("labels"),
            deps=list_field("dependencies"),
            created=stamp_field("created_date"),
            updated=stamp_field("updated_date"),
            body=body,
            type=text_field("type") or None,
            lines=tuple(sorted(key_lines.items(), key=lambda kv: kv[1])),
            span=(1, len(lines)),
        ),
        problems,
        None,
    )


def _stamp(value: Any) -> Stamp | None:
    """A Backlog.md date: `2025-06-04 10:30`, `2025-06-04`, or what YAML made of one."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return Stamp(moment.astimezone(UTC), value.isoformat(), False, value.tzinfo is not None)
    if isinstance(value, date):
        moment = datetime(value.year, value.month, value.day, tzinfo=UTC)
        return Stamp(moment, value.isoformat(), False, False)
    return loose_stamp(value)


def read_backlog(path: str, files: list[tuple[str, str]]) -> tuple[Tracker, list[Problem]]:
    """Read every task file of the folder (`files`: (path, text) sorted by path)."""
    tasks: list[Task] = []
    raw: list[RawBlock] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for file_path, text in files:
        task, found, kept = read_backlog_task(file_path, text)
        problems.extend(found)
        if kept is not None:
            raw.append(kept)
        if task is None:
            continue
        key = task.id.lower()
        if key in seen:
            problems.append(
                Problem(
                    RULE,
                    task.source,
                    f"Backlog.md task {task.id} appears twice (also in `{seen[key]}`); "
                    "links and checks use the first",
                )
            )
        else:
            seen[key] = file_path
        tasks.append(task)
    return Tracker(KIND, path, tuple(tasks), (), tuple(raw)), problems
