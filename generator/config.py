"""Configuration: zero on the standard layout, a `statusboard.toml` (or `--config FILE`) to change it.

Lookup order when `--config` is not given: `statusboard.toml`, `.statusboard.toml`, then the
`[tool.statusboard]` table of `pyproject.toml`, all at the repository root. Unknown keys are an
error (a typo must not silently keep a default), and so is every value of the wrong type, out of
its range, or a path that would leave the repository: each is one ConfigError line naming the key
and the value (docs/reference/configuration.md, "Checked values").
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import bracex
from wcmatch import glob

from generator.exceptions import ConfigError
from generator.model import Severity
from generator.timeutil import clock_minutes

CONFIG_NAMES = ("statusboard.toml", ".statusboard.toml")


@dataclass(frozen=True, slots=True)
class Paths:
    """Where the board sources live, relative to the repository root."""

    scoreboard: str = "docs/ai/sessions/active.md"
    queue_dir: str = "docs/ai/sessions/queue"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Times the rules and the liveness states use."""

    live_minutes: int = 30
    stale_hours: int = 6
    unacked_hours: int = 2
    placeholder_hours: int = 2
    future_skew_minutes: int = 5
    max_file_bytes: int = 5_000_000
    stale_in_progress_days: int = 3  # an in-progress task with no activity for this long
    telegram_relay_minutes: int = 30  # a bridge instruction must reach a queue or tracker by then


@dataclass(frozen=True, slots=True)
class SiteOptions:
    """How the site looks and how much it shows per page."""

    title: str = "Session status board"
    repo_url: str | None = None  # https URL of the repository on its code host, for source links
    edit_branch: str | None = None  # branch for source links; default: the built branch or `main`
    recent_per_inbox: int = 40  # messages on an inbox page; older ones live in monthly archives
    site_url: str | None = None


DOCS_MODES = ("beside", "instead", "off")


@dataclass(frozen=True, slots=True)
class DocsOptions:
    """The repository's own Diátaxis documents on the site (generator/readers/repo_docs.py).

    `mode`: `beside` the shipped docs, `instead` of them, or `off`; `paths`: the markdown files
    searched for a package or front matter naming a quadrant (globs, repository-relative).
    """

    mode: str = "beside"
    paths: tuple[str, ...] = ("docs/**/*.md",)


@dataclass(frozen=True, slots=True)
class CacheOptions:
    """The build caches (generator/cache.py): what reading git yields, kept per commit so a rebuild
    reads only new ones, and each queue file's parse and the rendered cards.

    `dir` is relative to the repository root (or absolute); deleting it is always safe.
    """

    enabled: bool = True
    dir: str = ".statusboard-cache"


@dataclass(frozen=True, slots=True)
class Sources:
    """Where the optional sources live (formats.md §4–7); every one may be missing.

    The lists are globs relative to the repository root (`**` spans folders); the roster is the
    first of its candidates that exists.
    """

    riff: str = "docs/ai/tracker/riff.json"
    bass: str = "docs/ai/tracker/bass.json"
    backlog: str = "backlog"  # the Backlog.md directory (config.yml, tasks/, completed/, …)
    beads: str = ".beads/issues.jsonl"  # the beads export (else the legacy `.beads/beads.jsonl`)
    roster: tuple[str, ...] = ("docs/ai/agents.md", "docs/ai/agents.yml", "docs/ai/agents.yaml")
    transcripts: tuple[str, ...] = ("docs/ai/transcripts/**/*.jsonl", "agents/*/**/*.jsonl")
    playbooks: tuple[str, ...] = (
        "docs/ai/**/*.md",
        "docs/ai/**/*.txt",
        "agents/**/*.md",
        "skills/**/*.md",
        "AGENTS.md",
        "CLAUDE.md",
    )
    telegram: tuple[str, ...] = ("docs/ai/telegram/**/*.json",)
    # An MCP Agent Mail archive folder; "" finds `.mcp_mail/` (or `.agent_mail/`) by itself.
    agent_mail: str = ""
    agent_mail_db: str | None = (
        None  # its SQLite database, for the acks (read-only; may be outside)
    )
    claude_home: bool = False  # also read ~/.claude/projects of this repo's worktrees (never in CI)


