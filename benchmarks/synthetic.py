"""Synthetic git blackboards of any size, streamed into one `git fast-import` (generator.gitbuild)
as the story is played: a large board's stream is gigabytes (every commit carries the whole text
of each queue file it touches), so it never goes through a file.

A board is a team of sessions working in daily shifts over a fixed number of days: they claim and
release rows, send messages (questions, answers, handoffs, broadcasts, notes to the person), ack
what they receive in the same commit (the header status, and usually an ack line), commit code in
their own scope and let the post-commit heartbeat bump their Presence. Sizes are parameters; the
same size and seed always give the same repository, commit for commit.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from generator.gitbuild import RepoBuilder
from generator.timeutil import canonical

SCOREBOARD = "docs/ai/sessions/active.md"
QUEUE_DIR = "docs/ai/sessions/queue"
START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
NAMES = (
    "Sintra",
    "Porto",
    "Lagos",
    "Braga",
    "Faro",
    "Evora",
    "Tavira",
    "Aveiro",
    "Coimbra",
    "Sagres",
    "Viseu",
    "Leiria",
)
HUMAN = ("Dana Human", "dana@synthetic.example")
AREAS = (
    "payments",
    "checkout",
    "ledger",
    "search",
    "catalog",
    "billing",
    "auth",
    "notify",
    "infra",
)
_TEXT = (
    "retry budget merchant ledger export checkout banner receipt gateway timeout jitter "
    "backoff schema column currency refund webhook idempotency key staging release flag "
    "migration index query cache worker queue latency p99 rollout canary alert runbook"
)
WORDS = tuple(_TEXT.split(" "))
HEADER = (
    "# Active sessions\n\nOne row per claimed session; the heartbeat bumps Presence after each "
    "commit.\n\n| Session | Task | Worktree | Claimed | Presence | Scope |\n"
    "|---|---|---|---|---|---|\n"
)
TAIL = "\n> Reap rule: a row whose Presence is more than 6 h old may be removed by any session.\n"


@dataclass(frozen=True, slots=True)
class Size:
    """How big a board to build. `messages` of the `commits` are sends; the rest ack, beat, code.
    The defaults are the shape of a real team's board: 12 sessions over 90 days."""

    name: str
    messages: int
    commits: int
    sessions: int = 12
    days: int = 90
    seed: int = 7

    @property
    def end(self) -> datetime:
        return START + timedelta(days=self.days)


@dataclass(frozen=True, slots=True)
class BuiltBoard:
    """A built repository and what went into it."""

    root: Path
    size: Size
    commits: int
    messages: int
    now: datetime  # a build time just after the last commit
    queue_bytes: int


@dataclass(slots=True)
class _Msg:
    stamp: str
    sender: str
    to: str
    type: str
    body: str
    ref: str | None
    re: str | None
    status: str = "sent"
    acks: list[str] = field(default_factory=list)

    def render(self) -> str:
        fields = [self.stamp, f"from:{self.sender}", f"to:{self.to}", f"type:{self.type}"]
        if self.ref:
            fields.append(f"ref:{self.ref}")
        if self.re:
            fields.append(f"re:{self.re}")
        fields.append(f"status:{self.status}")
        text = "## " + " · ".join(fields) + "\n\n" + self.body + "\n"
        if self.acks:
            text += "\n" + "\n".join(self.acks) + "\n"
        return text + "\n"


@dataclass(slots=True)
class _Queue:
    """One queue file kept as rendered blocks, so a change re-renders only its own block."""

    preamble: str
    messages: list[_Msg] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)

    def add(self, msg: _Msg) -> int:
        self.messages.append(msg)
        self.rendered.append(msg.render())
        return len(self.messages) - 1

    def refresh(self, index: int) -> None:
        self.rendered[index] = self.messages[index].render()

    def text(self) -> str:
        return self.preamble + "".join(self.rendered)


@dataclass(slots=True)
class _Session:
    id: str
    name: str
    area: str
    shift_start: int  # hour of day (UTC)
    shift_hours: int
    claimed: datetime | None = None
    presence: str = ""
    task: int = 0
    last_sha: str = "0000000"
    needs_beat: bool = False
    inbox: list[tuple[str, int]] = field(default_factory=list)  # (queue path, index) to ack
    files: int = 0

    @property
    def author(self) -> tuple[str, str]:
        return (
            f"{self.name} ({self.id})",
            f"{self.name.lower()}.{self.id.lower()}@synthetic.example",
        )

    def on_shift(self, at: datetime) -> bool:
        return (at.hour - self.shift_start) % 24 < self.shift_hours and at.weekday() < 6

    def row(self) -> str:
        assert self.claimed is not None
        scope = f"{self.area}: `services/{self.area}/**`, `docs/{self.area}/*.md`"
        worktree = f"worktree `session-{self.id}` → direct-to-main, `[{self.id}]`"
        cells = (f"{self.id} · {self.name}", f"Riff #{self.task}", worktree)
        return "| " + " | ".join((*cells, canonical(self.claimed), self.presence, scope)) + " |"


