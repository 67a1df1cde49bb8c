"""Readers never raise on what a file holds, and keep every line somewhere in the model."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.readers.mdtable import split_cells
from generator.readers.queue import read_queue
from generator.readers.scoreboard import read_scoreboard
from generator.readers.secrets import find_secrets

# Lines built from the characters that matter to the readers, so the odd cases come up often.
LINE = st.text(alphabet="|`\\·:#-*> sAB12TZ().\t", max_size=30)
FRAGMENTS = st.sampled_from(
    [
        "| Session | Task | Worktree | Claimed | Presence | Scope |",
        "|---|---|---|---|---|---|",
        "|---|---|",
        "| sA · Sintra | x | `session-sA` → PR, `[sA]` | 2026-05-31T11:40Z | 2026-05-31T11:40Z · | `a/**` |",
        "## 2026-05-31T15:00Z · from:sB · to:sA · type:info",
        "- ack · 2026-05-31T15:20Z · sA · seen",
        "```",
        "",
    ]
)
TEXT = st.lists(st.one_of(LINE, FRAGMENTS), max_size=30).map("\n".join)


def _non_blank(lines: list[str]) -> Counter[str]:
    return Counter(line for line in lines if line.strip())


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_scoreboard_never_raises_and_loses_nothing(text: str) -> None:
    text, _ = find_secrets(text)
    board, problems = read_scoreboard("active.md", text)
    lines = text.split("\n")
    assert all(p.source.line is None or 1 <= p.source.line <= len(lines) for p in problems)
    kept: list[str] = []
    for block in (*board.prose, *board.unparsed):
        kept.extend(block.text.split("\n"))
    kept.extend(row.raw for row in board.rows)
    if board.header_line is not None:
        kept.append(lines[board.header_line - 1])
        kept.append(lines[board.header_line])  # the delimiter row
    dropped = _non_blank(lines) - _non_blank(kept)
    # Only rows whose every cell is empty may be left out.
    assert all(not any(split_cells(line)) for line in dropped), dropped


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_queue_never_raises(text: str) -> None:
    queue, problems = read_queue("queue/to-sA.md", text)
    lines = text.split("\n")
    assert all(p.source.line is not None and 1 <= p.source.line <= len(lines) for p in problems)
    assert len({m.id for m in queue.messages}) == len(queue.messages)
