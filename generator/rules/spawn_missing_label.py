"""A `sessions_spawn` without `label`.

## What it finds

A `sessions_spawn` call, in a transcript or a playbook, with no `label` argument or an empty one.
Playbook sketches that elide their arguments with `...` are not judged.

## Why it matters

Agent call misuse: the label is how the spawning agent, the person and the checkpoint files find a
worker's run again. Without it the output cannot be matched to the task, and follow-up checks poll
blindly.

## Example

```
sessions_spawn(agentId="research", task="…", runTimeoutSeconds=600, cleanup="keep")
```

## Fix

Give every spawn a short descriptive label: `label="r6-discogs-setup"`.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules.base import Hit, Rule
from generator.tracking import call_label, judged_calls


def check(ctx: Context) -> Iterable[Hit]:
    for call in judged_calls(ctx.board, "sessions_spawn"):
        agent = call.arg("agentId")
        of = f" of {agent}" if isinstance(agent, str) and agent else ""
        if not call.has("label"):
            if not call.elided:
                yield Hit.at(call.source, f"{call_label(call)}{of} has no label")
        elif call.known("label") and not str(call.arg("label") or "").strip():
            yield Hit.at(call.source, f"{call_label(call)}{of} has an empty label")


RULE = Rule(
    name="spawn-missing-label",
    code="SB704",
    severity=Severity.ERROR,
    failure_mode="agent-call-misuse",
    doc=__doc__ or "",
    check=check,
)
