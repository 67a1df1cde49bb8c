"""A BASS `review → done` made by someone other than the person or the orchestrator.

## What it finds

An activity row `review → done` whose `agent` is neither one of the configured sign-off names
(`[agents] signoff`, default `human`, plus `[agents] people`) nor a roster agent with role
`orchestrator` (by id or name; a roster without a Role column makes `main` the orchestrator).

## Why it matters

Tracker drift: sign-off is the only check between an agent's work and `done`. An agent that
approves its own work, or a peer's, turns review into a formality and the person loses the one place
where they see what was finished.

## Example

```
{"task_id": "T-24", "agent": "vinyl", "from": "review", "to": "done"}
```

## Fix

Leave the task in `review` for the person or the orchestrator; if another agent should be able to
sign off, give it role `orchestrator` in the roster or add it to `[agents] signoff`.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules.base import Hit, Rule
from generator.tracking import may_sign_off, signers


def check(ctx: Context) -> Iterable[Hit]:
    team = ctx.roster
    for t in ctx.transitions:
        if t.verdict != "signoff" or may_sign_off(t.change.agent, ctx.config, team):
            continue
        c = t.change
        who = c.agent or "an unnamed agent"
        title = f" ({t.task.title})" if t.task is not None and t.task.title else ""
        yield Hit.at(
            c.source,
            f"BASS {c.task_id}{title}: {t.shown} by {who}, who may not sign off "
            f"(allowed: {', '.join(signers(ctx.config, team))})",
        )


RULE = Rule(
    name="bass-unauthorised-signoff",
    code="SB603",
    severity=Severity.ERROR,
    failure_mode="tracker-drift",
    doc=__doc__ or "",
    check=check,
)
