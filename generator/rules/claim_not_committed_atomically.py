"""A claim row added in a commit that also changes files outside the blackboard.

## What it finds

A scoreboard row that appeared in a commit which also touched files outside the blackboard (the
scoreboard's folder — `docs/ai/sessions/` — and the queue folder). The commit that creates the
scoreboard is no exception: a claim row it adds is a claim like any other, and code committed with
it makes the claim non-atomic.

## Why it matters

Ownership ambiguity: a claim is a promise made before the work, so the others can see it and keep
off those paths. A claim that lands together with code was made after the work had started (or
swept another session's staged files into the commit), and for that stretch nobody could tell who
held the paths.

## Example

```
[sC] feat(ledger): reconciliation job + claim sC
  M docs/ai/sessions/active.md      (adds the `sC · Lagos` row)
  A services/ledger/recon/job.py
```

## Fix

Claim first, in a commit of its own (`[sC] docs(ai-sessions): claim sC at …`, only the scoreboard),
push it, then start the work; `start-session.sh` does exactly this.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity, SourceRef
from generator.rules._history import blackboard_paths, on_blackboard, short_paths
from generator.rules.base import Hit, Rule


def check(ctx: Context) -> Iterable[Hit]:
    history = ctx.board.history
    rows = {s.id: s.row for s in ctx.sessions if s.id is not None}
    scoreboard, _queues = blackboard_paths(ctx)
    for span in history.claims:
        commit = span.added
        outside = [p for p in commit.paths if not on_blackboard(ctx, p)]
        if not outside:
            continue
        row = rows.get(span.session) if span.removed is None else None
        source = row.source if row is not None else SourceRef(scoreboard)
        yield Hit.at(
            source,
            f"the claim row of {span.label} was added in {commit.label}, which also changed "
            f"{short_paths(outside)} outside the blackboard",
            commit=commit.short,
        )


RULE = Rule(
    name="claim-not-committed-atomically",
    code="SB208",
    severity=Severity.WARNING,
    failure_mode="ownership-ambiguity",
    doc=__doc__ or "",
    check=check,
)
