"""A message in the queue file of someone other than its `to:`; `to-all.md` must hold broadcasts.

## What it finds

A block in `queue/to-sA.md` (or `to-Sintra.md`) whose `to:` resolves to another session, to `all`,
to `human` or to an agent; and a block in `to-all.md` whose `to:` is not a broadcast (`all`,
`po:*`). Addresses are resolved through ids, display names and qualified handles, so `to:Sintra` in
`to-sA.md` is fine. A block whose `to:` names someone known, in a file named after nobody known
(`to-sQ.md`, a typo; a queue file's name alone never makes a session known), is reported too: no
one reads that file. A `to:` that resolves to nothing is unknown-recipient's finding instead.

In a shallow clone the claims of released sessions are not in the fetched history, so a file
named like a session id or a display name that only that history knows is not reported as read by
nobody (fetch the whole history).

## Why it matters

Lossy relay: each session reads its own queue file and `to-all.md`; a block filed elsewhere is never
read by its recipient, while the sender believes it was delivered.

## Example

```
docs/ai/sessions/queue/to-sA.md:

## 2026-05-31T15:00Z · from:sC · to:sB · type:question · status:sent
```

## Fix

Move the block, unchanged, to the queue file of its recipient (`to-sB.md`, or `to-all.md` for a
broadcast) in one commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath

from generator.analysis import AddressKind, Context, Resolved
from generator.model import Message, Severity
from generator.rules._common import message_label, parsed_messages, resolve
from generator.rules._history import known_before_cut
from generator.rules.base import Hit, Rule


def _wrong_file(ctx: Context, message: Message) -> str | None:
    """Why the block does not belong in its file, or None when it does (or cannot be told): a
    matter of its `to:` and its file only."""
    to = resolve(ctx, message.to)
    queue = message.queue
    if to.kind is AddressKind.UNKNOWN:
        return None
    if message.is_broadcast:
        if to.kind is AddressKind.EVERYONE:
            return None
        return f"to:{to.raw} is not a broadcast (to:all)"
    if to.kind is AddressKind.EVERYONE:
        return f"to:{to.raw} is a broadcast, which belongs in to-all.md"
    owner = resolve(ctx, queue)
    if owner.kind is AddressKind.UNKNOWN:
        # A file named after nobody known (a typo'd `to-sQ.md`; a file name alone never makes a
        # session known) is read by nobody, while `to:` names someone who reads another file.
        if queue and to.raw.lower() == queue.lower():
            return None
        if known_before_cut(ctx, queue):
            return None  # a session released before a shallow clone's boundary: cannot be told
        return (
            f"to:{_named(to)} is {_what(to)}, and {queue} is no one known: nobody reads this file"
        )
    if to.kind is not owner.kind:
        return f"to:{to.raw} is {_what(to)}, not {queue}"
    if to.id and owner.id and to.id != owner.id:
        return f"to:{_named(to)} is not {owner.id}"
    return None


def _named(to: Resolved) -> str:
    return to.raw if to.raw == to.id or not to.id else f"{to.raw} ({to.id})"


def _what(resolved: Resolved) -> str:
    if resolved.kind is AddressKind.SESSION:
        return f"session {resolved.id}" if resolved.id else "a session"
    if resolved.kind is AddressKind.AGENT:
        return f"agent {resolved.id}"
    return resolved.kind.value


def check(ctx: Context) -> Iterable[Hit]:
    # The verdict depends on `to:` and the file only: the board has few pairs of them.
    verdicts: dict[tuple[str, str], str | None] = {}
    for message in parsed_messages(ctx):
        if not message.to:
            continue  # a missing `to:` is message-parse's
        pair = (message.to, message.queue)
        if pair not in verdicts:
            verdicts[pair] = _wrong_file(ctx, message)
        why = verdicts[pair]
        if why is not None:
            name = PurePosixPath(message.source.path).name
            yield Hit.at(message.source, f"{message_label(message)} is filed in {name} but {why}")


RULE = Rule(
    name="misfiled-message",
    code="SB301",
    severity=Severity.ERROR,
    failure_mode="lossy-relay",
    doc=__doc__ or "",
    check=check,
)
