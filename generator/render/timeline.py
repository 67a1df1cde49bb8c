"""The Scoreboard's timeline of claims and presence over the history: one inline SVG per build.

One lane per session; each claim row is an outlined bar from the commit that added it to the one
that removed it (or now), shaded by the session's liveness at each moment (live, idle, stale — from
the same signs of life the rules use), with a tick for every Presence value the row held. Days are
gridlines, weeks when days get too narrow. The drawing is quantised to its pixel columns, so weeks
of heartbeats give at most one shape per column and lane: the SVG stays small however long the
history. Everything is computed from the Result, so the same build gives the same bytes.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from markupsafe import Markup, escape

from generator.model import ClaimSpan, PresenceBeat
from generator.result import Result
from generator.timeutil import canonical

WIDTH = 1000
LABEL = 118  # the lane names' column
RIGHT = 14
TOP = 26  # the day labels' row
LANE = 24
BAR = 14
TICK = 2  # pixel columns per Presence tick
# Label widths in viewBox units at the chart's 11px font: an estimate per character (sans-serif,
# digits and lower case; the bold `now` a little wider), and the gap kept between two labels.
CHAR = 6.5
NOW_LABEL = 24.0
LABEL_GAP = 6.0
_STATES = ("", "stale", "idle", "live")  # index = how alive: more alive wins a pixel column
_AT_LEAST = {level: bytes(max(v, level) for v in range(256)) for level in range(len(_STATES))}


@dataclass(frozen=True, slots=True)
class Timeline:
    """The SVG and what its caption says."""

    svg: Markup
    sessions: int
    claims: int
    beats: int
    start: datetime
    end: datetime


def claims_timeline(result: Result) -> Timeline | None:
    """The timeline of `result`'s claim history; None when the scoreboard has no history."""
    claims = result.board.history.claims
    if not claims:
        return None
    now = result.now
    start = min(c.added.at for c in claims)
    end = max([now, *(c.removed.at for c in claims if c.removed is not None)])
    start = start.replace(minute=0, second=0, microsecond=0)
    if end - start < timedelta(hours=6):
        # A young board: at least six hours, ending at now (never a strip of the future).
        start = end - timedelta(hours=6)
    lanes: dict[str, list[ClaimSpan]] = {}
    for span in sorted(claims, key=lambda c: (c.session, c.added.at)):
        lanes.setdefault(span.session, []).append(span)
    chart = _Chart(start, end, len(lanes))
    parts = [chart.grid(now), chart.now_marker(now)]
    for row, (sid, spans) in enumerate(lanes.items()):
        parts.append(chart.lane(row, sid, spans, result))
    svg = chart.frame("".join(parts), len(lanes))
    beats = sum(len(s.beats) for s in claims)
    return Timeline(svg, len(lanes), len(claims), beats, start, end)


