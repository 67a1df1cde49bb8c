"""A credential written into a board source; the value is redacted everywhere the tool writes.

## What it finds

API keys and bearer tokens, `BASS_API_KEY=…` assignments, chat-bot tokens (`123456789:AA…`), GitHub
tokens (`ghp_…`, `github_pat_…`), cloud access keys (`AKIA…`) and private-key blocks in any board
source. The reader finds and redacts them before anything else sees the text; this rule reports each
one with only a masked prefix of the value.

## Why it matters

Leaked secret: the board is published as a static site and its files are in git, so a token pasted
into a message is readable by anyone who can read the site or the history.

## Example

```
## 2026-05-31T15:00Z · from:sB · to:sA · type:info · status:sent

The BASS key is BASS_API_KEY=sk_live_4f9a…, use it for the import.
```

## Fix

Revoke and rotate the credential first (it is in the git history), then remove it from the file and
pass secrets through the environment or a secret store, never through the board.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules._common import problem_hits
from generator.rules.base import Hit, Rule

NAME = "secret-in-board"


def check(ctx: Context) -> Iterable[Hit]:
    return problem_hits(ctx, NAME)


RULE = Rule(
    name=NAME,
    code="SB901",
    severity=Severity.ERROR,
    failure_mode="leaked-secret",
    doc=__doc__ or "",
    check=check,
)
