"""The inbox pages (inbox.md.j2, inboxes_index.md.j2): one per recipient, monthly archives, and
the index of everyone's waiting messages; with the message cards' render-cache keys.

Page count is bounded by recipients × months, never by the number of messages: each message
lives on the archive page of its send month, where its anchor never moves; the recipient's page
shows only the most recent ones and links to the archives.

MCP Agent Mail messages join the inboxes of their recipients (`to` and `cc`): the inbox of the
session, roster agent or person the name resolves to through the address book, else one of the
Agent Mail agent's own. Each is a card of its own kind (`MessageView.mail`); the rest of the site
reads it through the queue-message form `_mail_message` gives it. It waits only when the acks are
known (the database was read) and its `ack_required` is not acked: an unknown state is no wait.
"""

from __future__ import annotations

import hashlib
import heapq
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache, partial
from typing import Any

import jinja2
from markupsafe import Markup

from generator.agent_activity import ack_state, awaits_ack, threads
from generator.analysis import AddressKind, SessionState, reply_target, waiting_on
from generator.model import Commit, Finding, Message, MessageTrail, Stamp
from generator.model_agents import MailMessage
from generator.render.activity import coding_links, thread_anchor
from generator.render.fragments import PageFragments, fill, split
from generator.render.fragments import marker as fragment_marker
from generator.render.markdown import render_markdown
from generator.render.pages.common import SAFE_NAME, FindingIndex, Render
from generator.render.pages.urls import SourceLinks, source_links
from generator.result import Result

_RESERVED = frozenset({"index"})
_PR_REF = re.compile(r"^\s*(?:PR|MR|pull)\s*[#:]?\s*(\d+)\s*$", re.I)
# A ref that escaping leaves as it is can be a hole of a cached card (a commit sha always is).
_PLAIN_REF = re.compile(r"^[A-Za-z0-9._/-]+$")
INDEX = "inboxes/index.md"
MAIL_WAIT = "an ack"  # what the sender of an unacked `ack_required` Agent Mail message waits for
_ANCHOR_JUNK = re.compile(r"[^a-z0-9]+")


# --- view models ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """One step of an ack chain: the send, then each ack, with the time since the previous step."""

    label: str  # `sent` or the ack state
    at: datetime | None
    raw_at: str
    by: str
    note: str
    since_previous: timedelta | None
    # Where the step comes from: `ack` (an ack line), `sent` (the heading), or `git` (a change of
    # the heading's status, or an edit, seen only in the queue file's history); and the commit
    # that wrote it, where the history knows it.
    origin: str = "ack"
    commit: str | None = None
    commit_by: str = ""
    commit_at: datetime | None = None
    commit_url: str | None = None


@dataclass(frozen=True, slots=True)
class MailCard:
    """What an Agent Mail message's card shows, in the inbox of one of its recipients."""

    mail: MailMessage
    recipient: str  # the Agent Mail name it was sent to, as written
    copied: bool  # in `cc`, not in `to`
    thread_anchor: str  # the thread on the Agents page
    thread_size: int
    acks_known: bool  # the database was read
    state: str  # this recipient's: `acked`, `read`, `unread`, or `unknown`
    read_at: Stamp | None = None
    acked_at: Stamp | None = None


