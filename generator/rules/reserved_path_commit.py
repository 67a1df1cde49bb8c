"""A commit touching files another agent had reserved in Agent Mail.

## What it finds

A commit made while an exclusive MCP Agent Mail reservation was in force that changes a file the
reservation's pattern covers, when the commit is another agent's: its author, or the `[Name]`
its subject starts with, is an Agent Mail agent other than the reservation's holder. Commits
that name no Agent Mail agent are not judged (nothing says whose they are).

## Why it matters

Shared-tree race: the reservation told everyone else to keep off those files; a commit into them
is the overwrite the reservation was there to prevent.

## Example

```
GreenCastle holds src/api/** (exclusive) 10:00–11:00
10:20 a1b2c3d “[BlueLake] fix routes” changes src/api/routes.py
```

## Fix

Coordinate with the holder in Agent Mail before touching reserved files; hold a reservation of
your own (the holder releases or narrows theirs first).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.agent_activity import active_at
from generator.analysis import Context
from generator.globs import covers
from generator.model import Commit, Severity
from generator.rules.base import Hit, Rule

_BRACKET = re.compile(r"^\s*\[(?P<name>[^\]\s]+)\]")


def _agent(commit: Commit, names: dict[str, str]) -> str | None:
    m = _BRACKET.match(commit.subject)
    if m and m["name"].lower() in names:
        return names[m["name"].lower()]
    return names.get(commit.author.strip().lower())


def check(ctx: Context) -> Iterable[Hit]:
    mail = ctx.board.mail
    if mail is None or not mail.reservations:
        return
    names = {p.name.lower(): p.name for p in mail.profiles}
    names.update({r.agent.lower(): r.agent for r in mail.reservations})
    leases = [r for r in mail.reservations if r.exclusive]
    for commit in ctx.board.history.commits:
        who = _agent(commit, names)
        if who is None:
            continue
        for lease in leases:
            if lease.agent == who or not active_at(lease, commit.at):
                continue
            touched = [p for p in commit.paths if covers(lease.pattern, p)]
            if touched:
                shown = ", ".join(f"`{p}`" for p in touched[:3])
                more = f" and {len(touched) - 3} more" if len(touched) > 3 else ""
                yield Hit.at(
                    lease.source,
                    f"{commit.label} by {who} changes {shown}{more}, reserved exclusively by "
                    f"{lease.agent} (`{lease.pattern}`)",
                    commit=commit.short,
                )


RULE = Rule(
    name="reserved-path-commit",
    code="SB714",
    severity=Severity.WARNING,
    failure_mode="shared-tree-race",
    doc=__doc__ or "",
    check=check,
)
