"""Build real git repositories from a scripted history with one `git fast-import` run."""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Self

DEFAULT_AUTHOR = "statusboard gitbuild"
DEFAULT_EMAIL = "gitbuild@statusboard.invalid"
_FILE_MODE = b"100644"
_TREE_MODE = b"40000"
_SCRATCH_REF = "refs/heads/__gitbuild__"
# Deterministic and independent of whoever runs us: no global or system config (init.defaultBranch,
# commit.gpgsign, core.autocrlf, hooks, templates), and no GIT_DIR & co. leaking in from a git hook.
_LOCAL_CONFIG = (
    ("user.name", DEFAULT_AUTHOR),
    ("user.email", DEFAULT_EMAIL),
    ("commit.gpgsign", "false"),
    ("core.autocrlf", "false"),
)


class GitBuildError(RuntimeError):
    """git refused the history (or is missing); the message carries git's own words."""


@dataclass(frozen=True, slots=True)
class Change:
    """One file change of a commit: new content, or None to delete the file."""

    path: str
    content: str | bytes | None


@dataclass(frozen=True, slots=True)
class CommitSpec:
    """A commit described as data; `at` is the author and committer time (aware)."""

    message: str
    at: datetime
    changes: tuple[Change, ...] = ()
    author: str = DEFAULT_AUTHOR
    email: str = DEFAULT_EMAIL


@dataclass(frozen=True, slots=True)
class CommitInfo:
    """A recorded commit: its sha (as git will compute it) and what it touched."""

    sha: str
    message: str
    at: datetime
    author: str
    email: str
    paths: tuple[str, ...]

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]

    @property
    def short(self) -> str:
        return self.sha[:7]


def _git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
        LC_ALL="C",
    )
    return env


def _run_git(args: list[str], cwd: Path, stdin: IO[bytes] | None = None) -> None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, env=_git_env(), stdin=stdin, capture_output=True, check=False
        )
    except FileNotFoundError as exc:
        raise GitBuildError("git is not installed or not on PATH") from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip()
        raise GitBuildError(f"git {args[0]} failed ({done.returncode}): {detail}")


def _as_bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def _check_path(path: str) -> str:
    """Reject paths git would refuse or that would escape the work tree."""
    if not path or path.startswith("/") or path.endswith("/") or "\\" in path:
        raise ValueError(f"bad repository path {path!r}: relative POSIX paths only")
    parts = path.split("/")
    if any(p in ("", ".", "..") for p in parts) or parts[0] == ".git":
        raise ValueError(f"bad repository path {path!r}")
    if any(c in path for c in "\n\r\0"):
        raise ValueError(f"bad repository path {path!r}: control characters")
    return path


def _check_ident(value: str, what: str) -> str:
    if not value.strip() or any(c in value for c in "<>\n\r\0"):
        raise ValueError(f"bad {what} {value!r}")
    return value


def _quote(path: str) -> bytes:
    """A fast-import path, C-quoted so that spaces, quotes and non-ASCII names are all safe."""
    raw = path.encode("utf-8")
    out = raw.replace(b"\\", b"\\\\").replace(b'"', b'\\"')
    return b'"' + out + b'"'


def _unix_seconds(at: datetime) -> int:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"commit time {at!r} must be timezone-aware")
    return int(at.astimezone(UTC).timestamp())


