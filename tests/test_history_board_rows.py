"""The scoreboard's replay: rows added, removed or rewritten are read alone, as a whole read would.

A claim adds a row to the claim table and a release removes one; the walk then reads only the new
rows instead of the whole file. Random versions of a scoreboard, fed as `-U0` diffs, must give
the same rows and claim spans as a walk that reads every version whole.
"""

from __future__ import annotations

import difflib
import random
import re

import pytest

from generator.readers import history_board
from generator.readers.history_diff import FileDiff, Hunk
from generator.readers.queue_scan import is_ack_line

BOARD = "docs/ai/sessions/active.md"
HEADER = "| Session | Task | Worktree | Claimed | Presence | Scope |"


def _diff(old: list[str] | None, new: list[str]) -> FileDiff:
    """The `git diff -U0` of two versions, as history_diff parses it; the blob is the text."""
    blob = "\n".join(new)
    if old is None:
        return FileDiff(BOARD, "A", blob=blob, hunks=[Hunk(0, 0, 1, len(new), list(new))])
    hunks = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        n_old, n_new = i2 - i1, j2 - j1
        hunks.append(Hunk(i1 + (n_old > 0), n_old, j1 + (n_new > 0), n_new, list(new[j1:j2])))
    return FileDiff(BOARD, "M", blob=blob, hunks=hunks)


def _fetch(blob: str) -> bytes:
    return blob.encode() + b"\n"


def _row(rng: random.Random, n: int) -> str:
    sid = f"s{rng.choice('ABCDEFG')}"
    kind = rng.random()
    if kind < 0.6:
        return (
            f"| {sid} · Name{n} | Riff #{n} | `session-{sid}` → direct-to-main, `[{sid}]` "
            f"| 2026-05-30T{n % 24:02d}:01Z | 2026-05-30T{n % 24:02d}:0{n % 10}Z · | `a/**` |"
        )
    return rng.choice(
        [
            f"| {sid} · Short | task |",  # fewer cells than the header
            f"| {sid} | a | b | c | d | e | f | g |",  # more cells, no name
            "| (none yet) | | | | | |",  # no session id, no other cells
            "| | | | | | |",  # an empty row
            f"{sid} · Bare | no leading pipe | x | y | z | w",
            f"  | {sid} · Indented | x | x | x | x | x |",
            "text without cells",
            "",
            "> Reap rule: a stale row may be removed.",
            f"## {sid} heading",
            "|---|---|---|---|---|---|",
            f"| {sid} · Keyed | token: ghp_abcdefghijklmnopqrstuvwxyz0123456789 | x | x | x | x |",
            "| -----BEGIN PRIVATE KEY----- | x |",
            "    | indented code |",
        ]
    )


def _preamble(rng: random.Random) -> list[str]:
    return rng.choice(
        [
            ["# Active sessions", "", "One row per claimed session.", ""],
            ["# Active sessions", "A paragraph the table interrupts."],
            ["```", "an unclosed fence"],
            ["- a list item", ""],
            [],
        ]
    )


def _delimiter(rng: random.Random) -> str:
    return rng.choice(
        ["|---|---|---|---|---|---|"] * 4 + ["|---|---|", "| :-- | --: | - | - | - | - |"]
    )


def _versions(rng: random.Random, count: int) -> list[list[str]]:
    head = [*_preamble(rng), HEADER, _delimiter(rng)]
    body = [_row(rng, n) for n in range(rng.randint(0, 4))]
    tail = rng.choice([["", "> Reap rule."], [], ["> Reap rule."], ["", "## Notes", "| a | b |"]])
    out = [head + body + tail]
    for n in range(count):
        action = rng.random()
        if action < 0.35:  # a claim: a row anywhere in the body, or just after it
            body.insert(rng.randint(0, len(body)), _row(rng, n))
        elif action < 0.6 and body:  # a release
            del body[rng.randrange(len(body))]
        elif action < 0.8 and body:  # a heartbeat
            body[rng.randrange(len(body))] = _row(rng, n)
        elif action < 0.85:
            tail.insert(rng.randint(0, len(tail)), _row(rng, n))
        elif action < 0.9:
            head[-1] = _delimiter(rng)
        elif action < 0.95 and body:
            k = rng.randint(1, len(body))
            body[:k] = [_row(rng, n + i) for i in range(rng.randint(0, 3))]
        else:
            rng.shuffle(body)
        out.append(head + body + tail)
    return out


@pytest.mark.parametrize("seed", range(40))
def test_rows_read_alone_agree_with_whole_reads(seed: int) -> None:
    rng = random.Random(seed)
    fast = history_board.Walk(BOARD, "q", b"k" * 32)
    whole = history_board.Walk(BOARD, "q", b"k" * 32)
    previous: list[str] | None = None
    for n, lines in enumerate(_versions(rng, 40)):
        whole.board_delimiter = None  # never known: every change of shape reads the file whole
        fast.commit(f"c{n}", [_diff(previous, lines)], _fetch)
        whole.commit(f"c{n}", [_diff(previous, lines)], _fetch)
        assert fast.board_lines == whole.board_lines == lines
        assert history_board.dump(fast)["board"] == history_board.dump(whole)["board"], n
        previous = lines


def test_a_claim_and_a_release_read_no_whole_file(monkeypatch: pytest.MonkeyPatch) -> None:
    row = "| sA · Sintra | Riff #1 | `session-sA` → direct-to-main, `[sA]` | {t} | {t} · | `a/**` |"
    first = ["# Active sessions", "", HEADER, "|---|---|---|---|---|---|", "", "> Reap rule."]
    second = [*first[:4], row.format(t="2026-05-30T09:00Z"), *first[4:]]
    third = [*second[:4], row.format(t="2026-05-30T09:05Z").replace("sA", "sB"), *second[4:]]
    walk = history_board.Walk(BOARD, "q", b"k" * 32)
    walk.commit("c0", [_diff(None, first)], _fetch)
    reads: list[str] = []
    monkeypatch.setattr(
        history_board,
        "read_scoreboard",
        lambda path, text: reads.append(text),
    )
    walk.commit("c1", [_diff(first, second)], _fetch)
    walk.commit("c2", [_diff(second, third)], _fetch)
    walk.commit("c3", [_diff(third, [*third[:5], *third[6:]])], _fetch)
    assert reads == []
    assert sorted(walk.open) == ["sB"] and [s.session for s in walk.closed] == ["sA"]


def test_ack_lines_start_only_with_the_characters_checked_first() -> None:
    # The replay skips the ack-line regex for a line whose first character is not among these.
    spaces = {chr(c) for c in range(0x110000) if re.match(r"\s", chr(c))}
    assert spaces | set("-*+") == history_board._ACK_FIRST
    for first in sorted(spaces)[:40]:
        assert is_ack_line(f"{first}- ack · 2026-05-31T09:00Z · sA · seen")
