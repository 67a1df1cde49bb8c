"""An instruction from the person on Telegram that names a session and never reached the durable channel.

## What it finds

A message of the person in a Telegram export that names a session — its id (`sA`), display name
(`Sintra`), handle (`po:sA`) or everyone (`@all`, `all:`, `po:*`) — when, within
`thresholds.telegram_relay_minutes` (default 30) of it, no durable record follows: a queue message
to or from that session (a broadcast for everyone) that is a `via:telegram` or `type:relay`
message, mentions Telegram, or repeats four words of the instruction; or a tracker task of that
session created, updated or commented on in that time. The person is `[agents] people`, or else
any sender that is no session, no roster agent and no bot.

## Why it matters

The person as the bus: Telegram is a human bridge, never the bus. An instruction that stays in the
chat is invisible to the other sessions and lost when the holder of the bridge ends; relays are
lossy unless they are written down.

## Example

```
Telegram, 09:12, Dana: "Porto, pause the banner rollout until finance signs off."
(no message in to-sB.md, no Riff update for Porto until 09:42)
```

## Fix

Relay it into the session's queue at once: `type:relay · via:telegram`, quoting the instruction;
or update the tracker task it concerns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from generator.analysis import AddressKind, Context
from generator.model import ChatMessage, Message, Severity
from generator.readers._text import clip
from generator.rules.base import Hit, Rule
from generator.timeutil import canonical
from generator.tracking import owner, roster

EVERYONE = "all"
SKEW = timedelta(minutes=1)
_RELAYED = re.compile(r"^\s*\[s[A-Z]\]")  # queue times are minutes; Telegram's are seconds
_WORD = re.compile(r"[\w'’]+")
_ALL = re.compile(
    r"(?:^|\s)@(?:all|everyone)\b|\bto:all\b|^\s*(?:all|everyone)\s*[:,—-]", re.IGNORECASE
)


def _patterns(ctx: Context) -> list[tuple[re.Pattern[str], str]]:
    """(pattern, session id or `all`) for every way the board names a session."""
    found: list[tuple[re.Pattern[str], str]] = [(_ALL, EVERYONE)]
    tag = ctx.config.project_tag
    if tag:
        found.append((re.compile(rf"(?<![\w:]){re.escape(tag)}:\*"), EVERYONE))
    for session in sorted(ctx.book.ids):
        handle = rf"(?:{re.escape(tag)}:)?" if tag else ""
        found.append((re.compile(rf"(?<![\w:@]){handle}@?{re.escape(session)}(?![\w])"), session))
    # Display names as written (`Porto`, not the city `porto`), mapped to their session.
    board = ctx.board
    written = (
        *ctx.config.names,
        *board.name_pool,
        *(r.name for r in board.scoreboard.rows if r.name),
    )
    for name in sorted(set(written)):
        sid = ctx.book.names.get(name.lower())
        if sid is not None:
            found.append((re.compile(rf"(?<![\w]){re.escape(name)}(?![\w])"), sid))
    return found


def _named(text: str, patterns: list[tuple[re.Pattern[str], str]]) -> dict[str, str]:
    """Session id (or `all`) -> the way the text names it (`Porto`, `po:sA`, `@all`)."""
    out: dict[str, str] = {}
    for pattern, sid in patterns:
        if sid not in out and (m := pattern.search(text)):
            out[sid] = m.group(0).strip(" ,:—-")
    return out


def _is_person(ctx: Context, msg: ChatMessage) -> bool:
    people = [p.lower() for p in ctx.config.agents.people]
    sender = msg.sender.strip()
    if people:
        return sender.lower() in people
    if not sender or sender.lower().endswith("bot"):
        return False
    if roster(ctx.board).get(sender) is not None:
        return False
    return ctx.book.resolve(sender).kind not in (AddressKind.SESSION, AddressKind.AGENT)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _echoes(body: str, instruction: str, run: int = 4) -> bool:
    """Whether `body` repeats `run` consecutive words of the instruction."""
    said = _words(instruction)
    grams = {tuple(said[i : i + run]) for i in range(len(said) - run + 1)}
    heard = _words(body)
    return any(tuple(heard[i : i + run]) in grams for i in range(len(heard) - run + 1))


def _relays(ctx: Context, msg: ChatMessage, start: datetime, end: datetime) -> Iterator[Message]:
    for m in ctx.board.messages:
        if not m.parsed or m.at is None or not start <= m.at.value <= end:
            continue
        if (
            (m.via or "").lower() == "telegram"
            or m.type == "relay"
            or "telegram" in m.body.lower()
            or _echoes(m.body, msg.text)
        ):
            yield m


def _reached(ctx: Context, sid: str, relays: list[Message]) -> bool:
    for m in relays:
        to = ctx.book.resolve(m.to if m.to else m.queue)
        if to.kind is AddressKind.EVERYONE or m.is_broadcast:
            return True
        if sid == EVERYONE:
            continue
        sender = ctx.book.resolve(m.sender)
        if (to.kind is AddressKind.SESSION and to.id == sid) or (
            sender.kind is AddressKind.SESSION and sender.id == sid
        ):
            return True
    return False


def _task_touched(ctx: Context, sid: str, start: datetime, end: datetime) -> bool:
    for task in ctx.board.tasks:
        owners = [owner(ctx.book, a) for a in task.assignees]
        if sid != EVERYONE and not any(
            o.kind is AddressKind.SESSION and o.id == sid for o in owners
        ):
            continue
        times = [s.value for s in (task.created, task.updated) if s is not None]
        times += [c.at.value for c in task.comments if c.at is not None]
        if any(start <= t <= end for t in times):
            return True
    return False


def check(ctx: Context) -> Iterable[Hit]:
    if not ctx.board.chats:
        return
    patterns = _patterns(ctx)
    window = timedelta(minutes=ctx.config.thresholds.telegram_relay_minutes)
    for chat in ctx.board.chats:
        for msg in chat.messages:
            if msg.at is None or not msg.text.strip() or not _is_person(ctx, msg):
                continue
            if _RELAYED.match(msg.text):
                continue  # `[sB] relayed to sA`: a session's own note on the bridge
            named = _named(msg.text, patterns)
            if not named:
                continue
            start, end = msg.at.value - SKEW, msg.at.value + window
            relays = list(_relays(ctx, msg, start, end))
            missed = [
                sid
                for sid in named
                if not _reached(ctx, sid, relays) and not _task_touched(ctx, sid, start, end)
            ]
            if not missed:
                continue
            who = ", ".join(
                "everyone" if s == EVERYONE else (s if named[s] == s else f"{named[s]} ({s})")
                for s in missed
            )
            yield Hit.at(
                msg.source,
                f"Telegram message {msg.id} from {msg.sender} at {canonical(msg.at.value)} names "
                f"{who}, but no queue message or tracker task reached {who} within "
                f"{ctx.config.thresholds.telegram_relay_minutes} min: `{clip(msg.text, 60)}`",
            )


RULE = Rule(
    name="telegram-as-bus",
    code="SB501",
    severity=Severity.WARNING,
    failure_mode="human-as-bus",
    doc=__doc__ or "",
    check=check,
)
