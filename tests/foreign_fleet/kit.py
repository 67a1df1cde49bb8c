"""The building blocks of the fleet source sets: where a finding must be, and what it must name.

A source set is written by hand, the way one particular team would write its coordination files,
into an empty folder that becomes a real git repository. Its expectations are declared statically
(so that pytest can collect one test per planted misuse without writing anything) and the lines
are resolved against the files at the built revision, by needle, only when a test runs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.foreign.kit import Repo, at

Finding = dict[str, Any]
NOW = "2026-06-02T12:00Z"
HUMAN = "Ana Human"
SEVERE = frozenset({"warning", "error"})

ROSTER_MD = "docs/ai/agents.md"
ROSTER_YML = "docs/ai/agents.yml"
RIFF = "docs/ai/tracker/riff.json"
BASS = "docs/ai/tracker/bass.json"
BACKLOG = "backlog/tasks"
TELEGRAM = "docs/ai/telegram/2026-06/result.json"


class _Any:
    """Any line at all (or none): the specification leaves the line open."""

    def __repr__(self) -> str:
        return "ANY"


ANY_LINE = _Any()


@dataclass(frozen=True)
class Span:
    """Any line of a multi-line object: from the line holding ``start`` (or, with ``up``, the
    nearest line above it holding ``up``) to the next line holding ``end``."""

    start: str
    end: str
    up: str | None = None


Where = str | Span | _Any | None
"""A needle (the only line holding it), a span of lines, ``ANY_LINE``, or ``None`` (no line)."""


@dataclass(frozen=True)
class Plant:
    """A finding the specification demands: one of ``rules`` at ``path`` and the line ``where``.

    ``names`` are the concrete things (task, agent, call, commit subject) the message must name,
    compared without case. ``commit`` is the key of a commit the builder recorded: a git fact must
    name that commit (its ``commit`` field, or its short sha in the message). ``paths`` widens the
    path for git facts whose file the specification leaves open. ``bug`` marks a known
    disagreement of the tool with the specification: the test is then a strict xfail.
    """

    rules: frozenset[str]
    path: str | None
    where: Where
    names: tuple[str, ...] = ()
    commit: str | None = None
    paths: frozenset[str | None] = frozenset()
    bug: str | None = None

    def label(self) -> str:
        rules = "|".join(sorted(self.rules))
        file = (self.path or "-").rsplit("/", 1)[-1]
        where = self.where.start if isinstance(self.where, Span) else self.where
        hint = self.commit or (self.names[0] if self.names else str(where)[:24])
        return re.sub(r"[^\w.:@|#-]+", "_", f"{rules}@{file}:{hint}")


def plant(
    rule: str | tuple[str, ...],
    path: str | None,
    where: Where,
    *names: str,
    commit: str | None = None,
    paths: Iterable[str | None] = (),
    bug: str | None = None,
) -> Plant:
    rules = frozenset((rule,) if isinstance(rule, str) else rule)
    return Plant(rules, path, where, tuple(names), commit, frozenset(paths), bug)


@dataclass(frozen=True)
class Absent:
    """A finding the specification forbids: none of ``rules`` on ``path`` at ``where``
    (``ANY_LINE``: anywhere in the file; ``path`` None: anywhere at all, e.g. a legal commit)."""

    rules: frozenset[str]
    path: str | None
    where: Where
    why: str
    commit: str | None = None
    names: tuple[str, ...] = ()
    bug: str | None = None

    def label(self) -> str:
        rules = "|".join(sorted(self.rules))
        file = (self.path or "-").rsplit("/", 1)[-1]
        return re.sub(r"[^\w.:@|#-]+", "_", f"no-{rules}@{file}:{self.why}")[:120]


def absent(
    rule: str | tuple[str, ...],
    path: str | None,
    where: Where,
    why: str,
    *,
    commit: str | None = None,
    names: tuple[str, ...] = (),
    bug: str | None = None,
) -> Absent:
    rules = frozenset((rule,) if isinstance(rule, str) else rule)
    return Absent(rules, path, where, why, commit, names, bug)


@dataclass
class Built:
    """What a builder leaves behind: the repository and the commits its expectations name."""

    root: Path
    commits: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FleetSet:
    """One team's sources: how to build them, the clock, and what the specification says of them.

    ``clean`` sets must give nothing at warning level or above; ``malformed`` sets hold inputs that
    are invalid for their format; ``site`` sets are also built into a site.
    """

    name: str
    summary: str
    build: Callable[[Path], Built]
    plants: tuple[Plant, ...] = ()
    absents: tuple[Absent, ...] = ()
    clean: bool = False
    malformed: bool = False
    site: bool = False
    now: str = NOW
    clean_bug: str | None = None


# ---------------------------------------------------------------------------------------------
# Resolving expectations against the files and the findings
# ---------------------------------------------------------------------------------------------


def _lines(root: Path, path: str) -> list[str]:
    return (root / path).read_text(encoding="utf-8").split("\n")


def line_of(root: Path, path: str, needle: str) -> int:
    """The 1-based number of the only line of ``path`` that holds ``needle``."""
    hits = [i + 1 for i, text in enumerate(_lines(root, path)) if needle in text]
    if len(hits) != 1:
        raise LookupError(f"needle {needle!r} is on lines {hits} of {path}")
    return hits[0]


def lines_of(root: Path, path: str | None, where: Where) -> set[int] | None:
    """The acceptable lines; ``None`` means any (or no) line is acceptable."""
    if isinstance(where, _Any) or path is None:
        return None
    if where is None:
        return set()
    if isinstance(where, str):
        return {line_of(root, path, where)}
    first = line_of(root, path, where.start)
    texts = _lines(root, path)
    if where.up is not None:
        first = next(i + 1 for i in range(first - 1, -1, -1) if where.up in texts[i])
    ends = [i + 1 for i in range(first - 1, len(texts)) if where.end in texts[i]]
    if not ends:
        raise LookupError(f"no {where.end!r} after line {first} of {path}")
    last = ends[0]
    return set(range(first, last + 1))


def names_commit(finding: Finding, sha: str) -> bool:
    """Whether a finding names the commit ``sha`` (its ``commit`` key, or a short sha in the text)."""
    given = finding.get("commit")
    if isinstance(given, str) and len(given) >= 7 and sha.startswith(given):
        return True
    return sha[:7] in str(finding.get("message", ""))


def line_ok(finding: Finding, wanted: set[int] | None) -> bool:
    if wanted is None:
        return True
    line = finding.get("line")
    return line is None if not wanted else line in wanted


def matches(finding: Finding, want: Plant, root: Path, commits: dict[str, str]) -> bool:
    if finding.get("rule") not in want.rules:
        return False
    allowed = {want.path, *want.paths}
    if finding.get("path") not in allowed:
        return False
    if not line_ok(finding, lines_of(root, want.path, want.where)):
        return False
    message = str(finding.get("message", "")).lower()
    if any(name.lower() not in message for name in want.names):
        return False
    return want.commit is None or names_commit(finding, commits[want.commit])


def forbidden(finding: Finding, rule: Absent, root: Path, commits: dict[str, str]) -> bool:
    if finding.get("rule") not in rule.rules:
        return False
    if rule.path is not None and finding.get("path") != rule.path:
        return False
    if rule.commit is not None and not names_commit(finding, commits[rule.commit]):
        return False
    message = str(finding.get("message", "")).lower()
    if any(name.lower() not in message for name in rule.names):
        return False
    wanted = lines_of(root, rule.path, rule.where)
    if wanted is None:
        return True
    return finding.get("line") in wanted


# ---------------------------------------------------------------------------------------------
# Writing sources the way teams write them
# ---------------------------------------------------------------------------------------------


def one(obj: Any) -> str:
    """One JSON object on one line, the way a hand-kept export or a JSONL writer puts it."""
    return json.dumps(obj, ensure_ascii=False)


def json_rows(head: str, groups: dict[str, list[dict[str, Any]]]) -> str:
    """An export object whose lists hold one compact object per line (``head`` opens the object)."""
    parts = []
    for key, rows in groups.items():
        inner = ",\n".join(f"    {one(r)}" for r in rows)
        parts.append(f'  "{key}": [\n{inner}\n  ]')
    return head + "{\n" + ",\n".join(parts) + "\n}\n"


def jsonl(rows: Iterable[Any]) -> str:
    return "".join((r if isinstance(r, str) else one(r)) + "\n" for r in rows)


def init_code(repo: Repo) -> None:
    """The application code every project has before any session arrives."""
    repo.write("README.md", "# po-platform\n\nPayments, web shell, ledger and runbooks.\n")
    repo.write("services/payments/app.py", "def pay() -> None:\n    pass\n")
    repo.write("web/app.tsx", "export const App = () => null;\n")
    repo.commit(at("2026-06-01T16:00"), "chore: initial import", author=HUMAN)


def sha_of(repo: Repo) -> str:
    return repo._run("rev-parse", "HEAD").strip()


def commit(
    repo: Repo, built: Built, when: str, subject: str, key: str | None = None, author: str = "Dev"
) -> None:
    """Commit everything at ``when`` (``2026-06-02T09:15``, UTC); record the sha under ``key``."""
    repo.commit(at(when), subject, author=author)
    if key is not None:
        built.commits[key] = sha_of(repo)
