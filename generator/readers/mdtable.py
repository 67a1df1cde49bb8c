"""Markdown pipe tables: markdown-it-py finds them and their lines, rows are split here by hand."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

_DELIMITER_CELL = re.compile(r"^:?-+:?$")
# A row line in pieces: an escape, a backtick run, a pipe, or a run of anything else.
_PIECE = re.compile(r"\\.|`+|\||[^\\`|]+|\\")
_BACKTICKS = re.compile(r"`+")


@dataclass(frozen=True, slots=True)
class TableSpan:
    """Where one table sits in the text, as 0-based line indexes."""

    header: int
    delimiter: int
    end: int  # the first line after the last row
    standard: bool  # False: markdown-it saw no table (the delimiter row does not match the header)


def block_parser() -> MarkdownIt:
    """The parser the readers use to find blocks: CommonMark plus GFM tables, raw HTML off.

    Only the block structure and its line maps are needed, so inline parsing is switched off:
    it is most of markdown-it's time on a large queue file.
    """
    return (
        MarkdownIt("commonmark", {"html": False}).enable("table").disable(["inline", "text_join"])
    )


def find_tables(text: str) -> list[TableSpan]:
    """Every top-level pipe table of `text`, in order.

    A header and delimiter row whose cell counts differ is no table for markdown-it (nor for the
    code host), but it is plainly meant as one: such a table is found in the paragraph that
    markdown-it made of it and returned with `standard=False`, so its rows are not lost.
    """
    lines = text.split("\n")
    spans: list[TableSpan] = []
    for token in block_parser().parse(text):
        if token.level != 0 or token.map is None:
            continue
        start, end = token.map
        if token.type == "table_open":
            spans.append(TableSpan(start, start + 1, end, True))
        elif token.type == "paragraph_open":
            for i in range(start, end - 1):
                if has_separator(lines[i]) and is_delimiter_row(lines[i + 1]):
                    spans.append(TableSpan(i, i + 1, end, False))
                    break
    return spans


def is_delimiter_row(line: str) -> bool:
    """True for a `|---|:--:|` row (at least one `|` or a cell count above one)."""
    if "-" not in line:
        return False
    cells = split_cells(line)
    return bool(cells) and all(_DELIMITER_CELL.match(c.replace(" ", "")) for c in cells)


def has_separator(line: str) -> bool:
    """True when the line has at least one cell-separating `|` (not escaped, not in code)."""
    return len(_split(line)) > 1 or line.strip().startswith("|")


def split_cells(line: str) -> list[str]:
    """The cells of one row line, stripped: `\\|` and pipes inside backticks stay in the cell.

    A leading and a trailing pipe are optional, as on the code hosts.
    """
    cells = _split(line.strip())
    if len(cells) > 1 and cells[0].strip() == "" and line.strip().startswith("|"):
        cells = cells[1:]
    if len(cells) > 1 and cells[-1].strip() == "" and _ends_with_pipe(line.strip()):
        cells = cells[:-1]
    return [c.strip().replace("\\|", "|") for c in cells]


def _ends_with_pipe(line: str) -> bool:
    if not line.endswith("|"):
        return False
    backslashes = len(line[:-1]) - len(line[:-1].rstrip("\\"))
    return backslashes % 2 == 0


def _split(line: str) -> list[str]:
    """Split at every unescaped `|` outside a code span; cells keep their escapes."""
    cells: list[str] = []
    current: list[str] = []
    pos = 0
    for m in _PIECE.finditer(line):
        if m.start() < pos:
            continue  # inside a code span already taken whole
        piece = m.group(0)
        if piece == "|":
            cells.append("".join(current))
            current = []
        elif piece[0] == "`":
            close = _closing_run(line, m.end(), piece)
            if close >= 0:  # a code span: everything up to its closing run is one piece
                current.append(line[m.start() : close + len(piece)])
                pos = close + len(piece)
                continue
            current.append(piece)  # an unmatched run is literal text, as CommonMark says
        else:
            current.append(piece)
        pos = m.end()
    cells.append("".join(current))
    return cells


def _closing_run(line: str, start: int, fence: str) -> int:
    """Index of the next backtick run of exactly `len(fence)` after `start`, or -1."""
    for m in _BACKTICKS.finditer(line, start):
        if len(m.group(0)) == len(fence):
            return m.start()
    return -1