@dataclass(frozen=True, slots=True)
class AgentOptions:
    """How the tracker, agent-call and bridge rules judge (lint-rules.md, SB5xx–SB7xx)."""

    # Who may sign off a review (`review → done`) besides the roster's orchestrators.
    signoff: tuple[str, ...] = ("human",)
    # The person's names in chat exports; empty: any sender that is no session, agent or bot.
    people: tuple[str, ...] = ()
    timezone: str = "UTC"  # the team's local zone: the DND window, Telegram's zone-less dates
    dnd_start: str = "03:00"  # named agents do not message the person from …
    dnd_end: str = "08:00"  # … until (local time; a window may wrap past midnight)
    spawn_small: int = 300  # runTimeoutSeconds for S, M and L spawns
    spawn_medium: int = 600
    spawn_large: int = 1200


@dataclass(frozen=True, slots=True)
class Config:
    """Everything configurable. `rules` maps a rule name to a severity or `off`."""

    paths: Paths = field(default_factory=Paths)
    thresholds: Thresholds = field(default_factory=Thresholds)
    site: SiteOptions = field(default_factory=SiteOptions)
    rules: tuple[tuple[str, str], ...] = ()
    names: tuple[str, ...] = ()  # the project's display-name pool
    project_tag: str | None = None  # `po` in `po:sA`
    human_commit_authors: tuple[str, ...] = ()  # authors whose unprefixed commits are allowed
    source: str | None = None  # the file this was read from, for messages
    sources: Sources = field(default_factory=Sources)
    agents: AgentOptions = field(default_factory=AgentOptions)
    cache: CacheOptions = field(default_factory=CacheOptions)
    docs: DocsOptions = field(default_factory=DocsOptions)

    def severity_for(self, rule: str, default: Severity) -> Severity | None:
        """The configured severity of `rule`; None when it is turned off."""
        for name, value in self.rules:
            if name == rule:
                return None if value == "off" else Severity(value)
        return default


_DAY = 24 * 60  # minutes
_TEN_YEARS_DAYS = 3650
# The allowed range of every integer key, and its unit (for the message). The upper bounds are
# sanity limits: ten years for a duration, so that no date arithmetic can overflow later.
_INT_RANGES: dict[str, tuple[int, int, str]] = {
    "live_minutes": (1, _TEN_YEARS_DAYS * _DAY, "minutes"),
    "stale_hours": (1, _TEN_YEARS_DAYS * 24, "hours"),
    "unacked_hours": (1, _TEN_YEARS_DAYS * 24, "hours"),
    "placeholder_hours": (1, _TEN_YEARS_DAYS * 24, "hours"),
    "future_skew_minutes": (0, _TEN_YEARS_DAYS * _DAY, "minutes"),
    "max_file_bytes": (1, 1 << 30, "bytes"),
    "stale_in_progress_days": (1, _TEN_YEARS_DAYS, "days"),
    "telegram_relay_minutes": (1, _TEN_YEARS_DAYS * _DAY, "minutes"),
    "recent_per_inbox": (1, 100_000, "messages"),
    "spawn_small": (1, _TEN_YEARS_DAYS * _DAY * 60, "seconds"),
    "spawn_medium": (1, _TEN_YEARS_DAYS * _DAY * 60, "seconds"),
    "spawn_large": (1, _TEN_YEARS_DAYS * _DAY * 60, "seconds"),
}
SEVERITY_VALUES = ("error", "warning", "info", "off")
_BRANCH = re.compile(r"^(?!-)(?!.*\.\.)(?!.*//)[A-Za-z0-9._/+-]+(?<![/.])$")
_TAG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# Files the build caches write; no source glob may match them (the board would read its cache).
_CACHE_FILES = ("history-0.json", "read-0.json", "render-0.json", "CACHEDIR.TAG")
GLOB_FLAGS = glob.GLOBSTAR | glob.BRACE  # how source globs match (readers.optional_sources)


