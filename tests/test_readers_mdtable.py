"""Splitting table rows by hand: escaped pipes, code spans, optional outer pipes."""

from __future__ import annotations

import pytest

from generator.readers.mdtable import find_tables, has_separator, is_delimiter_row, split_cells


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        ("| a | b | c |", ["a", "b", "c"]),
        ("a | b | c", ["a", "b", "c"]),
        ("| a | b | c", ["a", "b", "c"]),
        ("a | b | c |", ["a", "b", "c"]),
        ("| a |  | c |", ["a", "", "c"]),
        ("| a \\| b | c |", ["a | b", "c"]),
        ("| `a|b` | c |", ["`a|b`", "c"]),
        ("| ``x ` y|z`` | c |", ["``x ` y|z``", "c"]),
        ("| unmatched ` tick | c |", ["unmatched ` tick", "c"]),
        ("| ends with escaped \\|", ["ends with escaped |"]),
        ("|", [""]),
        ("| sA · Sintra |", ["sA · Sintra"]),
    ],
)
def test_split_cells(line: str, cells: list[str]) -> None:
    assert split_cells(line) == cells


def test_separators_and_delimiters() -> None:
    assert has_separator("a | b") and has_separator("| a") and not has_separator("a `|` b")
    assert is_delimiter_row("|---|:--:|--:|") and is_delimiter_row("--- | ---")
    assert not is_delimiter_row("| a | b |") and not is_delimiter_row("| |")


def test_find_tables_top_level_only() -> None:
    text = "\n".join(
        [
            "| A | B |",  # 0: a table
            "|---|---|",
            "| 1 | 2 |",
            "",
            "> | Q | R |",  # 4: in a blockquote: not ours
            "> |---|---|",
            "",
            "```",
            "| F | G |",  # 8: in a fence
            "|---|---|",
            "```",
            "text",  # 11: a paragraph holding a table whose delimiter row is one cell short
            "| H | I | J |",
            "|---|---|",
            "| 1 | 2 | 3 |",
        ]
    )
    spans = find_tables(text)
    assert [(s.header, s.delimiter, s.end, s.standard) for s in spans] == [
        (0, 1, 3, True),
        (12, 13, 15, False),
    ]