class RepoBuilder:
    """A linear history built in memory, written to disk by `build` with one `git fast-import`.

    The builder keeps the current tree, so callers edit files (`write`, `append`, `delete`) and then
    `commit` the pending edits. Each commit's sha is computed here exactly as git computes it, so a
    later commit's content may name an earlier one (a heartbeat's `· a1b2c3d`). The fast-import
    stream is spooled to a temporary file as commits are made, so memory stays small however long
    the history, and `build` can run any number of times; `streaming` feeds git instead, as the
    commits are made.
    """

    def __init__(self) -> None:
        self._files: dict[str, bytes] = {}
        self._blob_sha: dict[str, bytes] = {}
        self._children: dict[str, dict[str, bool]] = {"": {}}  # dir -> {name: is_dir}
        self._tree_sha: dict[str, bytes] = {}
        self._dirty: set[str] = {""}
        self._pending: dict[str, None] = {}  # paths touched since the last commit, in order
        self._commits: list[CommitInfo] = []
        self._stream: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as we do
        self._stream.write(b"feature done\n")
        self._importer: subprocess.Popen[bytes] | None = None  # `streaming`: git reads as we go
        self._errors: IO[bytes] | None = None
        self._into: tuple[Path, str] | None = None

    @classmethod
    def streaming(cls, dest: Path, branch: str = "main") -> RepoBuilder:
        """A builder that feeds `git fast-import` in `dest` (absent or empty) while commits are
        made, so no file ever holds the whole stream (a large board's is gigabytes: every commit
        carries the whole text of each file it touches). `build(dest)` then finishes it, once."""
        builder = cls()
        builder._stream.close()
        dest = _init_repo(Path(dest), branch)
        builder._errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed by `close`
        try:
            builder._importer = subprocess.Popen(
                ["git", "fast-import", "--quiet"],
                cwd=dest,
                env=_git_env(),
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=builder._errors,
            )
        except FileNotFoundError as exc:
            raise GitBuildError("git is not installed or not on PATH") from exc
        assert builder._importer.stdin is not None
        builder._stream = builder._importer.stdin
        builder._into = (dest.resolve(), branch)
        builder._emit(b"feature done\n")
        return builder

    def _emit(self, data: bytes) -> None:
        try:
            self._stream.write(data)
        except BrokenPipeError as exc:  # fast-import stopped: say why
            raise GitBuildError(f"git fast-import failed: {self._importer_errors()}") from exc

    def _importer_errors(self) -> str:
        if self._importer is not None:
            self._importer.wait()
        if self._errors is None:
            return ""
        self._errors.seek(0)
        return self._errors.read().decode("utf-8", "replace").strip()

    # --- the work tree ---------------------------------------------------------------------

    def write(self, path: str, content: str | bytes) -> None:
        """Create or replace a file (text is written as UTF-8)."""
        _check_path(path)
        data = _as_bytes(content)
        parts = path.split("/")
        if path not in self._files:
            self._link(parts)
        self._files[path] = data
        self._blob_sha[path] = hashlib.sha1(b"blob %d\0" % len(data) + data).digest()
        self._touch(path, parts)

    def append(self, path: str, text: str | bytes) -> None:
        """Add text at the end of a file, creating it when missing."""
        self.write(path, self._files.get(path, b"") + _as_bytes(text))

    def delete(self, path: str) -> None:
        """Remove a file; KeyError when there is none."""
        if path not in self._files:
            raise KeyError(f"no such file in the tree: {path}")
        parts = path.split("/")
        del self._files[path]
        del self._blob_sha[path]
        self._touch(path, parts)
        # Unlink the name, then every directory the deletion left empty (git has no empty dirs).
        for depth in range(len(parts) - 1, -1, -1):
            parent = "/".join(parts[:depth])
            self._children[parent].pop(parts[depth], None)
            if depth == 0 or self._children[parent]:
                break
            del self._children[parent]
            self._tree_sha.pop(parent, None)
            self._dirty.discard(parent)

    def read(self, path: str) -> str:
        """A file's current content as text."""
        return self._files[path].decode("utf-8")

    def read_bytes(self, path: str) -> bytes:
        """A file's current content as bytes."""
        return self._files[path]

    def exists(self, path: str) -> bool:
        return path in self._files

    @property
    def files(self) -> Mapping[str, bytes]:
        """The current tree: path -> content (read-only view, including uncommitted edits)."""
        return _ReadOnly(self._files)

    def _link(self, parts: list[str]) -> None:
        for depth in range(len(parts)):
            parent = "/".join(parts[:depth])
            here = "/".join(parts[: depth + 1])
            is_dir = depth < len(parts) - 1
            kids = self._children.get(parent)
            if kids is None:
                raise ValueError(f"{parent} is a file; cannot create {'/'.join(parts)}")
            if parts[depth] in kids:
                if kids[parts[depth]] != is_dir:
                    kind = "file" if is_dir else "directory"
                    raise ValueError(f"{here} is a {kind}; cannot create {'/'.join(parts)}")
                continue
            kids[parts[depth]] = is_dir
            if is_dir:
                self._children[here] = {}

    def _touch(self, path: str, parts: list[str]) -> None:
        self._pending.pop(path, None)  # re-insert: the stream must replay edits in their order
        self._pending[path] = None
        for depth in range(len(parts)):
            self._dirty.add("/".join(parts[:depth]))

    # --- history ---------------------------------------------------------------------------

    def commit(
        self,
        message: str,
        at: datetime,
        *,
        author: str = DEFAULT_AUTHOR,
        email: str = DEFAULT_EMAIL,
    ) -> CommitInfo:
        """Record the pending edits as one commit (an empty commit when there are none)."""
        seconds = _unix_seconds(at)
        ident = f"{_check_ident(author, 'author')} <{_check_ident(email, 'email')}>"
        # git's own convention (and what `git commit` would store): exactly one final newline.
        text = message.rstrip("\n") + "\n"
        if not text.strip():
            raise ValueError("empty commit message")
        msg = text.encode("utf-8")
        person = f"{ident} {seconds} +0000".encode()
        tree = self._tree_hex("")
        parent = self._commits[-1].sha if self._commits else None
        body = b"tree " + tree + b"\n"
        if parent is not None:
            body += b"parent " + parent.encode() + b"\n"
        body += b"author " + person + b"\ncommitter " + person + b"\n\n" + msg
        sha = hashlib.sha1(b"commit %d\0" % len(body) + body).hexdigest()

        out = self._emit
        out(b"commit %s\nmark :%d\n" % (_SCRATCH_REF.encode(), len(self._commits) + 1))
        out(b"author " + person + b"\ncommitter " + person + b"\n")
        out(b"data %d\n" % len(msg) + msg + b"\n")
        for path in self._pending:
            data = self._files.get(path)
            if data is None:
                out(b"D " + _quote(path) + b"\n")
            else:
                out(b"M 100644 inline " + _quote(path) + b"\n")
                out(b"data %d\n" % len(data))
                out(data)  # not concatenated: a large file is not copied once more
                out(b"\n")
        out(b"\n")

        info = CommitInfo(sha, text, at.astimezone(UTC), author, email, tuple(self._pending))
        self._commits.append(info)
        self._pending.clear()
        return info

    def add(self, spec: CommitSpec) -> CommitInfo:
        """Apply a data-described commit: its changes, then `commit`."""
        for change in spec.changes:
            if change.content is None:
                self.delete(change.path)
            else:
                self.write(change.path, change.content)
        return self.commit(spec.message, spec.at, author=spec.author, email=spec.email)

    @property
    def commits(self) -> tuple[CommitInfo, ...]:
        """Every recorded commit, oldest first."""
        return tuple(self._commits)

    @property
    def head(self) -> str | None:
        """The sha of the newest commit, None before the first."""
        return self._commits[-1].sha if self._commits else None

    def _tree_hex(self, directory: str) -> bytes:
        return self._tree(directory).hex().encode()

    def _tree(self, directory: str) -> bytes:
        cached = self._tree_sha.get(directory)
        if cached is not None and directory not in self._dirty:
            return cached
        prefix = f"{directory}/" if directory else ""
        # git orders tree entries by name, comparing a directory as if its name ended with "/".
        entries = sorted(
            (name.encode("utf-8") + (b"/" if is_dir else b""), name, is_dir)
            for name, is_dir in self._children[directory].items()
        )
        parts: list[bytes] = []
        for _key, name, is_dir in entries:
            full = prefix + name
            sha = self._tree(full) if is_dir else self._blob_sha[full]
            mode = _TREE_MODE if is_dir else _FILE_MODE
            parts.append(mode + b" " + name.encode("utf-8") + b"\0" + sha)
        data = b"".join(parts)
        digest = hashlib.sha1(b"tree %d\0" % len(data) + data).digest()
        self._tree_sha[directory] = digest
        self._dirty.discard(directory)
        return digest

    # --- output ----------------------------------------------------------------------------

    def build(self, dest: Path, branch: str = "main") -> Path:
        """Write the repository to `dest` (absent or empty) with its work tree checked out."""
        if self._pending:
            raise ValueError(f"uncommitted edits: {', '.join(self._pending)}")
        if not self._commits:
            raise ValueError("nothing to build: no commits recorded")
        if self._importer is not None:
            return self._finish_stream(Path(dest), branch)
        dest = _init_repo(Path(dest), branch)
        self._stream.flush()
        end = self._stream.tell()
        # Commits go to a scratch ref so one spooled stream serves any branch name; the tail
        # points the branch at the last commit and deletes the scratch ref (null sha).
        tail = (
            f"reset refs/heads/{branch}\nfrom :{len(self._commits)}\n\n"
            f"reset {_SCRATCH_REF}\nfrom {'0' * 40}\n\ndone\n"
        )
        try:
            self._stream.write(tail.encode("utf-8"))
            self._stream.flush()
            self._stream.seek(0)
            _run_git(["fast-import", "--quiet"], dest, stdin=self._stream)
        finally:
            self._stream.seek(end)
            self._stream.truncate()
        _run_git(["reset", "-q", "--hard", branch], dest)
        return dest

    def _finish_stream(self, dest: Path, branch: str) -> Path:
        assert self._importer is not None
        if self._into is None:
            raise ValueError("a streaming builder builds once")
        if (dest.resolve(), branch) != self._into:
            raise ValueError(f"this builder streams into {self._into[0]} ({self._into[1]})")
        self._emit(
            f"reset refs/heads/{branch}\nfrom :{len(self._commits)}\n\n"
            f"reset {_SCRATCH_REF}\nfrom {'0' * 40}\n\ndone\n".encode()
        )
        with contextlib.suppress(BrokenPipeError):
            self._stream.close()
        if self._importer.wait() != 0:
            raise GitBuildError(f"git fast-import failed: {self._importer_errors()}")
        self._into = None  # built: a second `build` finds the stream closed
        _run_git(["reset", "-q", "--hard", branch], dest)
        return dest

    def close(self) -> None:
        """Drop the spooled stream (or stop a streaming import); the builder cannot build
        afterwards."""
        if self._importer is not None and self._importer.poll() is None:
            self._importer.kill()
            self._importer.wait()
        with contextlib.suppress(BrokenPipeError):
            self._stream.close()
        if self._errors is not None:
            self._errors.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class _ReadOnly(Mapping[str, bytes]):
    """A read-only view of the builder's tree."""

    def __init__(self, data: dict[str, bytes]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> bytes:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def _init_repo(dest: Path, branch: str) -> Path:
    """An empty repository at `dest` (absent or empty) with the builder's local config."""
    if dest.exists() and any(dest.iterdir()):
        raise FileExistsError(f"{dest} exists and is not empty")
    dest.mkdir(parents=True, exist_ok=True)
    _run_git(["init", "-q", "-b", branch, "."], dest)
    for key, value in _LOCAL_CONFIG:
        _run_git(["config", key, value], dest)
    return dest


def build_repo(dest: Path, commits: Iterable[CommitSpec], branch: str = "main") -> Path:
    """Build a repository at `dest` from commit specs, oldest first."""
    with RepoBuilder() as builder:
        for spec in commits:
            builder.add(spec)
        return builder.build(dest, branch)
