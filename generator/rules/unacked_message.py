"""A direct message still `sent` 2 h after sending while its recipient was live or idle.

## What it finds

A message to one session whose header `status:` is still `sent`, with no ack line of a later state,
`thresholds.unacked_hours` (2 h) or more after its send time — but only when the recipient showed a
sign of life (a claim, a Presence beat or an `[sX]` commit) recent enough to be live or idle at some
moment between the send time and now. A recipient that was away the whole time is not blamed: the
message simply waits, and the site shows it waiting. Broadcasts are broadcast-unacked's.

## Why it matters

Lossy relay: the protocol's promise is that a sent message is provably received; a message its
recipient could have read but never marked `seen` is one the sender cannot rely on, and the work it
asks for is stuck or done twice.

## Example

```
## 2026-05-31T12:00Z · from:sB · to:sA · type:question · status:sent

Is the retry budget per merchant or global?
```
(at 15:00Z, with `[sA]` commits at 13:10Z and 14:30Z)

## Fix

The recipient sets `status:seen` (and appends `- ack · <now> · sA · seen`) as soon as it reads the
message; a session should read its queue at start and after each commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from generator.analysis import AddressKind, Context
from generator.model import Severity
from generator.rules._common import ago, direct_messages, message_label, recipient
from generator.rules.base import Hit, Rule


def check(ctx: Context) -> Iterable[Hit]:
    limit = timedelta(hours=ctx.config.thresholds.unacked_hours)
    for message in direct_messages(ctx):
        if message.at is None:
            continue
        if message.status != "sent" or any(a.state != "sent" for a in message.acks):
            continue
        sent = message.at.value
        if ctx.now - sent < limit:
            continue
        to = recipient(ctx, message)
        if to.kind is not AddressKind.SESSION or to.id is None:
            continue  # only sessions have liveness; the person and agents are not timed here
        if ctx.present_between(to.id, sent, ctx.now):
            yield Hit.at(
                message.source,
                f"{message_label(message)} is still sent, {ago(ctx.now, sent)}; "
                f"{to.id} was live or idle since it was sent",
            )


RULE = Rule(
    name="unacked-message",
    code="SB303",
    severity=Severity.WARNING,
    failure_mode="lossy-relay",
    doc=__doc__ or "",
    check=check,
)