@dataclass(slots=True)
class MessageView:
    """A message with everything its card shows (`card_key` digests it for the render cache)."""

    message: Message
    recipient: RecipientView
    archive: str  # page path of its permanent home
    trail: MessageTrail | None  # its life in git, where the history knows it
    repo: str | None  # the web address of the repository, for commit links
    unknown_fields: list[tuple[str, str]]
    ref_url: str | None
    waiting: str | None  # what the sender waits for
    waiting_since: datetime | None
    overdue: bool
    findings: list[Finding]
    reply_to: MessageView | None = None
    replies: list[MessageView] = field(default_factory=list)
    # The real recipient of a message filed in another's queue (`to:sA` in `to-sB.md`): it owes
    # the answer, and its inbox lists the message too (the misfiled-message rule flags it).
    owed_by: RecipientView | None = None
    # The read cache's digest of the message, else the message itself (for the render cache's keys).
    fingerprint: str | Message | MailCard | None = None
    # An Agent Mail message: its card shows this (`message` is its queue-message form).
    mail: MailCard | None = None
    # (anchor on the Agents page, title) of the sender's Claude Code sessions, where mapped
    sender_links: tuple[tuple[str, str], ...] = ()
    _body: Markup | None = field(default=None, repr=False)
    _steps: list[Step] | None = field(default=None, repr=False)

    @property
    def anchor(self) -> str:
        return self.message.anchor

    @property
    def owner(self) -> RecipientView:
        """Who owes the next step: the addressee, even when the message sits in another queue."""
        return self.owed_by or self.recipient

    @property
    def steps(self) -> list[Step]:
        """The ack chain with what git adds, worked out when first shown (a cached card never
        needs it, a waiting message's age does)."""
        if self._steps is None:
            m = self.message
            self._steps = _with_history(_steps(m), self.trail, self.repo, m.is_broadcast)
        return self._steps

    @property
    def body(self) -> Markup:
        """The body as safe HTML, rendered when first shown (a cached card never needs it)."""
        if self._body is None:
            self._body = render_markdown(self.message.body)
        return self._body

    @property
    def summary(self) -> str:
        """The body's first line of text (an Agent Mail subject), short, for reply stubs and tables."""
        if self.mail is not None and self.mail.mail.subject:
            text = self.mail.mail.subject
            return text if len(text) <= 90 else text[:89] + "…"
        for line in self.message.body.splitlines():
            text = line.strip().lstrip("#>-* ").strip()
            if text:
                return text if len(text) <= 90 else text[:89] + "…"
        return ""


@dataclass(slots=True)
class RecipientView:
    """One inbox: a queue file's recipient (or a session without one yet)."""

    key: str
    slug: str
    title: str  # safe for nav, `<title>` and headings
    path: str | None  # the queue file, None for a session that has never been written to
    session: SessionState | None
    messages: list[MessageView] = field(default_factory=list)
    months: list[tuple[str, str, int]] = field(default_factory=list)  # (label, page, count)
    misfiled_here: list[MessageView] = field(
        default_factory=list
    )  # addressed here, filed elsewhere

    @property
    def page(self) -> str:
        return f"inboxes/{self.slug}.md"

    @property
    def is_broadcast(self) -> bool:
        return self.key == "all"

    @property
    def owed(self) -> list[MessageView]:
        """The messages this recipient owes a step on: its queue's, but those addressed to
        someone else, and those addressed to it in another queue."""
        return [m for m in self.messages if m.owed_by is None] + self.misfiled_here

    @property
    def waiting(self) -> int:
        return sum(1 for m in self.owed if m.waiting)

    @property
    def mail_count(self) -> int:
        """How many of its messages are Agent Mail messages."""
        return sum(1 for m in self.messages if m.mail is not None)

    @property
    def last_at(self) -> datetime | None:
        times = [m.message.at.value for m in self.messages if m.message.at is not None]
        return max(times) if times else None


# --- building the views --------------------------------------------------------------------------


