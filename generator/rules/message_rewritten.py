"""A message whose heading fields or body changed after it was first committed.

## What it finds

From the queue files' git history: a commit that changed a message block other than by changing
its heading's `status:` or appending ack lines — another heading field (`from:`, `to:`, `type:`,
`ref:`, the send time…), the body, or an ack line committed earlier. Where the block's id changed
with its heading, the block is followed by its place in the file. Blank lines do not count.

## Why it matters

Lossy relay: a message is a record that both sides rely on. The recipient acted on what it read;
rewriting the message afterwards — a new deadline, another task, a different recipient — changes
what was asked behind its back, and the history of the queue no longer tells what was agreed.

## Example

```
## 2026-05-31T15:00Z · from:sB · to:sA · type:handoff · ref:Riff#412 · status:accepted

Please take over the payments retry work. Also the refunds.
```
(`Also the refunds.` added in a later commit, after `sA` accepted)

## Fix

Leave sent messages as they are; send a new message (with `re:` the first) for anything that
changed. A typo fixed by the sender before anyone acked is harmless — say so in the commit, and
keep it to the same commit as the send where you can.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules._history import where, who
from generator.rules.base import Hit, Rule


def check(ctx: Context) -> Iterable[Hit]:
    for trail in ctx.board.history.trails:
        for event in trail.events:
            if event.kind != "rewritten":
                continue
            added = trail.events[0]
            first = added.commit if added.kind == "added" else None
            since = f" after it was first committed in {first.short}" if first else ""
            yield Hit.at(
                where(ctx, trail),
                f"{trail.id}: {event.detail} changed in {event.commit.label} "
                f"(by {who(event.commit)}){since}; only `status:` and new ack lines may change",
                commit=event.commit.short,
            )


RULE = Rule(
    name="message-rewritten",
    code="SB308",
    severity=Severity.ERROR,
    failure_mode="lossy-relay",
    doc=__doc__ or "",
    check=check,
)
