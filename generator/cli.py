"""The `statusboard` command: a thin layer over the pipeline (build, lint, serve, demo, rules)."""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import logging
import os
import shlex
import sys
import tempfile
import textwrap
import traceback
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

from generator import commands, pipeline
from generator import rules as rule_registry
from generator.commands import Parser
from generator.config import Config, load_config
from generator.exceptions import StatusboardError, UsageError
from generator.model import Board, Finding, Severity
from generator.progress import Progress
from generator.render.formats import FORMATS, step_summary, summary_line
from generator.render.outdir import PROJECT, check_output_dir, exported
from generator.repository import locate
from generator.result import Result
from generator.rules.base import Rule
from generator.suggest import near
from generator.timeutil import iso, parse_now

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _now(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC).replace(second=0, microsecond=0)
    try:
        return parse_now(text)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def _repo(text: str, allow_no_git: bool = False) -> Path:
    """The root of the checkout holding `text` (as git finds it); says so when it is not `text`."""
    found = locate(Path(text), allow_no_git=allow_no_git)
    if not found.git:
        _note(f"{found.root} is not a git repository; reading its files without history")
    elif found.subfolder:
        _note(f"reading the repository at {found.root}")
    return found.root


def _note(text: str) -> None:
    """A line for the person at the terminal, on stderr (stdout may be a report)."""
    print(f"statusboard: {text}", file=sys.stderr)


def _note_sources(board: Board, repo: Path) -> None:
    if not board.has_sources:
        _note(f"no board sources found under {repo}; see docs/how-to/onboard.md")


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
    if getattr(args, "claude_projects", False):  # opt-in; still never when CI=true
        config = replace(config, sources=replace(config.sources, claude_home=True))
    return config


def _again(*words: str | None) -> str:
    """A command line to type again, each word shell-quoted (words None are left out)."""
    return " ".join(shlex.quote(w) for w in words if w is not None)


def _serve_hint(args: argparse.Namespace) -> str:
    """`statusboard serve` with the REPO and the options just built with (those serve has)."""
    repo = args.repo if args.repo != "." else None
    words = _options(args, ("output", "-o", "site"), ("config", "--config", None))
    flags = [f for f, on in (("--allow-no-git", args.allow_no_git),) if on]
    flags += [f for f, on in (("--claude-projects", args.claude_projects),) if on]
    return _again("statusboard", "serve", repo, *words, *flags, *_options(args, _NOW))


_NOW = ("now", "--now", None)


def _options(args: argparse.Namespace, *spec: tuple[str, str, str | None]) -> list[str]:
    """`--flag value` for each (dest, flag, default) whose value is not the default."""
    words: list[str] = []
    for dest, flag, default in spec:
        value = getattr(args, dest, None)
        if value is not None and value != default:
            words += [flag, value]
    return words


