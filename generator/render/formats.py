"""Lint output formats: small pure functions from findings to text (text, json, sarif, junit, github)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

from generator import __version__
from generator.model import Finding, Severity
from generator.rules.base import Rule

INFORMATION_URI = "https://github.com/statusboard/statusboard"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def location(f: Finding) -> str:
    """`path:line`, or `path` for findings without a line (facts from git)."""
    return f"{f.path}:{f.line}" if f.line is not None else f.path


def counts(findings: Sequence[Finding]) -> dict[str, int]:
    """Findings by severity, every severity present (zero included)."""
    out = {s.value: 0 for s in Severity}
    for f in findings:
        out[f.severity.value] += 1
    return out


def summary_line(findings: Sequence[Finding]) -> str:
    """`2 errors, 1 warning, 0 info` or `no findings`."""
    if not findings:
        return "no findings"
    c = counts(findings)
    plural = {"error": "errors", "warning": "warnings", "info": "info"}
    return ", ".join(
        f"{c[k]} {plural[k] if c[k] != 1 else k}" for k in ("error", "warning", "info")
    )


def finding_record(f: Finding) -> dict[str, Any]:
    """One finding as a JSON object (the `lint.json` shape)."""
    record: dict[str, Any] = {
        "rule": f.rule,
        "severity": f.severity.value,
        "path": f.path,
        "line": f.line,
        "message": f.message,
    }
    if f.commit is not None:
        record["commit"] = f.commit
    return record


def format_text(findings: Sequence[Finding], rules: Sequence[Rule]) -> str:
    """`path:line: severity rule message` lines (as ruff and eslint print), then a summary line."""
    # One finding per line, always: a newline inside a message would split it in two.
    lines = [
        f"{location(f)}: {f.severity.value} {f.rule} {' '.join(f.message.split())}"
        for f in findings
    ]
    lines.append(("" if not findings else "\n") + summary_line(findings))
    return "\n".join(lines) + "\n"


def format_json(findings: Sequence[Finding], rules: Sequence[Rule]) -> str:
    """The `lint.json` document: a list of findings."""
    return json.dumps([finding_record(f) for f in findings], indent=2, ensure_ascii=False) + "\n"


def sarif_uri(path: str) -> str:
    """A repository path as the relative URI reference SARIF requires (§3.10.2): spaces, `#`,
    `%`, `?` and non-ASCII percent-encoded (UTF-8), `/` kept. JSON and JUnit keep plain paths."""
    return quote(path, safe="/")


def sarif_document(
    findings: Sequence[Finding], rules: Sequence[Rule], help_base: str | None = None
) -> dict[str, Any]:
    """SARIF 2.1.0 with one run; rule ids are the stable kebab-case names."""
    index = {r.name: i for i, r in enumerate(rules)}
    driver_rules = []
    for r in rules:
        entry: dict[str, Any] = {
            "id": r.name,
            "name": "".join(part.capitalize() for part in r.name.split("-")),
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": r.section("What it finds") or r.summary},
            "help": {"text": r.body, "markdown": r.body},
            "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
            "properties": {"tags": [r.failure_mode], "code": r.code},
        }
        if help_base:
            entry["helpUri"] = f"{help_base.rstrip('/')}/rules/{r.name}.html"
        driver_rules.append(entry)
    results = []
    for f in findings:
        artifact = {"uri": sarif_uri(f.path), "uriBaseId": "SRCROOT"}
        physical: dict[str, Any] = {"artifactLocation": artifact}
        if f.line is not None:
            physical["region"] = {"startLine": f.line}
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [{"physicalLocation": physical}],
        }
        if f.rule in index:
            result["ruleIndex"] = index[f.rule]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "statusboard",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": driver_rules,
                    }
                },
                "originalUriBaseIds": {"SRCROOT": {"description": {"text": "repository root"}}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def format_sarif(findings: Sequence[Finding], rules: Sequence[Rule]) -> str:
    return json.dumps(sarif_document(findings, rules), indent=2, ensure_ascii=False) + "\n"


def format_junit(findings: Sequence[Finding], rules: Sequence[Rule]) -> str:
    """One test case per rule; a rule with findings fails and lists them, `path:line` first."""
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    failing = sum(1 for r in rules if by_rule.get(r.name))
    suites = ET.Element(
        "testsuites", name="statusboard", tests=str(len(rules)), failures=str(failing)
    )
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="statusboard lint",
        tests=str(len(rules)),
        failures=str(failing),
        errors="0",
        skipped="0",
    )
    for r in rules:
        hits = by_rule.get(r.name, [])
        case = ET.SubElement(
            suite, "testcase", name=r.name, classname=f"statusboard.{r.failure_mode}"
        )
        if hits:
            first = hits[0]
            case.set("file", first.path)
            if first.line is not None:
                case.set("line", str(first.line))
            failure = ET.SubElement(
                case,
                "failure",
                message=f"{len(hits)} finding{'s' if len(hits) != 1 else ''}: {first.message}",
                type=max((h.severity for h in hits), key=lambda s: s.rank).value,
            )
            failure.text = "\n".join(
                f"{location(h)}: {h.severity.value}: {h.message}" for h in hits
            )
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(findings: Sequence[Finding], rules: Sequence[Rule]) -> str:
    """Workflow commands (`::error file=…,line=…,title=…::message`), one per finding."""
    lines = []
    for f in findings:
        props = [f"file={_escape_property(f.path)}"]
        if f.line is not None:
            props.append(f"line={f.line}")
        props.append(f"title={_escape_property(f.rule)}")
        lines.append(f"::{_GITHUB_LEVEL[f.severity]} {','.join(props)}::{_escape_data(f.message)}")
    lines.append(summary_line(findings))
    return "\n".join(lines) + "\n"


def step_summary(findings: Sequence[Finding], limit: int = 1_000_000) -> str:
    """A markdown table of every finding for `$GITHUB_STEP_SUMMARY` (annotations show only 10)."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    head = f"### statusboard lint: {summary_line(findings)}\n\n"
    if not findings:
        return head
    rows = ["| severity | rule | where | message |", "|---|---|---|---|"]
    size = len(head)
    for n, f in enumerate(findings):
        row = f"| {f.severity.value} | `{f.rule}` | `{cell(location(f))}` | {cell(f.message)} |"
        size += len(row.encode()) + 1
        if size > limit - 200:
            rows.append(f"| … | | | {len(findings) - n} more in lint.json |")
            break
        rows.append(row)
    return head + "\n".join(rows) + "\n"


Formatter = Callable[[Sequence[Finding], Sequence[Rule]], str]

FORMATS: dict[str, Formatter] = {
    "text": format_text,
    "json": format_json,
    "sarif": format_sarif,
    "junit": format_junit,
    "github": format_github,
}
