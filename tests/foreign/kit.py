"""The building blocks of the foreign boards: a git repository writer, an inbox writer and expectations."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

SCOREBOARD = "docs/ai/sessions/active.md"
QUEUE = "docs/ai/sessions/queue"
SEP = " · "
HEADER = "| Session | Task | Worktree | Claimed | Presence | Scope |\n|---|---|---|---|---|---|\n"


def q(recipient: str) -> str:
    """The path of a queue file, ``to-<recipient>.md``."""
    return f"{QUEUE}/to-{recipient}.md"


def at(text: str) -> datetime:
    """``2026-06-02T09:15`` (UTC) as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def ts(moment: datetime) -> str:
    """The canonical form ``YYYY-MM-DDTHH:MMZ``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


_DRY: ContextVar[bool] = ContextVar("dry", default=False)


@contextmanager
def files_only() -> Iterator[None]:
    """Write boards without running git: the files (and so every expected line) are the same."""
    token = _DRY.set(True)
    try:
        yield
    finally:
        _DRY.reset(token)


class Repo:
    """A repository on disk; ``git`` is optional so that a plain folder can be a 'repository' too."""

    def __init__(self, root: Path, *, git: bool = True) -> None:
        self.root = root
        self.git = git and not _DRY.get()
        root.mkdir(parents=True, exist_ok=True)
        if self.git:
            self._run("init", "-q", "-b", "main")

    def _run(self, *args: str, when: datetime | None = None, author: str = "Dev") -> str:
        email = f"{author.lower().replace(' ', '.')}@example.invalid"
        env = {
            **os.environ,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": author,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": author,
            "GIT_COMMITTER_EMAIL": email,
        }
        if when is not None:
            stamp = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = stamp
        done = subprocess.run(
            ["git", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false", *args],
            cwd=self.root,
            env=env,
            check=True,
            capture_output=True,
        )
        return done.stdout.decode("utf-8", "replace")

    def write(
        self, path: str, content: str | bytes, *, crlf: bool = False, bom: bool = False
    ) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            if crlf:
                content = content.replace("\r\n", "\n").replace("\n", "\r\n")
            data = content.encode("utf-8")
            if bom:
                data = b"\xef\xbb\xbf" + data
            target.write_bytes(data)
        else:
            target.write_bytes(content)

    def symlink(self, path: str, target: str) -> None:
        link = self.root / path
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(target)

    def remove(self, path: str) -> None:
        (self.root / path).unlink()

    def checkout(self, branch: str, *, new: bool = False) -> None:
        if not self.git:
            return
        self._run("checkout", "-q", *(("-b",) if new else ()), branch)

    def commit(self, when: datetime, subject: str, author: str = "Dev") -> None:
        """Stage everything and commit at ``when`` (author and committer date)."""
        if not self.git:
            return
        self._run("add", "-A")
        self._run("commit", "-q", "--allow-empty", "-m", subject, when=when, author=author)


@dataclass
class Block:
    heading: str
    body: list[str]
    acks: list[str] = field(default_factory=list)


class Inbox:
    """One queue file written the way sessions write it: append a block, append acks, edit status."""

    def __init__(self, repo: Repo, path: str, *, crlf: bool = False, bom: bool = False) -> None:
        self.repo, self.path, self.crlf, self.bom = repo, path, crlf, bom
        self.blocks: list[Block] = []
        self.preamble: list[str] = []

    def post(self, heading: str, *body: str) -> Block:
        block = Block(heading, list(body))
        self.blocks.append(block)
        self.save()
        return block

    def ack(self, block: Block, line: str, status: str | None = None) -> None:
        block.acks.append(line)
        if status is not None:
            head, _, _ = block.heading.rpartition(" · status:")
            block.heading = f"{head} · status:{status}"
        self.save()

    def text(self) -> str:
        out: list[str] = list(self.preamble)
        for block in self.blocks:
            out += [block.heading, "", *block.body]
            if block.acks:
                out += ["", *block.acks]
            out.append("")
        return "\n".join(out) + "\n" if out else ""

    def save(self) -> None:
        self.repo.write(self.path, self.text(), crlf=self.crlf, bom=self.bom)


class Scoreboard:
    """The claim scoreboard: prose before and after one table whose rows sessions add and edit."""

    def __init__(
        self,
        repo: Repo,
        *,
        before: str = "# Active sessions\n\n",
        header: str = HEADER,
        after: str = "",
        crlf: bool = False,
        bom: bool = False,
    ) -> None:
        self.repo, self.before, self.header, self.after = repo, before, header, after
        self.crlf, self.bom = crlf, bom
        self.rows: dict[str, str] = {}

    def set(self, key: str, row: str) -> None:
        self.rows[key] = row
        self.save()

    def drop(self, key: str) -> None:
        del self.rows[key]
        self.save()

    def text(self) -> str:
        rows = "".join(row + "\n" for row in self.rows.values())
        return self.before + self.header + rows + self.after

    def save(self) -> None:
        self.repo.write(SCOREBOARD, self.text(), crlf=self.crlf, bom=self.bom)


def row(
    sid: str,
    name: str,
    task: str,
    claimed: str,
    presence: str,
    scope: str,
    *,
    mode: str = "direct-to-main",
    extra: tuple[str, ...] = (),
) -> str:
    """A well-formed claim row; ``name`` may be empty for 'no name'."""
    session = f"{sid}{SEP}{name}" if name else sid
    worktree = f"worktree `session-{sid}` → {mode}, `[{sid}]`"
    cells = [session, task, worktree, claimed, presence, scope, *extra]
    return "| " + " | ".join(cells) + " |"


def line_of(root: Path, path: str, needle: str, *, exact: bool = False) -> int:
    """1-based number of the only line of ``path`` containing ``needle`` (lines end at LF only).

    With ``exact``, the line must be ``needle`` itself.
    """
    lines = (root / path).read_bytes().split(b"\n")
    want = needle.encode("utf-8")
    hits = [i + 1 for i, text in enumerate(lines) if (text == want if exact else want in text)]
    if len(hits) != 1:
        raise AssertionError(f"needle {needle!r} found on lines {hits} of {path}")
    return hits[0]


@dataclass(frozen=True)
class Expect:
    """A finding the specification demands (or forbids): one of ``rules`` at ``path``:``line``.

    ``rules`` has several names only where the specification leaves the rule open; ``line`` is None
    where the specification gives no line (a whole file). ``bug`` is set where the tool is known to
    disagree with the specification: the test is then a strict xfail carrying that description.
    """

    rules: frozenset[str]
    path: str
    line: int | None
    bug: str | None = None
    why: str = ""

    def matches(self, rule: str, path: str, line: int | None) -> bool:
        return rule in self.rules and path == self.path and (self.line is None or line == self.line)

    def label(self) -> str:
        rules = "|".join(sorted(self.rules))
        return f"{rules}@{self.path.rsplit('/', 1)[-1]}:{self.line}"


def expect(
    rule: str | tuple[str, ...],
    path: str,
    line: int | None,
    *,
    bug: str | None = None,
    why: str = "",
) -> Expect:
    rules = frozenset((rule,) if isinstance(rule, str) else rule)
    return Expect(rules, path, line, bug, why)


@dataclass
class Board:
    """A built board and everything the specification says the tool must make of it."""

    name: str
    root: Path
    now: str
    summary: str
    clean: bool = False
    expected: list[Expect] = field(default_factory=list)
    absent: list[Expect] = field(default_factory=list)
    tolerated: list[Expect] = field(default_factory=list)
    readable_queues: list[str] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)
    liveness: dict[str, str] = field(default_factory=dict)
    paths: dict[str, list[str]] = field(default_factory=dict)
    is_git: bool = True
    extra: dict[str, str] = field(default_factory=dict)


class Timeline:
    """Events (a change and its commit) collected in any order and played in time order."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo
        self.events: list[tuple[datetime, int, str, str, Callable[[], None]]] = []

    def at(self, when: str, subject: str, change: Callable[[], None], author: str = "Dev") -> None:
        self.events.append((at(when), len(self.events), subject, author, change))

    def play(self) -> None:
        for when, _, subject, author, change in sorted(self.events, key=lambda e: (e[0], e[1])):
            change()
            self.repo.commit(when, subject, author)
        self.events.clear()
