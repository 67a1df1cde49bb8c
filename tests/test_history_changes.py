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


def test_an_ack_and_a_send_in_one_commit_are_two_hunks(tmp_path: Path) -> None:
    """An ack early in a long file and a send at its end: two hunks, the run of messages between
    them neither decoded nor re-read, and the same lines as git's diff gives."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    rng = random.Random(3)

    def message(i: int) -> bytes:
        words = "words " * rng.randint(2, 30)
        head = f"## 2026-05-31T10:{i % 60:02d}Z \xb7 from:sA \xb7 to:sB \xb7 status:sent"
        return f"{head}\n\nbody {i} {words}\n\n".encode()

    split = 0
    for _ in range(40):
        blocks = [message(i) for i in range(rng.randint(40, 120))]
        old = b"".join(blocks)
        k = rng.randrange(len(blocks) // 4)
        if rng.random() < 0.6:
            blocks[k] = blocks[k].rstrip(b"\n") + "\n- ack \xb7 x \xb7 sB \xb7 seen\n\n".encode()
        else:
            blocks[k] = blocks[k].replace(b"status:sent", b"status:answered")
        blocks.append(message(999))
        new = b"".join(blocks)
        ours = changes(old, new)
        split += len(ours.hunks) == 2
        base = lines_of(old)
        assert base is not None
        by_git, by_us = list(base), list(base)
        _apply(by_git, git_diff(tmp_path, old, new))
        assert _apply(by_us, FileDiff("x", hunks=ours.hunks)) is not None
        assert by_us == by_git == lines_of(new)
        assert (ours.old_lines, ours.new_lines) == (len(base), len(by_us))
        # The run between the two changes is not among the added lines.
        assert sum(h.n_new for h in ours.hunks) < 20
    assert split == 40
