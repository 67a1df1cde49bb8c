"""A queue heading that does not parse, a missing required field, or an unknown `type` or `status`.

## What it finds

Problems the reader met in the queue files under `docs/ai/sessions/queue/`: a level-2 heading that
is not `<timestamp> · key:value · …`, a heading without `from:`, `to:` or `type:`, a `type` outside
`question answer handoff claim release relay info`, a `status` outside the ack states, and an ack
line that cannot be read. The block is kept with its raw text on the site.

It also finds a code fence (a line of three or more backticks or tildes) that is never closed
while `## ` lines follow it: as in any markdown, everything after an unclosed fence is code, so
those headings are read as the body of the message above, not as messages. The finding is at the
fence's opening line and says how many `## ` lines it hides.

## Why it matters

Unreadable board: a block the tool cannot read has no sender, recipient or state, so it never shows
as waiting for anyone and its ack chain cannot be followed. A message hidden by an unclosed fence
is not on the board at all: it shows only as code in the body of the message above it.

## Example

```
## from sB to sA: please take over the retry work
```

A fence that swallows the next message (`~~~` opens it, nothing closes it):

```
## 2026-05-31T15:00Z · from:sB · to:sA · type:info

~~~sh
make test

## 2026-05-31T16:00Z · from:sC · to:sA · type:question
```

## Fix

Rewrite the heading in the queue grammar, e.g.
`## 2026-05-31T15:00Z · from:sB · to:sA · type:handoff · ref:Riff#412 · status:sent`. Close a
code fence with a line of the same fence characters (at least as many) before the next message.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules._common import problem_hits
from generator.rules.base import Hit, Rule

NAME = "message-parse"


def check(ctx: Context) -> Iterable[Hit]:
    return problem_hits(ctx, NAME)


RULE = Rule(
    name=NAME,
    code="SB103",
    severity=Severity.ERROR,
    failure_mode="unreadable-board",
    doc=__doc__ or "",
    check=check,
)
