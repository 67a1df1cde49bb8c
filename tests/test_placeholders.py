"""Board HTML is held back from mkdocs and put in after it: the same pages, findable in search."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from generator.progress import Progress
from generator.render.pages import build_pages
from generator.render.placeholders import fill, hold_back, search_text, split_page
from generator.render.site import render_site, write_project
from tests import render_fixtures as rf


def test_split_and_fill_give_back_every_generated_page() -> None:
    site = build_pages(rf.result(), include_docs=False)
    for path, text in site.pages.items():
        skeleton, blocks = split_page(text, "t0k")
        assert blocks, f"{path} holds its HTML in sb-page blocks"
        assert 'class="sb-page' not in skeleton
        assert fill(skeleton, "t0k", blocks) == text
        # Only the markdown around the blocks (front matter, headings) reaches mkdocs.
        assert len(skeleton) < 600 + 40 * len(blocks), path


def test_a_block_whose_end_is_missing_stays_in_the_page() -> None:
    text = '# T\n\n<div class="sb-page">\n<div>\n</div>\n'
    assert split_page(text, "x") == (text, [])


def test_the_shipped_docs_go_to_mkdocs_as_they_are() -> None:
    doc = '# Doc\n\n```html\n<div class="sb-page">\n</div>\n```\n'
    board = '# Board\n\n<div class="sb-page">\n<p>x</p>\n</div>\n'
    pages, plugin = hold_back({"docs/a.md": doc, "index.md": board}, lambda p: p == "index.md")
    assert pages["docs/a.md"] == doc
    assert pages["index.md"].startswith("# Board\n\n<!-- sbfrag ")
    assert plugin.blocks == {"index.md": [board[len("# Board\n\n") :].rstrip("\n")]}


@pytest.mark.parametrize("room", [0, 10_000], ids=["in a file", "in memory"])
def test_blocks_held_back_come_back_whole_for_search_then_page(tmp_path: Path, room: int) -> None:
    from types import SimpleNamespace

    from generator.render.placeholders import Holder

    # Line endings, a lone carriage return and characters outside ASCII come back as they were.
    block = '<div class="sb-page">\r\n<p>caf\u00e9 \U0001f600\r</p>\n<div>x</div>\n</div>'
    board = f"# Board\n\n{block}\n\n## Two\n\n{block.replace('x', 'y')}\n"
    holder = Holder(lambda p: p != "docs/a.md", tmp_path / "held", in_memory=room)
    assert holder.hold("docs/a.md", board) == board
    skeleton = holder.hold("index.md", board)
    assert "sb-page" not in skeleton
    # Within the room in memory, beyond it in a file.
    assert (tmp_path / "held").exists() == (room == 0)
    plugin = holder.fill(release=True)
    page = SimpleNamespace(file=SimpleNamespace(src_uri="index.md"), content=skeleton)
    plugin.put_search_text({}, page=page)
    assert page.content == fill(
        skeleton, holder.token, [search_text(block), search_text(block.replace("x", "y"))]
    )
    plugin.put_html({}, page=page)
    assert page.content == board
    plugin.on_post_page("<html>", page=page)  # written: the page's HTML is let go
    assert page.content is None


def test_held_pages_go_to_files_once_the_room_in_memory_is_taken(tmp_path: Path) -> None:
    from generator.render.placeholders import Holder

    block = '<div class="sb-page">\n<p>caf\u00e9</p>\n</div>'
    page = f"# P\n\n{block}\n"
    packed = len(f"{len(block)}\n{block}".encode())  # a line of lengths, then the blocks, UTF-8
    holder = Holder(lambda p: True, tmp_path / "held", in_memory=2 * packed)
    for n in range(3):
        holder.hold(f"p{n}.md", page)
    assert [isinstance(held, bytes) for held in holder.blocks.values()] == [True, True, False]
    assert [p.name for p in (tmp_path / "held").iterdir()] == ["2.html"]


def test_search_text_drops_tags_but_headings_with_an_id() -> None:
    html = '<div><h3 id="x">T &amp; <code>c</code></h3><p>a<b>b</b></p><h4>n</h4></div>'
    # A closing heading tag stays (a regex cannot pair it): the search parsers ignore a stray one.
    assert search_text(html) == '<h3 id="x">T &amp; c</h3> ab n</h4>'


def test_search_text_makes_each_run_of_any_white_space_one_space() -> None:
    # Every character Python calls white space, which a regex's `\s` matches as well.
    spaces = "".join(chr(c) for c in range(0x3100) if chr(c).isspace())
    assert re.fullmatch(r"\s+", spaces)
    html = f"{spaces}<p>a{spaces}b \u00a0c</p>\u2028<b>d</b>\x1c e{spaces}"
    assert search_text(html) == "a b c d e"


def _mkdocs_unheld(tmp: Path) -> Path:
    """The site as mkdocs builds it from the whole pages (as before the HTML was held back)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator.render.site import site_files

    result = rf.result()
    site = site_files(result).site
    out = tmp / "unheld"
    config_file = write_project(result, site, tmp / "project", out)
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(result.now.timestamp()))  # as render_site sets it
    config = load_config(str(config_file))
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("held")
    return render_site(rf.result(), tmp / "site", Progress.quiet()), _mkdocs_unheld(tmp)


