"""The `statusboard` command line as data: the argparse parser, its commands and their help.

Kept apart from `generator.cli` (which runs the commands) so the generated command reference
(`generator.render.reference`) can read it without importing the pipeline and the renderers.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from generator import __version__
from generator.render.formats import FORMATS

FAIL_LEVELS = ("error", "warning", "info", "never")


def parser() -> Parser:
    """The `statusboard` command line: every command, its options and their help."""
    parser = Parser(
        prog="statusboard",
        description="A status site and an anti-pattern lint for the git blackboard of parallel AI "
        "coding sessions.",
        epilog="Exit status: 0 clean, 1 findings at or above the fail level, 2 usage or tool error.",
    )
    parser.add_argument("--version", action="version", version=f"statusboard {__version__}")
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=Parser
    )

    def common(p: argparse.ArgumentParser, repo: bool = True) -> None:
        if repo:
            p.add_argument(
                "repo",
                nargs="?",
                default=".",
                metavar="REPO",
                help="the git repository to read, or a folder inside it (default: .)",
            )
            p.add_argument(
                "--config",
                metavar="FILE",
                help="configuration file (default: statusboard.toml in REPO)",
            )
            p.add_argument(
                "--allow-no-git",
                action="store_true",
                help="read REPO even when it is in no git repository: its files, without history",
            )
            p.add_argument(
                "--no-cache",
                action="store_true",
                help="read the whole git history again; neither read nor write the history "
                "cache (.statusboard-cache/)",
            )
        p.add_argument(
            "--now",
            metavar="TS",
            help="fix the clock (YYYY-MM-DDTHH:MMZ) for reproducible output "
            "(default: the current time)",
        )
        p.add_argument(
            "-v",
            "--verbose",
            action="store_true",
            help="show each stage's progress and mkdocs' log (default: progress only on an "
            "interactive terminal, never when CI is set)",
        )

    fail_help = "fail (exit 1) on findings at or above this level (default: error)"
    select_help = "comma-separated rule names to run (default: every rule)"
    port_help = "the port to listen on, on 127.0.0.1 only (default: 8000)"
    p = sub.add_parser("build", help="write the static site and the machine outputs")
    common(p)
    p.add_argument(
        "-o", "--output", default="site", metavar="SITE", help="output folder (default: site/)"
    )
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("--fail-on", choices=FAIL_LEVELS, default="error", help=fail_help)
    p.add_argument("--select", metavar="RULES", help=select_help)
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    p.add_argument(
        "--mkdocs-project",
        metavar="DIR",
        help="also write the generated mkdocs project (mkdocs.yml, docs/) to DIR, "
        "to build it with another engine such as Zensical",
    )
    p.add_argument(
        "--claude-projects",
        action="store_true",
        help="also read your own ~/.claude/projects sessions of this repository's worktrees "
        "(local boards only; ignored when CI=true)",
    )

    p = sub.add_parser("lint", help="read the board and report findings")
    common(p)
    p.add_argument(
        "--format", choices=tuple(FORMATS), default="text", help="output format (default: text)"
    )
    p.add_argument("--fail-on", choices=FAIL_LEVELS, default="error", help=fail_help)
    p.add_argument("--select", metavar="RULES", help=select_help)
    p.add_argument("--output", metavar="FILE", help="write the report to FILE instead of stdout")

    p = sub.add_parser("serve", help="build, serve on localhost and rebuild on change")
    common(p)
    p.add_argument(
        "-o",
        "--output",
        default="site",
        metavar="SITE",
        help="the folder to build the site into and serve (default: site/)",
    )
    p.add_argument("--port", type=int, default=8000, help=port_help)
    p.add_argument(
        "--claude-projects",
        action="store_true",
        help="also read your own ~/.claude/projects sessions of this repository's worktrees",
    )

    p = sub.add_parser("demo", help="build the bundled demo board")
    common(p, repo=False)
    p.add_argument(
        "-o", "--output", default="site", metavar="SITE", help="output folder (default: site/)"
    )
    p.add_argument(
        "--serve", action="store_true", help="then serve it on localhost (default: only build)"
    )
    p.add_argument("--port", type=int, default=8000, help=f"with --serve: {port_help}")

    p = sub.add_parser(
        "inbox", help="print what waits on one session or agent now (read-only; for a hook)"
    )
    p.add_argument("id", metavar="ID", help="session id, display name, agent id or `human`")
    common(p)
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")

    p = sub.add_parser("org", help="build one site over many repositories' boards")
    p.add_argument(
        "--config",
        required=True,
        metavar="FILE",
        help="the org file: a TOML list of [[repo]] tables, each with path = or status =",
    )
    p.add_argument(
        "-o", "--output", default="site", metavar="SITE", help="output folder (default: site/)"
    )
    common(p, repo=False)

    p = sub.add_parser("rules", help="list the rules, or show one rule's documentation")
    p.add_argument(
        "name",
        nargs="?",
        metavar="NAME",
        help="a rule's name or code, such as stale-claim (default: list every rule)",
    )
    parser.commands = sub.choices
    return parser


_DESCRIPTIONS = {
    "build": "Read the board (the scoreboard, the queues, the optional sources and the git "
    "history), lint it, and write the static status site with status.json, lint.json, "
    "lint.sarif and lint.junit.xml into SITE.",
    "lint": "Read the board and report the findings (path:line: severity rule message); the exit "
    "status says whether any is at or above the fail level.",
    "serve": "Build the site into SITE and serve it on 127.0.0.1 with live reload: a change to "
    "any board source, the configuration or the git refs rebuilds it and reloads the open "
    "pages; a failed rebuild keeps the last good site.",
    "demo": "Build the bundled demo board (three sessions and 40+ messages over days of real git "
    "history) into SITE, and with --serve serve it on 127.0.0.1.",
    "inbox": "Print what waits on one session or agent now: the messages, tasks and findings "
    "the site would show it. Reads the board and writes nothing (for a session-start hook).",
    "org": "Build one status site over many repositories: each [[repo]] of the org file is a "
    "local checkout (path =, read and judged as lint does) or a published status.json "
    "(status =). A row per repository, every session on one scoreboard, messages addressed "
    "across projects (to:<tag>:<id>, to:<tag>:*) in the addressed project's inbox; org.json "
    "beside the pages.",
    "rules": "List every lint rule (code, name, default severity, summary), or print one rule's "
    "documentation.",
}


class Parser(argparse.ArgumentParser):
    """argparse, where every command has a description and every option's help its default."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        command = self.prog.split()[-1]
        self.description = self.description or _DESCRIPTIONS.get(command)
        self.commands: Mapping[str, argparse.ArgumentParser] = {}

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        text, default = kwargs.get("help"), kwargs.get("default")
        shown = default not in (None, False, argparse.SUPPRESS)
        if isinstance(text, str) and "default" not in text and shown:
            kwargs["help"] = f"{text} (default: {default})"
        return super().add_argument(*args, **kwargs)
