"""A BASS change made by a spawn-only worker (`dev`, `research`) instead of the agent that spawned it.

## What it finds

An activity row of the BASS export whose `agent` is a roster agent of type `Spawn-only` (by id, name
or session key such as `agent:dev:subagent:…`).

## Why it matters

Tracker drift: sub-agents are stateless and short-lived; the spawning agent verifies their result
and owns the task. A worker that moves the task itself reports work nobody checked, and the owner's
view of the task silently diverges from the tracker.

## Example

```
{"task_id": "T-24", "agent": "dev", "from": "in_progress", "to": "review"}
```

## Fix

Let the spawning agent update BASS after it has read the worker's output file; workers only write
their results to disk.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules.base import Hit, Rule


def check(ctx: Context) -> Iterable[Hit]:
    team = ctx.roster
    for tracker in ctx.board.trackers:
        if tracker.kind != "bass":
            continue
        for change in tracker.activity:
            agent = team.get(change.agent)
            if agent is None or not agent.spawn_only:
                continue
            shown = f"{change.before or 'created'} → {change.after or '?'}"
            yield Hit.at(
                change.source,
                f"BASS {change.task_id}: {shown} was made by spawn-only worker {agent.id}; the "
                "spawning agent owns BASS updates",
            )


RULE = Rule(
    name="subagent-updates-tracker",
    code="SB604",
    severity=Severity.ERROR,
    failure_mode="tracker-drift",
    doc=__doc__ or "",
    check=check,
)
