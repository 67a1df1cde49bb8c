"""The org board: one site over the boards of many repositories (`statusboard org`).

The repositories are listed in a TOML file, each `[[repo]]` with `path =` (a local checkout, read,
analysed and judged like `statusboard lint` does) or `status =` (a published board's `status.json`,
already judged where it was built). Everything after that works on the status documents alone:
a row per repository, every session on one scoreboard, and the messages addressed across projects
by qualified handle (`to:<tag>:<id>`, `to:<tag>:*`, formats §1) shown in the addressed project's
inbox too. Reading → judging → rendering, and only `render_org` writes.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from generator.exceptions import ConfigError
from generator.progress import Progress
from generator.timeutil import iso, parse_stamp

ORG_SCHEMA_VERSION = 1
ORG_KEYS = ("title", "site_url", "repo")
REPO_KEYS = ("name", "path", "status", "tag", "site_url", "config")
LIVENESS = ("live", "idle", "stale", "unknown")
SEVERITIES = ("error", "warning", "info")
# A repository's name is an id on the pages and in org.json: nothing markup could use.
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_TAG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True, slots=True)
class RepoEntry:
    """One `[[repo]]` table of the org file."""

    index: int  # 1-based, in file order: how messages name the table
    name: str
    path: Path | None  # a local checkout
    status: Path | None  # or its published status.json
    tag: str | None  # its project tag (`po` in `po:sA`); default: the board's own project_tag
    site_url: str | None  # its own status site
    config: Path | None  # a statusboard.toml for a checkout (default: the checkout's own)

    @property
    def label(self) -> str:
        return f"[[repo]] #{self.index} ({self.name})"


@dataclass(frozen=True, slots=True)
class OrgConfig:
    source: Path
    title: str
    site_url: str | None
    repos: tuple[RepoEntry, ...]


@dataclass(frozen=True, slots=True)
class OrgRepo:
    """One repository's board as the org sees it: its status document and how to address it."""

    entry: RepoEntry
    status: dict[str, Any]
    tag: str | None
    site_url: str | None


@dataclass(frozen=True, slots=True)
class CrossMessage:
    """A message written in one repository's queues and addressed to another's sessions."""

    sender: OrgRepo
    target: OrgRepo
    recipient: str  # the addressed session's id, or `*` (every session of the project)
    message: dict[str, Any]

    @property
    def waiting(self) -> bool:
        return self.message.get("waiting_for") is not None


