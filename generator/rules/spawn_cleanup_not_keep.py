"""A `sessions_spawn` without `cleanup="keep"`.

## What it finds

A `sessions_spawn` call with no `cleanup` argument, or one other than `"keep"` (such as
`"delete"`). Playbook sketches that elide their arguments with `...` are not judged.

## Why it matters

Agent call misuse: without `keep`, the worker's transcript is removed when it ends, so its output
and the reason it failed cannot be read afterwards; the spawning agent reports on work it can no
longer inspect.

## Example

```
sessions_spawn(agentId="dev", task="…", label="fix-flaky-test", runTimeoutSeconds=300)
```

## Fix

Add `cleanup="keep"` to every spawn.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules.base import Hit, Rule
from generator.tracking import call_label, judged_calls, shown_value


def check(ctx: Context) -> Iterable[Hit]:
    for call in judged_calls(ctx.board, "sessions_spawn"):
        label = call.arg("label")
        named = f" ({label})" if isinstance(label, str) and label else ""
        if not call.has("cleanup"):
            if not call.elided:
                yield Hit.at(call.source, f'{call_label(call)}{named} has no cleanup="keep"')
        elif call.known("cleanup") and str(call.arg("cleanup")).strip().lower() != "keep":
            yield Hit.at(
                call.source,
                f"{call_label(call)}{named} has cleanup={shown_value(call.arg('cleanup'))}; "
                'use cleanup="keep"',
            )


RULE = Rule(
    name="spawn-cleanup-not-keep",
    code="SB706",
    severity=Severity.ERROR,
    failure_mode="agent-call-misuse",
    doc=__doc__ or "",
    check=check,
)
