"""A hand-built board and Result for the renderer tests (no readers, no git needed)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from generator.analysis import build_context
from generator.config import Config, SiteOptions
from generator.model import (
    Ack,
    Board,
    ClaimRow,
    Commit,
    Finding,
    History,
    Message,
    QueueFile,
    RawBlock,
    Scoreboard,
    Severity,
    SourceRef,
    Stamp,
)
from generator.result import Result
from generator.rules.base import Rule
from generator.timeutil import canonical

NOW = datetime(2026, 5, 31, 18, 0, tzinfo=UTC)
SCOREBOARD = "docs/ai/sessions/active.md"
QUEUE = "docs/ai/sessions/queue"
HEAD = "0123456789abcdef0123456789abcdef01234567"

EVIL = (
    "<script>alert('x')</script> [click](javascript:alert(1)) ![px](data:image/png;base64,AAAA)\n\n"
    '<div onclick="alert(1)">raw block</div>\n\n```\n## not a heading\n```\n'
)


def stamp(value: datetime) -> Stamp:
    return Stamp(value=value, raw=canonical(value), canonical=True, had_zone=True)


def _anchor(message_id: str) -> str:
    return "m-" + re.sub(r"[^a-z0-9]+", "-", message_id.split("#", 1)[1].lower()).strip("-")


def row(
    line: int,
    sid: str,
    name: str,
    claimed: datetime,
    presence: datetime | None,
    paths: tuple[str, ...] = (),
    task: str = "Riff #412",
    extra: tuple[tuple[str, str], ...] = (),
) -> ClaimRow:
    scope = " ".join(f"`{p}`" for p in paths) or "scope TBD"
    worktree = f"worktree `session-{sid}` → direct-to-main, `[{sid}]`"
    pres = f"{canonical(presence)} · abc1234" if presence else ""
    cells = (
        ("Session", f"{sid} · {name}"),
        ("Task", task),
        ("Worktree", worktree),
        ("Claimed", canonical(claimed)),
        ("Presence", pres),
        ("Scope", scope),
        *extra,
    )
    raw = "| " + " | ".join(c for _, c in cells) + " |"
    return ClaimRow(
        source=SourceRef(SCOREBOARD, line),
        raw=raw,
        cells=cells,
        session_id=sid,
        name=name,
        task=task,
        branch=f"session-{sid}",
        mode="direct-to-main",
        prefix=f"[{sid}]",
        worktree=worktree,
        claimed=stamp(claimed),
        presence=stamp(presence) if presence else None,
        presence_detail="abc1234" if presence else "",
        scope=scope,
        paths=paths,
    )


def message(
    queue: str,
    line: int,
    at: datetime | None,
    sender: str,
    to: str,
    type_: str = "question",
    status: str = "sent",
    body: str = "Can you take a look?",
    acks: tuple[tuple[datetime, str, str, str], ...] = (),
    re_: str | None = None,
    ref: str | None = None,
    extra: tuple[tuple[str, str], ...] = (),
    seq: int = 1,
) -> Message:
    path = f"{QUEUE}/to-{queue}.md"
    when = canonical(at) if at else "undated"
    mid = f"{path}#{when}-{sender}" + (f"-{seq}" if seq > 1 else "")
    fields: list[tuple[str, str]] = [("from", sender), ("to", to), ("type", type_)]
    if ref:
        fields.append(("ref", ref))
    if re_:
        fields.append(("re", re_))
    fields.extend(extra)
    fields.append(("status", status))
    heading = " · ".join([when, *(f"{k}:{v}" for k, v in fields)])
    ack_objs = tuple(
        Ack(
            source=SourceRef(path, line + 3 + i),
            raw=f"- ack · {canonical(t)} · {by} · {state}" + (f" · {note}" if note else ""),
            at=stamp(t),
            by=by,
            state=state,
            note=note,
        )
        for i, (t, by, state, note) in enumerate(acks)
    )
    return Message(
        id=mid,
        anchor=_anchor(mid),
        source=SourceRef(path, line),
        end_line=line + 3 + len(acks),
        queue=queue,
        heading=heading,
        parsed=True,
        at=stamp(at) if at else None,
        sender=sender,
        to=to,
        type=type_,
        ref=ref,
        re=re_,
        via=None,
        status=status,
        status_explicit=True,
        fields=tuple(fields),
        body=body,
        acks=ack_objs,
    )


def unparsed(queue: str, line: int, heading: str) -> Message:
    path = f"{QUEUE}/to-{queue}.md"
    mid = f"{path}#line-{line}"
    return Message(
        id=mid,
        anchor=f"m-line-{line}",
        source=SourceRef(path, line),
        end_line=line + 2,
        queue=queue,
        heading=heading,
        parsed=False,
        at=None,
        sender=None,
        to=None,
        type=None,
        ref=None,
        re=None,
        via=None,
        status="sent",
        status_explicit=False,
        fields=(),
        body="Body of a block whose heading could not be read.",
        acks=(),
    )


def _check(_ctx: object) -> tuple[()]:
    return ()


def rule(name: str, code: str, severity: Severity = Severity.WARNING) -> Rule:
    doc = f"""Finds {name.replace("-", " ")} on the board.

    ## What it finds
    Rows or messages that show **{name}**. <b>raw html</b> stays text.

    ## Why it matters
    The failure mode it guards against; see [the docs](https://example.com/x).

    ## Example
    ```
    | sA · Sintra | (Riff TBD) |
    ```

    ## Fix
    Update the row, then commit with the `[sA]` prefix.
    """
    return Rule(name, code, severity, "stale-claim", doc, _check)  # type: ignore[arg-type]


RULES = (
    rule("stale-claim", "SB101", Severity.WARNING),
    rule("unacked-message", "SB201", Severity.WARNING),
    rule("message-parse", "SB001", Severity.ERROR),
)


def board(messages_in_may: int = 6, evil: bool = True) -> Board:
    """A board with three sessions, three queues and every case the site must show."""
    t = NOW
    rows = (
        row(
            5,
            "sA",
            "Sintra",
            t - timedelta(hours=6),
            t - timedelta(minutes=10),
            ("services/payments/**",),
        ),
        row(
            6,
            "sB",
            "Braga",
            t - timedelta(hours=8),
            t - timedelta(hours=2),
            ("services/payments/retry.py", "web/app.tsx"),
        ),
        row(
            7,
            "sC",
            "Coimbra",
            t - timedelta(days=2),
            None,
            (),
            task="(Riff TBD)",
            extra=(("Notes", "*odd* <b>x</b>"),),
        ),
    )
    scoreboard = Scoreboard(
        path=SCOREBOARD,
        exists=True,
        header=("Session", "Task", "Worktree", "Claimed", "Presence", "Scope", "Notes"),
        header_line=3,
        rows=rows,
        unparsed=(
            RawBlock(SourceRef(SCOREBOARD, 8), "| ?? | garbage row <img src=x onerror=alert(1)> |"),
        ),
        prose=(
            RawBlock(
                SourceRef(SCOREBOARD, 1),
                "# Active sessions\n\nUpdate your row on every commit. <script>x</script>",
            ),
        ),
    )
    q_sa: list[Message] = []
    base = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    for i in range(messages_in_may):
        at = base + timedelta(minutes=30 * i)  # 1,000 of them still fit in May
        status = "done" if i % 3 == 0 else ("seen" if i % 3 == 1 else "sent")
        acks = ((at + timedelta(minutes=20), "sA", "seen", ""),) if status != "sent" else ()
        if status == "done":
            acks += ((at + timedelta(hours=1), "sA", "done", "merged"),)
        q_sa.append(
            message(
                "sA", 10 + i * 8, at, "sB", "sA", status=status, acks=acks, body=f"Message {i}."
            )
        )
    question_at = t - timedelta(hours=3)
    q_sa.append(
        message(
            "sA",
            9000,
            question_at,
            "sB",
            "sA",
            "handoff",
            "accepted",
            body=EVIL if evil else "Take over **payments**.",
            acks=(
                (question_at + timedelta(minutes=5), "sA", "seen", ""),
                (question_at + timedelta(minutes=30), "sA", "accepted", "after lunch"),
            ),
            ref="PR#88",
            extra=(("prio", "high"),),
        )
    )
    q_sa.append(
        message("sA", 9100, datetime(2026, 4, 30, 23, 0, tzinfo=UTC), "human", "sA", "info", "seen")
    )
    q_sa.append(unparsed("sA", 9200, "garbage heading <script>"))
    q_sb = [
        message(
            "sB",
            3,
            t - timedelta(hours=1),
            "sA",
            "sB",
            "answer",
            "sent",
            body="Yes, taking it.",
            re_=canonical(question_at),
        ),
    ]
    q_all = [
        message(
            "all",
            3,
            t - timedelta(days=1),
            "human",
            "all",
            "info",
            "sent",
            body="Freeze at 17:00.",
            acks=(
                (t - timedelta(hours=23), "sA", "seen", ""),
                (t - timedelta(hours=22), "sB", "seen", ""),
            ),
        ),
    ]
    queues = (
        QueueFile(f"{QUEUE}/to-all.md", "all", (), tuple(q_all)),
        QueueFile(
            f"{QUEUE}/to-sA.md",
            "sA",
            (RawBlock(SourceRef(f"{QUEUE}/to-sA.md", 1), "# Queue"),),
            tuple(q_sa),
        ),
        QueueFile(f"{QUEUE}/to-sB.md", "sB", (), tuple(q_sb)),
    )
    commits = (
        Commit(
            HEAD,
            t - timedelta(minutes=10),
            "Dev",
            "[sA] feat: retry",
            "sA",
            ("services/payments/a.py",),
        ),
    )
    history = History(commits, HEAD, "main", "https://user:secret@github.com/acme/board.git")
    return Board(
        root="/nonexistent/repo", scoreboard=scoreboard, queues=queues, history=history, problems=()
    )


def result(
    messages_in_may: int = 6,
    repo_url: str | None = "https://github.com/acme/board",
    findings: bool = True,
    evil: bool = True,
    recent: int = 5,
) -> Result:
    b = board(messages_in_may, evil)
    config = Config(
        site=SiteOptions(title="Acme board", repo_url=repo_url, recent_per_inbox=recent)
    )
    ctx = build_context(b, config, NOW)
    found: tuple[Finding, ...] = ()
    if findings:
        found = (
            Finding(
                "stale-claim",
                Severity.WARNING,
                SCOREBOARD,
                7,
                "sC · Coimbra has no presence for 2 d",
            ),
            Finding(
                "message-parse", Severity.ERROR, f"{QUEUE}/to-sA.md", 9200, "heading does not parse"
            ),
            Finding(
                "unacked-message",
                Severity.WARNING,
                f"{QUEUE}/to-sA.md",
                10 + 2 * 8,
                "unacked <b>3 h</b>",
            ),
        )
    return Result(b, ctx, found, RULES)
