"""Two claim rows with the same session id.

## What it finds

A scoreboard row whose technical id (`sA`) was already claimed by an earlier row of the table. Each
later row is reported, naming the first one.

## Why it matters

Identity drift: the id is the commit prefix and the queue address; with two rows, liveness, claimed
paths and messages for `sA` can belong to either, usually because a session claimed again without
reaping its old row, or two sessions picked the same letter.

## Example

```
| sA · Sintra | Riff #412 | `session-sA` … | 2026-05-30T09:00Z | 2026-05-30T17:10Z · | … |
| sA · Oslo   | Riff #430 | `session-sA` … | 2026-05-31T11:40Z | 2026-05-31T11:40Z · | … |
```

## Fix

Remove the row that no longer holds (reap the stale one), or move the second session to a free
letter.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import ClaimRow, Severity
from generator.rules.base import Hit, Rule


def check(ctx: Context) -> Iterable[Hit]:
    first_by_id: dict[str, ClaimRow] = {}
    for row in ctx.board.scoreboard.rows:
        if row.session_id is None:
            continue
        first = first_by_id.setdefault(row.session_id, row)
        if first is not row:
            yield Hit.at(
                row.source,
                f"{row.label} claims {row.session_id} again; "
                f"{first.label} already claimed it at line {first.source.line}",
            )


RULE = Rule(
    name="duplicate-claim",
    code="SB203",
    severity=Severity.ERROR,
    failure_mode="identity-drift",
    doc=__doc__ or "",
    check=check,
)
