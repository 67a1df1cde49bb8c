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
from generator.model import MessageTrail, Severity
from generator.rules._history import (
    ack_line,
    is_broadcast_trail,
    message_of,
    recipient_of_trail,
    where,
)
from generator.rules.base import Hit, Rule


def check(ctx: Context) -> Iterable[Hit]:
    for trail in ctx.board.history.trails:
        owner: tuple[bool, str | None] | None = None  # at the trail's first change to judge
        for event in trail.events:
            committer = event.commit.session
            if committer is None or event.kind not in ("status", "ack") or event.detail:
                continue  # unprefixed commits, and ack lines that came with the block itself
            if owner is None:
                owner = _owner(ctx, trail)
            broadcast, recipient = owner
            if broadcast:
                if event.kind != "ack" or event.by is None:
                    continue
                acker = ctx.book.resolve(event.by)
                allowed = acker.id if acker.kind is AddressKind.SESSION else event.by
            elif recipient is not None:
                allowed = recipient
            else:
                continue  # an agent or an unknown recipient: no session owns the ack
            if committer == allowed:
                continue
            if broadcast:
                what = f"added the ack line of {event.by} ({event.state})"
                rule = "each session acks a broadcast only for itself"
            else:
                what = (
                    f"changed the status from {event.before} to {event.state}"
                    if event.kind == "status"
                    else f"appended an ack line ({event.state})"
                )
                rule = f"only the recipient {allowed} may"
            ack = ack_line(message_of(ctx, trail), event) if event.kind == "ack" else None
            source = ack.source if ack is not None else where(ctx, trail)
            yield Hit.at(
                source,
                f"{trail.id}: {event.commit.label} {what} as {committer}; {rule}",
                commit=event.commit.short,
            )


def _owner(ctx: Context, trail: MessageTrail) -> tuple[bool, str | None]:
    """Whether the trail's message is a broadcast, and for a direct one who alone may change it:
    the recipient session, `human`, or None (an agent or an unknown recipient: nobody judged)."""
    if is_broadcast_trail(ctx, trail):
        return True, None
    to = recipient_of_trail(ctx, trail)
    if to.kind is AddressKind.SESSION and to.id:
        return False, to.id
    if to.kind is AddressKind.HUMAN:
        return False, "human"
    return False, None


RULE = Rule(
    name="ack-by-wrong-party",
    code="SB307",
    severity=Severity.ERROR,
    failure_mode="ownership-ambiguity",
    doc=__doc__ or "",
    check=check,
)
