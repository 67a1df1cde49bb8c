"""A BASS status change that is not in the protocol's transition table, or not in the log at all.

## What it finds

An activity row of the BASS export whose `from → to` is not one of `todo → in_progress`,
`in_progress → review`, `in_progress → done`, `review → done` or `any → blocked`: for example
`todo → done`, `review → in_progress` or `done → todo`. A change out of `blocked` is judged as if it
came from the state the task had before it was blocked (back to that state is always fine).

It also finds status changes that bypassed the log, which keeps one row per status change: a row
whose `from` is not the `to` of the task's previous row (reported at the later row, naming both),
and a task whose `status` is not the `to` of its last row (reported at the task's `status`). A
task's rows are taken in time order (in file order when one of them has no time). Each row is still
judged by its own `from`; a row without `from` is not compared, and a task without activity rows
has no log to disagree with.

These gaps are this rule's rather than export-parse's: the export is well-formed, and what it
lacks is a status change that never went through the transition table, so nobody can tell whether
it was allowed or who made it.

## Why it matters

Tracker drift: the table is how the fleet knows who owns a task and whether it was reviewed. A task
that jumps from `todo` to `done` was never claimed, and one sent back from `review` to `in_progress`
hides that the review failed, so the tracker stops telling the truth about the work. A change with
no row of its own is worse: the review and sign-off checks cannot see it at all.

## Example

```
{"task_id": "T-17", "at": "2026-06-03T09:10:00Z", "agent": "frankel", "from": "todo", "to": "done"}
```

A gap: `in_progress → review` was never recorded, and the task says `done` where its last row left
it in `review`.

```
{"task_id": "T-18", "at": "2026-06-03T09:00:00Z", "agent": "vinyl", "from": "todo", "to": "in_progress"},
{"task_id": "T-18", "at": "2026-06-03T11:00:00Z", "agent": "main", "from": "review", "to": "done"}
```

## Fix

Record the missing steps (`todo → in_progress → review`), or move a task that failed review to
`blocked` with a note saying what is missing, then back to `in_progress`. Where the log skips a
change, add the row for it (or correct the `from` that was mistyped); where the task's `status`
disagrees with its last row, change the status through the tracker so that it writes the row.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity, SourceRef, TaskChange
from generator.rules.base import Hit, Rule
from generator.timeutil import canonical
from generator.tracking import Gap, bass_gaps


def _row(change: TaskChange) -> str:
    """`line 7: 2026-06-03T10:00Z, frankel, todo → in_progress`."""
    facts = [
        f"line {change.source.line}",
        canonical(change.at.value) if change.at is not None else "",
        change.agent,
        f"{change.before or 'created'} → {change.after}",
    ]
    return ", ".join(f for f in facts if f)


def _gap(gap: Gap) -> Hit:
    title = f" ({gap.task.title})" if gap.task is not None and gap.task.title else ""
    missing = f"the change {gap.left} → {gap.found} has no activity row"
    if gap.change is not None:
        return Hit.at(
            gap.change.source,
            f"BASS {gap.task_id}{title}: the activity row ({_row(gap.change)}) starts from "
            f"`{gap.found}`, but the row before it ({_row(gap.previous)}) left the task in "
            f"`{gap.left}`: {missing}",
        )
    task = gap.task
    assert task is not None  # a gap without a row is between the log and the task's status
    return Hit.at(
        SourceRef(task.source.path, task.line_of("status")),
        f"BASS {gap.task_id}{title}: the task's status is `{gap.found}`, but its last activity "
        f"row ({_row(gap.previous)}) left it in `{gap.left}`: {missing}",
    )


def check(ctx: Context) -> Iterable[Hit]:
    for t in ctx.transitions:
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
    for gap in bass_gaps(ctx.board):
        yield _gap(gap)


RULE = Rule(
    name="bass-illegal-transition",
    code="SB601",
    severity=Severity.ERROR,
    failure_mode="tracker-drift",
    doc=__doc__ or "",
    check=check,
)
