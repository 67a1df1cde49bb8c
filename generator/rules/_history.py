"""Helpers for the rules reading the blackboard's history: claims at a moment, trails."""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import PurePosixPath

from generator.analysis import DISPLAY_NAME, SESSION_ID, AddressKind, Context, Resolved
from generator.globs import covers, normalise
from generator.model import Ack, ClaimSpan, Commit, Message, MessageEvent, MessageTrail, SourceRef
from generator.readers.queue import recipient_of
from generator.rules._common import shared


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
    scoreboard, folders = _blackboard_folders(blackboard_paths(ctx))
    return path == scoreboard or path.startswith(folders)


@lru_cache(maxsize=16)
def _blackboard_folders(walked: tuple[str, str]) -> tuple[str, tuple[str, ...]]:
    """The scoreboard, and the prefixes (`folder/`) of the queue folder and the scoreboard's."""
    scoreboard, queue_dir = walked
    folder = str(PurePosixPath(scoreboard).parent)
    prefixes = [f"{queue_dir}/"] if queue_dir else []
    if folder not in ("", "."):
        prefixes.append(f"{folder}/")
    return scoreboard, tuple(prefixes)


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


def held_at(ctx: Context, moment: datetime) -> tuple[Holding, ...]:
    """Every claim row on the scoreboard at `moment` (its adding and removing commits included)."""
    timeline = shared(ctx, _timeline)
    t = moment.timestamp()
    k = bisect.bisect_left(timeline.bounds, t)
    if k < len(timeline.bounds) and timeline.bounds[k] == t:
        # A claim was added or removed right then: those commits count as inside the claim.
        held = tuple(claim for start, end, claim in timeline.windows if start <= t <= end)
    else:
        held = timeline.inside[k]
    out = []
    for first, changes in held:
        holding = first
        for since, changed in changes:
            if since <= t:
                holding = changed
        out.append(holding)
    return tuple(out)


# A claim as `held_at` reads it: the row with the paths it claimed first, and each later change
# of its Scope (since when, the row with the new paths), in the history's order. Times are POSIX
# seconds: floats compare several times faster than datetimes.
_Claim = tuple[Holding, tuple[tuple[float, Holding], ...]]


@dataclass(frozen=True, slots=True)
class _Timeline:
    """The claims on the scoreboard over time, indexed for `held_at`: rules ask it for hundreds of
    commits, and there are hundreds of claims."""

    windows: tuple[tuple[float, float, _Claim], ...]  # (added, removed or inf, the claim)
    bounds: list[float]  # every time a claim was added or removed, sorted
    # inside[k]: the claims held all through the gap between bounds[k - 1] and bounds[k] (the
    # last: after every bound), in the history's order. Between two bounds nothing changes.
    inside: list[tuple[_Claim, ...]]


def _timeline(ctx: Context) -> _Timeline:
    windows = []
    for span in ctx.board.history.claims:
        first = Holding(span, span.scopes[0][1] if span.scopes else ())
        later = tuple((commit.at.timestamp(), Holding(span, s)) for commit, s in span.scopes[1:])
        removed = span.removed.at.timestamp() if span.removed is not None else math.inf
        windows.append((span.added.at.timestamp(), removed, (first, later)))
    changes: dict[float, tuple[list[int], list[int]]] = {}
    for i, (start, end, _claim) in enumerate(windows):
        changes.setdefault(start, ([], []))[0].append(i)
        changes.setdefault(end, ([], []))[1].append(i)
    bounds = sorted(changes)
    inside = []
    held: set[int] = set()
    for bound in bounds:
        inside.append(tuple([windows[i][2] for i in sorted(held)]))
        came, went = changes[bound]
        held.update(came)
        held.difference_update(went)
    inside.append(tuple([windows[i][2] for i in sorted(held)]))
    return _Timeline(tuple(windows), bounds, inside)


def worked_on(ctx: Context) -> tuple[tuple[Commit, tuple[str, ...]], ...]:
    """Each commit but merges, newest first, with the paths it changed off the blackboard (what
    claims are about); commits that changed nothing else are left out."""
    return shared(ctx, _worked_on)


def _worked_on(ctx: Context) -> tuple[tuple[Commit, tuple[str, ...]], ...]:
    scoreboard, folders = _blackboard_folders(blackboard_paths(ctx))
    found = []
    for commit in ctx.board.history.commits:
        if commit.merge:
            continue
        touched = [p for p in commit.paths if p != scoreboard and not p.startswith(folders)]
        if touched:
            found.append((commit, tuple(touched)))
    return tuple(found)


def message_of(ctx: Context, trail: MessageTrail) -> Message | None:
    """The trail's message as it is on the board now, if it still is."""
    if not trail.present:
        return None
    # Built on first use only: the rules ask for the few trails they report.
    return shared(ctx, _message_index).get((trail.path, trail.id))


def _message_index(ctx: Context) -> dict[tuple[str, str], Message]:
    return {(m.source.path, m.id): m for m in ctx.board.messages}


def where(ctx: Context, trail: MessageTrail) -> SourceRef:
    """The heading of the trail's message on the board, or its queue file when it is gone."""
    message = message_of(ctx, trail)
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
