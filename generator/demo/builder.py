"""The demo board: five days of a small team's git blackboard, every time relative to a given now."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from generator.demo.fleet import PLANTED_FLEET_RULES, fleet
from generator.gitbuild import CommitInfo, RepoBuilder
from generator.timeutil import canonical

SCOREBOARD = "docs/ai/sessions/active.md"
QUEUE_DIR = "docs/ai/sessions/queue"


@dataclass(frozen=True, slots=True)
class DemoSession:
    """A session of the demo and the liveness it must show at the build's now."""

    id: str
    name: str
    author: str
    email: str
    state: str  # `live`, `idle`, `stale`, or `released` (claimed and released earlier)


@dataclass(frozen=True, slots=True)
class Person:
    """The person behind the sessions: commits without a prefix, writes `from:human`."""

    name: str
    email: str


HUMAN = Person("Dana Human", "dana@po-platform.example")

DEMO_SESSIONS: tuple[DemoSession, ...] = (
    DemoSession("sA", "Sintra", "Sintra (sA)", "sintra.sa@sessions.po-platform.example", "live"),
    DemoSession("sB", "Porto", "Porto (sB)", "porto.sb@sessions.po-platform.example", "idle"),
    DemoSession("sC", "Lagos", "Lagos (sC)", "lagos.sc@sessions.po-platform.example", "stale"),
    DemoSession("sD", "Braga", "Braga (sD)", "braga.sd@sessions.po-platform.example", "released"),
)
_BY_ID = {s.id: s for s in DEMO_SESSIONS}
_BY_ADDRESS = {**{s.id: s.id for s in DEMO_SESSIONS}, **{s.name: s.id for s in DEMO_SESSIONS}}

# The rules the demo trips on purpose, one finding each (see `Planted` for where).
PLANTED_RULES: tuple[str, ...] = (
    "non-canonical-timestamp",
    "handoff-without-ref",
    "relay-without-source",
    "secret-in-board",
    "raw-html-in-message",
    "dangling-reply",
    "task-placeholder",
    "stale-claim",
    "ack-status-mismatch",
    "broadcast-unacked",
    "unacked-message",
    "message-parse",
    "misfiled-message",
    *PLANTED_FLEET_RULES,
)


@dataclass(frozen=True, slots=True)
class Planted:
    """One deliberate violation: the rule that must report it and where."""

    rule: str
    path: str
    line: int  # the heading or row the finding is about, or the offending line in a body
    heading_line: int | None  # the heading of the message concerned; None for a scoreboard row
    concerns: str  # the heading as written (after `## `) or the row's session cell
    why: str


@dataclass(frozen=True, slots=True)
class DemoFacts:
    """What the demo built for one now holds; tests check the pipeline against these."""

    now: datetime  # the given now, floored to the minute
    head: str
    commit_count: int
    first_commit_at: datetime
    last_seen: tuple[tuple[str, datetime], ...]  # session id -> newest sign of life
    message_count: int  # level-2 blocks in the queue files, the malformed one included
    planted: tuple[Planted, ...]
    files: tuple[str, ...]

    def seen(self, session_id: str) -> datetime:
        return dict(self.last_seen)[session_id]


def build_demo_repo(dest: Path, now: datetime) -> Path:
    """Build the demo repository at `dest` (absent or empty), as it would look at `now`."""
    story = _Story(now)
    try:
        story.play()
        return story.repo.build(Path(dest))
    finally:
        story.repo.close()


def demo_facts(now: datetime) -> DemoFacts:
    """The facts of the demo built for `now`, computed without writing a repository."""
    story = _Story(now)
    try:
        story.play()
        return story.facts()
    finally:
        story.repo.close()


def _text(block: str) -> str:
    return textwrap.dedent(block).strip("\n")


# --- the blackboard as it is being written ------------------------------------------------------


@dataclass(slots=True)
class _Row:
    session: DemoSession
    task: str
    claimed: datetime
    presence: str
    scope: str

    def render(self) -> str:
        s = self.session
        worktree = f"worktree `session-{s.id}` → direct-to-main, `[{s.id}]`"
        cells = (f"{s.id} · {s.name}", self.task, worktree, canonical(self.claimed), self.presence)
        return "| " + " | ".join((*cells, self.scope)) + " |"


@dataclass(slots=True)
class _Msg:
    path: str
    at: datetime
    stamp: str  # the send time as written
    sender: str
    to: str
    type: str
    body: str
    ref: str | None = None
    re: str | None = None
    via: str | None = None
    status: str = "sent"
    acks: list[str] = field(default_factory=list)
    raw_heading: str | None = None  # a heading that does not parse, written as-is

    @property
    def heading(self) -> str:
        if self.raw_heading is not None:
            return self.raw_heading
        fields = [self.stamp, f"from:{self.sender}", f"to:{self.to}", f"type:{self.type}"]
        fields += [
            f"{k}:{v}" for k, v in (("ref", self.ref), ("re", self.re), ("via", self.via)) if v
        ]
        return " · ".join([*fields, f"status:{self.status}"])

    def render(self) -> str:
        text = f"## {self.heading}\n\n{self.body}\n"
        return text + ("\n" + "\n".join(self.acks) + "\n" if self.acks else "")


_SCOREBOARD_HEAD = _text(
    """
    # Active sessions — po-platform

    The claim scoreboard of ADR-010 (playbook: `docs/ai/parallel-sessions.md`, Layer 2). One row per
    claimed session: `start-session.sh` adds it, the post-commit heartbeat bumps **Presence**, and a
    session removes its own row in the commit that sends its `type:release` message.

    | Session | Task | Worktree | Claimed | Presence | Scope |
    |---|---|---|---|---|---|
    """
)
_SCOREBOARD_TAIL = _text(
    """
    > Reap rule (Layer 3): a row whose Presence is more than 6 h old may be removed by any session,
    > after a `type:info` note in that session's queue. Never edit another session's row otherwise.
    """
)


def _queue_preamble(recipient: str) -> str:
    if recipient == "all":
        return _text(
            """
            # Broadcast queue — to all

            Messages for every session. The header stays `status:sent`; each session appends its
            own `- ack` line when it has read the message (ADR-010, Layer 6).
            """
        )
    if recipient == "human":
        return _text(
            f"""
            # Queue — to human ({HUMAN.name.split()[0]})

            Questions and decisions for the person. Dana answers in the asker's queue and marks
            the block here. Anything urgent: Telegram, then relay it into a queue.
            """
        )
    s = _BY_ID[recipient]
    return _text(
        f"""
        # Queue — to {s.id} · {s.name}

        Messages for {s.id}, oldest first. Append one block and commit with your own `[sX]` prefix;
        only {s.id} changes `status:` and appends `- ack` lines (ADR-010, Layer 6).
        """
    )


