"""Finding the repository to read: the checkout that holds a folder, as git finds it.

`statusboard lint` run in a subfolder reads the whole checkout (like `git status`); a folder that
is no checkout at all is an error unless the caller allows reading its files without history, so
a CI job with the wrong working directory fails instead of passing with "no findings".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import git

from generator.exceptions import RepositoryError


@dataclass(frozen=True, slots=True)
class Located:
    """The repository root found for a folder, and how it was found."""

    root: Path
    asked: Path  # the folder given, resolved
    git: bool  # False: a plain folder read without history (allowed by the caller)

    @property
    def subfolder(self) -> bool:
        return self.asked != self.root


def locate(folder: Path, *, allow_no_git: bool = False) -> Located:
    """The working tree that holds `folder` (a worktree, whose `.git` is a file, included).

    RepositoryError for a missing folder, a bare repository, a folder inside `.git`, and — unless
    `allow_no_git` — a folder in no repository at all.
    """
    asked = folder.expanduser()
    if not asked.is_dir():
        raise RepositoryError(f"{folder}: no such folder (give the repository to read)")
    asked = asked.resolve()
    if ".git" in asked.parts:
        raise RepositoryError(
            f"{asked} is inside git's own folder; run statusboard in the checkout above it"
        )
    try:
        handle = git.Repo(asked, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        if allow_no_git:
            return Located(asked, asked, git=False)
        raise RepositoryError(
            f"{asked} is not inside a git repository; run statusboard in a checkout, "
            "or pass --allow-no-git to read the files without history"
        ) from None
    try:
        tree = handle.working_tree_dir
        if handle.bare or tree is None:
            raise RepositoryError(
                f"{asked} is a bare repository (no checked-out files); run statusboard in a "
                "checkout of it"
            )
        return Located(Path(tree).resolve(), asked, git=True)
    finally:
        handle.close()