class _Chart:
    def __init__(self, start: datetime, end: datetime, lanes: int) -> None:
        self.start, self.end = start, end
        self.plot = WIDTH - LABEL - RIGHT
        self.seconds = (end - start).total_seconds()
        self.height = TOP + lanes * LANE + 6

    def x(self, at: datetime) -> float:
        """The x of a moment, clamped to the plot."""
        frac = (at - self.start).total_seconds() / self.seconds
        return LABEL + min(max(frac, 0.0), 1.0) * self.plot

    def column(self, at: datetime) -> int:
        return min(int(self.x(at) - LABEL), self.plot - 1)

    def frame(self, body: str, lanes: int) -> Markup:
        label = (
            f"Claims and presence of {lanes} session{'s' if lanes != 1 else ''} from "
            f"{canonical(self.start)} to {canonical(self.end)}"
        )
        return Markup(
            f'<svg xmlns="http://www.w3.org/2000/svg" class="sb-timeline-svg" role="img" '
            f'viewBox="0 0 {WIDTH} {self.height}" aria-label="{escape(label)}">'
            f"<title>{escape(label)}</title>{body}</svg>"
        )

    def grid(self, now: datetime) -> str:
        """Day (or week) gridlines with their labels (none where the `now` label goes); hours
        on a board younger than two days, where days alone would leave the strip unmarked."""
        if self.seconds <= 2 * 86400:
            return self.hours_grid(now)
        now_left, now_right = self.now_label_span(now)
        per_day = self.plot / (self.seconds / 86400)
        step_days = 1 if per_day >= 26 else 7
        day = self.start.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        if step_days == 7:
            day += timedelta(days=(7 - day.weekday()) % 7)  # Mondays
        out = []
        while day < self.end:
            x = self.x(day)
            weekly = step_days == 7 or day.weekday() == 0
            css = "sb-tl-week" if weekly else "sb-tl-grid"
            out.append(
                f'<line class="{css}" x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{self.height}"/>'
            )
            text = None
            if per_day * step_days >= 26:
                text = day.strftime("%d %b") if day.day == 1 or weekly else day.strftime("%a %d")
            elif per_day >= 3 and day.day == 1:
                text = day.strftime("%b")
            # A label starts 3 units right of its line; it is dropped where it would run into
            # the `now` label or past the right edge.
            left, right = x + 3, x + 3 + len(text or "") * CHAR
            clear = right <= WIDTH and (
                right + LABEL_GAP <= now_left or left >= now_right + LABEL_GAP
            )
            if text is not None and clear:
                out.append(f'<text class="sb-tl-day" x="{left:.1f}" y="{TOP - 10}">{text}</text>')
            day += timedelta(days=step_days)
        return "".join(out)

    def hours_grid(self, now: datetime) -> str:
        """Gridlines every 1, 2, 3, 6 or 12 hours (the first at least 40 units apart), labelled
        `HH:00`, or the date at midnight."""
        now_left, now_right = self.now_label_span(now)
        per_hour = self.plot / (self.seconds / 3600)
        step = next((h for h in (1, 2, 3, 6, 12) if per_hour * h >= 40), 24)
        at = self.start.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        while at.hour % step:
            at += timedelta(hours=1)
        out = []
        while at < self.end:
            x = self.x(at)
            css = "sb-tl-week" if at.hour == 0 else "sb-tl-grid"
            out.append(
                f'<line class="{css}" x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{self.height}"/>'
            )
            text = at.strftime("%d %b") if at.hour == 0 else at.strftime("%H:00")
            left, right = x + 3, x + 3 + len(text) * CHAR
            clear = right <= WIDTH and (
                right + LABEL_GAP <= now_left or left >= now_right + LABEL_GAP
            )
            if clear:
                out.append(f'<text class="sb-tl-day" x="{left:.1f}" y="{TOP - 10}">{text}</text>')
            at += timedelta(hours=step)
        return "".join(out)

    def now_label_span(self, now: datetime) -> tuple[float, float]:
        """Where the `now` label sits: left and right x (it turns left near the right edge)."""
        x = self.x(now)
        if self._now_anchor(x) == "end":
            return x - 3 - NOW_LABEL, x - 3
        return x + 3, x + 3 + NOW_LABEL

    @staticmethod
    def _now_anchor(x: float) -> str:
        return "end" if x > WIDTH - 60 else "start"

    def now_marker(self, now: datetime) -> str:
        x = self.x(now)
        anchor = self._now_anchor(x)
        tx = x - 3 if anchor == "end" else x + 3
        return (
            f'<line class="sb-tl-now" x1="{x:.1f}" y1="{TOP - 4}" x2="{x:.1f}" y2="{self.height}"/>'
            f'<text class="sb-tl-nowlabel" x="{tx:.1f}" y="{TOP - 10}" text-anchor="{anchor}">'
            f"now</text>"
        )

    def lane(self, row: int, sid: str, spans: list[ClaimSpan], result: Result) -> str:
        y = TOP + row * LANE
        bar = y + (LANE - BAR) / 2
        name = spans[-1].label
        out = [
            f'<rect class="sb-tl-lane" x="{LABEL}" y="{y + 1}" width="{self.plot}" '
            f'height="{LANE - 2}" rx="2"/>',
            f'<text class="sb-tl-name" x="4" y="{y + LANE / 2 + 4:.1f}">'
            f"<title>{escape(name)}</title>{escape(_clip(name, 17))}</text>",
        ]
        # One path per state and lane: a run of pixel columns is `M x y h w v H h -w z`.
        runs: dict[int, list[str]] = {}
        for state, a, b in _runs(self._shading(sid, spans, result)):
            runs.setdefault(state, []).append(f"M{LABEL + a} {bar:.0f}h{b - a}v{BAR}h-{b - a}z")
        for state in sorted(runs):
            out.append(f'<path class="sb-tl-{_STATES[state]}" d="{"".join(runs[state])}"/>')
        for span in spans:
            x1 = self.x(span.added.at)
            x2 = self.x(span.removed.at if span.removed is not None else result.now)
            width = max(x2 - x1, 1)
            out.append(
                f'<rect class="sb-tl-claim" x="{x1:.1f}" y="{bar:.1f}" width="{width:.1f}" '
                f'height="{BAR}" rx="2">'
                f"<title>{escape(_span_title(span, result.board.history.boundary))}</title></rect>"
            )
        ticks = [
            f'<path d="M{LABEL + column + 0.5:.1f} {bar - 3:.0f}v7">'
            f"<title>{escape(_beat_title(sid, beats))}</title></path>"
            for column, beats in self._beats(spans)
        ]
        if ticks:
            out.append(f'<g class="sb-tl-beat">{"".join(ticks)}</g>')
        return "".join(out)

    def _shading(self, sid: str, spans: list[ClaimSpan], result: Result) -> bytearray:
        """Per pixel column, how alive the session was while it held a row (0: no row)."""
        config = result.config.thresholds
        live, stale = timedelta(minutes=config.live_minutes), timedelta(hours=config.stale_hours)
        shade = bytearray(self.plot)
        signs = result.context.seen_times.get(sid, ())
        for span in spans:
            a = span.added.at
            b = span.removed.at if span.removed is not None else result.now
            if b <= a:
                continue
            self._paint(shade, a, b, 1)
            # Only the signs that shade this span: sign + stale >= a and sign <= b. Overlapping
            # windows are painted once, as one (a heartbeat every few minutes, each for hours).
            near = signs[bisect_left(signs, a - stale) : bisect_right(signs, b)]
            for level, window in ((2, stale), (3, live)):
                for start, end in _merged((max(s, a), min(s + window, b)) for s in near):
                    self._paint(shade, start, end, level)
        return shade

    def _paint(self, shade: bytearray, a: datetime, b: datetime, level: int) -> None:
        if b < a:
            return
        first = self.column(a)
        lo, hi = max(first, 0), max(self.column(b), first) + 1
        shade[lo:hi] = shade[lo:hi].translate(_AT_LEAST[level])  # each column: max(it, level)

    def _beats(self, spans: Iterable[ClaimSpan]) -> list[tuple[int, list[PresenceBeat]]]:
        """Presence values by pixel column: one tick per column, its title naming them all."""
        columns: dict[int, list[PresenceBeat]] = {}
        for span in spans:
            for beat in span.beats[1:]:  # the first is the claim's own Presence
                moment = beat.at or beat.commit.at
                if self.start <= moment <= self.end:
                    # two columns per tick: weeks of heartbeats stay apart and the SVG small
                    column = self.column(moment) // TICK * TICK
                    columns.setdefault(column, []).append(beat)
        return sorted(columns.items())


