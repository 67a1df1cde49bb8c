"""A line-based, fence-aware splitter of queue files into message blocks, exact against markdown-it.

markdown-it parses a 5 MB queue file in seconds; nearly all of that is spent on message bodies whose
structure does not matter. A block starts at a top-level `## ` heading, and a heading written at
column 0 is top-level unless a fence opened at the top level is still open: no other container can
hold it (lists need indentation, block quotes a `>`, tables and paragraphs are interrupted by it).
So one pass over the lines, tracking column-0 fences, finds the blocks. Only a heading or fence
indented by 1–3 spaces may sit inside a list item; such a stretch is handed to markdown-it, from
the block's own heading (a clean start) to the next column-0 heading (extended while a top-level
fence is still open there), and the scan resumes after it.

The ack lines of a block are list items, which markdown-it must place (an item may run over lazy
continuation lines). A column-0 `- ack` line always starts a top-level item, so only the block's
tail from its first such line is parsed — or nothing, when the tail is plain one-line bullets.
`split_messages_markdown_it` is the reference: tests check that both agree on any text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import mdTrim
from markdown_it.token import Token

from generator.readers.mdtable import block_parser

# What can change the block structure, at the start of a line: a `##` heading, a fence run, or a
# bullet item whose text starts with `ack` (the only list items the queue reader looks at).
_LINE = re.compile(
    r"(?P<indent>[^\S\n]*)(?:(?P<h>##)(?=[ \t]|$)|(?P<fence>`{3,}|~{3,})"
    r"|[-*+][^\S\n]+(?i:ack)(?=$|[\s·|:]))"
)
_ACK_START = re.compile(r"^\s{0,3}[-*+]\s+ack(?=$|[\s·|:])", re.IGNORECASE)
_SIMPLE_ITEM = re.compile(r"[-*+][ \t]+\S")
_THEMATIC_BREAK = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")


def is_ack_line(line: str) -> bool:
    """Whether `line` starts an ack list item (`- ack · …`), the only items a message holds."""
    return _ACK_START.match(line) is not None


@dataclass(frozen=True, slots=True)
class Span:
    """One block of a queue file: the preamble (`heading` None) or a message from its heading line.

    `first_ack` is the first column-0 ack-like line outside fences; `exact` is False where the
    scanner met a construct only markdown-it can place, so the block's items need a full parse.
    `open_fence` is set on the file's last block only, when a top-level code fence opened in it is
    never closed: every later `## ` line is then body (CommonMark), which the reader reports.
    """

    start: int  # 0-based line index of the heading (0 for the preamble)
    heading: str | None  # the heading's text as markdown-it gives it (after `## `)
    first_ack: int | None
    exact: bool
    open_fence: int | None = None  # 0-based line index of the unclosed fence's opening line


@cache
def _parser() -> MarkdownIt:
    return block_parser()


def is_message_heading(line: str) -> bool:
    """A column-0 `## ` line (the only lines the scanner trusts as block starts without a parse)."""
    return line.startswith("##") and (len(line) == 2 or line[2] in " \t")


def heading_text(line: str) -> str:
    """The text of an ATX `##` heading line as markdown-it gives it: closing `#`s and blanks cut."""
    body = line.lstrip(" ")[2:]
    end = len(body.rstrip(" \t"))
    tail = end
    while tail > 0 and body[tail - 1] == "#":
        tail -= 1
    if tail < end and tail > 0 and body[tail - 1] in " \t":
        end = tail
    return str(mdTrim(body[:end]))


def _closes(line: str, char: str, length: int) -> bool:
    """True when `line` closes a fence of `length` × `char` (up to 3 spaces of indent)."""
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3 or not stripped.startswith(char * length):
        return False
    return not stripped.lstrip(char).strip(" \t")


def scan(lines: list[str], start: int = 0) -> Iterator[Span]:
    """The blocks of `lines` from `start` (0, or a message heading's line), lazily and in order.

    A block is yielded once the next one has been found, so a caller that only needs a region can
    stop iterating: the rest of the file is then never looked at.
    """
    end = len(lines)
    # The block being scanned, as a Span's fields (a Span is made once, when it is yielded).
    if start == 0:
        at, heading, first = 0, None, 0
    else:
        at, heading, first = start, heading_text(lines[start]), start + 1
    first_ack: int | None = None
    exact = True
    fence: tuple[str, int] | None = None
    fence_at = 0  # the line the open fence started on
    match = _LINE.match
    for i in range(first, end):
        line = lines[i]
        m = match(line)
        if m is None:
            continue
        indent, h, run = m.groups()
        if fence is not None:
            if run and _closes(line, *fence):
                fence = None
            continue
        if indent and (indent.strip(" ") or len(indent) > 3):
            # A tab or 4+ columns: indented code at the top level, or text inside a list item; it
            # cannot hide a column-0 heading, but an ack-like line here needs markdown-it.
            if h is None and run is None:
                exact = False
            continue
        if h is not None:
            if indent:
                yield from _resolve(lines, Span(at, heading, first_ack, exact), i)
                return
            yield Span(at, heading, first_ack, exact)
            at, heading, first_ack, exact = i, heading_text(line), None, True
        elif run is not None:
            if run[0] == "`" and "`" in line[len(indent) + len(run) :]:
                continue  # backticks in the info string: inline code, not a fence
            if indent:
                yield from _resolve(lines, Span(at, heading, first_ack, exact), i)
                return
            fence, fence_at = (run[0], len(run)), i
        elif indent:
            exact = False
        elif first_ack is None:
            first_ack = i
    yield Span(at, heading, first_ack, exact, fence_at if fence is not None else None)


def _resolve(lines: list[str], current: Span, at: int) -> Iterator[Span]:
    """markdown-it places the stretch from `current`'s start past line `at`; the scan goes on."""
    end = len(lines)
    region_end = at
    while True:
        region_end = _next_heading(lines, region_end + 1)
        tokens = _parser().parse("\n".join(lines[current.start : region_end]))
        open_at = _open_fence_at_end(tokens, lines, current.start, region_end)
        if region_end >= end or open_at is None:
            break
    base = current.start
    spans = [Span(base, current.heading, None, False)]
    for i, token in enumerate(tokens):
        if not _is_message_heading(token) or token.map is None:
            continue
        if token.map[0] == 0 and current.heading is not None:
            continue  # the block's own heading, yielded above
        spans.append(Span(base + token.map[0], tokens[i + 1].content, None, False))
    if open_at is not None:  # the region runs to the end of the file inside the fence
        last = spans.pop()
        spans.append(Span(last.start, last.heading, None, False, base + open_at))
    yield from spans
    if region_end < end:
        yield from scan(lines, region_end)


def _next_heading(lines: list[str], i: int) -> int:
    while i < len(lines) and not is_message_heading(lines[i]):
        i += 1
    return i


def _open_fence_at_end(tokens: list[Token], lines: list[str], base: int, end: int) -> int | None:
    """Where a top-level fence that runs to the region's end unclosed opens (relative), else None."""
    size = end - base
    if size and not lines[end - 1].strip(" \t"):
        size -= 1  # markdown-it does not count a last line that holds only blanks
    for token in reversed(tokens):
        if token.level != 0 or token.map is None:
            continue
        if token.type != "fence" or token.map[1] < size:
            return None
        last = base + token.map[1] - 1
        closed = token.map[1] - token.map[0] > 1 and _closes(
            lines[last], token.markup[0], len(token.markup)
        )
        return None if closed else token.map[0]
    return None


def _is_message_heading(token: Token) -> bool:
    return (
        token.type == "heading_open"
        and token.tag == "h2"
        and token.markup == "##"
        and token.level == 0
        and token.map is not None
    )


def items(lines: list[str], span: Span, end: int) -> list[tuple[int, int]]:
    """Line ranges [a, b) of the top-level bullet items of the block `span` (ending at `end`)."""
    if span.exact:
        if span.first_ack is None:
            return []
        base = span.first_ack
        plain: list[tuple[int, int]] = []  # the tail's items when it is one-line bullets only
        for k in range(base, end):
            if _plain_bullet(lines[k]):
                plain.append((k, k + 1))
            elif lines[k].strip():
                break
        else:
            return plain
    else:
        first = span.start + (span.heading is not None)
        if not any(_ACK_START.match(lines[j]) for j in range(first, end)):
            return []
        base = span.start
    tokens = _parser().parse("\n".join(lines[base:end]))
    return [(base + a, base + b) for a, b in top_level_items(tokens)]


def _plain_bullet(line: str) -> bool:
    """A column-0 bullet with text that is not a thematic break: a one-line item of its own."""
    return bool(_SIMPLE_ITEM.match(line)) and not _THEMATIC_BREAK.match(line)


def top_level_items(tokens: list[Token]) -> list[tuple[int, int]]:
    """Line ranges [start, end) of the items of top-level bullet lists."""
    return [
        (t.map[0], t.map[1])
        for t in tokens
        if t.type == "list_item_open"
        and t.level == 1
        and t.markup in ("-", "*", "+")
        and t.map is not None
    ]


@dataclass(frozen=True, slots=True)
class Block:
    """A message block as both splitters report it: heading line, heading text, bullet items."""

    start: int
    heading: str
    items: tuple[tuple[int, int], ...]


def split_queue(lines: list[str]) -> tuple[list[Block], int | None]:
    """The message blocks of a queue file's lines (the preamble is everything before the first),
    and the 0-based line of a top-level code fence that is never closed (None when every one is)."""
    spans = list(scan(lines))
    out: list[Block] = []
    for k, span in enumerate(spans):
        if span.heading is None:
            continue
        end = spans[k + 1].start if k + 1 < len(spans) else len(lines)
        out.append(Block(span.start, span.heading, tuple(items(lines, span, end))))
    return out, spans[-1].open_fence


def split_messages(lines: list[str]) -> list[Block]:
    """The message blocks of a queue file's lines (the preamble is everything before the first)."""
    return split_queue(lines)[0]


def split_messages_markdown_it(text: str) -> list[Block]:
    """The reference: one markdown-it parse of the whole file (slow on big files, always right)."""
    tokens = _parser().parse(text)
    headings = [
        (token.map[0], tokens[i + 1].content)
        for i, token in enumerate(tokens)
        if _is_message_heading(token) and token.map is not None
    ]
    all_items = top_level_items(tokens)
    out: list[Block] = []
    for k, (start, heading) in enumerate(headings):
        end = headings[k + 1][0] if k + 1 < len(headings) else len(text.split("\n"))
        mine = tuple((a, b) for a, b in all_items if start < a < end)
        out.append(Block(start, heading, mine))
    return out


def open_fence_markdown_it(text: str) -> int | None:
    """The reference for `split_queue`'s unclosed fence: the 0-based line of a top-level fence
    markdown-it leaves open. An open fence's lines are its opening line and its content only;
    a closed one also has its closing line."""
    # A last line without its newline would leave the content a newline short: add one.
    for token in _parser().parse(text if text.endswith("\n") else text + "\n"):
        if token.type != "fence" or token.level != 0 or token.map is None:
            continue
        if token.map[1] - token.map[0] == token.content.count("\n") + 1:
            return token.map[0]
    return None
