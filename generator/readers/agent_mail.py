"""MCP Agent Mail archives: the git-backed mailbox coding agents share (Python and Rust servers).

Layout, per project: `projects/<slug>/messages/YYYY/MM/<iso>__<subject>__<id>.md` (a `---json`
front matter, then the markdown body), the same file copied to `agents/<Name>/inbox|outbox/…`,
`agents/<Name>/profile.json`, `file_reservations/<sha1>.json` and `id-<n>.json` (one lease, twice),
and `messages/threads/<thread>.md` digests. The archive root holds `projects/`, or is one project.

Acks are not in git: they live in the server's SQLite database (`message_recipients.read_ts` /
`ack_ts`). They are known only when the user names that file; it is opened read-only.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any

from generator.model import Problem, SourceRef, Stamp
from generator.model_agents import AgentMail, MailMessage, MailProfile, Reservation
from generator.readers._text import clip
from generator.readers.secrets import redact_path
from generator.readers.tracker_json import loose_stamp

RULE = "export-parse"
ARCHIVE_DIRS = (".mcp_mail", ".agent_mail", ".mcp_agent_mail")  # zero-configuration places
Loader = Callable[[str], str | None]  # read, check and redact one repository file
_FENCES = ("---json", "---")


def find_archive(repo: Path, configured: str) -> str | None:
    """The repository-relative archive folder: the configured one, else the first usual one."""
    if configured.strip():
        rel = configured.strip().strip("/")
        return rel if (repo / rel).is_dir() else None
    return next((d for d in ARCHIVE_DIRS if (repo / d).is_dir()), None)


def _projects(repo: Path, root: str) -> list[tuple[str, str]]:
    """(slug, repository-relative folder) of each project of the archive."""
    base = repo / root / "projects"
    if base.is_dir():
        return [(p.name, f"{root}/projects/{p.name}") for p in sorted(base.iterdir()) if p.is_dir()]
    return [(Path(root).name, root)]


def read_archive(
    repo: Path, root: str, load: Loader, database: Path | None = None
) -> tuple[AgentMail, list[Problem]]:
    """Every message, profile and reservation of the archive at `root` (repository-relative)."""
    problems: list[Problem] = []
    messages: dict[tuple[str, str], MailMessage] = {}
    profiles: list[MailProfile] = []
    reservations: dict[tuple[str, str], Reservation] = {}
    for slug, folder in _projects(repo, root):
        base = repo / folder
        canonical = sorted(p for p in (base / "messages").glob("[0-9]*/*/*.md") if p.is_file())
        # Inbox and outbox copies are the same messages: read for one whose canonical file is gone.
        copies = sorted(p for p in (base / "agents").glob("*/*box/*/*/*.md") if p.is_file())
        for path in (*canonical, *copies):
            rel = path.relative_to(repo).as_posix()
            text = load(rel)
            if text is None:
                continue
            message = _message(redact_path(rel), slug, text, problems)
            if message is not None:
                messages.setdefault((slug, message.id), message)
        for path in sorted((base / "agents").glob("*/profile.json")):
            rel = path.relative_to(repo).as_posix()
            obj = _json(rel, load, problems)
            if obj is not None:
                profiles.append(_profile(redact_path(rel), slug, path.parent.name, obj))
        for path in sorted((base / "file_reservations").glob("*.json")):
            rel = path.relative_to(repo).as_posix()
            obj = _json(rel, load, problems)
            if obj is None:
                continue
            lease = _reservation(redact_path(rel), slug, obj, problems)
            if lease is not None:
                known = reservations.get((slug, lease.id))
                # `id-<n>.json` is the lease's own file; the digest file may be an older lease.
                if known is None or Path(rel).name.startswith("id-"):
                    reservations[(slug, lease.id)] = lease
    mail = AgentMail(
        root=root,
        messages=tuple(sorted(messages.values(), key=_message_order)),
        profiles=tuple(profiles),
        reservations=tuple(sorted(reservations.values(), key=lambda r: (r.project, r.source))),
    )
    if database is not None:
        mail, found = with_receipts(mail, database)
        problems.extend(found)
    return mail, problems


def _message_order(m: MailMessage) -> tuple[str, str, str]:
    return (m.project, m.at.iso() if m.at else "", m.source.path)


def _json(rel: str, load: Loader, problems: list[Problem]) -> dict[str, Any] | None:
    text = load(rel)
    if text is None:
        return None
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError) as exc:
        problems.append(Problem(RULE, SourceRef(rel, 1), f"not JSON: {clip(str(exc), 80)}"))
        return None
    if not isinstance(obj, dict):
        problems.append(Problem(RULE, SourceRef(rel, 1), "not a JSON object"))
        return None
    return obj


def _str(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    if isinstance(value, list):
        return tuple(_str(v) for v in value if _str(v))
    return ()


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter JSON, body, the body's first line) of a message file; None without one."""
    lines = text.split("\n")
    if not lines or lines[0].strip() not in _FENCES:
        return None
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            body = "\n".join(lines[i + 1 :]).strip("\n")
            return "\n".join(lines[1:i]), body, i + 2
    return None


