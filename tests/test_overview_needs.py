"""The first screen answers "who needs me?"; the lint report is one table; empty boards say what
is missing; inboxes name their recipient and hand a misfiled message to its addressee."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import pipeline
from generator.config import load_config
from generator.demo.builder import build_demo_repo
from generator.render.outputs import status_document
from generator.render.pages import build_pages, inbox_views
from generator.render.timeline import claims_timeline
from generator.result import Result
from generator.timeutil import parse_now
from tests.conftest import GitRepo

NOW = "2026-06-05T12:00Z"
BOARD = "docs/ai/sessions/active.md"
HEADER = "| Session | Task | Worktree | Claimed | Presence | Scope |\n|---|---|---|---|---|---|\n"


def _result(root: Path, now: str = NOW) -> Result:
    config = load_config(root)
    return pipeline.analyse(pipeline.read(root, config), config, parse_now(now))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Result:
    root = build_demo_repo(tmp_path_factory.mktemp("demo") / "demo", parse_now(NOW))
    return _result(root)


@pytest.fixture(scope="module")
def demo_pages(demo: Result) -> dict[str, str]:
    return build_pages(demo, include_docs=False).pages


def _section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    end = page.find("</section>", start)
    return page[start:end]


def test_overview_puts_what_waits_on_the_person_first(demo_pages: dict[str, str]) -> None:
    page = demo_pages["index.md"]
    needs = _section(page, "needs-you")
    # A BASS review waiting for sign-off, a blocked task, and a handoff nobody accepted yet.
    assert "sb-need--review" in needs and "BASS T-35" in needs
    assert "sb-need--blocked" in needs and "BASS T-36" in needs
    assert "sb-need--handoff" in needs and "handoff from sB to sA" in needs
    # In reading order: needs, then sessions, then the counters.
    assert page.index('id="needs-you"') < page.index('id="sessions"')
    assert page.index('id="sessions"') < page.index('class="sb-card__label"')


def test_needs_you_count_is_in_the_title_and_counts_stale_sessions(
    demo: Result, demo_pages: dict[str, str]
) -> None:
    page = demo_pages["index.md"]
    stale = status_document(demo)["counts"]["sessions"]["stale"]
    assert stale == 1
    items = page.count("data-sb-need>")
    assert items >= 3
    assert f'title: "({items + stale}) Overview"' in page
    assert f'data-sb-needs="{items}"' in page


def test_sessions_are_listed_stale_idle_live_with_task_title(
    demo: Result, demo_pages: dict[str, str]
) -> None:
    table = _section(demo_pages["index.md"], "sessions")
    states = re.findall(r'data-state="(\w+)"', table)
    order = ["stale", "unknown", "idle", "live"]
    assert states == sorted(states, key=order.index) and states[0] == "stale"
    assert "Checkout steps" in table  # Riff #398's title beside the id
    assert "services/<wbr>payments/<wbr>**" in table  # the claimed scope


def test_top_findings_are_errors_first_and_link_where_they_are(
    demo_pages: dict[str, str],
) -> None:
    top = _section(demo_pages["index.md"], "top-findings")
    severities = re.findall(r'data-sb-finding="(\w+)"', top)
    assert severities and severities[0] == "error"
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    assert 'class="sb-where sb-where--message" href="inboxes/' in top


def test_lint_report_is_one_table_with_every_finding_once(
    demo: Result, demo_pages: dict[str, str]
) -> None:
    page = demo_pages["lint/index.md"]
    assert page.count("<table>") == 1
    rows = re.findall(r'<tr data-sb-finding data-severity="(\w+)"', page)
    assert len(rows) == len(demo.findings)
    assert sorted(rows) == sorted(f.severity.value for f in demo.findings)
    for rule in {f.rule for f in demo.findings}:
        assert f'id="rule-{rule}"' in page  # the rule pages' links still land
    assert "data-sb-lint-controls" in page and 'name="severity"' in page
    # Each location links to the page showing it: message cards, claim rows, tasks.
    assert "sb-where--message" in page and "sb-where--task" in page


def test_a_misfiled_message_is_owed_by_its_addressee(git_repo: GitRepo) -> None:
    git_repo.write(
        BOARD,
        HEADER
        + "| sA · Sintra | Riff #1 | main | 2026-06-05T09:00Z | 2026-06-05T11:50Z · | `a/**` |\n"
        + "| sB · Porto | Riff #2 | main | 2026-06-05T09:00Z | 2026-06-05T11:50Z · | `b/**` |\n",
    )
    git_repo.write(
        "docs/ai/sessions/queue/to-sB.md",
        "## 2026-06-05T10:00Z · from:sB · to:sA · type:question · status:sent\n\nWhich port?\n",
    )
    git_repo.commit("[sB] docs(ai-sessions): question", at=parse_now("2026-06-05T10:00Z"))
    result = _result(git_repo.root)
    assert any(f.rule == "misfiled-message" for f in result.findings)
    views = {v.key: v for v in inbox_views(result)}
    assert views["sA"].waiting == 1 and views["sB"].waiting == 0
    (misfiled,) = views["sA"].misfiled_here
    assert misfiled.owner is views["sA"] and misfiled.recipient is views["sB"]
    pages = build_pages(result, include_docs=False).pages
    assert "filed in another queue" in pages["inboxes/sA.md"]
    assert (
        "Waiting <strong" in pages["inboxes/sB.md"]
        and "on <strong>sA</strong>" in (pages["inboxes/sB.md"])
    )
    assert "Filed in the queue of sB but addressed to" in pages["inboxes/sB.md"]


def test_inbox_titles_name_the_recipient_and_months_link_in_order(
    demo_pages: dict[str, str],
) -> None:
    recent = demo_pages["inboxes/sA.md"]
    assert 'title: "Inbox of sA"' in recent and "\n# Inbox of sA\n" in recent
    archive = demo_pages["inboxes/sA/2026-06.md"]
    assert 'title: "Inbox of sA: June 2026"' in archive
    assert "No older month" in archive and "Recent messages →" in archive
    assert demo_pages["inboxes/all.md"].count("# Broadcasts") == 1
    assert 'data-sb-msg="waiting"' in recent and 'data-sb-msg="done"' in recent
    assert 'data-sb-show="waiting"' in recent  # the banner filters to those messages


def test_an_empty_board_says_what_is_missing_and_links_the_guides(git_repo: GitRepo) -> None:
    git_repo.write("README.md", "# app\n")
    git_repo.commit("init", at=parse_now("2026-06-05T09:00Z"))
    site = build_pages(_result(git_repo.root))
    pages = site.pages
    tabs = [next(iter(item)) for item in site.nav if isinstance(item, dict)]
    assert "Tasks" not in tabs and "Agents" not in tabs  # no tab for sources that do not exist
    assert "tasks/index.md" not in pages and "agents.md" not in pages
    overview = pages["index.md"]
    assert "No board sources found" in overview
    assert "Nothing waits on you" not in overview and 'id="needs-you"' not in overview
    assert "docs/tutorial/two-sessions.html" in overview
    scoreboard = pages["scoreboard.md"]
    assert "two-sessions.html" in scoreboard
    for nothing in ("No two sessions claim", "Every row reads cleanly", "holds only its table"):
        assert nothing not in scoreboard
    assert "The board is clean" not in pages["lint/index.md"]
    assert "Nothing is waiting" not in pages["inboxes/index.md"]


def test_a_young_boards_timeline_ends_now(git_repo: GitRepo) -> None:
    git_repo.write(
        BOARD,
        HEADER
        + "| sA · Sintra | Riff #1 | main | 2026-06-05T10:00Z | 2026-06-05T10:00Z · | `a/**` |\n",
    )
    git_repo.commit("[sA] docs(ai-sessions): claim", at=parse_now("2026-06-05T10:00Z"))
    result = _result(git_repo.root, "2026-06-05T11:30Z")
    timeline = claims_timeline(result)
    assert timeline is not None
    assert timeline.end == result.now and timeline.end - timeline.start >= (
        parse_now("2026-06-05T06:00Z") - parse_now("2026-06-05T00:00Z")
    )
    assert ">09:00<" in str(timeline.svg) or ">08:00<" in str(timeline.svg)  # hours, not days


def test_a_question_to_the_person_is_the_first_need_wherever_it_is_filed(
    git_repo: GitRepo,
) -> None:
    git_repo.write(
        BOARD,
        HEADER
        + "| sA · Sintra | Riff #1 | main | 2026-06-05T09:00Z | 2026-06-05T11:50Z · | `a/**` |\n",
    )
    git_repo.write(
        "docs/ai/sessions/queue/to-human.md",
        "## 2026-06-05T10:00Z · from:sA · to:human · type:question · status:sent\n\nShip it?\n",
    )
    git_repo.write(  # misfiled in sA's own queue, still the person's to answer
        "docs/ai/sessions/queue/to-sA.md",
        "## 2026-06-05T10:30Z · from:sA · to:human · type:question · status:sent\n\nAnd this?\n",
    )
    git_repo.commit("[sA] docs(ai-sessions): questions", at=parse_now("2026-06-05T10:30Z"))
    pages = build_pages(_result(git_repo.root), include_docs=False).pages
    needs = _section(pages["index.md"], "needs-you")
    assert needs.count("sb-need--message") == 2
    assert needs.count("question from sA to human") == 2
    assert "Ship it?" in needs and "And this?" in needs
    assert 'title: "(2) Overview"' in pages["index.md"]
    assert "filed in another queue" in pages["inboxes/human.md"]
