"""The mkdocs plugin: a repository's own mkdocs site gains the board's pages, nav and outputs."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from tests.conftest import GitRepo

NOW = "2026-05-31T16:00Z"
SCOREBOARD = """# Active sessions

| Session | Task | Worktree | Claimed | Presence | Scope |
|---|---|---|---|---|---|
| sA · Sintra | #12 | worktree `session-sA` → direct-to-main, `[sA]` | 2026-05-31T11:40Z | 2026-05-31T15:50Z · | `services/payments/**` |
"""
QUEUE = """## 2026-05-31T12:00Z · from:sB · to:sA · type:question · ref:#13 · status:seen

Which retry policy do we keep?

- ack · 2026-05-31T12:10Z · sA · seen
"""
HOST_PAGE = """# Our project

Rows nobody touches for hours are [stale claims](rule:stale-claim).

<!-- statusboard:rules -->
"""


@pytest.fixture(autouse=True)
def _quiet_mkdocs() -> Iterator[None]:
    saved = os.environ.get("NO_MKDOCS_2_WARNING")
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    yield
    if saved is None:
        os.environ.pop("NO_MKDOCS_2_WARNING", None)
    else:
        os.environ["NO_MKDOCS_2_WARNING"] = saved


@pytest.fixture
def host(git_repo: GitRepo) -> GitRepo:
    """A repository with a blackboard and its own small mkdocs site."""
    git_repo.write("docs/ai/sessions/active.md", SCOREBOARD)
    git_repo.write("docs/ai/sessions/queue/to-sA.md", QUEUE)
    git_repo.write("docs/index.md", HOST_PAGE)
    git_repo.write("docs/guide.md", "# Guide\n\nHow we work.\n")
    git_repo.commit(
        "[sA] docs(ai-sessions): claim sA", at=datetime(2026, 5, 31, 15, 50, tzinfo=UTC)
    )
    return git_repo


def _mkdocs_yml(repo: GitRepo, plugin: dict[str, object], **extra: object) -> Path:
    config: dict[str, object] = {
        "site_name": "Host project",
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": False,
        "theme": {"name": "material"},
        "nav": [{"Home": "index.md"}, {"Guide": "guide.md"}],
        "plugins": ["search", {"statusboard": {"now": NOW, **plugin}}],
        **extra,
    }
    path = repo.root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def _build(config_file: Path) -> Path:
    config = load_config(str(config_file), strict=True)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return config_file.parent / "site"


def test_board_pages_nav_assets_and_outputs_join_the_host_site(host: GitRepo) -> None:
    site = _build(_mkdocs_yml(host, {}))
    for rel in (
        "index.html",
        "guide.html",
        "board/index.html",
        "board/scoreboard.html",
        "board/inboxes/sA.html",
        "board/lint/index.html",
        "board/rules/stale-claim.html",
        "board/assets/statusboard.js",
        "board/assets/statusboard.css",
        "board/status.json",
        "board/lint.json",
        "board/lint.sarif",
        "board/lint.junit.xml",
    ):
        assert (site / rel).is_file(), rel
    assert not (site / "board" / "docs").exists(), "statusboard's docs only with include_docs"
    status = json.loads((site / "board" / "status.json").read_text(encoding="utf-8"))
    assert status["generated_at"] == "2026-05-31T16:00:00Z"
    assert [s["id"] for s in status["sessions"]] == ["sA"]
    scoreboard = (site / "board" / "scoreboard.html").read_text(encoding="utf-8")
    assert "sA · Sintra" in scoreboard and "data-sb-liveness" in scoreboard
    guide = (site / "guide.html").read_text(encoding="utf-8")
    assert "board/assets/statusboard.js" in guide and "board/assets/statusboard.css" in guide
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Status board" in home, "the nav has the board's section"
    assert 'href="board/rules/stale-claim.html"' in home, "rule: links point at the rule pages"
    assert home.count('href="board/rules/') >= 20, "the rules marker became the catalogue"
    # The host's own pages are untouched otherwise.
    assert "How we work." in (site / "guide.html").read_text(encoding="utf-8")


def test_prefix_nav_title_directory_urls_and_docs(host: GitRepo) -> None:
    config = _mkdocs_yml(
        host,
        {"prefix": "status", "nav_title": "Sessions", "include_docs": True},
        use_directory_urls=True,
        markdown_extensions=["admonition", "attr_list", "md_in_html", "tables"],
    )
    site = _build(config)
    assert (site / "status" / "scoreboard" / "index.html").is_file()
    assert (site / "status" / "rules" / "stale-claim" / "index.html").is_file()
    assert (site / "status" / "docs" / "tutorial" / "two-sessions" / "index.html").is_file()
    assert (site / "status" / "status.json").is_file()
    assert "Sessions" in (site / "index.html").read_text(encoding="utf-8")


def test_without_a_nav_mkdocs_lists_the_board_pages_itself(host: GitRepo) -> None:
    config = _mkdocs_yml(host, {})
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    del data["nav"]
    config.write_text(yaml.safe_dump(data), encoding="utf-8")
    site = _build(config)
    assert (site / "board" / "scoreboard.html").is_file()


def test_a_host_page_at_a_board_path_is_an_error_naming_it(
    host: GitRepo, caplog: pytest.LogCaptureFixture
) -> None:
    host.write("docs/board/index.md", "# Our own board page\n")
    with pytest.raises(Abort):  # mkdocs reports a plugin's error and aborts the build
        _build(_mkdocs_yml(host, {}))
    assert "board/index.md already exists in the site; choose another `prefix`" in caplog.text


def test_a_link_to_an_unknown_rule_fails_a_strict_build(host: GitRepo) -> None:
    host.write("docs/guide.md", "# Guide\n\nSee [this](rule:no-such-rule).\n")
    with pytest.raises(Abort):
        _build(_mkdocs_yml(host, {}))


def test_bad_statusboard_configuration_is_a_plugin_error(
    host: GitRepo, caplog: pytest.LogCaptureFixture
) -> None:
    host.write("statusboard.toml", "[thresholds]\nlive_minutes = 'soon'\n")
    with pytest.raises(Abort):
        _build(_mkdocs_yml(host, {}))
    assert "statusboard: statusboard.toml [thresholds].live_minutes: expected int" in caplog.text


def test_rules_only_mode_adds_rule_pages_and_no_board(host: GitRepo) -> None:
    site = _build(_mkdocs_yml(host, {"board": False, "rules_dir": "rules"}))
    assert not (site / "board").exists()
    page = (site / "rules" / "stale-claim.html").read_text(encoding="utf-8")
    assert "What it finds" in page and "statusboard rules stale-claim" in page
    assert 'href="rules/stale-claim.html"' in (site / "index.html").read_text(encoding="utf-8")


# A host hook that records the markdown mkdocs converts for each page (what the plugin handed it).
RECORD_HOOK = """
from pathlib import Path


