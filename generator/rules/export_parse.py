"""A tracker export, roster, transcript line or chat export that is not valid for its format.

## What it finds

Problems the readers of the optional sources met: a Riff or BASS export that is not JSON or lacks
its task list, a Backlog.md task with broken front matter, an agent roster row that does not parse,
a transcript line that is not JSON, a Telegram export without `messages`. The rest of the file is
still read where it can be.

## Why it matters

Unreadable board: a task, agent or instruction the tool cannot read is missing from the site and
from every cross-check against the blackboard, so drift between the tracker and the queues goes
unseen.

## Example

```
docs/ai/tracker/bass.json:  {"tasks": [{"id": "T-17", "status": "doing",}]
```

## Fix

Re-export the file from its tool, or repair it to valid JSON / YAML of the documented shape.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules._common import problem_hits
from generator.rules.base import Hit, Rule

NAME = "export-parse"


def check(ctx: Context) -> Iterable[Hit]:
    return problem_hits(ctx, NAME)


RULE = Rule(
    name=NAME,
    code="SB104",
    severity=Severity.ERROR,
    failure_mode="unreadable-board",
    doc=__doc__ or "",
    check=check,
)