class _Story:
    """Plays the demo's history into a RepoBuilder, oldest commit first."""

    def __init__(self, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        self.now = now.astimezone(UTC).replace(second=0, microsecond=0)
        self.repo = RepoBuilder()
        self.rows: dict[str, _Row] = {}
        self.queues: dict[str, list[_Msg]] = {}
        self.seen: dict[str, datetime] = {}
        self.last_sha: dict[str, str] = {}
        self.planted: list[tuple[str, str, _Msg | None, str | None, str]] = []
        self.planted_in: list[tuple[str, str, str, str]] = []  # (rule, path, text on the line, why)
        self._last_at: datetime | None = None

    # --- time and commits -------------------------------------------------------------------

    def t(self, hours: int, minutes: int = 0) -> datetime:
        """The minute `hours:minutes` before now."""
        return self.now - timedelta(hours=hours, minutes=minutes)

    def commit(self, who: str, subject: str, at: datetime, second: int | None = None) -> CommitInfo:
        """Write the board files as they now stand and commit as a session id or `human`."""
        # Commits land a few seconds into the minute their messages are stamped with, as a
        # person or an agent typing `git commit` right after writing the file would.
        n = len(self.repo.commits)
        when = at + timedelta(seconds=second if second is not None else (17 * n + 11) % 47 + 3)
        if self._last_at is not None and when <= self._last_at:
            raise AssertionError(f"demo history out of order at {subject!r}")
        if when > self.now:
            raise AssertionError(f"demo commit after now: {subject!r}")
        self._last_at = when
        self._sync()
        if who == "human":
            return self.repo.commit(subject, when, author=HUMAN.name, email=HUMAN.email)
        s = _BY_ID[who]
        info = self.repo.commit(f"[{who}] {subject}", when, author=s.author, email=s.email)
        self.seen[who] = when
        self.last_sha[who] = info.short
        return info

    def _sync(self) -> None:
        board = {SCOREBOARD: self._scoreboard()} if self.repo.exists(SCOREBOARD) else {}
        for path, messages in self.queues.items():
            recipient = path.rsplit("/to-", 1)[1].removesuffix(".md")
            parts = [_queue_preamble(recipient) + "\n", *(m.render() for m in messages)]
            board[path] = "\n".join(parts)
        for path, text in board.items():
            if not self.repo.exists(path) or self.repo.read(path) != text:
                self.repo.write(path, text)

    def _scoreboard(self) -> str:
        rows = "".join(r.render() + "\n" for r in self.rows.values())
        return f"{_SCOREBOARD_HEAD}\n{rows}\n{_SCOREBOARD_TAIL}\n"

    # --- what sessions do -------------------------------------------------------------------

    def claim(self, sid: str, at: datetime, task: str, scope: str) -> None:
        s = _BY_ID[sid]
        self.rows[sid] = _Row(s, task, at, f"{canonical(at)} ·", scope)
        self.commit(sid, f"docs(ai-sessions): claim {sid} at {canonical(at)}", at)

    def heartbeat(self, sid: str, at: datetime) -> None:
        # The post-commit hook's beacon: its own time and the commit that triggered it.
        self.rows[sid].presence = f"{canonical(at)} · {self.last_sha[sid]}"
        self.commit(sid, f"chore(ai-sessions): heartbeat {sid}", at)

    def work(self, sid: str, at: datetime, subject: str, path: str, code: str) -> None:
        """A code commit in the session's own scope, followed a minute later by its heartbeat."""
        if self.repo.exists(path):
            self.repo.append(path, "\n" + _text(code) + "\n")
        else:
            self.repo.write(path, _text(code) + "\n")
        self.commit(sid, subject, at)
        self.heartbeat(sid, at + timedelta(minutes=1))

    def send(
        self,
        at: datetime,
        sender: str,
        to: str,
        type_: str,
        body: str,
        *,
        ref: str | None = None,
        re: _Msg | str | None = None,
        via: str | None = None,
        path: str | None = None,
        stamp: str | None = None,
    ) -> _Msg:
        """Append a message block to the recipient's queue (not committed yet)."""
        recipient = to.rsplit(":", 1)[-1]
        recipient = "all" if recipient == "all" else _BY_ADDRESS.get(recipient, recipient)
        target = path or f"{QUEUE_DIR}/to-{recipient}.md"
        re_text = re.stamp if isinstance(re, _Msg) else re
        msg = _Msg(
            target, at, stamp or canonical(at), sender, to, type_, _text(body), ref, re_text, via
        )
        self.queues.setdefault(target, []).append(msg)
        return msg

    def ack(
        self,
        msg: _Msg,
        at: datetime,
        by: str,
        state: str,
        note: str = "",
        *,
        header: bool = True,
        trail: bool = True,
    ) -> None:
        """The recipient's ack: the header's status in place (not for broadcasts), an ack line."""
        if header and msg.to != "all":
            msg.status = state
        if trail:
            msg.acks.append(
                " · ".join(["- ack", canonical(at), by, state, *([note] if note else [])])
            )

    def plant(
        self, rule: str, path: str, msg: _Msg | None, line_text: str | None, why: str
    ) -> None:
        self.planted.append((rule, path, msg, line_text, why))

    # --- the facts --------------------------------------------------------------------------

    def facts(self) -> DemoFacts:
        planted: list[Planted] = []
        for rule, path, msg, line_text, why in self.planted:
            lines = self.repo.read(path).split("\n")
            if msg is not None:
                heading_line = lines.index(f"## {msg.heading}") + 1
                line = heading_line
                if line_text is not None:
                    line = next(
                        i for i in range(heading_line, len(lines) + 1) if line_text in lines[i - 1]
                    )
                planted.append(Planted(rule, path, line, heading_line, msg.heading, why))
            else:
                assert line_text is not None
                line = next(i for i, text in enumerate(lines, 1) if text.startswith(line_text))
                planted.append(Planted(rule, path, line, None, line_text.strip("| "), why))
        for rule, path, needle, why in self.planted_in:
            lines = self.repo.read(path).split("\n")
            line = next(i for i, text in enumerate(lines, 1) if needle in text)
            planted.append(Planted(rule, path, line, None, needle, why))
        commits = self.repo.commits
        head = self.repo.head
        assert head is not None
        return DemoFacts(
            now=self.now,
            head=head,
            commit_count=len(commits),
            first_commit_at=commits[0].at,
            last_seen=tuple(sorted(self.seen.items())),
            message_count=sum(len(q) for q in self.queues.values()),
            planted=tuple(planted),
            files=tuple(sorted(self.repo.files)),
        )

    # --- the story --------------------------------------------------------------------------

    def play(self) -> None:
        self.day_one()
        self.day_two()
        self.day_three()
        self.day_four()
        self.last_day()
        self.exports()

    def day_one(self) -> None:
        """Dana imports the repo and adopts the protocol; Braga (ledger) and Porto (checkout)."""
        t = self.t
        for path, text in _PROJECT_FILES.items():
            self.repo.write(path, _text(text) + "\n")
        self.commit("human", "chore: import po-platform monorepo", t(118, 40))
        for path, text in _PROTOCOL_FILES.items():
            self.repo.write(path, _text(text) + "\n")
        self.repo.write(SCOREBOARD, self._scoreboard())
        self.queues[f"{QUEUE_DIR}/to-all.md"] = []
        self.commit("human", "docs(ai): adopt the parallel-sessions protocol (ADR-010)", t(118, 20))

        kickoff = self.send(
            t(118, 5),
            "human",
            "all",
            "info",
            """
            Kickoff for the parallel-sessions trial. Two sessions start today:

            - **Braga** — ledger CSV export (Riff #377)
            - **Porto** — checkout steps (Riff #398)

            Read `docs/ai/parallel-sessions.md` before your first commit. Claim with
            `infrastructure/scripts/start-session.sh`, prefix every commit with your `[sX]`, and
            ack this block so I can see you are up.
            """,
        )
        self.commit("human", "docs(ai-sessions): kickoff broadcast", t(118, 5))

        self.claim("sD", t(117, 20), "Riff #377", "ledger CSV export: `services/ledger/**`")
        self.ack(kickoff, t(117, 16), "sD", "seen", "read the playbook, claimed ledger")
        self.commit("sD", "docs(ai-sessions): ack kickoff", t(117, 16))
        self.claim("sB", t(116, 50), "Riff #398", "checkout steps: `web/checkout/**`")
        self.ack(kickoff, t(116, 46), "sB", "seen")
        self.commit("sB", "docs(ai-sessions): ack kickoff", t(116, 46))

        self.work("sD", t(116, 10), "feat(ledger): stream export rows as CSV", *_CODE["ledger1"])
        self.work("sB", t(115, 40), "feat(checkout): split the form into steps", *_CODE["co1"])

        amount_q = self.send(
            t(115, 5),
            "sB",
            "sD",
            "question",
            """
            Quick one before I build the receipt step: does the ledger export give amounts as
            `amount_minor` integers or as decimal strings? The receipt formats whatever you emit,
            so I'd rather match your shape than convert twice.
            """,
        )
        self.commit("sB", "docs(ai-sessions): queue question to sD", t(115, 5))
        self.ack(amount_q, t(114, 48), "sD", "seen")
        self.commit("sD", "docs(ai-sessions): ack sB question", t(114, 48))
        amount_a = self.send(
            t(114, 31),
            "sD",
            "sB",
            "answer",
            """
            Integers in minor units, always, plus the ISO currency next to them:

            ```python
            row = {"charge_id": "ch_0192", "amount_minor": 1999, "currency": "EUR"}
            ```

            Decimal strings only appear in the CSV itself (`19.99`), never in the API.
            """,
            re=amount_q,
        )
        self.ack(amount_q, t(114, 31), "sD", "answered", "see to-sB.md")
        self.commit("sD", "docs(ai-sessions): answer sB on amount format", t(114, 31))
        self.ack(amount_a, t(114, 10), "sB", "seen")
        self.commit("sB", "docs(ai-sessions): ack sD answer", t(114, 10))

        router = self.send(
            t(113, 30),
            "sB",
            "all",
            "claim",
            """
            Claiming `web/app.tsx` as well: the checkout steps need their own routes and the
            router lives there. Only the route table changes; shout if you have edits in flight.
            """,
            ref="Riff#398",
        )
        self.rows["sB"].scope = "checkout steps + routes: `web/checkout/**`, `web/app.tsx`"
        self.commit("sB", "docs(ai-sessions): claim web/app.tsx for Riff #398", t(113, 30))
        self.ack(router, t(113, 12), "sD", "seen", "nothing of mine in web/")
        self.commit("sD", "docs(ai-sessions): ack sB claim", t(113, 12))

        self.work("sD", t(112, 50), "feat(ledger): add currency column", *_CODE["ledger2"])
        self.work("sB", t(112, 15), "feat(web): route checkout steps", *_CODE["router"])

        banner_q = self.send(
            t(111, 40),
            "sB",
            "human",
            "question",
            """
            Product call needed for Riff #398: when the gateway answers `402 retry_later`, should
            checkout

            1. show a retry banner and keep the order open, or
            2. fail the order and send the customer back to the cart?

            I have (1) half-built behind a flag; (2) is a one-line change.
            """,
        )
        self.commit("sB", "docs(ai-sessions): queue question to human", t(111, 40))
        # Dana writes by hand from Lisbon: local time with seconds and an offset.
        local = t(110, 32).astimezone(UTC) + timedelta(hours=1)
        banner_a = self.send(
            t(110, 32),
            "human",
            "sB",
            "answer",
            """
            Banner, please (option 1). Keep the order open for 15 minutes, then fail it the
            normal way. Copy will come from Marta; use a placeholder string for now.
            """,
            re=banner_q,
            stamp=local.strftime("%Y-%m-%dT%H:%M:14+01:00"),
        )
        self.plant(
            "non-canonical-timestamp",
            banner_a.path,
            banner_a,
            None,
            "Dana typed her local time with seconds and an offset",
        )
        self.ack(banner_q, t(110, 32), "human", "answered", "see to-sB.md")
        self.commit("human", "docs(ai-sessions): answer Porto on the retry banner", t(110, 32), 40)
        self.ack(banner_a, t(110, 5), "sB", "seen", "banner it is")
        self.commit("sB", "docs(ai-sessions): ack human answer", t(110, 5))

        schema = self.send(
            t(109, 20),
            "sD",
            "sB",
            "info",
            """
            FYI: ledger export schema v2 landed on main. New columns `currency` and
            `settled_at`; the old `amount` column is gone. The docstring of
            `services/ledger/export.py` lists the order.
            """,
        )
        self.commit("sD", "docs(ai-sessions): queue info to sB", t(109, 20))
        self.ack(schema, t(108, 55), "sB", "seen")
        self.commit("sB", "docs(ai-sessions): ack sD info", t(108, 55))
        self.work("sD", t(108, 30), "test(ledger): cover empty exports", *_CODE["ledger3"])
        self.work("sB", t(107, 45), "test(checkout): step navigation", *_CODE["co_test"])

    def day_two(self) -> None:
        """Sintra joins, takes over payments retry from Braga; Braga releases."""
        t = self.t
        freeze = self.send(
            t(96, 10),
            "human",
            "all",
            "info",
            """
            Riff is read-only for the next few hours (tasks-prod migration). Keep working;
            note any new task as a `type:info` block in your own queue and I will file the Riffs
            afterwards.
            """,
        )
        self.commit("human", "docs(ai-sessions): broadcast Riff downtime", t(96, 10))
        self.ack(freeze, t(95, 52), "sB", "seen")
        self.commit("sB", "docs(ai-sessions): ack Riff downtime", t(95, 52))
        self.ack(freeze, t(95, 40), "sD", "seen", "nothing new on my side")
        self.commit("sD", "docs(ai-sessions): ack Riff downtime", t(95, 40))

        self.claim("sA", t(95, 0), "(Riff TBD)", "scope TBD — update this row when you pick a Riff")
        kickoff, router = self.queues[f"{QUEUE_DIR}/to-all.md"][:2]
        for old in (kickoff, router, freeze):
            self.ack(old, t(94, 56), "sA", "seen")
        self.commit("sA", "docs(ai-sessions): ack open broadcasts", t(94, 56))

        relay = self.send(
            t(94, 45),
            "sD",
            "all",
            "relay",
            f"""
            Relaying Dana from Telegram ({t(94, 52).strftime("%H:%MZ")}):

            > Sintra takes Riff #412 (payments retry). Braga wraps up the ledger export and
            > releases today.

            Handoff block for #412 follows in `to-sA.md`.
            """,
            via="telegram",
        )
        self.commit("sD", "docs(ai-sessions): relay human instruction to all", t(94, 45))
        self.ack(relay, t(94, 38), "sA", "seen")
        self.commit("sA", "docs(ai-sessions): ack relay", t(94, 38))
        self.ack(relay, t(94, 30), "sB", "seen")
        self.commit("sB", "docs(ai-sessions): ack relay", t(94, 30))

        handoff = self.send(
            t(94, 20),
            "sD",
            "sA",
            "handoff",
            """
            Please take over the payments retry work (Riff #412). I spiked it last week before
            the ledger export took my time; nothing of it is merged. Notes from my scratch file,
            pasted as-is:

            ```markdown
            ## retry budget (draft)
            - 4 attempts max, base 250 ms, full jitter
            - budget is per merchant, per minute; reset rule still open (ask Dana)
            - never retry a 4xx except 402 retry_later and 429
            ```

            The gateway client is `services/payments/gateway.py`; `retry.py` is the only other
            file you should need.
            """,
            ref="Riff#412",
        )
        self.commit("sD", "docs(ai-sessions): queue handoff to sA", t(94, 20))
        self.ack(handoff, t(94, 12), "sA", "seen")
        self.commit("sA", "docs(ai-sessions): ack sD handoff", t(94, 12))
        self.ack(handoff, t(94, 5), "sA", "accepted", "starting with the backoff schedule")
        self.rows["sA"].task = "Riff #412"
        self.rows["sA"].scope = "payments retry: `services/payments/**`"
        self.commit("sA", "docs(ai-sessions): take Riff #412 from sD", t(94, 5))

        payments = self.send(
            t(94, 0),
            "sA",
            "all",
            "claim",
            """
            Claiming `services/payments/**` for Riff #412 (payments retry, handed over by Braga).
            If you need a change in there, send me a `type:question` instead of editing.
            """,
            ref="Riff#412",
        )
        self.commit("sA", "docs(ai-sessions): claim services/payments for Riff #412", t(94, 0))
        self.ack(payments, t(93, 50), "sB", "seen")
        self.commit("sB", "docs(ai-sessions): ack sA claim", t(93, 50))
        self.ack(payments, t(93, 45), "sD", "seen")
        self.commit("sD", "docs(ai-sessions): ack sA claim", t(93, 45))

        self.work("sA", t(93, 20), "feat(payments): exponential backoff with jitter", *_CODE["r1"])
        attempt_q = self.send(
            t(92, 55),
            "sA",
            "sD",
            "question",
            """
            In your spike, is `attempt` 0-based or 1-based? The draft says "4 attempts max" and
            I want the first retry (not the first call) to wait 250 ms.
            """,
        )
        self.commit("sA", "docs(ai-sessions): queue question to sD", t(92, 55))
        self.ack(attempt_q, t(92, 44), "sD", "seen")
        self.commit("sD", "docs(ai-sessions): ack sA question", t(92, 44))
        attempt_a = self.send(
            t(92, 40),
            "sD",
            "sA",
            "answer",
            """
            1-based: attempt 1 is the original call, so 4 attempts = 1 call + 3 retries, and the
            first retry waits `base * 2 ** 0` = 250 ms before jitter.
            """,
            re=attempt_q,
        )
        self.ack(attempt_q, t(92, 40), "sD", "answered")
        self.commit("sD", "docs(ai-sessions): answer sA on attempts", t(92, 40))
        self.ack(attempt_a, t(92, 20), "sA", "seen", "thanks")
        self.commit("sA", "docs(ai-sessions): ack sD answer", t(92, 20))

        self.work("sD", t(91, 30), "fix(ledger): quote commas in merchant names", *_CODE["ledger4"])
        release = self.send(
            t(90, 30),
            "sD",
            "all",
            "release",
            """
            Riff #377 is merged (PR#88). Releasing `services/ledger/**` and removing my row.
            Payments retry went to Sintra (see the handoff in `to-sA.md`). Thanks all.
            """,
            ref="PR#88",
        )
        del self.rows["sD"]
        self.commit("sD", "docs(ai-sessions): release sD", t(90, 30))
        self.ack(release, t(90, 12), "sA", "seen")
        self.commit("sA", "docs(ai-sessions): ack sD release", t(90, 12))
        self.ack(release, t(90, 5), "sB", "seen")
        self.commit("sB", "docs(ai-sessions): ack sD release", t(90, 5))

        routes = self.send(
            t(89, 40),
            "sB",
            "sA",
            "info",
            """
            Heads-up so we don't collide: I'm adding the `/checkout/retry` route in `web/app.tsx`
            today. Nothing under `services/payments/` on my side.
            """,
        )
        self.commit("sB", "docs(ai-sessions): queue info to sA", t(89, 40))
        self.ack(routes, t(89, 30), "sA", "seen")
        self.commit("sA", "docs(ai-sessions): ack sB info", t(89, 30))
        self.work("sB", t(89, 10), "feat(web): add the checkout retry route", *_CODE["router2"])
        self.work("sA", t(88, 35), "feat(payments): retry budget per merchant", *_CODE["r2"])

        shape_q = self.send(
            t(87, 40),
            "sB",
            "Sintra",
            "question",
            """
            What will `gateway.charge` raise once the retry budget is spent? I want the banner
            to show "try again in N s", so I need the wait time in the error, not only a message.
            """,
        )
        self.commit("sB", "docs(ai-sessions): queue question to sA", t(87, 40))
        self.ack(shape_q, t(87, 25), "sA", "seen")
        self.commit("sA", "docs(ai-sessions): ack sB question", t(87, 25))
        shape_a = self.send(
            t(87, 10),
            "sA",
            "sB",
            "answer",
            """
            `RetryBudgetExhausted`, carrying the wait in whole seconds:

            ```python
            class RetryBudgetExhausted(PaymentError):
                retry_after_s: int   # 0 when the gateway gave no hint
                merchant_id: str
            ```

            The API maps it to HTTP 503 with `{"code": "retry_budget", "retry_after_s": 30}`.
            """,
            re=shape_q,
        )
        self.ack(shape_q, t(87, 10), "sA", "answered")
        self.commit("sA", "docs(ai-sessions): answer sB on the error shape", t(87, 10))
        self.ack(shape_a, t(86, 50), "sB", "seen")
        self.commit("sB", "docs(ai-sessions): ack sA answer", t(86, 50))

        self.work("sB", t(85, 0), "feat(checkout): RetryBanner component", *_CODE["banner1"])
        schedule = self.send(
            t(84, 10),
            "sA",
            "sB",
            "info",
            """
            `services/payments/retry.py` now exports `RETRY_SCHEDULE_MS` (the waits before
            jitter). Import it if the banner wants a progress hint; please don't copy the numbers.
            """,
        )
        self.commit("sA", "docs(ai-sessions): queue info to sB", t(84, 10))
        self.ack(schedule, t(83, 55), "sB", "seen")
        self.commit("sB", "docs(ai-sessions): ack sA info", t(83, 55))
        self.work("sA", t(82, 40), "feat(payments): export the retry schedule", *_CODE["r3"])

    def day_three(self) -> None:
        """Release cut; relays from Telegram (one without its source); a leaked key; a handoff."""
        t = self.t
        cut = self.send(
            t(72, 30),
            "human",
            "all",
            "info",
            """
            Release cut for 2.14.0 is tomorrow at 16:00 UTC; `main` freezes at 15:00. Anything
            risky goes behind a flag. Ack here so I know you have seen it.
            """,
        )
        self.commit("human", "docs(ai-sessions): broadcast release cut", t(72, 30))
        self.ack(cut, t(72, 5), "sA", "seen", "retry v2 is behind `payments.retry_v2`")
        self.commit("sA", "docs(ai-sessions): ack release cut", t(72, 5))
        self.ack(cut, t(71, 58), "sB", "seen", "banner is behind `checkout.retryBanner`")
        self.commit("sB", "docs(ai-sessions): ack release cut", t(71, 58))

        cap = self.send(
            t(71, 20),
            "sB",
            "sA",
            "relay",
            f"""
            Dana on Telegram ({t(71, 26).strftime("%H:%MZ")}), for you:

            > Sintra, keep the retry cap at 8 s. Finance wants a hard upper bound on how long a
            > customer waits.
            """,
            via="telegram",
        )
        self.commit("sB", "docs(ai-sessions): relay human instruction to sA", t(71, 20))
        self.ack(cap, t(71, 5), "sA", "seen")
        self.commit("sA", "docs(ai-sessions): ack sB relay", t(71, 5))
        self.ack(cap, t(70, 40), "sA", "accepted")
        self.commit("sA", "docs(ai-sessions): accept sB relay", t(70, 40))
        self.work("sA", t(69, 50), "feat(payments): cap backoff at 8 s", *_CODE["r4"])
        self.ack(cap, t(69, 45), "sA", "done", "cap is `MAX_DELAY_MS = 8_000`")
        self.commit("sA", "docs(ai-sessions): close sB relay", t(69, 45))

        copy = self.send(
            t(68, 10),
            "sB",
            "sA",
            "relay",
            """
            From Dana: the banner copy is final — "We're retrying your payment…". Please use the
            same string for `RetryBudgetExhausted.user_message` so support sees one wording.
            """,
        )
        self.plant(
            "relay-without-source",
            copy.path,
            copy,
            None,
            "a relayed instruction that does not say where it came from (no via:)",
        )
        self.commit("sB", "docs(ai-sessions): relay banner copy to sA", t(68, 10))
        self.ack(copy, t(67, 55), "sA", "seen")
        self.commit("sA", "docs(ai-sessions): ack sB relay", t(67, 55))
        self.work("sA", t(67, 0), "feat(payments): user message on budget errors", *_CODE["r5"])
        self.ack(copy, t(66, 40), "sA", "done", "string matches the banner")
        self.commit("sA", "docs(ai-sessions): close sB relay", t(66, 40))

        reset_q = self.send(
            t(66, 30),
            "sA",
            "human",
            "question",
            """
            Retry budgets reset daily. At midnight UTC, or at the merchant's local midnight?
            UTC is simpler; local matches how merchants read their dashboards.
            """,
        )
        self.commit("sA", "docs(ai-sessions): queue question to human", t(66, 30))
        reset_a = self.send(
            t(65, 5),
            "human",
            "sA",
            "answer",
            """
            Merchant-local. The merchant's `tz` field is on the account record; fall back to UTC
            when it is empty.
            """,
            re=reset_q,
        )
        self.ack(reset_q, t(65, 5), "human", "answered")
        self.commit("human", "docs(ai-sessions): answer Sintra on budget reset", t(65, 5))
        self.ack(reset_a, t(64, 50), "sA", "seen")
        self.commit("sA", "docs(ai-sessions): ack human answer", t(64, 50))

        key = self.send(
            t(64, 10),
            "sB",
            "sA",
            "info",
            """
            The banner smoke test (`pnpm test:smoke`) talks to the BASS sandbox. Put this in your
            `.env.local` before running it:

            ```env
            BASS_API_KEY=bass_live_DEMO7fK29xQmW4tVp8Ls1N3c
            ```
            """,
        )
        self.plant(
            "secret-in-board",
            key.path,
            key,
            "BASS_API_KEY=",
            "a (fake) live API key pasted into a message body",
        )
        self.commit("sB", "docs(ai-sessions): queue info to sA", t(64, 10))
        self.ack(key, t(63, 55), "sA", "seen", "please rotate it, the board is published")
        self.commit("sA", "docs(ai-sessions): ack sB info", t(63, 55))
        self.work("sA", t(63, 0), "feat(payments): reset budgets at local midnight", *_CODE["r6"])
        self.work("sB", t(62, 20), "feat(checkout): banner countdown", *_CODE["banner2"])

        staging = self.send(
            t(61, 30),
            "sA",
            "all",
            "info",
            """
            `payments.retry_v2` is on in staging. If you see a charge retried more than 3 times
            there, send me the `charge_id`; that would be a bug.
            """,
        )
        self.commit("sA", "docs(ai-sessions): broadcast retry v2 on staging", t(61, 30))
        self.ack(staging, t(61, 10), "sB", "seen")
        self.commit("sB", "docs(ai-sessions): ack sA broadcast", t(61, 10))

        parsing = self.send(
            t(60, 10),
            "sB",
            "sA",
            "handoff",
            """
            Handing you a bug I hit from checkout: `gateway.py` reads `Retry-After` as seconds,
            but the sandbox sends an HTTP date (`Wed, 21 Oct 2026 07:28:00 GMT`), so we wait
            0 s. It is in your scope, so it's yours; I have not filed a Riff for it.
            """,
        )
        self.plant(
            "handoff-without-ref",
            parsing.path,
            parsing,
            None,
            "work changed hands with no tracker reference",
        )
        self.commit("sB", "docs(ai-sessions): queue handoff to sA", t(60, 10))
        self.ack(parsing, t(59, 55), "sA", "seen")
        self.commit("sA", "docs(ai-sessions): ack sB handoff", t(59, 55))
        self.ack(parsing, t(59, 50), "sA", "accepted")
        self.commit("sA", "docs(ai-sessions): accept sB handoff", t(59, 50))
        self.work("sA", t(58, 10), "fix(payments): parse Retry-After HTTP dates", *_CODE["gw1"])
        self.ack(parsing, t(58, 0), "sA", "done", "fixed in `parse_retry_after`")
        self.commit("sA", "docs(ai-sessions): close sB handoff", t(58, 0))
        self.work("sB", t(57, 0), "fix(checkout): banner focus order", *_CODE["banner3"])

    def day_four(self) -> None:
        """2.14.0 ships; threads about the error shape; a changelog; an XSS report with raw HTML."""
        t = self.t
        shipped = self.send(
            t(48, 20),
            "human",
            "all",
            "info",
            """
            2.14.0 is out. Thank you both. Next up:

            - 2.14.1 turns `payments.retry_v2` on for 10 % of merchants;
            - Lagos joins later this week for ledger reconciliation.
            """,
        )
        self.commit("human", "docs(ai-sessions): broadcast 2.14.0 shipped", t(48, 20))
        self.ack(shipped, t(48, 5), "sA", "seen")
        self.commit("sA", "docs(ai-sessions): ack 2.14.0 broadcast", t(48, 5))
        self.ack(shipped, t(47, 55), "sB", "seen")
        self.commit("sB", "docs(ai-sessions): ack 2.14.0 broadcast", t(47, 55))

        name_q = self.send(
            t(46, 10),
            "sB",
            "po:sA",
            "question",
            """
            Could `RetryBudgetExhausted` also carry the merchant's display name? The banner says
            "{merchant} is busy", and a second lookup from the web side means another round trip.
            """,
        )
        self.commit("sB", "docs(ai-sessions): queue question to sA", t(46, 10))
        self.ack(name_q, t(45, 58), "sA", "seen")
        self.commit("sA", "docs(ai-sessions): ack sB question", t(45, 58))
        name_a = self.send(
            t(45, 30),
            "sA",
            "sB",
            "answer",
            """
            Yes: `merchant_name` is on the error from the next deploy. It is the public
            display name, so it is safe to show as-is.
            """,
            re=name_q,
        )
        self.ack(name_q, t(45, 30), "sA", "answered")
        self.commit("sA", "docs(ai-sessions): answer sB on merchant name", t(45, 30))
        self.ack(name_a, t(45, 10), "sB", "seen")
        self.commit("sB", "docs(ai-sessions): ack sA answer", t(45, 10))

        changelog = self.send(
            t(44, 5),
            "sA",
            "sB",
            "info",
            """
            Draft changelog for 2.14.1 (payments part); add the checkout lines under it:

            ```markdown
            ## 2.14.1 — payments
            - retries respect `Retry-After` HTTP dates
            - budget errors carry `retry_after_s` and `merchant_name`
            ```

            It goes in `CHANGELOG.md` at the cut, not before.
            """,
        )
        self.commit("sA", "docs(ai-sessions): queue info to sB", t(44, 5))
        self.ack(changelog, t(43, 50), "sB", "seen")
        self.commit("sB", "docs(ai-sessions): ack sA info", t(43, 50))
        self.work("sA", t(42, 30), "feat(payments): merchant name on budget errors", *_CODE["r7"])
        self.work("sB", t(41, 45), "feat(checkout): merchant name in banner", *_CODE["banner4"])

        budget_info = self.send(
            t(40, 20),
            "sA",
            "human",
            "info",
            """
            FYI: budgets now reset at the merchant's local midnight, falling back to UTC when
            `tz` is empty (your answer from two days ago). Live in staging.
            """,
        )
        self.commit("sA", "docs(ai-sessions): queue info to human", t(40, 20))
        # Dana only flips the heading's status (no ack line): the board reads the time from git.
        self.ack(budget_info, t(39, 5), "human", "seen", trail=False)
        self.commit("human", "docs(ai-sessions): mark Sintra's note seen", t(39, 5))

        xss = self.send(
            t(30, 20),
            "sB",
            "sA",
            "info",
            """
            Found while testing the banner on staging: the gift note on the receipt page is
            rendered unescaped. Repro: put <script>alert(1)</script> in the gift note, pay, open
            the receipt. It is `web/checkout/Receipt.tsx`, so mine; I'm filing Riff #431. Telling
            you because the note passes through `services/payments` untouched.
            """,
        )
        self.plant(
            "raw-html-in-message",
            xss.path,
            xss,
            "<script>",
            "an HTML snippet pasted into a message body (the site must show it escaped)",
        )
        self.commit("sB", "docs(ai-sessions): queue info to sA", t(30, 20))
        self.ack(xss, t(30, 5), "sA", "seen", "thanks, nothing to change on my side")
        self.commit("sA", "docs(ai-sessions): ack sB info", t(30, 5))
        self.work("sB", t(29, 10), "fix(checkout): escape the receipt gift note", *_CODE["receipt"])
        self.work("sA", t(27, 40), "refactor(payments): one clock for budgets", *_CODE["r8"])

    def last_day(self) -> None:
        """Lagos claims and goes quiet; the planted misses of the last hours; Sintra still at it."""
        t = self.t
        flag_q = self.send(
            t(25, 10),
            "human",
            "sB",
            "question",
            """
            Porto: can the banner ship in 2.14.1 behind `checkout.retryBanner`, or does it need
            the budget errors from payments first?
            """,
        )
        self.commit("human", "docs(ai-sessions): ask Porto about 2.14.1", t(25, 10))
        self.ack(flag_q, t(24, 50), "sB", "seen")
        self.commit("sB", "docs(ai-sessions): ack human question", t(24, 50))
        flag_a = self.send(
            t(24, 40),
            "sB",
            "human",
            "answer",
            """
            It can ship: with the flag off nothing changes, and with it on the banner falls back
            to a plain "try again" when `retry_after_s` is missing.
            """,
            re=flag_q,
        )
        self.ack(flag_q, t(24, 40), "sB", "answered")
        self.commit("sB", "docs(ai-sessions): answer human on 2.14.1", t(24, 40))
        self.ack(flag_a, t(23, 30), "human", "seen")
        self.commit("human", "docs(ai-sessions): mark Porto's answer seen", t(23, 30))
        self.work("sA", t(22, 0), "test(payments): budget reset across DST", *_CODE["r_test"])
        self.work("sB", t(21, 20), "test(checkout): banner countdown", *_CODE["banner_test"])

        lagos = self.send(
            t(12, 40),
            "human",
            "all",
            "info",
            """
            Lagos (sC) starts shortly on ledger reconciliation. It will pick its Riff from the
            recon epic once it has read the backlog; please answer its questions quickly.
            """,
        )
        self.commit("human", "docs(ai-sessions): broadcast Lagos joining", t(12, 40))
        self.ack(lagos, t(12, 25), "sA", "seen")
        self.commit("sA", "docs(ai-sessions): ack Lagos broadcast", t(12, 25))
        self.ack(lagos, t(12, 20), "sB", "seen")
        self.commit("sB", "docs(ai-sessions): ack Lagos broadcast", t(12, 20))

        self.claim("sC", t(11, 0), "(Riff TBD)", "scope TBD — update this row when you pick a Riff")
        self.plant(
            "task-placeholder",
            SCOREBOARD,
            None,
            "| sC · Lagos |",
            "Lagos never replaced (Riff TBD) with a task",
        )
        self.plant(
            "stale-claim",
            SCOREBOARD,
            None,
            "| sC · Lagos |",
            "Lagos went quiet about 9 h ago and still holds its row",
        )
        self.ack(lagos, t(10, 55), "sC", "seen")
        self.commit("sC", "docs(ai-sessions): ack Lagos broadcast", t(10, 55))
        hooks_q = self.send(
            t(10, 30),
            "sC",
            "Sintra",
            "question",
            """
            Reconciliation needs the ledger hooks. Is `services/payments/ledger_hooks.py` part
            of your claim? I don't want to trespass; if it is, I'll ask before touching it.
            """,
        )
        self.commit("sC", "docs(ai-sessions): queue question to sA", t(10, 30))
        self.ack(hooks_q, t(10, 2), "sA", "answered", "see to-sC.md")
        # Sintra threads the answer with the question's Lisbon wall-clock time instead of UTC.
        hooks_a = self.send(
            t(10, 0),
            "sA",
            "sC",
            "answer",
            """
            Yes, it is under `services/payments/**`. Claim `services/ledger/recon/**` for your
            side and send me the hook signature you need; I'll add it today.
            """,
            re=canonical(t(9, 30)),
        )
        self.plant(
            "dangling-reply",
            hooks_a.path,
            hooks_a,
            None,
            "re: names the question's local time, so it points at no message",
        )
        self.commit("sA", "docs(ai-sessions): answer sC on ledger hooks", t(10, 0))
        self.ack(hooks_a, t(9, 40), "sC", "seen")
        self.commit("sC", "docs(ai-sessions): ack sA answer", t(9, 40))
        self.heartbeat("sC", t(9, 8))  # Lagos's last sign of life

        self.work("sA", t(8, 20), "feat(payments): ledger hook for recon", *_CODE["hooks"])
        self.work("sB", t(7, 50), "feat(checkout): receipt shows retry count", *_CODE["receipt2"])

        copy_api = self.send(
            t(6, 20),
            "sB",
            "sA",
            "handoff",
            """
            Handing over Riff #433: the receipt's retry copy should come from the API error
            payload, not from the web bundle, so support and customers read the same text.
            The web side is ready to read `user_message` from the 503 body.
            """,
            ref="Riff#433",
        )
        self.commit("sB", "docs(ai-sessions): queue handoff to sA", t(6, 20))
        self.ack(copy_api, t(6, 5), "sA", "seen")
        self.commit("sA", "docs(ai-sessions): ack sB handoff", t(6, 5))
        # Sintra adds the `accepted` line but forgets the header, which still says `seen`.
        self.ack(copy_api, t(5, 50), "sA", "accepted", "after the hook work", header=False)
        self.plant(
            "ack-status-mismatch",
            copy_api.path,
            copy_api,
            None,
            "the header says seen, the newest ack line says accepted",
        )
        self.commit("sA", "docs(ai-sessions): accept sB handoff", t(5, 50))

        certs = self.send(
            t(5, 30),
            "human",
            "all",
            "info",
            """
            Heads-up: the sandbox gateway rotates its certificates later today. Expect about
            5 minutes of 502s from `/v1/charges`; don't chase them.
            """,
        )
        self.plant(
            "broadcast-unacked",
            certs.path,
            certs,
            None,
            "Sintra was live when this was sent and never acked it",
        )
        self.commit("human", "docs(ai-sessions): broadcast sandbox cert rotation", t(5, 30))
        self.ack(certs, t(5, 12), "sB", "seen")
        self.commit("sB", "docs(ai-sessions): ack cert rotation", t(5, 12))

        self.work("sA", t(5, 0), "feat(payments): user_message in 503 body", *_CODE["r9"])
        header_q = self.send(
            t(4, 30),
            "sA",
            "sB",
            "question",
            """
            Does the banner read `retry_after_s` from the error body, or the `Retry-After`
            header? I'd like to drop the header from `/v1/charges` responses in 2.14.2.
            """,
        )
        self.plant(
            "unacked-message",
            header_q.path,
            header_q,
            None,
            "Porto kept committing after this arrived and never acked it",
        )
        self.commit("sA", "docs(ai-sessions): queue question to sB", t(4, 30))
        self.work("sB", t(4, 0), "feat(checkout): retry count on receipt", *_CODE["receipt3"])
        self.work("sA", t(3, 40), "test(payments): 503 body shape", *_CODE["r_test2"])
        self.repo.append(_CODE["receipt4"][0], "\n" + _text(_CODE["receipt4"][1]) + "\n")
        self.commit("sB", "style(checkout): receipt spacing", t(3, 6))
        self.heartbeat("sB", t(3, 5))  # Porto's last sign of life

        note = self.send(
            t(2, 40),
            "sA",
            "sA",
            "info",
            """
            - [ ] rebase `session-sA` before the 2.14.2 cut
            - [ ] ask Porto about the `Retry-After` header again if no answer in two hours
            """,
        )
        note.raw_heading = "note to self, no fields here"
        self.plant("message-parse", note.path, note, None, "a heading with no fields at all")
        self.commit("sA", "docs(ai-sessions): note to self", t(2, 40))
        self.work("sA", t(2, 10), "feat(payments): drop legacy retry path", *_CODE["r10"])

        standup = self.send(
            t(1, 35),
            "human",
            "all",
            "info",
            """
            Standup moves to 15:30 UTC today. Sessions: nothing to do, your queue is the standup.
            """,
        )
        self.commit("human", "docs(ai-sessions): broadcast standup move", t(1, 35))
        self.ack(standup, t(1, 22), "sA", "seen")
        self.commit("sA", "docs(ai-sessions): ack standup move", t(1, 22))
        self.send(
            t(0, 55),
            "human",
            "sA",
            "question",
            """
            Can you demo the retry flow end to end (charge, two retries, banner, receipt) at the
            standup? Staging is fine.
            """,
        )
        self.commit("human", "docs(ai-sessions): ask Sintra for a demo", t(0, 55))
        # Meant for Lagos, appended to Porto's queue.
        reap = self.send(
            t(0, 42),
            "sA",
            "sC",
            "info",
            """
            Lagos: your row has had no presence for more than 8 hours. Per the reap rule I'll remove it in
            an hour unless you answer here. Your question about the ledger hooks is answered in
            `to-sC.md`.
            """,
            path=f"{QUEUE_DIR}/to-sB.md",
        )
        self.plant(
            "misfiled-message",
            reap.path,
            reap,
            None,
            "a message to sC appended to to-sB.md",
        )
        self.commit("sA", "docs(ai-sessions): queue reap notice to sC", t(0, 42))
        self.work("sA", t(0, 20), "feat(payments): retry metrics per merchant", *_CODE["r11"])

    def exports(self) -> None:
        """The nightly sync: tracker exports, agent transcripts and playbooks, the bridge chats."""
        files, plants = fleet(self.t, self.now)
        for path, text in files.items():
            self.repo.write(path, text)
        self.commit(
            "human", "chore(ai): sync tracker exports, agent logs and bridge chats", self.t(0, 12)
        )
        for p in plants:
            self.planted_in.append((p.rule, p.path, p.needle, p.why))


# --- the project's own files ---------------------------------------------------------------------

_PROJECT_FILES: dict[str, str] = {
    "README.md": """
        # po-platform

        Payments and checkout for the PO marketplace: a Python service layer (`services/`) and
        the checkout web app (`web/`).

        ```sh
        make dev      # services on :8000, web on :5173
        make test
        ```

        Parallel AI coding sessions coordinate through the git blackboard in `docs/ai/`; see
        `docs/ai/parallel-sessions.md`.
        """,
    "Makefile": """
        .PHONY: dev test

        dev:
        \tuv run uvicorn services.api:app --port 8000 & pnpm --dir web dev

        test:
        \tuv run pytest services && pnpm --dir web test
        """,
    "services/__init__.py": '"""po-platform services."""',
    "services/payments/__init__.py": '"""Charging customers through the BASS gateway."""',
    "services/payments/gateway.py": '''
        """The BASS gateway client."""

        from __future__ import annotations

        import httpx

        TIMEOUT_S = 10


        def charge(client: httpx.Client, merchant_id: str, amount_minor: int, currency: str) -> dict:
            response = client.post(
                "/v1/charges",
                json={"merchant": merchant_id, "amount": amount_minor, "currency": currency},
                timeout=TIMEOUT_S,
            )
            response.raise_for_status()
            return response.json()
        ''',
    "services/payments/retry.py": '''
        """When and how often to retry a gateway call."""

        from __future__ import annotations

        RETRYABLE = frozenset({429, 502, 503})


        def should_retry(status: int) -> bool:
            return status in RETRYABLE
        ''',
    "services/payments/ledger_hooks.py": '''
        """Callbacks the ledger registers on settled charges."""

        from __future__ import annotations

        HOOKS: list = []
        ''',
    "services/ledger/__init__.py": '"""The merchant ledger."""',
    "services/ledger/export.py": '''
        """Merchant ledger export.

        Columns: charge_id, merchant_id, amount_minor.
        """

        from __future__ import annotations

        COLUMNS = ("charge_id", "merchant_id", "amount_minor")
        ''',
    "web/package.json": """
        {
          "name": "po-checkout",
          "private": true,
          "scripts": {"dev": "vite", "test": "vitest run", "test:smoke": "vitest run smoke"},
          "dependencies": {"react": "^19.1.0", "react-router": "^7.6.0"}
        }
        """,
    "web/app.tsx": """
        import { createBrowserRouter, RouterProvider } from "react-router";
        import { CheckoutForm } from "./checkout/CheckoutForm";

        const router = createBrowserRouter([{ path: "/checkout", element: <CheckoutForm /> }]);

        export function App() {
          return <RouterProvider router={router} />;
        }
        """,
    "web/checkout/CheckoutForm.tsx": """
        export function CheckoutForm() {
          return <form className="checkout">{/* address, card, confirm */}</form>;
        }
        """,
}

_PROTOCOL_FILES: dict[str, str] = {
    "docs/ai/parallel-sessions.md": """
        # Parallel sessions — the playbook

        The operational doctrine of ADR-010 for 2–3 coding sessions working this repository at
        the same time. Read it at the start of every session.

        ## Layer 0 — isolation

        Every session works in its own worktree, `../po-platform-sX` on branch `session-sX`,
        created by `infrastructure/scripts/start-session.sh sX`. Never share a working tree.

        ## Layer 2 — the scoreboard

        `docs/ai/sessions/active.md` holds one row per claimed session. Claim before your first
        commit; keep **Task** and **Scope** true; remove your row when you release.

        ## Layer 3 — presence and reaping

        The post-commit hook (`session-heartbeat.sh`) bumps your Presence cell. A row more than
        6 h old may be reaped by any session after a note in its queue.

        ## Layer 6 — messages

        Append one block to `docs/ai/sessions/queue/to-<id>.md` (`to-all.md` to broadcast):

        ```
        ## <UTC minute> · from:<id> · to:<id> · type:<type> · ref:<Riff#n> · status:sent
        ```

        Only the recipient changes `status:` (sent → seen → answered/accepted → done) and
        appends `- ack` lines. Telegram is a bridge to Dana, never the bus: relay anything
        you are told there into a queue with `type:relay · via:telegram`.
        """,
    "docs/adr/ADR-010-parallel-sessions.md": """
        # ADR-010: Parallel coding sessions coordinate through a git blackboard

        Status: accepted

        ## Decision

        Sessions never share a working tree. They coordinate through committed queue files and
        a claim scoreboard (tier 1), complemented by Riff (tier 2); Telegram is a human bridge
        only (tier 3). Rejected: RabbitMQ, A2A, a Postgres bus — each adds a service that can be
        down while git cannot.
        """,
    "infrastructure/scripts/start-session.sh": """
        #!/usr/bin/env bash
        # Create the session's worktree and print the claim row to add to active.md.
        set -euo pipefail
        id="${1:?usage: start-session.sh sX}"
        git worktree add "../po-platform-${id}" -b "session-${id}"
        echo "| ${id} · NAME | (Riff TBD) | worktree \\`session-${id}\\` → direct-to-main, \\`[${id}]\\` |"
        """,
    "infrastructure/scripts/session-heartbeat.sh": """
        #!/usr/bin/env bash
        # post-commit: bump this session's Presence cell to now and the commit just made.
        set -euo pipefail
        id="$(git rev-parse --abbrev-ref HEAD | sed -n 's/^session-//p')"
        [ -n "$id" ] || exit 0
        echo "heartbeat ${id} $(date -u +%Y-%m-%dT%H:%MZ) $(git rev-parse --short HEAD)"
        """,
    "infrastructure/scripts/check-worktree-prefix.sh": """
        #!/usr/bin/env bash
        # commit-msg: a commit made in a session worktree must start with that session's [sX].
        set -euo pipefail
        id="$(git rev-parse --abbrev-ref HEAD | sed -n 's/^session-//p')"
        [ -z "$id" ] || grep -q "^\\[${id}\\] " "$1" || { echo "prefix your commit with [${id}]"; exit 1; }
        """,
    "lefthook.yml": """
        commit-msg:
          commands:
            worktree-prefix:
              run: infrastructure/scripts/check-worktree-prefix.sh {1}
        post-commit:
          commands:
            heartbeat:
              run: infrastructure/scripts/session-heartbeat.sh
        """,
    "statusboard.toml": """
        # statusboard (the session status site and lint) for po-platform.
        project_tag = "po"
        names = ["Sintra", "Porto", "Lagos", "Braga", "Evora", "Faro"]
        human_commit_authors = ["Dana Human"]

        [site]
        title = "po-platform · sessions"

        [agents]
        timezone = "Europe/Lisbon"   # the DND window (03:00–08:00) and Telegram's dates
        people = ["Dana Human"]      # the person on the Telegram bridge
        signoff = ["human", "Dana Human"]
        """,
}

# Code commits: (path, what the commit appends). Each session only touches its own scope.
_CODE: dict[str, tuple[str, str]] = {
    "ledger1": (
        "services/ledger/export.py",
        '''
        def write_csv(rows, out) -> None:
            """Stream rows to `out` without building the whole file in memory."""
            out.write(",".join(COLUMNS) + "\\n")
            for row in rows:
                out.write(",".join(str(row[c]) for c in COLUMNS) + "\\n")
        ''',
    ),
    "ledger2": (
        "services/ledger/export.py",
        """
        COLUMNS_V2 = ("charge_id", "merchant_id", "amount_minor", "currency", "settled_at")
        """,
    ),
    "ledger3": (
        "services/ledger/tests/test_export.py",
        """
        import io

        from services.ledger.export import COLUMNS, write_csv


        def test_empty_export_has_a_header() -> None:
            out = io.StringIO()
            write_csv([], out)
            assert out.getvalue() == ",".join(COLUMNS) + "\\n"
        """,
    ),
    "ledger4": (
        "services/ledger/export.py",
        '''
        def _cell(value: object) -> str:
            """Quote a cell that holds a comma (merchant names do)."""
            text = str(value)
            return f'"{text}"' if "," in text else text
        ''',
    ),
    "r1": (
        "services/payments/retry.py",
        '''
        import random

        BASE_DELAY_MS = 250
        MAX_ATTEMPTS = 4  # the first call included


        def backoff_ms(attempt: int, rng: random.Random) -> int:
            """Full jitter: a uniform wait up to base * 2 ** (attempt - 1)."""
            return rng.randint(0, BASE_DELAY_MS * 2 ** (attempt - 1))
        ''',
    ),
    "r2": (
        "services/payments/retry.py",
        '''
        class RetryBudget:
            """Retries a merchant may still spend today."""

            def __init__(self, per_day: int) -> None:
                self.left = per_day

            def spend(self) -> bool:
                if self.left <= 0:
                    return False
                self.left -= 1
                return True
        ''',
    ),
    "r3": (
        "services/payments/retry.py",
        """
        RETRY_SCHEDULE_MS = tuple(BASE_DELAY_MS * 2**i for i in range(MAX_ATTEMPTS - 1))
        """,
    ),
    "r4": (
        "services/payments/retry.py",
        """
        MAX_DELAY_MS = 8_000  # finance: a customer never waits longer than this per retry
        """,
    ),
    "r5": (
        "services/payments/errors.py",
        '''
        """Errors the payments service raises to its callers."""


        class PaymentError(Exception):
            user_message = "Your payment could not be completed."


        class RetryBudgetExhausted(PaymentError):
            user_message = "We're retrying your payment…"

            def __init__(self, merchant_id: str, retry_after_s: int = 0) -> None:
                super().__init__(merchant_id)
                self.merchant_id = merchant_id
                self.retry_after_s = retry_after_s
        ''',
    ),
    "r6": (
        "services/payments/retry.py",
        '''
        from datetime import datetime, time
        from zoneinfo import ZoneInfo


        def budget_day_start(now: datetime, tz: str | None) -> datetime:
            """Budgets reset at the merchant's local midnight (UTC when no zone is known)."""
            local = now.astimezone(ZoneInfo(tz or "UTC"))
            return datetime.combine(local.date(), time(0), local.tzinfo)
        ''',
    ),
    "gw1": (
        "services/payments/gateway.py",
        '''
        from email.utils import parsedate_to_datetime


        def parse_retry_after(value: str, now_s: float) -> int:
            """`Retry-After` is either whole seconds or an HTTP date."""
            if value.isdigit():
                return int(value)
            return max(0, int(parsedate_to_datetime(value).timestamp() - now_s))
        ''',
    ),
    "r7": (
        "services/payments/errors.py",
        """
        RetryBudgetExhausted.merchant_name = ""  # filled from the merchant record when raised
        """,
    ),
    "r8": (
        "services/payments/clock.py",
        '''
        """One clock for the payments service, so tests can move time."""

        from datetime import UTC, datetime


        def utcnow() -> datetime:
            return datetime.now(UTC)
        ''',
    ),
    "r_test": (
        "services/payments/tests/test_retry.py",
        """
        from datetime import UTC, datetime

        from services.payments.retry import budget_day_start


        def test_budget_resets_at_local_midnight_across_dst() -> None:
            now = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
            assert budget_day_start(now, "Europe/Lisbon").hour == 0
        """,
    ),
    "hooks": (
        "services/payments/ledger_hooks.py",
        '''
        def on_settled(callback) -> None:
            """Register a callback for settled charges (used by ledger reconciliation)."""
            HOOKS.append(callback)
        ''',
    ),
    "r9": (
        "services/payments/api_errors.py",
        '''
        """How payment errors look in HTTP responses."""

        from services.payments.errors import RetryBudgetExhausted


        def budget_body(error: RetryBudgetExhausted) -> dict:
            return {
                "code": "retry_budget",
                "retry_after_s": error.retry_after_s,
                "user_message": error.user_message,
            }
        ''',
    ),
    "r_test2": (
        "services/payments/tests/test_api_errors.py",
        """
        from services.payments.api_errors import budget_body
        from services.payments.errors import RetryBudgetExhausted


        def test_budget_body_shape() -> None:
            body = budget_body(RetryBudgetExhausted("m_1", retry_after_s=30))
            assert body["retry_after_s"] == 30
        """,
    ),
    "r10": (
        "services/payments/retry.py",
        """
        LEGACY_RETRY = False  # the v1 path is gone; kept one release for config compatibility
        """,
    ),
    "r11": (
        "services/payments/metrics.py",
        '''
        """Retry counters per merchant, exported to the metrics endpoint."""

        from collections import Counter

        RETRIES: Counter[str] = Counter()
        ''',
    ),
    "co1": (
        "web/checkout/CheckoutForm.tsx",
        """
        export const STEPS = ["address", "card", "confirm"] as const;
        export type Step = (typeof STEPS)[number];
        """,
    ),
    "co_test": (
        "web/checkout/CheckoutForm.test.tsx",
        """
        import { expect, test } from "vitest";
        import { STEPS } from "./CheckoutForm";

        test("steps run address, card, confirm", () => {
          expect(STEPS).toEqual(["address", "card", "confirm"]);
        });
        """,
    ),
    "router": (
        "web/app.tsx",
        """
        export const checkoutRoutes = ["/checkout/address", "/checkout/card", "/checkout/confirm"];
        """,
    ),
    "router2": (
        "web/app.tsx",
        """
        export const retryRoute = "/checkout/retry";
        """,
    ),
    "banner1": (
        "web/checkout/RetryBanner.tsx",
        """
        export function RetryBanner({ seconds }: { seconds: number }) {
          return <div role="status">We're retrying your payment… ({seconds} s)</div>;
        }
        """,
    ),
    "banner2": (
        "web/checkout/RetryBanner.tsx",
        """
        export function useCountdown(from: number): number {
          return from; // ticks once a second in the real hook
        }
        """,
    ),
    "banner3": (
        "web/checkout/RetryBanner.tsx",
        """
        export const bannerFocusFirst = true;
        """,
    ),
    "banner4": (
        "web/checkout/RetryBanner.tsx",
        """
        export function busyText(merchant: string): string {
          return `${merchant} is busy`;
        }
        """,
    ),
    "receipt": (
        "web/checkout/Receipt.tsx",
        """
        export function GiftNote({ text }: { text: string }) {
          return <p className="gift-note">{text}</p>; // text, never innerHTML
        }
        """,
    ),
    "receipt2": (
        "web/checkout/Receipt.tsx",
        """
        export function RetryCount({ n }: { n: number }) {
          return n > 0 ? <small>Paid after {n} retries</small> : null;
        }
        """,
    ),
    "receipt3": (
        "web/checkout/Receipt.tsx",
        """
        export const showRetryCount = true;
        """,
    ),
    "receipt4": (
        "web/checkout/Receipt.tsx",
        """
        export const receiptGap = "1.5rem";
        """,
    ),
    "banner_test": (
        "web/checkout/RetryBanner.test.tsx",
        """
        import { expect, test } from "vitest";
        import { busyText } from "./RetryBanner";

        test("banner names the merchant", () => {
          expect(busyText("Loja")).toBe("Loja is busy");
        });
        """,
    ),
}
