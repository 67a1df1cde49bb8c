"""A tracker dependency on a task id that does not exist.

## What it finds

An entry of a task's `deps` (Riff, BASS), `dependencies` or `parent_task_id` (Backlog.md), or a
dependency edge of a beads issue (`blocks`, `parent-child`, `related`, …), that names no task: a
plain id is looked up in the same tracker (Backlog.md ids as Backlog.md compares them), a written
reference (`Riff #412`, `BASS:T-17`, `task-12`) in the tracker it names.

Finished work is history and is not judged: Backlog.md tasks that are done, completed or archived
and drafts, and closed beads issues (beads compacts and reaps closed issues, so their links may
point at issues that are gone). beads edges the export cannot hold are shown as external and
never judged: `external:<rig>:<id>`, ephemeral wisps, other rigs' prefixes.

## Why it matters

Ownership ambiguity: the dependency is the handoff order. Pointing at nothing means the task either
waits forever or its real predecessor is unknown, usually after a renumbering or a typo.

## Example

```
{"id": "435", "title": "Receipt shows the retry reason", "deps": ["429"]}
```

## Fix

Point the dependency at the existing task, or remove it if the work it named is gone.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules.base import Hit, Rule
from generator.tracking import TRACKER_TITLES, category, task_label


def check(ctx: Context) -> Iterable[Hit]:
    index = ctx.tasks
    for task in ctx.board.tasks:
        if task.tracker in ("backlog", "beads") and (
            category(task) == "done" or task.folder == "drafts"
        ):
            continue
        key = "dependencies" if task.tracker == "backlog" else "deps"
        title = TRACKER_TITLES.get(task.tracker, task.tracker)
        if task.tracker == "beads":
            for edge in task.edges:
                if edge.external or index.get("beads", edge.target) is not None:
                    continue
                yield Hit(
                    task.source.path,
                    edge.line,
                    f"{task_label(task)} ({task.title or 'untitled'}) has a `{edge.type}` link to "
                    f"`{edge.target}`, which is no issue of the {title} export",
                )
            continue
        for dep in task.deps:
            if index.dependency(task, dep) is not None:
                continue
            yield Hit(
                task.source.path,
                task.line_of(key),
                f"{task_label(task)} ({task.title or 'untitled'}) depends on `{dep}`, which is no "
                f"task of the {title} export",
            )
        if task.tracker == "backlog" and task.parent and index.get("backlog", task.parent) is None:
            yield Hit(
                task.source.path,
                task.line_of("parent_task_id"),
                f"{task_label(task)} ({task.title or 'untitled'}) names parent `{task.parent}`, "
                f"which is no task of the {title} folder",
            )


RULE = Rule(
    name="dangling-dependency",
    code="SB610",
    severity=Severity.WARNING,
    failure_mode="ownership-ambiguity",
    doc=__doc__ or "",
    check=check,
)