class _Story:
    def __init__(self, size: Size, repo: RepoBuilder) -> None:
        self.size = size
        self.rng = random.Random(size.seed)
        self.repo = repo
        self.sessions = [
            _Session(
                f"s{chr(ord('A') + k)}",
                NAMES[k % len(NAMES)],
                AREAS[k % len(AREAS)],
                (k * 24 // size.sessions + 5) % 24,
                11,
            )
            for k in range(size.sessions)
        ]
        self.queues: dict[str, _Queue] = {}
        self.sent = 0
        self.made = 0
        self.last_at = START
        self.task = 400

    # --- writing -------------------------------------------------------------------------

    def queue(self, recipient: str) -> tuple[str, _Queue]:
        path = f"{QUEUE_DIR}/to-{recipient}.md"
        if path not in self.queues:
            who = "every session" if recipient == "all" else recipient
            self.queues[path] = _Queue(f"# Queue — to {who}\n\nAppend one block per message.\n\n")
        return path, self.queues[path]

    def scoreboard(self) -> None:
        rows = "".join(s.row() + "\n" for s in self.sessions if s.claimed is not None)
        self.repo.write(SCOREBOARD, HEADER + rows + TAIL)

    def commit(self, who: _Session | None, subject: str, at: datetime, touched: set[str]) -> None:
        for path in sorted(touched):
            self.repo.write(path, self.queues[path].text())
        at = max(at, self.last_at + timedelta(seconds=1))
        self.last_at = at
        if who is None:
            self.repo.commit(subject, at, author=HUMAN[0], email=HUMAN[1])
        else:
            name, email = who.author
            who.last_sha = self.repo.commit(
                f"[{who.id}] {subject}", at, author=name, email=email
            ).short
        self.made += 1

    def body(self) -> str:
        rng = self.rng
        lines = []
        for _ in range(rng.randint(1, 3)):
            lines.append(
                " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))).capitalize() + "."
            )
        roll = rng.random()
        if roll < 0.12:
            lines += [
                "",
                "```markdown",
                "## notes (not a message heading)",
                "- keep `retry_after`",
                "```",
            ]
        elif roll < 0.3:
            lines += [
                "",
                *(
                    f"- {rng.choice(WORDS)} `{rng.choice(AREAS)}/{rng.choice(WORDS)}.py`"
                    for _ in range(3)
                ),
            ]
        return "\n\n".join(lines[:1]) + ("\n\n" + "\n".join(lines[1:]) if len(lines) > 1 else "")

    # --- actions -------------------------------------------------------------------------

    def claim(self, s: _Session, at: datetime) -> None:
        self.task += 1
        s.claimed, s.task, s.presence = at, self.task, f"{canonical(at)} ·"
        self.scoreboard()
        self.commit(s, f"docs(ai-sessions): claim {s.id} at {canonical(at)}", at, set())

    def release(self, s: _Session, at: datetime) -> None:
        s.claimed = None
        self.scoreboard()
        self.commit(s, f"docs(ai-sessions): release {s.id}", at, set())

    def beat(self, s: _Session, at: datetime) -> None:
        s.presence = f"{canonical(at)} · {s.last_sha}"
        self.scoreboard()
        self.commit(s, f"chore(ai-sessions): heartbeat {s.id}", at, set())
        s.needs_beat = False

    def code(self, s: _Session, at: datetime) -> None:
        s.files += 1
        path = f"services/{s.area}/mod_{s.files % 7}.py"
        old = self.repo.read(path) if self.repo.exists(path) else f'"""{s.area}."""\n'
        self.repo.write(path, old + f"\nSTEP_{s.files} = {self.rng.randint(1, 999)}\n")
        self.commit(s, f"feat({s.area}): step {s.files}", at, set())
        s.needs_beat = True

    def send(self, s: _Session | None, at: datetime) -> None:
        rng = self.rng
        sender = s.id if s else "human"
        touched: set[str] = set()
        if s is not None:
            touched |= self.ack_inbox(s, at)
        others = [o for o in self.sessions if o is not s and o.claimed is not None]
        roll = rng.random()
        if roll < 0.12 or not others:
            to, kind = "all", "info"
        elif s is not None and roll < 0.2:
            to, kind = "human", "question"
        else:
            target = rng.choice(others)
            to = target.id if rng.random() < 0.8 else target.name
            kind = rng.choice(("question", "question", "info", "handoff", "answer"))
        path, queue = self.queue("all" if to == "all" else self.resolve(to))
        ref = f"Riff#{rng.randint(380, self.task + 1)}" if kind in ("handoff", "question") else None
        msg = _Msg(canonical(at), sender, to, kind, self.body(), ref, None)
        index = queue.add(msg)
        touched.add(path)
        target_session = next((o for o in self.sessions if o.id == self.resolve(to)), None)
        if to == "all":
            for o in others:
                o.inbox.append((path, index))
        elif target_session is not None:
            target_session.inbox.append((path, index))
        self.sent += 1
        what = "broadcast" if to == "all" else f"{kind} to {to}"
        self.commit(s, f"docs(ai-sessions): {what}", at, touched)

    def resolve(self, to: str) -> str:
        return next((o.id for o in self.sessions if to in (o.id, o.name)), to)

    def ack_inbox(self, s: _Session, at: datetime) -> set[str]:
        """Ack what waits in the session's inbox (a few per commit), as the protocol asks."""
        touched: set[str] = set()
        rng = self.rng
        keep: list[tuple[str, int]] = []
        for path, index in s.inbox:
            if len(touched) >= 3 or rng.random() < 0.08:
                keep.append((path, index))  # left for later (some are never acked)
                continue
            msg = self.queues[path].messages[index]
            stamp = canonical(at)
            if msg.to == "all":
                msg.acks.append(f"- ack · {stamp} · {s.id} · seen")
            else:
                state = {"question": "answered", "handoff": "accepted"}.get(msg.type, "seen")
                msg.status = state
                if rng.random() < 0.7:  # some sessions only edit the header: git has the time
                    msg.acks.append(f"- ack · {stamp} · {s.id} · {state}")
            self.queues[path].refresh(index)
            touched.add(path)
        s.inbox = keep
        return touched

    # --- the whole story -----------------------------------------------------------------

    def play(self) -> None:
        size = self.size
        self.repo.write(
            "README.md", "# synthetic\n\nA synthetic board for the statusboard benchmark.\n"
        )
        self.repo.write(
            "statusboard.toml",
            f'human_commit_authors = ["{HUMAN[0]}"]\nnames = {list(NAMES)!r}\n'.replace("'", '"'),
        )
        self.scoreboard()
        self.commit(None, "chore: adopt the parallel-sessions protocol", START, set())
        span = (size.end - START).total_seconds()
        remaining = size.commits - 1
        for i in range(remaining):
            at = START + timedelta(seconds=span * (i + 1) / (remaining + 1))
            at = at.replace(second=self.rng.randint(0, 59), microsecond=0)
            self.step(at, remaining - i)
        if self.repo.head is None:
            raise AssertionError("no commits")

    def step(self, at: datetime, left: int) -> None:
        rng = self.rng
        sends_left = self.size.messages - self.sent
        on = [s for s in self.sessions if s.on_shift(at)]
        # A session coming on shift claims; one going off shift sometimes releases (weekends).
        for s in self.sessions:
            if s.claimed is None and s.on_shift(at) and left > sends_left:
                return self.claim(s, at)
            if (
                s.claimed is not None
                and not s.on_shift(at)
                and at.weekday() == 5
                and left > sends_left
            ):
                return self.release(s, at)
        workers = [s for s in on if s.claimed is not None]
        if sends_left >= left or (sends_left > 0 and rng.random() < sends_left / left):
            sender = rng.choice(workers) if workers and rng.random() < 0.93 else None
            return self.send(sender, at)
        if not workers:
            return (
                self.send(None, at)
                if sends_left > 0
                else self.code_or_beat(rng.choice(self.sessions), at)
            )
        return self.code_or_beat(rng.choice(workers), at)

    def code_or_beat(self, s: _Session, at: datetime) -> None:
        if s.claimed is None:
            return self.claim(s, at)
        if s.needs_beat:
            return self.beat(s, at)
        return self.code(s, at)


def build_synthetic(dest: Path, size: Size) -> BuiltBoard:
    """Build the board of `size` into `dest` (absent or empty), git importing it as it is made."""
    with RepoBuilder.streaming(dest) as repo:
        story = _Story(size, repo)
        story.play()
        repo.build(dest)
        commits = len(repo.commits)
        last = repo.commits[-1].at
    queue_bytes = sum(p.stat().st_size for p in (dest / QUEUE_DIR).glob("to-*.md"))
    return BuiltBoard(dest, size, commits, story.sent, last + timedelta(minutes=5), queue_bytes)