def _message(rel: str, slug: str, text: str, problems: list[Problem]) -> MailMessage | None:
    parts = split_front_matter(text)
    if parts is None:
        problems.append(
            Problem(
                RULE, SourceRef(rel, 1), "an Agent Mail message without its `---json` front matter"
            )
        )
        return None
    head, body, _ = parts
    try:
        obj = json.loads(head)
    except (ValueError, RecursionError) as exc:
        problems.append(
            Problem(RULE, SourceRef(rel, 2), f"the front matter is not JSON: {clip(str(exc), 80)}")
        )
        return None
    if not isinstance(obj, dict):
        problems.append(Problem(RULE, SourceRef(rel, 2), "the front matter is not a JSON object"))
        return None
    ident = _str(obj.get("id")) or Path(rel).stem.rsplit("__", 1)[-1]
    at = loose_stamp(obj.get("created") or obj.get("created_ts"))
    if at is None:
        problems.append(
            Problem(RULE, SourceRef(rel, 2), "the message has no readable `created` time")
        )
    return MailMessage(
        source=SourceRef(rel, 1),
        project=_str(obj.get("project_slug")) or slug,
        id=ident,
        thread=_str(obj.get("thread_id")) or ident,
        at=at,
        sender=_str(obj.get("from")) or _str(obj.get("sender")) or "?",
        to=_names(obj.get("to")),
        cc=_names(obj.get("cc")),
        subject=_str(obj.get("subject")),
        importance=_str(obj.get("importance")) or "normal",
        ack_required=obj.get("ack_required") is True,
        body=body,
    )


def _stamp(value: Any) -> Stamp | None:
    return loose_stamp(value) if value not in (None, "") else None


def _profile(rel: str, slug: str, folder: str, obj: dict[str, Any]) -> MailProfile:
    retired = (
        obj.get("is_active") is False
        or bool(obj.get("retired_at"))
        or bool(obj.get("deleted_ts"))
        or obj.get("retired") is True
    )
    return MailProfile(
        source=SourceRef(rel, 1),
        project=slug,
        name=_str(obj.get("name")) or folder,
        program=_str(obj.get("program")),
        model=_str(obj.get("model")),
        task=_str(obj.get("task_description")) or _str(obj.get("task")),
        inception=_stamp(obj.get("inception_ts")),
        last_active=_stamp(obj.get("last_active_ts")),
        retired=retired,
    )


def _reservation(
    rel: str, slug: str, obj: dict[str, Any], problems: list[Problem]
) -> Reservation | None:
    pattern = _str(obj.get("path_pattern")) or _str(obj.get("path"))
    if not pattern:
        problems.append(
            Problem(RULE, SourceRef(rel, 1), "a file reservation without `path_pattern`")
        )
        return None
    return Reservation(
        source=SourceRef(rel, 1),
        project=slug,
        id=_str(obj.get("id")) or pattern,
        agent=_str(obj.get("agent")) or "?",
        pattern=pattern,
        exclusive=obj.get("exclusive") is not False,
        reason=_str(obj.get("reason")),
        created=_stamp(obj.get("created_ts")),
        expires=_stamp(obj.get("expires_ts")),
        released=_stamp(obj.get("released_ts")),
    )


def _db_stamp(value: Any) -> Stamp | None:
    """A database time: text (the Python server, naive UTC) or integer microseconds since the
    epoch (the Rust server)."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 10**14:
        return loose_stamp(value // 1000)  # milliseconds, which loose_stamp reads
    return _stamp(str(value) if value else None)


_RECEIPTS = (
    "SELECT r.message_id, a.name, r.read_ts, r.ack_ts FROM message_recipients AS r "
    "JOIN agents AS a ON a.id = r.agent_id ORDER BY r.message_id, a.name"
)


def with_receipts(mail: AgentMail, database: Path) -> tuple[AgentMail, list[Problem]]:
    """`mail` with each message's read and ack times from the server's database (read-only)."""
    shown = database.name
    if not database.is_file():
        why = f"the Agent Mail database `{shown}` (sources.agent_mail_db) does not exist"
        return mail, [Problem(RULE, SourceRef(shown), f"{why}; ack state stays unknown")]
    try:
        uri = database.resolve().as_uri() + "?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as db:
            rows = db.execute(_RECEIPTS).fetchall()
    except sqlite3.Error as exc:
        why = f"the Agent Mail database `{shown}` cannot be read: {exc}"
        return mail, [Problem(RULE, SourceRef(shown), f"{why}; ack state stays unknown")]
    receipts: dict[str, list[tuple[str, Stamp | None, Stamp | None]]] = {}
    for message_id, name, read_ts, ack_ts in rows:
        receipts.setdefault(str(message_id), []).append(
            (str(name), _db_stamp(read_ts), _db_stamp(ack_ts))
        )
    messages = tuple(replace(m, receipts=tuple(receipts.get(m.id, ()))) for m in mail.messages)
    return replace(mail, messages=messages, acks_known=True, database=shown), []
