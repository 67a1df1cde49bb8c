"""One commit that changes paths claimed by two different sessions: two sessions, one index.

## What it finds

A commit (merges aside, prefixed or not) whose changed files fall under the claims of two or more
sessions that held rows at the commit's time, where no single session's claim covers them all.
Files on the blackboard are left out; files that two sessions' overlapping claims both cover do not
count as mixed (scope-overlap reports those claims).

## Why it matters

Shared-tree race: this is the signature of two sessions sharing one working tree or index — one
session's `git add -A` or `git commit -a` swept up the other's staged or unstaged edits. The other
session's work is now committed under the wrong prefix, half-done, and will conflict with what it
commits next.

## Example

```
5e4d3c2 [sA] feat(payments): retry metrics
  M services/payments/metrics.py      (claimed by sA)
  M web/checkout/Receipt.tsx          (claimed by sB)
```

## Fix

Give every session its own worktree (`git worktree add ../po-platform-sB session-sB`), never two
sessions in one checkout. To repair the commit, split it (`git reset HEAD~ && git add -p`) and let
each session commit its own files.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity, SourceRef
from generator.rules._history import held_at, who, worked_on
from generator.rules.base import Hit, Rule


def check(ctx: Context) -> Iterable[Hit]:
    for commit, touched in worked_on(ctx):
        if len(touched) < 2:
            continue
        holdings = held_at(ctx, commit.at)
        if len(holdings) < 2:
            continue
        owners: dict[str, set[str]] = {}
        for path in touched:
            claimed = {h.span.label for h in holdings if h.covers(path)}
            if claimed:
                owners[path] = claimed
        if not owners:
            continue
        common = set.intersection(*owners.values())
        involved = sorted(set.union(*owners.values()))
        if common or len(involved) < 2:
            continue
        first: dict[str, str] = {}
        for path, labels in owners.items():
            for label in sorted(labels):
                first.setdefault(label, path)
        detail = "; ".join(f"{label} (`{first[label]}`)" for label in involved)
        yield Hit.at(
            SourceRef(next(iter(owners))),
            f"{commit.label} (by {who(commit)}) changed paths claimed by {detail} in one commit",
            commit=commit.short,
        )


RULE = Rule(
    name="mixed-session-commit",
    code="SB404",
    severity=Severity.ERROR,
    failure_mode="shared-tree-race",
    doc=__doc__ or "",
    check=check,
)
