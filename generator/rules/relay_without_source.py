"""A `type:relay` message that does not say where the relayed instruction came from (`via:`).

## What it finds

A message of `type:relay` with no `via:` field (or an empty one). A relay passes on an instruction
first given elsewhere — usually by the person on the Telegram bridge — and `via:telegram` says so.

## Why it matters

Lossy relay: relays lose context at every hop; without `via:` nobody can trace the instruction back
to what the person actually said, or check that every bridge instruction reached the durable
channel.

## Example

```
## 2026-05-31T09:12Z · from:sA · to:all · type:relay · status:sent

The person says: no deploys today.
```

## Fix

Add where it came from: `· via:telegram` (and quote the original instruction in the body).
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules._common import message_label, parsed_messages
from generator.rules.base import Hit, Rule


def check(ctx: Context) -> Iterable[Hit]:
    for message in parsed_messages(ctx):
        if message.type == "relay" and not (message.via or "").strip():
            yield Hit.at(
                message.source,
                f"{message_label(message)} has no via: (where the instruction was first given)",
            )


RULE = Rule(
    name="relay-without-source",
    code="SB312",
    severity=Severity.INFO,
    failure_mode="lossy-relay",
    doc=__doc__ or "",
    check=check,
)
