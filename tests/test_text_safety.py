"""Everything from config or board is text, and nothing written is lost.

Hostile configuration (title, names pool, URLs) and board text reach the built site escaped, never
as markup, in the pages, the generated mkdocs.yml and the search index; images in board markdown
are links, never loaded; markdown nested past markdown-it's limit or too large to render is shown
as its raw text and reported (markdown-not-rendered), so every word of it is on the page and in
search. The browser half of these checks is in tests/test_browser.py.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from generator import markdown_limits
from generator.cli import main
from generator.markdown_limits import (
    MAX_BLOCK_LINES,
    MAX_NESTING,
    MAX_TEXT_CHARS,
    check,
    check_tokens,
    parser,
)
from generator.render.markdown import render_inline, render_markdown
from tests.conftest import GitRepo

NOW_ARG = "2026-06-05T12:00Z"
AT = datetime(2026, 6, 5, 9, 0, tzinfo=UTC)
QUEUE = "docs/ai/sessions/queue/to-sA.md"
# Markup, template syntax, YAML and TOML breakers and a newline: each must come out as text.
# `sbevil` is an element no page ever has: finding one means the text became markup.
PAYLOAD = (
    '<script>window.sbPwned=1;alert(1)</script>"><img src=x onerror="window.sbPwned=2">'
    "<sbevil>x</sbevil>{{ 7*7 }}{% if true %}jinja{% endif %}': - [yaml] # c\n&amp; ${x} `t`"
)
TITLE = "Board " + PAYLOAD
NAME = "Nm" + PAYLOAD
HOSTILE_URL = 'https://github.com/acme/po"><sbevil>x</sbevil><script>alert(3)</script>'
IMAGE_URL = "https://tracker.example/pixel.gif"

# Nesting shapes, each `f(depth, word)` giving markdown whose words are `word(i)`.
SHAPES: dict[str, Callable[[int, Callable[[int], str]], str]] = {
    "list": lambda d, w: "".join("  " * i + f"- {w(i)}\n" for i in range(d)),
    "ordered": lambda d, w: "".join("   " * i + f"1. {w(i)}\n" for i in range(d)),
    "quote": lambda d, w: "".join(">" * (i + 1) + f" {w(i)}\n" for i in range(d)),
    "mixed": lambda d, w: "".join(
        "> " * (i // 2 + 1) + ("- " if i % 2 else "") + f"{w(i)}\n" for i in range(d)
    ),
    "oneline": lambda d, w: "> - " * (d // 2) + f"{w(0)}\n",
}
DEPTHS = range(1, 61)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\bz[a-z]+\d+x\d+\b", text))


def _plain(page_html: str) -> str:
    """What a reader sees of some HTML: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page_html))


def _sample(shape: str, depth: int) -> str:
    tag = "z" + shape + str(depth)
    body = SHAPES[shape](depth, lambda i: f"{tag}x{i}")
    return f"Before {tag}x900.\n\n{body}\nAfter {tag}x901, the rest of the message.\n"


# --- the renderer and the check, without a site ---------------------------------------------------


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_word_survives_any_nesting(shape: str) -> None:
    plain_parser = MarkdownIt("commonmark")
    lost_somewhere = False
    for depth in DEPTHS:
        text = _sample(shape, depth)
        shown = _plain(render_markdown(text))
        assert _words(text) <= _words(shown), (shape, depth, _words(text) - _words(shown))
        # The check flags exactly the texts markdown-it alone would lose words of.
        lost = bool(_words(text) - _words(_plain(plain_parser.render(text))))
        lost_somewhere |= lost
        assert bool(check(text)) == lost, (shape, depth)
        assert ('class="sb-unrendered"' in render_markdown(text)) == lost
    assert lost_somewhere, "the sweep never reached markdown-it's limit: it tests nothing"


def test_the_limit_is_markdown_its_own() -> None:
    # Ten list levels or twenty quote levels are where markdown-it starts dropping text.
    assert MarkdownIt("commonmark").options["maxNesting"] == MAX_NESTING
    assert not check(SHAPES["list"](9, str)) and check(SHAPES["list"](10, str))
    assert not check(SHAPES["quote"](19, str)) and check(SHAPES["quote"](20, str))


# Line prefixes of containers and indentation, in every combination: `check` skips the parse when
# no line starts deep enough; it must never skip one the parse would flag.
_PIECES = st.sampled_from(["> ", ">", "- ", "-", "* ", "1. ", "2) ", "  ", "    ", "\t", "x "])
_LINES = st.lists(st.lists(_PIECES, max_size=30).map("".join), min_size=1, max_size=12)


@settings(max_examples=400, deadline=None)
@given(_LINES)
def test_the_quick_check_never_misses_a_deep_block(lines: list[str]) -> None:
    text = "\n".join(line + "w" for line in lines) + "\n\nafter\n"
    assert bool(check(text)) == bool(check_tokens(parser().parse(text)))


