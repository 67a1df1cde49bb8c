"""Safe rendering of board markdown: board text is data, never markup.

Message bodies, scoreboard prose and rule docs go through markdown-it-py with raw HTML off (it
shows escaped), link and image schemes filtered, and every link marked `rel="nofollow noopener"`.
The output is meant to sit inside a raw HTML block of a Python-Markdown page, so characters that
Python-Markdown's preprocessors would still act on there (code fences) are written as entities.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup, escape

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
REL = "nofollow noopener"
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)
# Python-Markdown's fence preprocessor (pymdownx.superfences) runs before raw HTML blocks are
# stashed, so a line starting with ``` or ~~~ inside our HTML would be turned into a code block.
_FENCE_CHARS = str.maketrans({"`": "&#96;", "~": "&#126;"})
_LINE_HASH = re.compile(r"^([ \t]*)#", re.M)
_NEEDS_ESCAPE = re.compile(r"[&<>\"'`~#]")


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


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = _SafeMarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.add_render_rule("link_open", _link_open)
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
    md = _parser()
    tokens = md.parse(text)
    if heading_offset:
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{min(6, int(token.tag[1:]) + heading_offset)}"
    return Markup(fence_safe(md.renderer.render(tokens, md.options, {})))


def render_inline(text: str) -> Markup:
    """One line of board markdown (emphasis, code, links) without the wrapping paragraph."""
    if not text.strip():
        return Markup("")
    return Markup(fence_safe(_parser().renderInline(text)))


def escape_text(value: Any) -> Markup:
    """HTML-escape a plain value for a raw HTML block (fences neutralised too)."""
    if isinstance(value, Markup):
        return value
    text = str(value)
    if not _NEEDS_ESCAPE.search(text):
        return Markup(text)  # most values (ids, times, states) have nothing to escape
    return Markup(fence_safe(str(escape(text))))
