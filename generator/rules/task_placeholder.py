"""`(Riff TBD)` still in a row's Task cell 2 h after the claim.

## What it finds

A scoreboard row whose Task cell still holds the placeholder that start-session.sh writes,
`(Riff TBD)` (any case; `(TBD)` too), `thresholds.placeholder_hours` (2 h) or more after its
`Claimed` time.

## Why it matters

Ownership ambiguity: the claim has no tracker task, so nobody can tell which piece of work the
session holds, and the tracker cannot show the task as taken — the same work may be picked up twice.

## Example

```
| sA · Sintra | (Riff TBD) | `session-sA` → direct-to-main | 2026-05-31T11:40Z | … | scope TBD |
```
(at 14:00Z)

## Fix

Pick or create the tracker task and write its reference in the Task cell (`Riff #412`), and narrow
the Scope cell to the paths it needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta

from generator.analysis import Context
from generator.model import Severity
from generator.rules._common import ago, when
from generator.rules.base import Hit, Rule

PLACEHOLDER = re.compile(r"\((?:riff\s+)?tbd\)", re.I)


def check(ctx: Context) -> Iterable[Hit]:
    limit = timedelta(hours=ctx.config.thresholds.placeholder_hours)
    for row in ctx.board.scoreboard.rows:
        if row.claimed is None or not PLACEHOLDER.search(row.task):
            continue
        if ctx.now - row.claimed.value >= limit:
            yield Hit.at(
                row.source,
                f'{row.label} Task is still "{row.task.strip()}", claimed '
                f"{when(row.claimed.value)} ({ago(ctx.now, row.claimed.value)})",
            )


RULE = Rule(
    name="task-placeholder",
    code="SB206",
    severity=Severity.INFO,
    failure_mode="ownership-ambiguity",
    doc=__doc__ or "",
    check=check,
)
