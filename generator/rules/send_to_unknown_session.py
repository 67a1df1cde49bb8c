"""A `sessions_send` whose `sessionKey` is not `agent:<roster id>:…`.

## What it finds

A `sessions_send` whose `sessionKey` is not of the form `agent:<id>:<session>`, or (when the
repository has an agent roster) names an id the roster does not list. Template values such as
`agent:<agentId>:main` are not judged.

## Why it matters

Agent call misuse: a key that reaches no agent is accepted by the transport and then dropped; the
sender gets `{status: "accepted"}` and waits for an answer that can never come.

## Example

```
sessions_send(sessionKey="agent:vinly:main", message="…", timeoutSeconds=0)
```

## Fix

Use the key from the roster's *How to reach* column (`agent:vinyl:main`); add a new agent to the
roster before sending to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules.base import Hit, Rule
from generator.tracking import call_label, is_placeholder, judged_calls

_KEY = re.compile(r"^agent:(?P<id>[A-Za-z0-9][\w.-]*):\S+$")


def check(ctx: Context) -> Iterable[Hit]:
    team = ctx.roster
    ids = {a.id.lower() for a in team.agents}
    for call in judged_calls(ctx.board, "sessions_send"):
        key = call.arg("sessionKey")
        if not call.known("sessionKey") or not isinstance(key, str) or is_placeholder(key):
            continue
        m = _KEY.match(key.strip())
        if m is None:
            yield Hit.at(
                call.source,
                f"{call_label(call)} sends to `{key}`, which is not a session key "
                "agent:<id>:<session>",
            )
        elif ids and m["id"].lower() not in ids:
            yield Hit.at(
                call.source,
                f"{call_label(call)} sends to {key}, but the roster has no agent {m['id']}",
            )


RULE = Rule(
    name="send-to-unknown-session",
    code="SB703",
    severity=Severity.WARNING,
    failure_mode="agent-call-misuse",
    doc=__doc__ or "",
    check=check,
)
