"""A scoreboard row or cell that does not parse, or a missing column of the scoreboard table.

## What it finds

Problems the reader met in `docs/ai/sessions/active.md`: a row whose first cell does not start with
a session id, a `Claimed` or `Presence` cell that is not a timestamp, a row with the wrong number of
cells, and a header missing one of `Session`, `Task`, `Worktree`, `Claimed`, `Presence`, `Scope`.
The row is kept and shown raw on the site.

## Why it matters

Unreadable board: a row the tool cannot read has no liveness and no claimed paths, so its claim is
invisible to the overlap and stale checks and to the other sessions reading the site.

## Example

```
| Session | Task | Worktree | Claimed | Presence | Scope |
|---|---|---|---|---|---|
| Sintra | #412 | `session-sA` | yesterday | | `services/payments/**` |
```

## Fix

Write the row as the scoreboard header says: `sA · Sintra` in the Session cell, timestamps as
`YYYY-MM-DDTHH:MMZ`, one cell per column; restore a missing column in the header.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules._common import problem_hits
from generator.rules.base import Hit, Rule

NAME = "scoreboard-parse"


def check(ctx: Context) -> Iterable[Hit]:
    return problem_hits(ctx, NAME)


RULE = Rule(
    name=NAME,
    code="SB102",
    severity=Severity.ERROR,
    failure_mode="unreadable-board",
    doc=__doc__ or "",
    check=check,
)
