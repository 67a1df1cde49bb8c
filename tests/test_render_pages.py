"""The pages built from a Result: permanent anchors, bounded page count, safe board text, links."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from datetime import timedelta

import markdown
import pytest

from generator.analysis import build_context
from generator.render.pages import build_pages, page_url, relative_url, site_repo_url
from generator.result import Result
from generator.rules import scope_overlap
from tests import render_fixtures as rf

ARCHIVE = re.compile(r"^inboxes/[^/]+/(\d{4}-\d{2}|undated)\.md$")
MKDOCS_EXTENSIONS = (
    "toc",
    "tables",
    "attr_list",
    "md_in_html",
    "admonition",
    "pymdownx.superfences",
)
EVENT_ATTR = re.compile(r"<[^>]*\bon[a-z]+=", re.I)  # an event handler inside a real tag
IDS = re.compile(r'\bid="([^"]+)"')


def _archives(pages: dict[str, str]) -> dict[str, str]:
    return {p: t for p, t in pages.items() if ARCHIVE.match(p)}


def _python_markdown(text: str) -> str:
    """Convert a page the way mkdocs does (same extensions as the generated mkdocs.yml)."""
    md = markdown.Markdown(extensions=[*MKDOCS_EXTENSIONS, "meta"])
    return md.convert(text)


def test_every_message_lives_exactly_once_on_its_archive_page() -> None:
    result = rf.result()
    pages = build_pages(result, include_docs=False).pages
    archives = _archives(pages)
    for m in result.board.messages:
        homes = [p for p, text in archives.items() if f'id="{m.anchor}"' in text]
        assert len(homes) == 1, m.id
        assert pages[homes[0]].count(f'id="{m.anchor}"') == 1
        month = m.at.value.strftime("%Y-%m") if m.at else "undated"
        assert homes[0] == f"inboxes/{m.queue}/{month}.md"


def test_anchors_are_unique_on_every_page() -> None:
    for path, text in build_pages(rf.result()).pages.items():
        ids = Counter(IDS.findall(text))
        assert not [i for i, n in ids.items() if n > 1], path


def test_page_count_does_not_grow_with_messages() -> None:
    few = build_pages(rf.result(messages_in_may=50), include_docs=False).pages
    many = build_pages(rf.result(messages_in_may=1000), include_docs=False).pages
    assert sorted(few) == sorted(many)
    assert many["inboxes/sA/2026-05.md"].count('class="sb-msg ') == 1001


def test_recent_page_is_bounded_newest_first_and_links_to_permanent_urls() -> None:
    result = rf.result(messages_in_may=30, recent=5)
    text = build_pages(result, include_docs=False).pages["inboxes/sA.md"]
    ids = re.findall(r'<article class="sb-msg [^"]*" id="([^"]+)"', text)
    assert len(ids) == 5
    by_anchor = {m.anchor: m for m in result.board.messages}
    times = [by_anchor[i].at.value for i in ids]  # type: ignore[union-attr]
    assert times == sorted(times, reverse=True)
    assert f'href="sA/2026-05.html#{ids[0]}"' in text


def test_board_text_never_becomes_markup_after_python_markdown() -> None:
    board = rf.board()
    evil_queue = dataclasses.replace(
        board.queues[2],
        path="docs/ai/sessions/queue/to-<b>x</b>.md",
        recipient="<b onmouseover=alert(1)>x</b>",
    )
    board = dataclasses.replace(board, queues=(*board.queues, evil_queue))
    config = rf.result().config
    result = Result(board, build_context(board, config, rf.NOW), rf.result().findings, rf.RULES)
    site = build_pages(result, include_docs=False)
    for path, text in site.pages.items():
        html = _python_markdown(text)
        lowered = html.lower()
        assert "<script" not in lowered, path
        assert not EVENT_ATTR.search(html), path
        assert 'href="javascript' not in lowered and 'src="data' not in lowered, path
        assert 'class="highlight"' not in html, path  # no board fence turned into code
        assert "<b>x</b>" not in html, path
    # the odd recipient still gets a page, under a safe slug
    assert any(re.match(r"inboxes/r-[0-9a-f]{10}\.md$", p) for p in site.pages)


def test_fixed_headings_only() -> None:
    """Markdown headings hold template text; board-derived names only when they are plain words."""
    for path, text in build_pages(rf.result()).pages.items():
        if path.startswith("docs/"):
            continue
        for line in text.splitlines():
            if line.startswith("#"):
                assert re.fullmatch(r"#{1,6} [A-Za-z0-9 .:{}#\-]+", line), (path, line)


def test_slugs_are_safe_and_unique_case_insensitively() -> None:
    board = rf.board()
    extra = [
        dataclasses.replace(board.queues[2], path="q/to-sa.md", recipient="sa", messages=()),
        dataclasses.replace(board.queues[2], path="q/to-index.md", recipient="index", messages=()),
    ]
    board = dataclasses.replace(board, queues=(*board.queues, *extra))
    result = Result(board, build_context(board, rf.result().config, rf.NOW), (), rf.RULES)
    pages = build_pages(result, include_docs=False).pages
    inbox_pages = [p for p in pages if re.match(r"inboxes/[^/]+\.md$", p)]
    assert len({p.lower() for p in inbox_pages}) == len(inbox_pages)
    assert "inboxes/index.md" in pages and pages["inboxes/index.md"].startswith("# Inboxes")


def test_scoreboard_rows_liveness_data_and_overlaps() -> None:
    text = build_pages(rf.result(), include_docs=False).pages["scoreboard.md"]
    assert text.count("data-sb-liveness") == 3
    assert 'data-last-seen="2026-05-31T17:50:00Z"' in text
    assert 'data-live-minutes="30"' in text and 'data-stale-hours="6"' in text
    assert "sb-overlap" in text and "also claimed by sB · Braga" in text
    assert 'href="inboxes/sA.html"' in text and 'href="inboxes/sC.html"' in text
    assert "garbage row &lt;img" in text  # unparsed row shown raw
    assert "&lt;b&gt;x&lt;/b&gt;" in text  # extra column kept, escaped
    assert "<h2>Active sessions</h2>" in text  # prose rendered, demoted below the page title


def test_message_card_fields_timeline_waiting_and_threading() -> None:
    pages = build_pages(rf.result(), include_docs=False).pages
    text = pages["inboxes/sA/2026-05.md"]
    assert 'href="https://github.com/acme/board/pull/88"' in text
    assert "<dt>prio</dt><dd>high</dd>" in text
    assert "+25 min" in text and "after lunch" in text
    assert 'data-sb-waiting data-since="2026-05-31T15:30:00Z"' in text
    assert 'href="../sB/2026-05.html#' in text  # the reply, threaded under its question
    reply = pages["inboxes/sB/2026-05.md"]
    assert 'href="../sA/2026-05.html#m-2026-05-31t15-00z-sb"' in reply
    undated = pages["inboxes/sA/undated.md"]
    assert "## garbage heading &lt;script&gt;" in undated and "heading does not parse" in undated


def test_lint_page_links_source_lines_and_rule_pages() -> None:
    result = rf.result()
    text = build_pages(result, include_docs=False).pages["lint/index.md"]
    line = f"{rf.HEAD}/docs/ai/sessions/queue/to-sA.md#L9200"
    assert f'href="https://github.com/acme/board/blob/{line}"' in text
    assert 'href="../rules/message-parse.html"' in text
    assert "unacked &lt;b&gt;3 h&lt;/b&gt;" in text


def test_lint_page_without_findings_falls_back_to_the_remote() -> None:
    pages = build_pages(rf.result(findings=False, repo_url=None), include_docs=False).pages
    assert "The board is clean" in pages["lint/index.md"]
    text = "".join(pages.values())
    assert "https://github.com/acme/board/blob/" in text  # from the git remote
    assert "user:secret" not in text and "secret@" not in text  # credentials never reach a link


def test_no_source_links_without_any_repository_url() -> None:
    result = rf.result(repo_url=None)
    history = dataclasses.replace(result.board.history, remote_url=None)
    board = dataclasses.replace(result.board, history=history)
    result = dataclasses.replace(result, board=board)
    pages = build_pages(result, include_docs=False).pages
    assert "github.com" not in "".join(pages.values())
    # Without a code host the finding still links to the card it is about.
    assert (
        'href="../inboxes/sA/undated.html#m-line-9200"><code>docs/<wbr>ai/<wbr>sessions/<wbr>queue/'
        "<wbr>to-sA.md:9200</code>" in pages["lint/index.md"]
    )


def test_rule_pages_from_docstrings() -> None:
    site = build_pages(rf.result(), include_docs=False)
    for rule in rf.RULES:
        text = site.pages[f"rules/{rule.name}.md"]
        assert text.startswith(f"# {rule.name}\n")
        assert "## What it finds" in text and "## Fix" in text
        assert "&lt;b&gt;raw html&lt;/b&gt;" in text
    lint_nav = next(item["Lint"] for item in site.nav if isinstance(item, dict) and "Lint" in item)
    rules_nav = lint_nav[1]["Rules"]
    assert "rules/index.md" in rules_nav


def test_overview_counts_come_from_status_document() -> None:
    from generator.render.outputs import status_document

    result = rf.result()
    counts = status_document(result)["counts"]
    text = build_pages(result, include_docs=False).pages["index.md"]
    assert f'<span class="sb-card__value">{counts["messages"]["waiting"]}</span>' in text
    assert f'<span class="sb-card__value">{counts["sessions"]["total"]}</span>' in text
    assert 'href="https://github.com/acme/board/commit/' in text


def test_nav_lists_every_generated_page_once() -> None:
    site = build_pages(rf.result())

    def walk(items: object) -> list[str]:
        if isinstance(items, str):
            return [items]
        if isinstance(items, dict):
            return [p for v in items.values() for p in walk(v)]
        assert isinstance(items, list)
        return [p for v in items for p in walk(v)]

    listed = walk(site.nav)
    # Inboxes and their archives are reached from the inbox index (a nav naming each one would
    # make every page grow with the number of recipients).
    inboxes = sorted(p for p in site.pages if p.startswith("inboxes/") and p != "inboxes/index.md")
    assert inboxes
    assert sorted(listed + inboxes) == sorted(site.pages)


@pytest.mark.parametrize(
    ("src", "dest", "anchor", "dirs", "expected"),
    [
        ("index.md", "inboxes/sA.md", None, False, "inboxes/sA.html"),
        ("inboxes/sA.md", "inboxes/sA/2026-05.md", "m-1", False, "sA/2026-05.html#m-1"),
        ("inboxes/sA/2026-05.md", "inboxes/sB/2026-05.md", "x", False, "../sB/2026-05.html#x"),
        ("inboxes/sA/2026-05.md", "inboxes/sA/2026-05.md", "x", False, "#x"),
        ("lint/index.md", "rules/a.md", None, False, "../rules/a.html"),
        ("index.md", "inboxes/sA.md", None, True, "inboxes/sA/"),
        ("inboxes/sA.md", "inboxes/sA/2026-05.md", None, True, "2026-05/"),
        ("lint/index.md", "index.md", None, True, "../"),
    ],
)
def test_relative_urls(src: str, dest: str, anchor: str | None, dirs: bool, expected: str) -> None:
    assert relative_url(src, dest, anchor, dirs) == expected


def test_page_url_and_repo_url() -> None:
    assert page_url("inboxes/index.md", True) == "inboxes/"
    # The configured URL, on any host, through the one normaliser (tests/test_repourl.py).
    result = rf.result(repo_url="https://u:tok@git.example.com:8443/a/b.git/")
    assert site_repo_url(result) == "https://git.example.com:8443/a/b"
    result = rf.result(repo_url=None)
    history = dataclasses.replace(result.board.history, remote_url=None)
    plain = dataclasses.replace(result, board=dataclasses.replace(result.board, history=history))
    assert site_repo_url(plain) is None


def test_scoreboard_shows_the_overlaps_the_rule_reports() -> None:
    """One computation: the page marks the pairs scope-overlap reports, and a stale claim is none."""
    t, base = rf.NOW, rf.board()
    live, hour = t - timedelta(minutes=5), t - timedelta(hours=1)
    rows = (
        rf.row(5, "sA", "Sintra", hour, live, ("services/**",)),
        rf.row(6, "sB", "Braga", hour, live, ("services/a.py", "web/a.tsx")),
        rf.row(
            7, "sC", "Coimbra", t - timedelta(days=3), t - timedelta(days=2), ("services/b.py",)
        ),
        rf.row(8, "sD", "Dili", hour, live, ("web/b.tsx",)),
    )
    board = dataclasses.replace(base, scoreboard=dataclasses.replace(base.scoreboard, rows=rows))
    ctx = build_context(board, rf.result().config, t)
    hits = list(scope_overlap.RULE.check(ctx))
    assert [(h.line, h.message) for h in hits] == [
        (
            6,
            "sB · Braga and sA · Sintra (line 5) both claim paths: `services/a.py` overlaps "
            "`services/**`",
        )
    ]
    text = build_pages(Result(board, ctx, (), rf.RULES), include_docs=False).pages["scoreboard.md"]
    shown = re.findall(r'title="also claimed by ([^"]*)"', text)
    # sA's `services/**` also covers sC's file, but sC is stale: the rule says nothing, nor the page
    assert shown == ["sB · Braga", "sA · Sintra"]
    assert text.count('class="sb-row--overlap"') == 2


def test_waiting_table_agrees_with_status_count() -> None:
    from generator.render.outputs import status_document

    result = rf.result()
    text = build_pages(result, include_docs=False).pages["inboxes/index.md"]
    rows = len(re.findall(r"<tr[^>]*data-sb-waiting", text))
    assert rows == status_document(result)["counts"]["messages"]["waiting"]
