"""The site's pages as {path: markdown} plus a mkdocs nav, built from a pipeline Result.

Pure: nothing here writes (the mkdocs plugin reuses it). Every page is fixed markdown headings
around raw HTML blocks rendered by autoescaping Jinja2 templates, so board text can never be read
as markdown or HTML by Python-Markdown. Page count is bounded by recipients × months, never by the
number of messages: each message lives on the archive page of its send month, where its anchor
never moves; the recipient's page shows only the most recent ones and links to the archives.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator import rules as rule_registry
from generator.analysis import AddressKind, Liveness, SessionState, reply_target, waiting_on
from generator.model import ClaimRow, Commit, Finding, Message, MessageTrail, Severity
from generator.pipeline import Result
from generator.render.fragments import FragmentCache, PageFragments, fill, split
from generator.render.fragments import marker as fragment_marker
from generator.render.markdown import escape_text, render_inline, render_markdown
from generator.render.outputs import status_document
from generator.render.reference import expand as expand_reference
from generator.render.tasks import build_task_pages, page_context, ref_links, row_task_links
from generator.render.timeline import claims_timeline
from generator.resources import docs_dir, templates_dir
from generator.rules import _globs
from generator.rules.base import DOC_SECTIONS, FAILURE_MODES, Rule
from generator.timeutil import human_age, iso

NavItem = str | dict[str, Any]
STANDARD_COLUMNS = ("session", "task", "worktree", "claimed", "presence", "scope")
SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
LIVENESS_ORDER = (Liveness.LIVE, Liveness.IDLE, Liveness.STALE, Liveness.UNKNOWN)
# Names used verbatim in file names, nav titles and Material's unescaped templates: nothing a
# browser or Python-Markdown could read as markup, nothing case-folding file systems could merge.
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$")
_RESERVED = frozenset({"index"})
_RULE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_PR_REF = re.compile(r"^\s*(?:PR|MR|pull)\s*[#:]?\s*(\d+)\s*$", re.I)
ASSETS = ("statusboard.css", "statusboard.js")


# --- small helpers -------------------------------------------------------------------------------


def page_url(path: str, directory_urls: bool) -> str:
    """The URL of a page source `path` (`inboxes/sA.md`), relative to the site root."""
    stem = path[: -len(".md")] if path.endswith(".md") else path
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative_url(from_page: str, to_page: str, anchor: str | None, directory_urls: bool) -> str:
    """A link from one generated page to another (or to itself, with an anchor)."""
    if from_page == to_page and anchor:
        return f"#{anchor}"
    rel = _relative_page(from_page, to_page, directory_urls)
    return f"{rel}#{anchor}" if anchor else rel


@lru_cache(maxsize=1 << 14)  # a site links the same few pages thousands of times; relpath is slow
def _relative_page(from_page: str, to_page: str, directory_urls: bool) -> str:
    src = page_url(from_page, directory_urls)
    dest = page_url(to_page, directory_urls)
    base = posixpath.dirname(src) if not src.endswith("/") else src.rstrip("/")
    rel = posixpath.relpath(dest or ".", base or ".")
    if (dest == "" or dest.endswith("/")) and not rel.endswith("/"):
        rel += "/"
    return rel


def web_repo_url(url: str | None) -> str | None:
    """An https URL for source links; `git@host:o/r.git` converted, credentials always dropped."""
    if not url:
        return None
    text = url.strip()
    m = re.match(r"^(?:ssh://)?git@([^:/]+)[:/](.+?)(?:\.git)?/?$", text)
    if m:
        return f"https://{m.group(1)}/{m.group(2)}"
    m = re.match(r"^https?://(?:[^@/]*@)?([^/]+)/(.+?)(?:\.git)?/?$", text)
    if m:
        return f"https://{m.group(1)}/{m.group(2)}"
    return None


def site_repo_url(result: Result) -> str | None:
    """Where source links point: the configured URL, else the git remote (as status.json does)."""
    return web_repo_url(result.config.site.repo_url or result.board.history.remote_url)


def paths_overlap(a: str, b: str) -> bool:
    """Whether two claimed paths or globs can name the same file (the scope-overlap rule's test)."""
    return _globs.overlaps(a, b)


def _finding_key(f: Finding) -> tuple[int, str, int, str]:
    return (-f.severity.rank, f.path, f.line or 0, f.message)


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
    # The read cache's digest of the message, else the message itself (for the render cache's keys).
    fingerprint: str | Message | None = None
    _body: Markup | None = field(default=None, repr=False)
    _steps: list[Step] | None = field(default=None, repr=False)

    @property
    def anchor(self) -> str:
        return self.message.anchor

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
        """The body's first line of text, short, for reply stubs and tables."""
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

    @property
    def page(self) -> str:
        return f"inboxes/{self.slug}.md"

    @property
    def is_broadcast(self) -> bool:
        return self.key == "all"

    @property
    def waiting(self) -> int:
        return sum(1 for m in self.messages if m.waiting)

    @property
    def last_at(self) -> datetime | None:
        times = [m.message.at.value for m in self.messages if m.message.at is not None]
        return max(times) if times else None


@dataclass(slots=True)
class SessionView:
    """A claim row with its analysis, overlaps and inbox links."""

    state: SessionState
    label: str
    extras: list[str]  # cell per extra column, aligned with the scoreboard's extra headers
    inboxes: list[RecipientView]
    overlaps: dict[str, list[str]]  # claimed path -> labels of other sessions that overlap it
    findings: list[Finding]

    @property
    def row(self) -> ClaimRow:
        return self.state.row

    @property
    def scope_note(self) -> str:
        """The Scope cell when it says more than the claimed paths shown beside it, else ''."""
        rest = self.row.scope
        for p in self.row.paths:
            rest = rest.replace(f"`{p}`", "")
        return self.row.scope if re.search(r"\w", rest) else ""


@dataclass(frozen=True, slots=True)
class RuleView:
    """A rule with its configured severity and this run's findings."""

    rule: Rule
    configured: Severity | None  # None: turned off
    ran: bool
    findings: int
    failure_mode: str

    @property
    def title(self) -> str:
        """The rule's name where it is a plain kebab-case word (it is used in a heading and a path)."""
        return self.rule.name if _RULE_NAME.match(self.rule.name) else f"rule-{self.rule.code}"

    @property
    def page(self) -> str:
        return f"rules/{self.title}.md"


@dataclass(frozen=True, slots=True)
class Site:
    """What `build_pages` returns: markdown pages, other files, and the nav."""

    pages: dict[str, str]
    files: dict[str, bytes]
    nav: list[NavItem]


# --- building the views --------------------------------------------------------------------------


def _slugs(keys: Iterable[str]) -> dict[str, str]:
    """A file-name slug per recipient, unique even on case-insensitive file systems."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for key in sorted(keys):
        if _SAFE_NAME.match(key) and key.lower() not in _RESERVED:
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

    first = trail.events[0]
    sent = by_commit(steps[0], first.commit, "sent")
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
    for e in trail.events[1:]:
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


def _findings_in(findings: Sequence[Finding], path: str, first: int, last: int) -> list[Finding]:
    return [
        f for f in findings if f.path == path and f.line is not None and first <= f.line <= last
    ]


class _FindingIndex:
    """`_findings_in` for many ranges: the findings of each path by line, in their given order."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.by_path: dict[str, list[tuple[int, int, Finding]]] = defaultdict(list)
        for i, f in enumerate(findings):
            if f.line is not None:
                self.by_path[f.path].append((f.line, i, f))
        for entries in self.by_path.values():
            entries.sort(key=lambda e: e[:2])

    def within(self, path: str, first: int, last: int) -> list[Finding]:
        entries = self.by_path.get(path)
        if not entries:
            return []
        lo = bisect_left(entries, (first, -1), key=lambda e: e[:2])
        hits = []
        for entry in entries[lo:]:
            if entry[0] > last:
                break
            hits.append(entry)
        hits.sort(key=lambda e: e[1])
        return [f for _line, _i, f in hits]


def newest_first(months: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """Archive months newest first, the undated page last."""
    dated = [m for m in reversed(months) if m[0] != "undated"]
    return dated + [m for m in months if m[0] == "undated"]


def _month(m: Message) -> str:
    return _month_of(m.at.value.year, m.at.value.month) if m.at is not None else "undated"


@lru_cache(maxsize=1024)
def _month_of(year: int, month: int) -> str:
    return datetime(year, month, 1).strftime("%Y-%m")


class _Builder:
    """Turns a Result into view models once; the page functions only read them."""

    def __init__(self, result: Result) -> None:
        self.result = result
        self.ctx = result.context
        self.now = result.now
        self.config = result.config
        history = result.board.history
        self.repo = site_repo_url(result)
        self.source_ref = history.head or self.config.site.edit_branch or history.branch or "main"
        self.extra_headers = [
            h for h in result.board.scoreboard.header if h.strip().lower() not in STANDARD_COLUMNS
        ]
        # Each message's life in git, by (queue path, message id): its commits and status changes.
        self.trails = {(t.path, t.id): t for t in history.trails if t.present}
        self.flagged = _FindingIndex(result.findings)
        self.recipients = self._recipients()
        self.messages = [m for r in self.recipients for m in r.messages]
        self._thread()
        self.sessions = self._sessions()

    # inboxes

    def _recipients(self) -> list[RecipientView]:
        board = self.result.board
        keys: dict[str, str | None] = {q.recipient: q.path for q in board.queues}
        # Every session on the scoreboard gets an inbox page, so its row can always link to one.
        for state in self.ctx.sessions:
            sid = state.id
            if sid and sid not in keys and not self._queues_of(sid):
                keys[sid] = None
        slugs = _slugs(keys)
        views: list[RecipientView] = []
        for key in sorted(keys, key=lambda k: (k != "all", k.lower(), k)):
            resolved = self.ctx.book.resolve(key)
            session = (
                self.ctx.session(resolved.id) if resolved.kind is AddressKind.SESSION else None
            )
            slug = slugs[key]
            title = key if _SAFE_NAME.match(key) else slug
            views.append(RecipientView(key, slug, title, keys[key], session))
        by_key = {v.key: v for v in views}
        for q in board.queues:
            view = by_key[q.recipient]
            known = len(q.fingerprints) == len(q.messages)
            for i, m in enumerate(q.messages):
                message = self._message(m, view)
                message.fingerprint = q.fingerprints[i] if known else m
                view.messages.append(message)
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
        )
        if view.waiting:
            since = next((s.at for s in reversed(view.steps) if s.at is not None), None)
            limit = timedelta(hours=self.config.thresholds.unacked_hours)
            view.waiting_since = since
            view.overdue = since is not None and self.now - since > limit
        return view

    def _thread(self) -> None:
        index = {id(v.message): v for v in self.messages}
        plain = [v.message for v in self.messages]
        for view in self.messages:
            target = reply_target(view.message, plain) if view.message.parsed else None
            if target is not None and id(target) in index:
                parent = index[id(target)]
                view.reply_to = parent
                parent.replies.append(view)

    # scoreboard

    def _sessions(self) -> list[SessionView]:
        by_session: dict[str, list[RecipientView]] = defaultdict(list)
        for r in self.recipients:
            if r.session is not None and r.session.id:
                by_session[r.session.id].append(r)
        labels = [s.row.label for s in self.ctx.sessions]
        views = []
        for i, state in enumerate(self.ctx.sessions):
            row = state.row
            overlaps: dict[str, list[str]] = {}
            for j, other in enumerate(self.ctx.sessions):
                if i == j or (other.id is not None and other.id == state.id):
                    continue
                for p in row.paths:
                    if any(paths_overlap(p, q) for q in other.row.paths):
                        overlaps.setdefault(p, []).append(labels[j])
            cells = {h.strip().lower(): c for h, c in row.cells}
            extras = [cells.get(h.strip().lower(), "") for h in self.extra_headers]
            line = row.source.line or 0
            views.append(
                SessionView(
                    state=state,
                    label=labels[i],
                    extras=extras,
                    inboxes=by_session.get(state.id or "", []),
                    overlaps=overlaps,
                    findings=_findings_in(self.result.findings, row.source.path, line, line),
                )
            )
        return views

    # lint

    def source_url(self, path: str, line: int | None, ref: str | None = None) -> str | None:
        if self.repo is None:
            return None
        return f"{self.repo}/blob/{ref or self.source_ref}/{path}" + (f"#L{line}" if line else "")

    def rule_views(self) -> list[RuleView]:
        counts = Counter(f.rule for f in self.result.findings)
        ran = {r.name for r in self.result.rules}
        seen: dict[str, Rule] = {}
        for r in (*self.result.rules, *rule_registry.RULES):  # what ran wins a name clash
            seen.setdefault(r.name, r)
        return [
            RuleView(
                rule=r,
                configured=self.config.severity_for(r.name, r.severity),
                ran=r.name in ran,
                findings=counts[r.name],
                failure_mode=FAILURE_MODES.get(r.failure_mode, r.failure_mode),
            )
            for r in sorted(seen.values(), key=lambda r: (r.code, r.name))
        ]


# --- cached fragments: message cards and waiting rows --------------------------------------------

# A ref that escaping leaves as it is can be a hole of a cached card (a commit sha always is).
_PLAIN_REF = re.compile(r"^[A-Za-z0-9._/-]+$")


def _digest(material: tuple[Any, ...]) -> str:
    return hashlib.sha256(repr(material).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def card_key(
    v: MessageView, page: str, site: tuple[Any, ...], tasks: Callable[[Message], list[Any]]
) -> str:
    """A digest of everything `message_card` shows for `v` on `page`: its key in the render cache.

    `site` holds what every fragment of the site shares (the repository URL, the URL style, the
    thresholds, the source ref when it is not a hole). The holes — the waiting note, the
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
            bool(v.findings),
            (parent.archive, parent.anchor, parent.message.type, parent.message.sender)
            if parent is not None
            else None,
            [
                (
                    r.archive,
                    r.anchor,
                    r.message.sender,
                    r.message.status,
                    r.message.at,
                    r.message.body,
                )
                for r in v.replies
            ],
            tasks(m) if m.ref else None,
        )
    )


def row_key(v: MessageView, page: str, site: tuple[Any, ...]) -> str:
    """A digest of everything `waiting_row` shows for `v` but its holes (the age, overdue)."""
    r = v.recipient
    return _digest(
        ("row", page, site, v.fingerprint, v.archive, r.page, r.title, v.waiting, v.waiting_since)
    )


class _Fragments:
    """`card(v, ui)` and `row(v, ui)` for one page: a message card or a waiting row as the page's
    macros `ui` render it, or, with a render cache, the cached one with its holes filled in
    (rendered and kept when it is not cached yet)."""

    def __init__(
        self,
        b: _Builder,
        env: jinja2.Environment,
        page: str,
        url: Callable[..., str],
        directory_urls: bool,
        tasks: Callable[[Message], list[Any]],
        fragments: PageFragments | None,
    ) -> None:
        self.b, self.env, self.page, self.url, self.tasks = b, env, page, url, tasks
        self.fragments = fragments
        # Without a repository URL there are no source links, so the ref shows nowhere.
        self.ref_hole = b.repo is not None and bool(_PLAIN_REF.match(b.source_ref))
        ref_shown = b.repo is not None and not self.ref_hole
        thresholds = b.config.thresholds
        self.site = (b.repo, directory_urls, thresholds, b.source_ref if ref_shown else None)
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
        values = {"ref": self.b.source_ref}
        if "waiting" in holes:
            values["waiting"] = ui.waiting_note(v)
        if "findings" in holes:
            values["findings"] = ui.findings_list(v.findings)
        return fill(fragment, values)

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
                    "source_url": partial(self.b.source_url, ref=ref),
                    "ref_tasks": self.tasks,
                    "thresholds": self.b.config.thresholds,
                }
            )
        return self._macros


# --- templates -----------------------------------------------------------------------------------


def _fmt_time(value: datetime | None) -> str:
    # Keyed by the offset too: equal instants in other zones compare equal but print otherwise.
    return _wall_time(value, value.utcoffset()) if value is not None else "—"


@lru_cache(maxsize=1 << 16)  # thousands of cards show the same commit times
def _wall_time(value: datetime, _offset: timedelta | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC")


def _fmt_iso(value: datetime | None) -> str:
    return iso(value) if value is not None else ""


def _fmt_age(value: timedelta | None) -> str:
    return human_age(value) if value is not None else ""


def _month_label(month: str) -> str:
    if month == "undated":
        return "Undated"
    return datetime.strptime(month, "%Y-%m").strftime("%B %Y")


def _path_break(path: str) -> Markup:
    """A path that may wrap after each `/`, never inside a name."""
    return Markup("/<wbr>").join(escape_text(part) for part in str(path).split("/"))


def environment(bytecode_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """The page templates: autoescaped, strict, with the safe-markdown filters."""
    env = jinja2.Environment(
        bytecode_cache=bytecode_cache,
        loader=jinja2.FileSystemLoader(str(templates_dir() / "pages")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Every printed value is escaped here (fences included): board text never becomes markup.
        finalize=escape_text,
    )
    env.filters.update(
        md=render_markdown,
        md_inline=render_inline,
        time=_fmt_time,
        iso=_fmt_iso,
        age=_fmt_age,
        month_label=_month_label,
        path_break=_path_break,
    )
    return env


# --- pages ---------------------------------------------------------------------------------------


def build_pages(
    result: Result,
    *,
    directory_urls: bool = False,
    include_docs: bool = True,
    fragments: FragmentCache | None = None,
    status: dict[str, Any] | None = None,
) -> Site:
    """Every page of the site, its assets and its nav, from one Result. Writes nothing: message
    cards come from and go to `fragments` (the render cache), which the caller saves.

    `status` is `status_document(result)` when the caller has it already.
    """
    b = _Builder(result)
    env = environment(fragments.templates if fragments is not None else None)
    md_block, md_inline = render_markdown, render_inline
    if fragments is not None:  # rule docs and findings, the same text from build to build
        markdown = fragments.markdown()
        md_block, md_inline = markdown.block, markdown.inline
        env.filters.update(md=md_block, md_inline=md_inline)
    if status is None:
        status = status_document(result)
    pages: dict[str, str] = {}
    common: dict[str, Any] = {
        "now": result.now,
        "site": result.config.site,
        "thresholds": result.config.thresholds,
        "repo": b.repo,
        "liveness_order": [s.value for s in LIVENESS_ORDER],
        "severities": [s.value for s in SEVERITIES],
        "source_url": b.source_url,
        "ago_text": partial(_ago_text, result.now),
        "ago_plain": partial(_ago_plain, result.now),
        "newest_first": newest_first,
    }
    # Trackers, roster and agent calls: the Tasks and Agents pages, and links into them.
    task_pages = build_task_pages(result, b.messages)
    common["ref_tasks"] = ref_links(task_pages)

    def render(template: str, path: str, **context: Any) -> None:
        url: Callable[..., str] = partial(_url_from, path, directory_urls)
        root: Callable[[str], str] = partial(_root_file, path, directory_urls)
        pages[path] = env.get_template(template).render(
            **common, **context, page=path, url=url, root_file=root
        )

    history = result.board.history
    commit_url = f"{b.repo}/commit/{history.head}" if b.repo and history.head else None
    waiting = sorted(
        (m for m in b.messages if m.waiting),
        key=lambda m: (m.waiting_since or result.now, m.message.id),
    )
    render(
        "index.md.j2",
        "index.md",
        status=status,
        counts=status["counts"],
        findings=status["findings"],
        history=history,
        commit_url=commit_url,
        sessions=b.sessions,
        waiting=waiting[:5],
        waiting_total=len(waiting),
        recipients=b.recipients,
    )
    render(
        "scoreboard.md.j2",
        "scoreboard.md",
        scoreboard=result.board.scoreboard,
        task_links=row_task_links(result, task_pages),
        sessions=b.sessions,
        timeline=claims_timeline(result),
        extra_headers=b.extra_headers,
        prose=[
            (blk, md_block(blk.text, heading_offset=1)) for blk in result.board.scoreboard.prose
        ],
        unparsed=[
            (
                blk,
                _findings_in(
                    result.findings, blk.source.path, blk.source.line or 0, blk.source.line or 0
                ),
            )
            for blk in result.board.scoreboard.unparsed
        ],
    )

    def cached(path: str) -> _Fragments:
        url: Callable[..., str] = partial(_url_from, path, directory_urls)
        page = fragments.page(path) if fragments is not None else None
        return _Fragments(b, env, path, url, directory_urls, common["ref_tasks"], page)

    index = "inboxes/index.md"
    rows = cached(index).row
    render("inboxes_index.md.j2", index, recipients=b.recipients, waiting=waiting, row=rows)

    for r in b.recipients:
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
            card=cached(r.page).card,
        )
        for month, path, _count in r.months:
            on_page = [m for m in r.messages if m.archive == path]
            render(
                "inbox.md.j2",
                path,
                recipient=r,
                messages=on_page,
                archive=month,
                card=cached(path).card,
            )

    task_context = page_context(result, task_pages)
    render("tasks.md.j2", "tasks/index.md", task_counts=status["counts"]["tasks"], **task_context)
    for tracker in task_pages.trackers:
        render("tracker.md.j2", tracker.page, tv=tracker)
    render("agents.md.j2", "agents.md", **task_context)

    rules = b.rule_views()
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in sorted(result.findings, key=_finding_key):
        by_rule[f.rule].append(f)
        by_file[f.path].append(f)
    for fs in by_file.values():
        fs.sort(key=Finding.sort_key)
    rule_pages = {rv.rule.name: rv.page for rv in rules}
    rank = {rule: max(x.severity.rank for x in fs) for rule, fs in by_rule.items()}
    render(
        "lint.md.j2",
        "lint/index.md",
        findings=status["findings"],
        by_rule=sorted(by_rule.items(), key=lambda kv: (-rank[kv[0]], kv[0])),
        by_file=sorted(by_file.items()),
        rule_pages=rule_pages,
        rule_summaries={rv.rule.name: rv.rule.summary for rv in rules},
        file_ids={p: f"file-{i + 1}" for i, p in enumerate(sorted(by_file))},
    )
    render("rules_index.md.j2", "rules/index.md", rules=rules)
    for rv in rules:
        sections = [
            (title, md_block(rv.rule.section(title), heading_offset=2)) for title in DOC_SECTIONS
        ]
        render("rule.md.j2", rv.page, rv=rv, sections=sections, summary=md_inline(rv.rule.summary))

    files = {f"assets/{name}": (templates_dir() / "assets" / name).read_bytes() for name in ASSETS}
    nav: list[NavItem] = [
        {"Overview": "index.md"},
        {"Scoreboard": "scoreboard.md"},
        {"Inboxes": ["inboxes/index.md", *(_inbox_nav(r) for r in b.recipients)]},
        {"Tasks": ["tasks/index.md", *({t.title: t.page} for t in task_pages.trackers)]},
        {"Agents": "agents.md"},
        {
            "Lint": [
                "lint/index.md",
                {"Rules": ["rules/index.md", *({rv.rule.name: rv.page} for rv in rules)]},
            ]
        },
    ]
    if include_docs:
        doc_pages, doc_files, doc_nav = _shipped_docs(docs_dir())
        pages.update(doc_pages)
        files.update(doc_files)
        if doc_nav:
            nav.append({"Docs": doc_nav})
    return Site(pages, files, nav)


def _ago_text(now: datetime, then: datetime) -> str:
    delta = now - then
    return f"in {human_age(-delta)}" if delta.total_seconds() < 0 else f"{human_age(delta)} ago"


def _ago_plain(now: datetime, then: datetime | None) -> str:
    return human_age(now - then) if then is not None else ""


def _root_file(page: str, directory_urls: bool, name: str) -> str:
    """A link from a page to a file at the site root (status.json, lint.sarif)."""
    src = page_url(page, directory_urls)
    base = src.rstrip("/") if src.endswith("/") else posixpath.dirname(src)
    return posixpath.relpath(name, base or ".")


def _url_from(page: str, directory_urls: bool, to: str, anchor: str | None = None) -> str:
    return relative_url(page, to, anchor, directory_urls)


def _inbox_nav(r: RecipientView) -> NavItem:
    months = [{_month_label(mo): p} for mo, p, _ in newest_first(r.months)]
    title = "Broadcasts" if r.is_broadcast else r.title
    return {title: [{"Recent": r.page}, *months]} if months else {title: r.page}


def _shipped_docs(root: Path) -> tuple[dict[str, str], dict[str, bytes], list[NavItem]]:
    """The shipped documentation under `docs/`: pages, other files, and the nav of its `_nav.yml`
    (one mirroring the folders when there is none)."""
    pages: dict[str, str] = {}
    files: dict[str, bytes] = {}
    if not root.is_dir():
        return pages, files, []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or any(part.startswith((".", "_")) for part in rel.split("/")):
            continue
        if path.suffix == ".md":
            page = f"docs/{rel}"
            # Generated reference (rule catalogue, commands) and `rule:` links to the rule pages.
            text = path.read_text(encoding="utf-8")
            pages[page] = expand_reference(text, page, lambda name: f"rules/{name}.md")
        else:
            files[f"docs/{rel}"] = path.read_bytes()
    return pages, files, docs_nav_file(root, "docs/") or _docs_nav(sorted(pages), "docs/")


def prefix_nav(items: Sequence[NavItem], prefix: str) -> list[NavItem]:
    """A nav with every page path under `prefix` (`docs/`, `board/`); titles and URLs kept."""
    out: list[NavItem] = []
    for item in items:
        if isinstance(item, str):
            out.append(item if "://" in item else prefix + item)
        else:
            out.append(
                {
                    title: prefix_nav(value, prefix)
                    if isinstance(value, list)
                    else prefix_nav([value], prefix)[0]
                    for title, value in item.items()
                }
            )
    return out


def docs_nav_file(root: Path, prefix: str) -> list[NavItem]:
    """The nav written in the docs' `_nav.yml` (its `nav:` list) under `prefix`; [] without one."""
    import yaml

    nav_file = root / "_nav.yml"
    if not nav_file.is_file():
        return []
    data = yaml.safe_load(nav_file.read_text(encoding="utf-8")) or {}
    nav = data.get("nav") if isinstance(data, dict) else None
    return prefix_nav(nav, prefix) if isinstance(nav, list) else []


def _docs_nav(paths: list[str], prefix: str) -> list[NavItem]:
    """Nested nav for the docs folder: index first, files, then one section per sub-folder."""
    here = [p for p in paths if "/" not in p[len(prefix) :]]
    here.sort(key=lambda p: (not p.endswith("/index.md") and not p.endswith("/README.md"), p))
    items: list[NavItem] = list(here)
    folders = sorted({p[len(prefix) :].split("/", 1)[0] for p in paths if "/" in p[len(prefix) :]})
    for folder in folders:
        sub = [p for p in paths if p.startswith(f"{prefix}{folder}/")]
        title = folder.replace("-", " ").replace("_", " ").capitalize()
        items.append({title: _docs_nav(sub, f"{prefix}{folder}/")})
    return items
