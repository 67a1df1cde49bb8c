"""The optional sources of formats.md §4–7: tracker exports, the roster, transcripts, playbooks, chats."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import bracex
from wcmatch import glob

from generator.config import GLOB_FLAGS, Config, Sources
from generator.model import Agent, AgentCall, Chat, Problem, Tracker
from generator.model_agents import AgentMail, ClaudeSession
from generator.readers import agent_mail, claude_code
from generator.readers.backlog import read_backlog_folder
from generator.readers.bass import read_bass
from generator.readers.beads import LEGACY_BEADS, read_beads
from generator.readers.files import escaping_link
from generator.readers.playbooks import mentions_a_call, read_playbook
from generator.readers.riff import read_riff
from generator.readers.roster import read_roster
from generator.readers.secrets import redact_path
from generator.readers.telegram import read_telegram
from generator.readers.transcripts import read_transcript

# Tracker exports are written by machines and grow with the project (a beads export of 3,000
# issues passes 5 MB): they are read up to this size, or `thresholds.max_file_bytes` if larger.
EXPORT_MAX_BYTES = 256 * 1024 * 1024


class Loader(Protocol):
    """Read, check and redact one file (readers.read_board's); None when it cannot be read."""

    def __call__(self, rel: str, max_bytes: int | None = None) -> str | None: ...


def _export_limit(config: Config) -> int:
    return max(EXPORT_MAX_BYTES, config.thresholds.max_file_bytes)


@dataclass(frozen=True, slots=True)
class OptionalSources:
    """Everything the optional sources hold, and the problems met reading them."""

    trackers: tuple[Tracker, ...] = ()
    agents: tuple[Agent, ...] = ()
    roster_path: str | None = None
    names: tuple[str, ...] = ()  # a session name pool listed in the roster
    calls: tuple[AgentCall, ...] = ()
    call_sources: tuple[str, ...] = ()
    chats: tuple[Chat, ...] = ()
    problems: tuple[Problem, ...] = ()
    claude_sessions: tuple[ClaudeSession, ...] = ()
    mail: AgentMail | None = None


def _present(repo: Path, rel: str) -> bool:
    path = repo / rel
    return bool(rel) and (path.exists() or path.is_symlink())


def matching(repo: Path, patterns: tuple[str, ...], skip: Callable[[str], bool]) -> list[str]:
    """Repository-relative files matching any glob, sorted, `.git` and `skip` left out.

    These are the real names, to read the files by; what the readers are given and show is
    `redact_path(rel)`, the name with any credential in it redacted.

    The walk never enters `.git` and never follows a symbolic link to a folder (git keeps a link
    as a link): no glob reaches outside the repository. A link to a file is passed on; the file
    reader reports one that leads outside and never reads it.
    """
    wanted = [p.strip().lstrip("/") for p in patterns if p.strip()]
    if not wanted:
        return []
    out: set[str] = set()
    for top, depth in _walk_roots(wanted):
        start = repo / top if top else repo
        if not start.is_dir() or escaping_link(repo, top) is not None:
            continue
        for folder, dirs, files in os.walk(start, followlinks=False):
            base = Path(folder).relative_to(repo).as_posix()
            level = len(Path(folder).relative_to(start).parts)
            deep = depth is not None and level + 1 >= depth
            dirs[:] = [] if deep else [d for d in dirs if d != ".git"]
            for name in files:
                rel = name if base == "." else f"{base}/{name}"
                if not skip(rel) and glob.globmatch(rel, wanted, flags=GLOB_FLAGS):
                    out.add(rel)
    return sorted(out)


def _walk_roots(patterns: list[str]) -> set[tuple[str, int | None]]:
    """Where to walk, and how deep: each glob's leading literal folders (`docs/ai/**/*.md` →
    `docs/ai`, any depth; `AGENTS.md` → the root, one level)."""
    roots: set[tuple[str, int | None]] = set()
    for pattern in patterns:
        try:
            variants = bracex.expand(pattern, limit=256) or [pattern]
        except Exception:  # a runaway expansion: walk everything, let the matcher decide
            roots.add(("", None))
            continue
        for variant in variants:
            parts = variant.split("/")
            literal = 0
            while literal < len(parts) - 1 and not glob.is_magic(parts[literal], flags=GLOB_FLAGS):
                literal += 1
            rest = parts[literal:]
            depth = None if any("**" in p for p in rest) else len(rest)
            roots.add(("/".join(p for p in parts[:literal] if p not in ("", ".")), depth))
    return roots


def read_optional_sources(
    repo: Path, config: Config, load: Loader, skip: Callable[[str], bool]
) -> OptionalSources:
    """Read every optional source that exists; `skip` names files other readers own."""
    sources = config.sources
    problems: list[Problem] = []
    trackers: list[Tracker] = []

    for kind, rel, reader in (("riff", sources.riff, read_riff), ("bass", sources.bass, read_bass)):
        if not _present(repo, rel):
            continue
        text = load(rel, _export_limit(config))
        if text is None:
            trackers.append(Tracker(kind, rel))
            continue
        tracker, found = reader(rel, text)
        trackers.append(tracker)
        problems.extend(found)

    backlog, found = read_backlog_folder(repo, sources.backlog.strip("/"), load)
    problems.extend(found)
    if backlog is not None:
        trackers.append(backlog)

    beads = sources.beads.strip("/")
    if beads == Sources().beads and not _present(repo, beads):
        beads = LEGACY_BEADS  # what `bd` wrote before `issues.jsonl`
    if beads and _present(repo, beads):
        text = load(beads, _export_limit(config))
        if text is None:
            trackers.append(Tracker("beads", beads))
        else:
            tracker, found = read_beads(beads, text)
            trackers.append(tracker)
            problems.extend(found)

    agents: tuple[Agent, ...] = ()
    names: tuple[str, ...] = ()
    roster_path = next((r for r in sources.roster if _present(repo, r)), None)
    if roster_path is not None:
        text = load(roster_path)
        if text is not None:
            roster = read_roster(roster_path, text)
            agents, names = roster.agents, roster.names
            problems.extend(roster.problems)

    calls: list[AgentCall] = []
    call_sources: list[str] = []
    claude_files: list[str] = []
    for rel in matching(repo, sources.transcripts, skip):
        # Claude Code transcripts are streamed (no size limit), the other shapes read whole.
        if escaping_link(repo, rel) is None and claude_code.sniff(repo / rel):
            claude_files.append(rel)
            call_sources.append(redact_path(rel))
            continue
        text = load(rel)
        if text is None:
            continue
        found_calls, found = read_transcript(redact_path(rel), text)
        calls.extend(found_calls)
        call_sources.append(redact_path(rel))
        problems.extend(found)
    for rel in matching(repo, sources.playbooks, lambda p: skip(p) or p.endswith(".jsonl")):
        if not _mentions(repo, rel, config.thresholds.max_file_bytes):
            continue
        text = load(rel)
        if text is None:
            continue
        found_calls, found = read_playbook(redact_path(rel), text)
        calls.extend(found_calls)
        call_sources.append(redact_path(rel))
        problems.extend(found)

    chats: list[Chat] = []
    for rel in matching(repo, sources.telegram, skip):
        text = load(rel)
        if text is None:
            continue
        found_chats, found = read_telegram(redact_path(rel), text, config.agents.timezone)
        chats.extend(found_chats)
        problems.extend(found)

    sessions, found = claude_code.read_repo_transcripts(repo, claude_files)
    problems.extend(found)
    if claude_code.local_enabled(sources.claude_home):
        local, found = claude_code.read_local_sessions(repo)
        fresher = {s.id for s in local}  # the live file beats a committed copy of it
        sessions = (*(s for s in sessions if s.id not in fresher), *local)
        problems.extend(found)

    mail: AgentMail | None = None
    archive = agent_mail.find_archive(repo, sources.agent_mail)
    if archive is not None:
        db = Path(sources.agent_mail_db).expanduser() if sources.agent_mail_db else None
        mail, found = agent_mail.read_archive(
            repo, archive, load, repo / db if db is not None and not db.is_absolute() else db
        )
        problems.extend(found)

    return OptionalSources(
        claude_sessions=sessions,
        mail=mail,
        trackers=tuple(trackers),
        agents=agents,
        roster_path=roster_path,
        names=names,
        calls=tuple(calls),
        call_sources=tuple(call_sources),
        chats=tuple(chats),
        problems=tuple(problems),
    )


def _mentions(repo: Path, rel: str, max_bytes: int) -> bool:
    """Whether a candidate playbook names a call at all; files that cannot be checked count as
    yes, so the safe reader reports them."""
    if escaping_link(repo, rel) is not None:
        return True
    try:
        path = repo / rel
        if path.stat().st_size > max_bytes:
            return True
        data = path.read_bytes()
    except OSError:
        return True
    return mentions_a_call(data.decode("utf-8", "replace"))
