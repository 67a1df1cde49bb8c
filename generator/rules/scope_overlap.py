"""Two sessions that are not stale claiming overlapping paths.

## What it finds

Pairs of scoreboard rows of different sessions, neither of them stale, whose Scope cells claim paths
that some file falls under both: the same path, a folder and a file inside it, or globs that
intersect (`services/payments/**` and `services/**/*.py` share `services/payments/retry.py`). The
later row is reported, naming both claims.

A claimed path covers what it matches and everything beneath it, like a git pathspec. `*`, `?`, `**`
and literal paths are compared exactly; `{a,b}` is expanded first; where exactness would cost more
(character ranges over 512 code points, extglob forms such as `@(a|b)`, read as `*`), the check
leans towards reporting an overlap. The Scoreboard page marks exactly the pairs reported here.

## Why it matters

Ownership ambiguity: the scoreboard is how a session knows which paths it may edit; when two live
claims cover the same file, both sessions may change it and nobody knows whose change wins, which
ends in a conflicting merge or in lost work.

## Example

```
| sA · Sintra | Riff #412 | … | … | … | payments retry: `services/payments/**` |
| sB · Lagos  | Riff #415 | … | … | … | typing pass: `services/**/*.py` |
```

## Fix

Agree in the queue who holds the shared paths (a `type:claim` message with a `ref:`), then narrow
one Scope cell so the claims are disjoint, or reap the row of a session that has stopped.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules.base import Hit, Rule


def check(ctx: Context) -> Iterable[Hit]:
    # The pairs are worked out once in the analysis (the Scoreboard page shows the same ones).
    for overlap in ctx.overlaps:
        earlier, later = overlap.earlier.row, overlap.later.row
        what = "; ".join(f"`{y}` overlaps `{x}`" for x, y in overlap.pairs)
        yield Hit.at(
            later.source,
            f"{later.label} and {earlier.label} (line {earlier.source.line}) both claim paths: "
            f"{what}",
        )


RULE = Rule(
    name="scope-overlap",
    code="SB207",
    severity=Severity.ERROR,
    failure_mode="ownership-ambiguity",
    doc=__doc__ or "",
    check=check,
)
