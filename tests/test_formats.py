"""The lint output formats: text, json, sarif, junit, github (pure functions over findings)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from generator.model import Finding, Severity
from generator.render import formats
from generator.rules.base import Rule

DOC = """A demo rule for the formatter tests.

## What it finds
Things.

## Why it matters
Reasons.

## Example
`x`

## Fix
Do y.
"""


def _rule(name: str, severity: Severity = Severity.ERROR) -> Rule:
    return Rule(name, f"SB9{len(name):02d}", severity, "lossy-relay", DOC, lambda ctx: ())


RULES = (_rule("first-rule"), _rule("second-rule", Severity.WARNING), _rule("quiet-rule"))
FINDINGS = (
    Finding("first-rule", Severity.ERROR, "docs/ai/sessions/active.md", 4, "bad row: 100%, a:b"),
    Finding("first-rule", Severity.ERROR, "docs/ai/sessions/queue/to-sA.md", 12, "multi\nline"),
    Finding("second-rule", Severity.WARNING, "services/x.py", None, "from git", commit="abc1234"),
)


def test_text_is_path_line_severity_rule_message() -> None:
    out = formats.format_text(FINDINGS, RULES).splitlines()
    assert out[0] == "docs/ai/sessions/active.md:4: error first-rule bad row: 100%, a:b"
    assert out[1] == "docs/ai/sessions/queue/to-sA.md:12: error first-rule multi line"
    assert out[2] == "services/x.py: warning second-rule from git"
    assert out[-1] == "2 errors, 1 warning, 0 info"


def test_text_clean() -> None:
    assert formats.format_text((), RULES) == "no findings\n"


def test_json_is_a_list_of_findings() -> None:
    data = json.loads(formats.format_json(FINDINGS, RULES))
    assert data[0] == {
        "rule": "first-rule",
        "severity": "error",
        "path": "docs/ai/sessions/active.md",
        "line": 4,
        "message": "bad row: 100%, a:b",
    }
    assert data[2]["line"] is None and data[2]["commit"] == "abc1234"


def test_sarif_shape() -> None:
    doc = json.loads(formats.format_sarif(FINDINGS, RULES))
    assert doc["version"] == "2.1.0"
    (run,) = doc["runs"]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert ids == ["first-rule", "second-rule", "quiet-rule"]
    assert run["tool"]["driver"]["rules"][1]["defaultConfiguration"]["level"] == "warning"
    first = run["results"][0]
    assert first["ruleId"] == "first-rule" and first["ruleIndex"] == 0
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "docs/ai/sessions/active.md", "uriBaseId": "SRCROOT"}
    assert loc["region"] == {"startLine": 4}
    assert "region" not in run["results"][2]["locations"][0]["physicalLocation"]


def test_sarif_empty_run_still_has_results() -> None:
    doc = formats.sarif_document((), RULES)
    assert doc["runs"][0]["results"] == []


def test_junit_one_case_per_rule() -> None:
    root = ET.fromstring(formats.format_junit(FINDINGS, RULES).split("\n", 1)[1])
    cases = root.findall(".//testcase")
    assert [c.get("name") for c in cases] == ["first-rule", "second-rule", "quiet-rule"]
    assert root.get("tests") == "3" and root.get("failures") == "2"
    failure = cases[0].find("failure")
    assert failure is not None and failure.get("message", "").startswith("2 findings")
    assert cases[0].get("file") == "docs/ai/sessions/active.md" and cases[0].get("line") == "4"
    assert "docs/ai/sessions/queue/to-sA.md:12" in (failure.text or "")
    assert cases[2].find("failure") is None


def test_github_annotations_escape() -> None:
    lines = formats.format_github(FINDINGS, RULES).splitlines()
    assert lines[0] == (
        "::error file=docs/ai/sessions/active.md,line=4,title=first-rule::bad row: 100%25, a:b"
    )
    assert lines[1].endswith("::multi%0Aline")
    assert lines[2] == "::warning file=services/x.py,title=second-rule::from git"


def test_step_summary_caps_size() -> None:
    many = [Finding("first-rule", Severity.ERROR, f"f{i}.md", i, "x" * 200) for i in range(200)]
    text = formats.step_summary(many, limit=5_000)
    assert len(text.encode()) <= 5_000
    assert "more in lint.json" in text


def test_sarif_uris_are_valid_uri_references_and_other_formats_keep_plain_paths() -> None:
    """SARIF 2.1.0 §3.10.2: `uri` is a URI reference (RFC 3986), so spaces, `#`, `%`, `?`, `:`
    in a first segment and non-ASCII are percent-encoded; decoding gives the path back."""
    import re
    from urllib.parse import unquote, urlsplit

    paths = [
        "backlog/tasks/back-2.01 - Sub.md",
        "docs/#7 100% done?.md",
        "notes/Zoë/ü.md",
        "a:b.md",
    ]
    found = tuple(Finding("first-rule", Severity.ERROR, p, 1, "x") for p in paths)
    doc = json.loads(formats.format_sarif(found, RULES))
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in doc["runs"][0]["results"]
    ]
    allowed = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*$")
    for path, uri in zip(paths, uris, strict=True):
        assert allowed.match(uri), uri
        parts = urlsplit(uri)
        assert not parts.scheme and not parts.query and not parts.fragment  # one relative path
        assert unquote(uri) == path
    assert uris[0] == "backlog/tasks/back-2.01%20-%20Sub.md"
    assert [r["path"] for r in json.loads(formats.format_json(found, RULES))] == paths
    junit = formats.format_junit(found, RULES)
    assert 'file="backlog/tasks/back-2.01 - Sub.md"' in junit
