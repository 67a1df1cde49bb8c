"""Black-box tests on foreign boards: hand-written blackboards of imagined teams (tests/foreign/).

Written from the specification alone (formats §0–3 and §8, the lint catalogue, the contract), never
from the generator's source: the tool is driven only through ``generator.cli.main`` as a user's
``statusboard lint`` / ``statusboard build`` would be. Where the tool disagrees with the
specification, the test states what the specification says and is a strict xfail naming the bug.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import filecmp
import functools
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from generator.cli import main
from tests.foreign.boards import BUILDERS
from tests.foreign.kit import Board, Expect, files_only

# The rules this suite judges (the scope of the brief); findings of other rules are not asserted.
IN_SCOPE = frozenset(
    {
        "file-unreadable",
        "scoreboard-parse",
        "message-parse",
        "non-canonical-timestamp",
        "future-timestamp",
        "bad-session-id",
        "bad-display-name",
        "duplicate-claim",
        "stale-claim",
        "task-placeholder",
        "scope-overlap",
        "misfiled-message",
        "unknown-recipient",
        "unacked-message",
        "broadcast-unacked",
        "illegal-ack-transition",
        "ack-status-mismatch",
        "handoff-without-ref",
        "dangling-reply",
        "relay-without-source",
        "secret-in-board",
        "raw-html-in-message",
    }
)
SEVERITIES = ("info", "warning", "error")
# Determinism is checked on a few boards only, to keep the file fast.
TWICE = ("clean_styled", "hostile")
UTC_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?Z$")

Finding = dict[str, Any]


@dataclass
class Outcome:
    """What the tool made of one board: exit codes (or ``crash: …``), stderr, findings, the site."""

    board: Board
    lint_code: int | str
    lint_err: str
    findings: list[Finding]
    build_code: int | str
    build_err: str
    site: Path
    site_again: Path | None

    def status(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.site / "status.json").read_text(encoding="utf-8"))
        return data

    def scoped(self) -> list[Finding]:
        return [f for f in self.findings if f["rule"] in IN_SCOPE]


def _run(argv: list[str]) -> tuple[int | str, str]:
    """Run the command in-process; an exception escaping ``main`` is a crash, returned as text."""
    out, err = io.StringIO(), io.StringIO()
    code: int | str
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 2
    except Exception as crash:
        code = f"crash: {crash!r}"
    return code, out.getvalue() + err.getvalue()


@functools.cache
def boards() -> dict[str, Board]:
    """Every board's files (without git, which is slow), written once per process for collection.

    Expectations carry line numbers found in the written files; the real repositories, with their
    git history, are built by the ``outcome`` fixture, once per test session even under xdist.
    """
    folder = tempfile.TemporaryDirectory(prefix="foreign-boards-")
    atexit.register(folder.cleanup)
    with files_only():
        return {name: build(Path(folder.name) / name) for name, build in BUILDERS.items()}


def _labels(board: Board) -> list[str]:
    return [e.label() for e in (*board.expected, *board.absent, *board.tolerated)]


def _produce(name: str, base: Path) -> dict[str, Any]:
    """Build the board as a real repository under ``base``, lint it and build its site (twice)."""
    board = BUILDERS[name](base / "repo")
    report = base / "lint.json"
    # A board in a plain folder is read only when that is asked for (the not_git board).
    argv = ["--now", board.now, *([] if board.is_git else ["--allow-no-git"])]
    lint_code, lint_err = _run(
        ["lint", str(board.root), *argv, "--format", "json", "--output", str(report)]
    )
    build_code, build_err = _run(["build", str(board.root), "-o", str(base / "site"), *argv, "-q"])
    if name in TWICE:
        _run(["build", str(board.root), "-o", str(base / "site-again"), *argv, "-q"])
    return {
        "labels": _labels(board),
        "lint_code": lint_code,
        "lint_err": lint_err,
        "findings": json.loads(report.read_text(encoding="utf-8")) if report.exists() else [],
        "build_code": build_code,
        "build_err": build_err,
    }


@pytest.fixture(scope="session")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Outcome]:
    """Lint and build each board lazily, once for all xdist workers (a lock file per board)."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    cache: dict[str, Outcome] = {}

    def get(name: str) -> Outcome:
        if name not in cache:
            base = shared / f"foreign-{name}"
            with (shared / f"foreign-{name}.lock").open("w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                done = base / "outcome.json"
                if not done.exists():
                    base.mkdir(parents=True, exist_ok=True)
                    done.write_text(json.dumps(_produce(name, base)), encoding="utf-8")
                data = json.loads(done.read_text(encoding="utf-8"))
            board = boards()[name]
            assert data.pop("labels") == _labels(board), "the git build wrote other lines"
            board.root = base / "repo"
            again = base / "site-again" if name in TWICE else None
            cache[name] = Outcome(board=board, site=base / "site", site_again=again, **data)
        return cache[name]

    return get


def _expect_params(kind: str) -> list[Any]:
    params = []
    for name, board in boards().items():
        items: list[Expect] = board.expected if kind == "expected" else board.absent
        for item in items:
            marks = (
                [pytest.mark.xfail(strict=True, raises=AssertionError, reason=item.bug)]
                if item.bug
                else []
            )
            params.append(pytest.param(name, item, id=f"{name}-{item.label()}", marks=marks))
    return params


def _board_params(only: Callable[[Board], bool] = lambda b: True) -> list[Any]:
    return [pytest.param(name, id=name) for name, board in boards().items() if only(board)]


def _matches(item: Expect, finding: Finding) -> bool:
    return item.matches(finding["rule"], finding["path"], finding["line"])


def _label(f: Finding) -> str:
    return f"{f['rule']} {f['path']}:{f['line']} ({f['severity']}) {f['message']}"


# ------------------------------------------------------------------------------------------------
# no crash, exit codes, output shapes
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", _board_params())
def test_no_crash_and_exit_code(name: str, outcome: Callable[[str], Outcome]) -> None:
    """Never an exception, never exit 2 on a board; exit 1 exactly when an error is found."""
    got = outcome(name)
    for code, err in ((got.lint_code, got.lint_err), (got.build_code, got.build_err)):
        assert isinstance(code, int), code
        assert "Traceback" not in err, err
        assert code in (0, 1), f"exit {code}: {err}"
    has_error = any(f["severity"] == "error" for f in got.findings)
    assert got.lint_code == (1 if has_error else 0)
    assert got.build_code == (1 if has_error else 0)
    assert (got.site / "index.html").is_file()
    for output in ("status.json", "lint.json", "lint.sarif", "lint.junit.xml"):
        assert (got.site / output).is_file(), output


@pytest.mark.parametrize("name", _board_params())
def test_findings_have_the_contract_shape(name: str, outcome: Callable[[str], Outcome]) -> None:
    got = outcome(name)
    assert isinstance(got.findings, list)
    for f in got.findings:
        assert {"rule", "severity", "path", "line", "message"} <= set(f), f
        assert f["severity"] in SEVERITIES, f
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", f["rule"]), f
        assert f["line"] is None or (isinstance(f["line"], int) and f["line"] >= 1), f
        assert f["message"], f
    site_lint = json.loads((got.site / "lint.json").read_text(encoding="utf-8"))
    key = ("rule", "severity", "path", "line")
    # `repr` orders a line of None (a finding about a commit) beside the numbered ones.
    assert sorted((tuple(f[k] for k in key) for f in site_lint), key=repr) == sorted(
        (tuple(f[k] for k in key) for f in got.findings), key=repr
    )


def test_outputs_of_other_formats(outcome: Callable[[str], Outcome], tmp_path: Path) -> None:
    """SARIF 2.1.0 with one run and a result per finding; JUnit XML; no secret in any format."""
    got = outcome("hostile")
    sarif = json.loads((got.site / "lint.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert len(sarif["runs"]) == 1
    assert len(sarif["runs"][0]["results"]) == len(got.findings)
    ElementTree.parse(got.site / "lint.junit.xml")
    for fmt in ("text", "json", "sarif", "junit", "github"):
        out = tmp_path / f"lint.{fmt}"
        code, err = _run(
            [
                "lint",
                str(got.board.root),
                "--now",
                got.board.now,
                "--format",
                fmt,
                "--output",
                str(out),
            ]
        )
        assert code == 1, (fmt, code, err)
        text = out.read_text(encoding="utf-8")
        assert not [s for s in got.board.secrets if s in text], fmt


def test_fail_on_levels(outcome: Callable[[str], Outcome], tmp_path: Path) -> None:
    """`--fail-on` moves the exit-1 threshold; `never` always exits 0 (contract: exit status).

    Only the in-scope rules are selected: clean_styled has info findings only among them.
    """
    styled = outcome("clean_styled").board
    hostile = outcome("hostile").board
    scope = ["--select", ",".join(sorted(IN_SCOPE))]
    for board, level, code in (
        (styled, "warning", 0),
        (styled, "info", 1),
        (hostile, "never", 0),
        (hostile, "error", 1),
    ):
        got, err = _run(["lint", str(board.root), "--now", board.now, "--fail-on", level, *scope])
        assert got == code, (board.name, level, got, err)
    built, err = _run(
        [
            "build",
            str(styled.root),
            "-o",
            str(tmp_path / "strict"),
            "--now",
            styled.now,
            "--strict",
            "-q",
            *scope,
        ]
    )
    assert built == 0, err


def test_closed_stdout_is_not_a_crash(outcome: Callable[[str], Outcome]) -> None:
    board = outcome("queue_violations").board
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "lint", str(board.root), "--now", board.now],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.wait(timeout=60)
    assert "Traceback" not in err and proc.returncode != 2, (proc.returncode, err[-400:])


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert _run(["lint", str(tmp_path / "missing"), "--now", "2026-06-02T12:00Z"])[0] == 2
    assert _run(["lint", str(tmp_path), "--now", "yesterday"])[0] == 2
    assert _run(["lint", str(tmp_path), "--no-such-option"])[0] == 2


# ------------------------------------------------------------------------------------------------
# planted findings: each one at its exact rule, path and line; nothing else in scope
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "item"), _expect_params("expected"))
def test_planted_finding_is_reported(
    name: str, item: Expect, outcome: Callable[[str], Outcome]
) -> None:
    got = outcome(name)
    hits = [f for f in got.findings if _matches(item, f)]
    assert hits, f"missing {item.label()} ({item.why}); got:\n" + "\n".join(
        map(_label, got.scoped())
    )


