"""Board markdown renders safely: no raw HTML, no dangerous link schemes, no fences for mkdocs."""

from __future__ import annotations

import pytest

from generator.render.markdown import escape_text, render_inline, render_markdown, url_allowed


def test_script_tags_are_shown_escaped() -> None:
    html = render_markdown("hello <script>alert(1)</script> world")
    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_raw_html_blocks_are_text() -> None:
    html = render_markdown('<div onclick="alert(1)">x</div>\n\n<img src=x onerror=alert(1)>\n')
    assert "<div" not in html and "<img" not in html
    assert "&lt;div onclick=" in html


@pytest.mark.parametrize(
    "link",
    [
        "[a](javascript:alert(1))",
        "[a](JaVaScRiPt:alert(1))",
        "[a](&#106;avascript:alert(1))",
        "[a](vbscript:msgbox(1))",
        "[a](file:///etc/passwd)",
        "[a](data:text/html;base64,PHNjcmlwdD4=)",
        "<javascript:alert(1)>",
        "[a][r]\n\n[r]: javascript:alert(1)",
    ],
)
def test_dangerous_link_schemes_are_dropped(link: str) -> None:
    html = render_markdown(link).lower()
    assert "href=" not in html
    for scheme in ("javascript:", "vbscript:", "file:", "data:"):
        assert f'href="{scheme}' not in html


@pytest.mark.parametrize("image", ["![p](data:image/png;base64,AAAA)", "![p](javascript:x)"])
def test_dangerous_image_sources_are_dropped(image: str) -> None:
    assert "<img" not in render_markdown(image)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://example.com/x", True),
        ("http://example.com", True),
        ("mailto:a@example.com", True),
        ("../docs/x.md#y", True),
        ("#anchor", True),
        ("//example.com/x", True),
        ("java\tscript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("\x01javascript:alert(1)", False),
        ("DATA:image/png;base64,AA", False),
        ("ftp://example.com", False),
    ],
)
def test_url_allow_list(url: str, allowed: bool) -> None:
    assert url_allowed(url) is allowed


def test_links_get_rel_nofollow_noopener() -> None:
    html = render_markdown("[site](https://example.com) and <https://example.org>")
    assert html.count('rel="nofollow noopener"') == 2


def test_no_linkify_and_tables_and_strikethrough() -> None:
    html = render_markdown("see example.com\n\n| a | b |\n|---|---|\n| ~~x~~ | y |\n")
    assert "<a" not in html
    assert "<table>" in html and "<s>x</s>" in html


def test_fence_characters_cannot_reach_python_markdown() -> None:
    html = render_markdown("````\n```\n~~~\n````\n\nuse `code` here ~x~")
    assert "`" not in html and "~" not in html
    assert "&#96;&#96;&#96;" in html


def test_heading_offset_demotes_board_headings() -> None:
    assert "<h3>" in render_markdown("# Title", heading_offset=2)
    assert "<h6>" in render_markdown("##### Deep", heading_offset=3)


def test_inline_and_plain_text() -> None:
    assert render_inline("**b** <i>") == "<strong>b</strong> &lt;i&gt;"
    assert escape_text("<b>`x`</b>") == "&lt;b&gt;&#96;x&#96;&lt;/b&gt;"
    assert render_markdown("   ") == ""
