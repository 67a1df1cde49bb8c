"""The site grows linearly with the number of inboxes: no page lists every inbox.

Before, the nav named every inbox and its monthly archives, and every page carries the nav, so
ten times the queue files made the inbox pages about a hundred times bigger.
"""

from __future__ import annotations

from pathlib import Path

from generator import pipeline
from generator.config import load_config
from generator.progress import Progress
from generator.render.pages import build_pages
from generator.render.site import render_site
from generator.timeutil import parse_now
from tests.conftest import GitRepo

NOW = "2026-05-31T18:00Z"
QUEUE = "docs/ai/sessions/queue"


def _board(root: Path, recipients: int) -> pipeline.Result:
    """`recipients` queue files of two messages each (two months, so each has two archives)."""
    root.mkdir()
    repo = GitRepo(root)
    for i in range(recipients):
        sid = f"s{i:03d}"
        repo.write(
            f"{QUEUE}/to-{sid}.md",
            f"# Queue to {sid}\n\n"
            f"## 2026-04-30T10:00Z · from:human · to:{sid} · type:info · status:sent\n\n"
            f"Note number {i} for {sid}.\n\n"
            f"## 2026-05-30T10:00Z · from:human · to:{sid} · type:question · status:sent\n\n"
            f"Question number {i} for {sid}?\n",
        )
    repo.commit("queues", author="Dev")
    config = load_config(root)
    board = pipeline.read(root, config)
    return pipeline.analyse(board, config, parse_now(NOW))


def _inbox_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in (site / "inboxes").rglob("*") if p.is_file())


def test_ten_times_the_queue_files_make_at_most_about_ten_times_the_inbox_pages(
    tmp_path: Path,
) -> None:
    sizes = []
    for n in (20, 200):
        result = _board(tmp_path / f"repo-{n}", n)
        site = render_site(result, tmp_path / f"site-{n}", Progress.quiet())
        pages = sorted(p for p in (site / "inboxes").rglob("*.html"))
        assert len(pages) == 1 + 3 * n, "an index, and per inbox its page and two archives"
        sizes.append(_inbox_bytes(site))
    assert sizes[1] / sizes[0] <= 12, sizes


def test_the_nav_names_the_inbox_index_and_no_inbox(tmp_path: Path) -> None:
    result = _board(tmp_path / "repo", 3)
    site = build_pages(result, include_docs=False)
    inboxes = next(i["Inboxes"] for i in site.nav if isinstance(i, dict) and "Inboxes" in i)
    assert inboxes == ["inboxes/index.md"]
    index = site.pages["inboxes/index.md"]
    for sid in ("s000", "s001", "s002"):
        assert f'href="{sid}.html"' in index, "the index links every inbox"
        page = site.pages[f"inboxes/{sid}.md"]
        assert 'href="index.html"' in page, "every inbox links back to the index"
        assert f'href="{sid}/2026-04.html"' in page and f'href="{sid}/2026-05.html"' in page