@pytest.mark.parametrize(("name", "item"), _expect_params("absent"))
def test_false_positive_is_not_reported(
    name: str, item: Expect, outcome: Callable[[str], Outcome]
) -> None:
    got = outcome(name)
    hits = [f for f in got.findings if _matches(item, f)]
    assert not hits, f"{item.why}: " + "; ".join(map(_label, hits))


@pytest.mark.parametrize("name", _board_params())
def test_no_unplanned_finding(name: str, outcome: Callable[[str], Outcome]) -> None:
    """Every in-scope finding (any severity) is one the board planted or the spec leaves open.

    Known false positives (``absent`` entries carrying a bug) are excluded here: their own xfail
    tests report them.
    """
    got = outcome(name)
    board = got.board
    allowed = [*board.expected, *board.tolerated, *(a for a in board.absent if a.bug)]
    extra = [f for f in got.scoped() if not any(_matches(a, f) for a in allowed)]
    assert not extra, "unplanned findings:\n" + "\n".join(map(_label, extra))


def _clean_params() -> list[Any]:
    params = []
    for name, board in boards().items():
        if not board.clean:
            continue
        bugs = sorted({a.bug for a in board.absent if a.bug})
        marks = (
            [pytest.mark.xfail(strict=True, raises=AssertionError, reason="; ".join(bugs))]
            if bugs
            else []
        )
        params.append(pytest.param(name, id=name, marks=marks))
    return params


