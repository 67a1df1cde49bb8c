"""An ack line whose state goes back, or is not a step of the ack state machine.

## What it finds

Walking a message's ack lines in order from `sent`, a change the machine does not allow:

```
sent ──► seen ──► answered ──► done
  │        ├────► accepted ──► done
  │        └────► declined
  └──► (any later state directly is allowed; going back is not)
```

So `sent → done` and `seen → accepted` are fine; `accepted → seen` goes back, and `answered →
accepted` or `declined → done` are not in the machine. Repeating the current state is no change. For
a broadcast every session acks for itself, so each session's lines are walked on their own. A state
outside the machine is reported by the reader (message-parse) and skipped here; the header's
`status:` against the newest ack line is ack-status-mismatch's.

The heading's `status:` is walked the same way through the queue file's git history, from the
status the block was first committed with: a commit that changed it backwards (or out of the
machine) is reported with that commit, even where the block has no ack lines at all.

## Why it matters

Ownership ambiguity: the ack chain is the record of who took the work and how it ended; a chain that
goes back from `accepted` to `seen`, or reopens a `declined` message as `done`, leaves the sender
unable to tell whether the recipient owns the task.

## Example

```
## 2026-05-31T15:00Z · from:sB · to:sA · type:handoff · ref:Riff#412 · status:seen

- ack · 2026-05-31T15:20Z · sA · accepted
- ack · 2026-05-31T16:05Z · sA · seen
```

## Fix

Never rewrite history backwards: to give work back after accepting it, finish the chain (`done`,
with a note) and send a new `handoff` message; to change a `declined`, send a new message.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from generator.analysis import ACK_STATES, Context
from generator.model import Ack, Message, Severity
from generator.rules._common import ack_session, broadcasts, direct_messages
from generator.rules._history import where
from generator.rules.base import Hit, Rule

# Every state reachable from a state (a skip forward is allowed, so this is the closure).
REACHABLE: dict[str, frozenset[str]] = {
    "sent": frozenset({"seen", "answered", "accepted", "declined", "done"}),
    "seen": frozenset({"answered", "accepted", "declined", "done"}),
    "answered": frozenset({"done"}),
    "accepted": frozenset({"done"}),
    "declined": frozenset(),
    "done": frozenset(),
}
_ORDER = {"sent": 0, "seen": 1, "answered": 2, "accepted": 2, "declined": 2, "done": 3}


def _chains(ctx: Context, message: Message) -> Iterable[list[Ack]]:
    """A broadcast's ack lines, session by session."""
    by_session: dict[str, list[Ack]] = {}
    for ack in message.acks:
        by_session.setdefault(ack_session(ctx, ack), []).append(ack)
    return by_session.values()


def _walk(message: Message, acks: Sequence[Ack]) -> Iterator[Hit]:
    state = "sent"
    for ack in acks:
        new = ack.state.strip().lower()
        if new not in ACK_STATES:
            continue  # an unknown state is reported by the reader (message-parse)
        if new == state or new in REACHABLE[state]:
            state = new
            continue
        how = "goes back from" if _ORDER[new] < _ORDER[state] else "changes"
        yield Hit.at(
            ack.source,
            f"{message.id}: ack by {ack.by} {how} {state} to {new}, which the ack state "
            "machine does not allow",
        )


def _history(ctx: Context) -> Iterator[Hit]:
    """The heading's status as git saw it change, commit by commit."""
    for trail in ctx.board.history.trails:
        state: str | None = None
        for event in trail.events:
            if event.kind in ("added", "restored"):
                state = (event.state or "sent").lower()
                continue
            if event.kind != "status" or event.state is None:
                continue
            new = event.state.strip().lower()
            if state not in ACK_STATES or new not in ACK_STATES:
                state = new  # an unknown state is message-parse's; start again from the next one
                continue
            if new != state and new not in REACHABLE[state]:
                how = "back from" if _ORDER[new] < _ORDER[state] else "from"
                yield Hit.at(
                    where(ctx, trail),
                    f"{trail.id}: {event.commit.label} changed its status {how} {state} to "
                    f"{new}, which the ack state machine does not allow",
                    commit=event.commit.short,
                )
            state = new


def check(ctx: Context) -> Iterable[Hit]:
    # Every state is a step from `sent`: a chain of one line cannot be wrong (most are).
    for message in direct_messages(ctx):
        if len(message.acks) > 1:
            yield from _walk(message, message.acks)
    for message in broadcasts(ctx):
        for chain in _chains(ctx, message):
            if len(chain) > 1:
                yield from _walk(message, chain)
    yield from _history(ctx)


RULE = Rule(
    name="illegal-ack-transition",
    code="SB305",
    severity=Severity.ERROR,
    failure_mode="ownership-ambiguity",
    doc=__doc__ or "",
    check=check,
)
