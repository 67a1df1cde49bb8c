"""An `[sX]` commit that changes a path claimed by another session that was not stale then.

## What it finds

A commit prefixed `[sX]` (merges aside) that changed a file which, at the commit's time, was
covered by a claimed path of another session's row (glob overlap as in scope-overlap), while that
session was not stale (its last sign of life then was within `thresholds.stale_hours`). Changes
to the blackboard itself are not claims' business and are ignored; a file that `sX`'s own row
covers too is scope-overlap's, not a trespass. One finding per commit and owner.

## Why it matters

Shared-tree race: a claim is the only lock the protocol has. A session that edits another live
session's paths races it on the same files — its change conflicts with, or silently overwrites,
work the owner has in flight.

## Example

```
| sA · Sintra | Riff #412 | … | … | 2026-05-31T15:50Z · | payments: `services/payments/**` |
```
```
c0ffee1 [sB] fix(payments): typo in retry.py
  M services/payments/retry.py          (at 16:02Z, while sA was live)
```

## Fix

Ask the owner in its queue (`type:question` or `type:handoff` with a `ref:`) instead of editing;
or, once agreed, have the owner narrow its Scope cell first. If the owner has stopped, reap its
row (stale) before touching its paths.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context, Liveness
from generator.model import Severity, SourceRef
from generator.rules._common import when
from generator.rules._history import held_at, short_paths, worked_on
from generator.rules.base import Hit, Rule


def check(ctx: Context) -> Iterable[Hit]:
    for commit, touched in worked_on(ctx):
        sid = commit.session
        if sid is None:
            continue
        holdings = held_at(ctx, commit.at)
        if not holdings:
            continue
        own = [h for h in holdings if h.session == sid]
        # The paths another row may hold: those none of the committer's own rows covers.
        theirs = [p for p in touched if not any(h.covers(p) for h in own)]
        if not theirs:
            continue
        for owner in holdings:
            if owner.session == sid:
                continue
            hits = [(p, claim) for p in theirs if (claim := owner.covers(p)) is not None]
            if not hits:
                continue
            state = ctx.liveness_at(owner.session, commit.at)
            if state is Liveness.STALE:
                continue  # a stale claim may be reaped: its paths are fair game
            paths = short_paths([p for p, _ in hits])
            claims = ", ".join(sorted({f"`{c}`" for _, c in hits}))
            shown = state.value if state is not Liveness.UNKNOWN else "not stale"
            yield Hit.at(
                SourceRef(hits[0][0]),
                f"{commit.label} (as {sid}, {when(commit.at)}) changed {paths}, claimed by "
                f"{owner.span.label} ({claims}), which was {shown} then",
                commit=commit.short,
            )


RULE = Rule(
    name="trespass",
    code="SB403",
    severity=Severity.ERROR,
    failure_mode="shared-tree-race",
    doc=__doc__ or "",
    check=check,
)