def _string(where: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: {key} = {value!r}: expected a non-empty string")
    return value.strip()


def _url(where: str, key: str, value: Any) -> str:
    text = _string(where, key, value)
    if not re.match(r"^https?://[^\s/@]+(/\S*)?$", text):
        raise ConfigError(f"{where}: {key} = {text!r}: expected an http(s) URL without credentials")
    return text


def load_org_config(path: Path) -> OrgConfig:
    """Read and check the org file; every mistake is one ConfigError line naming the table."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    for key in data:
        if key not in ORG_KEYS:
            raise ConfigError(f"{path}: unknown key {key!r} (known: {', '.join(ORG_KEYS)})")
    tables = data.get("repo", [])
    if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
        raise ConfigError(f"{path}: expected at least one [[repo]] table")
    base = path.parent
    repos: list[RepoEntry] = []
    names: set[str] = set()
    tags: dict[str, str] = {}
    for index, table in enumerate(tables, start=1):
        where = f"{path}: [[repo]] #{index}"
        for key in table:
            if key not in REPO_KEYS:
                raise ConfigError(f"{where}: unknown key {key!r} (known: {', '.join(REPO_KEYS)})")
        if ("path" in table) == ("status" in table):
            raise ConfigError(
                f"{where}: give exactly one of path = (a checkout) or status = (a status.json)"
            )
        local = base / _string(where, "path", table["path"]) if "path" in table else None
        status = base / _string(where, "status", table["status"]) if "status" in table else None
        if status is not None and re.match(r"^[a-z]+://", str(table["status"])):
            raise ConfigError(
                f"{where}: status = {table['status']!r}: a local file; download it first"
            )
        if local is not None:
            default = local.resolve().name
        else:
            assert status is not None  # exactly one of the two, checked above
            default = status.resolve().parent.name
        name = _string(where, "name", table.get("name", default))
        if not _NAME.match(name):
            raise ConfigError(f"{where}: name = {name!r}: letters, digits, `.`, `_`, `-` only")
        if name in names:
            raise ConfigError(
                f"{where}: name {name!r} is taken by an earlier [[repo]]; give each its own name ="
            )
        names.add(name)
        tag = table.get("tag")
        if tag is not None:
            tag = _string(where, "tag", tag)
            if not _TAG.match(tag):
                raise ConfigError(f'{where}: tag = {tag!r}: expected a short tag such as "po"')
            if tag in tags:
                raise ConfigError(
                    f"{where}: tag {tag!r} is also {tags[tag]!r}'s; each project needs its own"
                )
            tags[tag] = name
        site = _url(where, "site_url", table["site_url"]) if "site_url" in table else None
        config = base / _string(where, "config", table["config"]) if "config" in table else None
        if config is not None and local is None:
            raise ConfigError(f"{where}: config = is for a path = checkout, not a status.json")
        repos.append(RepoEntry(index, name, local, status, tag, site, config))
    title = _string(str(path), "title", data.get("title", "Boards"))
    site_url = _url(str(path), "site_url", data["site_url"]) if "site_url" in data else None
    return OrgConfig(path, title, site_url, tuple(repos))


def check_status(doc: Any, where: str) -> dict[str, Any]:
    """The essentials of status.json the org board reads; a ConfigError naming what is wrong."""

    def need(ok: bool, what: str) -> None:
        if not ok:
            raise ConfigError(f"{where}: not a statusboard status.json: {what}")

    need(isinstance(doc, dict), "expected a JSON object")
    assert isinstance(doc, dict)
    need(
        doc.get("schema_version") == 1, f"schema_version {doc.get('schema_version')!r}, expected 1"
    )
    need(isinstance(doc.get("generated_at"), str), "generated_at is missing")
    need(isinstance(doc.get("source"), dict), "source is missing")
    tag = doc["source"].get("project_tag")  # absent in a status.json older than the key
    need(
        tag is None or (isinstance(tag, str) and bool(_TAG.match(tag))),
        f'source.project_tag is {tag!r}, expected a short tag such as "po" or null',
    )
    for key in ("sessions", "messages"):
        items = doc.get(key)
        need(
            isinstance(items, list) and all(isinstance(i, dict) for i in items),
            f"{key} is not a list of objects",
        )
    for i, s in enumerate(doc["sessions"]):
        need(s.get("liveness") in LIVENESS, f"sessions[{i}].liveness is {s.get('liveness')!r}")
    findings = doc.get("findings")
    need(
        isinstance(findings, dict)
        and all(isinstance(findings.get(k), int) for k in (*SEVERITIES, "total")),
        "findings needs error, warning, info and total counts",
    )
    counts = doc.get("counts")
    need(
        isinstance(counts, dict) and isinstance(counts.get("messages"), dict),
        "counts.messages is missing",
    )
    return doc


def read_status_file(entry: RepoEntry) -> dict[str, Any]:
    """A published board's status.json, checked."""
    assert entry.status is not None
    where = f"{entry.label}: {entry.status}"
    try:
        doc = json.loads(entry.status.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"{where}: not JSON: {exc}") from exc
    return check_status(doc, where)


def gather(config: OrgConfig, now: datetime, progress: Progress | None = None) -> list[OrgRepo]:
    """Every listed repository's status document: checkouts built (as `lint` does), files read."""
    from generator import pipeline
    from generator.config import load_config
    from generator.render.outputs import status_document
    from generator.repository import locate

    repos: list[OrgRepo] = []
    for entry in config.repos:
        if entry.path is not None:
            if not entry.path.is_dir():
                raise ConfigError(
                    f"{config.source}: {entry.label}: path = {entry.path}: no such folder"
                )
            root = locate(entry.path).root
            repo_config = load_config(root, entry.config)
            result = pipeline.build(root, repo_config, now, progress=progress)
            doc = status_document(result)
            tag = entry.tag or repo_config.project_tag
            site = entry.site_url or repo_config.site.site_url
        else:
            doc = read_status_file(entry)
            tag = entry.tag or doc["source"].get("project_tag")
            site = entry.site_url
        repos.append(OrgRepo(entry, doc, tag, site))
    _distinct_tags(config, repos)
    return repos


def _distinct_tags(config: OrgConfig, repos: list[OrgRepo]) -> None:
    """A tag taken from a checkout's configuration or a status.json must still name one project:
    `to:bill:sA` cannot be delivered to two."""
    owners: dict[str, OrgRepo] = {}
    for r in repos:
        if r.tag is None:
            continue
        first = owners.setdefault(r.tag, r)
        if first is not r:
            raise ConfigError(
                f"{config.source}: {r.entry.label}: tag {r.tag!r} is also "
                f"{first.entry.name!r}'s; give one of them its own tag ="
            )


def _session_id(target: OrgRepo, name: str) -> str:
    """The id a session is known by in `target`: ids as written, display names case-folded."""
    for s in target.status["sessions"]:
        if s.get("id") == name:
            return name
    for s in target.status["sessions"]:
        if (
            isinstance(s.get("name"), str)
            and s["name"].casefold() == name.casefold()
            and s.get("id")
        ):
            return str(s["id"])
    return name


def cross_messages(repos: list[OrgRepo]) -> list[CrossMessage]:
    """The messages addressed by qualified handle to another listed project, in repo order."""
    by_tag = {r.tag: r for r in repos if r.tag}
    found: list[CrossMessage] = []
    for sender in repos:
        for m in sender.status["messages"]:
            to = m.get("to")
            if not isinstance(to, str) or ":" not in to:
                continue
            tag, _, rest = to.strip().partition(":")
            target = by_tag.get(tag)
            if target is None or target is sender or not rest.strip():
                continue
            rest = rest.strip()
            found.append(
                CrossMessage(sender, target, "*" if rest == "*" else _session_id(target, rest), m)
            )
    return found


def _stamp(text: Any) -> datetime | None:
    stamp = parse_stamp(text) if isinstance(text, str) else None
    return stamp.value if stamp is not None else None


@dataclass(frozen=True, slots=True)
class InboxLine:
    """A message on the org inbox page: waiting in its own project, or addressed across."""

    repo: OrgRepo  # the project whose queue holds it
    recipient: str
    message: dict[str, Any]
    cross: bool

    @property
    def at(self) -> datetime | None:
        return _stamp(self.message.get("at"))


def inbox_lines(repos: list[OrgRepo], crossing: list[CrossMessage]) -> dict[str, list[InboxLine]]:
    """Per repository name: what waits on its sessions (its own open messages), and every message
    another project addressed to it (open or not), oldest first."""
    lines: dict[str, list[InboxLine]] = {r.entry.name: [] for r in repos}
    crossed = {id(c.message) for c in crossing}
    for r in repos:
        for m in r.status["messages"]:
            if m.get("waiting_for") is not None and id(m) not in crossed:
                lines[r.entry.name].append(
                    InboxLine(r, str(m.get("queue") or m.get("to") or "?"), m, False)
                )
    for c in crossing:
        lines[c.target.entry.name].append(InboxLine(c.sender, c.recipient, c.message, True))
    for items in lines.values():
        items.sort(key=lambda x: (x.recipient, x.message.get("at") or "", x.repo.entry.index))
    return lines


def repo_row(r: OrgRepo, incoming: int) -> dict[str, Any]:
    """One repository's row of the overview and of org.json."""
    doc = r.status
    sessions = {state: 0 for state in LIVENESS}
    for s in doc["sessions"]:
        sessions[s["liveness"]] += 1
    messages = doc["counts"]["messages"]
    source = doc.get("source") or {}
    return {
        "name": r.entry.name,
        "tag": r.tag,
        "site_url": r.site_url,
        "from": "path" if r.entry.path is not None else "status",
        "built_at": doc["generated_at"],
        "commit": source.get("commit"),
        "repo": source.get("repo"),
        "sessions": {**sessions, "total": len(doc["sessions"])},
        "waiting": int(messages.get("waiting", 0)),
        "incoming": incoming,
        "findings": {k: doc["findings"][k] for k in (*SEVERITIES, "total")},
    }


def org_document(
    repos: list[OrgRepo], crossing: list[CrossMessage], now: datetime
) -> dict[str, Any]:
    """`org.json`: the overview's rows, every session, and the cross-project messages."""
    incoming = {r.entry.name: 0 for r in repos}
    for c in crossing:
        incoming[c.target.entry.name] += 1
    return {
        "schema_version": ORG_SCHEMA_VERSION,
        "generated_at": iso(now),
        "repos": [repo_row(r, incoming[r.entry.name]) for r in repos],
        "sessions": [
            {
                "repo": r.entry.name,
                "id": s.get("id"),
                "name": s.get("name"),
                "task": s.get("task"),
                "liveness": s.get("liveness"),
                "last_seen": s.get("last_seen"),
            }
            for r in repos
            for s in r.status["sessions"]
        ],
        "cross_messages": [
            {
                "from_repo": c.sender.entry.name,
                "to_repo": c.target.entry.name,
                "recipient": c.recipient,
                "id": c.message.get("id"),
                "at": c.message.get("at"),
                "from": c.message.get("from"),
                "to": c.message.get("to"),
                "type": c.message.get("type"),
                "status": c.message.get("status"),
                "waiting_for": c.message.get("waiting_for"),
            }
            for c in crossing
        ],
    }