def _shown(value: Any) -> str:
    """A value for a one-line message: its repr, clipped."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _section(cls: type[Any], data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a table")
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        attr = key.replace("-", "_")
        if attr not in known:
            raise ConfigError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(known))})")
        if attr in values:
            raise ConfigError(f"{where}.{key}: given twice (with a dash and an underscore)")
        default = getattr(cls(), attr)
        if isinstance(default, tuple):  # a TOML list of strings
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}.{key}: expected a list of strings, got {_shown(value)}")
            value = tuple(value)
        elif default is None:  # an optional string
            if not isinstance(value, str):
                raise ConfigError(f"{where}.{key}: expected a string, got {_shown(value)}")
        elif isinstance(value, bool) != isinstance(default, bool) or not isinstance(
            value, type(default)
        ):  # TOML's true is a Python int too: a boolean is never a number here
            kind = type(default).__name__
            raise ConfigError(f"{where}.{key}: expected {kind}, got {_shown(value)}")
        if attr in _INT_RANGES:
            low, high, unit = _INT_RANGES[attr]
            if not low <= value <= high:
                raise ConfigError(
                    f"{where}.{key} = {_shown(value)}: out of range; "
                    f"expected {low} to {high} ({unit})"
                )
        values[attr] = value
    return cls(**values)


def _path_problem(value: str, *, pattern: bool = False) -> str | None:
    """Why `value` is no repository-relative path (or glob) inside the repository; None if it is."""
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return "control characters are not allowed in a path"
    text = value.strip()
    try:  # `{a,../b}` is two globs: check each
        variants = bracex.expand(text, limit=256) if pattern else [text]
    except Exception:  # a runaway expansion: check the text as written
        variants = [text]
    for variant in variants or [text]:
        if variant.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", variant):
            return "an absolute path; give a path relative to the repository root"
        # In a glob a backslash escapes the next character; in a path it may be a separator.
        parts = variant.split("/") if pattern else re.split(r"[/\\]", variant)
        if ".." in parts:
            return "`..` would leave the repository; give a path inside it"
        if any(p.casefold() == ".git" for p in parts):
            return "`.git` is git's own folder, not a board source"
    return None


def _clean(value: str) -> str:
    """A repository-relative path as clean POSIX (`./a//b/` → `a/b`; `""` is the root)."""
    parts = [
        p for p in PurePosixPath(value.strip().replace("\\", "/")).parts if p not in (".", "/")
    ]
    return "/".join(parts)


def _check_path(where: str, value: str, kind: str) -> None:
    """`kind`: `file`, `folder` (both: not the root), or `glob`; an empty source turns it off."""
    problem = _path_problem(value, pattern=kind == "glob")
    if problem is None and kind != "glob" and not _clean(value):
        problem = (
            "the repository root itself; give a file"
            if kind == "file"
            else "the repository root itself; give a folder inside it"
        )
    if problem is not None:
        raise ConfigError(f"{where} = {_shown(value)}: {problem}")


def _check_sources(paths: Paths, sources: Sources, where: str) -> None:
    _check_path(f"{where} [paths].scoreboard", paths.scoreboard, "file")
    _check_path(f"{where} [paths].queue_dir", paths.queue_dir, "folder")
    for key, kind in (
        ("riff", "file"),
        ("bass", "file"),
        ("backlog", "folder"),
        ("beads", "file"),
        ("agent_mail", "folder"),
    ):
        value = getattr(sources, key)
        if value.strip():  # an empty string turns the source off
            _check_path(f"{where} [sources].{key}", value, kind)
    for key, kind in (
        ("roster", "file"),
        ("transcripts", "glob"),
        ("playbooks", "glob"),
        ("telegram", "glob"),
    ):
        for value in getattr(sources, key):
            if value.strip():
                _check_path(f"{where} [sources].{key}", value, kind)


def user_cache_home() -> Path:
    """The user's cache directory: `$XDG_CACHE_HOME`, else `~/.cache`."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def _check_cache(cache: CacheOptions, paths: Paths, sources: Sources, where: str) -> None:
    """`cache.dir`: a folder of its own inside the repository, or inside the user's cache
    directory; never the root, `.git`, or a place the board reads its sources from."""
    label = f"{where} [cache].dir = {_shown(cache.dir)}"
    expanded = os.path.expanduser(cache.dir.strip())
    if os.path.isabs(expanded):
        base = os.path.normpath(user_cache_home())
        target = os.path.normpath(expanded)
        inside = os.path.commonpath([base, target]) == base and target != base
        if (
            ".." in Path(expanded).parts
            or not inside
            or target == os.path.join(base, "statusboard")
        ):
            raise ConfigError(
                f"{label}: an absolute cache folder must be a folder inside your cache directory "
                "(such as ~/.cache/statusboard/<project>); or give a folder relative to the "
                "repository root, such as .statusboard-cache"
            )
        return
    _check_path(f"{where} [cache].dir", cache.dir, "folder")
    rel = _clean(cache.dir)
    owned = [
        ("paths.scoreboard", paths.scoreboard, False),
        ("paths.queue_dir", paths.queue_dir, True),
        ("sources.riff", sources.riff, False),
        ("sources.bass", sources.bass, False),
        ("sources.backlog", sources.backlog, True),
        ("sources.beads", sources.beads, False),
        ("sources.agent_mail", sources.agent_mail, True),
        *(("sources.roster", r, False) for r in sources.roster),
    ]
    for key, value, folder in owned:
        source = _clean(value)
        if not source:
            continue
        if (
            source == rel
            or source.startswith(rel + "/")
            or (folder and rel.startswith(source + "/"))
        ):
            raise ConfigError(
                f"{label}: overlaps {key} = {_shown(value)}; the cache needs a folder of its own, "
                "such as .statusboard-cache"
            )
    globs = [g.strip() for g in (*sources.transcripts, *sources.playbooks, *sources.telegram)]
    for name in _CACHE_FILES:
        hit = next(
            (g for g in globs if g and glob.globmatch(f"{rel}/{name}", g, flags=GLOB_FLAGS)), None
        )
        if hit is not None:
            raise ConfigError(
                f"{label}: the source glob {hit!r} would read the cache's files; "
                "choose a folder no [sources] glob matches, such as .statusboard-cache"
            )


