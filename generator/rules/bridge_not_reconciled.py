"""A Backlog.md task (the outage bridge) with no tracker task of the same title or reference.

## What it finds

When a Riff or BASS export is present: a task of the Backlog.md folder that no tracker task matches
by title (ignoring case, spacing and punctuation), that names no existing tracker task itself
(`Riff #412` in its title, labels or body), and whose id no tracker task mentions.

## Why it matters

Tracker drift: the protocol used Backlog.md as a bridge while the tracker was down, on the condition
that every task tracked there later appears in the tracker. A task left only on the bridge has an
owner and a state nobody else looks at.

## Example

```
backlog/tasks/task-3 - Ledger recon hook signature.md    (no Riff task "Ledger recon hook signature")
```

## Fix

File the task in the tracker with the same title (or write its tracker reference into the Backlog.md
task), then archive the bridge copy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity, Task
from generator.rules.base import Hit, Rule


def _title_key(title: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", title.casefold()).split())


def check(ctx: Context) -> Iterable[Hit]:
    trackers = [t for t in ctx.board.trackers if t.kind in ("riff", "bass")]
    if not trackers:
        return  # Backlog.md is the only tracker: it is no bridge
    index = ctx.tasks
    tracked: list[Task] = [task for t in trackers for task in t.tasks]
    titles = {_title_key(t.title) for t in tracked if t.title.strip()}
    texts = [
        " ".join((t.title, t.body, *t.labels, *(c.body for c in t.comments))).casefold()
        for t in tracked
    ]
    kinds = ", ".join(t.kind.upper() if t.kind == "bass" else "Riff" for t in trackers)
    for tracker in ctx.board.trackers:
        if tracker.kind != "backlog":
            continue
        for task in tracker.tasks:
            if task.title.strip() and _title_key(task.title) in titles:
                continue
            own_text = " ".join((task.title, task.body, *task.labels))
            if any(t.tracker in ("riff", "bass") for t in index.in_text(own_text)):
                continue
            mention = re.compile(rf"(?<![\w-]){re.escape(task.id.casefold())}(?![\w.-])")
            if task.id and any(mention.search(text) for text in texts):
                continue
            yield Hit.at(
                task.source,
                f"Backlog.md {task.id} ({task.title or 'untitled'}, {task.status or 'no status'}) "
                f"has no task of the same title or reference in {kinds}",
            )


RULE = Rule(
    name="bridge-not-reconciled",
    code="SB611",
    severity=Severity.WARNING,
    failure_mode="tracker-drift",
    doc=__doc__ or "",
    check=check,
)
