"""A claim row whose session id is not `s` plus one capital letter; ids after `sE` are a warning.

## What it finds

A scoreboard row whose technical id is not `s[A-Z]` (`sa`, `s1`, `SA`, `sAB`): an error. An id from
`sF` to `sZ` is valid but unusual — the protocol runs two or three sessions, `sD`/`sE` are already
rare — so it is reported as a warning only.

## Why it matters

Identity drift: the id is the commit prefix `[sA]`, the worktree `session-sA` and the queue file
`to-sA.md`; an id outside the pattern matches none of them, so the session's commits, liveness and
messages no longer meet at one identity. A late letter usually means a stale row was never reaped.

## Example

```
| s1 · Sintra | Riff #412 | `session-s1` … | 2026-05-31T11:40Z | 2026-05-31T11:40Z · | … |
| sG · Oslo   | Riff #413 | `session-sG` … | 2026-05-31T12:10Z | 2026-05-31T12:10Z · | … |
```

## Fix

Claim with the next free letter from `sA` (start-session.sh does this), and reap stale rows so
letters are reused instead of running on past `sE`.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import SESSION_ID, Context
from generator.model import Severity
from generator.rules.base import Hit, Rule

# sA–sE are the protocol's normal range; later letters are accepted with a warning.
LAST_USUAL = "sE"


def check(ctx: Context) -> Iterable[Hit]:
    for row in ctx.board.scoreboard.rows:
        sid = row.session_id
        if sid is None:
            continue  # no id at all is a scoreboard-parse finding
        if not SESSION_ID.match(sid):
            yield Hit.at(
                row.source, f'session id "{sid}" is not `s` plus one capital letter (sA–sZ)'
            )
        elif sid > LAST_USUAL:
            yield Hit.at(
                row.source,
                f"session id {sid} is after {LAST_USUAL}: sA–sE are the usual range",
                severity=Severity.WARNING,
            )


RULE = Rule(
    name="bad-session-id",
    code="SB201",
    severity=Severity.ERROR,
    failure_mode="identity-drift",
    doc=__doc__ or "",
    check=check,
)
