"""Helpers shared by the rule modules: walking the model and naming things in messages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from generator.analysis import AddressKind, Context, Resolved
from generator.model import Ack, Board, Message, SourceRef, Stamp
from generator.rules.base import Hit
from generator.timeutil import canonical, human_age, parse_stamp


def problem_hits(ctx: Context, rule: str) -> Iterator[Hit]:
    """The reader's problems filed under `rule`, as hits (the parsing rules only surface these)."""
    for problem in ctx.board.problems:
        if problem.rule == rule:
            yield Hit.at(problem.source, problem.message)


def message_label(message: Message) -> str:
    """`<id> (handoff from sB to sA)`: the message id plus what it is, for every queue finding."""
    kind = message.type or "message"
    return f"{message.id} ({kind} from {message.sender or '?'} to {message.to or '?'})"


def ago(now: datetime, then: datetime) -> str:
    """`9 h ago`, for messages that say how old a thing is."""
    return f"{human_age(now - then)} ago"


def when(value: datetime) -> str:
    """A time in the board's own canonical form."""
    return canonical(value)


@dataclass(frozen=True, slots=True)
class StampSite:
    """One timestamp of the model, where it was written and what it is (for messages)."""

    source: SourceRef
    what: str  # `sA · Sintra Claimed`, `<message id> send time`, `ack by sA on <message id>`
    stamp: Stamp


def iter_stamps(board: Board) -> Iterator[StampSite]:
    """Every parsed timestamp of the board: claim rows, message headings (`re:` too), ack lines."""
    for row in board.scoreboard.rows:
        if row.claimed is not None:
            yield StampSite(row.source, f"{row.label} Claimed", row.claimed)
        if row.presence is not None:
            yield StampSite(row.source, f"{row.label} Presence", row.presence)
    for message in board.messages:
        if not message.parsed:
            continue
        if message.at is not None:
            yield StampSite(message.source, f"{message.id} send time", message.at)
        # `re:` is kept as text in the model; one that is no timestamp at all is dangling-reply's.
        reply_to = parse_stamp(message.re) if message.re else None
        if reply_to is not None:
            yield StampSite(message.source, f"{message.id} re:", reply_to)
        for ack in message.acks:
            if ack.at is not None:
                yield StampSite(ack.source, f"ack by {ack.by} on {message.id}", ack.at)


def parsed_messages(board: Board) -> Iterator[Message]:
    """Messages whose heading was read (the others are message-parse findings already)."""
    return (m for m in board.messages if m.parsed)


def body_file_lines(ctx: Context, message: Message) -> list[int]:
    """The file line of each line of `message.body`, or [] when the file text is not known.

    The body is the block's lines after the heading, ack lines removed and blank ends trimmed, so
    its lines are matched in order against the block's lines.
    """
    text = next((s.text for s in ctx.board.sources if s.path == message.source.path), None)
    if text is None or message.source.line is None:
        return []
    lines = text.split("\n")
    end = min(message.end_line, len(lines))
    numbers: list[int] = []
    i = message.source.line  # 0-based index of the line after the heading
    for body_line in message.body.split("\n"):
        while i < end and lines[i] != body_line:
            i += 1
        if i >= end:
            return []
        numbers.append(i + 1)
        i += 1
    return numbers


def resolve(ctx: Context, address: str | None) -> Resolved:
    """`ctx.book.resolve`, kept here so every rule resolves the same way."""
    return ctx.book.resolve(address)


def recipient(ctx: Context, message: Message) -> Resolved:
    """Whom a message is for: its `to:`, or the queue file's recipient when `to:` is missing."""
    return ctx.book.resolve(message.to if message.to else message.queue)


def is_broadcast(ctx: Context, message: Message) -> bool:
    """A message in `to-all.md` or addressed to everyone (`all`, `po:*`)."""
    return message.is_broadcast or recipient(ctx, message).kind is AddressKind.EVERYONE


def newest_ack(message: Message) -> Ack | None:
    """The newest ack line: latest time, file order breaking ties (and standing in for no time)."""
    if not message.acks:
        return None
    order = range(len(message.acks))
    newest = max(order, key=lambda i: (_ack_time(message.acks[i]), i))
    return message.acks[newest]


def _ack_time(ack: Ack) -> datetime:
    return ack.at.value if ack.at is not None else datetime.min.replace(tzinfo=UTC)


def ack_session(ctx: Context, ack: Ack) -> str:
    """The session id an ack line's `by` names, or the text as written when it resolves to none."""
    resolved = ctx.book.resolve(ack.by)
    return resolved.id if resolved.kind is AddressKind.SESSION and resolved.id else ack.by.strip()


def snippet(text: str, limit: int = 60) -> str:
    """One line of `text`, cut to `limit` characters, for quoting in a message."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
