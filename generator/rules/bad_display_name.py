"""A display name that is not 1–12 ASCII letters, or that two sessions use.

## What it finds

A scoreboard row whose display name (after the id in the Session cell) fails `^[A-Za-z]{1,12}$` —
digits, spaces, accents, more than 12 letters — and a name used by rows of two different sessions
(compared without case, as addresses are resolved). A missing name is a scoreboard-parse finding;
two rows of the same id are duplicate-claim's.

## Why it matters

Identity drift: `to:Sintra` is resolved through the names of the scoreboard; a name two sessions
share sends a message to whichever comes first, and a name outside the pattern cannot be used as an
address at all.

## Example

```
| sA · Sintra | Riff #412 | … |
| sB · sintra | Riff #415 | … |
| sC · São Paulo | Riff #420 | … |
```

## Fix

Pick an unused name from the project's name pool, letters only, at most 12, and write it after the
id: `sC · Lisbon`.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import DISPLAY_NAME, Context
from generator.model import ClaimRow, Severity
from generator.rules.base import Hit, Rule


def check(ctx: Context) -> Iterable[Hit]:
    first_by_name: dict[str, ClaimRow] = {}
    for row in ctx.board.scoreboard.rows:
        if row.session_id is None or not row.name:
            continue  # no id or no name at all: the reader reports it (scoreboard-parse)
        if not DISPLAY_NAME.match(row.name):
            yield Hit.at(
                row.source,
                f'{row.session_id} display name "{row.name}" is not 1–12 ASCII letters',
            )
        key = row.name.lower()
        first = first_by_name.setdefault(key, row)
        if first is not row and first.session_id != row.session_id:
            yield Hit.at(
                row.source,
                f'display name "{row.name}" of {row.session_id} is already used by '
                f"{first.label} (line {first.source.line})",
            )


RULE = Rule(
    name="bad-display-name",
    code="SB202",
    severity=Severity.ERROR,
    failure_mode="identity-drift",
    doc=__doc__ or "",
    check=check,
)
