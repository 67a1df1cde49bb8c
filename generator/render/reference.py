"""Reference sections of the docs generated from the code: rules, commands, failure modes.

The shipped docs hold markers (`<!-- statusboard:rules -->`) and rule links (`[x](rule:stale-claim)`);
`expand` replaces them when a site is built, so the reference can never drift from the registry,
the argparse parser or the failure-mode table. Pure: returns markdown, writes nothing.
"""

from __future__ import annotations

import argparse
import logging
import posixpath
import re
from collections.abc import Callable

from generator import rules as rule_registry
from generator.rules.base import FAILURE_MODES, Rule

log = logging.getLogger(__name__)

RulePage = Callable[[str], str]  # rule name -> the path of its page, in the site's page namespace

MARKER = re.compile(r"^<!--\s*statusboard:(?P<name>[a-z-]+)\s*-->[ \t]*$", re.M)
RULE_LINK = re.compile(r"\]\(rule:(?P<name>[A-Za-z0-9-]+)(?P<anchor>#[^)\s]*)?\)")

# The code's hundreds name the catalogue section (see generator/rules/__init__.py).
FAMILIES: tuple[tuple[str, str], ...] = (
    ("SB1", "Parsing"),
    ("SB2", "Scoreboard and identity"),
    ("SB3", "Queues and the ack chain"),
    ("SB4", "Git discipline"),
    ("SB5", "The human bridge"),
    ("SB6", "Task trackers"),
    ("SB7", "Inter-agent calls"),
    ("SB9", "Safety of the published site"),
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def _link(page: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def family(rule: Rule) -> str:
    """The catalogue section a rule belongs to, from its code."""
    return next((title for prefix, title in FAMILIES if rule.code.startswith(prefix)), "Other")


def failure_mode_title(key: str) -> str:
    """`Stale claim` for `stale-claim`: the part of the description before its colon."""
    return FAILURE_MODES.get(key, key).split(":", 1)[0]


def rules_catalogue(page: str, rule_page: RulePage) -> str:
    """Every registered rule, by catalogue section, linking to its page."""
    out: list[str] = []
    for _prefix, title in (*FAMILIES, ("", "Other")):
        rules = [r for r in rule_registry.RULES if family(r) == title]
        if not rules:
            continue
        out += [f"### {title}", "", "| Code | Rule | Default severity | What it finds |"]
        out.append("|---|---|---|---|")
        for r in rules:
            link = _link(page, rule_page(r.name))
            out.append(
                f"| `{r.code}` | [`{r.name}`]({link}) | {r.severity.value} | {_cell(r.summary)} |"
            )
        out.append("")
    return "\n".join(out)


def failure_modes(page: str, rule_page: RulePage) -> str:
    """Each failure mode of the protocol with the rules that guard against it."""
    out = ["| Failure mode | What goes wrong | Guarded by |", "|---|---|---|"]
    for key, text in FAILURE_MODES.items():
        title, _, what = text.partition(":")
        guards = [r for r in rule_registry.RULES if r.failure_mode == key]
        names = ", ".join(f"[`{r.name}`]({_link(page, rule_page(r.name))})" for r in guards)
        out.append(f"| {_cell(title)} | {_cell(what)} | {names or 'no rule yet'} |")
    return "\n".join(out) + "\n"


def _option_row(action: argparse.Action) -> str:
    if action.option_strings:
        names = ", ".join(f"`{s}`" for s in action.option_strings)
        # A value with choices is named by its choices, listed in the meaning.
        if action.metavar or (action.nargs != 0 and action.choices is None):
            names += f" `{action.metavar or action.dest.upper()}`"
    else:
        names = f"`{action.metavar or action.dest}`"
    details = action.help or ""
    if action.choices is not None and not isinstance(action, argparse._SubParsersAction):
        details += " — one of " + ", ".join(f"`{c}`" for c in action.choices)
    shown = action.default not in (None, False, argparse.SUPPRESS) and not action.required
    if shown and f"default: {action.default}" not in details:
        details += f" (default: `{action.default}`)"
    return f"| {names} | {_cell(details)} |"


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The parser's subcommands by name, in the order they were added."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def command_reference(parser: argparse.ArgumentParser | None = None) -> str:
    """Every command and option of `statusboard`, from the argparse parser itself."""
    if parser is None:
        from generator.commands import parser as command_parser

        parser = command_parser()
    helps: dict[str, str] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
    out: list[str] = []
    for name, sub in subcommands(parser).items():
        about = sub.description or helps.get(name, "").capitalize() + "."
        out += [f"### `statusboard {name}`", "", about, ""]
        # A fixed width: argparse would otherwise wrap at the terminal's, and the page would vary.
        formatter = argparse.HelpFormatter(sub.prog, width=88)
        formatter.add_usage(sub.usage, sub._actions, sub._mutually_exclusive_groups, prefix="")
        out += ["```text", formatter.format_help().strip("\n"), "```", ""]
        rows = [_option_row(a) for a in sub._actions if not isinstance(a, argparse._HelpAction)]
        if rows:
            out += ["| Argument | Meaning |", "|---|---|", *rows, ""]
    return "\n".join(out)


_GENERATORS: dict[str, Callable[[str, RulePage], str]] = {
    "rules": rules_catalogue,
    "failure-modes": failure_modes,
    "commands": lambda _page, _rule_page: command_reference(),
}
MARKERS = tuple(_GENERATORS)


def expand(
    markdown: str, page: str, rule_page: RulePage, warn: Callable[[str], None] | None = None
) -> str:
    """`markdown` with its markers replaced and its `rule:` links pointing at `rule_page`.

    `page` is the path of the page being expanded in the same namespace as `rule_page`'s
    results, so the links come out relative. Unknown markers and rules are left as written and
    reported through `warn` (the mkdocs plugin passes its logger, so a strict build fails).
    """
    report = warn or log.warning

    def marker(m: re.Match[str]) -> str:
        generate = _GENERATORS.get(m.group("name"))
        if generate is None:
            report(f"{page}: unknown statusboard marker {m.group('name')!r}")
            return m.group(0)
        return generate(page, rule_page).rstrip("\n")

    def link(m: re.Match[str]) -> str:
        name = m.group("name")
        if name not in rule_registry.BY_NAME:
            report(f"{page}: link to unknown rule {name!r}")
            return m.group(0)
        return f"]({_link(page, rule_page(name))}{m.group('anchor') or ''})"

    return RULE_LINK.sub(link, MARKER.sub(marker, markdown))


def rule_page_markdown(rule: Rule) -> str:
    """A rule's documentation as a standalone page (for sites without a board's rule pages)."""
    return "\n".join(
        [
            f"# {rule.name}",
            "",
            rule.summary,
            "",
            "| Code | Default severity | Section | Failure mode |",
            "|---|---|---|---|",
            f"| `{rule.code}` | {rule.severity.value} | {family(rule)} | "
            f"{_cell(failure_mode_title(rule.failure_mode))} |",
            "",
            rule.body,
            "",
            f"The same text in a terminal: `statusboard rules {rule.name}`.",
            "",
        ]
    )
