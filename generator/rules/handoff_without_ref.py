"""A `handoff` or `claim` message with no tracker reference (`ref:` missing or `—`).

## What it finds

A message of `type:handoff` or `type:claim` whose heading has no `ref:` field, an empty one, or only
a dash (`ref:—`, `ref:-`): the transfer of ownership points at no tracker task or pull request.

## Why it matters

Ownership ambiguity: the tracker is where owners are recorded (assignee = owner); a handoff that
names no task moves work nobody can find in the tracker, so its assignee stays the old session and
the task may be picked up twice or dropped.

## Example

```
## 2026-05-31T15:00Z · from:sB · to:sA · type:handoff · ref:— · status:sent

Please take over the payments retry work.
```

## Fix

Create or find the task and reference it: `ref:Riff#412`, `ref:BASS:T-17` or `ref:PR#88`; set its
assignee to the receiving session.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules._common import message_label, parsed_messages
from generator.rules.base import Hit, Rule

OWNERSHIP_TYPES = ("handoff", "claim")
NO_REF = frozenset({"", "—", "–", "-", "--"})


def check(ctx: Context) -> Iterable[Hit]:
    for message in parsed_messages(ctx):
        if message.type not in OWNERSHIP_TYPES:
            continue
        ref = (message.ref or "").strip()
        if ref not in NO_REF:
            continue
        what = "has no ref:" if message.ref is None else f"has ref:{ref} (no reference)"
        yield Hit.at(
            message.source,
            f"{message_label(message)} {what}; ownership has no tracker record",
        )


RULE = Rule(
    name="handoff-without-ref",
    code="SB310",
    severity=Severity.WARNING,
    failure_mode="ownership-ambiguity",
    doc=__doc__ or "",
    check=check,
)
