"""Two agents holding exclusive Agent Mail reservations on overlapping paths at the same time.

## What it finds

In an MCP Agent Mail archive (`file_reservations/*.json`): two exclusive reservations of
different agents in one project whose path patterns can match the same file (`src/api/**` and
`src/api/routes.py`) and whose times overlap (from `created_ts` to the release, else the expiry).

## Why it matters

Shared-tree race: an exclusive reservation is the promise that nobody else edits those files.
Two of them on the same files means the promise was given twice, and the two agents will
overwrite each other's work.

## Example

```
BlueLake   src/api/**          exclusive  10:00–11:00
GreenCastle src/api/routes.py  exclusive  10:30–11:30
```

## Fix

The later agent releases its reservation and coordinates in the thread; reserve narrower paths.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

from generator.agent_activity import interval
from generator.analysis import Context
from generator.globs import overlaps
from generator.model import Severity
from generator.rules.base import Hit, Rule


def check(ctx: Context) -> Iterable[Hit]:
    mail = ctx.board.mail
    if mail is None:
        return
    leases = [r for r in mail.reservations if r.exclusive]
    for a, b in combinations(leases, 2):
        if a.project != b.project or a.agent == b.agent:
            continue
        (a0, a1), (b0, b1) = interval(a), interval(b)
        if (a1 is not None and b0 is not None and a1 <= b0) or (
            b1 is not None and a0 is not None and b1 <= a0
        ):
            continue
        if not overlaps(a.pattern, b.pattern):
            continue
        yield Hit.at(
            b.source,
            f"{b.agent} holds `{b.pattern}` exclusively while {a.agent} holds `{a.pattern}` "
            f"exclusively ({a.source.path})",
        )


RULE = Rule(
    name="reservation-overlap",
    code="SB712",
    severity=Severity.ERROR,
    failure_mode="shared-tree-race",
    doc=__doc__ or "",
    check=check,
)
