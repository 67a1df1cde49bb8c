"""Liveness (presence, the git-log fallback, past moments) and address resolution."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from generator.analysis import AddressKind, Liveness, build_context
from generator.config import Config, parse_config
from generator.model import Board, ClaimRow, Commit, History, Scoreboard, SourceRef
from generator.timeutil import parse_stamp

NOW = datetime(2026, 5, 31, 16, 0, tzinfo=UTC)
PATH = "docs/ai/sessions/active.md"


def row(sid: str, name: str, claimed: str, presence: str | None, line: int) -> ClaimRow:
    return ClaimRow(
        source=SourceRef(PATH, line),
        raw="",
        cells=(),
        session_id=sid,
        name=name,
        task="",
        branch=None,
        mode=None,
        prefix=None,
        worktree="",
        claimed=parse_stamp(claimed),
        presence=parse_stamp(presence) if presence else None,
        presence_detail="",
        scope="",
        paths=(),
    )


def commit(session: str | None, at: datetime, n: int) -> Commit:
    subject = f"[{session}] work" if session else "work"
    return Commit(f"{n:040x}", at, "Dev", subject, session, ())


def board(rows: list[ClaimRow], commits: list[Commit]) -> Board:
    commits.sort(key=lambda c: c.at, reverse=True)
    return Board(
        root="/r",
        scoreboard=Scoreboard(PATH, True, rows=tuple(rows)),
        queues=(),
        history=History(tuple(commits)),
        problems=(),
    )


def test_liveness_from_presence_commit_and_claim() -> None:
    rows = [
        row("sA", "Sintra", "2026-05-31T08:00Z", "2026-05-31T15:45Z", 3),  # presence: live
        row("sB", "Porto", "2026-05-31T08:00Z", "2026-05-31T09:00Z", 4),  # commit 13:00: idle
        row("sC", "Lagos", "2026-05-30T08:00Z", None, 5),  # only the claim: stale
    ]
    commits = [
        commit("sB", datetime(2026, 5, 31, 13, 0, tzinfo=UTC), 1),
        commit("sC", datetime(2026, 5, 29, 13, 0, tzinfo=UTC), 2),  # before its claim: ignored
    ]
    ctx = build_context(board(rows, commits), Config(), NOW)
    a, b, c = ctx.sessions
    assert (a.liveness, a.seen_by) == (Liveness.LIVE, "presence")
    assert (b.liveness, b.seen_by, b.last_seen) == (
        Liveness.IDLE,
        "commit",
        datetime(2026, 5, 31, 13, 0, tzinfo=UTC),
    )
    assert (c.liveness, c.seen_by) == (Liveness.STALE, "claim")


def test_thresholds_are_configurable_and_inclusive() -> None:
    rows = [row("sA", "Sintra", "2026-05-31T08:00Z", "2026-05-31T15:30Z", 3)]
    assert build_context(board(rows, []), Config(), NOW).sessions[0].liveness is Liveness.LIVE
    tight = parse_config({"thresholds": {"live_minutes": 10}})
    assert build_context(board(rows, []), tight, NOW).sessions[0].liveness is Liveness.IDLE


def test_liveness_at_a_past_moment() -> None:
    rows = [row("sA", "Sintra", "2026-05-31T08:00Z", "2026-05-31T15:45Z", 3)]
    commits = [commit("sA", datetime(2026, 5, 31, 10, 0, tzinfo=UTC), 1)]
    ctx = build_context(board(rows, commits), Config(), NOW)
    assert ctx.liveness_at("sA", datetime(2026, 5, 31, 7, 0, tzinfo=UTC)) is Liveness.UNKNOWN
    assert ctx.liveness_at("sA", datetime(2026, 5, 31, 10, 20, tzinfo=UTC)) is Liveness.LIVE
    assert ctx.liveness_at("sA", datetime(2026, 5, 31, 12, 0, tzinfo=UTC)) is Liveness.IDLE
    start = datetime(2026, 5, 30, 0, 0, tzinfo=UTC)
    assert ctx.present_between("sA", start, start + timedelta(hours=2)) is False
    assert ctx.present_between("sA", start, NOW) is True


def test_address_resolution() -> None:
    rows = [row("sA", "Sintra", "2026-05-31T08:00Z", None, 3)]
    commits = [commit("sD", datetime(2026, 5, 20, tzinfo=UTC), 1)]
    config = parse_config({"names": ["Braga"], "project_tag": "po"})
    book = build_context(board(rows, commits), config, NOW).book
    assert book.resolve("sA").id == "sA"
    assert book.resolve("Sintra").id == "sA"
    assert book.resolve("sintra").id == "sA"
    assert book.resolve("po:sA").id == "sA"
    assert book.resolve("sD").kind is AddressKind.SESSION  # known from history
    assert book.resolve("Braga").kind is AddressKind.SESSION  # known from the name pool
    assert book.resolve("all").kind is AddressKind.EVERYONE
    assert book.resolve("po:*").kind is AddressKind.EVERYONE
    assert book.resolve("human").kind is AddressKind.HUMAN
    assert book.resolve("xx:sA").kind is AddressKind.UNKNOWN  # another project's session
    assert book.resolve("sQ").kind is AddressKind.UNKNOWN
    assert book.resolve("").kind is AddressKind.UNKNOWN


def test_overlapping_claims_are_worked_out_once_for_rule_and_page() -> None:
    """Non-stale rows of different sessions whose paths share a file; each pair once, in order."""

    def claim(sid: str, presence: str | None, line: int, *paths: str) -> ClaimRow:
        base = row(sid, sid, "2026-05-31T08:00Z", presence, line)
        return replace(base, paths=paths, claimed=base.claimed if presence else None)

    rows = [
        claim("sA", "2026-05-31T15:50Z", 3, "services/**", "web/a.tsx"),
        claim("sB", "2026-05-31T15:50Z", 4, "services/pay/retry.py", "web/*.tsx"),
        claim("sA", "2026-05-31T15:50Z", 5, "services/x.py"),  # sA's second row: duplicate-claim's
        claim("sC", "2026-05-29T08:00Z", 6, "services/old.py"),  # stale: its claim has lapsed
        claim("sD", None, 7, "web/a.tsx"),  # no time at all: not shown to lapse, still holds
    ]
    ctx = build_context(board(rows, []), Config(), NOW)
    assert ctx.sessions[4].liveness is Liveness.UNKNOWN
    assert [
        (o.earlier.row.source.line, o.later.row.source.line, o.pairs) for o in ctx.overlaps
    ] == [
        (3, 4, (("services/**", "services/pay/retry.py"), ("web/a.tsx", "web/*.tsx"))),
        (3, 7, (("web/a.tsx", "web/a.tsx"),)),
        (4, 7, (("web/*.tsx", "web/a.tsx"),)),
    ]
    first = ctx.sessions[0]
    assert ctx.overlaps_of(first) == [
        ("services/**", ctx.sessions[1]),
        ("web/a.tsx", ctx.sessions[1]),
        ("web/a.tsx", ctx.sessions[4]),
    ]
    assert ctx.overlaps_of(ctx.sessions[3]) == []  # the stale row overlaps nobody
