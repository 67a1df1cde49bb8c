"""The claim scoreboard (`active.md`, formats.md §2): one table, one row per claimed session."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.model import ClaimRow, Problem, RawBlock, Scoreboard, SourceRef, Stamp
from generator.readers._text import clip, or_list, raw_block
from generator.readers.mdtable import TableSpan, find_tables, has_separator, split_cells
from generator.timeutil import parse_stamp

RULE = "scoreboard-parse"
COLUMNS = ("Session", "Task", "Worktree", "Claimed", "Presence", "Scope")
EXPECTED_HEADER = "| " + " | ".join(COLUMNS) + " |"

_ID = r"(?P<id>[A-Za-z][A-Za-z0-9_]*)"
_SESSION_CELL = re.compile(
    rf"^{_ID}(?:"
    r"\s*[·•—–:/-]\s*(?P<name>.*?)"  # sA · Sintra, sA - Sintra, sA·Sintra
    r"|\s*\((?P<paren>[^)]*)\)"  # sA (Sintra)
    r"|\s+(?P<bare>\S.*?)"  # sA Sintra
    r")?\s*$"
)
# A timestamp at the start of a cell, loose enough that parse_stamp can then say yes or no.
_LEADING_STAMP = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*(?:Z|z|UTC|[+-]\d{2}:?\d{2}))?)?"
)
_QUOTED_START = re.compile(r"^`([^`]*)`")
_BACKTICKED = re.compile(r"(`+)(.+?)\1")
_PREFIX = re.compile(r"^\[[^\]\s]+\]$")
_BARE_PREFIX = re.compile(r"\[(s[A-Za-z0-9]+)\]")
_BARE_BRANCH = re.compile(r"(?<![\w/-])session-[\w.-]+")
_MODE_DIRECT = re.compile(r"direct[ -]to[ -]main", re.IGNORECASE)
_MODE_PR = re.compile(r"(?<![A-Za-z])(?:PR|pull request)(?![A-Za-z])", re.IGNORECASE)
_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,9}$")


@dataclass(slots=True)
class _Reader:
    path: str
    lines: list[str]
    problems: list[Problem] = field(default_factory=list)

    def report(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(RULE, SourceRef(self.path, line), message))

    def raw(self, start: int, end: int) -> RawBlock | None:
        return raw_block(self.path, self.lines, start, end)


def read_scoreboard(path: str, text: str) -> tuple[Scoreboard, list[Problem]]:
    """Parse the scoreboard's text; every row or cell it cannot read becomes a problem."""
    reader = _Reader(path, text.split("\n"))
    tables = find_tables(text)
    table = next((t for t in tables if "session" in _header_keys(reader.lines[t.header])), None)
    if table is None:
        if tables:
            reader.report(
                tables[0].header + 1,
                f"no table has a `Session` column (expected the header `{EXPECTED_HEADER}`); "
                "the file is shown as text",
            )
        else:
            reader.report(1, f"no claim table found (expected the header `{EXPECTED_HEADER}`)")
        prose = reader.raw(0, len(reader.lines))
        board = Scoreboard(path, True, prose=(prose,) if prose else ())
        return board, reader.problems
    return _read_table(reader, table), reader.problems


def _read_table(reader: _Reader, table: TableSpan) -> Scoreboard:
    header = tuple(split_cells(reader.lines[table.header]))
    columns = header_columns(header)
    missing = [c for c in COLUMNS if c.lower() not in columns]
    if missing:
        reader.report(
            table.header + 1,
            f"the claim table's header has no {or_list([f'`{c}`' for c in missing])} column "
            f"(expected `{EXPECTED_HEADER}`)",
        )
    if not table.standard:
        delimiter = split_cells(reader.lines[table.delimiter])
        reader.report(
            table.delimiter + 1,
            f"the claim table's delimiter row has {len(delimiter)} cells but the header has "
            f"{len(header)}: markdown renderers will not show it as a table",
        )
    rows: list[ClaimRow] = []
    unparsed: list[RawBlock] = []
    for index in range(table.delimiter + 1, table.end):
        line = reader.lines[index]
        if not line.strip():
            continue
        if not has_separator(line):
            unparsed.append(RawBlock(SourceRef(reader.path, index + 1), line))
            reader.report(
                index + 1,
                f"line `{clip(line)}` inside the claim table has no `|` cell separators; "
                "kept as text",
            )
            continue
        cells = split_cells(line)
        if not any(cells):
            continue  # an empty row says nothing; code hosts show it as an empty row too
        session_index = columns.get("session", 0)
        session_cell = cells[session_index] if session_index < len(cells) else ""
        others = [c for i, c in enumerate(cells) if i != session_index]
        if parse_session(session_cell)[0] is None and not any(others):
            # A note such as `(none yet)` in an otherwise empty row: nothing to read as a claim.
            unparsed.append(RawBlock(SourceRef(reader.path, index + 1), line))
            reader.report(
                index + 1,
                f"the row `{clip(session_cell)}` has no session id and no other cells; "
                "kept as text",
            )
            continue
        rows.append(_read_row(reader, index + 1, line, header, columns, cells))
    prose = [reader.raw(0, table.header), reader.raw(table.end, len(reader.lines))]
    return Scoreboard(
        path=reader.path,
        exists=True,
        header=header,
        header_line=table.header + 1,
        rows=tuple(rows),
        unparsed=tuple(unparsed),
        prose=tuple(p for p in prose if p is not None),
    )