@pytest.mark.parametrize("name", _clean_params())
def test_well_kept_board_has_no_warning_or_error(
    name: str, outcome: Callable[[str], Outcome]
) -> None:
    """No in-scope finding at warning or error level (rules outside the brief's scope are not judged)."""
    got = outcome(name)
    tolerated = got.board.tolerated
    loud = [
        f
        for f in got.scoped()
        if f["severity"] in ("warning", "error") and not any(_matches(t, f) for t in tolerated)
    ]
    assert not loud, "\n".join(map(_label, loud))


# ------------------------------------------------------------------------------------------------
# lose nothing: every level-2 heading of every readable queue file is a message, at its line
# ------------------------------------------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_H2 = re.compile(r"^ {0,3}##(?:[ \t]|$)")


def headings(data: bytes) -> list[int]:
    """Lines (LF-counted, as git and editors count them) of the level-2 ATX headings outside fences."""
    text = data.decode("utf-8-sig")
    found: list[int] = []
    fence: str | None = None
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        opener = _FENCE.match(line)
        if fence is not None:
            closes = opener is not None and not opener.group(2).strip()
            if (
                closes
                and opener
                and opener.group(1)[0] == fence[0]
                and len(opener.group(1)) >= len(fence)
            ):
                fence = None
            continue
        if opener and not (opener.group(1)[0] == "`" and "`" in opener.group(2)):
            fence = opener.group(1)
            continue
        if _H2.match(line):
            found.append(number)
    return found


