"""The optional sources of formats.md §4–7: tracker exports, the roster, transcripts, playbooks, chats."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from wcmatch import glob

from generator.config import Config
from generator.model import Agent, AgentCall, Chat, Problem, SourceRef, Tracker
from generator.readers.backlog import read_backlog
from generator.readers.bass import read_bass
from generator.readers.files import RULE as FILE_UNREADABLE
from generator.readers.files import escaping_link
from generator.readers.playbooks import mentions_a_call, read_playbook
from generator.readers.riff import read_riff
from generator.readers.roster import read_roster
from generator.readers.telegram import read_telegram
from generator.readers.transcripts import read_transcript

Loader = Callable[[str], str | None]  # read, check and redact one file (readers.read_board's)
_FLAGS = glob.GLOBSTAR | glob.BRACE | glob.NODIR


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


def _present(repo: Path, rel: str) -> bool:
    path = repo / rel
    return bool(rel) and (path.exists() or path.is_symlink())


def matching(repo: Path, patterns: tuple[str, ...], skip: Callable[[str], bool]) -> list[str]:
    """Repository-relative files matching any glob, sorted, `.git` and `skip` left out."""
    wanted = [p.strip().lstrip("/") for p in patterns if p.strip()]
    if not wanted:
        return []
    found = glob.glob(wanted, flags=_FLAGS, root_dir=str(repo))
    out = {
        Path(f).as_posix()
        for f in found
        if ".git" not in Path(f).parts and not skip(Path(f).as_posix())
    }
    return sorted(out)


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
        text = load(rel)
        if text is None:
            trackers.append(Tracker(kind, rel))
            continue
        tracker, found = reader(rel, text)
        trackers.append(tracker)
        problems.extend(found)

    backlog = sources.backlog.strip("/")
    if backlog and (repo / backlog).is_dir():
        escape = escaping_link(repo, backlog)
        if escape is not None:
            problems.append(
                Problem(FILE_UNREADABLE, SourceRef(backlog), f"{escape}; the tasks are not read")
            )
        else:
            files: list[tuple[str, str]] = []
            for path in sorted((repo / backlog).glob("*.md")):
                rel = f"{backlog}/{path.name}"
                text = load(rel)
                if text is not None:
                    files.append((rel, text))
            tracker, found = read_backlog(backlog, files)
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
    for rel in matching(repo, sources.transcripts, skip):
        text = load(rel)
        if text is None:
            continue
        found_calls, found = read_transcript(rel, text)
        calls.extend(found_calls)
        call_sources.append(rel)
        problems.extend(found)
    for rel in matching(repo, sources.playbooks, lambda p: skip(p) or p.endswith(".jsonl")):
        if not _mentions(repo, rel, config.thresholds.max_file_bytes):
            continue
        text = load(rel)
        if text is None:
            continue
        found_calls, found = read_playbook(rel, text)
        calls.extend(found_calls)
        call_sources.append(rel)
        problems.extend(found)

    chats: list[Chat] = []
    for rel in matching(repo, sources.telegram, skip):
        text = load(rel)
        if text is None:
            continue
        found_chats, found = read_telegram(rel, text, config.agents.timezone)
        chats.extend(found_chats)
        problems.extend(found)

    return OptionalSources(
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
