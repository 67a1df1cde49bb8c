"""Serve a built site on localhost with live reload; for a repository, rebuild when its sources move.

The server is mkdocs' own live-reload server (`mkdocs.livereload.LiveReloadServer`): it serves the
site folder, injects a small script into every HTML page that long-polls `/livereload/<epoch>/…`,
and reloads the page when a rebuild completes. It watches (by polling, every half second) each
source the configuration names that exists — the scoreboard, the queue folder, the trackers, the
roster candidates, the roots of the transcript, playbook and chat globs, the configuration file
— and git's HEAD, refs and packed-refs (of the real git folder, also for a worktree whose `.git`
is a file). Never the site folder, its lock and staging folders, the cache or the rest of `.git`:
a build writing there would start the next one.

A rebuild reads the configuration again and goes through the same path as `statusboard build`:
into a fresh folder that is swapped in whole (`generator.render.outdir`). A rebuild that fails
keeps the last good site served and says why in one line; the open pages are not reloaded.
"""

from __future__ import annotations

import errno
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

from generator import pipeline
from generator.config import CONFIG_NAMES, Config
from generator.exceptions import StatusboardError, UsageError
from generator.progress import Progress
from generator.readers.claude_code import local_enabled, local_files
from generator.render.outdir import OutputBusy

HOST = "127.0.0.1"  # loopback only: a status board is for the person at this machine
_MAGIC = frozenset("*?[{")  # what makes a path part a glob pattern (wcmatch GLOBSTAR | BRACE)
_GIT_DIRS = ("--path-format=absolute", "--git-dir", "--git-common-dir")
BUSY_RETRY_SECONDS = 0.5
BUSY_GIVE_UP_SECONDS = 300.0

log = logging.getLogger(__name__)


class SiteServer(LiveReloadServer):
    """mkdocs' live-reload server, bound to its port at once (a busy port fails before any
    build, not after it) and serving a folder that statusboard builds."""

    def __init__(self, builder: Callable[[], None], folder: Path, port: int) -> None:
        super().__init__(builder, HOST, port, str(folder))
        self.bound = False
        self.active = False

    # `serve()` binds and listens itself; here that already happened, in `bind`.
    def server_bind(self) -> None:
        if not self.bound:
            super().server_bind()
            self.bound = True

    def server_activate(self) -> None:
        if not self.active:
            super().server_activate()
            self.active = True

    @property
    def address(self) -> str:
        return f"http://{HOST}:{self.server_port}/"

    def keep_epoch(self) -> None:
        """After a failed rebuild: the open pages keep the site they show (no reload), and
        requests stop waiting for a build that will not come.

        mkdocs (1.6) marks the site version it started building as wanted and makes it visible
        once the builder returns; a builder that fails instead leaves every request waiting.
        tests/test_serve.py checks this against the installed mkdocs."""
        with self._epoch_cond:
            self._wanted_epoch = self._visible_epoch


def bind(folder: Path, port: int, builder: Callable[[], None] | None = None) -> SiteServer:
    """Listen on 127.0.0.1:`port` for `folder`: done before building, so a busy port fails at once."""
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port} is not a port; give one from 1 to 65535")
    server = SiteServer(builder or (lambda: None), folder, port)
    try:
        server.server_bind()
        server.server_activate()
    except OSError as exc:
        server.server_close()
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {port} is in use (another server listens there); stop it or choose "
                "another port with --port N"
            ) from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise UsageError(
                f"port {port} may not be used by this user; choose one above 1023 with --port N"
            ) from None
        raise
    return server


JOIN_SECONDS = 5.0  # how long Ctrl-C waits for the server's and the watcher's threads


def _run(server: SiteServer, verbose: bool) -> None:
    """Serve until Ctrl-C, then stop the server, its watcher and its threads."""
    quiet = logging.getLogger("mkdocs.livereload")
    level = quiet.level
    # Its request log (a 404 for /favicon.ico) and "Reloading browsers" are for -v only.
    quiet.setLevel(logging.INFO if verbose else logging.ERROR)
    try:
        server.serve()  # type: ignore[no-untyped-call]
    except KeyboardInterrupt:
        print("statusboard: stopped", file=sys.stderr)
    finally:
        server.shutdown()
        for thread in (server.serve_thread, server.observer):
            if thread.is_alive():  # the watcher never started when nothing is watched
                # Bounded: the process ends right after, and Ctrl-C must end it even when the
                # file watcher's thread is slow to stop (once, on a loaded machine, `serve` was
                # still running a minute after SIGINT).
                thread.join(timeout=JOIN_SECONDS)
        quiet.setLevel(level)


