"""A `sessions_spawn` without `runTimeoutSeconds` (sizes: 300 S, 600 M, 1200 L).

## What it finds

A `sessions_spawn` call with no `runTimeoutSeconds`, or one that is not a positive number of
seconds. The sizes are configurable (`[agents] spawn_small`, `spawn_medium`, `spawn_large`).
Playbook sketches that elide their arguments with `...` are not judged.

## Why it matters

Agent call misuse: a worker without a time limit can run until the platform kills it, its output is
lost, and the spawning agent does not know when to check back, which invites busy polling.

## Example

```
sessions_spawn(agentId="dev", task="…", label="fix-flaky-test", cleanup="keep")
```

## Fix

Size the task and set the limit: `runTimeoutSeconds=300` (S), `600` (M) or `1200` (L).
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules.base import Hit, Rule
from generator.tracking import call_label, judged_calls, shown_value


def _seconds(value: object) -> float | None:
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def check(ctx: Context) -> Iterable[Hit]:
    a = ctx.config.agents
    sizes = f"{a.spawn_small} for S, {a.spawn_medium} for M, {a.spawn_large} for L"
    for call in judged_calls(ctx.board, "sessions_spawn"):
        label = call.arg("label")
        named = f" ({label})" if isinstance(label, str) and label else ""
        if not call.has("runTimeoutSeconds"):
            if not call.elided:
                yield Hit.at(
                    call.source,
                    f"{call_label(call)}{named} has no runTimeoutSeconds (use {sizes})",
                )
            continue
        value = call.arg("runTimeoutSeconds")
        seconds = _seconds(value)
        if call.known("runTimeoutSeconds") and (seconds is None or seconds <= 0):
            yield Hit.at(
                call.source,
                f"{call_label(call)}{named} has runTimeoutSeconds={shown_value(value)}, not a time "
                f"limit (use {sizes})",
            )


RULE = Rule(
    name="spawn-missing-timeout",
    code="SB705",
    severity=Severity.ERROR,
    failure_mode="agent-call-misuse",
    doc=__doc__ or "",
    check=check,
)
