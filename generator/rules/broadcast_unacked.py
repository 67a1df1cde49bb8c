"""A broadcast without an ack line from every session that was live when it was sent, after 2 h.

## What it finds

A message in `to-all.md` (or addressed `to:all` / `po:*`) that, `thresholds.unacked_hours` (2 h) or
more after its send time, has no `- ack · … · sX · …` line from one or more sessions that were live
(last sign of life within `thresholds.live_minutes`) at its send time. The sender owes no ack. The
message names every session still missing.

## Why it matters

Lossy relay: a broadcast's header stays `sent`, so the ack lines are the only record of who read it;
a session that was working when it went out and never acked may be acting against it.

## Example

```
## 2026-05-31T10:00Z · from:human · to:all · type:info · status:sent

Freeze merges to main until the release is cut.

- ack · 2026-05-31T10:05Z · sA · seen
```
(sB was live at 10:00Z and has no ack line at 12:00Z)

## Fix

Each session appends its own ack line (`- ack · <now> · sB · seen`) when it reads `to-all.md`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from generator.analysis import AddressKind, Context, Liveness
from generator.model import Severity
from generator.rules._common import (
    ack_session,
    ago,
    broadcasts,
    message_label,
    resolve,
)
from generator.rules.base import Hit, Rule


def check(ctx: Context) -> Iterable[Hit]:
    limit = timedelta(hours=ctx.config.thresholds.unacked_hours)
    sessions = sorted(ctx.seen_times)
    for message in broadcasts(ctx):
        if message.at is None:
            continue
        sent = message.at.value
        if ctx.now - sent < limit:
            continue
        sender = resolve(ctx, message.sender)
        sender_id = sender.id if sender.kind is AddressKind.SESSION else None
        acked = {ack_session(ctx, a) for a in message.acks}
        missing = [
            sid
            for sid in sessions
            if sid != sender_id and sid not in acked and ctx.liveness_at(sid, sent) is Liveness.LIVE
        ]
        if missing:
            yield Hit.at(
                message.source,
                f"{message_label(message)} has no ack from {', '.join(missing)} "
                f"({ago(ctx.now, sent)}); they were live when it was sent",
            )


RULE = Rule(
    name="broadcast-unacked",
    code="SB304",
    severity=Severity.WARNING,
    failure_mode="lossy-relay",
    doc=__doc__ or "",
    check=check,
)
