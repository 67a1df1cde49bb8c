"""An instruction from the person on Telegram that names a session and never reached the durable channel.

## What it finds

A message of the person in a Telegram export that names a session — its id (`sA`), display name
(`Sintra`), handle (`po:sA`) or everyone (`@all`, `all:`, `po:*`) — when
`thresholds.telegram_relay_minutes` (default 30) have passed since it and no durable record of
*that* instruction followed within them:

- a queue message to the session (a broadcast reaches every session; an instruction to everyone
  needs a broadcast) that references the instruction, or one from the session that references it;
- a `via:telegram` relay to the session (or any `type:relay` message, or one that mentions
  Telegram) that references no other instruction of the person — a relay of a different
  instruction is no record of this one;
- a tracker task of the session (any task, for everyone) created, updated or commented on in that
  time whose title, body or comments reference the instruction.

A text *references* the instruction when it names the Telegram message by its id
(`Telegram message 101`, `tg#101`), repeats four consecutive words of it, or holds at least three
of its content words (words of four letters or more, leaving out common words and the names of
sessions; all of them when it has fewer). Case and punctuation do not count. An instruction whose
window is still open at the build time is not reported yet. The person is `[agents] people`, or
else any sender that is no session, no roster agent and no bot.

## Why it matters

The person as the bus: Telegram is a human bridge, never the bus. An instruction that stays in the
chat is invisible to the other sessions and lost when the holder of the bridge ends; relays are
lossy unless they are written down.

## Example

```
Telegram, 09:12, Dana: "Porto, pause the banner rollout until finance signs off."
(no message in to-sB.md, no Riff update for Porto until 09:42; sB's own 09:40 relay to sA
carries another instruction and does not count)
```

## Fix

Relay it into the session's queue at once: `type:relay · via:telegram`, quoting the instruction;
or update the tracker task it concerns, quoting it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from generator.analysis import AddressKind, Context
from generator.model import ChatMessage, Message, Severity
from generator.rules.base import Hit, Rule
from generator.textutil import clip
from generator.timeutil import canonical
from generator.tracking import owner

EVERYONE = "all"
SKEW = timedelta(minutes=1)
_RELAYED = re.compile(r"^\s*\[s[A-Z]\]")  # queue times are minutes; Telegram's are seconds
_WORD = re.compile(r"[\w'’]+")
RUN = 4  # consecutive words of the instruction that quote it
CONTENT = 3  # content words of the instruction that restate it
_COMMON = frozenset(
    {
        "about",
        "after",
        "also",
        "been",
        "before",
        "could",
        "does",
        "done",
        "from",
        "have",
        "here",
        "into",
        "just",
        "more",
        "only",
        "onto",
        "please",
        "should",
        "some",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "they",
        "this",
        "today",
        "very",
        "were",
        "what",
        "when",
        "will",
        "with",
        "would",
        "your",
    }
)
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
    if ctx.roster.get(sender) is not None:
        return False
    return ctx.book.resolve(sender).kind not in (AddressKind.SESSION, AddressKind.AGENT)


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


@dataclass(frozen=True)
class _Instruction:
    """One instruction of the person, in the forms a follow-up can reference it by."""

    msg: ChatMessage
    grams: frozenset[tuple[str, ...]]  # its runs of RUN consecutive words
    content: frozenset[str]  # its content words
    cite: re.Pattern[str]  # its Telegram message id, as a follow-up would cite it

    @classmethod
    def of(cls, msg: ChatMessage, names: frozenset[str]) -> _Instruction:
        said = _words(msg.text)
        grams = frozenset(tuple(said[i : i + RUN]) for i in range(len(said) - RUN + 1))
        content = frozenset(w for w in said if len(w) >= 4 and w not in _COMMON and w not in names)
        cite = re.compile(
            rf"\b(?:telegram|tg)\b\W{{0,3}}(?:message|msg)?\W{{0,3}}#?{re.escape(msg.id)}(?!\w)",
            re.IGNORECASE,
        )
        return cls(msg, grams, content, cite)

    def said_before(self, m: Message) -> bool:
        at = self.msg.at
        return at is not None and m.at is not None and at.value <= m.at.value + SKEW

    def referenced_by(self, text: str) -> bool:
        """Whether `text` cites, quotes or restates this instruction (see the module docstring)."""
        if self.msg.id and self.cite.search(text):
            return True
        heard = _words(text)
        if any(tuple(heard[i : i + RUN]) in self.grams for i in range(len(heard) - RUN + 1)):
            return True
        shared = self.content.intersection(heard)
        return bool(shared) and len(shared) >= min(CONTENT, len(self.content))


def _names(ctx: Context) -> frozenset[str]:
    """Every word that names a session, which says nothing about what was asked."""
    words = {"telegram", "everyone", EVERYONE, *(w for s in ctx.book.ids for w in _words(s))}
    words.update(w for name in ctx.book.names for w in _words(name))
    if ctx.config.project_tag:
        words.update(_words(ctx.config.project_tag))
    return frozenset(words)


def _is_relay(m: Message) -> bool:
    return (m.via or "").lower() == "telegram" or m.type == "relay" or "telegram" in m.body.lower()


def _session_is(ctx: Context, address: str | None, sid: str) -> bool:
    if not address:
        return False
    found = ctx.book.resolve(address)
    return found.kind is AddressKind.SESSION and found.id == sid


def _to_everyone(ctx: Context, m: Message) -> bool:
    return m.is_broadcast or ctx.book.resolve(m.to or m.queue).kind is AddressKind.EVERYONE


def _relayed(
    ctx: Context, sid: str, this: _Instruction, others: list[_Instruction], messages: list[Message]
) -> bool:
    """Whether a queue message in the window records the instruction for session `sid`."""
    for m in messages:
        to_all = _to_everyone(ctx, m)
        if sid == EVERYONE:
            to, by = to_all, False
        else:
            to = to_all or _session_is(ctx, m.to or m.queue, sid)
            by = _session_is(ctx, m.sender, sid)
        if not (to or by):
            continue
        if this.referenced_by(m.body):
            return True
        # A relay to the session stands for the instruction unless it carries another one
        # (an instruction given before the relay was written).
        if (
            to
            and _is_relay(m)
            and not any(o.said_before(m) and o.referenced_by(m.body) for o in others)
        ):
            return True
    return False


def _task_touched(
    ctx: Context, sid: str, this: _Instruction, start: datetime, end: datetime
) -> bool:
    """Whether a tracker task of `sid` changed in the window and references the instruction."""
    for task in ctx.board.tasks:
        owners = [owner(ctx.book, a) for a in task.assignees]
        if sid != EVERYONE and not any(
            o.kind is AddressKind.SESSION and o.id == sid for o in owners
        ):
            continue
        times = [s.value for s in (task.created, task.updated) if s is not None]
        comments = [c for c in task.comments if c.at is not None and start <= c.at.value <= end]
        if not comments and not any(start <= t <= end for t in times):
            continue
        texts = [task.title, task.body, *(c.body for c in task.comments)]
        if any(this.referenced_by(text) for text in texts if text):
            return True
    return False


def check(ctx: Context) -> Iterable[Hit]:
    if not ctx.board.chats:
        return
    patterns = _patterns(ctx)
    names = _names(ctx)
    window = timedelta(minutes=ctx.config.thresholds.telegram_relay_minutes)
    said: list[tuple[_Instruction, dict[str, str]]] = []
    for chat in ctx.board.chats:
        for msg in chat.messages:
            if msg.at is None or not msg.text.strip() or not _is_person(ctx, msg):
                continue
            if _RELAYED.match(msg.text):
                continue  # `[sB] relayed to sA`: a session's own note on the bridge
            named = _named(msg.text, patterns)
            if named:
                said.append((_Instruction.of(msg, names), named))
    queued = [m for m in ctx.board.messages if m.parsed and m.at is not None]
    for this, named in said:
        at = this.msg.at
        assert at is not None
        start, end = at.value - SKEW, at.value + window
        if ctx.now < end:
            continue  # the window is still open: a relay may yet come
        others = [o for o, _ in said if o is not this]
        window_messages = [m for m in queued if m.at is not None and start <= m.at.value <= end]
        missed = [
            sid
            for sid in named
            if not _relayed(ctx, sid, this, others, window_messages)
            and not _task_touched(ctx, sid, this, start, end)
        ]
        if not missed:
            continue
        msg = this.msg
        who = ", ".join(
            "everyone" if s == EVERYONE else (s if named[s] == s else f"{named[s]} ({s})")
            for s in missed
        )
        yield Hit.at(
            msg.source,
            f"Telegram message {msg.id} from {msg.sender} at {canonical(at.value)} names "
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
