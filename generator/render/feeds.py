"""Atom feeds (RFC 4287): one per inbox, `feeds/<slug>.xml`, and `feeds/waiting-human.xml` for
everything waiting on the person.

Entry ids are `urn:statusboard:<repository>:<message id>`, so a feed reader never shows a message
twice; an entry's `updated` is when git first saw the message (its first commit), else its written
time. The same repository and `--now` give the same bytes. Every text goes through ElementTree,
which escapes it; characters XML 1.0 cannot carry become U+FFFD.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from datetime import datetime
from urllib.parse import quote

from markupsafe import Markup

from generator.render.markdown import render_markdown
from generator.render.pages.inboxes import MessageView, RecipientView
from generator.render.pages.urls import site_repo_url
from generator.render.tasks import tracker_page
from generator.render.waiting import (
    PERSON,
    Who,
    find,
    site_link,
    waiting_messages,
    waiting_tasks,
)
from generator.result import Result
from generator.timeutil import iso
from generator.tracking import category, task_anchor, task_label

ATOM = "http://www.w3.org/2005/Atom"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_URN_SAFE = "/:@!$&'()*+,;=-._~"

Markdown = Callable[[str], Markup]  # a message body as HTML


def feed_path(view: RecipientView) -> str:
    """Where an inbox's feed lives: beside the site's other files, named like its page."""
    return f"feeds/{view.slug}.xml"


def person_feed_path(views: Sequence[RecipientView]) -> str:
    """`feeds/waiting-human.xml`, unless an inbox's feed already has that name."""
    taken = {feed_path(v) for v in views}
    name, n = f"feeds/waiting-{PERSON}.xml", 2
    while name in taken:
        name, n = f"feeds/waiting-{PERSON}-{n}.xml", n + 1
    return name


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _clean(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def repository_token(result: Result) -> str:
    """The repository in entry ids: its web address without scheme (`github.com/acme/po`), else
    the name of its folder."""
    url = site_repo_url(result)
    if url:
        return re.sub(r"^https?://", "", url)
    return result.board.root.rstrip("/").rsplit("/", 1)[-1] or "board"


def _urn(result: Result, *parts: str) -> str:
    return "urn:statusboard:" + ":".join(
        quote(p, safe=_URN_SAFE) for p in (repository_token(result), *parts)
    )


def _href(result: Result, page: str, anchor: str | None = None) -> str:
    """A link from a feed: absolute under `site_url` (Atom wants absolute IRIs), else relative to
    the feed's own address (`feeds/`), which is how readers resolve it."""
    site_url = result.config.site.site_url
    return site_link(site_url, page, anchor) if site_url else "../" + site_link(None, page, anchor)


def entry_updated(m: MessageView) -> datetime | None:
    """When the message appeared: its first commit, else the time written in its heading."""
    if m.trail is not None and m.trail.events and m.trail.events[0].kind == "added":
        return m.trail.events[0].commit.at
    return m.message.at.value if m.message.at is not None else None


def _message_entry(
    result: Result, feed: ET.Element, m: MessageView, fallback: datetime, body: Markdown
) -> None:
    msg = m.message
    entry = _add(feed, "entry")
    sender = msg.sender or "unknown sender"
    what = msg.type or ("unreadable message" if not msg.parsed else "message")
    title = f"{what} from {sender}" + (f": {m.summary}" if m.summary else "")
    _add(entry, "title", title)
    _add(entry, "id", _urn(result, msg.id))
    _add(entry, "updated", iso(entry_updated(m) or fallback))
    if msg.at is not None:
        _add(entry, "published", msg.at.iso())
    author = _add(entry, "author")
    _add(author, "name", sender)
    link = _href(result, m.archive, m.anchor)  # the card's permanent anchor
    _add(entry, "link", rel="alternate", type="text/html", href=link)
    facts = [f"to {msg.to or msg.queue}", f"status {msg.status}"]
    if msg.ref:
        facts.append(f"ref {msg.ref}")
    if m.waiting:
        facts.append(f"waiting for {m.waiting}" + (" (overdue)" if m.overdue else ""))
    _add(entry, "summary", " · ".join(facts), type="text")
    _add(entry, "content", str(body(msg.body)), type="html")


def _feed(
    result: Result, key: str, title: str, alternate: str | None, self_path: str
) -> ET.Element:
    feed = ET.Element("feed", {"xmlns": ATOM})
    _add(feed, "title", title)
    _add(feed, "id", _urn(result, "feed", key))
    site_url = result.config.site.site_url
    if site_url:
        _add(
            feed,
            "link",
            rel="self",
            type="application/atom+xml",
            href=f"{site_url.rstrip('/')}/{self_path}",
        )
    if alternate is not None:
        _add(feed, "link", rel="alternate", type="text/html", href=_href(result, alternate))
    author = _add(feed, "author")
    _add(author, "name", "statusboard")
    _add(feed, "generator", "statusboard")
    return feed


def _finish(feed: ET.Element, times: list[datetime], now: datetime) -> bytes:
    """Set the feed's `updated` (its newest entry, else now) and serialise it."""
    updated = ET.Element("updated")
    updated.text = iso(max(times) if times else now)
    feed.insert(2, updated)
    ET.indent(feed)
    text = ET.tostring(feed, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n").encode("utf-8")


def inbox_feed(result: Result, view: RecipientView, body: Markdown = render_markdown) -> bytes:
    """The feed of one inbox: its most recent messages (as many as its page shows), newest first."""
    now = result.now
    title = "Broadcasts" if view.is_broadcast else f"Inbox of {view.title}"
    site_title = result.config.site.title
    feed = _feed(result, view.key, f"{title} · {site_title}", view.page, feed_path(view))
    newest = sorted(
        view.messages,
        key=lambda m: ((entry_updated(m) or now).timestamp(), m.message.id),
        reverse=True,
    )[: max(result.config.site.recent_per_inbox, 0)]
    for m in newest:
        _message_entry(result, feed, m, now, body)
    return _finish(feed, [entry_updated(m) or now for m in newest], now)


def person_feed(
    result: Result,
    people: Sequence[Who],
    views: Sequence[RecipientView],
    body: Markdown = render_markdown,
) -> bytes:
    """Everything waiting on the person: messages addressed to `human` still open, and tasks
    assigned to them that are blocked or in review."""
    now = result.now
    person = find(result, people, PERSON)  # with or without a queue file of its own
    title = f"Waiting on {PERSON} · {result.config.site.title}"
    feed = _feed(result, f"waiting-{PERSON}", title, "inboxes/index.md", person_feed_path(views))
    times: list[datetime] = []
    if person is not None:
        for m in waiting_messages(person):
            _message_entry(result, feed, m, now, body)
            times.append(entry_updated(m) or now)
        for t in waiting_tasks(result, person):
            entry = _add(feed, "entry")
            _add(entry, "title", f"{task_label(t)} is {category(t)}: {t.title}")
            _add(entry, "id", _urn(result, "task", t.tracker, t.id or str(t.source.line)))
            stamp = t.updated or t.created
            when = stamp.value if stamp is not None else now
            times.append(when)
            _add(entry, "updated", iso(when))
            author = _add(entry, "author")
            _add(author, "name", t.tracker)
            _add(
                entry,
                "link",
                rel="alternate",
                type="text/html",
                href=_href(result, tracker_page(t.tracker), task_anchor(t)),
            )
            _add(entry, "summary", t.blocker or f"status {t.status}", type="text")
    return _finish(feed, times, now)


def feeds(
    result: Result,
    views: Sequence[RecipientView],
    people: Sequence[Who],
    body: Markdown = render_markdown,
) -> dict[str, bytes]:
    """Every feed as {path under the site root: bytes}. `body` renders a message body (the
    build passes the render cache's, which remembers the bodies of the feeds' recent messages)."""
    out = {feed_path(v): inbox_feed(result, v, body) for v in views}
    out[person_feed_path(views)] = person_feed(result, people, views, body)
    return out
