"""The git history (formats.md §8): every commit, and the blackboard's own history, read from git.

Two `git log` runs, whatever the length of the history: one `--name-only` over every commit
reachable from HEAD (who committed what, when, touching which paths), and one `-p -U0 --raw` over
the first-parent chain restricted to the scoreboard and the queue folder, replayed oldest first by
history_board.Walk. A blob is read (through one persistent `git cat-file --batch`) only where a
diff cannot be applied: a binary version, or a file whose text was unknown before. Changes merged
from a branch (a session in PR mode) reach the blackboard with the merge commit, and are attributed
to it; the branch's own commits still count among all commits (signs of life, the git-discipline
rules).

What the walk yields is cached per configuration under `cache.dir` (generator/cache.py): a rebuild
checks that the cached commit is still on HEAD's first-parent chain and that git gives the cached
files' text there, then reads only the commits after it. Anything else rebuilds from scratch.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

import git

from generator import __version__
from generator.cache import HistoryCache
from generator.config import Config
from generator.model import Commit, History
from generator.readers import history_board
from generator.readers.history_diff import FORMAT as DIFF_FORMAT
from generator.readers.history_diff import parse as parse_diffs
from generator.readers.secrets import redact_text

log = logging.getLogger(__name__)

_SESSION_PREFIX = re.compile(r"^\[(s[A-Z])\]")
_RECORD = b"\x1e"
_FIELD = b"\x1f"
# %x1e starts a record, %x1f separates its fields; with -z the subject ends in NUL and the paths
# that --name-only lists follow, each NUL-terminated (no quoting of unusual names).
_FORMAT = "--format=%x1e%H%x1f%ct%x1f%an%x1f%P%x1f%s"
_CHUNK = 1 << 16
REWRITE_AFTER = 32  # new commits since the cached one before the history cache is written again
KNOWN_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")
_SCP_URL = re.compile(r"^(?:[\w.-]+@)?(?P<host>[\w.-]+):(?!//)(?P<path>[^\\].*)$")
_URL = re.compile(
    r"^(?:https?|ssh|git|git\+ssh)://(?:[^@/]*@)?(?P<host>[\w.-]+)(?::\d+)?/(?P<path>.+)$"
)


def read_history(repo: Path, config: Config | None = None, *, cache: bool = True) -> History:
    """Every commit reachable from HEAD (newest first) and the blackboard's history.

    An empty History when the folder is not a git repository, has no commits, or git fails
    (logged, never fatal). `cache=False` neither reads nor writes the history cache (`--no-cache`).
    """
    config = config or Config()
    try:
        handle = git.Repo(repo)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return History()
    try:
        if not handle.head.is_valid():
            return History()  # a repository without commits
        head = handle.head.commit.hexsha
        branch = None if handle.head.is_detached else handle.active_branch.name
        remote = remote_url(_origin_url(handle))
        paths = blackboard_paths(config)
        store = _cache_for(repo, config, paths) if cache and config.cache.enabled else None
        commits, walk = _read(handle, head, paths, store)
        by_sha = {c.sha: c for c in commits}
        board = walk.board_since
        return History(
            commits=commits,
            head=head,
            branch=branch,
            remote_url=remote,
            trails=walk.trails_for(by_sha),
            claims=walk.claims_for(by_sha),
            blackboard=paths,
            scoreboard_since=by_sha[board].at if board in by_sha else None,
        )
    except (git.GitCommandError, ValueError, OSError) as exc:
        log.warning("%s: cannot read the git history (%s); reading the board without it", repo, exc)
        return History()
    finally:
        handle.close()


def blackboard_paths(config: Config) -> tuple[str, ...]:
    """The scoreboard and the queue folder as clean repository-relative paths."""
    return (_posix(config.paths.scoreboard), _posix(config.paths.queue_dir))


def _posix(rel: str) -> str:
    parts = [p for p in PurePosixPath(rel.replace("\\", "/")).parts if p not in (".", "/")]
    return "/".join(parts)


def _cache_for(repo: Path, config: Config, paths: tuple[str, ...]) -> HistoryCache:
    folder = Path(config.cache.dir).expanduser()
    if not folder.is_absolute():
        folder = repo / folder
    key = {"tool": __version__, "walk": 3, "paths": list(paths)}  # 3: moves keep their trail
    return HistoryCache(folder, key)


def _read(
    handle: git.Repo, head: str, paths: tuple[str, ...], store: HistoryCache | None
) -> tuple[tuple[Commit, ...], history_board.Walk]:
    """The commits and the walk: resumed from the cache where it still fits, else from scratch."""
    resumed = _resume(handle, head, paths, store) if store is not None else None
    if resumed is not None:
        cached_commits, walk, since = resumed
        new = tuple(_log(handle, f"{since}..{head}")) if since != head else ()
        commits = new + cached_commits
        try:
            if since != head:
                _walk(handle, walk, paths, f"{since}..{head}")
        except (IndexError, KeyError, TypeError, ValueError, AttributeError) as exc:
            # A cache that passed every check yet does not replay: read everything again.
            log.info("history cache dropped while resuming (%r)", exc)
            resumed = None
        else:
            log.info("history: %d new commit(s) after the cached %s", len(new), since[:7])
    if resumed is None:
        commits = tuple(_log(handle, head))
        walk = history_board.Walk(*paths)
        _walk(handle, walk, paths, head)
    # Writing the cache back costs about what reading it does, while a few commits replay in
    # milliseconds: a resumed walk is saved again only once HEAD is well past the cached commit.
    if store is not None and (resumed is None or len(commits) - len(resumed[0]) >= REWRITE_AFTER):
        store.save(
            head, {"commits": [_commit_data(c) for c in commits], "walk": history_board.dump(walk)}
        )
    return commits, walk


def _resume(
    handle: git.Repo, head: str, paths: tuple[str, ...], store: HistoryCache
) -> tuple[tuple[Commit, ...], history_board.Walk, str] | None:
    cached = store.load()
    if cached is None:
        return None
    since = cached.head
    try:
        if since != head and not _on_first_parent_chain(handle, since, head):
            log.info("history cache: %s is not on HEAD's first-parent chain (rebased?)", since[:7])
            return None
        commits = tuple(_commit_from(d) for d in cached.data["commits"])
        if not commits or commits[0].sha != since:
            raise history_board.StaleState("the cached commits do not end at the cached head")

        def read(path: str) -> list[str] | None:
            return history_board.fetch_lines(lambda ref: _object(handle, ref), f"{since}:{path}")

        walk = history_board.load(cached.data["walk"], read)
        if (
            walk.head is not None
            and walk.head != since
            and not _is_ancestor(handle, walk.head, since)
        ):
            raise history_board.StaleState("the cached walk is not behind the cached head")
        if tuple(paths) != (walk.scoreboard, walk.queue_dir):
            raise history_board.StaleState("the cached walk is of other paths")
    except (history_board.StaleState, KeyError, TypeError, ValueError, git.GitCommandError) as exc:
        log.info("history cache not used: %s", exc)
        return None
    return commits, walk, since


def _on_first_parent_chain(handle: git.Repo, ancestor: str, head: str) -> bool:
    """True when `ancestor` is HEAD's first-parent ancestor: the diffs after it then apply to it."""
    if not _is_ancestor(handle, ancestor, head):
        return False
    out = handle.git.rev_list("--first-parent", "--parents", f"{ancestor}..{head}")
    lines = out.split("\n")
    oldest = lines[-1].split() if lines and lines[-1] else []
    return len(oldest) >= 2 and oldest[1] == ancestor


