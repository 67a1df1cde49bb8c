"""Reader case files: each `tests/readers/<reader>/<case>.md` is parsed and compared with `<case>.yml`.

The expected file holds the parsed model (a `SourceRef` is written as its line, a `Stamp` as
`<as written> => <UTC>`) and the problems. To write the expected files after a deliberate change,
run with `STATUSBOARD_UPDATE_CASES=1` and review the diff.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.model import Problem, SourceRef, Stamp
from generator.readers.queue import read_queue
from generator.readers.scoreboard import read_scoreboard
from generator.readers.secrets import redact_source

CASES = Path(__file__).parent / "readers"
UPDATE = os.environ.get("STATUSBOARD_UPDATE_CASES") == "1"
PATHS = {
    "scoreboard": "docs/ai/sessions/active.md",
    "queue": "docs/ai/sessions/queue/to-sA.md",
}


def dump(value: Any, path: str) -> Any:
    """The model as plain data for YAML; every SourceRef must point into `path`."""
    if isinstance(value, SourceRef):
        assert value.path == path, f"{value} is not in {path}"
        return value.line
    if isinstance(value, Stamp):
        return f"{value.raw} => {value.iso()}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # What the file says; not what a cache adds (fields left out of comparisons).
        fields = [f for f in dataclasses.fields(value) if f.compare]
        return {f.name: dump(getattr(value, f.name), path) for f in fields}
    if isinstance(value, tuple | list):
        return [dump(v, path) for v in value]
    return value


def parse(reader: str, text: str) -> tuple[Any, list[Problem]]:
    """Redact then parse, as `read_board` does."""
    path = PATHS[reader]
    text, secrets = redact_source(path, text)
    model: Any
    if reader == "scoreboard":
        model, problems = read_scoreboard(path, text)
    else:
        model, problems = read_queue(path, text)
    return model, secrets + problems


def _cases() -> list[Any]:
    return [
        pytest.param(reader, source, id=f"{reader}/{source.stem}")
        for reader in sorted(PATHS)
        for source in sorted((CASES / reader).glob("*.md"))
    ]


@pytest.mark.parametrize(("reader", "source"), _cases())
def test_case(reader: str, source: Path) -> None:
    model, problems = parse(reader, source.read_text(encoding="utf-8"))
    path = PATHS[reader]
    actual = {
        "model": dump(model, path),
        "problems": [
            {"rule": p.rule, "line": dump(p.source, path), "message": p.message} for p in problems
        ],
    }
    expected_file = source.with_suffix(".yml")
    if UPDATE:
        expected_file.write_text(
            yaml.safe_dump(actual, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
        )
    expected = yaml.safe_load(expected_file.read_text(encoding="utf-8"))
    assert actual == expected


def test_every_case_has_its_expectation() -> None:
    for reader in PATHS:
        inputs = {p.stem for p in (CASES / reader).glob("*.md")}
        outputs = {p.stem for p in (CASES / reader).glob("*.yml")}
        assert inputs and inputs == outputs, reader
