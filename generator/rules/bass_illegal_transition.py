"""A BASS status change that is not in the protocol's transition table.

## What it finds

An activity row of the BASS export whose `from → to` is not one of `todo → in_progress`,
`in_progress → review`, `in_progress → done`, `review → done` or `any → blocked`: for example
`todo → done`, `review → in_progress` or `done → todo`. A change out of `blocked` is judged as if it
came from the state the task had before it was blocked (back to that state is always fine).

## Why it matters

Tracker drift: the table is how the fleet knows who owns a task and whether it was reviewed. A task
that jumps from `todo` to `done` was never claimed, and one sent back from `review` to `in_progress`
hides that the review failed, so the tracker stops telling the truth about the work.

## Example

```
{"task_id": "T-17", "at": "2026-06-03T09:10:00Z", "agent": "frankel", "from": "todo", "to": "done"}
```

## Fix

Record the missing steps (`todo → in_progress → review`), or move a task that failed review to
`blocked` with a note saying what is missing, then back to `in_progress`.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules.base import Hit, Rule
from generator.tracking import bass_transitions


def check(ctx: Context) -> Iterable[Hit]:
    for t in bass_transitions(ctx.board):
        if t.verdict != "illegal":
            continue
        c = t.change
        by = f" by {c.agent}" if c.agent else ""
        title = f" ({t.task.title})" if t.task is not None and t.task.title else ""
        yield Hit.at(
            c.source,
            f"BASS {c.task_id}{title}: {t.shown}{by} is not in the transition table "
            "(todo → in_progress → review → done; in_progress → done only for ops/infra)",
        )


RULE = Rule(
    name="bass-illegal-transition",
    code="SB601",
    severity=Severity.ERROR,
    failure_mode="tracker-drift",
    doc=__doc__ or "",
    check=check,
)