def header_columns(header: tuple[str, ...]) -> dict[str, int]:
    """Column key → index of its first cell, for a header row's cells."""
    columns: dict[str, int] = {}
    for index, key in enumerate(header_key(h) for h in header):
        columns.setdefault(key, index)
    return columns


def read_row(
    path: str, line_no: int, line: str, header: tuple[str, ...], columns: dict[str, int]
) -> ClaimRow | None:
    """One line of the claim table read as `read_scoreboard` reads it, without its problems.

    None when the line is no claim row: no `|` separators, every cell empty, or a note without a
    session id in an otherwise empty row. For the history replay, which reads past versions.
    """
    if not has_separator(line):
        return None
    cells = split_cells(line)
    session_index = columns.get("session", 0)
    cell = cells[session_index] if session_index < len(cells) else ""
    others = [c for i, c in enumerate(cells) if i != session_index]
    if not any(cells) or (parse_session(cell)[0] is None and not any(others)):
        return None
    return _read_row(_Reader(path, []), line_no, line, header, columns, cells)


def _read_row(
    reader: _Reader,
    line_no: int,
    line: str,
    header: tuple[str, ...],
    columns: dict[str, int],
    cells: list[str],
) -> ClaimRow:
    def cell(column: str) -> str | None:
        index = columns.get(column.lower())
        return cells[index] if index is not None and index < len(cells) else None

    session_cell = cell("Session")
    session_id, name = parse_session(session_cell or "")
    label = f"row `{session_id}`" if session_id else "the row"
    if session_cell is not None and session_id is None:
        if session_cell:
            problem = f"the row has no session id in its Session cell `{clip(session_cell)}`"
        else:
            problem = "the row's Session cell is empty"
        reader.report(line_no, f"{problem} (expected `sA · Name`)")
    elif session_id is not None and name is None:
        reader.report(
            line_no,
            f"{label} has no display name in its Session cell (expected `{session_id} · Name`)",
        )
    if len(cells) != len(header):
        if len(cells) > len(header):
            detail = "the extra cells are kept"
        else:
            lost = [h for h in header[len(cells) :] if h]
            detail = f"no {or_list([f'`{h}`' for h in lost])} cell" if lost else "cells are missing"
        reader.report(
            line_no, f"{label} has {len(cells)} cells but the header has {len(header)}: {detail}"
        )
    names = [*header[: len(cells)], *([""] * (len(cells) - len(header)))]
    worktree = cell("Worktree")
    branch, mode, prefix = _worktree(worktree or "")
    if worktree is not None:
        _check_worktree(reader, line_no, label, session_id, worktree, (branch, mode, prefix))
    claimed_cell = cell("Claimed")
    claimed = None
    if claimed_cell is not None:
        if not claimed_cell.strip("` "):
            reader.report(line_no, f"{label} has an empty Claimed cell (expected a timestamp)")
        else:
            claimed, _, looked = _leading_stamp(claimed_cell)
            if claimed is None:
                reader.report(
                    line_no,
                    f"{label}: the Claimed cell `{clip(claimed_cell)}` is not "
                    f"{'a valid' if looked else 'a'} timestamp (expected YYYY-MM-DDTHH:MMZ)",
                )
    presence_cell = cell("Presence") or ""
    presence, detail_text, looked = _leading_stamp(presence_cell)
    if presence is None and presence_cell.strip("`· "):
        start = (
            f"starts with `{looked}`, not a valid timestamp"
            if looked
            else "does not start with a timestamp"
        )
        reader.report(
            line_no,
            f"{label}: the Presence cell `{clip(presence_cell)}` {start} "
            "(expected `<timestamp> · <detail>`)",
        )
        detail_text = presence_cell
    scope = cell("Scope") or ""
    return ClaimRow(
        source=SourceRef(reader.path, line_no),
        raw=line,
        cells=tuple(zip(names, cells, strict=True)),
        session_id=session_id,
        name=name,
        task=cell("Task") or "",
        branch=branch,
        mode=mode,
        prefix=prefix,
        worktree=worktree or "",
        claimed=claimed,
        presence=presence,
        presence_detail=detail_text,
        scope=scope,
        paths=claimed_paths(scope),
    )


