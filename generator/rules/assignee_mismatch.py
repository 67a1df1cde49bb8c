"""A scoreboard Task cell pointing at a tracker task that is assigned to another session.

## What it finds

A claim row whose Task cell names a task (`Riff #412`, `#412`, `BASS T-17`, `task-12`) that the
tracker export holds, while the task's assignee resolves to a different session (by id, display
name or handle). Tasks assigned to no session (an agent, a person, nobody) are not judged.

## Why it matters

Tracker drift: the scoreboard says who works on the task, the tracker says who owns it. When they
disagree, two sessions may both believe the task is theirs, or a handoff was accepted on one side
only.

## Example

```
| sA · Sintra | Riff #415 | … |        (Riff #415 is assigned to Porto, sB)
```

## Fix

Update the Task cell to the task the session really works on, or reassign the task in the tracker
(for a handoff: to the receiving session).
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import AddressKind, Context
from generator.model import Severity
from generator.rules.base import Hit, Rule
from generator.tracking import owner, task_label


def check(ctx: Context) -> Iterable[Hit]:
    index = ctx.tasks
    for row in ctx.board.scoreboard.rows:
        if row.session_id is None:
            continue
        for task in index.in_text(row.task):
            owners = [(a, owner(ctx.book, a)) for a in task.assignees]
            sessions = [(a, r) for a, r in owners if r.kind is AddressKind.SESSION and r.id]
            if not sessions or any(r.id == row.session_id for _, r in sessions):
                continue
            written, resolved = sessions[0]
            shown = written if written == resolved.id else f"{written} ({resolved.id})"
            yield Hit.at(
                row.source,
                f"{row.label} works on {task_label(task)} ({task.title or 'untitled'}), which "
                f"the tracker assigns to {shown}",
            )


RULE = Rule(
    name="assignee-mismatch",
    code="SB608",
    severity=Severity.WARNING,
    failure_mode="tracker-drift",
    doc=__doc__ or "",
    check=check,
)