def test_every_page_is_byte_identical_to_mkdocs_converting_the_whole_html(
    built: tuple[Path, Path],
) -> None:
    held, unheld = built
    pages = sorted(p.relative_to(unheld) for p in unheld.rglob("*.html"))
    assert len(pages) > 20
    for rel in pages:
        text = (held / rel).read_text(encoding="utf-8")
        assert "sbfrag" not in text
        assert text == (unheld / rel).read_text(encoding="utf-8"), rel


def _index(site: Path) -> dict[str, str]:
    """Search text by page: the entries of each page joined."""
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    by_page: dict[str, str] = {}
    for entry in docs:
        page = entry["location"].split("#", 1)[0]
        by_page[page] = by_page.get(page, "") + " " + entry["title"] + " " + entry["text"]
    return by_page


def _words(text: str) -> set[str]:
    """The words of index text (the markup Material keeps in it, `<code>`, `<li>`, removed)."""
    return set(re.findall(r"[A-Za-z0-9]{3,}", re.sub(r"<[^>]*>", " ", text)))


def test_search_finds_every_message_task_and_finding(built: tuple[Path, Path]) -> None:
    held, unheld = built
    index, before = _index(held), _index(unheld)
    assert sorted(index) == sorted(before), "the same pages and sections are indexed"
    for page, text in before.items():
        if page.startswith(("inboxes/", "lint/", "tasks/", "scoreboard", "agents")):
            # Every word found before is found now (words the old index glued together across
            # two tags, `SessionState`, are now apart).
            joined = re.sub(r"\s+", "", index[page])
            missing = {w for w in _words(text) - _words(index[page]) if w not in joined}
            assert not missing, (page, sorted(missing)[:10])
    result = rf.result()
    for q in result.board.queues:
        for m in q.messages:
            slug = "all" if q.recipient == "all" else q.recipient
            text = " ".join(v for k, v in index.items() if k.startswith(f"inboxes/{slug}/"))
            for field in (m.sender, m.type, m.status):
                if field:
                    assert field in text, (m.id, field)
            body = re.sub(r"[^A-Za-z0-9 ]", " ", m.body)
            for word in list(_words(body))[:20]:
                assert word in text, (m.id, word)
    lint = index["lint/index.html"]
    for f in result.findings:
        assert f.rule in lint and f.path in lint, f


def test_search_indexes_the_text_before_the_html_goes_in(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    from generator.render.site import hold_back_html

    result = rf.result()
    held, plugin = hold_back_html(build_pages(result))
    config = load_config(str(write_project(result, held, tmp_path, tmp_path / "out")))
    plugin.install(config)
    handlers = config.plugins.events["page_context"]
    search = config.plugins["material/search"]
    # Material's search indexes page.content in its on_page_context: the blocks' text goes in
    # before it, their HTML after it.
    at = handlers.index(search.on_page_context)
    assert handlers.index(plugin.put_search_text) < at < handlers.index(plugin.put_html)
    config.plugins.on_shutdown()
