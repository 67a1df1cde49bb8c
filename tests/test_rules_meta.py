"""The registry keeps its promises: every rule is documented, has cases, and keeps its public name."""

from __future__ import annotations

import importlib
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import rules
from generator.config import parse_config
from generator.model import Severity
from generator.rules.base import DOC_SECTIONS, FAILURE_MODES, Rule

CASES_DIR = Path(__file__).parent / "rules" / "cases"
KEBAB = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
CASE_KEYS = {"name", "now", "config", "files", "files_at", "commits", "expect", "pending"}

# The rule catalogue's names in its order: the public contract (JSON, SARIF, the site). A rule
# registered under any other name, or out of this order, is a broken promise.
CATALOGUE: tuple[str, ...] = (
    # parsing
    "file-unreadable",
    "scoreboard-parse",
    "message-parse",
    "export-parse",
    "non-canonical-timestamp",
    "future-timestamp",
    # scoreboard and identity
    "bad-session-id",
    "bad-display-name",
    "duplicate-claim",
    "stale-claim",
    "missing-heartbeat",
    "task-placeholder",
    "scope-overlap",
    "claim-not-committed-atomically",
    # queues and the ack chain
    "misfiled-message",
    "unknown-recipient",
    "unacked-message",
    "broadcast-unacked",
    "illegal-ack-transition",
    "ack-status-mismatch",
    "ack-by-wrong-party",
    "message-rewritten",
    "message-deleted",
    "handoff-without-ref",
    "dangling-reply",
    "relay-without-source",
    # git discipline
    "commit-prefix-missing",
    "ghost-session-commit",
    "trespass",
    "mixed-session-commit",
    # the human bridge
    "telegram-as-bus",
    # task trackers
    "bass-illegal-transition",
    "bass-review-bypass",
    "bass-unauthorised-signoff",
    "subagent-updates-tracker",
    "blocked-without-note",
    "stale-in-progress",
    "handoff-without-assignee",
    "assignee-mismatch",
    "dependency-cycle",
    "dangling-dependency",
    "bridge-not-reconciled",
    "claimed-task-closed",
    "task-claimed-twice",
    "tracker-state-mismatch",
    # inter-agent calls
    "send-without-timeout-zero",
    "send-to-spawn-only",
    "send-to-unknown-session",
    "spawn-missing-label",
    "spawn-missing-timeout",
    "spawn-cleanup-not-keep",
    "spawn-brief-no-output-path",
    "busy-polling",
    "dnd-announcement",
    # Claude Code transcripts and MCP Agent Mail archives
    "subagent-without-description",
    "mail-ack-overdue",
    "reservation-overlap",
    "reservation-not-released",
    "reserved-path-commit",
    "transcript-claim-mismatch",
    # safety of the published site
    "secret-in-board",
    "raw-html-in-message",
    "markdown-not-rendered",
)
# The code's hundreds say the catalogue section.
SECTION_CODES = {
    "file-unreadable": "SB1",
    "bad-session-id": "SB2",
    "misfiled-message": "SB3",
    "commit-prefix-missing": "SB4",
    "telegram-as-bus": "SB5",
    "bass-illegal-transition": "SB6",
    "send-without-timeout-zero": "SB7",
    "secret-in-board": "SB9",
}


def _section_prefix(name: str) -> str:
    prefix = ""
    for entry in CATALOGUE[: CATALOGUE.index(name) + 1]:
        prefix = SECTION_CODES.get(entry, prefix)
    return prefix


def _case_files() -> dict[str, list[dict[str, Any]]]:
    return {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) or []
        for p in sorted(CASES_DIR.glob("*.yml"))
    }


RULE_IDS = [r.name for r in rules.RULES]


@pytest.mark.parametrize("rule", rules.RULES, ids=RULE_IDS)
def test_rule_is_documented(rule: Rule) -> None:
    summary = rule.doc.strip().splitlines()[0]
    assert summary and not summary.startswith("#"), "the docstring starts with a summary line"
    for title in DOC_SECTIONS:
        assert rule.section(title), f"{rule.name}: the `## {title}` section is missing or empty"
    assert "```" in rule.section("Example"), f"{rule.name}: the example is a fenced block"
    assert rule.failure_mode in FAILURE_MODES
    assert rule.section("Why it matters").startswith(FAILURE_MODES[rule.failure_mode].split(":")[0])


@pytest.mark.parametrize("rule", rules.RULES, ids=RULE_IDS)
def test_rule_lives_in_its_own_module(rule: Rule) -> None:
    module = importlib.import_module(f"generator.rules.{rule.name.replace('-', '_')}")
    assert module.RULE is rule
    assert rule.doc == module.__doc__


@pytest.mark.parametrize("rule", rules.RULES, ids=RULE_IDS)
def test_rule_name_and_code(rule: Rule) -> None:
    assert KEBAB.match(rule.name)
    assert rule.name in CATALOGUE, f"{rule.name} is not a name of the rule catalogue"
    assert re.fullmatch(r"SB\d{3}", rule.code)
    assert rule.code.startswith(_section_prefix(rule.name)), "the code's hundreds are its section"
    assert isinstance(rule.severity, Severity)


def test_registry_is_unique_and_in_catalogue_order() -> None:
    names = [r.name for r in rules.RULES]
    codes = [r.code for r in rules.RULES]
    assert not [n for n, k in Counter(names).items() if k > 1]
    assert not [c for c, k in Counter(codes).items() if k > 1]
    assert names == sorted(names, key=CATALOGUE.index)
    assert codes == sorted(codes), "codes follow the catalogue order"


@pytest.mark.parametrize("rule", rules.RULES, ids=RULE_IDS)
def test_rule_has_passing_and_failing_cases(rule: Rule) -> None:
    cases = _case_files().get(rule.name)
    assert cases, f"tests/rules/cases/{rule.name}.yml is missing or empty"
    passing = [c for c in cases if not c["expect"]]
    failing = [c for c in cases if c["expect"]]
    assert len(passing) >= 1, f"{rule.name}: no passing case"
    assert len(failing) >= 2, f"{rule.name}: fewer than two failing cases"


def test_case_files_are_well_formed() -> None:
    for rule_name, cases in _case_files().items():
        assert rule_name in rules.BY_NAME, f"{rule_name}.yml names no registered rule"
        names = [c["name"] for c in cases]
        assert len(set(names)) == len(names), f"{rule_name}.yml: duplicate case names"
        for case in cases:
            where = f"{rule_name}.yml / {case.get('name')}"
            assert set(case) <= CASE_KEYS, f"{where}: unknown keys {set(case) - CASE_KEYS}"
            assert {"name", "now", "files", "expect"} <= set(case), f"{where}: a required key"
            parse_config(case.get("config") or {}, where)  # a typo in a case's config is an error
            for rule_key in (case.get("config") or {}).get("rules", {}):
                assert rule_key in rules.BY_NAME, f"{where}: config names unknown rule {rule_key}"
            for want in case["expect"] or []:
                assert {"path", "line", "contains"} <= set(want), f"{where}: expect entry {want}"


def test_readers_file_problems_under_registered_rules() -> None:
    # A reader's problem is surfaced by the rule it names; a name nobody registered would be lost.
    import pkgutil

    import generator.readers as readers

    named: set[str] = set()
    for info in pkgutil.iter_modules(readers.__path__, "generator.readers."):
        rule_name = getattr(importlib.import_module(info.name), "RULE", None)
        if isinstance(rule_name, str):
            named.add(rule_name)
    assert named, "the readers name the rules of their problems in a module-level RULE"
    assert named <= set(rules.BY_NAME), named - set(rules.BY_NAME)
