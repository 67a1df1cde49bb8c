"""A message that existed in the queue's history and is gone without having reached `done`.

## What it finds

A message block that some commit added to a queue file and a later commit removed (or that went
with its whole file), which is not in any queue file at the built revision and whose last state was
not closed: neither its heading's `status:` nor its newest ack line said `done` (or `declined`,
which can never become `done`). A block moved to another queue file is not deleted: one that a
commit removes from one file and adds to another, with the same send time, sender, heading fields
and body, is the same message, and keeps its history there (its later edits are
`message-rewritten`'s); so is one re-added unchanged elsewhere by a later commit.

## Why it matters

Lossy relay: the queue is the durable record of what was asked. A deleted open message is a
request that silently disappeared — the sender still waits, or believes it was handled, and
nothing on the board says otherwise.

## Example

```
-## 2026-05-31T15:00Z · from:sB · to:sA · type:question · status:seen
-
-Is the retry budget per merchant or global?
```
(removed by `[sA] docs(ai-sessions): tidy queue` while `seen`)

## Fix

Close a message before tidying it away: the recipient sets `status:done` (with an ack line), and
only then may the block be moved to an archive file. To restore one, revert the deleting commit.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity, SourceRef
from generator.rules._history import who
from generator.rules.base import Hit, Rule

CLOSED = frozenset({"done", "declined"})


def check(ctx: Context) -> Iterable[Hit]:
    trails = ctx.board.history.trails
    present = {t.digest for t in trails if t.present}
    for trail in trails:
        if trail.present or not trail.events or trail.events[-1].kind != "deleted":
            continue
        if trail.sender is None and trail.to is None and trail.type is None:
            continue  # a block no reader could take as a message (message-parse said so)
        last_ack = trail.ack_states[-1] if trail.ack_states else None
        if trail.status in CLOSED or last_ack in CLOSED:
            continue
        if trail.digest in present:
            continue  # moved, unchanged, to another queue file
        deleted = trail.events[-1].commit
        kind = trail.type or "message"
        state = trail.status if last_ack is None else f"{trail.status}, last ack {last_ack}"
        yield Hit.at(
            SourceRef(trail.path),
            f"{trail.id} ({kind} from {trail.sender or '?'} to {trail.to or '?'}) was deleted in "
            f"{deleted.label} (by {who(deleted)}) while still {state}, never done",
            commit=deleted.short,
        )


RULE = Rule(
    name="message-deleted",
    code="SB309",
    severity=Severity.ERROR,
    failure_mode="lossy-relay",
    doc=__doc__ or "",
    check=check,
)