def _summary(result: Result, out: Path, again: str = "statusboard serve") -> str:
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
          open {shown}/index.html, or serve it: {again}"""
    )


def _apart(out: Path, project: Path, args: argparse.Namespace) -> None:
    """The site and the mkdocs project are two folders, neither inside the other: each is
    replaced whole when written, so sharing one would destroy the other."""
    if out == project:
        how = "are the same folder"
    elif out in project.parents:
        how = "nest: the project is inside the site"
    elif project in out.parents:
        how = "nest: the site is inside the project"
    else:
        return
    raise UsageError(
        f"-o {args.output} and --mkdocs-project {args.mkdocs_project} {how}; give each its own "
        "folder (e.g. -o site --mkdocs-project site-mkdocs)"
    )


def cmd_build(args: argparse.Namespace) -> int:
    out = Path(args.output).expanduser().resolve()
    project = Path(args.mkdocs_project).expanduser().resolve() if args.mkdocs_project else None
    if project is not None:
        _apart(out, project, args)  # a usage error, before anything is read or written
    repo = _repo(args.repo, args.allow_no_git)
    config = _load(args, repo)
    progress = Progress.for_terminal(args.verbose)
    now = _now(args.now)
    selected = _rules(args.select)  # a mistyped rule fails before any reading
    # Refused output folders fail before any reading (checked again, locked, when written).
    check_output_dir(out, repo)
    if project is not None:
        check_output_dir(project, repo, PROJECT, exported, "--mkdocs-project")
    result = pipeline.build(
        repo, config, now, out, rules=selected, progress=progress, mkdocs_project=project
    )
    _note_sources(result.board, repo)
    if not args.quiet:
        print(_summary(result, out, _serve_hint(args)))
    fail_on = "warning" if args.strict and args.fail_on == "error" else args.fail_on
    return EXIT_FINDINGS if _fails(result.findings, fail_on) else EXIT_OK


def cmd_lint(args: argparse.Namespace) -> int:
    repo = _repo(args.repo, args.allow_no_git)
    config = _load(args, repo)
    now = _now(args.now)
    selected = _rules(args.select)  # a mistyped rule fails before any reading
    if args.output and Path(args.output).is_dir():
        raise UsageError(
            f"--output {args.output} is a folder; give a file name (e.g. {args.output}/lint.txt)"
        )
    result = pipeline.build(repo, config, now, rules=selected)
    _note_sources(result.board, repo)
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


def cmd_inbox(args: argparse.Namespace) -> int:
    """What waits on one session or agent now; reads and analyses, writes nothing."""
    from generator.render.pages import inbox_views
    from generator.render.waiting import (
        find,
        near_misses,
        recipients,
        waiting_document,
        waiting_text,
    )

    repo = _repo(args.repo, args.allow_no_git)
    # Read-only, for a session-start hook: the caches are read where valid (new commits and
    # changed files worked out in memory), and nothing is written, not even to the cache folder.
    config = _load(args, repo)
    now = _now(args.now)
    result = pipeline.build(repo, config, now, save_cache=False)
    people = recipients(result, inbox_views(result))
    who = find(result, people, args.id)
    if who is None:
        close = near_misses(people, args.id)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise UsageError(f"{args.id!r} is no session, agent or recipient of this board{hint}")
    if args.format == "json":
        doc = waiting_document(result, who)
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(waiting_text(result, who))
    return EXIT_OK


def cmd_org(args: argparse.Namespace) -> int:
    """One site over many repositories' boards (generator/org.py)."""
    from generator.org import cross_messages, gather, load_org_config
    from generator.render.org_site import render_org

    org = load_org_config(Path(args.config).expanduser())
    now = _now(args.now)
    out = Path(args.output).expanduser().resolve()
    check_output_dir(out, None)  # a refused folder fails before any repository is read
    repos = gather(org, now, Progress.for_terminal(args.verbose))
    crossing = cross_messages(repos)
    render_org(org, repos, crossing, now, out, args.verbose)
    print(
        f"statusboard: built {out}/ over {len(repos)} repositor{'y' if len(repos) == 1 else 'ies'}"
        f" ({sum(len(r.status['sessions']) for r in repos)} sessions,"
        f" {len(crossing)} cross-project messages)"
    )
    return EXIT_OK


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
    check_output_dir(out, None)  # before the demo repository is made
    server = None
    if args.serve:
        from generator.serve import bind

        server = bind(out, args.port)  # a busy port fails now, not after the build
    with tempfile.TemporaryDirectory(prefix="statusboard-demo-") as tmp:
        repo = build_demo_repo(Path(tmp) / "po-platform", now)
        config = replace(load_config(repo), source="demo")
        progress = Progress.for_terminal(args.verbose)
        result = pipeline.build(repo, config, now, out, progress=progress)
    words = _options(args, ("output", "-o", "site"), _NOW)
    print(_summary(result, out, _again("statusboard", "demo", "--serve", *words)))
    if server is not None:
        from generator.serve import serve_folder

        serve_folder(out, server, args.verbose)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from generator.serve import serve_repository

    now = _now(args.now) if args.now else None  # fixed for every rebuild when given
    repo = _repo(args.repo, args.allow_no_git)
    _load(args, repo)  # a bad configuration fails now, before the port is taken
    out = Path(args.output).expanduser().resolve()
    check_output_dir(out, repo)
    try:
        shown = out.relative_to(Path.cwd())
    except ValueError:
        shown = out
    serve_repository(
        repo,
        lambda: _load(args, repo),  # read again on every rebuild: a config change takes effect
        out,
        args.port,
        explicit_config=Path(args.config) if args.config else None,
        now=now,
        verbose=args.verbose,
        on_built=lambda summary: print(f"statusboard: built {shown}/ ({summary})", flush=True),
    )
    return EXIT_OK


