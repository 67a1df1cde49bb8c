"""Helpers shared by the rule modules: walking the model and naming things in messages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import NamedTuple, TypeVar, cast

from generator.analysis import AddressKind, Context, Resolved
from generator.model import Ack, Message, SourceRef, Stamp
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


_T = TypeVar("_T")


def shared(ctx: Context, compute: Callable[[Context], _T]) -> _T:
    """`compute(ctx)`, worked out for the first rule that asks and kept on the context for the
    others (rules each walking every message or commit for the same facts cost the most)."""
    if compute not in ctx.derived:
        ctx.derived[compute] = compute(ctx)
    return cast(_T, ctx.derived[compute])


class StampSite(NamedTuple):
    """One timestamp of the model, where it was written and what it is (for messages).

    A named tuple, and `what` built only when asked: the board has tens of thousands of stamps and
    the rules report a handful of them.
    """

    source: SourceRef
    stamp: Stamp
    owner: str  # the row's label, or the message's id
    field: str  # `Claimed`, `Presence`, `send time`, `re:`; for an ack line, who wrote it
    ack: bool = False

    @property
    def what(self) -> str:
        """`sA · Sintra Claimed`, `<message id> send time`, `ack by sA on <message id>`."""
        if self.ack:
            return f"ack by {self.field} on {self.owner}"
        return f"{self.owner} {self.field}"


def stamp_sites(ctx: Context) -> tuple[StampSite, ...]:
    """Every parsed timestamp of the board: claim rows, message headings (`re:` too), ack lines."""
    return shared(ctx, _stamp_sites)


def _stamp_sites(ctx: Context) -> tuple[StampSite, ...]:
    sites: list[StampSite] = []
    for row in ctx.board.scoreboard.rows:
        if row.claimed is not None:
            sites.append(StampSite(row.source, row.claimed, row.label, "Claimed"))
        if row.presence is not None:
            sites.append(StampSite(row.source, row.presence, row.label, "Presence"))
    for message in parsed_messages(ctx):
        if message.at is not None:
            sites.append(StampSite(message.source, message.at, message.id, "send time"))
        # `re:` is kept as text in the model; one that is no timestamp at all is dangling-reply's.
        reply_to = parse_stamp(message.re) if message.re else None
        if reply_to is not None:
            sites.append(StampSite(message.source, reply_to, message.id, "re:"))
        for ack in message.acks:
            if ack.at is not None:
                sites.append(StampSite(ack.source, ack.at, message.id, ack.by, True))
    return tuple(sites)


def parsed_messages(ctx: Context) -> tuple[Message, ...]:
    """Messages whose heading was read (the others are message-parse findings already)."""
    return shared(ctx, _parsed_messages)


def _parsed_messages(ctx: Context) -> tuple[Message, ...]:
    return tuple(m for m in ctx.board.messages if m.parsed)


def direct_messages(ctx: Context) -> tuple[Message, ...]:
    """The parsed messages that are not broadcasts (see `is_broadcast`), in board order."""
    return shared(ctx, _by_audience)[0]


def broadcasts(ctx: Context) -> tuple[Message, ...]:
    """The parsed messages that are broadcasts (see `is_broadcast`), in board order."""
    return shared(ctx, _by_audience)[1]


def _by_audience(ctx: Context) -> tuple[tuple[Message, ...], tuple[Message, ...]]:
    direct: list[Message] = []
    broadcast: list[Message] = []
    # `is_broadcast` reads the `to:` and the queue file only, and the board has few such pairs.
    verdicts: dict[tuple[str | None, str], bool] = {}
    for message in parsed_messages(ctx):
        pair = (message.to, message.queue)
        if pair not in verdicts:
            verdicts[pair] = is_broadcast(ctx, message)
        (broadcast if verdicts[pair] else direct).append(message)
    return tuple(direct), tuple(broadcast)


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
    newest: Ack | None = None
    for ack in message.acks:
        # `>=`: of equal times the later line wins
        if newest is None or _ack_time(ack) >= _ack_time(newest):
            newest = ack
    return newest


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
