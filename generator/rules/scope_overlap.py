"""Two sessions that are not stale claiming overlapping paths.

## What it finds

Pairs of scoreboard rows of different sessions, neither of them stale, whose Scope cells claim paths
that some file falls under both: the same path, a folder and a file inside it, or globs that
intersect (`services/payments/**` and `services/**/*.py` share `services/payments/retry.py`). The
later row is reported, naming both claims.

A claimed path covers what it matches and everything beneath it, like a git pathspec. `*`, `?`, `**`
and literal paths are compared exactly; `{a,b}` is expanded first; where exactness would cost more
(character ranges over 512 code points, extglob forms such as `@(a|b)`, read as `*`), the check
leans towards reporting an overlap.

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

from generator.analysis import Context, Liveness, SessionState
from generator.model import Severity
from generator.rules._globs import overlaps
from generator.rules.base import Hit, Rule


def _shared(a: SessionState, b: SessionState) -> list[tuple[str, str]]:
    return [(x, y) for x in a.row.paths for y in b.row.paths if overlaps(x, y)]


def check(ctx: Context) -> Iterable[Hit]:
    # unknown liveness (no timestamp at all) is not stale: the claim has not been shown to lapse
    holding = [s for s in ctx.sessions if s.id is not None and s.liveness is not Liveness.STALE]
    for j, later in enumerate(holding):
        for earlier in holding[:j]:
            if earlier.id == later.id:
                continue  # one session's two rows: duplicate-claim
            pairs = _shared(earlier, later)
            if not pairs:
                continue
            what = "; ".join(f"`{y}` overlaps `{x}`" for x, y in pairs)
            yield Hit.at(
                later.row.source,
                f"{later.row.label} and {earlier.row.label} (line "
                f"{earlier.row.source.line}) both claim paths: {what}",
            )


RULE = Rule(
    name="scope-overlap",
    code="SB207",
    severity=Severity.ERROR,
    failure_mode="ownership-ambiguity",
    doc=__doc__ or "",
    check=check,
)
