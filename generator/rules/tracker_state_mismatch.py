"""The same work item in two trackers, in different states.

## What it finds

A task of one tracker that names a task of another tracker as the same work, while the two are
in different board states (to do, in progress, review, blocked, done). The same work is what a
tracker links explicitly: a beads issue whose `external_ref` names the other task (`BACK-12`,
`task-12.01`, `Riff #412`, `BASS T-17`). Equal titles alone are not taken as the same work: a
task closed in one tracker because it was filed in the other is a handover, not drift.

## Why it matters

Tracker drift: teams that keep a Backlog.md folder next to a beads database (or a Riff export)
see one state in one place and another state in the other; whoever reads the wrong one picks up
finished work or ignores work in progress.

## Example

```
.beads/issues.jsonl:   {"id": "bd-a1", "title": "Paste as markdown", "status": "closed", "external_ref": "BACK-208"}
backlog/tasks/back-208 - Paste-as-markdown.md:   status: In Progress
```

## Fix

Bring the two up to date (close or reopen one of them), or drop the link when they are not the
same work after all.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity, Task
from generator.rules.base import Hit, Rule
from generator.tracking import CATEGORY_TITLES, category, task_label

_JUDGED = ("todo", "in_progress", "review", "blocked", "done")


def check(ctx: Context) -> Iterable[Hit]:
    index = ctx.tasks
    pairs: list[tuple[Task, Task, str]] = []
    seen: set[tuple[str, str]] = set()
    for task in ctx.board.tasks:
        ref = next((v for k, v in task.extra if k == "external_ref"), "")
        for other in index.in_text(ref) if ref else []:
            if other.tracker != task.tracker:
                pairs.append((task, other, f"its `external_ref` `{ref}`"))
    for task, other, why in pairs:
        pair = tuple(sorted((task.key, other.key)))
        if pair in seen:
            continue
        seen.add((pair[0], pair[1]))
        mine, theirs = category(task), category(other)
        if mine == theirs or mine not in _JUDGED or theirs not in _JUDGED:
            continue
        yield Hit(
            task.source.path,
            task.line_of("status"),
            f"{task_label(task)} ({task.title or 'untitled'}) is {CATEGORY_TITLES[mine].lower()} "
            f"({task.status}), but {task_label(other)}, the same work by {why}, is "
            f"{CATEGORY_TITLES[theirs].lower()} ({other.status})",
        )


RULE = Rule(
    name="tracker-state-mismatch",
    code="SB614",
    severity=Severity.WARNING,
    failure_mode="tracker-drift",
    doc=__doc__ or "",
    check=check,
)