def _is_ancestor(handle: git.Repo, ancestor: str, head: str) -> bool:
    try:
        handle.git.merge_base("--is-ancestor", ancestor, head)
    except git.GitCommandError:
        return False  # not an ancestor, or a commit git does not know (gc'd after a rebase)
    return True


def _object(handle: git.Repo, ref: str) -> bytes | None:
    """A blob's bytes through GitPython's persistent `git cat-file --batch`; None when missing."""
    try:
        _sha, kind, _size, data = handle.git.get_object_data(ref)
    except (ValueError, git.GitCommandError):
        return None
    return bytes(data) if kind in (b"blob", "blob") else None


def _walk(handle: git.Repo, walk: history_board.Walk, paths: tuple[str, ...], revs: str) -> None:
    """Read the blackboard's first-parent diffs and replay them, oldest first, into the walk.

    git sends them newest first, as a plain `git log -p` does: `--reverse` would make git compute
    every diff in the other order, which costs it a quarter more time. The diffs are parsed as they
    stream in (while git works on the next ones) and kept — they are the size of the changes, not
    of the files — then replayed in order.
    """
    proc: Any = handle.git.log(
        revs,
        DIFF_FORMAT,
        "--first-parent",
        "-p",
        "--raw",
        "--no-abbrev",
        "-U0",
        "--no-renames",
        "--diff-merges=first-parent",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "--",
        *(f":(literal){p}" for p in paths if p),
        as_process=True,
    )
    stdout: IO[bytes] = proc.stdout

    def fetch(blob: str) -> bytes | None:
        return _object(handle, blob)

    newest_first = list(parse_diffs(iter(lambda: stdout.read(_CHUNK), b"")))
    proc.wait()
    for commit in reversed(newest_first):
        walk.commit(commit.sha, commit.files.values(), fetch)


def _log(handle: git.Repo, revs: str) -> Iterator[Commit]:
    """Stream `git log` once and yield its commits as they arrive."""
    proc: Any = handle.git.log(
        revs,
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
    sha, stamp, author, parents, subject = (header.split(_FIELD, 4) + [b""] * 5)[:5]
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
        merge=len(parents.split()) > 1,
    )


def _commit_data(c: Commit) -> list[Any]:
    return [c.sha, int(c.at.timestamp()), c.author, c.subject, c.session, list(c.paths), c.merge]


def _commit_from(d: list[Any]) -> Commit:
    sha, at, author, subject, session, paths, merge = d
    return Commit(
        str(sha),
        datetime.fromtimestamp(int(at), UTC),
        str(author),
        str(subject),
        session,
        tuple(paths),
        bool(merge),
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
