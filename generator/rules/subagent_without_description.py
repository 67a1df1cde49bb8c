"""A subagent spawned with no description.

## What it finds

In a Claude Code transcript: a `Task` or `Agent` tool call (a subagent spawn) whose input has no
`description`, or an empty one.

## Why it matters

Ownership ambiguity: the description is what the session's own list of subagents, the
transcript viewers and this board show for the spawn. Without one, nobody reading along can tell
what the subagent was sent to do without opening its whole prompt.

## Example

```
{"type": "tool_use", "name": "Task", "input": {"subagent_type": "general-purpose", "prompt": "…"}}
```

## Fix

Give every spawn a short `description` (three to five words: "Survey the jobs module").
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules.base import Hit, Rule


def check(ctx: Context) -> Iterable[Hit]:
    for session in ctx.board.claude_sessions:
        for spawn in session.spawns:
            if spawn.description is None:
                kind = f" ({spawn.subagent_type})" if spawn.subagent_type else ""
                head = f": `{spawn.prompt_head[:60]}`" if spawn.prompt_head else ""
                yield Hit.at(
                    spawn.source,
                    f"`{spawn.tool}` spawned a subagent{kind} with no description{head}",
                )


RULE = Rule(
    name="subagent-without-description",
    code="SB710",
    severity=Severity.WARNING,
    failure_mode="ownership-ambiguity",
    doc=__doc__ or "",
    check=check,
)
