"""One tracker task named by the Task cells of two sessions' claim rows.

## What it finds

Two or more claim rows of different sessions whose Task cells name the same tracker task (any
tracker: Riff, BASS, Backlog.md ids such as `BACK-12` or `task-12.01`, beads ids). Each later row
is reported, naming the first one. Ids match as their tracker matches them (`BACK-355.01` is
`back-355.1`).

## Why it matters

Ownership ambiguity: two sessions believe they hold the same work, so it gets done twice, or
each waits for the other, and their commits collide in the same paths.

## Example

```
| sA · Sintra | BACK-208 paste as markdown | … |
| sC · Lagos  | back-208                    | … |
```

## Fix

Agree who keeps the task (a message in the other session's queue), and point the other row at
its own work or release it.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import ClaimRow, Severity
from generator.rules.base import Hit, Rule
from generator.tracking import task_label


def check(ctx: Context) -> Iterable[Hit]:
    index = ctx.tasks
    first: dict[str, ClaimRow] = {}
    for row in ctx.board.scoreboard.rows:
        for task in index.in_text(row.task):
            earlier = first.get(task.key)
            if earlier is None:
                first[task.key] = row
                continue
            if earlier.session_id is not None and earlier.session_id == row.session_id:
                continue  # the same session twice is duplicate-claim's
            yield Hit.at(
                row.source,
                f"{row.label} claims {task_label(task)} ({task.title or 'untitled'}), which "
                f"{earlier.label} (line {earlier.source.line}) claims too",
            )


RULE = Rule(
    name="task-claimed-twice",
    code="SB613",
    severity=Severity.WARNING,
    failure_mode="ownership-ambiguity",
    doc=__doc__ or "",
    check=check,
)
