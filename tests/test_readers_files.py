"""Reading board files safely, and `read_board` over a whole repository folder."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from generator.config import Config, Paths, Thresholds
from generator.exceptions import RepositoryError
from generator.model import Board, Problem
from generator.readers import read_board
from generator.readers.files import read_source

SCOREBOARD = "docs/ai/sessions/active.md"
QUEUE = "docs/ai/sessions/queue"
CASES = Path(__file__).parent / "readers"


def write(root: Path, rel: str, data: str | bytes) -> Path:
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    target.write_bytes(data)
    return target


def only(problems: list[Problem] | tuple[Problem, ...], rule: str) -> Problem:
    matching = [p for p in problems if p.rule == rule]
    assert len(matching) == 1, problems
    return matching[0]


# --- read_source ------------------------------------------------------------------------------


def test_plain_utf8(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "héllo\nwörld\n")
    assert read_source(tmp_path, "a.md", 1000) == ("héllo\nwörld\n", [])


def test_bom_and_crlf_are_normalised(tmp_path: Path) -> None:
    write(tmp_path, "a.md", b"\xef\xbb\xbfone\r\ntwo\rthree\n")
    assert read_source(tmp_path, "a.md", 1000) == ("one\ntwo\nthree\n", [])


def test_not_utf8_names_line_and_byte(tmp_path: Path) -> None:
    write(tmp_path, "a.md", b"ok line\nLunch at the Caf\xe9?\n")
    text, problems = read_source(tmp_path, "a.md", 1000)
    assert text is None
    problem = only(problems, "file-unreadable")
    assert (problem.source.path, problem.source.line) == ("a.md", 2)
    assert problem.message == (
        "the file is not UTF-8: byte 0xE9 at line 2, column 17 (byte offset 24) is not valid UTF-8; "
        "the file is not read"
    )


def test_not_utf8_after_bom_counts_the_bom(tmp_path: Path) -> None:
    write(tmp_path, "a.md", b"\xef\xbb\xbf\xff")
    _, problems = read_source(tmp_path, "a.md", 1000)
    assert "byte 0xFF at line 1, column 4 (byte offset 3)" in problems[0].message


def test_utf16_is_named(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "hi".encode("utf-16"))
    _, problems = read_source(tmp_path, "a.md", 1000)
    assert "UTF-16" in problems[0].message


def test_nul_byte(tmp_path: Path) -> None:
    write(tmp_path, "a.md", b"one\ntwo\nth\x00ree\n")
    text, problems = read_source(tmp_path, "a.md", 1000)
    assert text is None
    problem = only(problems, "file-unreadable")
    assert problem.source.line == 3
    assert (
        problem.message == "the file contains a NUL byte at line 3, column 3; the file is not read"
    )


def test_oversize(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "x" * 2001)
    text, problems = read_source(tmp_path, "a.md", 2000)
    assert text is None
    assert problems[0].message == (
        "the file is 2,001 bytes, over the limit of 2,000 (thresholds.max_file_bytes); "
        "the file is not read"
    )
    assert read_source(tmp_path, "a.md", 2001)[0] == "x" * 2001


def test_symlink_out_of_the_repository(tmp_path: Path) -> None:
    outside = write(tmp_path, "outside/secret.md", "not yours")
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    os.symlink(outside, repo / "docs" / "link.md")
    text, problems = read_source(repo, "docs/link.md", 1000)
    assert text is None
    assert problems[0].message == (
        f"`docs/link.md` is a symbolic link to `{outside}`, outside the repository; "
        "the file is not read"
    )


def test_symlink_inside_the_repository_is_followed(tmp_path: Path) -> None:
    write(tmp_path, "real.md", "content")
    os.symlink("real.md", tmp_path / "link.md")
    assert read_source(tmp_path, "link.md", 1000) == ("content", [])


def test_folder_link_out_of_the_repository(tmp_path: Path) -> None:
    write(tmp_path, "elsewhere/to-sA.md", "## x")
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    os.symlink("../../elsewhere", repo / "docs" / "queue")
    _, problems = read_source(repo, "docs/queue/to-sA.md", 1000)
    assert problems[0].message.startswith("`docs/queue` is a symbolic link to `../../elsewhere`")


def test_dangling_link(tmp_path: Path) -> None:
    os.symlink("missing.md", tmp_path / "a.md")
    _, problems = read_source(tmp_path, "a.md", 1000)
    assert problems[0].message == (
        "the file is a dangling symbolic link to `missing.md`; the file is not read"
    )


# --- read_board -------------------------------------------------------------------------------


def test_not_a_folder_is_a_repository_error(tmp_path: Path) -> None:
    with pytest.raises(RepositoryError):
        read_board(tmp_path / "nope", Config())
    write(tmp_path, "file", "x")
    with pytest.raises(RepositoryError):
        read_board(tmp_path / "file", Config())


def test_empty_folder(tmp_path: Path) -> None:
    board = read_board(tmp_path, Config())
    assert board.scoreboard.exists is False
    assert board.scoreboard.path == SCOREBOARD
    assert board.queues == () and board.problems == () and board.sources == ()
    assert board.history.commits == ()


def test_board_reads_scoreboard_and_sorted_queues(tmp_path: Path) -> None:
    write(tmp_path, SCOREBOARD, (CASES / "scoreboard" / "known_example.md").read_text())
    spec = (CASES / "queue" / "spec_example.md").read_text()
    for name in ("to-sB.md", "to-all.md", "to-sA.md", "notes.md", "to-sC.txt"):
        write(tmp_path, f"{QUEUE}/{name}", spec)
    board = read_board(tmp_path, Config())
    assert [q.recipient for q in board.queues] == ["all", "sA", "sB"]
    assert [q.path for q in board.queues] == [
        f"{QUEUE}/to-all.md",
        f"{QUEUE}/to-sA.md",
        f"{QUEUE}/to-sB.md",
    ]
    assert board.messages[0].id == "to-all.md#2026-05-31T15:00Z-sB"
    assert board.messages[0].is_broadcast
    assert [s.path for s in board.sources] == [SCOREBOARD, *(q.path for q in board.queues)]
    assert board.scoreboard.rows[0].session_id == "sA"
    assert board.problems == ()


def test_configured_paths(tmp_path: Path) -> None:
    write(tmp_path, "board/claims.md", (CASES / "scoreboard" / "known_example.md").read_text())
    write(tmp_path, "board/inbox/to-sA.md", (CASES / "queue" / "spec_example.md").read_text())
    config = Config(paths=Paths(scoreboard="./board//claims.md", queue_dir="board/inbox/"))
    board = read_board(tmp_path, config)
    assert board.scoreboard.path == "board/claims.md"
    assert board.scoreboard.rows[0].source.path == "board/claims.md"
    assert [q.path for q in board.queues] == ["board/inbox/to-sA.md"]


def _variant(text: str) -> bytes:
    return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")


@pytest.mark.parametrize("case", ["scoreboard/variants.md", "queue/acks.md", "queue/fenced.md"])
def test_crlf_and_bom_read_like_lf(tmp_path: Path, case: str) -> None:
    text = (CASES / case).read_text(encoding="utf-8")
    boards: list[Board] = []
    for name, data in (("lf", text.encode("utf-8")), ("crlf", _variant(text))):
        root = tmp_path / name
        root.mkdir()
        write(root, SCOREBOARD if case.startswith("scoreboard") else f"{QUEUE}/to-sA.md", data)
        boards.append(read_board(root, Config()))
    lf, crlf = (dataclasses.replace(b, root="") for b in boards)
    assert lf == crlf


def test_unreadable_files_are_skipped_and_reported(tmp_path: Path) -> None:
    write(tmp_path, SCOREBOARD, b"| Session |\n|---|\n| s\xe9A |\n")
    write(tmp_path, f"{QUEUE}/to-sA.md", b"## 2026\x00")
    write(tmp_path, f"{QUEUE}/to-sB.md", "x" * 1000)
    write(tmp_path, f"{QUEUE}/to-sC.md", (CASES / "queue" / "spec_example.md").read_text())
    config = Config(thresholds=Thresholds(max_file_bytes=999))
    board = read_board(tmp_path, config)
    assert board.scoreboard.exists is True and board.scoreboard.rows == ()
    assert [q.recipient for q in board.queues] == ["sC"]
    unreadable = [
        (p.source.path, p.source.line) for p in board.problems if p.rule == "file-unreadable"
    ]
    assert unreadable == [(SCOREBOARD, 3), (f"{QUEUE}/to-sA.md", 1), (f"{QUEUE}/to-sB.md", None)]
    assert [s.path for s in board.sources] == [f"{QUEUE}/to-sC.md"]


def test_queue_folder_linked_out_of_the_repository(tmp_path: Path) -> None:
    write(tmp_path, "elsewhere/to-sA.md", (CASES / "queue" / "spec_example.md").read_text())
    repo = tmp_path / "repo"
    (repo / "docs/ai/sessions").mkdir(parents=True)
    os.symlink(tmp_path / "elsewhere", repo / QUEUE)
    board = read_board(repo, Config())
    assert board.queues == ()
    problem = only(board.problems, "file-unreadable")
    assert problem.source.path == QUEUE
    assert problem.message.endswith("outside the repository; the queue files are not read")


def test_no_secret_reaches_the_board(tmp_path: Path) -> None:
    token = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A"
    write(
        tmp_path,
        SCOREBOARD,
        "| Session | Task | Worktree | Claimed | Presence | Scope |\n|---|---|---|---|---|---|\n"
        f"| sA · Sintra | {token} | `session-sA` → PR, `[sA]` | 2026-05-31T11:40Z | "
        f"2026-05-31T11:40Z · {token} | `a/**` |\n",
    )
    write(
        tmp_path,
        f"{QUEUE}/to-sA.md",
        f"preamble {token}\n\n## 2026-05-31T15:00Z · from:sB · to:sA · type:info · key:{token}\n\n"
        f"body {token}\n\n- ack · 2026-05-31T15:20Z · sA · seen · {token}\n\n## {token}\n",
    )
    board = read_board(tmp_path, Config())
    assert token not in repr(board)
    assert token[4:12] not in repr(board)
    secrets = [p for p in board.problems if p.rule == "secret-in-board"]
    assert [(p.source.path, p.source.line) for p in secrets] == [
        (SCOREBOARD, 3),
        (SCOREBOARD, 3),
        (f"{QUEUE}/to-sA.md", 1),
        (f"{QUEUE}/to-sA.md", 3),
        (f"{QUEUE}/to-sA.md", 5),
        (f"{QUEUE}/to-sA.md", 7),
        (f"{QUEUE}/to-sA.md", 9),
    ]
