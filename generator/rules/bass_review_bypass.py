"""A BASS task moved `in_progress → done` although it is not auto-completable (ops/infra).

## What it finds

An activity row `in_progress → done` on a task whose `project` and `labels` name neither `ops` nor
`infra` and which does not carry `"auto_complete": true`. Only such tasks may skip review.

## Why it matters

Tracker drift: `review` is where the person or the orchestrator signs the work off. A task that
goes straight to `done` was never looked at, yet the tracker reports it finished, and anything
waiting on it starts on unreviewed work.

## Example

```
{"task_id": "T-21", "agent": "frankel", "from": "in_progress", "to": "done"}
```

(T-21 is in project `payments`, not `ops`.)

## Fix

Move the task to `review` and let the person or the orchestrator move it to `done`; mark genuinely
auto-completable work with project or label `ops` / `infra`, or `"auto_complete": true`.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules.base import Hit, Rule
from generator.tracking import auto_completable


def check(ctx: Context) -> Iterable[Hit]:
    for t in ctx.transitions:
        if t.verdict != "bypass" or t.task is None or auto_completable(t.task):
            continue
        c = t.change
        by = f" by {c.agent}" if c.agent else ""
        project = (
            f"project `{t.task.project}`" if t.task and t.task.project else "no ops/infra mark"
        )
        title = f" ({t.task.title})" if t.task is not None and t.task.title else ""
        yield Hit.at(
            c.source,
            f"BASS {c.task_id}{title}: {t.shown}{by} skips review; the task has {project}, so it "
            "is not auto-completable",
        )


RULE = Rule(
    name="bass-review-bypass",
    code="SB602",
    severity=Severity.ERROR,
    failure_mode="tracker-drift",
    doc=__doc__ or "",
    check=check,
)
