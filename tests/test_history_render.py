"""History on the site: git-derived steps in the message cards, the claims timeline, status.json."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from benchmarks.synthetic import Size, build_synthetic
from generator import pipeline
from generator.config import Config
from generator.render.outputs import status_document
from generator.render.pages import build_pages
from generator.render.timeline import LABEL, RIGHT, WIDTH, claims_timeline, columns_per_day
from tests.conftest import GitRepo

T0 = datetime(2026, 5, 31, 9, 0, tzinfo=UTC)
QUEUE = "docs/ai/sessions/queue/to-sA.md"
BOARD = "docs/ai/sessions/active.md"
HEADER = "| Session | Task | Worktree | Claimed | Presence | Scope |\n|---|---|---|---|---|---|\n"


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def row(presence: str, name: str = "Sintra") -> str:
    return (
        f"| sA · {name} | Riff #1 | `session-sA` → PR, `[sA]` | 2026-05-31T09:00Z | {presence} "
        "| `services/payments/**` |\n"
    )


def result_of(repo: GitRepo, now: datetime) -> pipeline.Result:
    config = Config()
    return pipeline.analyse(pipeline.read(repo.root, config), config, now)


@pytest.fixture
def small_board(git_repo: GitRepo) -> GitRepo:
    git_repo.write(BOARD, HEADER + row("2026-05-31T09:00Z ·"))
    git_repo.commit("[sA] docs(ai-sessions): claim sA", at=at(0))
    git_repo.write(
        QUEUE, "## 2026-05-31T09:10Z · from:sB · to:sA · type:question · status:sent\n\nQ?\n"
    )
    git_repo.commit("[sB] docs(ai-sessions): question to sA", at=at(10))
    git_repo.write(
        QUEUE, "## 2026-05-31T09:10Z · from:sB · to:sA · type:question · status:seen\n\nQ?\n"
    )
    git_repo.write(BOARD, HEADER + row("2026-05-31T09:40Z · abc1234"))
    git_repo.commit("[sA] docs(ai-sessions): seen, heartbeat", at=at(40))
    return git_repo


def test_a_header_only_status_change_shows_as_a_git_step(small_board: GitRepo) -> None:
    result = result_of(small_board, at(120))
    site = build_pages(result, include_docs=False)
    page = site.pages["inboxes/sA.md"]
    assert "sb-step--from-git" in page and "git history" in page
    assert "status: sent → seen" in page
    sha = result.board.history.commits[0].short
    assert f'<code title="committed 2026-05-31 09:40 UTC by sA">{sha}</code>' in page
    assert re.search(r"committed <span class=\"sb-commit\"><code[^>]*>[0-9a-f]{7}</code> sB", page)


def test_status_json_carries_each_message_history_and_the_claims(small_board: GitRepo) -> None:
    doc = status_document(result_of(small_board, at(120)))
    (message,) = doc["messages"]
    assert [(e["event"], e["state"], e["session"]) for e in message["history"]] == [
        ("added", "sent", "sB"),
        ("status", "seen", "sA"),
    ]
    assert set(message["history"][1]) == {"event", "at", "commit", "session", "state"}
    (claim,) = doc["claims"]
    assert claim["session"] == "sA" and claim["removed"] is None
    assert [p["at"] for p in claim["presence"]] == ["2026-05-31T09:00:00Z", "2026-05-31T09:40:00Z"]
    assert claim["paths"] == ["services/payments/**"]


def test_the_timeline_names_claims_and_escapes_board_text(git_repo: GitRepo) -> None:
    git_repo.write(BOARD, HEADER)
    git_repo.commit("adopt", at=at(0))
    git_repo.write(BOARD, HEADER + row("2026-05-31T09:05Z ·", name="<b>Sin</b>"))
    git_repo.commit("[sA] claim", at=at(5))
    git_repo.write(BOARD, HEADER)
    git_repo.commit("[sA] release", at=at(300))
    timeline = claims_timeline(result_of(git_repo, at(600)))
    assert timeline is not None and timeline.claims == 1
    svg = str(timeline.svg)
    assert "<b>" not in svg and "&lt;b&gt;Sin&lt;/b&gt;" in svg
    assert "claimed 2026-05-31 09:05 UTC in" in svg and "removed 2026-05-31 14:00 UTC in" in svg
    assert 'class="sb-tl-live"' in svg and 'class="sb-tl-idle"' in svg
    assert svg == str(claims_timeline(result_of(git_repo, at(600))).svg)  # type: ignore[union-attr]


def test_no_timeline_without_claim_history(git_repo: GitRepo) -> None:
    git_repo.write("README.md", "x")
    git_repo.commit("init", at=at(0))
    assert claims_timeline(result_of(git_repo, at(10))) is None
    site = build_pages(result_of(git_repo, at(10)), include_docs=False)
    # No scoreboard at all: the page says so, and shows no empty timeline section.
    assert "has no claim scoreboard" in site.pages["scoreboard.md"]
    assert "Claims over time" not in site.pages["scoreboard.md"]
    git_repo.write(BOARD, HEADER)  # a scoreboard, but no committed claim yet
    assert claims_timeline(result_of(git_repo, at(10))) is None
    site = build_pages(result_of(git_repo, at(10)), include_docs=False)
    assert "No claim history yet" in site.pages["scoreboard.md"]


def test_weeks_of_heartbeats_stay_small(tmp_path: Path) -> None:
    size = Size("weeks", messages=200, commits=2500, sessions=5, days=28)
    built = build_synthetic(tmp_path / "repo", size)
    config = Config()
    result = pipeline.analyse(pipeline.read(built.root, config), config, built.now)
    timeline = claims_timeline(result)
    assert timeline is not None and timeline.beats > 400 and timeline.sessions == 5
    svg = str(timeline.svg)
    plot = WIDTH - LABEL - RIGHT
    # Quantised to pixel columns: per lane one path per state and at most a tick per two columns,
    # whatever the length of the history.
    assert svg.count('class="sb-tl-live"') == timeline.sessions
    assert svg.count("<path") <= timeline.sessions * (3 + plot // 2 + 1)
    assert len(svg) < 100_000
    assert columns_per_day(timeline) > 25  # four weeks: a day is still wider than a label
    assert len(re.findall(r'class="sb-tl-day"', svg)) >= 20  # one label per day


@pytest.mark.parametrize("days", [2, 5, 21, 60])
def test_no_day_label_runs_into_the_now_label(days: int) -> None:
    """Wherever `now` falls, the day labels keep clear of its label and of the right edge."""
    from generator.render.timeline import CHAR, _Chart

    start = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
    for minutes in range(0, 24 * 60, 20):
        now = start + timedelta(days=days - 1, minutes=minutes)
        chart = _Chart(start, now, 1)
        svg = chart.grid(now) + chart.now_marker(now)
        (now_label,) = re.findall(
            r'class="sb-tl-nowlabel" x="([\d.]+)" y="\d+" text-anchor="(\w+)"', svg
        )
        x, anchor = float(now_label[0]), now_label[1]
        now_box = (x - 24, x) if anchor == "end" else (x, x + 24)
        for left, text in re.findall(r'class="sb-tl-day" x="([\d.]+)" y="\d+">([^<]+)<', svg):
            box = (float(left), float(left) + len(text) * CHAR)
            assert box[1] <= WIDTH, (now, text)
            assert box[1] < now_box[0] or box[0] > now_box[1], (now, text, box, now_box)


def test_overlapping_windows_painted_once_shade_as_each_would() -> None:
    """The timeline joins overlapping liveness windows before painting: the same pixels."""
    import random

    from generator.render.timeline import _Chart, _merged

    start = datetime(2026, 3, 2, tzinfo=UTC)
    chart = _Chart(start, start + timedelta(days=9), 1)
    rng = random.Random(7)
    for _ in range(200):
        a = start + timedelta(minutes=rng.randrange(0, 9 * 24 * 60))
        b = a + timedelta(minutes=rng.randrange(0, 3 * 24 * 60))
        window = timedelta(minutes=rng.choice([30, 360]))
        signs = sorted(a + timedelta(minutes=rng.randrange(-400, 5000)) for _ in range(30))
        windows = [(max(s, a), min(s + window, b)) for s in signs]
        each, joined = bytearray(chart.plot), bytearray(chart.plot)
        for lo, hi in windows:
            chart._paint(each, lo, hi, 2)
        for lo, hi in _merged(windows):
            chart._paint(joined, lo, hi, 2)
        assert joined == each
