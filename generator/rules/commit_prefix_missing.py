"""A commit that changes the blackboard without an `[sX]` session prefix in its subject.

## What it finds

A commit reachable from the built revision (merges aside) that touches the scoreboard, a queue file
or anything else in the scoreboard's folder, and whose subject does not start with a session prefix
such as `[sA]`. Commits by the authors listed in `human_commit_authors` (the person's own commits)
are allowed.

## Why it matters

Shared-tree race: the prefix is how every other check knows which session made a change — the
`commit-msg` hook refuses an `[sX]` that does not match the worktree, precisely so that a commit
made in the wrong tree is caught. A change to the board with no prefix cannot be attributed: its
acks and claims may belong to anyone, and liveness from the git log misses it.

## Example

```
a1b2c3d docs(ai-sessions): ack
  M docs/ai/sessions/queue/to-sA.md
```

## Fix

Commit board changes from the session's own worktree, where the hook adds and checks the prefix:
`[sA] docs(ai-sessions): ack sB question`. If the person edits the board by hand, add their git
author name to `human_commit_authors` in `statusboard.toml`.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity, SourceRef
from generator.rules._history import on_blackboard, short_paths
from generator.rules.base import Hit, Rule


def check(ctx: Context) -> Iterable[Hit]:
    people = set(ctx.config.human_commit_authors)
    for commit in ctx.board.history.commits:
        if commit.session is not None or commit.merge or commit.author in people:
            continue
        touched = [p for p in commit.paths if on_blackboard(ctx, p)]
        if not touched:
            continue
        yield Hit.at(
            SourceRef(touched[0]),
            f"{commit.label} by {commit.author} changes {short_paths(touched)} without an `[sX]` "
            "session prefix",
            commit=commit.short,
        )


RULE = Rule(
    name="commit-prefix-missing",
    code="SB401",
    severity=Severity.WARNING,
    failure_mode="shared-tree-race",
    doc=__doc__ or "",
    check=check,
)