def _merged(
    intervals: Iterable[tuple[datetime, datetime]],
) -> Iterator[tuple[datetime, datetime]]:
    """Intervals in order of their starts and ends, empty ones dropped, overlapping ones joined."""
    current: tuple[datetime, datetime] | None = None
    for start, end in intervals:
        if end < start:
            continue
        if current is not None and start <= current[1]:
            current = (current[0], max(current[1], end))
            continue
        if current is not None:
            yield current
        current = (start, end)
    if current is not None:
        yield current


def _runs(shade: bytearray) -> list[tuple[int, int, int]]:
    """(state, first column, end column) of each run of one non-zero state."""
    out: list[tuple[int, int, int]] = []
    start = 0
    for i in range(1, len(shade) + 1):
        if i == len(shade) or shade[i] != shade[start]:
            if shade[start]:
                out.append((shade[start], start, i))
            start = i
    return out


def _span_title(span: ClaimSpan, boundary: tuple[str, ...] = ()) -> str:
    # A row already there at a shallow clone's boundary: when and by whom it was added is in
    # the history that was not fetched.
    added = (
        f"already claimed at the shallow clone's boundary {span.added.label}"
        if span.added.sha in boundary
        else f"claimed {_when(span.added.at)} in {span.added.label}"
    )
    removed = (
        f"removed {_when(span.removed.at)} in {span.removed.label}"
        if span.removed is not None
        else "still claimed"
    )
    paths = sorted({p for _c, scope in span.scopes for p in scope})
    scope = f"; paths: {', '.join(paths)}" if paths else ""
    beats = len(span.beats) - 1
    return f"{span.label}: {added}; {removed}; {beats} Presence update{'s' * (beats != 1)}{scope}"


def _beat_title(sid: str, beats: list[PresenceBeat]) -> str:
    first = beats[0]
    when = first.at.strftime("%d %b %H:%M") if first.at is not None else "no time"
    detail = f" · {first.detail}" if first.detail else ""
    more = f" +{len(beats) - 1}" if len(beats) > 1 else ""
    return f"{sid} {when}{detail} ({first.commit.short}){more}"


def _when(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def columns_per_day(timeline: Timeline) -> float:
    """How wide a day is in the drawing (for tests of readability)."""
    days = (timeline.end - timeline.start).total_seconds() / 86400
    return math.inf if days == 0 else (WIDTH - LABEL - RIGHT) / days
