"""Fleet sources written from the specification by an outside team, as different teams write them.

Each set in ``tests/foreign_fleet`` is a real git repository with tracker exports, a roster,
transcripts, playbooks, a chat export and a blackboard history. The tests run ``statusboard`` on
them the way a user does and hold it to ``spec/formats.md`` §4–8 and ``spec/lint-rules.md``:

- every planted misuse is found with the right rule, at the right ``path:line`` (or naming the
  commit, for git facts), and the message names what it concerns;
- what the specification allows is not reported; well-kept sets give nothing at warning or above;
- malformed exports are ``export-parse`` findings, nothing crashes, the site still builds.

Where the tool disagrees with the specification the test asserts the specification and is a
strict xfail whose reason describes the bug.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.foreign_fleet import agents, bridge, clean, history, malformed, trackers
from tests.foreign_fleet.harness import Outcome, produce
from tests.foreign_fleet.kit import SEVERE, Absent, Finding, FleetSet, Plant, forbidden, matches

SETS: tuple[FleetSet, ...] = (
    *trackers.SETS,
    *agents.SETS,
    *bridge.SETS,
    *history.SETS,
    *clean.SETS,
    *malformed.SETS,
)
BY_NAME = {fleet.name: fleet for fleet in SETS}
FIELDS = {"rule", "severity", "path", "line", "message"}

Get = Callable[[str], Outcome]


def _shared(factory: pytest.TempPathFactory) -> Path:
    """One folder for the whole run, shared by the xdist workers, so each set is built once."""
    base = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / "foreign-fleet"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Get]:
    """Build, lint (and for site sets, build the site of) a set once per run, under a file lock."""
    shared = _shared(tmp_path_factory)
    seen: dict[str, Outcome] = {}

    def get(name: str) -> Outcome:
        if name not in seen:
            record = shared / f"{name}.json"
            with (shared / f"{name}.lock").open("w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if record.exists():
                    seen[name] = Outcome.from_json(json.loads(record.read_text(encoding="utf-8")))
                else:
                    base = shared / name
                    shutil.rmtree(base, ignore_errors=True)
                    base.mkdir()
                    seen[name] = produce(BY_NAME[name], base)
                    record.write_text(json.dumps(seen[name].to_json()), encoding="utf-8")
        return seen[name]

    yield get


def _xfail(bug: str | None) -> tuple[pytest.MarkDecorator, ...]:
    if bug is None:
        return ()
    return (pytest.mark.xfail(strict=True, raises=AssertionError, reason=bug),)


def _show(findings: list[Finding]) -> str:
    lines = [
        f"  {f.get('rule')} {f.get('path')}:{f.get('line')} {str(f.get('commit') or '')[:7]} "
        f"{f.get('message')}"
        for f in findings
    ]
    return "\n".join(lines) or "  (none)"


PLANTED = [
    pytest.param(fleet.name, want, id=f"{fleet.name}-{want.label()}", marks=_xfail(want.bug))
    for fleet in SETS
    for want in fleet.plants
]
ABSENT = [
    pytest.param(fleet.name, rule, id=f"{fleet.name}-{rule.label()}", marks=_xfail(rule.bug))
    for fleet in SETS
    for rule in fleet.absents
]


@pytest.mark.parametrize(("name", "want"), PLANTED)
def test_planted_misuse_is_found(outcome: Get, name: str, want: Plant) -> None:
    done = outcome(name)
    assert isinstance(done.lint_code, int), done.lint_code
    hits = [f for f in done.findings if matches(f, want, done.root, done.commits)]
    near = [f for f in done.findings if f.get("rule") in want.rules]
    assert hits, (
        f"{name}: expected {sorted(want.rules)} at {want.path} ({want.where!r}) naming "
        f"{want.names} {('commit ' + want.commit) if want.commit else ''}; findings of that "
        f"rule:\n{_show(near)}"
    )


@pytest.mark.parametrize(("name", "rule"), ABSENT)
def test_allowed_use_is_not_reported(outcome: Get, name: str, rule: Absent) -> None:
    done = outcome(name)
    wrong = [f for f in done.findings if forbidden(f, rule, done.root, done.commits)]
    assert not wrong, f"{name}: {rule.why}, yet:\n{_show(wrong)}"


@pytest.mark.parametrize("name", [f.name for f in SETS if f.clean])
def test_well_kept_set_gives_no_warning_or_error(outcome: Get, name: str) -> None:
    done = outcome(name)
    assert done.lint_code == 0, done.lint_err
    severe = [f for f in done.findings if f.get("severity") in SEVERE]
    assert not severe, f"{name} is kept by the book, yet:\n{_show(severe)}"


@pytest.mark.parametrize("name", [f.name for f in SETS])
def test_lint_never_crashes_and_findings_point_at_real_lines(outcome: Get, name: str) -> None:
    done = outcome(name)
    assert done.lint_code in (0, 1), f"exit {done.lint_code}: {done.lint_err}"
    assert "Traceback" not in done.lint_err, done.lint_err
    for finding in done.findings:
        assert finding.keys() >= FIELDS, finding
        assert finding["severity"] in ("info", "warning", "error"), finding
        assert isinstance(finding["message"], str) and finding["message"].strip(), finding
        line = finding["line"]
        if line is None:
            continue
        target = done.root / str(finding["path"])
        assert target.is_file(), f"a line in a file that is not there: {finding}"
        count = len(target.read_bytes().split(b"\n"))
        assert 1 <= line <= count, f"line outside {finding['path']} ({count} lines): {finding}"


@pytest.mark.parametrize("name", [f.name for f in SETS if f.malformed])
def test_malformed_exports_are_findings_not_failures(outcome: Get, name: str) -> None:
    done = outcome(name)
    assert done.lint_code == 1, f"exit {done.lint_code}: {done.lint_err}"
    parse = {f["path"] for f in done.findings if f["rule"] in ("export-parse", "file-unreadable")}
    broken = {w.path for w in BY_NAME[name].plants if w.rules & {"export-parse", "file-unreadable"}}
    assert broken <= parse, f"not reported: {sorted(p for p in broken - parse if p)}"


def _status(done: Outcome) -> dict[str, Any]:
    assert done.site is not None
    assert done.build_code in (0, 1), f"build exit {done.build_code}: {done.build_err}"
    assert "Traceback" not in done.build_err, done.build_err
    assert (done.site / "index.html").is_file()
    data: dict[str, Any] = json.loads((done.site / "status.json").read_text(encoding="utf-8"))
    for key in ("tasks", "agents", "messages", "sessions"):
        assert isinstance(data.get(key), list), key
    return data


def _ids(data: dict[str, Any], key: str, field: str = "id") -> set[str]:
    return {str(item[field]) for item in data[key]}


def test_site_of_the_well_kept_fleet_holds_every_source(outcome: Get) -> None:
    data = _status(outcome("clean_fleet"))
    tasks = {(t["source"], str(t["id"])) for t in data["tasks"]}
    assert {("bass", f"T-{n}") for n in range(40, 45)} <= tasks
    assert {("riff", tid) for tid in ("412", "415", "416", "417", "418")} <= tasks
    assert {t[0] for t in tasks} >= {"bass", "riff", "backlog"}
    agents_by_id = {a["id"]: a for a in data["agents"]}
    assert set(agents_by_id) == {"main", "frankel", "vinyl", "dev", "research"}
    assert "spawn" in str(agents_by_id["dev"]["type"]).lower()
    assert "named" in str(agents_by_id["main"]["type"]).lower()
    assert _ids(data, "sessions") == {"sA", "sB"}
    assert len(data["messages"]) == 6
    assert data["findings"]["error"] == 0 and data["findings"]["warning"] == 0


@pytest.mark.parametrize("name", [f.name for f in SETS if f.site and f.malformed])
def test_site_still_builds_from_malformed_exports(outcome: Get, name: str) -> None:
    data = _status(outcome(name))
    assert data["findings"]["error"] > 0


def test_malformed_exports_lose_the_good_parts_of_nothing(outcome: Get) -> None:
    """'Lose nothing': the valid task among broken ones, the tasks before a truncation, the
    roster rows around an unparsable one are still on the site."""
    data = _status(outcome("malformed_a"))
    tasks = {(t["source"], str(t["id"])) for t in data["tasks"]}
    assert ("bass", "T-3") in tasks
    assert ("riff", "412") in tasks
    assert {"main", "dev"} <= _ids(data, "agents")
