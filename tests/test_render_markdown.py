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


# --- the plain-prose fast path gives what markdown-it gives ------------------------------------

_WORDS = [
    "word",
    "Mixed",
    "a",
    "I",
    "x1",
    "e.g.",
    "1.",
    "2)",
    "(a)",
    '"q"',
    "it's",
    "a+b=c",
    "-",
    "--",
    "100%",
    "$5",
    "user@host",
    "http://a.b/c",
    "a/b/c",
    "A.",
    "ok!",
    "?",
    "…",
    "—",
    "_x_",
    "*y*",
    "`z`",
    "#",
    "> q",
    "~~s~~",
    "[l](u)",
    "&amp;",
    "<b>",
    "a|b",
    "é",
    "жук",
    "ǅ",
    "²",
    "ⅷ",
]
_CHARS = list("abcXYZ019 ,.;:?!'\"()/%@$+=-—–…‘’“”éßжǅⅷ²_*#`~<>&|\\\t")


def _samples(n: int, seed: int) -> list[str]:
    """Prose-like texts, most of them plain prose, some with one markdown character or a line
    that starts a block (a list item, a heading, a quote) or ends in spaces."""
    import random

    rng = random.Random(seed)
    out = []
    for _ in range(n):
        lines = []
        for _ in range(rng.randint(1, 6)):
            if rng.random() < 0.2:
                lines.append(rng.choice(["", " ", "   "]))
                continue
            words = [
                rng.choice(_WORDS)
                if rng.random() < 0.7
                else "".join(rng.choice(_CHARS) for _ in range(rng.randint(1, 5)))
                for _ in range(rng.randint(1, 6))
            ]
            lines.append(" ".join(words) + rng.choice(["", "", "", " ", "  "]))
        out.append("\n".join(lines) + rng.choice(["", "\n", "\n\n"]))
    return out


def test_the_prose_fast_path_renders_as_markdown_it_does(monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.render.markdown as md

    texts = [*_samples(8000, seed=11), "", "\n", "One line.", "Two\nlines.", "A.\n\nB, c."]
    taken = sum(md._prose(t) is not None for t in texts)
    assert taken > 150  # the samples do reach the fast path
    fast = [str(md.render_markdown(t)) for t in texts]
    monkeypatch.setattr(md, "_prose", lambda text: None)
    for text, html in zip(texts, fast, strict=True):
        assert html == str(md.render_markdown(text)), text


def test_printed_values_are_escaped_as_the_stock_finalize_escapes_them() -> None:
    """The pages' code generator prints `finalize(value)` without Jinja's second escape: the
    output is what a stock autoescaping environment with `escape_text` gives."""
    import jinja2
    from markupsafe import Markup

    from generator.render.pages.templating import environment

    source = (
        "{{ a }}|{{ b }}|{{ c }}|{{ d }}|{{ e }}|{% for x in f %}{{ x }},{% endfor %}"
        "{% autoescape false %}{{ a }}{% endautoescape %}|{{ a ~ b }}|{{ none }}"
    )
    values = {
        "a": "<script>x</script> & 'q' \"d\" `f` ~t~ #h",
        "b": Markup("<em>kept</em>"),
        "c": 42,
        "d": "plain words",
        "e": "line\n# heading?",
        "f": ["<i>", 1.5, Markup("<b>"), "```"],
    }
    ours = environment().from_string(source).render(**values)
    stock = jinja2.Environment(
        autoescape=True, finalize=escape_text, undefined=jinja2.StrictUndefined
    )
    assert ours == stock.from_string(source).render(**values)
