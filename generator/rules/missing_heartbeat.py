"""A session that commits after its claim while its Presence cell never changes: no heartbeat hook.

## What it finds

A scoreboard row whose session made `[sX]` commits after the commit that added the row, while the
row's Presence cell has held the same value ever since (the scoreboard's git history says so; for
a row not yet committed, or one already there at a shallow clone's boundary, a Presence that is
empty or equal to the Claimed time). The post-commit heartbeat would have rewritten Presence after
each of those commits.

## Why it matters

Stale claim: the heartbeat is the beacon other sessions read to judge whether a claim is alive.
Without it they fall back on the git log, which a session working on a branch or in a PR does not
update on `main`, so a working session looks idle — or a stopped one is never noticed.

## Example

```
| sB · Porto | Riff #398 | `session-sB` → PR, `[sB]` | 2026-05-31T08:00Z | 2026-05-31T08:00Z · | … |
```
(with `[sB] feat(checkout): …` commits at 09:10Z and 10:40Z, and no change to the row since the
claim)

## Fix

Install the heartbeat hook in the session's worktree (`lefthook install`, or the post-commit hook
of `session-heartbeat.sh`), then make one commit so that Presence moves.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules._common import when
from generator.rules.base import Hit, Rule


def check(ctx: Context) -> Iterable[Hit]:
    history = ctx.board.history
    spans = {c.session: c for c in history.claims if c.removed is None}
    for state in ctx.sessions:
        row, sid = state.row, state.id
        if sid is None:
            continue
        span = spans.get(sid)
        if span is not None and span.added.sha in history.boundary:
            span = None  # claimed before a shallow clone's cut: its Presence history is unknown
        if span is not None:
            if len(span.beats) > 1:
                continue  # Presence moved at least once after the claim
            since, claim_sha = span.added.at, span.added.sha
        else:  # the row is not committed yet: judge by its own cells
            if row.claimed is None or (row.presence is not None and row.presence != row.claimed):
                continue
            since, claim_sha = row.claimed.value, None
        after = [
            c for c in history.commits if c.session == sid and c.at >= since and c.sha != claim_sha
        ]
        if not after:
            continue
        presence = f"`{row.presence.raw}`" if row.presence else "empty"
        yield Hit.at(
            row.source,
            f"{row.label}: {len(after)} `[{sid}]` commit{'s' if len(after) > 1 else ''} since the "
            f"claim at {when(since)} (newest {after[0].label}), but Presence has never changed "
            f"(still {presence}): is the heartbeat hook installed?",
        )


RULE = Rule(
    name="missing-heartbeat",
    code="SB205",
    severity=Severity.INFO,
    failure_mode="stale-claim",
    doc=__doc__ or "",
    check=check,
)
