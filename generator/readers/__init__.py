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
from generator.readers.repo_docs import read_repo_docs
from generator.readers.scoreboard import read_scoreboard
from generator.readers.secrets import redact_path_source, redact_source, redact_text

__all__ = ["read_board", "redact_text"]


def read_board(
    repo: Path, config: Config, history: History | None = None, *, save_cache: bool = True
) -> Board:
    """Read the scoreboard, every `to-*.md` queue and the git history of `repo`.

    Never raises on what the files hold: anything unreadable is kept raw where possible and
    reported in `Board.problems`. Raises RepositoryError only when `repo` is not a folder.
    `save_cache=False` uses the caches read-only (generator/cache.py): nothing is written.
    """
    if not repo.is_dir():
        raise RepositoryError(f"{repo}: no such folder (expected the repository to read)")
    # The history walk waits on git most of the time: let it run while the files are read.
    walker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="history")
    pending = (
        walker.submit(read_history, repo, config, save=save_cache) if history is None else None
    )
    walker.shutdown(wait=False)
    problems: list[Problem] = []
    sources: list[SourceText] = []

    def load(rel: str, max_bytes: int | None = None) -> str | None:
        limit = config.thresholds.max_file_bytes if max_bytes is None else max_bytes
        text, unreadable = read_source(repo, rel, limit)
        problems.extend(unreadable)
        if text is None:
            return None
        # Redaction comes first so that no parser, model field or message ever holds a secret;
        # a credential in the file's name is redacted from every path shown as well.
        shown, named = redact_path_source(rel)
        problems.extend(named)
        text, secrets = redact_source(shown, text)
        problems.extend(secrets)
        sources.append(SourceText(shown, text))
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
    cache = ReadCache.open(repo, config, save=save_cache)
    queues: list[QueueFile] = []
    for rel in _queue_files(repo, _posix(config.paths.queue_dir), problems):
        raw, unreadable = read_source(repo, rel, config.thresholds.max_file_bytes)
        problems.extend(unreadable)
        if raw is None:
            continue
        # The file is read under its real name, and known (model, findings, cache) by its shown one.
        shown, named = redact_path_source(rel)
        problems.extend(named)
        parsed = cache.queue(shown, raw, _parse_queue)
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
    # The repository's own protocol documents, for the Docs section ([docs] mode).
    docs, doc_problems = read_repo_docs(repo, config)
    problems.extend(doc_problems)

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
        claude_sessions=extra.claude_sessions,
        mail=extra.mail,
        docs=docs,
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
        # A folder named to-x.md is listed too: reading it gives a file-unreadable finding.
        names = sorted(
            p.name for p in folder.iterdir() if p.name.startswith("to-") and p.name.endswith(".md")
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