def _slugs(keys: Iterable[str]) -> dict[str, str]:
    """A file-name slug per recipient, unique even on case-insensitive file systems."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for key in sorted(keys):
        if SAFE_NAME.match(key) and key.lower() not in _RESERVED:
            base = key
        else:
            base = "r-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
        slug, n = base, 2
        while slug.lower() in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug.lower())
        out[key] = slug
    return out


def _steps(m: Message) -> list[Step]:
    sent = m.at.value if m.at else None
    steps = [Step("sent", sent, m.at.raw if m.at else "", m.sender or "", "", None)]
    previous = sent
    for a in m.acks:
        at = a.at.value if a.at else None
        # Each session acks a broadcast for itself: the age that matters is since the send.
        start = sent if m.is_broadcast else previous
        gap = at - start if at is not None and start is not None else None
        steps.append(Step(a.state, at, a.at.raw if a.at else "", a.by, a.note, gap))
        previous = at or previous
    return steps


def _with_history(
    steps: list[Step], trail: MessageTrail | None, repo: str | None, broadcast: bool
) -> list[Step]:
    """The ack chain with what git adds: the commit of each step, and status changes and edits
    that no ack line records, in time order (ack lines keep their order among themselves)."""
    if trail is None or not trail.events:
        return steps

    def by_commit(step: Step, c: Commit, origin: str | None = None) -> Step:
        # Built field by field: dataclasses.replace costs several times more, once per step.
        return Step(
            step.label,
            step.at,
            step.raw_at,
            step.by,
            step.note,
            step.since_previous,
            origin or step.origin,
            c.short,
            c.session or c.author,
            c.at,
            f"{repo}/commit/{c.sha}" if repo else None,
        )

    # The first event is the commit that added the block, except in a shallow clone whose
    # boundary already held it: then who committed it is unknown, and the card says nothing.
    first = trail.events[0] if trail.events[0].kind == "added" else None
    sent = by_commit(steps[0], first.commit, "sent") if first is not None else steps[0]
    acks = [e for e in trail.events if e.kind == "ack"]
    rest: list[Step] = []
    stamped: set[tuple[str, str]] = set()  # (commit, state) an ack line already shows
    for step in steps[1:]:
        match = next((e for e in acks if e.by == step.by and e.state == step.label), None)
        if match is None:
            rest.append(step)
            continue
        acks.remove(match)
        rest.append(by_commit(step, match.commit))
        stamped.add((match.commit.sha, step.label))
    for e in trail.events[1 if first is not None else 0 :]:
        if e.kind == "status" and e.state and (e.commit.sha, e.state) not in stamped:
            note = f"status: {e.before} → {e.state}"
        elif e.kind in ("rewritten", "deleted", "restored"):
            note = e.detail or ""
        else:
            continue
        label = e.state if e.kind == "status" and e.state else e.kind
        who = e.commit.session or e.commit.author
        rest.append(
            by_commit(Step(label, e.commit.at, "", who, note, None, origin="git"), e.commit)
        )
    rest.sort(key=lambda s: s.at or s.commit_at or datetime.min.replace(tzinfo=UTC))
    out = [sent]
    for step in rest:
        start = sent.at if broadcast else out[-1].at
        gap = step.at - start if step.at is not None and start is not None else None
        if gap != step.since_previous:
            step = replace(step, since_previous=gap)
        out.append(step)
    return out


def _ref_url(ref: str | None, repo: str | None) -> str | None:
    if not ref or not repo:
        return None
    m = _PR_REF.match(ref)
    if not m:
        return None
    kind = "-/merge_requests" if "gitlab" in repo else "pull"
    return f"{repo}/{kind}/{m.group(1)}"


def newest_first(months: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """Archive months newest first, the undated page last."""
    dated = [m for m in reversed(months) if m[0] != "undated"]
    return dated + [m for m in months if m[0] == "undated"]


def _month(m: Message) -> str:
    return _month_of(m.at.value.year, m.at.value.month) if m.at is not None else "undated"


@lru_cache(maxsize=1024)
def _month_of(year: int, month: int) -> str:
    return datetime(year, month, 1).strftime("%Y-%m")


class _Recipients:
    """Every inbox of a Result with its message views, threaded."""

    def __init__(self, result: Result, repo: str | None, flagged: FindingIndex) -> None:
        self.result, self.ctx, self.repo, self.flagged = result, result.context, repo, flagged
        # Each message's life in git, by (queue path, message id): its commits and status changes.
        self.trails = {(t.path, t.id): t for t in result.board.history.trails if t.present}
        self.coding = coding_links(result.board)
        self.views = self._recipients()
        self._thread([m for r in self.views for m in r.messages if m.mail is None])
        self._misfiled()

    def _recipients(self) -> list[RecipientView]:
        board = self.result.board
        keys: dict[str, str | None] = {q.recipient: q.path for q in board.queues}
        # Every session on the scoreboard gets an inbox page, so its row can always link to one.
        for state in self.ctx.sessions:
            sid = state.id
            if sid and sid not in keys and not self._queues_of(sid):
                keys[sid] = None
        # Each Agent Mail recipient's inbox: (message, name as written, inbox key), in mail order.
        mail_homes: list[tuple[MailMessage, str, str]] = []
        if board.mail is not None:
            found: dict[str, str] = {}
            for mm in board.mail.messages:
                for who in dict.fromkeys((*mm.to, *mm.cc)):
                    if who not in found:
                        found[who] = self._mail_key(who, keys)
                        keys.setdefault(found[who], None)
                    mail_homes.append((mm, who, found[who]))
        slugs = _slugs(keys)
        views: list[RecipientView] = []
        for key in sorted(keys, key=lambda k: (k != "all", k.lower(), k)):
            resolved = self.ctx.book.resolve(key)
            session = (
                self.ctx.session(resolved.id) if resolved.kind is AddressKind.SESSION else None
            )
            slug = slugs[key]
            title = key if SAFE_NAME.match(key) else slug
            views.append(RecipientView(key, slug, title, keys[key], session))
        by_key = {v.key: v for v in views}
        for q in board.queues:
            view = by_key[q.recipient]
            known = len(q.fingerprints) == len(q.messages)
            for i, m in enumerate(q.messages):
                message = self._message(m, view)
                message.fingerprint = q.fingerprints[i] if known else m
                view.messages.append(message)
        if board.mail is not None:
            self._add_mail(mail_homes, by_key)
        for view in views:
            counts = Counter(m.archive for m in view.messages)
            months = sorted(
                {_month(m.message) for m in view.messages}, key=lambda s: (s == "undated", s)
            )
            view.months = [
                (mo, f"inboxes/{view.slug}/{mo}.md", counts[f"inboxes/{view.slug}/{mo}.md"])
                for mo in months
            ]
        return views

    def _mail_key(self, name: str, keys: dict[str, str | None]) -> str:
        """The inbox of an Agent Mail recipient: the one of the session, roster agent or person
        its name resolves to, else the agent's own (never the broadcasts')."""
        book = self.ctx.book
        r = book.resolve(name)
        if r.kind is AddressKind.HUMAN or (
            r.kind in (AddressKind.SESSION, AddressKind.AGENT) and r.id
        ):
            same = sorted(
                k
                for k in keys
                if k != "all" and (book.resolve(k).kind, book.resolve(k).id) == (r.kind, r.id)
            )
            if r.id in same:
                return r.id
            return same[0] if same else (r.id or "human")
        if r.kind is AddressKind.EVERYONE or name == "all":
            return f"{name} (Agent Mail)"  # an agent named `all` is not every session
        return name

    def _add_mail(
        self, homes: list[tuple[MailMessage, str, str]], by_key: dict[str, RecipientView]
    ) -> None:
        """Every Agent Mail message into the inbox of each recipient (once per inbox), merged
        by time with the queue's messages."""
        mail = self.result.board.mail
        assert mail is not None
        sizes = {key: len(found) for key, found in threads(mail.messages).items()}
        added: dict[str, list[MessageView]] = {}
        seen: set[tuple[str, str, str]] = set()
        anchors: dict[str, set[str]] = {}
        for mm, who, key in homes:
            if (key, mm.project, mm.id) in seen:
                continue
            seen.add((key, mm.project, mm.id))
            view = by_key[key]
            taken = anchors.setdefault(key, {m.anchor for m in view.messages})
            base = "am-" + (_ANCHOR_JUNK.sub("-", f"{mm.project}-{mm.id}".lower()).strip("-"))
            anchor, n = base, 2
            while anchor in taken:
                anchor, n = f"{base}-{n}", n + 1
            taken.add(anchor)
            card = self._mail_card(mm, who, sizes.get((mm.project, mm.thread), 1), mail.acks_known)
            added.setdefault(key, []).append(self._mail_view(card, view, anchor))
        for key, found in added.items():
            view = by_key[key]
            found.sort(key=lambda v: (_time_key(v), v.message.id))
            # heapq.merge keeps the queue's file order and slots each mail message in by time.
            view.messages = list(heapq.merge(view.messages, found, key=_time_key))

    def _mail_card(self, mm: MailMessage, who: str, size: int, acks_known: bool) -> MailCard:
        state, read, ack = ack_state(mm, who, acks_known)
        return MailCard(
            mail=mm,
            recipient=who,
            copied=who not in mm.to,
            thread_anchor=thread_anchor(mm.project, mm.thread),
            thread_size=size,
            acks_known=acks_known,
            state=state,
            read_at=read,
            acked_at=ack,
        )

    def _mail_view(self, card: MailCard, recipient: RecipientView, anchor: str) -> MessageView:
        mm = card.mail
        m = _mail_message(card, recipient.key, anchor)
        waits = awaits_ack(mm, card.state)
        since = mm.at.value if waits and mm.at is not None else None
        limit = timedelta(hours=self.result.config.thresholds.unacked_hours)
        return MessageView(
            message=m,
            recipient=recipient,
            archive=f"inboxes/{recipient.slug}/{_month(m)}.md",
            trail=None,
            repo=self.repo,
            unknown_fields=[],
            ref_url=None,
            waiting=MAIL_WAIT if waits else None,
            waiting_since=since,
            overdue=since is not None and self.result.now - since > limit,
            # Every finding in the message's file (mail-ack-overdue names the recipients).
            findings=self.flagged.within(mm.source.path, 0, 1 << 30),
            fingerprint=card,
            mail=card,
            sender_links=self._sender_links(mm.sender),
        )

    def _sender_links(self, sender: str | None) -> tuple[tuple[str, str], ...]:
        """The Claude Code sessions mapped to the claim row of the session that sent it."""
        r = self.ctx.book.resolve(sender)
        if r.kind is AddressKind.SESSION and r.id:
            return tuple(self.coding.get(r.id, ()))
        return ()

    def _queues_of(self, sid: str) -> list[str]:
        return [
            q.recipient
            for q in self.result.board.queues
            if (r := self.ctx.book.resolve(q.recipient)).kind is AddressKind.SESSION and r.id == sid
        ]

    def _message(self, m: Message, recipient: RecipientView) -> MessageView:
        known = {"from", "to", "type", "ref", "re", "via", "status"}
        view = MessageView(
            message=m,
            recipient=recipient,
            archive=f"inboxes/{recipient.slug}/{_month(m)}.md",
            trail=self.trails.get((m.source.path, m.id)),
            repo=self.repo,
            unknown_fields=[(k, v) for k, v in m.fields if k not in known],
            ref_url=_ref_url(m.ref, self.repo),
            # The same test as status.json's count, so the overview and the tables agree.
            waiting=waiting_on(m),
            waiting_since=None,
            overdue=False,
            findings=self.flagged.within(m.source.path, m.source.line or 0, m.end_line),
            sender_links=self._sender_links(m.sender),
        )
        if view.waiting:
            since = next((s.at for s in reversed(view.steps) if s.at is not None), None)
            limit = timedelta(hours=self.result.config.thresholds.unacked_hours)
            view.waiting_since = since
            view.overdue = since is not None and self.result.now - since > limit
        return view

    def _misfiled(self) -> None:
        """Hand each message filed in another's queue to the session (or the person) it
        addresses, where that one has an inbox here."""
        book = self.ctx.book
        homes: dict[tuple[AddressKind, str | None], RecipientView] = {}
        for view in self.views:
            home = book.resolve(view.key)
            if home.kind is AddressKind.HUMAN or (home.kind is AddressKind.SESSION and home.id):
                homes.setdefault((home.kind, home.id), view)
        for view in self.views:
            if view.is_broadcast:
                continue
            filed = book.resolve(view.key)
            for v in view.messages:
                m = v.message
                if v.mail is not None or not m.parsed or m.is_broadcast or not m.to:
                    continue
                to = book.resolve(m.to)
                if (to.kind, to.id) == (filed.kind, filed.id):
                    continue
                target = homes.get((to.kind, to.id))
                if target is not None and target is not view:
                    v.owed_by = target
                    target.misfiled_here.append(v)

    @staticmethod
    def _thread(messages: list[MessageView]) -> None:
        index = {id(v.message): v for v in messages}
        plain = [v.message for v in messages]
        for view in messages:
            target = reply_target(view.message, plain) if view.message.parsed else None
            if target is not None and id(target) in index:
                parent = index[id(target)]
                view.reply_to = parent
                parent.replies.append(view)


