"""The `statusboard` command: a thin layer over the pipeline (build, lint, serve, demo, rules)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import textwrap
import traceback
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from generator import __version__, pipeline
from generator import rules as rule_registry
from generator.config import Config, load_config
from generator.exceptions import StatusboardError, UsageError
from generator.model import Finding, Severity
from generator.progress import Progress
from generator.render.formats import FORMATS, step_summary, summary_line
from generator.rules.base import Rule
from generator.timeutil import iso, parse_now

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FAIL_LEVELS = ("error", "warning", "info", "never")


def _now(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC).replace(second=0, microsecond=0)
    try:
        return parse_now(text)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def _repo(text: str) -> Path:
    path = Path(text).expanduser()
    if not path.is_dir():
        raise UsageError(f"{text}: no such folder (give the repository to read)")
    return path.resolve()


def _fails(findings: Sequence[Finding], fail_on: str) -> bool:
    if fail_on == "never":
        return False
    threshold = Severity(fail_on).rank
    return any(f.severity.rank >= threshold for f in findings)


def _rules(select: str | None) -> tuple[Rule, ...]:
    if not select:
        return rule_registry.RULES
    return rule_registry.select(n.strip() for n in select.split(",") if n.strip())


def _load(args: argparse.Namespace, repo: Path) -> Config:
    config = load_config(repo, Path(args.config) if args.config else None)
    if getattr(args, "no_cache", False):
        config = replace(config, cache=replace(config.cache, enabled=False))
    return config


def _summary(result: pipeline.Result, out: Path) -> str:
    doc_sessions = result.context.sessions
    by_state: dict[str, int] = {}
    for s in doc_sessions:
        by_state[s.liveness.value] = by_state.get(s.liveness.value, 0) + 1
    states = ", ".join(f"{n} {k}" for k, n in sorted(by_state.items())) or "none"
    head = result.board.history.head
    source = head[:7] if head else "no commit"
    messages = result.board.messages
    try:
        shown = out.relative_to(Path.cwd())
    except ValueError:
        shown = out
    return textwrap.dedent(
        f"""\
        statusboard: built {shown}/ from {source} at {iso(result.now)}
          sessions: {len(doc_sessions)} ({states})
          messages: {len(messages)}
          findings: {summary_line(result.findings)}
          open {shown}/index.html, or serve it: statusboard serve"""
    )


def cmd_build(args: argparse.Namespace) -> int:
    repo = _repo(args.repo)
    config = _load(args, repo)
    progress = Progress.for_terminal(args.verbose)
    now = _now(args.now)
    out = Path(args.output).expanduser().resolve()
    with pipeline.collector_paused():
        board = pipeline.read(repo, config, progress)
        result = pipeline.analyse(board, config, now, _rules(args.select), progress)
        pipeline.render(result, out, progress)
        if args.mkdocs_project:
            from generator.render.site import export_project

            export_project(result, Path(args.mkdocs_project).expanduser())
    if not args.quiet:
        print(_summary(result, out))
    fail_on = "warning" if args.strict and args.fail_on == "error" else args.fail_on
    return EXIT_FINDINGS if _fails(result.findings, fail_on) else EXIT_OK


def cmd_lint(args: argparse.Namespace) -> int:
    repo = _repo(args.repo)
    config = _load(args, repo)
    now = _now(args.now)
    with pipeline.collector_paused():
        board = pipeline.read(repo, config)
        result = pipeline.analyse(board, config, now, _rules(args.select))
    text = FORMATS[args.format](result.findings, result.rules)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
    if args.format == "github" and summary_path:
        with open(summary_path, "a", encoding="utf-8") as fh:
            fh.write(step_summary(result.findings))
    return EXIT_FINDINGS if _fails(result.findings, args.fail_on) else EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    if args.name:
        rule = rule_registry.get(args.name)
        print(f"{rule.name} ({rule.code}, default severity {rule.severity.value})")
        print()
        print(rule.summary)
        print()
        print(rule.body)
        return EXIT_OK
    width = max((len(r.name) for r in rule_registry.RULES), default=10)
    for r in rule_registry.RULES:
        print(f"{r.code}  {r.name:<{width}}  {r.severity.value:<7}  {r.summary}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from generator.demo.builder import build_demo_repo

    now = _now(args.now)
    out = Path(args.output).expanduser().resolve()
    with tempfile.TemporaryDirectory(prefix="statusboard-demo-") as tmp:
        repo = build_demo_repo(Path(tmp) / "po-platform", now)
        config = replace(load_config(repo), source="demo")
        progress = Progress.for_terminal(args.verbose)
        with pipeline.collector_paused():
            board = pipeline.read(repo, config, progress)
            result = pipeline.analyse(board, config, now, None, progress)
            pipeline.render(result, out, progress)
    print(_summary(result, out).replace("statusboard serve", "statusboard demo --serve"))
    if args.serve:
        from generator.serve import serve_folder

        serve_folder(out, args.port)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from generator.serve import serve_repository

    repo = _repo(args.repo)
    config = _load(args, repo)
    out = Path(args.output).expanduser().resolve()
    serve_repository(repo, config, out, args.port, args.now)
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="statusboard",
        description="A status site and an anti-pattern lint for the git blackboard of parallel AI "
        "coding sessions.",
        epilog="Exit status: 0 clean, 1 findings at or above the fail level, 2 usage or tool error.",
    )
    parser.add_argument("--version", action="version", version=f"statusboard {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p: argparse.ArgumentParser, repo: bool = True) -> None:
        if repo:
            p.add_argument(
                "repo",
                nargs="?",
                default=".",
                metavar="REPO",
                help="the git repository to read (default: .)",
            )
            p.add_argument(
                "--config",
                metavar="FILE",
                help="configuration file (default: statusboard.toml in REPO)",
            )
            p.add_argument(
                "--no-cache",
                action="store_true",
                help="read the whole git history again; neither read nor write the history "
                "cache (.statusboard-cache/)",
            )
        p.add_argument(
            "--now", metavar="TS", help="fix the clock (YYYY-MM-DDTHH:MMZ) for reproducible output"
        )
        p.add_argument("-v", "--verbose", action="store_true", help="show progress and details")

    fail_help = "fail (exit 1) on findings at or above this level (default: error)"
    p = sub.add_parser("build", help="write the static site and the machine outputs")
    common(p)
    p.add_argument(
        "-o", "--output", default="site", metavar="SITE", help="output folder (default: site/)"
    )
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("--fail-on", choices=FAIL_LEVELS, default="error", help=fail_help)
    p.add_argument("--select", metavar="RULES", help="comma-separated rule names to run")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    p.add_argument(
        "--mkdocs-project",
        metavar="DIR",
        help="also write the generated mkdocs project (mkdocs.yml, docs/) to DIR, "
        "to build it with another engine such as Zensical",
    )
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("lint", help="read the board and report findings")
    common(p)
    p.add_argument("--format", choices=tuple(FORMATS), default="text", help="output format")
    p.add_argument("--fail-on", choices=FAIL_LEVELS, default="error", help=fail_help)
    p.add_argument("--select", metavar="RULES", help="comma-separated rule names to run")
    p.add_argument("--output", metavar="FILE", help="write the report to FILE instead of stdout")
    p.set_defaults(func=cmd_lint)

    p = sub.add_parser("serve", help="build, serve on localhost and rebuild on change")
    common(p)
    p.add_argument("-o", "--output", default="site", metavar="SITE")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("demo", help="build the bundled demo board")
    common(p, repo=False)
    p.add_argument("-o", "--output", default="site", metavar="SITE")
    p.add_argument("--serve", action="store_true", help="then serve it on localhost")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("rules", help="list the rules, or show one rule's documentation")
    p.add_argument("name", nargs="?", metavar="NAME")
    p.set_defaults(func=cmd_rules)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (0 clean, 1 findings, 2 error)."""
    logging.basicConfig(level=logging.WARNING, format="statusboard: %(message)s")
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except StatusboardError as exc:
        print(f"statusboard: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `statusboard lint | head`: the reader left; say nothing more (and no traceback at exit).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FINDINGS
    except Exception:  # the tool's own failure: say so plainly, keep the traceback for a report
        traceback.print_exc()
        print(
            "statusboard: internal error (a bug: please report it with the trace above)",
            file=sys.stderr,
        )
        return EXIT_ERROR
