"""The git history reader, on real temporary repositories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from generator.config import Config
from generator.model import History
from generator.readers import read_board
from generator.readers.history import read_history
from tests.conftest import GitRepo

T0 = datetime(2026, 5, 31, 11, 40, tzinfo=UTC)


def test_not_a_git_repository(tmp_path: Path) -> None:
    assert read_history(tmp_path) == History()


def test_repository_without_commits(git_repo: GitRepo) -> None:
    assert read_history(git_repo.root) == History()


def test_commits_newest_first_with_paths_and_sessions(git_repo: GitRepo) -> None:
    git_repo.write("docs/ai/sessions/active.md", "| Session |\n")
    first = git_repo.commit("[sA] docs(ai-sessions): claim sA at 2026-05-31T11:40Z", at=T0)
    git_repo.write("src/a b.py", "x")
    git_repo.write("src/é.md", "y")
    second = git_repo.commit("[sB] feat: two files", at=T0 + timedelta(minutes=5), author="Bea")
    git_repo.delete("src/a b.py")
    third = git_repo.commit("tidy up without prefix", at=T0 + timedelta(minutes=9))
    fourth = git_repo.commit("[sa] lower-case is no session", at=T0 + timedelta(minutes=10))

    history = read_history(git_repo.root)
    assert [c.sha for c in history.commits] == [fourth, third, second, first]
    assert history.head == fourth
    assert history.branch == "main"
    assert history.remote_url is None
    newest, tidy, two, claim = history.commits
    assert claim.session == "sA" and claim.paths == ("docs/ai/sessions/active.md",)
    assert claim.at == T0 and claim.at.tzinfo is UTC
    assert claim.subject == "[sA] docs(ai-sessions): claim sA at 2026-05-31T11:40Z"
    assert two.session == "sB" and two.author == "Bea"
    assert two.paths == ("src/a b.py", "src/é.md")
    assert tidy.session is None and tidy.paths == ("src/a b.py",)
    assert newest.session is None and newest.paths == ()
    assert history.newest_by_session("sA") == claim


def test_committer_time_is_utc(git_repo: GitRepo) -> None:
    at = datetime(2026, 5, 31, 15, 0, tzinfo=timezone(timedelta(hours=2)))
    git_repo.commit("[sA] x", at=at)
    (commit,) = read_history(git_repo.root).commits
    assert commit.at == datetime(2026, 5, 31, 13, 0, tzinfo=UTC)


def test_merge_lists_first_parent_paths(git_repo: GitRepo) -> None:
    git_repo.write("base.md", "b")
    git_repo.commit("[sA] base", at=T0)
    git_repo._git("checkout", "-q", "-b", "side")
    git_repo.write("side.md", "s")
    git_repo.commit("[sB] side", at=T0 + timedelta(minutes=1))
    git_repo._git("checkout", "-q", "main")
    git_repo.write("main.md", "m")
    git_repo.commit("[sA] main", at=T0 + timedelta(minutes=2))
    git_repo._git(
        "merge", "-q", "--no-ff", "side", "-m", "merge side", at=T0 + timedelta(minutes=3)
    )
    history = read_history(git_repo.root)
    assert len(history.commits) == 4
    merge = history.commits[0]
    assert merge.subject == "merge side" and merge.paths == ("side.md",)


def test_subjects_are_redacted(git_repo: GitRepo) -> None:
    token = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A"
    git_repo.commit(f"[sA] oops {token}", at=T0)
    (commit,) = read_history(git_repo.root).commits
    assert commit.subject == "[sA] oops [redacted]"
    assert commit.session == "sA"


def test_detached_head_and_remote(git_repo: GitRepo) -> None:
    sha = git_repo.commit("[sA] one", at=T0)
    git_repo._git("remote", "add", "origin", "git@github.com:owner/board.git")
    git_repo._git("checkout", "-q", "--detach")
    history = read_history(git_repo.root)
    assert history.branch is None and history.head == sha
    assert history.remote_url == "https://github.com/owner/board"


def test_read_board_includes_history(git_repo: GitRepo) -> None:
    git_repo.write(
        "docs/ai/sessions/queue/to-sA.md", "## 2026-05-31T15:00Z · from:sB · to:sA · type:info\n"
    )
    git_repo.commit("[sB] docs(ai-sessions): message sA", at=T0)
    board = read_board(git_repo.root, Config())
    assert [c.session for c in board.history.commits] == ["sB"]
    assert board.messages[0].sender == "sB"


def test_many_commits_stream(git_repo: GitRepo) -> None:
    for i in range(60):
        git_repo.write(f"f{i}.md", str(i))
        git_repo.commit(f"[sC] commit {i}", at=T0 + timedelta(minutes=i))
    history = read_history(git_repo.root)
    assert [c.subject for c in history.commits] == [f"[sC] commit {i}" for i in reversed(range(60))]
    assert all(c.paths == (f"f{59 - n}.md",) for n, c in enumerate(history.commits))
