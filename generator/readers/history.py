"""The git history (formats.md §8): every commit, and the blackboard's own history, read from git.

Two `git log` runs, whatever the length of the history: one `--name-only` over every commit
reachable from HEAD (who committed what, when, touching which paths), and one `--raw` over the
first-parent chain restricted to the scoreboard and the queue folder (which file changed, from
which blob to which). Every version is then sent whole by one `git cat-file --batch`, newest
first, each change worked out from its old and new version (history_diff.changes) and replayed,
oldest first, by history_board.Walk. A blob is read again (through GitPython's persistent
`git cat-file --batch`) only where the walk needs a whole file: a binary version, or a file whose
text was unknown before. Changes merged from a branch (a session in PR mode) reach the blackboard
with the merge commit, and are attributed to it; the branch's own commits still count among all
commits (signs of life, the git-discipline rules).

In a shallow clone the boundary commits (their parents were not fetched) look to git like root
commits adding every file. They are read as the starting state instead: their tree starts the walk
(the messages and claims it holds), but they list no changed paths, so no rule judges them as a
change. The cache remembers the boundary, and an unshallow or a deepen reads everything again.

Every git command runs with the options of `GIT_OPTIONS` and explicit flags, so that nothing in
the user's or the repository's git configuration (external diff drivers, textconv, colour, diff
prefixes, `core.bigFileThreshold`, `log.showSignature`, an output encoding, `log.showRoot`…) can
change what git prints: the same commits give the same history on every machine.

What the walk yields is cached per configuration under `cache.dir` (generator/cache.py): a rebuild
checks that the cached commit is still on HEAD's first-parent chain and that git gives the cached
files' text there, then reads only the commits after it. Anything else rebuilds from scratch. A
read-only build (`save=False`: `statusboard inbox`) resumes the same way but never writes the cache.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

import git

from generator import __version__
from generator.cache import HistoryCache, signing_key
from generator.config import Config
from generator.model import Commit, History
from generator.readers import history_board
from generator.readers.history_diff import FORMAT as DIFF_FORMAT
from generator.readers.history_diff import changes
from generator.readers.history_diff import parse as parse_diffs
from generator.readers.secrets import may_hold_secret, redact_path, redact_text
from generator.repourl import web_url

log = logging.getLogger(__name__)

_SESSION_PREFIX = re.compile(r"^\[(s[A-Z])\]")
_RECORD = b"\x1e"
_FIELD = b"\x1f"
# %x1e starts a record, %x1f separates its fields; with -z the subject ends in NUL and the paths
# that --name-only lists follow, each NUL-terminated (no quoting of unusual names).
_FORMAT = "--format=%x1e%H%x1f%ct%x1f%an%x1f%P%x1f%s"
_CHUNK = 1 << 16
# `git -c` settings that outrank every configuration file, so that no user or repository setting
# changes what git prints (tests/test_git_hardening.py sets each in a real repository).
GIT_OPTIONS = (
    "core.bigFileThreshold=2047m",  # a smaller one makes git call a big queue file binary
    "core.quotePath=false",
    "core.attributesFile=" + os.devnull,  # the user's own attributes (`*.md -diff`, textconv)
    "diff.noprefix=false",  # and --src-prefix/--dst-prefix: the paths `diff --git` names
    "diff.relative=false",
    "diff.interHunkContext=0",  # more would join hunks with context lines between them
    "diff.external=",
    "log.showRoot=true",  # false hides the first commit's diff: the board's starting text
    "log.showSignature=false",
    "log.follow=false",
    "color.ui=never",
    "i18n.logOutputEncoding=UTF-8",
)
# The same, as flags of `git log` (where a flag exists, it wins over any configuration).
_LOG_FLAGS = (
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--no-renames",
    "--no-relative",
    "--no-show-signature",
    "--no-notes",
    "--encoding=UTF-8",
    "--diff-merges=first-parent",
)
REWRITE_AFTER = 32  # new commits since the cached one before the history cache is written again


def read_history(
    repo: Path, config: Config | None = None, *, cache: bool = True, save: bool = True
) -> History:
    """Every commit reachable from HEAD (newest first) and the blackboard's history.

    An empty History when the folder is not a git repository, has no commits, or git fails
    (logged, never fatal). `cache=False` neither reads nor writes the history cache (`--no-cache`);
    `save=False` reads it (and replays the newer commits in memory) but never writes it.
    """
    config = config or Config()
    try:
        handle = git.Repo(repo)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return History()
    handle.git.set_persistent_git_options(c=list(GIT_OPTIONS))
    try:
        if not handle.head.is_valid():
            return History()  # a repository without commits
        head = handle.head.commit.hexsha
        branch = None if handle.head.is_detached else redact_path(handle.active_branch.name)
        remote = web_url(_origin_url(handle))
        paths = blackboard_paths(config)
        store = _cache_for(repo, config, paths) if cache and config.cache.enabled else None
        shallow = _shallow(handle)
        # The credentials' fingerprints are keyed with this user's own key, never kept in the
        # repository's cache folder; a build that writes no cache makes no key either.
        key = signing_key(create=store is not None and save)
        commits, walk = _read(handle, head, paths, store, shallow, save, key)
        by_sha = {c.sha: c for c in commits}
        board = walk.board_since
        boundary = tuple(sorted(sha for sha in shallow or () if sha in by_sha))
        if shallow is not None:
            log.warning(
                "%s is a shallow clone (history cut at %s): the git-discipline rules and the "
                "history before it are missing; fetch the whole history (`fetch-depth: 0`, "
                "`git fetch --unshallow`) for a complete board",
                repo,
                ", ".join(sha[:7] for sha in boundary) or "no commit reachable from HEAD",
            )
        return History(
            commits=commits,
            head=head,
            branch=branch,
            remote_url=remote,
            trails=walk.trails_for(by_sha, frozenset(boundary)),
            secrets=walk.secrets_for(by_sha),
            claims=walk.claims_for(by_sha),
            blackboard=paths,
            scoreboard_since=by_sha[board].at if board in by_sha else None,
            shallow=shallow is not None,
            boundary=boundary,
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


def _shallow(handle: git.Repo) -> frozenset[str] | None:
    """The boundary commits of a shallow clone (`.git/shallow`); None when the clone is complete."""
    if handle.git.rev_parse("--is-shallow-repository").strip() != "true":
        return None
    try:
        text = (Path(handle.common_dir) / "shallow").read_text(encoding="ascii", errors="replace")
    except OSError:
        return frozenset()
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def _cache_for(repo: Path, config: Config, paths: tuple[str, ...]) -> HistoryCache:
    folder = Path(config.cache.dir).expanduser()
    if not folder.is_absolute():
        folder = repo / folder
    # 3: moves keep their trail; 4: a shallow clone's boundary is a starting state, not a change;
    # 5: the credentials of past versions
    key = {"tool": __version__, "walk": 5, "paths": list(paths)}
    return HistoryCache(folder, key)


def _read(
    handle: git.Repo,
    head: str,
    paths: tuple[str, ...],
    store: HistoryCache | None,
    shallow: frozenset[str] | None = None,
    save: bool = True,
    key: bytes | None = None,
) -> tuple[tuple[Commit, ...], history_board.Walk]:
    """The commits and the walk: resumed from the cache where it still fits, else from scratch."""
    boundary = shallow or frozenset()
    # The boundary the cached history must have been read with (None: a complete history).
    cut = sorted(boundary) if shallow is not None else None
    resumed = _resume(handle, head, paths, store, cut, key) if store is not None else None
    if resumed is not None:
        cached_commits, walk, since = resumed
        new = tuple(_log(handle, f"{since}..{head}", boundary)) if since != head else ()
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
        commits = tuple(_log(handle, head, boundary))
        walk = history_board.Walk(paths[0], paths[1], key)
        _walk(handle, walk, paths, head)
        log.info("history: %d commit(s) read from scratch", len(commits))
    # Writing the cache back costs about what reading it does, while a few commits replay in
    # milliseconds: a resumed walk is saved again only once HEAD is well past the cached commit.
    stale = resumed is None or len(commits) - len(resumed[0]) >= REWRITE_AFTER
    if store is not None and save and stale:
        data = {"commits": [_commit_data(c) for c in commits], "walk": history_board.dump(walk)}
        store.save(head, {**data, "shallow": cut})
    return commits, walk


def _resume(
    handle: git.Repo,
    head: str,
    paths: tuple[str, ...],
    store: HistoryCache,
    cut: list[str] | None,
    key: bytes | None = None,
) -> tuple[tuple[Commit, ...], history_board.Walk, str] | None:
    cached = store.load()
    if cached is None:
        return None
    since = cached.head
    try:
        if cached.data.get("shallow") != cut:
            # Read before an unshallow or a deepen (or in another clone): the boundary commits it
            # took as starting states have parents now, or new ones are cut.
            raise history_board.StaleState("it was read with another shallow boundary")
        if since != head and not _on_first_parent_chain(handle, since, head):
            log.info("history cache: %s is not on HEAD's first-parent chain (rebased?)", since[:7])
            return None
        commits = tuple(_commit_from(d) for d in cached.data["commits"])
        if not commits or commits[0].sha != since:
            raise history_board.StaleState("the cached commits do not end at the cached head")

        def read(path: str) -> list[str] | None:
            return history_board.fetch_lines(lambda ref: _object(handle, ref), f"{since}:{path}")

        walk = history_board.load(cached.data["walk"], read, key)
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
    """Read the blackboard's first-parent changes and replay them, oldest first, into the walk.

    git lists the files each commit changed (`--raw`, which costs it next to nothing) and sends
    each version whole through one `git cat-file --batch`; each change is then worked out from
    the old and the new version (`history_diff.changes`: the lines between what both share at
    their start and at their end). git's own diff (`git log -p`) compares every line of both
    versions, and the queue files grow with every message while each change touches a few lines:
    on a board of 20,000 messages that diff was most of a cold build, twice what sending the
    versions costs.
    """
    proc: Any = handle.git.log(
        revs,
        DIFF_FORMAT,
        "--first-parent",
        "--raw",
        "--no-abbrev",
        *_LOG_FLAGS,
        "--",
        *(f":(literal){p}" for p in paths if p),
        as_process=True,
    )
    stdout: IO[bytes] = proc.stdout
    newest_first = list(parse_diffs(iter(lambda: stdout.read(_CHUNK), b"")))
    proc.wait()
    # The versions are read newest first, as git stores them (an older version is a delta against
    # a newer one: the other order cost git up to half as much again), and each change worked out
    # when its old version arrives; the changes are kept (the size of the changes, not of the
    # files) and replayed oldest first. Each file's newest version read so far is kept.
    wanted: list[str] = []
    held: dict[str, str | None] = {}
    for commit in newest_first:
        for diff in commit.files.values():
            if diff.status == "D" or not diff.regular or diff.blob is None:
                held[diff.path] = None
                continue
            if held.get(diff.path) != diff.blob:
                wanted.append(diff.blob)
            if diff.old_blob is not None:
                wanted.append(diff.old_blob)
            held[diff.path] = diff.old_blob
    # path: (blob, its bytes, its number of lines when known)
    versions: dict[str, tuple[str, bytes | None, int | None]] = {}
    with _BlobStream(handle, wanted) as blobs:
        for commit in newest_first:
            for diff in commit.files.values():
                if diff.status == "D" or not diff.regular or diff.blob is None:
                    versions.pop(diff.path, None)
                    continue
                seen = versions.pop(diff.path, None)
                if seen is not None and seen[0] == diff.blob:
                    new, lines = seen[1], seen[2]
                else:
                    new, lines = next(blobs), None
                old = next(blobs) if diff.old_blob is not None else None
                if new is None or (diff.old_blob is not None and old is None):
                    diff.binary = True  # missing: the walk's own read says it is unreadable
                    if diff.old_blob is not None:
                        versions[diff.path] = (diff.old_blob, old, None)
                    continue
                change = changes(old, new, lines)
                diff.hunks, diff.binary = change.hunks, change.binary
                if diff.old_blob is not None:
                    versions[diff.path] = (diff.old_blob, old, change.old_lines)

    def fetch(blob: str) -> bytes | None:
        return _object(handle, blob)

    for commit in reversed(newest_first):
        walk.commit(commit.sha, commit.files.values(), fetch)


class _BlobStream:
    """The bytes of each blob of `wanted`, in order, from one `git cat-file --batch` (None for one
    that is missing); a thread writes the requests while the caller reads the answers."""

    def __init__(self, handle: git.Repo, wanted: list[str]) -> None:
        self.handle, self.wanted = handle, wanted
        self.proc: Any = None
        self.writer: threading.Thread | None = None

    def __enter__(self) -> Iterator[bytes | None]:
        if not self.wanted:
            return iter(())
        self.proc = self.handle.git.cat_file("--batch", as_process=True, istream=subprocess.PIPE)
        # A larger pipe (Linux): the versions are gigabytes on a large board, 64 KiB at a time.
        with contextlib.suppress(AttributeError, OSError):
            fcntl.fcntl(self.proc.stdout.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
        stdin: IO[bytes] = self.proc.stdin
        requests = b"".join(sha.encode("ascii") + b"\n" for sha in self.wanted)

        def write() -> None:
            with contextlib.suppress(OSError):  # git ended early: the reader says why
                stdin.write(requests)
                stdin.close()

        self.writer = threading.Thread(target=write, name="cat-file", daemon=True)
        self.writer.start()
        return self._answers(self.proc.stdout)

    def _answers(self, out: IO[bytes]) -> Iterator[bytes | None]:
        for _ in self.wanted:
            header = out.readline()
            parts = header.split()
            if len(parts) != 3:
                if not header:
                    raise ValueError("git cat-file ended early")
                yield None  # `<sha> missing`
                continue
            size = int(parts[2])
            data = out.read(size)
            if len(data) != size or out.read(1) != b"\n":
                raise ValueError("git cat-file ended early")
            yield data

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if self.proc is None:
            return
        if kind is None:  # every answer read: git ends when its input does
            if self.writer is not None:
                self.writer.join()
            self.proc.wait()  # a failure of git's is an error of the read
            return
        # Stopped early: git stops when its output is closed, and what stopped us is the error.
        with contextlib.suppress(Exception):
            self.proc.stdout.close()
            self.proc.wait()


def _log(handle: git.Repo, revs: str, boundary: frozenset[str] = frozenset()) -> Iterator[Commit]:
    """Stream `git log` once and yield its commits as they arrive."""
    proc: Any = handle.git.log(revs, _FORMAT, "--name-only", "-z", *_LOG_FLAGS, as_process=True)
    stdout: IO[bytes] = proc.stdout
    shown: dict[bytes, str] = {}
    buffer = b""
    while chunk := stdout.read(_CHUNK):
        buffer += chunk
        *complete, buffer = buffer.split(_RECORD)
        for record in complete:
            if record:
                yield _commit(record, boundary, shown)
    if buffer:
        yield _commit(buffer, boundary, shown)
    proc.wait()


def _commit(
    record: bytes, boundary: frozenset[str] = frozenset(), shown: dict[bytes, str] | None = None
) -> Commit:
    """One commit of `_log`'s output; `shown` remembers the redacted names and paths (most
    commits touch the same few paths, by the same few authors)."""
    header, _, rest = record.partition(b"\0")
    sha, stamp, author, parents, subject = (header.split(_FIELD, 4) + [b""] * 5)[:5]
    names = shown if shown is not None else {}
    # Subject, author and paths are shown on the site and kept in the history cache: redacted here.
    paths = []
    for p in rest.lstrip(b"\n").split(b"\0"):
        if p:
            path = names.get(p)
            if path is None:
                path = names[p] = redact_path(p.decode("utf-8", "replace"))
            paths.append(path)
    if not parents.strip() and sha.decode("ascii") in boundary:
        paths = []  # a shallow clone's boundary: git lists its whole tree, not what it changed
    text = subject.decode("utf-8", "replace")
    if may_hold_secret(text):  # the cheap test first: most subjects hold nothing to redact
        text = redact_text(text)
    m = _SESSION_PREFIX.match(text)
    key = b"\0" + author  # no path starts with NUL: authors and paths share the memo
    by = names.get(key)
    if by is None:
        by = names[key] = redact_text(author.decode("utf-8", "replace"))
    return Commit(
        sha=sha.decode("ascii"),
        at=datetime.fromtimestamp(int(stamp), UTC),
        author=by,
        subject=text,
        session=m.group(1) if m else None,
        paths=tuple(paths),
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