def test_only_the_deep_block_is_raw_the_rest_renders() -> None:
    text = (
        "# Title\n\n**bold** intro\n\n" + SHAPES["quote"](25, lambda i: f"q{i}") + "\nTail *em*\n"
    )
    out = render_markdown(text)
    assert "<h1>Title</h1>" in out and "<strong>bold</strong>" in out and "<em>em</em>" in out
    raw = re.search(r'<pre class="sb-unrendered__text">(.*?)</pre>', out, re.S)
    assert raw is not None
    assert html.unescape(raw.group(1)).startswith("> q0\n>> q1\n")
    assert check(text)[0].start == 4


@pytest.mark.parametrize(
    ("rows", "raw"),
    [(10, False), (MAX_BLOCK_LINES - 2, False), (MAX_BLOCK_LINES, True), (24000, True)],
)
def test_large_tables_are_raw_text_and_keep_every_cell(rows: int, raw: bool) -> None:
    table = "| id | name |\n|---|---|\n" + "".join(f"| {i} | zcell{i}x{i} |\n" for i in range(rows))
    text = f"Export:\n\n{table}\nzafter1x1\n"
    out = render_markdown(text)
    assert ("<table>" in out) is not raw
    assert ('class="sb-unrendered"' in out) is raw
    assert bool(check(text)) is raw
    assert _words(text) <= _words(_plain(out))


