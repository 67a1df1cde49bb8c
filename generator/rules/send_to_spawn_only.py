"""A `sessions_send` to a roster agent of type spawn-only, which has no persistent session.

## What it finds

A `sessions_send` whose `sessionKey` names (`agent:<id>:…`, or the bare id) an agent the roster
lists as `Spawn-only`, such as `dev` or `research`.

## Why it matters

Agent call misuse: spawn-only workers are stateless templates; there is no session at
`agent:dev:main` to receive the message, so the instruction is lost while the sender believes it
was delivered.

## Example

```
sessions_send(sessionKey="agent:dev:main", message="Fix the flaky test", timeoutSeconds=0)
```

## Fix

Spawn the worker with its brief: `sessions_spawn(agentId="dev", task="…", label="…",
runTimeoutSeconds=600, cleanup="keep")`.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules.base import Hit, Rule
from generator.tracking import call_label, judged_calls


def check(ctx: Context) -> Iterable[Hit]:
    team = ctx.roster
    for call in judged_calls(ctx.board, "sessions_send"):
        key = call.arg("sessionKey")
        if not call.known("sessionKey") or not isinstance(key, str):
            continue
        agent = team.get(key)
        if agent is None or not agent.spawn_only:
            continue
        yield Hit.at(
            call.source,
            f"{call_label(call)} sends to {key}, but {agent.id} is spawn-only: use "
            f'sessions_spawn(agentId="{agent.id}", …)',
        )


RULE = Rule(
    name="send-to-spawn-only",
    code="SB702",
    severity=Severity.ERROR,
    failure_mode="agent-call-misuse",
    doc=__doc__ or "",
    check=check,
)
