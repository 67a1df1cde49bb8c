"""Timestamps of the board: the canonical `YYYY-MM-DDTHH:MMZ` form and the variants readers accept."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

from generator.model import Stamp, utc_iso

CANONICAL = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$")

# Liberal on input: `T` or a space, optional seconds and fraction, `Z`, `+01:00`, `+0100`, `UTC`, or
# no zone at all (taken as UTC and reported).
_STAMP = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<zone>Z|z|UTC|[+-]\d{2}:?\d{2})?$"
)


def parse_stamp(text: str) -> Stamp | None:
    """Read one timestamp as the board writes it; None when it is not a timestamp at all."""
    raw = text.strip()
    if len(raw) == 17 and CANONICAL.match(raw) and raw[11:13] != "24":
        # The form nearly every stamp of a board has (each message and ack holds one), read in C
        # at a tenth of the general path's cost. Not `T24:00`, which Python may one day accept.
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            pass  # not a date, or digits beyond ASCII: the general path has the last word
        else:
            return Stamp(value=value, raw=raw, canonical=True, had_zone=True)
    m = _STAMP.match(raw)
    if not m:
        return None
    try:
        year, month, day = (int(x) for x in m["date"].split("-"))
        naive = datetime(year, month, day, int(m["h"]), int(m["m"]), int(m["s"] or 0))
        zone = m["zone"]
        if zone is None or zone in ("Z", "z", "UTC"):
            tz: timezone = UTC
        else:
            sign = 1 if zone[0] == "+" else -1
            digits = zone[1:].replace(":", "")
            tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        value = naive.replace(tzinfo=tz).astimezone(UTC)
    except (ValueError, OverflowError):
        # Not a date (`02-30`), an offset of a day or more (`+25:00`), or a time that falls
        # outside the years datetime holds once moved to UTC (`0001-01-01T00:00+01:00`).
        return None
    return Stamp(
        value=value, raw=raw, canonical=bool(CANONICAL.match(raw)), had_zone=zone is not None
    )


def parse_now(text: str) -> datetime:
    """Read `--now`; raises ValueError with a clear message when it is not a timestamp."""
    stamp = parse_stamp(text)
    if stamp is None:
        raise ValueError(f"--now {text!r} is not a timestamp (expected YYYY-MM-DDTHH:MMZ)")
    return stamp.value


@lru_cache(maxsize=1 << 16)  # status.json names the same commit times thousands of times
def iso(value: datetime) -> str:
    """ISO 8601 UTC with seconds: the form of every machine output."""
    return utc_iso(value.astimezone(UTC))


def canonical(value: datetime) -> str:
    """The board's own canonical form, minute precision."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def human_age(delta: timedelta) -> str:
    """A short age for people: `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`."""
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    if seconds < 60:
        return f"{sign}{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{sign}{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{sign}{hours} h {minutes} min" if minutes else f"{sign}{hours} h"
    days, hours = divmod(hours, 24)
    return f"{sign}{days} d {hours} h" if hours else f"{sign}{days} d"


def since_age(delta: timedelta) -> str:
    """How long something has waited, for people: `human_age`, or `in the future (2 h ahead)`
    when it is dated after now (a wait is never negative; the `future-timestamp` rule says why)."""
    if delta.total_seconds() >= 0:
        return human_age(delta)
    return f"in the future ({human_age(-delta)} ahead)"


def clock_minutes(text: str) -> int | None:
    """`08:30` as minutes since midnight; None when it is not a time of day."""
    hours, sep, minutes = text.strip().partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        return None
    value = int(hours) * 60 + int(minutes)
    return value if int(hours) <= 24 and int(minutes) < 60 and value <= 24 * 60 else None
