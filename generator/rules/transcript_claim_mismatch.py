"""A claim and its session's transcript disagree about whether the session is alive.

## What it finds

A scoreboard row with a Claude Code session working for it (the transcript's `gitBranch` or
working folder is the row's branch or worktree) where the two signs of life disagree: the
transcript shows activity within `[thresholds] live_minutes` while the claim's own signals
(Presence, the session's commits, the claim) are older than `stale_hours`; or the reverse, the
claim looks live while the transcript has been quiet for longer than `stale_hours`.

## Why it matters

Stale claim: a working session that stopped beating its Presence will be reaped while it works;
a Presence that keeps beating over a silent transcript holds paths for a session that is gone.

## Example

```
| sB · Porto | … | `feat/x` | … | Presence 2026-06-03T02:00Z |   transcript of feat/x: last line 09:55, now 10:00
```

## Fix

Beat the Presence cell while working (or let the transcript speak for it); release the claim of
a session that has stopped.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from generator.agent_activity import transcript_seen
from generator.analysis import Context
from generator.model import ClaimRow, Severity
from generator.rules._common import ago, when
from generator.rules.base import Hit, Rule


def _claim_seen(ctx: Context, row: ClaimRow) -> datetime | None:
    """The claim's own newest sign of life: Presence, the session's commits, the claim."""
    found = [s.value for s in (row.presence, row.claimed) if s is not None]
    if row.session_id is not None:
        since = row.claimed.value if row.claimed is not None else None
        commit = ctx.board.history.newest_by_session(row.session_id, since)
        if commit is not None:
            found.append(commit.at)
    return max(found) if found else None


def check(ctx: Context) -> Iterable[Hit]:
    seen = transcript_seen(ctx.board)
    if not seen:
        return
    live = timedelta(minutes=ctx.config.thresholds.live_minutes)
    stale = timedelta(hours=ctx.config.thresholds.stale_hours)
    for row in ctx.board.scoreboard.rows:
        if row.session_id not in seen:
            continue
        last, session = seen[row.session_id]
        claim = _claim_seen(ctx, row)
        if claim is None or last > ctx.now or claim > ctx.now:
            continue
        where = session.source.path
        if ctx.now - last <= live and ctx.now - claim > stale:
            yield Hit.at(
                row.source,
                f"{row.label}: its transcript ({where}) shows activity {ago(ctx.now, last)}, "
                f"but the claim was last beaten {when(claim)} ({ago(ctx.now, claim)}): stale",
            )
        elif ctx.now - claim <= live and ctx.now - last > stale:
            yield Hit.at(
                row.source,
                f"{row.label}: the claim looks live ({when(claim)}), but its transcript "
                f"({where}) has been quiet since {when(last)} ({ago(ctx.now, last)})",
            )


RULE = Rule(
    name="transcript-claim-mismatch",
    code="SB715",
    severity=Severity.WARNING,
    failure_mode="stale-claim",
    doc=__doc__ or "",
    check=check,
)
