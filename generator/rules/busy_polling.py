"""More than one check on a spawned child before its `runTimeoutSeconds` + 2 min.

## What it finds

In the agent transcripts: after a `sessions_spawn`, two or more `sessions_history`,
`sessions_list` or `subagents` calls by the same agent that concern that child (they name its
label, its session key or run id, or name no child at all and so list every one) before the
spawn's `runTimeoutSeconds` plus two minutes have passed. The calls of one agent are taken
together across its transcript files, in time order (a spawn at 23:58 in one day's file and the
checks after midnight in the next are one story); calls whose agent is unknown are judged within
their own file. A spawn without a time limit is given the M size (`[agents] spawn_medium`, 600 s).

## Why it matters

Agent call misuse: every check is a model turn on the single-concurrency lane the child needs to
finish; polling slows the worker down, burns tokens, and the spawning agent acts on half-finished
output.

## Example

```
09:00 sessions_spawn(label="r6-discogs", runTimeoutSeconds=600, …)
09:02 sessions_history(sessionKey="agent:research:subagent:r6-discogs")
09:04 sessions_history(sessionKey="agent:research:subagent:r6-discogs")
```

## Fix

Check once, after `runTimeoutSeconds` + 2 min, or read the worker's output file when it appears.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from generator.analysis import Context
from generator.model import AgentCall, Severity
from generator.rules.base import Hit, Rule
from generator.timeutil import human_age
from generator.tracking import judged_calls

CHECKS = ("sessions_history", "sessions_list", "subagents")
GRACE = timedelta(minutes=2)
# Arguments that pick one session out: anything else (limit, action) does not name a child.
_TARGET_KEYS = ("sessionKey", "label", "target", "runId", "sessionId", "session", "id", "key")


def _seconds(call: AgentCall, default: int) -> int:
    try:
        value = float(str(call.arg("runTimeoutSeconds")))
    except ValueError:
        return default
    return int(value) if value > 0 else default


def _concerns(check: AgentCall, names: list[str]) -> bool:
    targets = [str(check.arg(k)) for k in _TARGET_KEYS if check.known(k) and check.arg(k)]
    if not targets:
        return True  # a list of every child includes this one
    return any(n and n in t for t in targets for n in names)


def check(ctx: Context) -> Iterable[Hit]:
    # One agent's calls, whichever transcript file holds them; without an agent, one file's.
    by_agent: dict[tuple[str, str], list[AgentCall]] = defaultdict(list)
    for call in judged_calls(ctx.board, ("sessions_spawn", *CHECKS)):
        if call.origin == "transcript" and call.at is not None:
            key = ("agent", call.agent) if call.agent else ("file", call.source.path)
            by_agent[key].append(call)
    for _key, calls in sorted(by_agent.items()):
        calls.sort(
            key=lambda c: (c.at.value if c.at else ctx.now, c.source.path, c.source.line or 0)
        )
        for spawn in calls:
            if spawn.tool != "sessions_spawn" or spawn.at is None:
                continue
            seconds = _seconds(spawn, ctx.config.agents.spawn_medium)
            deadline = spawn.at.value + timedelta(seconds=seconds) + GRACE
            label = spawn.arg("label")
            names = [str(v) for v in (label, spawn.child) if v]
            early = [
                c
                for c in calls
                if c.tool in CHECKS
                and c.at is not None
                and spawn.at.value <= c.at.value < deadline
                and c.agent == spawn.agent
                and _concerns(c, names)
            ]
            if len(early) < 2:
                continue
            who = f"{spawn.agent} " if spawn.agent else ""
            child = f"`{label}`" if label else f"the {spawn.arg('agentId') or 'child'} spawned"
            first = early[0].at.value - spawn.at.value  # type: ignore[union-attr]
            last = early[-1].at.value - spawn.at.value  # type: ignore[union-attr]
            spawned = f"line {spawn.source.line}"
            if spawn.source.path != early[1].source.path:
                spawned += f" of {spawn.source.path}"
            yield Hit.at(
                early[1].source,
                f"{who}checked child {child} {len(early)} times between {human_age(first)} and "
                f"{human_age(last)} after spawning it ({spawned}); with "
                f"runTimeoutSeconds={seconds}, check once after {human_age(deadline - spawn.at.value)}",
            )


RULE = Rule(
    name="busy-polling",
    code="SB708",
    severity=Severity.WARNING,
    failure_mode="agent-call-misuse",
    doc=__doc__ or "",
    check=check,
)
