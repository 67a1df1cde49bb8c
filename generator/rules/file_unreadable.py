"""A board source that cannot be read: not UTF-8, a NUL byte, too large, or a link out of the repo.

## What it finds

Every board file (scoreboard, queue files, exports) that the reader had to skip: bytes that are not
UTF-8, a NUL byte, a file over `thresholds.max_file_bytes`, or a symbolic link that points outside
the repository. The reader files the problem; this rule reports it with the file's path.

## Why it matters

Unreadable board: a skipped file is a part of the blackboard nobody sees on the site, so a message
or claim in it is silently lost to every other session.

## Example

```
## 2026-05-31T15:00Z · from:sB · to:sA · type:info · status:sent

Lunch at the Café?        <- this file was saved as Latin-1: the "é" is the byte 0xE9

```

## Fix

Save the file as UTF-8 without NUL bytes, split or archive a file over the size limit, and replace a
link leaving the repository by the file itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules._common import problem_hits
from generator.rules.base import Hit, Rule

NAME = "file-unreadable"


def check(ctx: Context) -> Iterable[Hit]:
    return problem_hits(ctx, NAME)


RULE = Rule(
    name=NAME,
    code="SB101",
    severity=Severity.ERROR,
    failure_mode="unreadable-board",
    doc=__doc__ or "",
    check=check,
)
