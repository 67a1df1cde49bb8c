"""The output folder is never a place to lose files: refused folders, the swap, the lock, and the
operating system's failures as one line (exit 2) — real repositories, real `main([...])` calls."""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.cli import main
from generator.render import outdir
from tests.conftest import GitRepo

NOW = "2026-05-31T16:00Z"
SCOREBOARD = """# Active sessions

| Session | Task | Worktree | Claimed | Presence | Scope |
|---|---|---|---|---|---|
| sA · Sintra | Riff #412 | worktree `session-sA` → direct-to-main, `[sA]` | 2026-05-31T11:40Z | 2026-05-31T15:50Z · abc1234 | payments: `services/payments/**` |
"""


def _tree(root: Path) -> dict[str, bytes | None]:
    """Every entry under `root` (folders as None), to compare a folder before and after."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in root.rglob("*")
    }


def _board(git_repo: GitRepo) -> Path:
    git_repo.write("docs/ai/sessions/active.md", SCOREBOARD)
    git_repo.commit("board", author="sA")
    return git_repo.root


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "internal error" not in err
    return lines[0]


def _build(repo: Path, out: Path, *extra: str) -> int:
    return main(["build", str(repo), "-o", str(out), "--now", NOW, "-q", *extra])


@pytest.fixture
def site(git_repo: GitRepo, tmp_path: Path) -> tuple[Path, Path]:
    """A repository and a site built from it (outside it)."""
    repo = _board(git_repo)
    out = tmp_path / "out" / "site"
    assert _build(repo, out) == 0
    return repo, out


def test_output_dot_in_a_repository_with_status_json_deletes_nothing(
    git_repo: GitRepo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    git_repo.write("status.json", "{}\n")
    git_repo.write("a.txt", "precious\n")
    repo = _board(git_repo)
    before = _tree(repo)
    monkeypatch.chdir(repo)
    assert main(["build", ".", "-o", ".", "--now", NOW]) == 2
    assert "is the repository" in _one_line(capsys.readouterr().err)
    assert _tree(repo) == before
    # Nor any folder that contains the repository.
    assert main(["build", ".", "-o", "..", "--now", NOW]) == 2
    assert "contains the repository" in _one_line(capsys.readouterr().err)
    assert _tree(repo) == before


@pytest.mark.parametrize("sign", [".git", "pyproject.toml", "package.json"])
def test_a_folder_that_looks_like_a_project_is_refused_even_with_the_marker(
    site: tuple[Path, Path], sign: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, out = site
    (out / sign).mkdir() if sign == ".git" else (out / sign).write_text("x\n", encoding="utf-8")
    assert (out / outdir.MARKER).is_file()
    before = _tree(out)
    assert _build(repo, out) == 2
    assert f"holds {sign}" in _one_line(capsys.readouterr().err)
    assert _tree(out) == before


def test_a_folder_without_the_marker_is_refused(
    git_repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _board(git_repo)
    for files in ({"notes.txt": "mine"}, {"status.json": "{}", "index.html": "<p>"}):
        out = tmp_path / f"out{len(files)}"
        out.mkdir()
        for name, text in files.items():
            (out / name).write_text(text, encoding="utf-8")
        assert _build(repo, out) == 2
        assert "refusing to delete" in _one_line(capsys.readouterr().err)
        assert {p.name for p in out.iterdir()} == set(files)


def test_a_rebuild_replaces_the_site_whole_and_leaves_nothing_beside_it(
    site: tuple[Path, Path],
) -> None:
    repo, out = site
    marker = json.loads((out / outdir.MARKER).read_text(encoding="utf-8"))
    assert marker["tool"] == "statusboard" and marker["kind"] == "site"
    (out / "leftover.html").write_text("old page", encoding="utf-8")
    assert _build(repo, out) == 0
    assert not (out / "leftover.html").exists()
    assert (out / "index.html").is_file() and (out / "status.json").is_file()
    assert [p.name for p in out.parent.iterdir()] == ["site"]


def test_a_killed_build_leaves_the_previous_site_and_the_next_build_works(
    site: tuple[Path, Path],
) -> None:
    repo, out = site
    before = _tree(out)
    staging = out.parent / f".site{outdir.STAGING}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", str(repo), "-o", str(out), "--now", NOW],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(staging.name) for p in out.parent.iterdir()):
        assert proc.poll() is None, "the build ended before its staging folder was seen"
        assert time.monotonic() < deadline
        time.sleep(0.002)
    time.sleep(0.3)  # well into the pages or the mkdocs stage
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL
    assert _tree(out) == before
    assert any(p.name.startswith(staging.name) for p in out.parent.iterdir())
    assert _build(repo, out) == 0
    assert [p.name for p in out.parent.iterdir()] == ["site"]
    assert (out / "index.html").is_file()


def test_a_build_stopped_between_the_two_renames_gets_its_site_back(
    site: tuple[Path, Path],
) -> None:
    repo, out = site
    before = _tree(out)
    old = out.parent / f".site{outdir.PREVIOUS}4242"
    out.rename(old)  # what a build killed right after renaming the old site away leaves
    assert _build(repo, out) == 0
    assert _tree(out) == before  # restored, then rebuilt from the same board and --now
    assert not old.exists()


def test_a_failed_build_out_of_space_leaves_the_previous_site(
    site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, out = site
    before = _tree(out)

    def full(result: object, folder: Path, texts: object = None) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder / "status.json"))

    monkeypatch.setattr("generator.render.site.write_machine_outputs", full)
    assert _build(repo, out) == 2
    line = _one_line(capsys.readouterr().err)
    assert "no space left" in line and "status.json" in line
    assert _tree(out) == before
    assert [p.name for p in out.parent.iterdir()] == ["site"]


def test_a_second_build_of_the_same_site_is_refused_while_the_first_writes(
    site: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, out = site
    before = _tree(out)
    with outdir.replace_folder(out, repo) as stage:
        assert _build(repo, out) == 2
        line = _one_line(capsys.readouterr().err)
        assert f"another build is writing {out}; try again when it finishes" in line
        (stage / "index.html").write_text("first build", encoding="utf-8")
        assert _tree(out) == before
    assert (out / "index.html").read_text(encoding="utf-8") == "first build"
    assert _build(repo, out) == 0  # the lock is gone with the first build


def test_two_concurrent_builds_never_leave_a_mixed_site(
    site: tuple[Path, Path], tmp_path: Path
) -> None:
    repo, out = site
    nows = ("2026-05-31T17:00Z", "2026-05-31T18:00Z")
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "generator", "build", str(repo), "-o", str(out), "--now", n],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in nows
    ]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
    assert {code for code, _ in results} <= {0, 2} and 0 in {code for code, _ in results}
    for code, err in results:
        if code == 2:
            assert "another build is writing" in _one_line(err)
    built_at = json.loads((out / "status.json").read_text(encoding="utf-8"))["generated_at"]
    now = next(n for n in nows if n[:16] == built_at[:16])
    reference = tmp_path / "reference"
    command = ["build", str(repo), "-o", str(reference), "--now", now, "-q"]
    assert subprocess.run([sys.executable, "-m", "generator", *command]).returncode == 0
    assert _tree(out) == _tree(reference)


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_a_busy_port_fails_before_anything_is_built(
    git_repo: GitRepo, tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _board(git_repo)
    out = tmp_path / "site"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        args = [command, str(repo)] if command == "serve" else ["demo", "--serve"]
        assert main([*args, "-o", str(out), "--port", port, "--now", NOW]) == 2
    assert f"port {port} is in use" in _one_line(capsys.readouterr().err)
    assert not out.exists()


def test_an_output_under_a_file_is_one_line(
    git_repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _board(git_repo)
    blocker = tmp_path / "somefile"
    blocker.write_text("x", encoding="utf-8")
    assert _build(repo, blocker / "site") == 2
    assert "is a file" in _one_line(capsys.readouterr().err)
    assert _build(repo, blocker) == 2
    assert "not a folder" in _one_line(capsys.readouterr().err)
    assert blocker.read_text(encoding="utf-8") == "x"


def test_lint_output_naming_a_folder_is_one_line(
    git_repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _board(git_repo)
    assert main(["lint", str(repo), "--output", str(tmp_path), "--now", NOW]) == 2
    assert "is a folder; give a file name" in _one_line(capsys.readouterr().err)
    missing = tmp_path / "no" / "such" / "lint.txt"
    assert main(["lint", str(repo), "--output", str(missing), "--now", NOW]) == 2
    assert str(missing) in _one_line(capsys.readouterr().err)


def test_a_bare_repository_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    for command in ("build", "lint"):
        assert main([command, str(bare), "--now", NOW]) == 2
        line = _one_line(capsys.readouterr().err)
        assert "is a bare repository" in line and "checkout" in line
    assert not (bare / "site").exists()


def test_a_huge_threshold_is_not_a_traceback(
    git_repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    git_repo.write("statusboard.toml", "[thresholds]\nstale_hours = 1000000000000\n")
    repo = _board(git_repo)
    # Whichever layer stops it (the configuration check or the overflow), it is one line.
    assert main(["lint", str(repo), "--now", NOW]) == 2
    _one_line(capsys.readouterr().err)


def test_a_queue_file_that_is_a_folder_is_a_finding(
    git_repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    (git_repo.root / "docs/ai/sessions/queue/to-x.md").mkdir(parents=True)
    repo = _board(git_repo)
    assert main(["lint", str(repo), "--now", NOW]) == 1
    out = capsys.readouterr().out
    assert "docs/ai/sessions/queue/to-x.md: error file-unreadable" in out


def test_mkdocs_project_export_is_guarded_and_replaced_whole(
    site: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, out = site
    before = _tree(repo)
    assert _build(repo, out, "--mkdocs-project", str(repo)) == 2
    assert "is the repository" in _one_line(capsys.readouterr().err)
    assert _tree(repo) == before
    project = tmp_path / "project"
    assert _build(repo, out, "--mkdocs-project", str(project)) == 0
    assert (project / "mkdocs.yml").is_file() and (project / outdir.MARKER).is_file()
    (project / "docs" / "stray.md").write_text("old", encoding="utf-8")
    assert _build(repo, out, "--mkdocs-project", str(project)) == 0
    assert not (project / "docs" / "stray.md").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if "project" in p.name) == ["project"]


def test_a_mount_point_is_replaced_by_its_entries(
    site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder that cannot be renamed (a mount point) is staged inside and swapped entry by
    entry; a failed build still leaves it as it was."""
    repo, out = site
    monkeypatch.setattr(outdir, "stages_inside", lambda folder: folder.resolve() == out.resolve())
    inode = out.stat().st_ino
    (out / "leftover.html").write_text("old page", encoding="utf-8")
    assert _build(repo, out) == 0
    assert out.stat().st_ino == inode
    assert not (out / "leftover.html").exists() and (out / "index.html").is_file()
    assert not [p.name for p in out.iterdir() if p.name.startswith(".statusboard-") and p.is_dir()]
    before = _tree(out)

    def broken(result: object, folder: Path, texts: object = None) -> None:
        raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(folder))

    monkeypatch.setattr("generator.render.site.write_machine_outputs", broken)
    assert _build(repo, out) == 2
    assert _tree(out) == before
