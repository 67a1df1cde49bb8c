"""A scoreboard claim whose task the tracker has already closed.

## What it finds

A claim row whose Task cell names a tracker task (`Riff #412`, `BASS T-17`, `BACK-12`,
`task-12.01`, a beads id such as `bd-a3f8`) that the tracker shows as finished: done, closed,
completed or archived (Backlog.md's `completed/` and `archive/`, its last configured status,
`Won't Do`; beads `closed`).

## Why it matters

Tracker drift: the row keeps claiming paths for work the tracker says is over. Either the session
moved on to something else without updating its row, or the task was closed while the work still
goes on, and the next reader of the tracker will not look for it.

## Example

```
| sA · Sintra | BACK-208 | … |        (backlog/completed/back-208 - … .md, status: Done)
```

## Fix

Point the Task cell at the work the session does now, release the row, or reopen the task.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules.base import Hit, Rule
from generator.tracking import category, task_label


def check(ctx: Context) -> Iterable[Hit]:
    index = ctx.tasks
    for row in ctx.board.scoreboard.rows:
        for task in index.in_text(row.task):
            if category(task) != "done":
                continue
            where = f" ({task.folder}/)" if task.folder in ("completed", "archive") else ""
            yield Hit.at(
                row.source,
                f"{row.label} claims {task_label(task)} ({task.title or 'untitled'}), which the "
                f"tracker shows as {task.status or 'finished'}{where}",
            )


RULE = Rule(
    name="claimed-task-closed",
    code="SB612",
    severity=Severity.WARNING,
    failure_mode="tracker-drift",
    doc=__doc__ or "",
    check=check,
)