def _time_key(v: MessageView) -> float:
    at = v.message.at
    return at.value.timestamp() if at is not None else float("-inf")


def _mail_message(card: MailCard, queue: str, anchor: str) -> Message:
    """An Agent Mail message in the form every reader of the inbox views knows (feeds, waiting
    rows, `waiting/*.json`): addressed to this inbox's recipient, its state as the status."""
    mm = card.mail
    return Message(
        id=f"agent-mail:{mm.project}:{mm.id}",
        anchor=anchor,
        source=mm.source,
        end_line=mm.source.line or 1,
        queue=queue,
        heading=mm.subject,
        parsed=True,
        at=mm.at,
        sender=mm.sender,
        to=card.recipient,
        type=None,
        ref=None,
        re=None,
        via=None,
        status=card.state,
        status_explicit=False,
        fields=(),
        body=mm.body,
        acks=(),
    )


def recipient_views(result: Result, repo: str | None, flagged: FindingIndex) -> list[RecipientView]:
    """Every inbox with its message views (`flagged`: the findings to show on each card)."""
    return _Recipients(result, repo, flagged).views


def inbox_views(result: Result) -> list[RecipientView]:
    """Every inbox with its message views, exactly as the pages show them: the one judgement of
    what waits on whom (the feeds, badges, `waiting/*.json` and `statusboard inbox` read it)."""
    return recipient_views(result, source_links(result).repo, FindingIndex(result.findings))


