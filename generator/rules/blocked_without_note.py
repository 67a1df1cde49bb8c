"""A blocked tracker task that does not say what it waits for.

## What it finds

A task of the BASS export whose status is `blocked` while its `blocker` field is empty and the
activity row that blocked it carries no `note` either. A beads issue with status `blocked` that has
no blocking edge (`blocks`, `waits-for`, `conditional-blocks`), no notes and no comment; a
Backlog.md task in a blocked state (`Blocked`, `On hold`, …) with no dependency, no comment and
no Implementation Notes.

## Why it matters

Tracker drift: `any → blocked` is the one transition every agent may make, on the condition that it
says why. A bare `blocked` tells the person and the orchestrator that something is wrong but not
what, so nobody can unblock it and the task sits until someone asks.

## Example

```
{"id": "T-30", "title": "Rotate sandbox certificates", "status": "blocked", "agent": "claw"}
```

## Fix

Write what the task waits for in `blocker` (or in the note of the change to `blocked`): a person, a
task id, an outage.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity, Tracker
from generator.readers.beads import BLOCKING
from generator.rules.base import Hit, Rule
from generator.tracking import bass_changes, category, task_label


def check(ctx: Context) -> Iterable[Hit]:
    for tracker in ctx.board.trackers:
        if tracker.kind in ("beads", "backlog"):
            yield from _without_reason(tracker)
            continue
        if tracker.kind != "bass":
            continue
        changes = bass_changes(tracker)
        for task in tracker.tasks:
            if task.status != "blocked" or task.blocker.strip():
                continue
            into = [c for c in changes.get(task.id, []) if c.after == "blocked"]
            if into and into[-1].note.strip():
                continue
            who = f" (agent {task.assignee})" if task.assignee else ""
            title = f" ({task.title})" if task.title else ""
            yield Hit(
                task.source.path,
                task.line_of("status"),
                f"BASS {task.id}{title} is blocked{who} without a blocker note",
            )


def _without_reason(tracker: Tracker) -> Iterable[Hit]:
    """beads and Backlog.md: a reason is a blocking link, a note or a comment."""
    for task in tracker.tasks:
        if category(task) != "blocked" or task.comments:
            continue
        if any(e.type in BLOCKING for e in task.edges) or task.deps:
            continue
        notes = ("notes", "implementation notes")
        if any(title.lower() in notes and text.strip() for title, text in task.sections):
            continue
        who = f" (assigned to {task.assignee})" if task.assignee else ""
        title = f" ({task.title})" if task.title else ""
        yield Hit(
            task.source.path,
            task.line_of("status"),
            f"{task_label(task)}{title} is {task.status}{who} without saying what it waits for "
            "(no blocking dependency, note or comment)",
        )


RULE = Rule(
    name="blocked-without-note",
    code="SB605",
    severity=Severity.WARNING,
    failure_mode="tracker-drift",
    doc=__doc__ or "",
    check=check,
)