def _http_url(where: str, value: str | None) -> None:
    """`value` is unset, or an http(s) URL with a host and no credentials."""
    if value is None:
        return
    try:
        parts = urlsplit(value.strip())
        hostname = parts.hostname
    except ValueError:
        parts, hostname = None, None
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not hostname
        or any(ord(c) <= 32 for c in value.strip())
    ):
        raise ConfigError(
            f"{where} = {_shown(value)}: expected an http(s) URL such as https://github.com/acme/shop"
        )
    if parts.username is not None or parts.password is not None:
        raise ConfigError(
            f"{where} = {_shown(value)}: a URL with credentials; they would be published on the site"
        )


def _site_options(data: Any, where: str) -> SiteOptions:
    options: SiteOptions = _section(SiteOptions, data, where)
    _http_url(f"{where}.repo_url", options.repo_url)
    _http_url(f"{where}.site_url", options.site_url)
    branch = options.edit_branch
    if branch is not None and (not _BRANCH.match(branch) or branch.endswith(".lock")):
        raise ConfigError(f"{where}.edit_branch = {_shown(branch)}: not a git branch name")
    return options


def _rule_names() -> tuple[dict[str, str], dict[str, str]]:
    """Every rule's name, and each code's name (SB201 → stale-claim)."""
    # Imported here, not at the top: the rules import the analysis, which imports this module.
    from generator import rules as registry

    return {r.name: r.name for r in registry.RULES}, {
        r.code.casefold(): r.name for r in registry.RULES
    }


