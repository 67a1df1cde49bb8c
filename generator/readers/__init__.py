"""Read a repository's board sources and git history into the frozen `Board` model."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath

from generator.config import Config
from generator.exceptions import RepositoryError
from generator.model import (
    Board,
    History,
    Problem,
    QueueFile,
    Scoreboard,
    SourceRef,
    SourceText,
)
from generator.readers.files import RULE as FILE_UNREADABLE
from generator.readers.files import escaping_link, read_source
from generator.readers.history import read_history
from generator.readers.optional_sources import read_optional_sources
from generator.readers.queue import read_queue
from generator.readers.read_cache import ParsedQueue, ReadCache
from generator.readers.scoreboard import read_scoreboard
from generator.readers.secrets import redact_source, redact_text

__all__ = ["read_board", "redact_text"]


def read_board(repo: Path, config: Config, history: History | None = None) -> Board:
    """Read the scoreboard, every `to-*.md` queue and the git history of `repo`.

    Never raises on what the files hold: anything unreadable is kept raw where possible and
    reported in `Board.problems`. Raises RepositoryError only when `repo` is not a folder.
    """
    if not repo.is_dir():
        raise RepositoryError(f"{repo}: no such folder (expected the repository to read)")
    # The history walk waits on git most of the time: let it run while the files are read.
    walker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="history")
    pending = walker.submit(read_history, repo, config) if history is None else None
    walker.shutdown(wait=False)
    problems: list[Problem] = []
    sources: list[SourceText] = []

    def load(rel: str) -> str | None:
        text, unreadable = read_source(repo, rel, config.thresholds.max_file_bytes)
        problems.extend(unreadable)
        if text is None:
            return None
        # Redaction comes first so that no parser, model field or message ever holds a secret.
        text, secrets = redact_source(rel, text)
        problems.extend(secrets)
        sources.append(SourceText(rel, text))
        return text

    scoreboard_rel = _posix(config.paths.scoreboard)
    scoreboard = Scoreboard(scoreboard_rel, exists=False)
    scoreboard_path = repo / scoreboard_rel
    if scoreboard_path.exists() or scoreboard_path.is_symlink():
        scoreboard = Scoreboard(scoreboard_rel, exists=True)
        text = load(scoreboard_rel)
        if text is not None:
            scoreboard, found = read_scoreboard(scoreboard_rel, text)
            problems.extend(found)

    # Queue files are most of a board: one whose text has not changed comes from the read cache.
    cache = ReadCache.open(repo, config)
    queues: list[QueueFile] = []
    for rel in _queue_files(repo, _posix(config.paths.queue_dir), problems):
        raw, unreadable = read_source(repo, rel, config.thresholds.max_file_bytes)
        problems.extend(unreadable)
        if raw is None:
            continue
        parsed = cache.queue(rel, raw, _parse_queue)
        problems.extend(parsed.secrets)
        sources.append(SourceText(rel, parsed.text))
        queues.append(parsed.queue)
        problems.extend(parsed.problems)
    cache.finish()

    # Trackers, roster, transcripts, playbooks and chats (formats.md §4–7), each optional.
    queue_prefix = _posix(config.paths.queue_dir) + "/"
    extra = read_optional_sources(
        repo, config, load, lambda rel: rel == scoreboard_rel or rel.startswith(queue_prefix)
    )
    problems.extend(extra.problems)

    return Board(
        root=str(repo),
        scoreboard=scoreboard,
        queues=tuple(queues),
        history=pending.result() if pending is not None else history or History(),
        problems=tuple(problems),
        sources=tuple(sources),
        name_pool=extra.names,
        trackers=extra.trackers,
        agents=extra.agents,
        roster_path=extra.roster_path,
        calls=extra.calls,
        call_sources=extra.call_sources,
        chats=extra.chats,
    )


def _parse_queue(rel: str, text: str) -> ParsedQueue:
    """Redact, then parse one queue file (what the read cache keeps)."""
    redacted, secrets = redact_source(rel, text)
    queue, found = read_queue(rel, redacted)
    return ParsedQueue(redacted, tuple(secrets), queue, tuple(found))


def _queue_files(repo: Path, queue_dir: str, problems: list[Problem]) -> list[str]:
    """Repository-relative paths of the `to-*.md` files of the queue folder, sorted by name."""
    folder = repo / queue_dir
    escape = escaping_link(repo, queue_dir)
    if escape is not None:
        problems.append(
            Problem(
                FILE_UNREADABLE, SourceRef(queue_dir), f"{escape}; the queue files are not read"
            )
        )
        return []
    if not folder.is_dir():
        return []
    try:
        names = sorted(
            p.name
            for p in folder.iterdir()
            if p.name.startswith("to-") and p.name.endswith(".md") and not p.is_dir()
        )
    except OSError as exc:
        problems.append(
            Problem(
                FILE_UNREADABLE, SourceRef(queue_dir), f"the queue folder cannot be listed: {exc}"
            )
        )
        return []
    return [f"{queue_dir}/{name}" if queue_dir else name for name in names]


def _posix(rel: str) -> str:
    """A configured path as a clean repository-relative POSIX path (`./a//b/` → `a/b`)."""
    parts = [p for p in PurePosixPath(rel.replace("\\", "/")).parts if p not in (".", "/")]
    return "/".join(parts)
