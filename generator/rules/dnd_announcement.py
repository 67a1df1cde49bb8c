"""A named agent messaging the person between 03:00 and 08:00 local time.

## What it finds

A message from a named roster agent (type `Named`, by id or name) to the person during the
do-not-disturb window (`[agents] dnd_start`–`dnd_end`, default 03:00–08:00, in `[agents]
timezone`): a message of that agent in a Telegram export, a queue message `from:<agent>`
`to:human`, or a `message` tool call in the agent's transcript.

## Why it matters

The person as the bus: a night-time ping wakes the person for something that could wait, and
teaches the fleet that the person is the place where things get announced, instead of the durable
channel and the morning brief.

## Example

```
04:12 Europe/Lisbon, Telegram, from Tila: "Nightly recon finished, 3 mismatches."
```

## Fix

During DND write to disk (the agent's notes or the queue); the morning brief picks it up.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import AddressKind, Context
from generator.model import Agent, Severity
from generator.readers.transcripts import PERSON_TOOLS
from generator.rules.base import Hit, Rule
from generator.textutil import clip
from generator.tracking import in_dnd, judged_calls, local_clock


def _who(agent: Agent) -> str:
    return f"{agent.id} ({agent.name})" if agent.name and agent.name != agent.id else agent.id


def check(ctx: Context) -> Iterable[Hit]:
    team = ctx.roster
    if not team:
        return
    a = ctx.config.agents
    window = f"{a.dnd_start}–{a.dnd_end}"
    for chat in ctx.board.chats:
        for msg in chat.messages:
            agent = team.get(msg.sender)
            if agent is None or agent.spawn_only or msg.at is None:
                continue
            if in_dnd(msg.at.value, ctx.config):
                yield Hit.at(
                    msg.source,
                    f"{_who(agent)} messaged the person on Telegram at "
                    f"{local_clock(msg.at.value, ctx.config)}, inside DND {window}: "
                    f"`{clip(msg.text, 50)}`",
                )
    for message in ctx.board.messages:
        if not message.parsed or message.at is None or not message.sender:
            continue
        agent = team.get(message.sender)
        if agent is None or agent.spawn_only:
            continue
        if ctx.book.resolve(message.to).kind is not AddressKind.HUMAN:
            continue
        if in_dnd(message.at.value, ctx.config):
            yield Hit.at(
                message.source,
                f"{message.id}: {_who(agent)} wrote to human at "
                f"{local_clock(message.at.value, ctx.config)}, inside DND {window}",
            )
    for call in judged_calls(ctx.board, PERSON_TOOLS):
        agent = team.get(call.agent)
        if agent is None or agent.spawn_only or call.at is None:
            continue
        if in_dnd(call.at.value, ctx.config):
            yield Hit.at(
                call.source,
                f"{_who(agent)} called `{call.tool}` at {local_clock(call.at.value, ctx.config)}, "
                f"inside DND {window}",
            )


RULE = Rule(
    name="dnd-announcement",
    code="SB709",
    severity=Severity.WARNING,
    failure_mode="human-as-bus",
    doc=__doc__ or "",
    check=check,
)
