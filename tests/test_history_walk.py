"""The blackboard's history: message trails and claim spans replayed from small real repos."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from generator.config import Config
from generator.model import History, MessageTrail
from generator.readers import read_board
from generator.readers.history import read_history
from generator.readers.history_diff import parse, unquote
from tests.conftest import GitRepo

T0 = datetime(2026, 5, 31, 9, 0, tzinfo=UTC)
BOARD = "docs/ai/sessions/active.md"
Q = "docs/ai/sessions/queue"
HEAD = "| Session | Task | Worktree | Claimed | Presence | Scope |\n|---|---|---|---|---|---|\n"


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def row(sid: str, name: str, claimed: str, presence: str, scope: str = "`a/**`") -> str:
    worktree = f"`session-{sid}` → direct-to-main, `[{sid}]`"
    return f"| {sid} · {name} | Riff #1 | {worktree} | {claimed} | {presence} | {scope} |\n"


def block(stamp: str, sender: str, to: str, status: str = "sent", body: str = "Hello.") -> str:
    return f"## {stamp} · from:{sender} · to:{to} · type:question · status:{status}\n\n{body}\n"


def history(repo: GitRepo, **kw: bool) -> History:
    return read_history(repo.root, Config(), cache=kw.get("cache", False))


def trail(h: History, ident: str) -> MessageTrail:
    return next(t for t in h.trails if t.id.endswith(ident))


def kinds(t: MessageTrail) -> list[tuple[str, str | None, str | None]]:
    return [(e.kind, e.state, e.commit.session) for e in t.events]


def test_a_message_from_send_to_done(git_repo: GitRepo) -> None:
    path = f"{Q}/to-sA.md"
    git_repo.write(path, block("2026-05-31T09:00Z", "sB", "sA"))
    sent = git_repo.commit("[sB] docs(ai-sessions): question to sA", at=at(1))
    git_repo.write(path, block("2026-05-31T09:00Z", "sB", "sA", "seen"))
    git_repo.commit("[sA] docs(ai-sessions): seen", at=at(10))
    git_repo.append(path, "\n- ack · 2026-05-31T09:30Z · sA · answered · see to-sB.md\n")
    git_repo.commit("[sA] docs(ai-sessions): ack line only", at=at(30))
    text = (git_repo.root / path).read_text().replace("status:seen", "status:done")
    git_repo.write(path, text)
    git_repo.commit("[sA] docs(ai-sessions): done", at=at(40))

    h = history(git_repo)
    (t,) = h.trails
    assert t.id == "to-sA.md#2026-05-31T09:00Z-sB" and t.present
    assert kinds(t) == [
        ("added", "sent", "sB"),
        ("status", "seen", "sA"),
        ("ack", "answered", "sA"),
        ("status", "done", "sA"),
    ]
    added, seen, ack, done = t.events
    assert added.commit.sha == sent and added.commit.at == at(1)
    assert seen.before == "sent" and done.before == "seen"
    assert ack.by == "sA" and ack.at == datetime(2026, 5, 31, 9, 30, tzinfo=UTC)
    assert t.status == "done" and t.ack_states == ("answered",)


def test_rewrite_delete_restore_and_ordinals(git_repo: GitRepo) -> None:
    path = f"{Q}/to-sA.md"
    first = block("2026-05-31T09:00Z", "sB", "sA")
    second = block("2026-05-31T09:05Z", "sC", "sA", body="Second.")
    git_repo.write(path, "# Queue\n\n" + first + "\n" + second)
    git_repo.commit("[sB] send two", at=at(1))
    git_repo.write(path, "# Queue\n\n" + first.replace("Hello.", "Hello, edited.") + "\n" + second)
    git_repo.commit("[sB] edit the body", at=at(2))
    changed = block("2026-05-31T09:00Z", "sD", "sA", body="Hello, edited.")  # `from:` rewritten
    git_repo.write(path, "# Queue\n\n" + changed + "\n" + second)
    git_repo.commit("[sB] change the sender", at=at(3))
    git_repo.write(path, "# Queue\n\n" + changed)
    git_repo.commit("[sA] drop the second", at=at(4))
    git_repo.write(path, "# Queue\n\n" + changed + "\n" + second)
    git_repo.commit("[sA] put it back", at=at(5))

    h = history(git_repo)
    one, two = h.trails
    assert one.id == "to-sA.md#2026-05-31T09:00Z-sD"  # the trail follows the block to its new id
    assert [(e.kind, e.detail) for e in one.events] == [
        ("added", ""),
        ("rewritten", "its body"),
        ("rewritten", "its heading (`from:`)"),
    ]
    assert [e.kind for e in two.events] == ["added", "deleted", "restored"]
    assert two.present and one.present


def test_a_moved_message_keeps_its_trail(git_repo: GitRepo) -> None:
    """A block moved to another queue file in one commit (git sees a rename when the emptied file
    goes) is the same message: its first commit stays, and a later edit is a rewrite."""
    misfiled, right = f"{Q}/to-sA.md", f"{Q}/to-sB.md"
    note = block("2026-05-31T09:00Z", "sC", "sB", body="Freeze at 13:00.")
    git_repo.write(misfiled, note)
    sent = git_repo.commit("[sC] note for sB, misfiled", at=at(1))
    git_repo.delete(misfiled)
    git_repo.write(right, note.replace("status:sent", "status:seen"))  # seen as it is moved
    git_repo.commit("[sA] move it to sB", at=at(2))
    git_repo.write(right, note.replace("status:sent", "status:seen").replace("13:00", "14:00"))
    git_repo.commit("[sC] correct my note", at=at(3))
    git_repo.write(misfiled, block("2026-05-31T09:30Z", "sB", "sA"))
    git_repo.commit("[sB] a question to sA", at=at(4))

    h = history(git_repo)
    moved, other = h.trails
    assert (moved.path, moved.id, moved.present) == (right, "to-sB.md#2026-05-31T09:00Z-sC", True)
    assert moved.events[0].commit.sha == sent
    assert [(e.kind, e.state, e.detail) for e in moved.events] == [
        ("added", "sent", ""),
        ("status", "seen", ""),
        ("rewritten", None, "its body"),
    ]
    assert other.path == misfiled and [e.kind for e in other.events] == ["added"]
    cached = history(git_repo, cache=True)
    assert cached == h and history(git_repo, cache=True) == h  # written, then read back


def test_a_block_removed_here_and_another_added_there_is_no_move(git_repo: GitRepo) -> None:
    git_repo.write(f"{Q}/to-sA.md", block("2026-05-31T09:00Z", "sC", "sA", body="One."))
    git_repo.commit("[sC] one", at=at(1))
    git_repo.delete(f"{Q}/to-sA.md")
    git_repo.write(f"{Q}/to-sB.md", block("2026-05-31T09:00Z", "sC", "sB", body="Two."))
    git_repo.commit("[sC] another", at=at(2))

    gone, new = history(git_repo).trails
    assert [e.kind for e in gone.events] == ["added", "deleted"] and not gone.present
    assert [e.kind for e in new.events] == ["added"] and new.path == f"{Q}/to-sB.md"


def test_ids_and_states_at_head_agree_with_the_reader(git_repo: GitRepo) -> None:
    path = f"{Q}/to-all.md"
    text = (
        "Preamble with a fence:\n\n```\n"
        "## 2026-05-31T08:00Z · from:sX · to:all · type:info\n```\n\n"
        + block("2026-05-31T09:00Z", "sB", "all", body="Same minute.")
        + "\n"
        + block("2026-05-31T09:00Z", "sB", "all", body="Same minute again.")
        + "\n## not a heading the reader can read\n\nbody\n\n"
        + "   ## indented heading · from:sA\n\n- note\n  - ack · nested\n"
    )
    git_repo.write(path, text)
    git_repo.commit("[sB] broadcasts", at=at(1))
    lines = text.split("\n")
    lines.insert(7, "- ack · 2026-05-31T09:10Z · sA · seen")  # an ack under the first block
    git_repo.write(path, "\n".join(lines))
    git_repo.commit("[sA] ack", at=at(2))

    h = history(git_repo)
    board = read_board(git_repo.root, Config(), history=h)
    got = {(t.path, t.id): (t.status, t.ack_states, t.sender) for t in h.trails if t.present}
    want = {
        (m.source.path, m.id): (m.status, tuple(a.state for a in m.acks), m.sender)
        for m in board.messages
    }
    assert got == want and len(want) == 4
    assert [e.kind for e in trail(h, "09:00Z-sB").events] == ["added", "ack"]


def test_crlf_bom_binary_and_deleted_files(git_repo: GitRepo) -> None:
    path = f"{Q}/to-sA.md"
    data = "\ufeff" + block("2026-05-31T09:00Z", "sB", "sA")
    git_repo.write(path, data.replace("\n", "\r\n").encode("utf-8"))
    git_repo.commit("[sB] crlf", at=at(1))
    git_repo.write(path, b"\0binary now")
    git_repo.commit("[sB] oops", at=at(2))
    git_repo.write(path, block("2026-05-31T09:00Z", "sB", "sA", "seen").replace("\n", "\r\n"))
    git_repo.commit("[sA] fixed", at=at(3))
    git_repo.delete(path)
    git_repo.commit("[sA] delete the queue", at=at(4))

    h = history(git_repo)
    (t,) = h.trails
    assert kinds(t) == [
        ("added", "sent", "sB"),
        ("status", "seen", "sA"),  # the binary version in between is skipped, not a deletion
        ("deleted", None, "sA"),
    ]
    assert not t.present


def test_claims_presence_scopes_and_release(git_repo: GitRepo) -> None:
    git_repo.write(BOARD, "# Active\n\n" + HEAD)
    git_repo.commit("adopt the protocol", at=at(0), author="Dana")
    git_repo.write(
        BOARD,
        "# Active\n\n" + HEAD + row("sA", "Sintra", "2026-05-31T09:05Z", "2026-05-31T09:05Z ·"),
    )
    claim = git_repo.commit("[sA] claim", at=at(5))
    for n in (20, 40):
        presence = f"2026-05-31T09:{n}Z · abc"
        git_repo.write(
            BOARD, "# Active\n\n" + HEAD + row("sA", "Sintra", "2026-05-31T09:05Z", presence)
        )
        git_repo.commit("[sA] heartbeat", at=at(n))
    wider = row("sA", "Sintra", "2026-05-31T09:05Z", "2026-05-31T09:40Z · abc", "`a/**`, `b/*.md`")
    git_repo.write(
        BOARD, "# Active\n\n" + HEAD + wider + row("sB", "Porto", "2026-05-31T09:50Z", "—")
    )
    git_repo.commit("[sB] claim sB, widen sA", at=at(50))
    git_repo.write(BOARD, "# Active\n\n" + HEAD + row("sB", "Porto", "2026-05-31T09:50Z", "—"))
    release = git_repo.commit("[sA] release", at=at(60))

    h = history(git_repo)
    a, b = h.claims
    assert (a.session, a.label, a.added.sha, a.removed and a.removed.sha) == (
        "sA",
        "sA · Sintra",
        claim,
        release,
    )
    assert [beat.at.minute if beat.at else None for beat in a.beats] == [5, 20, 40]
    assert [paths for _c, paths in a.scopes] == [("a/**",), ("a/**", "b/*.md")]
    assert a.claimed == at(5)
    assert b.session == "sB" and b.removed is None and b.beats[0].at is None
    assert h.scoreboard_since == at(0)


def test_not_walked_without_the_blackboard(tmp_path: Path, git_repo: GitRepo) -> None:
    git_repo.write("src/app.py", "x = 1\n")
    git_repo.commit("[sA] code", at=at(1))
    h = history(git_repo)
    assert h.trails == () and h.claims == () and h.scoreboard_since is None
    assert h.blackboard == (BOARD, Q)


def test_diff_paths_are_unquoted() -> None:
    assert unquote(b'"docs/q/to-\\303\\251t\\303\\251.md"') == "docs/q/to-été.md"
    assert unquote(b'"a\\tb\\"c\\\\d"') == 'a\tb"c\\d'
    assert unquote(b"plain.md") == "plain.md"
    stream = (
        b"\x1e\x1f"
        + b"a" * 40
        + b"\n\n:100644 100644 "
        + b"1" * 40
        + b" "
        + b"2" * 40
        + b' M\t"q/to-\\303\\251.md"\n'
        + b":000000 100644 "
        + b"0" * 40
        + b" "
        + b"3" * 40
        + b" A\tq/to-sB.md\n"
    )
    (commit,) = parse([stream[:17], stream[17:]])
    changed, added = commit.files.values()
    assert changed.path == "q/to-é.md" and changed.status == "M"
    assert (changed.old_blob, changed.blob) == ("1" * 40, "2" * 40)
    assert added.path == "q/to-sB.md" and added.status == "A"
    assert (added.old_blob, added.blob) == (None, "3" * 40)


# --- replaying random histories: the walk at HEAD is the reader's board, cached or not ---------


def _random_history(repo: GitRepo, rng: random.Random, commits: int) -> None:
    paths = [f"{Q}/to-sA.md", f"{Q}/to-sB.md"]
    queues: dict[str, list[list[str]]] = {p: [] for p in paths}
    minute = 0
    for n in range(commits):
        path = rng.choice(paths)
        blocks = queues[path]
        action = rng.random()
        if action < 0.4 or not blocks:
            stamp = f"2026-05-31T{9 + minute // 60:02d}:{minute % 60:02d}Z"
            body = rng.choice(
                ["Plain.", "```\n## fenced\n```", "- item\n\n  ```\n## swallowed?\n  ```"]
            )
            blocks.append(
                [
                    f"## {stamp} · from:s{rng.choice('BC')} · to:sA · type:info · status:sent",
                    "",
                    body,
                ]
            )
        elif action < 0.6:
            target = rng.choice(blocks)
            target.append(
                f"- ack · 2026-05-31T12:{n % 60:02d}Z · sA · {rng.choice(['seen', 'done'])}"
            )
        elif action < 0.75:
            target = rng.choice(blocks)
            target[0] = target[0].rsplit("status:", 1)[0] + "status:" + rng.choice(["seen", "done"])
        elif action < 0.85:
            blocks.remove(rng.choice(blocks))
        elif action < 0.92:
            rng.choice(blocks)[2] += " Edited."
        elif action < 0.97:  # moved to the other queue file in the same commit
            other = paths[1 - paths.index(path)]
            moving = rng.choice(blocks)
            blocks.remove(moving)
            queues[other].append(moving)
            text = "# Queue\n\n" + "\n\n".join("\n".join(b) for b in queues[other]) + "\n"
            repo.write(other, text)
        else:
            rng.shuffle(blocks)
        text = "# Queue\n\n" + "\n\n".join("\n".join(b) for b in blocks) + "\n"
        repo.write(path, text.replace("\n", "\r\n") if n % 7 == 3 else text)
        repo.commit(f"[s{rng.choice('ABC')}] change {n}", at=at(n))
        minute += rng.choice([0, 1, 1, 5])


@pytest.mark.parametrize("seed", range(6))
def test_random_histories_agree_with_the_reader_and_the_cache(git_repo: GitRepo, seed: int) -> None:
    rng = random.Random(seed)
    _random_history(git_repo, rng, 12)
    cold = history(git_repo, cache=True)  # writes the cache at this HEAD
    _random_history(git_repo, rng, 12)
    warm = history(git_repo, cache=True)  # resumes from the cache: only the new commits
    again = history(git_repo)  # no cache at all
    assert warm == again
    assert cold.commits == again.commits[-len(cold.commits) :]
    board = read_board(git_repo.root, Config(), history=again)
    got = {(t.path, t.id): (t.status, t.ack_states) for t in again.trails if t.present}
    want = {
        (m.source.path, m.id): (m.status, tuple(a.state for a in m.acks)) for m in board.messages
    }
    assert got == want


def test_changes_merged_from_a_branch_belong_to_the_merge(git_repo: GitRepo) -> None:
    path = f"{Q}/to-sB.md"
    git_repo.write(path, block("2026-05-31T09:00Z", "sA", "sB"))
    git_repo.commit("[sA] docs(ai-sessions): question to sB", at=at(1))
    git_repo._git("checkout", "-q", "-b", "session-sB")
    git_repo.write(path, block("2026-05-31T09:00Z", "sA", "sB", "seen"))
    on_branch = git_repo.commit("[sB] docs(ai-sessions): seen", at=at(5))
    git_repo._git("checkout", "-q", "main")
    git_repo._git("merge", "-q", "--no-ff", "session-sB", "-m", "Merge PR #7", at=at(9))

    h = history(git_repo)
    (t,) = h.trails
    _added, seen = t.events
    assert seen.kind == "status" and seen.commit.subject == "Merge PR #7" and seen.commit.merge
    assert on_branch in {
        c.sha for c in h.commits
    }  # the branch commit still counts as a sign of life