def on_page_markdown(markdown, page, config, files):
    seen = Path(config.config_file_path).parent / "seen" / page.file.src_uri
    seen.parent.mkdir(parents=True, exist_ok=True)
    seen.write_text(markdown, encoding="utf-8")
"""


def test_board_html_is_held_back_from_mkdocs_and_filled_in_after(host: GitRepo) -> None:
    (host.root / "record.py").write_text(RECORD_HOOK, encoding="utf-8")
    site = _build(_mkdocs_yml(host, {}, hooks=["record.py"]))
    # mkdocs converted a page of placeholders, not the board's HTML …
    given = (host.root / "seen" / "board" / "inboxes" / "sA.md").read_text(encoding="utf-8")
    assert "<!-- sbfrag " in given and "Which retry policy" not in given
    # … and the page holds the message as the standalone site shows it, no placeholder left.
    page = (site / "board" / "inboxes" / "sA.html").read_text(encoding="utf-8")
    assert "Which retry policy do we keep?" in page and "sbfrag" not in page
    assert 'class="sb-page' in page
    # The host's own pages are converted as they were written.
    assert "sbfrag" not in (host.root / "seen" / "guide.md").read_text(encoding="utf-8")


def test_search_finds_a_word_of_a_message(host: GitRepo) -> None:
    site = _build(_mkdocs_yml(host, {}))
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    hits = [d for d in index["docs"] if "retry policy" in d["text"]]
    assert any(d["location"].startswith("board/inboxes/sA.html") for d in hits), hits
    assert not any("sbfrag" in d["text"] or "<div" in d["text"] for d in index["docs"])


def test_the_agent_outputs_join_the_board_and_parse(host: GitRepo) -> None:
    site = _build(_mkdocs_yml(host, {}, site_url="https://acme.example/docs/"))
    board = site / "board"
    llms = (board / "llms.txt").read_text(encoding="utf-8")
    assert llms.startswith("# ") and "\n> " in llms
    assert "https://acme.example/docs/board/waiting/sA.json" in llms
    waiting = json.loads((board / "waiting" / "sA.json").read_text(encoding="utf-8"))
    assert waiting["recipient"] == "sA"
    assert [m["summary"] for m in waiting["messages"]] == ["Which retry policy do we keep?"]
    assert waiting["messages"][0]["link"].startswith("https://acme.example/docs/board/")
    feeds = sorted((board / "feeds").glob("*.xml"))
    assert feeds, "an Atom feed per inbox"
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    sa_feed = feedparser.parse((board / "feeds" / "sA.xml").read_bytes())
    assert any("retry policy" in e.title for e in sa_feed.entries)
    for name in ("sessions", "waiting", "findings"):
        badge = json.loads((board / "badges" / f"{name}.json").read_text(encoding="utf-8"))
        assert badge["schemaVersion"] == 1 and badge["label"] and badge["message"]


def test_the_agent_outputs_link_pages_as_a_directory_url_host_site_serves_them(
    host: GitRepo,
) -> None:
    """mkdocs' default `use_directory_urls`: pages are `page/index.html`, linked as `page/`."""
    site = _build(_mkdocs_yml(host, {}, use_directory_urls=True))
    board = site / "board"
    llms = (board / "llms.txt").read_text(encoding="utf-8")
    waiting = json.loads((board / "waiting" / "sA.json").read_text(encoding="utf-8"))
    feed = feedparser.parse((board / "feeds" / "sA.xml").read_bytes())
    # llms.txt and waiting/*.json link relative to the board's root, the feed relative to itself.
    links = [m.group(1) for m in re.finditer(r"\]\(([^)]+)\)", llms)]
    links += [m["link"] for m in waiting["messages"]] + [i["link"] for i in waiting["inboxes"]]
    targets = [link.split("#")[0] for link in links]
    # Pages, not files (status.json, lint.sarif, …): a directory URL has no suffix.
    pages = [t for t in targets if "." not in t.rsplit("/", 1)[-1]]
    pages += [e.link.split("#")[0].removeprefix("../") for e in feed.entries]
    assert pages and all(".html" not in p for p in pages), pages
    for page in pages:
        assert (board / page / "index.html").is_file(), page