def serve_folder(folder: Path, server: SiteServer, verbose: bool = False) -> None:
    """Serve `folder` with `server` (from `bind`) until interrupted; nothing is watched."""
    print(f"serving {folder} at {server.address} (Ctrl-C to stop)", flush=True)
    _run(server, verbose)


# --- what to watch ---------------------------------------------------------------------------


def git_dirs(repo: Path) -> tuple[Path, ...]:
    """The git folder of `repo` and its common folder (one folder, unless `repo` is a worktree,
    whose `.git` is a file naming `.git/worktrees/<name>` of the main repository)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", *_GIT_DIRS],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()  # no git, or not a repository (--allow-no-git): nothing to watch there
    return tuple(dict.fromkeys(Path(line).resolve() for line in out.splitlines() if line))


def _glob_root(pattern: str) -> str:
    """The folder a source glob searches (`docs/ai/transcripts` of `docs/ai/transcripts/**/*.jsonl`),
    or the pattern itself when it has no magic (a file such as `AGENTS.md`)."""
    parts = pattern.strip().strip("/").split("/")
    for i, part in enumerate(parts):
        if _MAGIC & set(part):
            return "/".join(parts[:i])
    return "/".join(parts)


def _sources(repo: Path, config: Config, config_files: tuple[Path, ...]) -> list[Path]:
    """Every path a build reads, as configured (existing or not)."""
    paths, sources = config.paths, config.sources
    rels = [paths.scoreboard, paths.queue_dir]
    rels += [sources.riff, sources.bass, sources.backlog, sources.beads]
    rels += [sources.agent_mail] if sources.agent_mail.strip() else [".mcp_mail", ".agent_mail"]
    rels += list(sources.roster)
    rels += [_glob_root(g) for g in (*sources.transcripts, *sources.playbooks, *sources.telegram)]
    found = [repo / r.strip() for r in rels if r.strip()]
    if sources.agent_mail_db:
        found.append(repo / os.path.expanduser(sources.agent_mail_db))
    found += config_files
    if local_enabled(sources.claude_home):  # the person's own live sessions (opt-in)
        found += sorted({p.parent for p in local_files(repo)})
    return found


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _split(folder: Path, avoid: tuple[Path, ...], out: Path) -> Iterator[tuple[Path, bool]]:
    """`folder` watched recursively, minus `avoid` and the site's lock and staging folders:
    the folders above them are taken apart into their entries."""
    if not any(_inside(a, folder) for a in avoid) and folder != out.parent:
        yield folder, True
        return
    lock_prefix = f".{out.name}.statusboard-"  # the lock, staging and previous folders
    try:
        children = sorted(folder.iterdir())
    except OSError:
        return
    for child in children:
        if child in avoid or child.name.startswith(lock_prefix):
            continue
        if child.is_dir() and not child.is_symlink():
            yield from _split(child, avoid, out)
        elif child.exists():
            yield child, False


def watch_plan(
    repo: Path, config: Config, out: Path, config_files: tuple[Path, ...]
) -> dict[Path, bool]:
    """The paths `serve` watches, each with whether it is watched recursively."""
    repo, out = repo.resolve(), out.resolve()
    avoid = [out, repo / ".git"]
    cache = Path(os.path.expanduser(config.cache.dir.strip() or ".statusboard-cache"))
    avoid.append(cache if cache.is_absolute() else repo / cache)
    plan: dict[Path, bool] = {}
    for path in _sources(repo, config, config_files):
        path = Path(os.path.normpath(path))
        if not path.exists() or any(_inside(path, a) for a in avoid):
            continue
        if path.is_dir():
            plan.update(_split(path, tuple(avoid), out))
        else:
            plan[path] = False
    for git in git_dirs(repo):
        for name, recursive in (("HEAD", False), ("refs", True), ("packed-refs", False)):
            if (git / name).exists():
                plan[git / name] = recursive
    # A path inside a folder that is watched recursively needs no watch of its own.
    deep = [p for p, recursive in plan.items() if recursive]
    return {
        p: r for p, r in sorted(plan.items()) if not any(d != p and d in p.parents for d in deep)
    }


def config_files(repo: Path, explicit: Path | None) -> tuple[Path, ...]:
    """The configuration files a build may read: `--config FILE`, else every candidate that exists."""
    if explicit is not None:
        return (explicit.expanduser().resolve(),)
    names = (*CONFIG_NAMES, "pyproject.toml")
    return tuple(repo / n for n in names if (repo / n).is_file())


# --- serving a repository --------------------------------------------------------------------


class Rebuilder:
    """The builder the server calls on change: reads the configuration again, builds, and
    brings the watched paths up to date. Never raises on a failed build."""

    def __init__(
        self,
        repo: Path,
        load: Callable[[], Config],
        explicit: Path | None,
        out: Path,
        now: datetime | None,
        verbose: bool,
    ) -> None:
        self.repo, self.load, self.explicit, self.out = repo, load, explicit, out
        self.now, self.verbose = now, verbose
        self.server: SiteServer | None = None
        self.watched: dict[Path, bool] = {}
        self.config: Config | None = None

    def build(self, progress: Progress) -> str:
        """One build (the configuration read again); returns its summary line."""
        start = time.perf_counter()
        config = self.load()
        when = self.now or datetime.now(UTC).replace(second=0, microsecond=0)
        waited = 0.0
        while True:
            try:
                result = pipeline.build(self.repo, config, when, self.out, progress=progress)
                break
            except OutputBusy as exc:  # another build of this folder: wait for it to end
                if waited >= BUSY_GIVE_UP_SECONDS:
                    raise
                if waited == 0:
                    print(f"statusboard: waiting: {exc}", file=sys.stderr, flush=True)
                time.sleep(BUSY_RETRY_SECONDS)
                waited += BUSY_RETRY_SECONDS
        self.config = config
        elapsed = time.perf_counter() - start
        count = len(result.findings)
        return f"{count} finding{'' if count == 1 else 's'}, {elapsed:.1f} s"

    def rewatch(self) -> None:
        """Watch what the (perhaps changed) configuration names; stop watching what it no longer does."""
        if self.server is None or self.config is None:
            return
        files = config_files(self.repo, self.explicit)
        plan = watch_plan(self.repo, self.config, self.out, files)
        for path, recursive in sorted(self.watched.items()):
            if plan.get(path) != recursive:
                self.server.unwatch(str(path))
        watched: dict[Path, bool] = {}
        for path, recursive in plan.items():
            if self.watched.get(path) != recursive:
                try:
                    self.server.watch(str(path), recursive=recursive)
                except OSError:  # gone since the plan was made: the next rebuild looks again
                    continue
            watched[path] = recursive
        self.watched = watched

    def __call__(self) -> None:
        assert self.server is not None
        stamp = datetime.now().strftime("%H:%M:%S")
        try:
            summary = self.build(Progress.for_terminal(True) if self.verbose else Progress.quiet())
        except (StatusboardError, OSError, ValueError) as exc:
            self.server.keep_epoch()
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            print(
                f"statusboard: {stamp} rebuild failed, still serving the last good site: {reason}",
                file=sys.stderr,
                flush=True,
            )
            return
        except Exception as exc:  # a bug: one line here, the trace with -v; keep serving
            self.server.keep_epoch()
            log.debug("rebuild failed", exc_info=True)
            print(
                f"statusboard: {stamp} rebuild failed (internal error {type(exc).__name__}: "
                f"{exc}), still serving the last good site; run `statusboard build` for the trace",
                file=sys.stderr,
                flush=True,
            )
            return
        print(f"statusboard: {stamp} rebuilt ({summary}); reloading the open pages", flush=True)
        self.rewatch()


def serve_repository(
    repo: Path,
    load: Callable[[], Config],
    out: Path,
    port: int,
    *,
    explicit_config: Path | None = None,
    now: datetime | None = None,
    verbose: bool = False,
    on_built: Callable[[str], None] | None = None,
) -> None:
    """Build `repo` into `out`, serve it with live reload, and rebuild on change until Ctrl-C.

    `load` reads the configuration (again on every rebuild); `now` fixes the clock of every
    build. The port is bound before the first build, so a busy one fails at once.
    """
    rebuild = Rebuilder(repo, load, explicit_config, out, now, verbose)
    server = bind(out, port, rebuild)
    rebuild.server = server
    try:
        summary = rebuild.build(Progress.for_terminal(verbose))
    except BaseException:
        server.server_close()
        raise
    if on_built is not None:
        on_built(summary)
    rebuild.rewatch()
    print(
        f"serving {out} at {server.address}: rebuilds when the board changes, reloads the open "
        f"pages (Ctrl-C to stop)",
        flush=True,
    )
    _run(server, verbose)