@pytest.mark.parametrize("name", _board_params())
def test_no_message_dropped(name: str, outcome: Callable[[str], Outcome]) -> None:
    got = outcome(name)
    wanted = Counter(
        (path, line)
        for path in got.board.readable_queues
        for line in headings((got.board.root / path).read_bytes())
    )
    messages = got.status()["messages"]
    have = Counter((m["path"], m["line"]) for m in messages)
    assert have == wanted, f"missing {wanted - have}, unexpected {have - wanted}"
    if "messages" in got.board.extra:
        assert len(messages) == int(got.board.extra["messages"])


def test_repeats_in_the_same_minute_get_distinct_ids(outcome: Callable[[str], Outcome]) -> None:
    messages = outcome("long_board").status()["messages"]
    ids = [m["id"] for m in messages]
    assert len(ids) == len(set(ids))
    assert len([i for i in ids if i.endswith("-2")]) == 1


def test_unclosed_fence_keeps_its_text(outcome: Callable[[str], Outcome]) -> None:
    """The spec leaves open whether headings after an unclosed fence are messages; the text stays."""
    got = outcome("edges")
    pages = "".join(p.read_text(encoding="utf-8") for p in got.site.rglob("*.html"))
    assert "Swallowed by the unclosed fence above" in pages


# ------------------------------------------------------------------------------------------------
# the published site: no secret, no live script, byte-identical rebuilds, things kept and shown
# ------------------------------------------------------------------------------------------------


def _site_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.is_file())


@pytest.mark.parametrize("name", _board_params(lambda b: bool(b.secrets or b.forbidden)))
def test_no_secret_anywhere_in_the_site(name: str, outcome: Callable[[str], Outcome]) -> None:
    got = outcome(name)
    needles = [s.encode("utf-8") for s in (*got.board.secrets, *got.board.forbidden)]
    leaks = [
        f"{path.relative_to(got.site)}: {needle.decode()[:12]}…"
        for path in _site_files(got.site)
        for needle in needles
        if needle in path.read_bytes()
    ]
    report = json.dumps(got.findings)
    leaks += [f"lint output: {s[:12]}…" for s in got.board.secrets if s in report]
    assert not leaks, leaks


_LIVE = [
    re.compile(rb"<script[^>]*>\s*alert", re.I),
    re.compile(rb"""(?:href|src|action)\s*=\s*["']?\s*(?:javascript|vbscript|data):""", re.I),
    re.compile(rb"<img[^>]*\sonerror\s*=", re.I),
    re.compile(rb"<a\s[^>]*href\s*=\s*[\"']?javascript", re.I),
]


