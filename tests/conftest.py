"""Shared fixtures: real small git repositories in temporary folders (never mocks, never network)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest


class GitRepo:
    """A throw-away repository: write files, then commit them at a chosen time as a chosen author."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._git("init", "-q", "-b", "main")

    def _git(self, *args: str, at: datetime | None = None, author: str = "Dev") -> str:
        env = {
            **os.environ,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": author,
            "GIT_AUTHOR_EMAIL": f"{author.lower().replace(' ', '.')}@example.invalid",
            "GIT_COMMITTER_NAME": author,
            "GIT_COMMITTER_EMAIL": f"{author.lower().replace(' ', '.')}@example.invalid",
        }
        if at is not None:
            stamp = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = stamp
        out = subprocess.run(
            ["git", "-c", "commit.gpgsign=false", *args],
            cwd=self.root,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        return out.stdout

    def write(self, path: str, text: str | bytes) -> Path:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")
        return target

    def append(self, path: str, text: str) -> Path:
        target = self.root / path
        existing = target.read_text(encoding="utf-8") if target.exists() else ""
        return self.write(path, existing + text)

    def delete(self, path: str) -> None:
        (self.root / path).unlink()

    def commit(self, message: str, at: datetime | None = None, author: str = "Dev") -> str:
        """Stage everything and commit; returns the new sha."""
        self._git("add", "-A")
        self._git("commit", "-q", "--allow-empty", "-m", message, at=at, author=author)
        return self._git("rev-parse", "HEAD").strip()


@pytest.fixture
def git_repo(tmp_path: Path) -> Iterator[GitRepo]:
    """An empty git repository in a temporary folder."""
    root = tmp_path / "repo"
    root.mkdir()
    yield GitRepo(root)


@pytest.fixture(autouse=True, scope="session")
def _private_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Builds sign their render cache with a key in the user's cache directory: keep it in a
    temporary one, so the tests never write into the real home."""
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if saved is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = saved