def waiting_messages(messages: Iterable[MessageView], now: datetime) -> list[MessageView]:
    """The messages someone waits on, longest waiting first."""
    return sorted(
        (m for m in messages if m.waiting), key=lambda m: (m.waiting_since or now, m.message.id)
    )


# --- cached fragments: message cards and waiting rows --------------------------------------------


def _digest(material: tuple[Any, ...]) -> str:
    return hashlib.sha256(repr(material).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def card_key(v: MessageView, page: str, site: str, tasks: Callable[[Message], list[Any]]) -> str:
    """A digest of everything `message_card` shows for `v` on `page`: its key in the render cache.

    `site` is a digest of what every fragment of the site shares (the repository URL, the URL
    style, the thresholds, the source ref when it is not a hole). The holes — the waiting note, the
    findings (which name ages) and the source ref — are not in it: each build fills them afresh.
    """
    m = v.message
    parent = v.reply_to
    return _digest(
        (
            "card",
            page,
            site,
            v.fingerprint,
            v.archive,
            # The steps are a function of the message, its trail and the repository URL (in
            # `site`); a commit is the same commit by its sha.
            [
                (e.kind, e.commit.sha, e.state, e.before, e.by, e.at, e.detail)
                for e in v.trail.events
            ]
            if v.trail is not None
            else None,
            v.unknown_fields,
            v.ref_url,
            v.waiting,
            (v.owed_by.page, v.owed_by.title) if v.owed_by is not None else None,
            bool(v.findings),
            (parent.archive, parent.anchor, parent.message.type, parent.message.sender)
            if parent is not None
            else None,
            # A reply's fingerprint stands for everything it holds (its sender, status, time,
            # body), at the cost of a short string rather than the repr of its body.
            [(r.archive, r.anchor, r.fingerprint) for r in v.replies],
            tasks(m) if m.ref else None,
            v.sender_links,
            # An Agent Mail card: everything it shows is the card, but for its anchor, which
            # depends on the other cards of its inbox.
            (v.mail, v.anchor) if v.mail is not None else None,
        )
    )


def row_key(v: MessageView, page: str, site: str) -> str:
    """A digest of everything `waiting_row` shows for `v` but its holes (the age, overdue)."""
    r = v.owner
    filed = v.recipient.title if v.owed_by is not None else None  # a misfiled row names both
    return _digest(
        (
            "row",
            page,
            site,
            v.fingerprint,
            v.archive,
            r.page,
            r.title,
            filed,
            v.waiting,
            v.waiting_since,
        )
    )


class Fragments:
    """`card(v, ui)` and `row(v, ui)` for one page: a message card or a waiting row as the page's
    macros `ui` render it, or, with a render cache, the cached one with its holes filled in
    (rendered and kept when it is not cached yet)."""

    def __init__(
        self,
        links: SourceLinks,
        thresholds: Any,
        env: jinja2.Environment,
        page: str,
        url: Callable[..., str],
        directory_urls: bool,
        tasks: Callable[[Message], list[Any]],
        fragments: PageFragments | None,
    ) -> None:
        self.links, self.thresholds, self.env = links, thresholds, env
        self.page, self.url, self.tasks = page, url, tasks
        self.fragments = fragments
        # Without a repository URL there are no source links, so the ref shows nowhere.
        self.ref_hole = links.repo is not None and bool(_PLAIN_REF.match(links.ref))
        ref_shown = links.repo is not None and not self.ref_hole
        # Digested once: every card's key holds it, and the thresholds' repr is Python code.
        self.site = _digest(
            (links.repo, directory_urls, thresholds, links.ref if ref_shown else None)
        )
        self._macros: Any = None

    def card(self, v: MessageView, ui: Any) -> Markup:
        if self.fragments is None:
            return Markup(ui.message_card(v, self.page))
        key = card_key(v, self.page, self.site, self.tasks)
        fragment = self.fragments.get(key)
        if fragment is None:
            waiting = fragment_marker("waiting") if v.waiting else None
            findings = fragment_marker("findings") if v.findings else None
            macros = self._cache_macros()
            fragment = split(macros.message_card(v, self.page, waiting, findings))
            self.fragments.put(key, fragment)
        if len(fragment) == 1:
            return Markup(fragment[0])
        holes = fragment[1::2]
        values = {"ref": self.links.ref}
        if "waiting" in holes:
            values["waiting"] = ui.waiting_note(v)
        if "findings" in holes:
            values["findings"] = ui.findings_list(v.findings)
        return fill(fragment, values)

    def cards(self, views: Iterable[MessageView], ui: Any) -> Markup:
        """The cards of `views`, a line apart."""
        return Markup("\n".join([self.card(v, ui) for v in views]))

    def row(self, v: MessageView, ui: Any) -> Markup:
        if self.fragments is None:
            return Markup(ui.waiting_row(v))
        key = row_key(v, self.page, self.site)
        fragment = self.fragments.get(key)
        if fragment is None:
            age, overdue = fragment_marker("age"), fragment_marker("overdue")
            fragment = split(self._cache_macros().waiting_row(v, age, overdue))
            self.fragments.put(key, fragment)
        return fill(fragment, {"age": ui.waiting_age(v), "overdue": ui.overdue_attr(v)})

    def _cache_macros(self) -> Any:
        """The macros with only what the keys cover in their context: a fragment that came to
        show anything else would fail here, in the tests, instead of being cached stale."""
        if self._macros is None:
            ref = fragment_marker("ref") if self.ref_hole else None
            self._macros = self.env.get_template("_macros.html.j2").make_module(
                {
                    "url": self.url,
                    "source_url": partial(self.links.url, ref=ref),
                    "ref_tasks": self.tasks,
                    "thresholds": self.thresholds,
                }
            )
        return self._macros


# --- pages ---------------------------------------------------------------------------------------


def render_inboxes(
    render: Render,
    result: Result,
    recipients: list[RecipientView],
    waiting: list[MessageView],
    cached: Callable[[str], Fragments],
) -> None:
    """The inbox index, each recipient's page (its most recent messages) and monthly archives."""
    render(
        "inboxes_index.md.j2", INDEX, recipients=recipients, waiting=waiting, row=cached(INDEX).row
    )
    for r in recipients:
        recent = sorted(
            r.messages,
            key=lambda m: (
                m.message.at.value
                if m.message.at
                else datetime.min.replace(tzinfo=result.now.tzinfo),
                m.message.source.line or 0,
            ),
            reverse=True,
        )[: max(result.config.site.recent_per_inbox, 0)]
        render(
            "inbox.md.j2",
            r.page,
            recipient=r,
            messages=recent,
            archive=None,
            cards=cached(r.page).cards,
        )
        for month, path, _count in r.months:
            on_page = [m for m in r.messages if m.archive == path]
            render(
                "inbox.md.j2",
                path,
                recipient=r,
                messages=on_page,
                archive=month,
                cards=cached(path).cards,
            )
