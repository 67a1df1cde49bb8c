"""Board HTML kept out of mkdocs: pages go in as small markdown, their HTML is put back after.

A generated page is markdown headings around `<div class="sb-page">` blocks of finished HTML.
Python-Markdown (the raw-HTML preprocessor, `md_in_html`) and the search plugin would each parse
that HTML in pure Python, which on a large board was nearly the whole build. So each block goes to
mkdocs as an HTML comment (which Python-Markdown passes through as it is), the search plugin
indexes the block's text (its tags removed, a cheap regex), and the block itself replaces the
comment before the theme renders the page. Headings, anchors and the table of contents come from
the markdown around the blocks, which mkdocs still converts, so they are unchanged.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.pages import Page

# A block starts at a line of its own (as Python-Markdown needs it to be a raw HTML block).
_BLOCK = re.compile(r'^<div class="sb-page[" ]', re.M)
_DIV = re.compile(r"<(/?)div\b")
# Inline tags go without a trace (`docs/<wbr>ai/` is one path, `<code>x</code>.` one word), other
# tags leave a space; a heading with an `id` stays, since the search plugins start a section there.
_INLINE = re.compile(
    r"</?(?:a|abbr|b|code|em|i|kbd|mark|s|small|span|strong|sub|sup|time|wbr)\b[^>]*>"
)
_TAG = re.compile(r"<(?!(?:h[1-6]\b[^>]*\bid=|/h[1-6]>))[^>]*>")
PLUGIN_NAME = "statusboard-fragments"

# (page, its blocks, the text of one block) -> the text of each block
SearchText = Callable[[str, list[str], Callable[[str], str]], list[str]]


def placeholder(token: str, n: int) -> str:
    """The HTML comment standing for block `n` of a page."""
    return f"<!-- sbfrag {token} {n} -->"


def split_page(text: str, token: str) -> tuple[str, list[str]]:
    """The page with each top-level `sb-page` block replaced by its placeholder, and the blocks.

    Board text in the blocks is escaped, so every `<div` in them is the templates' own and the
    nesting count finds each block's end. A block whose end is not found stays in the page.
    """
    out: list[str] = []
    blocks: list[str] = []
    pos = 0
    while (m := _BLOCK.search(text, pos)) is not None:
        end = _block_end(text, m.start())
        if end is None:
            break
        out += [text[pos : m.start()], placeholder(token, len(blocks))]
        blocks.append(text[m.start() : end])
        pos = end
    out.append(text[pos:])
    return "".join(out), blocks


def _block_end(text: str, start: int) -> int | None:
    depth = 0
    for m in _DIV.finditer(text, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            newline = text.find("\n", m.end())
            return len(text) if newline < 0 else newline
    return None


def _search_texts(page: str, blocks: list[str], make: Callable[[str], str]) -> list[str]:
    return [make(b) for b in blocks]


def search_text(html: str) -> str:
    """The text of a block for the search index: tags (but headings with an id) removed.

    Character references stay: the search plugin's parser decodes them as it did in the HTML.
    """
    # Each run of white space one space (`str.split` and `\s` agree on what white space is):
    # twice as fast as a regex substitution, which matches every single space.
    return " ".join(_TAG.sub(" ", _INLINE.sub("", html)).split())


def fill(html: str, token: str, blocks: list[str]) -> str:
    """`html` with each placeholder of `token` replaced by its block."""
    pattern = re.compile(rf"<!-- sbfrag {re.escape(token)} (\d+) -->")
    return pattern.sub(lambda m: blocks[int(m.group(1))], html)


def hold_back(
    pages: Mapping[str, str], generated: Callable[[str], bool]
) -> tuple[dict[str, str], Fill]:
    """The pages as mkdocs gets them, and the plugin that puts the held-back HTML in again.

    Only pages for which `generated(path)` is true are split: the shipped docs are real markdown
    (where a `<div class="sb-page">` could be an example in a code block) and go in as they are.
    """
    holder = Holder(generated)
    return {path: holder.hold(path, text) for path, text in pages.items()}, holder.fill()


# With a folder, how much held HTML (UTF-8 bytes) stays in memory before the rest goes to files:
# a 5,000-message board's whole site. Writing it to files cost that board's rebuild 0.07-0.11 s
# of CPU on a disk-backed /tmp, and a 20,000-message board (60 MB of HTML) stays within its memory
# target with this much held.
IN_MEMORY = 20_000_000


class Holder:
    """Holds back the HTML of pages one at a time, as they are built: in memory, or with a
    `folder` in memory up to `in_memory` bytes and then in a file per page there (a large board's
    pages are hundreds of megabytes; on disk they are read back one page at a time while mkdocs
    builds it)."""

    def __init__(
        self,
        generated: Callable[[str], bool],
        folder: Path | None = None,
        in_memory: int = IN_MEMORY,
    ) -> None:
        self.generated = generated
        self.folder = folder
        self.token = secrets.token_hex(8)  # never in the output: the site stays byte-identical
        self.blocks: dict[str, list[str] | bytes | Path] = {}
        self.room = in_memory  # bytes left for held pages in memory

    def hold(self, path: str, text: str) -> str:
        """The page as mkdocs gets it; its blocks are kept for `fill()`."""
        if not self.generated(path):
            return text
        held, page_blocks = split_page(text, self.token)
        if page_blocks:
            if self.folder is None:
                self.blocks[path] = page_blocks
            else:
                # Packed as UTF-8, a page takes a half or a quarter of its blocks' memory as str.
                packed = _pack(page_blocks)
                if len(packed) <= self.room:
                    self.room -= len(packed)
                    self.blocks[path] = packed
                else:
                    self.blocks[path] = _write_blocks(self.folder, len(self.blocks), packed)
        return held

    def fill(
        self,
        *,
        release: bool = False,
        templates: jinja2.BytecodeCache | None = None,
        search: SearchText | None = None,
    ) -> Fill:
        """The plugin that puts the blocks held so far in again (`release`, `templates`,
        `search`: see `Fill`)."""
        return Fill(self.token, self.blocks, release=release, templates=templates, search=search)


def _pack(blocks: list[str]) -> bytes:
    # One line of lengths, then the blocks: nothing to escape, nothing to search for.
    head = " ".join(str(len(b)) for b in blocks)
    return (head + "\n" + "".join(blocks)).encode("utf-8")


def _write_blocks(folder: Path, n: int, packed: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{n}.html"
    path.write_bytes(packed)
    return path


def _unpack(held: bytes | Path) -> list[str]:
    data = held.read_bytes() if isinstance(held, Path) else held
    head, _, body = data.decode("utf-8").partition("\n")
    blocks: list[str] = []
    at = 0
    for size in map(int, head.split()):
        blocks.append(body[at : at + size])
        at += size
    return blocks


class Fill(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """A plugin object for one build: search sees each block's text, the page its HTML.

    Between mkdocs' conversion of every page and the rendering of each, a page holds only its
    converted markdown with placeholders: the blocks' text goes in just before the search plugin
    indexes the page, their HTML just after. With `release`, a page's HTML is let go once the page
    is written (mkdocs keeps every page object to the end of the build). With `templates` (a
    Jinja2 bytecode cache), the theme's templates are compiled once, not on every build; with
    `search(page, blocks, search_text)`, the blocks' text comes from there (a cache).
    """

    def __init__(
        self,
        token: str,
        blocks: Mapping[str, list[str] | bytes | Path],
        *,
        release: bool = False,
        templates: jinja2.BytecodeCache | None = None,
        search: SearchText | None = None,
    ) -> None:
        self.token = token
        self.blocks = dict(blocks)
        self.release = release
        self.templates = templates
        self.search = search or _search_texts
        self._converted: dict[str, tuple[str, list[str]]] = {}
        self._filled: set[str] = set()

    def install(self, config: MkDocsConfig) -> None:
        """Register on a loaded config (after `load_config`, before `build`)."""
        config.plugins[PLUGIN_NAME] = self

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Any
    ) -> jinja2.Environment | None:
        # mkdocs makes the theme's environment anew on every build, and compiling Material's
        # templates is a fixed 0.1-0.2 s of each; Jinja2 checks each cached one against its source.
        if self.templates is not None:
            env.bytecode_cache = self.templates
        return env

    # Before every other plugin's on_page_context: the search plugin indexes the text.
    @event_priority(100)
    def put_search_text(self, context: Any, /, *, page: Page, **kwargs: Any) -> Any:
        held = self.blocks.pop(page.file.src_uri, None)
        if held is None or page.content is None:
            return context
        blocks = held if isinstance(held, list) else _unpack(held)
        self._converted[page.file.src_uri] = (page.content, blocks)
        texts = self.search(page.file.src_uri, blocks, search_text)
        page.content = fill(page.content, self.token, texts)
        return context

    # After every other plugin's on_page_context, the search plugin's (which indexes the text).
    @event_priority(-100)
    def put_html(self, context: Any, /, *, page: Page, **kwargs: Any) -> Any:
        converted = self._converted.pop(page.file.src_uri, None)
        if converted is not None:
            page.content = fill(converted[0], self.token, converted[1])
            self._filled.add(page.file.src_uri)
        return context

    on_page_context = CombinedEvent(put_search_text, put_html)

    @event_priority(-100)
    def on_post_page(self, output: str, /, *, page: Page, **kwargs: Any) -> str | None:
        if self.release and page.file.src_uri in self._filled:
            page.content = None
        return output
