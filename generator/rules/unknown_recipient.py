"""A `to:` or `from:` that resolves to no session, display name, roster agent or `human`.

## What it finds

A message heading whose `to:` or `from:` is none of: a session id known from the scoreboard, the
queue files or `[sX]` commits; a display name of the scoreboard or the name pool; a qualified handle
of this project (`po:sA`, `po:*`); `all`; `human`; a roster agent (`agent:frankel:main`).

## Why it matters

Lossy relay: a message to nobody in particular is read by nobody, and a reply to an unknown sender
has nowhere to go; it is usually a typo in a name or a handle of another project.

## Example

```
## 2026-05-31T15:00Z · from:sB · to:Sinta · type:question · status:sent
```

## Fix

Address the message by id (`to:sA`), by a display name on the scoreboard (`to:Sintra`), or `to:all`;
add a new agent to the roster, or a name to `names` in the configuration.

In a shallow clone the claims of released sessions are not in the fetched history, so an address
shaped like a session id or a display name is not reported there (fetch the whole history).
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import AddressKind, Context
from generator.model import Severity
from generator.rules._common import parsed_messages, resolve
from generator.rules._history import known_before_cut
from generator.rules.base import Hit, Rule


def check(ctx: Context) -> Iterable[Hit]:
    messages = parsed_messages(ctx)
    # The board has few distinct addresses: each is judged once, then messages are looked up.
    addresses = {m.to for m in messages} | {m.sender for m in messages}
    unknown = {
        value
        for value in addresses
        if value  # a missing field is message-parse's
        and resolve(ctx, value).kind is AddressKind.UNKNOWN
        and not known_before_cut(ctx, value)
    }
    for message in messages:
        if message.to not in unknown and message.sender not in unknown:
            continue
        for key, value in (("to", message.to), ("from", message.sender)):
            if value in unknown:
                yield Hit.at(
                    message.source,
                    f"{message.id}: {key}:{value} resolves to no session, name, agent or human",
                )


RULE = Rule(
    name="unknown-recipient",
    code="SB302",
    severity=Severity.WARNING,
    failure_mode="lossy-relay",
    doc=__doc__ or "",
    check=check,
)