def parse_session(text: str) -> tuple[str | None, str | None]:
    """(id, display name) of a Session cell; markdown emphasis and backticks are ignored."""
    cleaned = re.sub(r"[`*]", "", text).strip()
    m = _SESSION_CELL.match(cleaned)
    if m is None:
        return None, None
    name = (m["name"] or m["paren"] or m["bare"] or "").strip()
    return m["id"], name or None


def _worktree(text: str) -> tuple[str | None, str | None, str | None]:
    """(branch, mode, prefix) of a Worktree cell such as "worktree `session-sA` → PR, `[sA]`"."""
    quoted = [m.group(2).strip() for m in _BACKTICKED.finditer(text)]
    prefix = next((q for q in quoted if _PREFIX.match(q)), None)
    branch = next((q for q in quoted if not _PREFIX.match(q)), None)
    unquoted = _BACKTICKED.sub(" ", text)
    if prefix is None and (bare := _BARE_PREFIX.search(unquoted)):
        prefix = bare.group(0)
    if branch is None and (bare_branch := _BARE_BRANCH.search(unquoted)):
        branch = bare_branch.group(0)
    mode = None
    if _MODE_DIRECT.search(unquoted):
        mode = "direct-to-main"
    elif _MODE_PR.search(unquoted):
        mode = "PR"
    return branch, mode, prefix


def _check_worktree(
    reader: _Reader,
    line_no: int,
    label: str,
    session_id: str | None,
    text: str,
    parts: tuple[str | None, str | None, str | None],
) -> None:
    if not text.strip():
        reader.report(line_no, f"{label} has an empty Worktree cell")
        return
    branch, mode, prefix = parts
    lacks = []
    if branch is None:
        lacks.append("branch in backticks")
    if mode is None:
        lacks.append("mode (`direct-to-main` or `PR`)")
    if prefix is None:
        lacks.append(f"commit prefix in backticks (`[{session_id or 'sA'}]`)")
    if lacks:
        reader.report(
            line_no, f"{label}: the Worktree cell `{clip(text)}` names no {or_list(lacks)}"
        )


def _leading_stamp(text: str) -> tuple[Stamp | None, str, str | None]:
    """(timestamp, rest after ` · `, the timestamp-like text) of a cell that starts with a time.

    The third item is the text that looked like a timestamp, so that a message can say which
    time did not parse; it is None when the cell does not start with a date at all. A time in
    backticks is accepted; the rest keeps its markdown.
    """
    cleaned = text.strip()
    quoted = _QUOTED_START.match(cleaned)
    if quoted and _LEADING_STAMP.fullmatch(quoted.group(1).strip()):
        looked, rest = quoted.group(1).strip(), cleaned[quoted.end() :]
    elif m := _LEADING_STAMP.match(cleaned):
        looked, rest = m.group(0), cleaned[m.end() :]
    else:
        return None, cleaned, None
    rest = rest.strip()
    if rest.startswith("·"):
        rest = rest[1:].strip()
    return parse_stamp(looked), rest, looked


def claimed_paths(scope: str) -> tuple[str, ...]:
    """Backticked tokens of a Scope cell that look like a path or glob, in order, once each."""
    found: list[str] = []
    for m in _BACKTICKED.finditer(scope):
        token = m.group(2).strip()
        if not token or any(c.isspace() for c in token) or "://" in token:
            continue
        if ("/" in token or "*" in token or _EXTENSION.search(token)) and token not in found:
            found.append(token)
    return tuple(found)


def header_key(cell: str) -> str:
    """A header cell as a column key: `**Session:**` → `session`."""
    return re.sub(r"[`*_]", "", cell).strip().rstrip(":").strip().lower()


def _header_keys(line: str) -> list[str]:
    return [header_key(c) for c in split_cells(line)]
