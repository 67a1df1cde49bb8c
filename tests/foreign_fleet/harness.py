"""Running statusboard on a source set the way a user does: the command, in-process, its JSON."""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.cli import main
from tests.foreign_fleet.kit import Finding, FleetSet


@dataclass
class Outcome:
    """What the tool made of one set: exit codes (or ``crash: …``), output and findings."""

    name: str
    root: Path
    commits: dict[str, str]
    lint_code: int | str
    lint_err: str
    findings: list[Finding]
    build_code: int | str | None
    build_err: str
    site: Path | None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "root": str(self.root),
            "commits": self.commits,
            "lint_code": self.lint_code,
            "lint_err": self.lint_err,
            "findings": self.findings,
            "build_code": self.build_code,
            "build_err": self.build_err,
            "site": str(self.site) if self.site else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Outcome:
        site = data["site"]
        return cls(
            name=data["name"],
            root=Path(data["root"]),
            commits=dict(data["commits"]),
            lint_code=data["lint_code"],
            lint_err=data["lint_err"],
            findings=list(data["findings"]),
            build_code=data["build_code"],
            build_err=data["build_err"],
            site=Path(site) if site else None,
        )


def run(argv: list[str]) -> tuple[int | str, str]:
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


def produce(fleet: FleetSet, base: Path) -> Outcome:
    """Write the set's repository under ``base``, lint it to JSON and, for site sets, build it."""
    built = fleet.build(base / "repo")
    report = base / "lint.json"
    lint_code, lint_err = run(
        ["lint", str(built.root), "--now", fleet.now, "--format", "json", "--output", str(report)]
    )
    findings: list[Finding] = []
    if report.exists():
        try:
            findings = json.loads(report.read_text(encoding="utf-8"))
        except ValueError as bad:
            lint_err += f"\nlint.json is not JSON: {bad}"
    build_code: int | str | None = None
    build_err = ""
    site: Path | None = None
    if fleet.site:
        site = base / "site"
        build_code, build_err = run(
            ["build", str(built.root), "-o", str(site), "--now", fleet.now, "-q"]
        )
    return Outcome(
        fleet.name,
        built.root,
        built.commits,
        lint_code,
        lint_err,
        findings,
        build_code,
        build_err,
        site,
    )
