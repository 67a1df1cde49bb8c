"""The lint report (lint.md.j2) and the rule pages (rules_index.md.j2, rule.md.j2)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator import rules as rule_registry
from generator.model import Finding, Severity
from generator.render.pages.common import Render, finding_key
from generator.render.pages.locations import Locations
from generator.result import Result
from generator.rules.base import DOC_SECTIONS, FAILURE_MODES, Rule

_RULE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass(frozen=True, slots=True)
class RuleView:
    """A rule with its configured severity and this run's findings."""

    rule: Rule
    configured: Severity | None  # None: turned off
    ran: bool
    findings: int
    failure_mode: str

    @property
    def title(self) -> str:
        """The rule's name where it is a plain kebab-case word (it is used in a heading and a path)."""
        return self.rule.name if _RULE_NAME.match(self.rule.name) else f"rule-{self.rule.code}"

    @property
    def page(self) -> str:
        return f"rules/{self.title}.md"


def rule_views(result: Result) -> list[RuleView]:
    """Every rule, the ones that ran and the registry's, by code."""
    counts = Counter(f.rule for f in result.findings)
    ran = {r.name for r in result.rules}
    seen: dict[str, Rule] = {}
    for r in (*result.rules, *rule_registry.RULES):  # what ran wins a name clash
        seen.setdefault(r.name, r)
    return [
        RuleView(
            rule=r,
            configured=result.config.severity_for(r.name, r.severity),
            ran=r.name in ran,
            findings=counts[r.name],
            failure_mode=FAILURE_MODES.get(r.failure_mode, r.failure_mode),
        )
        for r in sorted(seen.values(), key=lambda r: (r.code, r.name))
    ]


def render_lint(
    render: Render,
    result: Result,
    rules: list[RuleView],
    status: dict[str, Any],
    locations: Locations,
    md_block: Callable[..., Markup],
    md_inline: Callable[[str], Markup],
    onboard_page: str | None = None,
) -> None:
    """lint/index.md (the findings by rule and by file), rules/index.md and a page per rule."""
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in sorted(result.findings, key=finding_key):
        by_rule[f.rule].append(f)
        by_file[f.path].append(f)
    for fs in by_file.values():
        fs.sort(key=Finding.sort_key)
    # Row order for each grouping (the script reorders; the build's is the no-script one).
    order = {id(f): i for i, f in enumerate(sorted(result.findings, key=finding_key))}
    file_order = {
        id(f): i for i, f in enumerate(f for _p, fs in sorted(by_file.items()) for f in fs)
    }
    rank = {rule: max(x.severity.rank for x in fs) for rule, fs in by_rule.items()}
    by_rule_sorted = sorted(by_rule.items(), key=lambda kv: (-rank[kv[0]], kv[0]))
    rule_order = {id(f): i for i, f in enumerate(f for _r, fs in by_rule_sorted for f in fs)}
    rule_pages = {rv.rule.name: rv.page for rv in rules}
    render(
        "lint.md.j2",
        "lint/index.md",
        findings=status["findings"],
        by_rule=by_rule_sorted,
        by_file=sorted(by_file.items()),
        rule_pages=rule_pages,
        rule_summaries={rv.rule.name: rv.rule.summary for rv in rules},
        file_ids={p: f"file-{i + 1}" for i, p in enumerate(sorted(by_file))},
        order=lambda f: order[id(f)],
        rule_order=lambda f: rule_order[id(f)],
        file_order=lambda f: file_order[id(f)],
        where=locations.of,
        has_sources=result.board.has_sources,
        onboard_page=onboard_page,
    )
    render("rules_index.md.j2", "rules/index.md", rules=rules)
    for rv in rules:
        sections = [
            (title, md_block(rv.rule.section(title), heading_offset=2)) for title in DOC_SECTIONS
        ]
        render("rule.md.j2", rv.page, rv=rv, sections=sections, summary=md_inline(rv.rule.summary))
