"""A direct message whose header `status:` differs from its newest ack line.

## What it finds

A message to one session that has ack lines and whose header `status:` (or `sent`, when the field is
omitted) is not the state of its last ack line — acks are appended, so the last line is the newest.
Broadcasts are not checked: their header stays `sent` by design and each session acks for itself.

## Why it matters

Ownership ambiguity: the header is what the queue pages and the other sessions read at a glance, the
ack trail is the record; when they disagree, one reader thinks the handoff was accepted and another
that it is still waiting.

## Example

```
## 2026-05-31T15:00Z · from:sB · to:sA · type:handoff · ref:Riff#412 · status:sent

- ack · 2026-05-31T15:20Z · sA · seen
- ack · 2026-05-31T16:05Z · sA · accepted
```

## Fix

Change the header's `status:` in the same commit that appends an ack line, so both say the same.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import ACK_STATES, Context
from generator.model import Severity
from generator.rules._common import direct_messages, newest_ack
from generator.rules.base import Hit, Rule


def check(ctx: Context) -> Iterable[Hit]:
    for message in direct_messages(ctx):
        last = newest_ack(message)
        if last is None or last.state not in ACK_STATES:
            continue  # an unknown ack state is the reader's finding (message-parse)
        if last.state.strip().lower() == message.status.strip().lower():
            continue
        header = f"status:{message.status}" if message.status_explicit else "no status: (sent)"
        yield Hit.at(
            message.source,
            f"{message.id}: header says {header} but the newest ack line "
            f"(line {last.source.line}, by {last.by}) says {last.state}",
        )


RULE = Rule(
    name="ack-status-mismatch",
    code="SB306",
    severity=Severity.WARNING,
    failure_mode="ownership-ambiguity",
    doc=__doc__ or "",
    check=check,
)
