"""A tracker task in progress with no activity for 3 days.

## What it finds

A task of any tracker whose state is in progress (BASS `in_progress`, beads `in_progress` and
`hooked`, Riff and Backlog.md states such as `In Progress` or `doing`) and whose newest sign of
activity (its `updated_at` or `updated_date`, a comment, a BASS activity row) is older than
`thresholds.stale_in_progress_days` (default 3) before now. Tasks with no time at all, and beads
agent beads (their state is the agent's, on the Agents page), are not judged.

## Why it matters

Tracker drift: an in-progress task claims an owner. When the owner has moved on, the claim keeps
everyone else away from work that nobody is doing, like a stale row on the scoreboard.

## Example

```
{"id": "T-12", "status": "in_progress", "agent": "vinyl", "updated_at": "2026-05-28T10:00:00Z"}
```

## Fix

Update the task (a comment or a status change), move it back to `todo` or to `blocked` with a
note, or reassign it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from generator.analysis import Context
from generator.model import Severity
from generator.rules._common import ago
from generator.rules.base import Hit, Rule
from generator.tracking import bass_changes, category, last_activity, task_label


def check(ctx: Context) -> Iterable[Hit]:
    limit = timedelta(days=ctx.config.thresholds.stale_in_progress_days)
    for tracker in ctx.board.trackers:
        changes = bass_changes(tracker) if tracker.kind == "bass" else {}
        for task in tracker.tasks:
            if category(task) != "in_progress" or task.type == "agent":
                continue
            newest = last_activity(task, changes.get(task.id, ()))
            if newest is None or ctx.now - newest <= limit:
                continue
            who = f", assigned to {', '.join(task.assignees)}" if task.assignees else ""
            yield Hit(
                task.source.path,
                task.line_of("status"),
                f"{task_label(task)} ({task.title or 'untitled'}) is {task.status}{who}, with "
                f"no activity since {ago(ctx.now, newest)}",
            )


RULE = Rule(
    name="stale-in-progress",
    code="SB606",
    severity=Severity.INFO,
    failure_mode="tracker-drift",
    doc=__doc__ or "",
    check=check,
)