def _rules(table: Any, where: str) -> tuple[tuple[str, str], ...]:
    """The [rules] table: known rule names (dashes or underscores) mapped to a severity or `off`."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [rules] must be a table of rule = severity")
    names, codes = _rule_names()
    rules: dict[str, str] = {}
    for name, value in table.items():
        if value not in SEVERITY_VALUES:
            raise ConfigError(
                f"{where}: rules.{name} = {_shown(value)}; expected error, warning, info or off"
            )
        canonical = name.replace("_", "-")
        if canonical not in names:
            if name.casefold() in codes:
                hint = f"; name the rule: {codes[name.casefold()]!r}"
            else:
                close = difflib.get_close_matches(canonical, list(names), n=1)
                hint = (
                    f"; did you mean {close[0]!r}?" if close else "; `statusboard rules` lists them"
                )
            raise ConfigError(f"{where}: unknown rule {name!r} in [rules]{hint}")
        if canonical in rules:
            raise ConfigError(f"{where}: rules.{name}: rule {canonical!r} given twice")
        rules[canonical] = value
    return tuple(rules.items())


def _strings(where: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(
            f"{where}: {key} must be a list of non-empty strings, got {_shown(value)}"
        )
    return tuple(value)


def parse_config(data: dict[str, Any], source: str | None = None) -> Config:
    """Build a Config from a parsed TOML table, checking every key and value."""
    where = source or "config"
    known = {"paths", "thresholds", "site", "rules", "names", "project_tag", "human_commit_authors"}
    known |= {"sources", "agents"}
    known |= {"cache"}
    known |= {"docs"}
    for key in data:
        if key.replace("-", "_") not in known:
            raise ConfigError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(known))})")
    names = _strings(where, "names", data.get("names", []))
    authors = _strings(where, "human_commit_authors", data.get("human_commit_authors", []))
    tag = data.get("project_tag")
    if tag is not None and (not isinstance(tag, str) or not _TAG.match(tag)):
        raise ConfigError(
            f'{where}: project_tag = {_shown(tag)}: expected a short tag such as "po" '
            "(letters, digits, `.`, `_`, `-`)"
        )
    paths: Paths = _section(Paths, data.get("paths", {}), f"{where} [paths]")
    thresholds: Thresholds = _section(
        Thresholds, data.get("thresholds", {}), f"{where} [thresholds]"
    )
    if thresholds.live_minutes > thresholds.stale_hours * 60:
        raise ConfigError(
            f"{where} [thresholds].live_minutes = {thresholds.live_minutes}: longer than "
            f"stale_hours = {thresholds.stale_hours}; a session must turn stale after it stops being live"
        )
    sources: Sources = _section(Sources, data.get("sources", {}), f"{where} [sources]")
    cache: CacheOptions = _section(CacheOptions, data.get("cache", {}), f"{where} [cache]")
    _check_sources(paths, sources, where)
    _check_cache(cache, paths, sources, where)
    docs = _docs_options(data.get("docs", {}), f"{where} [docs]")
    return Config(
        paths=paths,
        thresholds=thresholds,
        site=_site_options(data.get("site", {}), f"{where} [site]"),
        rules=_rules(data.get("rules", {}), where),
        names=names,
        project_tag=tag,
        human_commit_authors=authors,
        source=source,
        sources=sources,
        agents=_agent_options(data.get("agents", {}), f"{where} [agents]"),
        cache=cache,
        docs=docs,
    )


def _docs_options(data: Any, where: str) -> DocsOptions:
    """The [docs] table: a known mode, and globs inside the repository."""
    options: DocsOptions = _section(DocsOptions, data, where)
    if options.mode not in DOCS_MODES:
        raise ConfigError(
            f"{where}.mode = {_shown(options.mode)}: expected one of {', '.join(DOCS_MODES)}"
        )
    for value in options.paths:
        if not value.strip():
            raise ConfigError(f"{where}.paths: an empty glob matches nothing; remove it")
        _check_path(f"{where}.paths", value, "glob")
    return options


def _agent_options(data: Any, where: str) -> AgentOptions:
    """The [agents] table, with its zone and clock times checked (a typo must not pass silently)."""
    options: AgentOptions = _section(AgentOptions, data, where)
    try:
        ZoneInfo(options.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"{where}.timezone: unknown time zone {options.timezone!r}") from exc
    for key in ("dnd_start", "dnd_end"):
        value = getattr(options, key)
        if clock_minutes(value) is None:
            raise ConfigError(f"{where}.{key}: expected a time of day HH:MM, got {value!r}")
    return options


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc


def load_config(repo: Path, explicit: Path | None = None) -> Config:
    """Find and read the configuration for `repo`; defaults when there is none."""
    if explicit is not None:
        if explicit.is_dir():
            raise ConfigError(
                f"{explicit} is a folder; give the configuration file (e.g. {explicit}/statusboard.toml)"
            )
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: no such configuration file")
        return parse_config(_read_toml(explicit), str(explicit))
    for name in CONFIG_NAMES:
        candidate = repo / name
        if candidate.is_file():
            return parse_config(_read_toml(candidate), name)
    pyproject = repo / "pyproject.toml"
    if pyproject.is_file():
        try:
            table = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return Config()  # someone else's file: not ours to complain about
        tool = table.get("tool", {}).get("statusboard")
        if isinstance(tool, dict):
            return parse_config(tool, "pyproject.toml [tool.statusboard]")
    return Config()
