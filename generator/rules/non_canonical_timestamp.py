"""A timestamp not written as `YYYY-MM-DDTHH:MMZ`; a missing zone is read as UTC.

## What it finds

Every timestamp of the scoreboard (`Claimed`, `Presence`), of message headings (the send time and
`re:`) and of ack lines that the reader accepted but that is not in the canonical form: seconds, an
offset such as `+01:00`, a space instead of `T`, or no zone at all. The message says how it was
read; a timestamp without a zone was taken as UTC, which is a guess.

## Why it matters

Unreadable board: a local time without a zone is read hours off, which shifts liveness, ack waiting
times and the order of messages; and `re:` threads a reply by the exact canonical send time.

## Example

```
| sA · Sintra | Riff #412 | … | 2026-05-31 13:40 | 2026-05-31T15:00:12+01:00 · a1b2c3d | … |
```

## Fix

Write UTC at minute precision with a trailing `Z`: `2026-05-31T11:40Z` (`date -u +%Y-%m-%dT%H:%MZ`).
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity, SourceRef, Stamp
from generator.rules._common import stamp_sites, when
from generator.rules.base import Hit, Rule


def _hit(source: SourceRef, what: str, stamp: Stamp) -> Hit:
    read = when(stamp.value)
    if not stamp.had_zone:
        why = f"has no zone; UTC was assumed ({read})"
    else:
        why = f"is not YYYY-MM-DDTHH:MMZ; read as {read}"
    return Hit.at(source, f'{what} "{stamp.raw}" {why}')


def check(ctx: Context) -> Iterable[Hit]:
    for site in stamp_sites(ctx):
        if not site.stamp.canonical:
            yield _hit(site.source, site.what, site.stamp)


RULE = Rule(
    name="non-canonical-timestamp",
    code="SB105",
    severity=Severity.INFO,
    failure_mode="unreadable-board",
    doc=__doc__ or "",
    check=check,
)
