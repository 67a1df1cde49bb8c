"""The fast-import repository builder: real repositories, deterministic shas, edits as written."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from generator.gitbuild import (
    Change,
    CommitSpec,
    GitBuildError,
    RepoBuilder,
    build_repo,
)

T0 = datetime(2026, 5, 31, 11, 40, tzinfo=UTC)


def git(repo: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    out = subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    )
    return out.stdout


def small_history(b: RepoBuilder | None = None) -> RepoBuilder:
    """Three commits written into `b` (a new spooling builder by default)."""
    b = RepoBuilder() if b is None else b
    b.write("README.md", "# po-platform\n")
    b.write("docs/ai/sessions/active.md", "| Session | Task |\n|---|---|\n")
    b.commit("chore: import", T0, author="Dana Human", email="dana@example.invalid")
    b.append("docs/ai/sessions/active.md", "| sA · Sintra | Riff #412 |\n")
    b.commit(
        "[sA] docs(ai-sessions): claim sA at 2026-05-31T12:10Z",
        T0 + timedelta(minutes=30),
        author="Sintra (sA)",
        email="sa@example.invalid",
    )
    b.write("services/payments/retry.py", "MAX_ATTEMPTS = 4\n")
    b.delete("README.md")
    b.commit(
        "[sA] feat(payments): retry\n\nBody line.",
        T0 + timedelta(hours=2),
        author="Sintra (sA)",
        email="sa@example.invalid",
    )
    return b


def test_build_writes_history_and_work_tree(tmp_path: Path) -> None:
    with small_history() as b:
        repo = b.build(tmp_path / "repo")
    assert (
        (repo / "docs/ai/sessions/active.md")
        .read_text(encoding="utf-8")
        .endswith("| sA · Sintra | Riff #412 |\n")
    )
    assert (repo / "services/payments/retry.py").read_text() == "MAX_ATTEMPTS = 4\n"
    assert not (repo / "README.md").exists()
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "symbolic-ref", "HEAD").strip() == "refs/heads/main"
    assert git(repo, "for-each-ref", "--format=%(refname)").split() == ["refs/heads/main"]

    log = git(repo, "log", "--format=%an|%ae|%aI|%cI|%cn|%s").splitlines()
    assert log == [
        "Sintra (sA)|sa@example.invalid|2026-05-31T13:40:00+00:00|2026-05-31T13:40:00+00:00"
        "|Sintra (sA)|[sA] feat(payments): retry",
        "Sintra (sA)|sa@example.invalid|2026-05-31T12:10:00+00:00|2026-05-31T12:10:00+00:00"
        "|Sintra (sA)|[sA] docs(ai-sessions): claim sA at 2026-05-31T12:10Z",
        "Dana Human|dana@example.invalid|2026-05-31T11:40:00+00:00|2026-05-31T11:40:00+00:00"
        "|Dana Human|chore: import",
    ]
    assert git(repo, "log", "-1", "--format=%B") == "[sA] feat(payments): retry\n\nBody line.\n\n"


def test_shas_are_predicted_and_deterministic(tmp_path: Path) -> None:
    with small_history() as first, small_history() as second:
        a = first.build(tmp_path / "a")
        b = second.build(tmp_path / "b")
        again = first.build(tmp_path / "again")  # the same builder builds any number of times
        predicted = [c.sha for c in reversed(first.commits)]
    assert git(a, "rev-list", "HEAD").split() == predicted
    assert git(b, "rev-list", "HEAD").split() == predicted
    assert git(again, "rev-parse", "HEAD").strip() == predicted[0]


def test_commit_info_records_touched_paths(tmp_path: Path) -> None:
    with small_history() as b:
        last = b.commits[-1]
        assert last.subject == "[sA] feat(payments): retry"
        assert last.short == last.sha[:7]
        assert set(last.paths) == {"services/payments/retry.py", "README.md"}
        repo = b.build(tmp_path / "repo")
    touched = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert set(touched) == set(last.paths)


def test_deleting_the_last_file_of_a_folder_removes_the_folder(tmp_path: Path) -> None:
    with RepoBuilder() as b:
        b.write("a/b/c.txt", "x")
        b.write("a/keep.txt", "y")
        b.commit("one", T0)
        b.delete("a/b/c.txt")
        b.commit("two", T0 + timedelta(minutes=1))
        b.write("a/b", "now a file")  # a path that was a folder can become a file
        b.commit("three", T0 + timedelta(minutes=2))
        repo = b.build(tmp_path / "repo")
        head = b.head
    assert git(repo, "ls-tree", "-r", "--name-only", "HEAD").split() == ["a/b", "a/keep.txt"]
    assert git(repo, "ls-tree", "-r", "--name-only", "HEAD~1").split() == ["a/keep.txt"]
    assert git(repo, "rev-parse", "HEAD").strip() == head


def test_append_creates_then_extends(tmp_path: Path) -> None:
    with RepoBuilder() as b:
        b.append("queue/to-sA.md", "## first\n")
        b.commit("one", T0)
        b.append("queue/to-sA.md", "## second\n")
        assert b.read("queue/to-sA.md") == "## first\n## second\n"
        b.commit("two", T0 + timedelta(minutes=1))
        repo = b.build(tmp_path / "repo")
    assert git(repo, "show", "HEAD~1:queue/to-sA.md") == "## first\n"
    assert (repo / "queue/to-sA.md").read_text() == "## first\n## second\n"


def test_unicode_bytes_and_odd_paths_round_trip(tmp_path: Path) -> None:
    text = "## 2026-05-31T15:00Z · from:sB · to:sA\n\nÉvora → Sintra ✓ 日本\n"
    raw = b"\x00\x01binary\r\nCRLF kept\r\n"
    with RepoBuilder() as b:
        b.write("docs/naïve name with spaces.md", text)
        b.write('odd "quoted" path.bin', raw)
        b.write("crlf.txt", "one\r\ntwo\r\n")
        b.commit("feat: unicode — ünïcödé subject ✓", T0)
        repo = b.build(tmp_path / "repo")
        assert b.read_bytes("crlf.txt") == b"one\r\ntwo\r\n"
        assert dict(b.files)["docs/naïve name with spaces.md"] == text.encode()
    assert (repo / "docs/naïve name with spaces.md").read_text(encoding="utf-8") == text
    assert (repo / 'odd "quoted" path.bin').read_bytes() == raw
    assert (repo / "crlf.txt").read_bytes() == b"one\r\ntwo\r\n"
    assert git(repo, "log", "-1", "--format=%s") == "feat: unicode — ünïcödé subject ✓\n"
    assert git(repo, "status", "--porcelain") == ""


def test_specs_and_build_repo(tmp_path: Path) -> None:
    specs = [
        CommitSpec("one", T0, (Change("a.txt", "a"), Change("b.bin", b"b"))),
        CommitSpec(
            "two",
            T0.astimezone(timezone(timedelta(hours=2))) + timedelta(minutes=5),
            (Change("a.txt", None),),
            author="Porto (sB)",
            email="sb@example.invalid",
        ),
    ]
    repo = build_repo(tmp_path / "repo", specs, branch="trunk")
    assert git(repo, "symbolic-ref", "HEAD").strip() == "refs/heads/trunk"
    assert git(repo, "ls-tree", "--name-only", "HEAD").split() == ["b.bin"]
    # An aware time in any zone is stored as the same instant, in UTC.
    assert git(repo, "log", "-1", "--format=%an %cI").strip() == (
        "Porto (sB) 2026-05-31T11:45:00+00:00"
    )


def test_no_dependence_on_the_callers_git_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hostile = tmp_path / "hostile.gitconfig"
    hostile.write_text(
        "[init]\n\tdefaultBranch = trunk\n[core]\n\tautocrlf = true\n"
        "[commit]\n\tgpgsign = true\n[user]\n\tname = Someone Else\n"
    )
    with small_history() as b:
        clean = b.build(tmp_path / "clean")
        monkeypatch.setenv("HOME", str(tmp_path))
        (tmp_path / ".gitconfig").write_text(hostile.read_text())
        monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(hostile))
        monkeypatch.setenv("GIT_DIR", str(clean / ".git"))  # as inside a git hook
        dirty = b.build(tmp_path / "dirty")
    monkeypatch.delenv("GIT_DIR")
    assert git(dirty, "rev-parse", "HEAD") == git(clean, "rev-parse", "HEAD")
    assert git(dirty, "symbolic-ref", "HEAD").strip() == "refs/heads/main"
    assert b"\r\n" not in (dirty / "docs/ai/sessions/active.md").read_bytes()
    assert git(dirty, "config", "--local", "core.autocrlf").strip() == "false"


def test_refuses_bad_input(tmp_path: Path) -> None:
    with RepoBuilder() as b:
        with pytest.raises(ValueError, match="timezone-aware"):
            b.commit("naive", datetime(2026, 5, 31, 12, 0))
        for bad in ("", "/abs", "a/../b", ".git/config", "a//b", "dir/", "a\nb", "win\\path"):
            with pytest.raises(ValueError):
                b.write(bad, "x")
        b.write("a/b.txt", "x")
        with pytest.raises(ValueError, match="is a directory"):
            b.write("a", "x")
        with pytest.raises(ValueError, match="is a file"):
            b.write("a/b.txt/c", "x")
        with pytest.raises(KeyError):
            b.delete("missing.txt")
        with pytest.raises(ValueError, match="author"):
            b.commit("x", T0, author="Evil <x>")
        with pytest.raises(ValueError, match="uncommitted"):
            b.build(tmp_path / "early")
        b.commit("ok", T0)
        (tmp_path / "full").mkdir()
        (tmp_path / "full" / "x").write_text("x")
        with pytest.raises(FileExistsError):
            b.build(tmp_path / "full")
    with RepoBuilder() as empty, pytest.raises(ValueError, match="no commits"):
        empty.build(tmp_path / "empty")


def test_git_errors_surface_as_gitbuilderror(tmp_path: Path) -> None:
    with RepoBuilder() as b:
        b.write("a.txt", "x")
        b.commit("one", T0)
        with pytest.raises(GitBuildError, match="init"):
            b.build(tmp_path / "repo", branch="bad..branch")


def test_empty_commits_are_allowed(tmp_path: Path) -> None:
    with RepoBuilder() as b:
        b.write("a.txt", "x")
        b.commit("one", T0)
        b.commit("two: nothing changed", T0 + timedelta(minutes=1))
        repo = b.build(tmp_path / "repo")
        assert git(repo, "rev-parse", "HEAD").strip() == b.head
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "2"


def test_two_thousand_commits(tmp_path: Path) -> None:
    with RepoBuilder() as b:
        for i in range(2000):
            session = "ABC"[i % 3]
            b.append(f"docs/ai/sessions/queue/to-s{session}.md", f"## message {i}\n\nbody\n")
            b.write(f"services/mod{i % 40}.py", f"VERSION = {i}\n")
            b.commit(f"[s{session}] feat: step {i}", T0 + timedelta(minutes=i))
        repo = b.build(tmp_path / "repo")
        head = b.head
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "2000"
    assert git(repo, "rev-parse", "HEAD").strip() == head
    assert git(repo, "log", "-1", "--format=%s").strip() == "[sB] feat: step 1999"
    assert (repo / "services/mod39.py").read_text() == "VERSION = 1999\n"


def test_streaming_builds_the_same_repository(tmp_path: Path) -> None:
    with small_history() as spooled:
        expected = spooled.build(tmp_path / "spooled")
        head = spooled.head
    with RepoBuilder.streaming(tmp_path / "streamed") as b:
        small_history(b)
        repo = b.build(tmp_path / "streamed")
        with pytest.raises(ValueError):
            b.build(tmp_path / "streamed")
    assert b.head == head
    assert git(repo, "rev-parse", "HEAD").strip() == git(expected, "rev-parse", "HEAD").strip()
    assert git(repo, "status", "--porcelain") == ""
    assert (repo / "services/payments/retry.py").read_text(encoding="utf-8") == "MAX_ATTEMPTS = 4\n"


def test_streaming_builds_only_where_it_streams(tmp_path: Path) -> None:
    with RepoBuilder.streaming(tmp_path / "repo") as b:
        b.write("a.txt", "one\n")
        b.commit("one", T0)
        dest = tmp_path / "elsewhere"
        with pytest.raises(ValueError):
            b.build(dest)
