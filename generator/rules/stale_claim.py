"""A claim row whose session was last seen more than 6 h ago: the reap rule applies.

## What it finds

A scoreboard row whose last sign of life — the newer of its `Presence` timestamp and its newest
`[sX]` commit since the claim, or the claim itself when there is neither — is older than
`thresholds.stale_hours` (6 h by default; exactly 6 h is still idle).

## Why it matters

Stale claim: a session that stopped without releasing its row still holds its paths and its task;
the others must not touch them, so the work stalls until someone notices and reaps the row.

## Example

```
| sC · Lagos | Riff #420 | `session-sC` → PR | 2026-05-31T02:00Z | 2026-05-31T06:00Z · 1a2b3c4 | … |
```
(at 15:00Z: last seen 9 h ago, no `[sC]` commit since)

## Fix

If the session is gone, reap the row (remove it in a `[sX] docs(ai-sessions): reap sC` commit) and
hand its task back to the tracker; if it is still working, let its heartbeat bump `Presence`.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context, Liveness
from generator.model import Severity
from generator.rules._common import ago, when
from generator.rules.base import Hit, Rule

_BY = {
    "presence": "Presence",
    "commit": "newest commit",
    "transcript": "its Claude Code transcript",
    "claim": "the claim itself",
}


def check(ctx: Context) -> Iterable[Hit]:
    for state in ctx.sessions:
        if state.liveness is not Liveness.STALE or state.last_seen is None:
            continue
        by = _BY.get(state.seen_by, state.seen_by)
        yield Hit.at(
            state.row.source,
            f"{state.row.label} last seen {when(state.last_seen)} "
            f"({ago(ctx.now, state.last_seen)}, by {by}); the reap rule applies",
        )


RULE = Rule(
    name="stale-claim",
    code="SB204",
    severity=Severity.WARNING,
    failure_mode="stale-claim",
    doc=__doc__ or "",
    check=check,
)