@pytest.mark.parametrize("name", _board_params())
def test_no_live_script_in_pages(name: str, outcome: Callable[[str], Outcome]) -> None:
    got = outcome(name)
    bad = [
        f"{page.relative_to(got.site)}: {m.group(0)[:60]!r}"
        for page in got.site.rglob("*.html")
        for pattern in _LIVE
        for m in pattern.finditer(page.read_bytes())
    ]
    assert not bad, bad


@pytest.mark.parametrize("name", TWICE)
def test_build_is_byte_identical(name: str, outcome: Callable[[str], Outcome]) -> None:
    got = outcome(name)
    assert got.site_again is not None
    first = [p.relative_to(got.site) for p in _site_files(got.site)]
    second = [p.relative_to(got.site_again) for p in _site_files(got.site_again)]
    assert first == second
    _, mismatch, errors = filecmp.cmpfiles(
        got.site, got.site_again, [str(p) for p in first], shallow=False
    )
    assert not mismatch and not errors, mismatch + errors


@pytest.mark.parametrize("name", _board_params(lambda b: bool(b.shown)))
def test_text_outside_the_grammar_is_kept_and_shown(
    name: str, outcome: Callable[[str], Outcome]
) -> None:
    """Prose around the table, extra columns, unknown header keys and unparsed headings stay visible."""
    got = outcome(name)
    pages = "".join(p.read_text(encoding="utf-8") for p in got.site.rglob("*.html"))
    missing = [text for text in got.board.shown if text not in pages]
    assert not missing, missing


# ------------------------------------------------------------------------------------------------
# status.json: liveness from presence and [sX] commits, claimed paths, UTC timestamps
# ------------------------------------------------------------------------------------------------


def _first_session(status: dict[str, Any], sid: str) -> dict[str, Any]:
    rows = [s for s in status["sessions"] if s["id"] == sid]
    assert rows, f"{sid} missing from status.json sessions"
    first: dict[str, Any] = rows[0]
    return first


@pytest.mark.parametrize("name", _board_params(lambda b: bool(b.liveness or b.paths)))
def test_sessions_liveness_and_paths(name: str, outcome: Callable[[str], Outcome]) -> None:
    got = outcome(name)
    status = got.status()
    for sid, state in got.board.liveness.items():
        assert _first_session(status, sid)["liveness"] == state, sid
    for sid, paths in got.board.paths.items():
        assert sorted(_first_session(status, sid)["paths"]) == sorted(paths), sid
    for key, value in got.board.extra.items():
        if "." in key:
            sid, field = key.split(".", 1)
            assert _first_session(status, sid)[field] == value, key


def _stamps(status: dict[str, Any], *, with_re: bool) -> Iterator[tuple[str, Any]]:
    yield "generated_at", status["generated_at"]
    for s in status["sessions"]:
        for key in ("claimed_at", "presence_at", "last_seen"):
            yield f"{s['id']}.{key}", s.get(key)
    for m in status["messages"]:
        yield f"{m['id']}.at", m.get("at")
        if with_re:
            yield f"{m['id']}.re", m.get("re")
        for ack in m.get("acks", []):
            yield f"{m['id']}.ack.at", ack.get("at")


@pytest.mark.parametrize("name", _board_params())
def test_status_json_timestamps_are_utc(name: str, outcome: Callable[[str], Outcome]) -> None:
    bad = [
        (k, v)
        for k, v in _stamps(outcome(name).status(), with_re=False)
        if v and not UTC_STAMP.match(v)
    ]
    assert not bad, bad


@pytest.mark.parametrize("name", boards())
def test_status_json_re_is_utc(name: str, outcome: Callable[[str], Outcome]) -> None:
    status = outcome(name).status()
    bad = [
        (m["id"], m["re"])
        for m in status["messages"]
        if m.get("re") and not UTC_STAMP.match(m["re"])
    ]
    assert not bad, bad
