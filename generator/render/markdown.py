"""Safe rendering of board markdown: board text is data, never markup.

Message bodies, scoreboard prose and rule docs go through markdown-it-py with raw HTML off (it
shows escaped), link and image schemes filtered, and every link marked `rel="nofollow noopener"`.
An image becomes a link to it (its alt text and address), never an `<img>`: a page loads nothing
from a third party, so a tracking pixel in a message sees no reader. A block markdown-it cannot
render whole (nested past its limit, or too large: generator/markdown_limits.py, which the lint's
markdown-not-rendered rule calls too) is shown as its raw text, escaped, so nothing written is lost.
The output is meant to sit inside a raw HTML block of a Python-Markdown page, so characters that
Python-Markdown's preprocessors would still act on there (code fences) are written as entities.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup, escape

from generator.markdown_limits import (
    MAX_BLOCK_LINES,
    Unrendered,
    check_tokens,
    parser,
    too_large,
    top_level_blocks,
)

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
REL = "nofollow noopener"
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)
# Python-Markdown's fence preprocessor (pymdownx.superfences) runs before raw HTML blocks are
# stashed, so a line starting with ``` or ~~~ inside our HTML would be turned into a code block.
_FENCE_CHARS = str.maketrans({"`": "&#96;", "~": "&#126;"})
_LINE_HASH = re.compile(r"^([ \t]*)#", re.M)
_NEEDS_ESCAPE = re.compile(r"[&<>\"'`~#]")
_NEWLINE = re.compile(r"\r\n?|\n")  # markdown-it's own line split, so its line numbers match
# Plain prose: letters, digits, spaces and punctuation no markdown rule acts on (no emphasis,
# code, link, entity or escape character), every line empty or starting with a letter (so no
# list, heading, quote, code block or table starts), none ending in a space (no hard break).
# markdown-it renders it as its paragraphs, as written: `render_markdown` writes those itself,
# since much of what a board says is prose like this and parsing it costs.
_PROSE = re.compile(r"[\w \n,.;:?!'\"()/%@$+=\-—–…‘’“”]*")
_NOT_PROSE_LINE = re.compile(r"^(?![^\W\d_]|$)| $", re.M)
_BLANK_LINES = re.compile(r"\n\n+")


def url_allowed(url: str) -> bool:
    """True for http(s), mailto, and scheme-less (relative, anchor) URLs; False for the rest."""
    # Browsers ignore leading C0 controls and spaces and drop tabs/newlines anywhere, so test the
    # URL the way a browser would read it, not as written.
    cleaned = re.sub(r"[\t\n\r]", "", url).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08 \x0b\x0c")
    m = _SCHEME.match(cleaned)
    if m is None:
        # `//host/path` is protocol-relative: it stays on http(s), which is fine.
        return True
    return m.group(1).lower() in ALLOWED_SCHEMES


class _SafeMarkdownIt(MarkdownIt):
    """markdown-it with our scheme allow-list instead of its own deny-list."""

    def validateLink(self, url: str) -> bool:
        return url_allowed(url)


def _link_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    tokens[idx].attrSet("rel", REL)
    return self.renderToken(tokens, idx, options, env)


def _image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """A link to the image, never the image: showing it would make every reader's browser ask
    the image's host for it."""
    token = tokens[idx]
    src = escapeHtml(str(token.attrGet("src") or ""))
    alt = escapeHtml(self.renderInlineAsText(token.children or [], options, env))
    title = token.attrGet("title")
    tip = f' title="{escapeHtml(str(title))}"' if title else ""
    text = (
        f'image: {alt}</a> <span class="sb-img__url">({src})</span>' if alt else f"image: {src}</a>"
    )
    return f'<a class="sb-img" href="{src}" rel="{REL}"{tip}>{text}'


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = parser(_SafeMarkdownIt)
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("image", _image)
    return md


def fence_safe(html: str) -> str:
    """Write backticks and tildes as entities so no Python-Markdown fence can start in `html`,
    and a `#` opening a line (a queue heading quoted in a code block) so no heading can either."""
    return _LINE_HASH.sub(r"\1&#35;", html.translate(_FENCE_CHARS))


def render_markdown(text: str, heading_offset: int = 0) -> Markup:
    """Board markdown as safe HTML (a Markup, so Jinja's autoescape leaves it alone).

    `heading_offset` demotes headings (`#` becomes `h2` with 1) so board prose placed inside a
    page never competes with the page's own title.
    """
    if not text.strip():
        return Markup("")
    whole = too_large(text)
    if whole is not None:  # not even parsed: time and memory stay bounded
        return Markup(_raw_block(_NEWLINE.split(text), whole))
    prose = _prose(text)
    if prose is not None:
        return Markup(prose)
    md = _parser()
    tokens = md.parse(text)
    if heading_offset:
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{min(6, int(token.tag[1:]) + heading_offset)}"
    unrendered = check_tokens(tokens)
    if not unrendered:
        return Markup(fence_safe(md.renderer.render(tokens, md.options, {})))
    raw = {u.start: u for u in unrendered}
    lines = _NEWLINE.split(text)
    parts: list[str] = []
    for i, j in top_level_blocks(tokens):
        first = tokens[i].map
        u = raw.get(first[0]) if first is not None else None
        if u is None:
            parts.append(fence_safe(md.renderer.render(tokens[i:j], md.options, {})))
        else:
            parts.append(_raw_block(lines, u))
    return Markup("".join(parts))


def _prose(text: str) -> str | None:
    """The HTML markdown-it renders for plain prose (see `_PROSE`), or None for other text."""
    if (
        "_" in text  # a word character for `\w`, but emphasis for markdown
        or text.count("\n") >= MAX_BLOCK_LINES  # a paragraph that long is shown raw
        or not _PROSE.fullmatch(text)
        or _NOT_PROSE_LINE.search(text)
    ):
        return None
    paragraphs = _BLANK_LINES.split(text.strip("\n").replace('"', "&quot;"))
    return "".join(f"<p>{p}</p>\n" for p in paragraphs)


def _raw_block(lines: list[str], u: Unrendered) -> str:
    """Lines the renderer could not render whole, as written, escaped, with the reason."""
    text = "\n".join(lines[u.start : u.end])
    return (
        '<div class="sb-unrendered">'
        f'<p class="sb-unrendered__why">Shown as written: {escape(u.reason)}.</p>'
        f'<pre class="sb-unrendered__text">{fence_safe(str(escape(text)))}</pre></div>\n'
    )


def render_inline(text: str) -> Markup:
    """One line of board markdown (emphasis, code, links) without the wrapping paragraph."""
    if not text.strip():
        return Markup("")
    return Markup(fence_safe(_parser().renderInline(text)))


def print_text(value: Any) -> str:
    """`escape_text`, as the page templates print a value: a Markup as it is, any other value
    escaped, but as the plain string when escaping would change nothing (no Markup to build).
    The result is safe HTML either way: only for output, not to be escaped again."""
    if type(value) is str:  # the most common case by far
        text = value
    elif isinstance(value, Markup):
        return value
    else:
        text = str(value)
    if not _NEEDS_ESCAPE.search(text):
        return text
    return Markup(fence_safe(str(escape(text))))


def escape_text(value: Any) -> Markup:
    """HTML-escape a plain value for a raw HTML block (fences neutralised too)."""
    if isinstance(value, Markup):
        return value
    text = str(value)
    if not _NEEDS_ESCAPE.search(text):
        return Markup(text)  # most values (ids, times, states) have nothing to escape
    return Markup(fence_safe(str(escape(text))))