def test_huge_text_is_not_parsed_but_shown_whole() -> None:
    text = "".join(f"zpara{i}x{i} with *emphasis*\n\n" for i in range(MAX_TEXT_CHARS // 20))
    assert len(text) > MAX_TEXT_CHARS
    found = check(text)
    assert len(found) == 1 and found[0].start == 0 and "characters" in found[0].reason
    out = render_markdown(text)
    assert "<em>" not in out and out.count('class="sb-unrendered"') == 1
    assert _words(text) <= _words(_plain(out))


def test_the_check_and_the_renderer_share_one_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "| a |\n|---|\n" + "| 1 |\n" * 40
    assert not check(text) and "<table>" in render_markdown(text)
    monkeypatch.setattr(markdown_limits, "MAX_BLOCK_LINES", 20)
    assert check(text) and "<table>" not in render_markdown(text)


def test_images_are_links_never_loaded() -> None:
    out = render_markdown(f'See ![a *pixel*]({IMAGE_URL} "tip") and ![](/local.png).')
    assert "<img" not in out
    assert f'<a class="sb-img" href="{IMAGE_URL}" rel="nofollow noopener" title="tip">' in out
    assert "image: a pixel" in _plain(out) and IMAGE_URL in _plain(out)
    assert 'href="/local.png"' in out and "image: /local.png" in out
    assert "<img" not in render_inline(f"![x]({IMAGE_URL})")
    hostile = render_markdown('![<sbevil>"](https://x.example/a"b.png "t\\"<sbevil>")')
    assert "<sbevil" not in hostile and "<img" not in hostile


# --- a whole site built from a hostile configuration and board ------------------------------------


def _toml(value: str) -> str:
    return json.dumps(value)  # a JSON string is a TOML basic string


def write_hostile_board(repo: GitRepo, *, samples: bool = True) -> None:
    """A board whose configuration and text try every way into the pages; commits it."""
    repo.write(
        "statusboard.toml",
        f'names = [{_toml(NAME)}, "Porto"]\n'
        'project_tag = "po"\n\n'
        "[site]\n"
        f"title = {_toml(TITLE)}\n"
        f"repo_url = {_toml(HOSTILE_URL)}\n"
        f"site_url = {_toml(HOSTILE_URL)}\n"
        "recent_per_inbox = 400\n",
    )
    repo.write(
        "docs/ai/sessions/active.md",
        "| Session | Task | Worktree | Claimed | Presence | Scope |\n"
        "|---|---|---|---|---|---|\n"
        f"| sA · Porto | {PAYLOAD.replace(chr(10), ' ')} ![p]({IMAGE_URL}) | `session-sA` → "
        "direct-to-main, `[sA]` | 2026-06-05T08:00Z | 2026-06-05T11:50Z · a1b2c3d | `web/**` |\n",
    )
    blocks = [
        "## 2026-06-05T09:00Z · from:sB · to:sA · type:info · status:sent\n\n"
        f"{PAYLOAD}\n\nA pixel: ![zpixel1x1]({IMAGE_URL})\n"
    ]
    if samples:
        minute = 0
        for shape in sorted(SHAPES):
            for depth in DEPTHS:
                minute += 1
                stamp = f"2026-06-05T{minute // 60:02d}:{minute % 60:02d}Z"
                blocks.append(
                    f"## {stamp} · from:sB · to:sA · type:info · status:sent\n\n"
                    + _sample(shape, depth)
                )
        table = "".join(f"| {i} | ztable{i}x{i} |\n" for i in range(MAX_BLOCK_LINES + 5))
        blocks.append(
            "## 2026-06-05T11:59Z · from:sB · to:sA · type:info · status:sent\n\n"
            f"| n | cell |\n|---|---|\n{table}\nzaftertable1x1\n"
        )
    repo.write(QUEUE, "# Queue of sA\n\n" + "\n".join(blocks))
    repo.commit("[sB] hostile board", at=AT, author="sB")


class _Elements(HTMLParser):
    """Every element of a page, with its attributes, and the text of its <title>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def _elements(page: Path) -> _Elements:
    parser = _Elements()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(repository, site, exported mkdocs project) of the hostile board."""
    root = tmp_path_factory.mktemp("hostile")
    (root / "repo").mkdir()
    repo = GitRepo(root / "repo")
    write_hostile_board(repo)
    site, project = root / "site", root / "project"
    args = ["-o", str(site), "--now", NOW_ARG, "--mkdocs-project", str(project)]
    code = main(["build", str(repo.root), *args, "--fail-on", "never"])
    assert code == 0
    return repo.root, site, project


def test_no_page_has_an_injected_element_or_handler(hostile: tuple[Path, Path, Path]) -> None:
    _, site, _ = hostile
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        for tag, attrs in _elements(page).elements:
            where = f"{page.relative_to(site)}: <{tag} {attrs}>"
            assert tag != "sbevil", where
            assert not any(name.startswith("on") for name in attrs), where
            for name in ("href", "src", "action"):  # (as the browser reads them: decoded)
                assert not (attrs.get(name) or "").lower().startswith("javascript:"), where
            if tag == "img":
                assert not re.match(r"(https?:)?//", attrs.get("src") or ""), where
        text = page.read_text(encoding="utf-8")
        assert "<script>window.sbPwned" not in text and "<sbevil" not in text, page


def test_the_title_is_shown_as_written(hostile: tuple[Path, Path, Path]) -> None:
    _, site, _ = hostile
    index = _elements(site / "index.html")
    assert TITLE in index.title, index.title
    assert TITLE.split("\n")[0] in _plain((site / "index.html").read_text(encoding="utf-8"))


def test_the_mkdocs_yml_carries_the_title_as_escaped_text(
    hostile: tuple[Path, Path, Path],
) -> None:
    from mkdocs.utils.yaml import yaml_load

    _, _, project = hostile
    config: dict[str, Any] = yaml_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    assert html.unescape(config["site_name"]) == TITLE
    assert "<" not in config["site_name"] and '"' not in config["site_name"]
    assert "repo_url" not in config  # Material's widget would call the code host's API
    link = config["extra"]["social"][0]["link"]
    assert link.startswith("https://github.com/acme/po%22%3E%3Csbevil%3E")
    assert '"' not in config["site_url"] and "<" not in config["site_url"]


def test_no_page_loads_the_message_image(hostile: tuple[Path, Path, Path]) -> None:
    _, site, _ = hostile
    inbox = (site / "inboxes" / "sA.html").read_text(encoding="utf-8")
    assert f'href="{IMAGE_URL}"' in inbox and "image: zpixel1x1" in inbox
    scoreboard = (site / "scoreboard.html").read_text(encoding="utf-8")
    assert f'href="{IMAGE_URL}"' in scoreboard
    for page in site.rglob("*.html"):
        assert f'src="{IMAGE_URL}"' not in page.read_text(encoding="utf-8"), page


def test_every_word_is_on_the_page_and_in_search(hostile: tuple[Path, Path, Path]) -> None:
    repo, site, _ = hostile
    written = _words((repo / QUEUE).read_text(encoding="utf-8"))
    assert len(written) > 3000
    page = _words(_plain((site / "inboxes" / "sA.html").read_text(encoding="utf-8")))
    assert written - page == set()
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    searchable = _words(
        " ".join(html.unescape(d["text"]) for d in index["docs"] if "inboxes/sA" in d["location"])
    )
    assert written - searchable == set()


def test_every_raw_block_is_a_finding(hostile: tuple[Path, Path, Path]) -> None:
    repo, site, _ = hostile
    lint = json.loads((site / "lint.json").read_text(encoding="utf-8"))
    found = [f for f in lint if f["rule"] == "markdown-not-rendered"]
    expected = 1  # the table
    text = (repo / QUEUE).read_text(encoding="utf-8")
    for shape in SHAPES:
        expected += sum(bool(check(_sample(shape, d))) for d in DEPTHS)
    assert len(found) == expected
    lines = text.split("\n")
    for f in found:
        assert f["path"] == QUEUE and f["severity"] == "warning"
        first = lines[f["line"] - 1]
        assert first.lstrip().startswith((">", "-", "1.", "|")), (f, first)
    page = (site / "inboxes" / "sA.html").read_text(encoding="utf-8")
    assert page.count('class="sb-unrendered"') == expected
