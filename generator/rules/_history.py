"""Helpers for the rules reading the blackboard's history: claims at a moment, trails."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import PurePosixPath

from generator.analysis import DISPLAY_NAME, SESSION_ID, AddressKind, Context, Resolved
from generator.globs import covers, normalise
from generator.model import Ack, ClaimSpan, Commit, Message, MessageEvent, MessageTrail, SourceRef
from generator.readers.queue import recipient_of


def blackboard_paths(ctx: Context) -> tuple[str, str]:
    """The scoreboard and the queue folder (as walked, else as configured)."""
    walked = ctx.board.history.blackboard
    if len(walked) == 2:
        return walked[0], walked[1]
    return normalise(ctx.config.paths.scoreboard), normalise(ctx.config.paths.queue_dir)


def cut_short(ctx: Context) -> bool:
    """True in a shallow clone: the history before its boundary commits was never fetched."""
    return ctx.board.history.shallow


def known_before_cut(ctx: Context, address: str) -> bool:
    """True when `address` may name a session whose claim ended before a shallow clone's
    boundary: shaped like a session id or a display name, which only that lost history resolves.
    Rules that would call such an address unknown stay silent instead of guessing."""
    if not cut_short(ctx):
        return False
    text = address.strip()
    if text.startswith("agent:"):
        return False  # roster agents do not come from the claim history
    tag, colon, rest = text.partition(":")
    if colon and (ctx.config.project_tag is None or tag == ctx.config.project_tag):
        text = rest
    return bool(SESSION_ID.match(text) or DISPLAY_NAME.match(text))


def on_blackboard(ctx: Context, path: str) -> bool:
    """True for the scoreboard, the queue files and anything else in the scoreboard's folder.

    The folder holding the scoreboard (`docs/ai/sessions/`) is the sessions' coordination space:
    a claim, a message and an ack all live there, and nothing else does.
    """
    return _on_blackboard(blackboard_paths(ctx), path)


@lru_cache(maxsize=65536)
def _on_blackboard(walked: tuple[str, str], path: str) -> bool:
    scoreboard, queue_dir = walked
    folder = str(PurePosixPath(scoreboard).parent)
    if path == scoreboard or (queue_dir and path.startswith(queue_dir + "/")):
        return True
    return folder not in ("", ".") and path.startswith(folder + "/")


@lru_cache(maxsize=65536)
def claimed_by(pattern: str, path: str) -> bool:
    """`globs.covers`, remembered: history rules ask it for every commit's every path."""
    return covers(pattern, path)


@lru_cache(maxsize=65536)
def covering(patterns: tuple[str, ...], path: str) -> str | None:
    """The first of `patterns` that covers `path`, remembered: a claim row keeps its paths for
    many commits, and history rules ask for each commit's every path against every row."""
    return next((p for p in patterns if claimed_by(p, path)), None)


@dataclass(frozen=True, slots=True)
class Holding:
    """A claim row as it stood at one moment: its span and the paths it claimed then."""

    span: ClaimSpan
    paths: tuple[str, ...]

    @property
    def session(self) -> str:
        return self.span.session

    def covers(self, path: str) -> str | None:
        """The claimed path that covers `path`, if any."""
        return covering(self.paths, path)


def held_at(ctx: Context, moment: datetime) -> list[Holding]:
    """Every claim row on the scoreboard at `moment` (its adding and removing commits included)."""
    out = []
    for span in ctx.board.history.claims:
        if span.added.at > moment or (span.removed is not None and span.removed.at < moment):
            continue
        paths = span.scopes[0][1] if span.scopes else ()
        for commit, scope in span.scopes:
            if commit.at <= moment:
                paths = scope
        out.append(Holding(span, paths))
    return out


def message_index(ctx: Context) -> dict[tuple[str, str], Message]:
    """The board's messages by (queue path, message id): where a trail's message is now."""
    return {(m.source.path, m.id): m for m in ctx.board.messages}


def where(trail: MessageTrail, index: dict[tuple[str, str], Message]) -> SourceRef:
    """The heading of the trail's message on the board, or its queue file when it is gone."""
    message = index.get((trail.path, trail.id)) if trail.present else None
    return message.source if message is not None else SourceRef(trail.path)


def ack_line(message: Message | None, event: MessageEvent) -> Ack | None:
    """The board's ack line an `ack` event appended, when it is still there."""
    if message is None:
        return None
    for ack in message.acks:
        if ack.by != event.by or ack.state != event.state or ack.at is None:
            continue
        if event.at is None or ack.at.value == event.at:
            return ack
    return None


def recipient_of_trail(ctx: Context, trail: MessageTrail) -> Resolved:
    """Whom a message is for: its `to:`, else its queue file's recipient (as `recipient` does)."""
    return ctx.book.resolve(trail.to if trail.to else recipient_of(trail.path))


def is_broadcast_trail(ctx: Context, trail: MessageTrail) -> bool:
    return (
        recipient_of(trail.path) == "all"
        or recipient_of_trail(ctx, trail).kind is AddressKind.EVERYONE
    )


def who(commit: Commit) -> str:
    """`[sA]`-prefixed commits name their session; others their author."""
    return commit.session if commit.session else commit.author


def short_paths(paths: list[str], limit: int = 3) -> str:
    """`a.py, b.py and 4 more`."""
    shown = ", ".join(f"`{p}`" for p in paths[:limit])
    return shown + (f" and {len(paths) - limit} more" if len(paths) > limit else "")
