"""A BASS task in `blocked` with no blocker note.

## What it finds

A task of the BASS export whose status is `blocked` while its `blocker` field is empty and the
activity row that blocked it carries no `note` either.

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
from generator.model import Severity
from generator.rules.base import Hit, Rule
from generator.tracking import bass_changes


def check(ctx: Context) -> Iterable[Hit]:
    for tracker in ctx.board.trackers:
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


RULE = Rule(
    name="blocked-without-note",
    code="SB605",
    severity=Severity.WARNING,
    failure_mode="tracker-drift",
    doc=__doc__ or "",
    check=check,
)
