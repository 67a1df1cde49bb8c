"""The cache folder restored on another machine (what `actions/cache` does in CI, action.yml):
the history cache is used, the signed read and render caches are ignored, and the site and its
outputs are byte for byte those of `--no-cache`.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import main
from generator.readers import history as history_reader
from tests.conftest import GitRepo
from tests.test_shallow_history import NOW, at, clean_history, clone, git


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_restored_cache_from_another_machine(
    git_repo: GitRepo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    shas = clean_history(git_repo)
    # Machine 1: the run of the previous commit builds with its caches on.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-1"))
    first = clone(git_repo.root, tmp_path / "run-1")
    assert main(["build", str(first), "-o", str(tmp_path / "site-1"), "--now", NOW]) in (0, 1)
    written = {p.name for p in (first / ".statusboard-cache").iterdir()}
    assert any(n.startswith("history-") for n in written)
    assert any(n.startswith(("read-", "render-")) for n in written)

    # A new commit; machine 2 (another user's signing key) restores the whole folder.
    git_repo.write("a/x.py", "x = 3\n")
    head = git_repo.commit("[sA] feat(a): three", at=at(9))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-2"))
    second = clone(git_repo.root, tmp_path / "run-2")
    shutil.copytree(first / ".statusboard-cache", second / ".statusboard-cache")
    assert git(second, "status", "--porcelain") == ""  # the cache folder ignores itself

    walks: list[str] = []
    real = history_reader._walk

    def spy(handle: Any, walk: Any, paths: Any, revs: str) -> None:
        walks.append(revs)
        real(handle, walk, paths, revs)

    monkeypatch.setattr(history_reader, "_walk", spy)
    with caplog.at_level(logging.INFO):
        cached = main(["build", str(second), "-o", str(tmp_path / "cached"), "--now", NOW])
    said = [r.getMessage() for r in caplog.records]
    assert walks == [f"{shas[-1]}..{head}"]  # only the new commit was read from git
    assert any("1 new commit(s) after the cached" in m for m in said)
    assert any("signature does not match" in m for m in said)  # read/render: not this user's

    walks.clear()
    plain = main(["build", str(second), "-o", str(tmp_path / "plain"), "--now", NOW, "--no-cache"])
    assert walks == [head]  # --no-cache: the whole history
    assert cached == plain
    assert tree(tmp_path / "cached") == tree(tmp_path / "plain")


def test_the_action_keeps_exactly_the_history_cache(git_repo: GitRepo) -> None:
    """action.yml restores and saves the files the history cache writes, keyed so that a new
    commit restores the newest earlier entry, and saves before the lint step can fail the job."""
    root = Path(__file__).resolve().parent.parent
    steps = yaml.safe_load((root / "action.yml").read_text(encoding="utf-8"))["runs"]["steps"]
    uses = [s.get("uses", "").split("@") for s in steps]
    restore = steps[uses.index(["actions/cache/restore", "v4"])]
    save = steps[uses.index(["actions/cache/save", "v4"])]
    build = next(i for i, s in enumerate(steps) if "statusboard build" in s.get("run", ""))
    lint = next(i for i, s in enumerate(steps) if "statusboard lint" in s.get("run", ""))
    assert steps.index(restore) < build < steps.index(save) < lint
    assert restore["with"]["path"] == save["with"]["path"]
    assert restore["with"]["key"] == save["with"]["key"]
    assert restore["with"]["key"].endswith("${{ github.sha }}")
    prefix = restore["with"]["restore-keys"]
    assert restore["with"]["key"].startswith(prefix) and "github.sha" not in prefix

    # The path names the files a build really writes (default configuration).
    clean_history(git_repo)
    main(["lint", str(git_repo.root), "--now", NOW, "--fail-on", "never"])
    folder, pattern = restore["with"]["path"].replace("${{ inputs.repo }}", ".").rsplit("/", 1)
    written = sorted(p.name for p in (git_repo.root / folder).glob(pattern))
    assert len(written) == 1 and written[0].startswith("history-")
