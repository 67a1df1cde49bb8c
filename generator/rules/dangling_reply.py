"""A reply whose `re:` names no message of the board.

## What it finds

A message with a `re:` field that is not a timestamp, or whose timestamp is the send time of no
message in any queue file (the reply's own heading does not count). Replies are threaded to their
question by that exact send time.

## Why it matters

Lossy relay: the reply is not threaded under its question, so the question looks unanswered on the
site and to its sender, and the answer floats without the context it answers.

## Example

```
## 2026-05-31T16:10Z · from:sA · to:sB · type:answer · re:2026-05-31T15:01Z · status:sent

Per merchant.
```
(the question was sent at 2026-05-31T15:00Z)

## Fix

Copy the send timestamp of the question's heading into `re:` exactly.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context, reply_target
from generator.model import Severity
from generator.rules._common import message_label, parsed_messages
from generator.rules.base import Hit, Rule
from generator.timeutil import parse_stamp


def check(ctx: Context) -> Iterable[Hit]:
    messages = ctx.board.messages
    for message in parsed_messages(ctx):
        if not message.re or not message.re.strip():
            continue
        if reply_target(message, messages) is not None:
            continue
        if parse_stamp(message.re) is None:
            why = f"re:{message.re} is not a timestamp"
        else:
            why = f"re:{message.re} is the send time of no message"
        yield Hit.at(message.source, f"{message_label(message)}: {why}")


RULE = Rule(
    name="dangling-reply",
    code="SB311",
    severity=Severity.WARNING,
    failure_mode="lossy-relay",
    doc=__doc__ or "",
    check=check,
)
