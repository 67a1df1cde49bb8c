"""A tracker dependency on a task id that does not exist.

## What it finds

An entry of a task's `deps` (Riff, BASS) or `dependencies` (Backlog.md) that names no task: a plain
id is looked up in the same tracker, a written reference (`Riff #412`, `BASS:T-17`, `task-12`) in
the tracker it names.

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
from generator.tracking import TRACKER_TITLES, task_index, task_label


def check(ctx: Context) -> Iterable[Hit]:
    index = task_index(ctx.board)
    for task in ctx.board.tasks:
        key = "dependencies" if task.tracker == "backlog" else "deps"
        for dep in task.deps:
            if index.dependency(task, dep) is not None:
                continue
            yield Hit(
                task.source.path,
                task.line_of(key),
                f"{task_label(task)} ({task.title or 'untitled'}) depends on `{dep}`, which is no "
                f"task of the {TRACKER_TITLES.get(task.tracker, task.tracker)} export",
            )


RULE = Rule(
    name="dangling-dependency",
    code="SB610",
    severity=Severity.WARNING,
    failure_mode="ownership-ambiguity",
    doc=__doc__ or "",
    check=check,
)
