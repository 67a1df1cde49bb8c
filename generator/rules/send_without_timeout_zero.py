"""A `sessions_send` without `timeoutSeconds=0`: the caller waits inline on a single-concurrency lane.

## What it finds

A `sessions_send` call, in an agent transcript or written as an instruction in a playbook, that has
no `timeoutSeconds` argument or one other than `0`. Playbook sketches that elide their arguments
(`sessions_send(sessionKey="agent:main:main", ...)`) and snippets marked as what not to do (❌,
"never") are not judged on what they leave out.

## Why it matters

Agent call misuse: cross-agent runs share a single-concurrency lane. A send that waits for the
answer blocks both agents; under load it times out and looks failed although the message was
delivered, so agents resend and the recipient gets it twice.

## Example

```
sessions_send(sessionKey="agent:vinyl:main", message="Release notes are ready for review.")
```

## Fix

Always fire and forget: `timeoutSeconds=0`, then check later with one `sessions_history` call.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules.base import Hit, Rule
from generator.tracking import call_label, judged_calls, shown_value


def _zero(value: object) -> bool:
    try:
        return float(str(value).strip()) == 0
    except ValueError:
        return False


def check(ctx: Context) -> Iterable[Hit]:
    for call in judged_calls(ctx.board, "sessions_send"):
        key = call.arg("sessionKey")
        to = f" to {key}" if isinstance(key, str) and key else ""
        if not call.has("timeoutSeconds"):
            if call.elided:
                continue
            yield Hit.at(call.source, f"{call_label(call)}{to} has no timeoutSeconds=0")
        elif call.known("timeoutSeconds") and not _zero(call.arg("timeoutSeconds")):
            shown = shown_value(call.arg("timeoutSeconds"))
            yield Hit.at(
                call.source,
                f"{call_label(call)}{to} waits inline with timeoutSeconds={shown}; use 0",
            )


RULE = Rule(
    name="send-without-timeout-zero",
    code="SB701",
    severity=Severity.ERROR,
    failure_mode="agent-call-misuse",
    doc=__doc__ or "",
    check=check,
)
