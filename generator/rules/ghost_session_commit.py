"""An `[sX]` commit made while no claim row for `sX` was on the scoreboard.

## What it finds

A commit whose subject starts with `[sX]`, made after the scoreboard first appeared in the history,
at a time when the scoreboard's history shows no row for `sX`: before its claim, or after its row
was released or reaped. The commit that adds the row and the one that removes it count as inside
the claim.

## Why it matters

Shared-tree race: a session that works without a row holds no paths, so nobody knows to keep off
what it changes — or it is not the session its prefix says (a commit made in another session's
worktree, or a stale prefix after a release). Either way two sessions may be editing the same tree.

## Example

```
9f8e7d6 [sD] fix(ledger): quote commas     (sD released its row two hours earlier)
```

## Fix

Claim before working (`start-session.sh`), and stop committing with a prefix once the row is
released. A session that needs to come back claims again, in its own commit.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity, SourceRef
from generator.rules._common import when
from generator.rules._history import blackboard_paths
from generator.rules.base import Hit, Rule


def check(ctx: Context) -> Iterable[Hit]:
    history = ctx.board.history
    since = history.scoreboard_since
    if since is None:
        return  # no scoreboard in the history: nothing says who held a claim when
    scoreboard, _queues = blackboard_paths(ctx)
    spans: dict[str, list[tuple[float, float]]] = {}
    for span in history.claims:
        end = span.removed.at.timestamp() if span.removed is not None else float("inf")
        spans.setdefault(span.session, []).append((span.added.at.timestamp(), end))
    # Each session's rows merged into disjoint times on the board, so that one bisect per commit
    # tells whether it fell inside one (there are thousands of commits, hundreds of rows).
    on_board = {sid: _merged(windows) for sid, windows in spans.items()}
    for commit in history.commits:
        sid = commit.session
        if sid is None or commit.at <= since:
            continue
        starts, ends = on_board.get(sid, ([], []))
        moment = commit.at.timestamp()
        i = bisect.bisect_right(starts, moment)
        if i and moment <= ends[i - 1]:
            continue
        before = [s for s in history.claims if s.session == sid and s.removed is not None]
        before = [s for s in before if s.removed is not None and s.removed.at < commit.at]
        context = (
            f"its row was removed in {before[-1].removed.short} at {when(before[-1].removed.at)}"
            if before and before[-1].removed is not None
            else f"{sid} had not claimed a row"
        )
        yield Hit.at(
            SourceRef(scoreboard),
            f"{commit.label} was committed as {sid} at {when(commit.at)} while {sid} had no "
            f"claim row ({context})",
            commit=commit.short,
        )


def _merged(windows: list[tuple[float, float]]) -> tuple[list[float], list[float]]:
    """The union of closed intervals, as the sorted starts and ends of disjoint ones."""
    starts: list[float] = []
    ends: list[float] = []
    for start, end in sorted(windows):
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


RULE = Rule(
    name="ghost-session-commit",
    code="SB402",
    severity=Severity.WARNING,
    failure_mode="shared-tree-race",
    doc=__doc__ or "",
    check=check,
)
