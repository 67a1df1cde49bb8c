"""Which blocks of board markdown the site cannot render whole: one check for renderer and lint.

markdown-it-py gives up on a container nested deeper than its `maxNesting` (20 levels in the
CommonMark preset: 20 blockquotes, or 10 list levels since a list and its item count one each) and
silently drops the rest of that container, often the rest of the message. And a very large block
(a table of thousands of rows) costs the site build minutes and gigabytes. The renderer
(generator/render/markdown.py) shows such a block as its raw text instead, and the lint reports it
(rule markdown-not-rendered); both call `check_tokens` on the same token stream shape, so they
always agree. Nothing here renders or writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

# markdown-it's own limit (CommonMark preset); the parser must be built with it (see `parser`).
MAX_NESTING = 20
# A top-level block (a table, a list, a paragraph) longer than this is shown as raw text: a
# table of 24,000 rows otherwise took the build 100 s and 1.9 GB.
MAX_BLOCK_LINES = 1000
# A text larger than this is not parsed at all but shown raw whole (parsing alone is linear but
# slow: about 10 s per megabyte).
MAX_TEXT_CHARS = 250_000
# Tokens that open a container whose content markdown-it parses as blocks again, one level deeper.
_CONTAINERS = frozenset({"blockquote_open", "list_item_open"})
# Every nesting level costs a line at least one column of markers or indentation (a `>`; a list
# and its item, two levels, at least `- `), so text whose lines never start with this many such
# columns cannot reach the limit (a margin of four below it): `check` then skips the parse.
# Sought at the start and after each line break rather than as `^` in multiline mode, which the
# regex engine tries at every character; a literal `\n` it finds fast (the lint checks every body).
_DEEP_RUN = rf"[ >*+\-.)0-9]{{{MAX_NESTING - 4},}}"
_DEEP_FIRST = re.compile(_DEEP_RUN)
_DEEP_LINE = re.compile("\n" + _DEEP_RUN)


@dataclass(frozen=True, slots=True)
class Unrendered:
    """Lines `start` to `end` (0-based, end exclusive) of a text, shown raw because of `reason`."""

    start: int
    end: int
    reason: str


def parser(cls: type[MarkdownIt] = MarkdownIt) -> MarkdownIt:
    """A markdown-it parser as the site renders board text: CommonMark with tables and
    strikethrough, raw HTML off, no linkify or typographer, nesting limited to MAX_NESTING."""
    md = cls("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.options["maxNesting"] = MAX_NESTING
    md.enable(["table", "strikethrough"])
    return md


def line_count(text: str) -> int:
    """The number of lines markdown-it sees in `text` (a final newline ends the last one)."""
    return len(text.splitlines())


def too_large(text: str) -> Unrendered | None:
    """The whole text, when it is too large to parse; else None."""
    if len(text) <= MAX_TEXT_CHARS:
        return None
    return Unrendered(
        0,
        line_count(text),
        f"{len(text):,} characters, over the {MAX_TEXT_CHARS:,} the site renders as markdown",
    )


def top_level_blocks(tokens: Sequence[Token]) -> Iterator[tuple[int, int]]:
    """(first token, end token) of each top-level block of a block token stream, in order."""
    i = 0
    while i < len(tokens):
        j = i + 1
        if tokens[i].nesting == 1:
            # Everything inside is deeper; the block's closing token is back at level 0.
            while j < len(tokens) and tokens[j].level > 0:
                j += 1
            j += 1
        yield i, min(j, len(tokens))
        i = j


def _problem(tokens: Sequence[Token]) -> str | None:
    """Why one top-level block cannot be rendered whole, or None."""
    first = tokens[0]
    if first.map is not None and first.map[1] - first.map[0] > MAX_BLOCK_LINES:
        what = "table" if first.type == "table_open" else "block"
        return (
            f"a {what} of {first.map[1] - first.map[0]:,} lines, over the {MAX_BLOCK_LINES:,} "
            "the site renders as markdown"
        )
    for token in tokens:
        # The container's content is parsed at level + 1; at the limit markdown-it drops it.
        if token.type in _CONTAINERS and token.level + 1 >= MAX_NESTING:
            return f"nested deeper than markdown's limit of {MAX_NESTING} levels"
    return None


def check_tokens(tokens: Sequence[Token]) -> list[Unrendered]:
    """Every top-level block of `tokens` (markdown-it's block stream, parsed with `parser`'s
    options) that must be shown raw."""
    found: list[Unrendered] = []
    for i, j in top_level_blocks(tokens):
        block = tokens[i:j]
        reason = _problem(block)
        if reason is not None and block[0].map is not None:
            found.append(Unrendered(block[0].map[0], block[0].map[1], reason))
    return found


def check(text: str, md: MarkdownIt | None = None) -> list[Unrendered]:
    """Every part of `text` the site shows raw instead of rendered, in order (empty for most)."""
    whole = too_large(text)
    if whole is not None:
        return [whole]
    if text.count("\n") < MAX_BLOCK_LINES and not _may_be_deep(text):
        return []  # most texts: no parse needed (the lint checks every message)
    return check_tokens((md or _default()).parse(text))


def _may_be_deep(text: str) -> bool:
    if "\t" in text:
        text = text.expandtabs(4)  # markdown-it's tab stops
    return _DEEP_FIRST.match(text) is not None or _DEEP_LINE.search(text) is not None


@lru_cache(maxsize=1)
def _default() -> MarkdownIt:
    return parser()
