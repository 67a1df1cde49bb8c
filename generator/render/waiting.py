"""What waits on one recipient: the messages, tasks and findings the site would show it.

No judgement of its own: the messages come from the site's inbox views (`inbox_views`, which uses
`analysis.waiting_on`), the task columns from `tracking.category`, assignees resolve through the
address book like the Tasks page's. `waiting/<id>.json`, the feeds and `statusboard inbox` read it.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from generator.analysis import AddressKind, Resolved
from generator.model import Finding, Task
from generator.render.formats import finding_record
from generator.render.pages.inboxes import MessageView, RecipientView
from generator.render.pages.urls import page_url
from generator.render.tasks import tracker_page
from generator.result import Result
from generator.timeutil import iso, since_age
from generator.tracking import category, owner, task_anchor, task_label

WAITING_STATES = ("blocked", "review")  # task columns where a task waits on its assignee
PERSON = "human"  # how the board addresses the person (formats.md §1)
_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$")


@dataclass(frozen=True, slots=True)
class Who:
    """One recipient: a session, a roster agent, the person, or a queue nothing resolves."""

    key: str  # session id, agent id, `human`, or the queue file's recipient as written
    kind: str  # `session`, `agent`, `human` or `queue`
    name: str | None  # a session's display name
    file: str  # the stem of its `waiting/<file>.json`
    inboxes: tuple[RecipientView, ...]


def _identity(resolved: Resolved, raw: str) -> tuple[str, str]:
    if resolved.kind is AddressKind.SESSION and resolved.id:
        return "session", resolved.id
    if resolved.kind is AddressKind.AGENT and resolved.id:
        return "agent", resolved.id
    if resolved.kind is AddressKind.HUMAN:
        return "human", PERSON
    return "queue", raw


def recipients(result: Result, views: Sequence[RecipientView]) -> list[Who]:
    """Every recipient, its inboxes grouped (`to-sA.md` and `to-Sintra.md` are one session's),
    plus each roster agent without a queue file (tasks can wait on it). Broadcasts wait on no one."""
    book = result.context.book
    grouped: dict[tuple[str, str], list[RecipientView]] = {}
    for v in views:
        if not v.is_broadcast:
            grouped.setdefault(_identity(book.resolve(v.key), v.key), []).append(v)
    for agent in result.board.agents:
        grouped.setdefault(("agent", agent.id), [])
    names = {s.id: s.row.name for s in result.context.sessions if s.id}
    out: list[Who] = []
    taken: set[str] = set()
    for kind, key in sorted(grouped, key=lambda k: (k[1].lower(), k[1], k[0])):
        base = key if _SAFE.match(key) and key.lower() != "index" else _hashed(key)
        file, n = base, 2
        while file.lower() in taken:  # case-insensitive file systems
            file, n = f"{base}-{n}", n + 1
        taken.add(file.lower())
        name = names.get(key) if kind == "session" else None
        out.append(Who(key, kind, name, file, tuple(grouped[(kind, key)])))
    return out


def _hashed(key: str) -> str:
    return "r-" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def find(result: Result, people: Sequence[Who], text: str) -> Who | None:
    """The recipient `text` names: as written, or through the address book (`Sintra`, `po:sA`)."""
    wanted = text.strip()
    for who in people:
        if wanted == who.key or any(wanted == v.key for v in who.inboxes):
            return who
    resolved = result.context.book.resolve(wanted)
    kind, key = _identity(resolved, wanted)
    found = next((w for w in people if (w.kind, w.key) == (kind, key)), None)
    if found is None and kind != "queue":
        # Known to the board (a past claim, a commit, the person) but with no inbox: nothing
        # can wait in a queue for it, yet tasks may.
        names = {s.id: s.row.name for s in result.context.sessions if s.id}
        found = Who(key, kind, names.get(key), key if _SAFE.match(key) else _hashed(key), ())
    return found


def near_misses(people: Sequence[Who], text: str) -> list[str]:
    """Known ids close to a mistyped one, best first."""
    known: dict[str, str] = {}
    for who in people:
        for word in (who.key, who.name, *(v.key for v in who.inboxes)):
            if word:
                known.setdefault(word.lower(), word)
    close = difflib.get_close_matches(text.strip().lower(), list(known), n=3, cutoff=0.5)
    return [known[c] for c in close]


# The URL style of the pages these outputs link: the standalone site's `page.html`, or `page/` on a
# host site of the mkdocs plugin with `use_directory_urls`. Set around a whole `agent_outputs` run
# (`url_style`) rather than passed through every feed, llms.txt and waiting/*.json function, which
# all link pages the one same way.
_DIRECTORY_URLS: ContextVar[bool] = ContextVar("statusboard_directory_urls", default=False)


@contextmanager
def url_style(directory_urls: bool) -> Iterator[None]:
    """Link pages as `page/` (directory URLs) or `page.html` while the block runs."""
    token = _DIRECTORY_URLS.set(directory_urls)
    try:
        yield
    finally:
        _DIRECTORY_URLS.reset(token)


def site_link(site_url: str | None, page: str, anchor: str | None = None) -> str:
    """A link to a page of the site: absolute under `site_url`, else relative to the site root."""
    rel = page_url(page, _DIRECTORY_URLS.get()) + (f"#{anchor}" if anchor else "")
    return f"{site_url.rstrip('/')}/{rel}" if site_url else rel


def message_link(site_url: str | None, v: MessageView) -> str:
    """The message's permanent anchor: its card on the archive page of its month."""
    return site_link(site_url, v.archive, v.anchor)


def waiting_messages(who: Who) -> list[MessageView]:
    """The messages waiting on `who`, oldest wait first (as the inbox index lists them)."""
    found = [m for v in who.inboxes for m in v.owed if m.waiting]
    return sorted(found, key=_wait_order)


def _wait_order(m: MessageView) -> tuple[bool, float, str]:
    since = m.waiting_since
    return (since is None, since.timestamp() if since else 0.0, m.message.id)


def _assigned(result: Result, who: Who, task: Task) -> bool:
    book = result.context.book
    for raw in task.assignees:
        written = raw.strip().lstrip("@")
        if written == who.key or (who.name is not None and written == who.name):
            return True
        if _identity(owner(book, raw), written) == (who.kind, who.key):
            return True
    return False


def waiting_tasks(result: Result, who: Who) -> list[Task]:
    """Tasks assigned to `who` that are blocked or in review, in the trackers' order."""
    return [
        t for t in result.board.tasks if category(t) in WAITING_STATES and _assigned(result, who, t)
    ]


def findings_about(result: Result, who: Who) -> list[Finding]:
    """Findings in its queue files, and on its claim row(s) of the scoreboard."""
    paths = {v.path for v in who.inboxes if v.path}
    rows = {
        (s.row.source.path, s.row.source.line)
        for s in result.context.sessions
        if who.kind == "session" and s.id == who.key
    }
    return [f for f in result.findings if f.path in paths or (f.path, f.line) in rows]


def waiting_document(result: Result, who: Who) -> dict[str, Any]:
    """The `waiting/<file>.json` content (and `statusboard inbox --format json`)."""
    site_url = result.config.site.site_url
    now = result.now
    messages = []
    for m in waiting_messages(who):
        msg = m.message
        messages.append(
            {
                "id": msg.id,
                "from": msg.sender,
                "to": msg.to,
                "type": msg.type,
                "ref": msg.ref,
                "status": msg.status,
                "waiting_for": m.waiting,
                "at": msg.at.iso() if msg.at else None,
                "waiting_since": iso(m.waiting_since) if m.waiting_since else None,
                "age": since_age(now - m.waiting_since) if m.waiting_since else None,
                # Never negative: a time after now (a clock error) has waited no time yet.
                "age_seconds": max(0, int((now - m.waiting_since).total_seconds()))
                if m.waiting_since
                else None,
                "overdue": m.overdue,
                "summary": m.summary,
                "path": msg.source.path,
                "line": msg.source.line,
                "link": message_link(site_url, m),
            }
        )
    tasks = [
        {
            "source": t.tracker,
            "id": t.id,
            "label": task_label(t),
            "title": t.title,
            "status": t.status,
            "state": category(t),
            "blocker": t.blocker or None,
            "path": t.source.path,
            "line": t.source.line,
            "link": site_link(site_url, tracker_page(t.tracker), task_anchor(t)),
        }
        for t in waiting_tasks(result, who)
    ]
    return {
        "schema_version": 1,
        "recipient": who.key,
        "kind": who.kind,
        "name": who.name,
        "generated_at": iso(now),
        "inboxes": [
            {"key": v.key, "path": v.path, "link": site_link(site_url, v.page)} for v in who.inboxes
        ],
        "messages": messages,
        "tasks": tasks,
        "findings": [finding_record(f) for f in findings_about(result, who)],
    }


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _plain(text: str | None) -> str:
    """Board text for a terminal or an agent's context: one line, no control characters (an
    escape sequence in a message must not drive the terminal)."""
    return _CONTROL.sub("\ufffd", " ".join((text or "").split()))


def waiting_text(result: Result, who: Who) -> str:
    """`statusboard inbox`'s text: what waits on `who`, one item a line, with where to look."""
    doc = waiting_document(result, who)
    label = _plain(who.key) + (f" ({_plain(who.name)})" if who.name else "")
    when = iso(result.now)
    messages, tasks, findings = doc["messages"], doc["tasks"], doc["findings"]
    if not (messages or tasks or findings):
        return f"Nothing waits on {label} at {when}.\n"
    lines = [
        f"Waiting on {label} at {when}: {len(messages)} message{'' if len(messages) == 1 else 's'}, "
        f"{len(tasks)} task{'' if len(tasks) == 1 else 's'}, "
        f"{len(findings)} finding{'' if len(findings) == 1 else 's'}."
    ]
    if messages:
        lines += [
            "",
            "Messages (oldest wait first; answer with an ack line in the queue file, or"
            " acknowledge an Agent Mail message in Agent Mail):",
        ]
    for m in messages:
        what = _plain(m["type"] or "message")
        head = f"- {what} from {_plain(m['from'])}"
        if m["ref"]:
            head += f" re {_plain(m['ref'])}"
        head += f", sent {m['at'] or 'at an unknown time'}, {m['status']}"
        if m["age"]:
            future = m["waiting_since"] and m["age_seconds"] == 0 and m["age"].startswith("in ")
            head += f", dated {m['age']}" if future else f" for {m['age']}"
        wait = m["waiting_for"] or ""  # `to be seen`, `an answer or decision`, `to be done`
        head += f" — waiting {'' if wait.startswith('to ') else 'for '}{wait}"
        head += " (overdue)" if m["overdue"] else ""
        lines.append(head)
        if m["summary"]:
            lines.append(f"  {_plain(m['summary'])}")
        lines.append(f"  {m['path']}:{m['line']}  {m['link']}")
    if tasks:
        lines += ["", "Tasks assigned to it, blocked or in review:"]
    for t in tasks:
        lines.append(f"- {_plain(t['label'])} ({t['state']}): {_plain(t['title'])}")
        if t["blocker"]:
            lines.append(f"  blocker: {_plain(t['blocker'])}")
        lines.append(f"  {t['path']}:{t['line']}")
    if findings:
        lines += ["", "Lint findings about it:"]
    for f in findings:
        where = f"{f['path']}:{f['line']}" if f["line"] else f["path"]
        lines.append(f"- {where}: {f['severity']} {f['rule']}: {_plain(f['message'])}")
    return "\n".join(lines) + "\n"
