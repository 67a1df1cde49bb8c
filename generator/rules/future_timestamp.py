"""A timestamp later than now by more than the allowed clock skew (5 minutes by default).

## What it finds

Every timestamp of the scoreboard (`Claimed`, `Presence`), of message headings and of ack lines that
lies more than `thresholds.future_skew_minutes` after the build's now. Exactly at the limit passes.

## Why it matters

Stale claim: a `Presence` in the future keeps a session "live" until that time however long ago it
stopped, so nobody may reap its row; a future send or ack time also puts messages out of order and
makes waiting times negative. It is usually a local time written with a `Z`.

## Example

```
| sB · Lagos | Riff #415 | `session-sB` | 2026-05-31T09:00Z | 2026-05-31T18:30Z · 9f8e7d6 | … |
```
(built at 2026-05-31T16:30Z: the Presence is 2 h ahead, a CEST time written as UTC)

## Fix

Write the time in UTC (`date -u +%Y-%m-%dT%H:%MZ`) and check the clock of the machine that wrote it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from generator.analysis import Context
from generator.model import Severity
from generator.rules._common import stamp_sites, when
from generator.rules.base import Hit, Rule
from generator.timeutil import human_age


def check(ctx: Context) -> Iterable[Hit]:
    limit = ctx.now + timedelta(minutes=ctx.config.thresholds.future_skew_minutes)
    for site in stamp_sites(ctx):
        value = site.stamp.value
        if value > limit:
            ahead = human_age(value - ctx.now)
            yield Hit.at(
                site.source,
                f"{site.what} {when(value)} is {ahead} after now ({when(ctx.now)})",
            )


RULE = Rule(
    name="future-timestamp",
    code="SB106",
    severity=Severity.WARNING,
    failure_mode="stale-claim",
    doc=__doc__ or "",
    check=check,
)
