"""A status change or ack line committed by a session that is not the message's recipient.

## What it finds

From the queue files' git history: a change of a message's heading `status:`, or a newly appended
ack line, made in a commit whose `[sX]` prefix names a session other than the one allowed to make
it — the recipient for a direct message (the person, when it is addressed to `human`), and for a
broadcast the session the ack line speaks for. Commits without a session prefix are not judged
here (commit-prefix-missing reports them); the sender's own `sent` is not a change.

## Why it matters

Ownership ambiguity: the ack chain is the recipient's word that it has the message and what it
did with it. A state written by someone else — a sender marking its own question `answered`, a
session acking a broadcast for another — claims a receipt that never happened.

## Example

```
## 2026-05-31T15:00Z · from:sB · to:sA · type:question · status:answered
```
(the change from `sent` to `answered` committed as `[sB] docs(ai-sessions): close my question`)

## Fix

Only the recipient changes `status:` and appends its ack lines. A sender who no longer needs an
answer says so in a new message (`type:info`, `re:` the question); the recipient then closes it.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import AddressKind, Context
from generator.model import Severity
from generator.rules._history import (
    ack_line,
    is_broadcast_trail,
    message_index,
    recipient_of_trail,
    where,
)
from generator.rules.base import Hit, Rule


def check(ctx: Context) -> Iterable[Hit]:
    index = message_index(ctx)
    for trail in ctx.board.history.trails:
        broadcast = is_broadcast_trail(ctx, trail)
        to = recipient_of_trail(ctx, trail)
        message = index.get((trail.path, trail.id)) if trail.present else None
        for event in trail.events:
            committer = event.commit.session
            if committer is None or event.kind not in ("status", "ack") or event.detail:
                continue  # unprefixed commits, and ack lines that came with the block itself
            if broadcast:
                if event.kind != "ack" or event.by is None:
                    continue
                owner = ctx.book.resolve(event.by)
                allowed = owner.id if owner.kind is AddressKind.SESSION else event.by
                what = f"added the ack line of {event.by} ({event.state})"
                rule = "each session acks a broadcast only for itself"
            else:
                if to.kind is AddressKind.SESSION and to.id:
                    allowed = to.id
                elif to.kind is AddressKind.HUMAN:
                    allowed = "human"
                else:
                    continue  # an agent or an unknown recipient: no session owns the ack
                what = (
                    f"changed the status from {event.before} to {event.state}"
                    if event.kind == "status"
                    else f"appended an ack line ({event.state})"
                )
                rule = f"only the recipient {allowed} may"
            if committer == allowed:
                continue
            ack = ack_line(message, event) if event.kind == "ack" else None
            source = ack.source if ack is not None else where(trail, index)
            yield Hit.at(
                source,
                f"{trail.id}: {event.commit.label} {what} as {committer}; {rule}",
                commit=event.commit.short,
            )


RULE = Rule(
    name="ack-by-wrong-party",
    code="SB307",
    severity=Severity.ERROR,
    failure_mode="ownership-ambiguity",
    doc=__doc__ or "",
    check=check,
)
