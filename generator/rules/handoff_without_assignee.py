"""A tracker task of `type:handoff` with no assignee.

## What it finds

A task whose body starts with the queue header line and says `type:handoff` (the Riff convention),
that has a `type: handoff` field, or that carries the label `handoff`, while its `assignee` (BASS:
`agent`; Backlog.md: `assignee`) is empty.

## Why it matters

Ownership ambiguity: in the tracker, the assignee is the owner, and for a handoff it is the session
receiving the work. A handoff without one moves work to nobody: the sender believes it is gone, the
receiver never sees it on its list.

## Example

```
{"id": "433", "title": "sB → sA : receipt copy from the API", "status": "open",
 "body": "from:po:sB · to:po:sA · type:handoff · ref:Riff#433 · status:sent", "assignee": null}
```

## Fix

Set the assignee to the receiving session (`Sintra` or `po:sA`).
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules.base import Hit, Rule
from generator.tracking import is_handoff, task_label


def check(ctx: Context) -> Iterable[Hit]:
    for task in ctx.board.tasks:
        if not is_handoff(task) or any(a.strip() for a in task.assignees):
            continue
        to = next((v for k, v in task.header if k == "to"), None)
        target = f"; the header says to:{to}" if to else ""
        yield Hit.at(
            task.source,
            f"{task_label(task)} ({task.title or 'untitled'}) is a handoff with no assignee"
            f"{target}",
        )


RULE = Rule(
    name="handoff-without-assignee",
    code="SB607",
    severity=Severity.WARNING,
    failure_mode="ownership-ambiguity",
    doc=__doc__ or "",
    check=check,
)
