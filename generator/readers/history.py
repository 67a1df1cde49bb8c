"""The git history (formats.md §8), read by one streamed `git log` over HEAD."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import git

from generator.model import Commit, History
from generator.readers.secrets import redact_text

log = logging.getLogger(__name__)

_SESSION_PREFIX = re.compile(r"^\[(s[A-Z])\]")
_RECORD = b"\x1e"
_FIELD = b"\x1f"
# %x1e starts a record, %x1f separates its fields; with -z the subject ends in NUL and the paths
# that --name-only lists follow, each NUL-terminated (no quoting of unusual names).
_FORMAT = "--format=%x1e%H%x1f%ct%x1f%an%x1f%s"
_CHUNK = 1 << 16
KNOWN_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")
_SCP_URL = re.compile(r"^(?:[\w.-]+@)?(?P<host>[\w.-]+):(?!//)(?P<path>[^\\].*)$")
_URL = re.compile(
    r"^(?:https?|ssh|git|git\+ssh)://(?:[^@/]*@)?(?P<host>[\w.-]+)(?::\d+)?/(?P<path>.+)$"
)


def read_history(repo: Path) -> History:
    """Every commit reachable from HEAD, newest first; an empty History when there is no git."""
    try:
        handle = git.Repo(repo)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return History()
    try:
        if not handle.head.is_valid():
            return History()  # a repository without commits
        head = handle.head.commit.hexsha
        branch = None if handle.head.is_detached else handle.active_branch.name
        commits = tuple(_log(handle))
        return History(commits, head, branch, remote_url(_origin_url(handle)))
    except (git.GitCommandError, ValueError, OSError) as exc:
        log.warning("%s: cannot read the git history (%s); reading the board without it", repo, exc)
        return History()
    finally:
        handle.close()


def _log(handle: git.Repo) -> Iterator[Commit]:
    """Stream `git log` once and yield its commits as they arrive."""
    proc: Any = handle.git.log(
        "HEAD",
        _FORMAT,
        "--name-only",
        "--no-renames",
        "--diff-merges=first-parent",
        "-z",
        as_process=True,
    )
    stdout: IO[bytes] = proc.stdout
    buffer = b""
    while chunk := stdout.read(_CHUNK):
        buffer += chunk
        *complete, buffer = buffer.split(_RECORD)
        for record in complete:
            if record:
                yield _commit(record)
    if buffer:
        yield _commit(buffer)
    proc.wait()


def _commit(record: bytes) -> Commit:
    header, _, rest = record.partition(b"\0")
    sha, stamp, author, subject = (header.split(_FIELD, 3) + [b""] * 4)[:4]
    paths = tuple(p.decode("utf-8", "replace") for p in rest.lstrip(b"\n").split(b"\0") if p)
    text = redact_text(subject.decode("utf-8", "replace"))
    m = _SESSION_PREFIX.match(text)
    return Commit(
        sha=sha.decode("ascii"),
        at=datetime.fromtimestamp(int(stamp), UTC),
        author=author.decode("utf-8", "replace"),
        subject=text,
        session=m.group(1) if m else None,
        paths=paths,
    )


def _origin_url(handle: git.Repo) -> str | None:
    try:
        value = handle.config_reader().get_value('remote "origin"', "url", default="")
    except Exception:  # a broken config must not stop the build; the URL is only for links
        return None
    return str(value) or None


def remote_url(url: str | None) -> str | None:
    """The https address of a repository on a known code host; None for any other remote.

    `git@github.com:o/r.git`, `ssh://git@github.com/o/r` and `https://user:pw@github.com/o/r.git`
    all give `https://github.com/o/r` (user names and passwords are never kept).
    """
    if not url:
        return None
    url = url.strip()
    m = _URL.match(url) or _SCP_URL.match(url)
    if m is None:
        return None
    host = m["host"].lower()
    if host.startswith("www."):
        host = host[4:]
    if host not in KNOWN_HOSTS:
        return None
    path = m["path"].strip("/")
    if path.endswith(".git"):
        path = path[:-4]
    if not path or "/" not in path:
        return None
    return f"https://{host}/{path}"
