"""Configuration: zero on the standard layout, a `statusboard.toml` (or `--config FILE`) to change it.

Lookup order when `--config` is not given: `statusboard.toml`, `.statusboard.toml`, then the
`[tool.statusboard]` table of `pyproject.toml`, all at the repository root. Unknown keys are an
error (a typo must not silently keep a default).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from generator.exceptions import ConfigError
from generator.model import Severity

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


@dataclass(frozen=True, slots=True)
class CacheOptions:
    """The build caches (generator/cache.py): what reading git yields, kept per commit so a rebuild
    reads only new ones, and each queue file's parse, the rendered cards and the compiled templates.

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
    backlog: str = "backlog/tasks"
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

    def severity_for(self, rule: str, default: Severity) -> Severity | None:
        """The configured severity of `rule`; None when it is turned off."""
        for name, value in self.rules:
            if name == rule:
                return None if value == "off" else Severity(value)
        return default


def _section(cls: type[Any], data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a table")
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        attr = key.replace("-", "_")
        if attr not in known:
            raise ConfigError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(known))})")
        default = getattr(cls(), attr)
        if isinstance(default, tuple):  # a TOML list of strings
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}.{key}: expected a list of strings, got {value!r}")
            value = tuple(value)
        elif default is not None and not isinstance(value, type(default)):
            kind = type(default).__name__
            raise ConfigError(f"{where}.{key}: expected {kind}, got {value!r}")
        values[attr] = value
    return cls(**values)


def parse_config(data: dict[str, Any], source: str | None = None) -> Config:
    """Build a Config from a parsed TOML table, checking every key and value."""
    where = source or "config"
    known = {"paths", "thresholds", "site", "rules", "names", "project_tag", "human_commit_authors"}
    known |= {"sources", "agents"}
    known |= {"cache"}
    for key in data:
        if key.replace("-", "_") not in known:
            raise ConfigError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(known))})")
    rules_table = data.get("rules", {})
    if not isinstance(rules_table, dict):
        raise ConfigError(f"{where}: [rules] must be a table of rule = severity")
    rules: list[tuple[str, str]] = []
    for name, value in rules_table.items():
        if value not in ("error", "warning", "info", "off"):
            raise ConfigError(
                f"{where}: rules.{name} = {value!r}; expected error, warning, info or off"
            )
        rules.append((name, value))
    names = data.get("names", [])
    authors = data.get("human_commit_authors", [])
    for key, value in (("names", names), ("human_commit_authors", authors)):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: {key} must be a list of strings")
    tag = data.get("project_tag")
    if tag is not None and not isinstance(tag, str):
        raise ConfigError(f"{where}: project_tag must be a string")
    return Config(
        paths=_section(Paths, data.get("paths", {}), f"{where} [paths]"),
        thresholds=_section(Thresholds, data.get("thresholds", {}), f"{where} [thresholds]"),
        site=_section(SiteOptions, data.get("site", {}), f"{where} [site]"),
        rules=tuple(rules),
        names=tuple(names),
        project_tag=tag,
        human_commit_authors=tuple(authors),
        source=source,
        sources=_section(Sources, data.get("sources", {}), f"{where} [sources]"),
        agents=_agent_options(data.get("agents", {}), f"{where} [agents]"),
        cache=_section(CacheOptions, data.get("cache", {}), f"{where} [cache]"),
    )


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


def clock_minutes(text: str) -> int | None:
    """`08:30` as minutes since midnight; None when it is not a time of day."""
    hours, sep, minutes = text.strip().partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        return None
    value = int(hours) * 60 + int(minutes)
    return value if int(hours) <= 24 and int(minutes) < 60 and value <= 24 * 60 else None


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


def with_overrides(config: Config, **changes: Any) -> Config:
    """A copy of `config` with top-level fields replaced."""
    return replace(config, **changes)
