"""`history_diff.changes` (a change worked out from the old and the new version of a file) gives
the walk the same text as git's own diff would: applied to the old version's lines, its hunk
gives exactly the lines git's `-U0` hunks give, on random edits of queue-like files."""

from __future__ import annotations

import random
import re
import subprocess
from pathlib import Path

import pytest

from generator.readers.history_board import _apply, fetch_lines
from generator.readers.history_diff import FileDiff, Hunk, changes

HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
PIECES = [
    b"## 2026-05-31T10:00Z \xc2\xb7 from:sA \xc2\xb7 to:sB \xc2\xb7 status:sent\n",
    b"\n",
    b"body line\n",
    b"- ack \xc2\xb7 2026-05-31T10:05Z \xc2\xb7 sB \xc2\xb7 seen\n",
    b"x",
    b"\r\n",
    b"y\n",
    b"\n\n",
    b"z\r\n",
    b"last",
    b"\r",
    b"caf\xc3\xa9 \xe2\x80\x94 \xff\n",  # a character, and a byte that is not UTF-8
]


def lines_of(data: bytes) -> list[str] | None:
    return fetch_lines(lambda _: data, "x")


def git_diff(repo: Path, old: bytes, new: bytes) -> FileDiff:
    def blob(data: bytes) -> str:
        done = subprocess.run(
            ["git", "-C", str(repo), "hash-object", "-w", "--stdin"],
            input=data,
            capture_output=True,
            check=True,
        )
        return done.stdout.decode().strip()

    diff = ["git", "-C", str(repo), "-c", "core.bigFileThreshold=2047m", "diff", "-U0"]
    diff += ["--inter-hunk-context=0", "--no-color", "--no-ext-diff", "--no-textconv"]
    out = subprocess.run([*diff, blob(old), blob(new)], capture_output=True, check=True).stdout
    return git_hunks(out)


def git_hunks(out: bytes) -> FileDiff:
    """git's `-U0` output as the hunks the walk applies (added lines normalised as `changes`
    normalises them: a trailing CR dropped, a byte-order mark at the file's start removed)."""
    found = FileDiff("x")
    hunk: Hunk | None = None
    for line in out.split(b"\n"):
        if line.startswith(b"Binary files "):
            found.binary = True
        elif m := HUNK.match(line):
            old, n_old, new, n_new = m.groups()
            hunk = Hunk(int(old), int(n_old or 1), int(new), int(n_new or 1))
            found.hunks.append(hunk)
        elif hunk is not None and line.startswith(b"+"):
            text = (line[1:-1] if line.endswith(b"\r") else line[1:]).decode("utf-8", "replace")
            if hunk.new == 1 and not hunk.lines and text.startswith("\ufeff"):
                text = text[1:]
            hunk.lines.append(text)
    return found


@pytest.mark.parametrize("seed", [1, 2])
def test_a_change_gives_the_lines_git_s_diff_gives(tmp_path: Path, seed: int) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    rng = random.Random(seed)
    compared = binary = 0
    for _ in range(250):
        old = b"".join(rng.choice(PIECES) for _ in range(rng.randint(0, 14)))
        if rng.random() < 0.05:
            old = b"\xef\xbb\xbf" + old  # a byte-order mark, at the start only
        edited = bytearray(old)
        for _ in range(rng.randint(0, 3)):  # inserts and deletes anywhere, as acks and sends do
            at = rng.randint(0, len(edited))
            if rng.random() < 0.5:
                edited[at:at] = rng.choice([*PIECES, b"\x00"])
            else:
                del edited[at : at + rng.randint(1, 6)]
        new = bytes(edited)
        git = git_diff(tmp_path, old, new)
        ours = changes(old or None, new)
        assert ours.binary == git.binary, (old, new)
        base = lines_of(old) if old else []
        if git.binary or base is None:
            binary += git.binary
            continue
        by_git, by_us = list(base), list(base)
        assert (_apply(by_git, git) is None) == (
            _apply(by_us, FileDiff("x", hunks=ours.hunks)) is None
        )
        assert by_us == by_git, (old, new)
        assert ours.new_lines == (new.count(b"\n") + (not new.endswith(b"\n")) if new else 0)
        compared += 1
    assert compared > 100 and binary > 0