COMMANDS = {
    "build": cmd_build,
    "lint": cmd_lint,
    "serve": cmd_serve,
    "demo": cmd_demo,
    "inbox": cmd_inbox,
    "org": cmd_org,
    "rules": cmd_rules,
}

_OS_ADVICE = {
    errno.ENOSPC: "no space left on the device; free some space and run again",
    errno.EDQUOT: "disk quota exceeded; free some space and run again",
    errno.EACCES: "permission denied; choose a path you may write (-o) or change its permissions",
    errno.EPERM: "operation not permitted; choose a path you may write (-o)",
    errno.EROFS: "read-only file system; choose a writable path (-o)",
    errno.ENOTDIR: "a part of this path is a file, not a folder; choose another path",
    errno.EISDIR: "this is a folder, a file was expected; give a file name",
    errno.ENOENT: "no such file or folder",
    errno.EEXIST: "already exists; choose another path",
    errno.ENAMETOOLONG: "the path is too long; choose a shorter one",
    errno.EMFILE: "too many open files; raise the limit (ulimit -n) and run again",
}


def _os_error(exc: OSError) -> str:
    """One line for an operating-system failure: the path, what happened, what to do."""
    advice = _OS_ADVICE.get(exc.errno or 0, exc.strerror or str(exc))
    paths = [str(p) for p in (exc.filename, exc.filename2) if p is not None]
    return f"{' → '.join(paths)}: {advice}" if paths else advice


def _parse(parser: Parser, words: list[str]) -> argparse.Namespace:
    """Parse the command line; a usage error shows the usage of the command it concerns."""
    command = next((w for w in words if not w.startswith("-")), None)
    if command is not None and command not in parser.commands:
        found = near(command, parser.commands)
        hint = f"; did you mean {' or '.join(found)}?" if found else ""
        parser.error(f"unknown command {command!r}{hint}")
    args, extra = parser.parse_known_args(words)
    if extra:
        parser.commands[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (0 clean, 1 findings, 2 error)."""
    logging.basicConfig(level=logging.WARNING, format="statusboard: %(message)s")
    parser = commands.parser()
    words = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _parse(parser, words)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        return int(COMMANDS[args.command](args))
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
    except OSError as exc:  # the machine said no (space, permissions, a path): not a bug
        print(f"statusboard: error: {_os_error(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except OverflowError as exc:  # a number too large for dates or times, from the configuration
        print(
            f"statusboard: error: a configured number is too large to compute with ({exc}); "
            "use smaller values in statusboard.toml",
            file=sys.stderr,
        )
        return EXIT_ERROR
    except Exception:  # the tool's own failure: say so plainly, keep the traceback for a report
        traceback.print_exc()
        print(
            "statusboard: internal error (a bug: please report it with the trace above)",
            file=sys.stderr,
        )
        return EXIT_ERROR


def run() -> NoReturn:
    """The `statusboard` command: `main`, then `exit_now` with its status."""
    exit_now(main())


def exit_now(status: int) -> NoReturn:
    """End the process with `status` once its output is flushed, without freeing every object.

    A large board leaves hundreds of megabytes of model objects; freeing them one by one at exit
    cost 0.3-0.5 s of CPU at 20,000 messages, a tenth of a rebuild, for a process that is ending
    anyway. Every file is written and closed, and every temporary folder removed, before this.
    """
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        # A reader that left (`| head`), or a closed stream: nothing more can be said there.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status)
