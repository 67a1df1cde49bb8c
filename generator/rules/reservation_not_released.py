"""An Agent Mail reservation that expired without being released.

## What it finds

A file reservation of the MCP Agent Mail archive whose `expires_ts` has passed and that has no
`released_ts`: the agent stopped (or forgot) without releasing what it held.

## Why it matters

Stale claim: until its TTL ran out the reservation kept others off those files for nothing, and
an agent that never releases is likely to have left work half done in them.

## Example

```
file_reservations/id-22.json: BlueMountain crates/libs/lib-mcp/src/tools/mod.rs, expired 11:00, never released
```

## Fix

Release reservations when the work is committed (`release_file_reservations`); check what the
agent left in those paths.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules._common import ago, when
from generator.rules.base import Hit, Rule


def check(ctx: Context) -> Iterable[Hit]:
    mail = ctx.board.mail
    if mail is None:
        return
    for lease in mail.reservations:
        if lease.released is not None or lease.expires is None:
            continue
        if lease.expires.value > ctx.now:
            continue
        yield Hit.at(
            lease.source,
            f"{lease.agent}'s reservation of `{lease.pattern}` expired {when(lease.expires.value)} "
            f"({ago(ctx.now, lease.expires.value)}) and was never released",
        )


RULE = Rule(
    name="reservation-not-released",
    code="SB713",
    severity=Severity.INFO,
    failure_mode="stale-claim",
    doc=__doc__ or "",
    check=check,
)
