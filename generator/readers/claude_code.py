"""Claude Code transcripts: `<encoded-cwd>/<sessionId>.jsonl` and `<sessionId>/subagents/agent-*.jsonl`.

Read as a stream, line by line, so a file of any size is read in bounded memory (a session of a
working day is tens of megabytes). Each line is redacted before it is parsed. A line that is not
JSON is a finding, except a cut-off last line: Claude Code appends while it runs, so the newest
line of a live session may be half written.

Token usage is counted once per response: the lines of one response (text, then each tool call)
repeat its `message.id` and a usage that grows as it streams, so each field's largest value counts.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generator.model import Problem, SourceRef, Stamp
from generator.model_agents import AgentRun, ClaudeSession, DayUsage, Spawn, TokenUsage
from generator.readers._text import clip
from generator.readers.files import RULE as FILE_UNREADABLE
from generator.readers.files import escaping_link
from generator.readers.secrets import redact_path, redact_source
from generator.readers.tracker_json import loose_stamp

RULE = "export-parse"
SPAWN_TOOLS = frozenset({"Task", "Agent"})
# Line types only Claude Code writes; one of them with a `sessionId` tells the format apart.
_TYPES = frozenset({"user", "assistant", "system", "progress", "summary", "queue-operation"})
_TITLE_TYPES = {"ai-title": ("aiTitle", "title"), "summary": ("summary",)}
_AGENT_ID = re.compile(r"agentId:\s*([A-Za-z0-9_-]+)")
_AGENT_FILE = re.compile(r"(?:^|/)agent-(?P<id>[A-Za-z0-9_-]+)\.jsonl$")
MAX_PROBLEMS = 50  # per file
SNIFF_LINES = 30


_HEAD_TYPE = re.compile(
    rb'"type"\s*:\s*"(?:user|assistant|system|progress|summary|queue-operation)"'
)


def is_claude_code(head: bytes) -> bool:
    """Whether the first lines of a `.jsonl` file are Claude Code's (a typed line with a sessionId).

    `head` may end inside a long line (a pasted prompt): its first line is then judged by its keys.
    """
    first = head.split(b"\n", 1)[0]
    if b'"sessionId"' in first and _HEAD_TYPE.search(first):
        return True
    for raw in head.split(b"\n")[:SNIFF_LINES]:
        try:
            obj = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        if isinstance(obj, dict) and obj.get("type") in _TYPES and "sessionId" in obj:
            return True
    return False


@dataclass(slots=True)
class _Usage:
    day: str
    model: str | None
    input: int = 0
    output: int = 0
    cache_creation: int = 0
    cache_read: int = 0

    def take(self, usage: dict[str, Any]) -> None:
        # The largest value of each field: later lines of a response carry the final counts.
        self.input = max(self.input, _int(usage.get("input_tokens")))
        self.output = max(self.output, _int(usage.get("output_tokens")))
        self.cache_creation = max(
            self.cache_creation, _int(usage.get("cache_creation_input_tokens"))
        )
        self.cache_read = max(self.cache_read, _int(usage.get("cache_read_input_tokens")))


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


@dataclass(slots=True)
class FileRead:
    """What one transcript file holds, before sessions are assembled from the files."""

    path: str
    session: str | None = None
    agent: str | None = None  # the subagent id of a sidechain file
    cwd: str | None = None
    branch: str | None = None
    title: str | None = None
    slug: str | None = None
    models: dict[str, None] = field(default_factory=dict)
    compactions: int = 0
    first: Stamp | None = None
    last: Stamp | None = None
    lines: int = 0
    spawns: list[Spawn] = field(default_factory=list)
    results: dict[str, tuple[str | None, str | None, str]] = field(default_factory=dict)
    progress: dict[str, str] = field(default_factory=dict)  # tool_use id -> agent id
    tools: Counter[str] = field(default_factory=Counter)
    errors: list[SourceRef] = field(default_factory=list)
    usage: dict[str, _Usage] = field(default_factory=dict)
    activity: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    bad: int = 0

    def report(self, line: int, message: str) -> None:
        self.bad += 1
        if self.bad <= MAX_PROBLEMS:
            self.problems.append(Problem(RULE, SourceRef(self.path, line), message))


def read_lines(path: str, lines: Iterable[bytes]) -> FileRead:
    """Read one transcript from its lines (bytes, newline kept); never raises on content."""
    read = FileRead(path)
    number = 0
    for number, raw in enumerate(lines, 1):
        text = raw.decode("utf-8", "replace")
        if not text.strip():
            continue
        text, secrets = redact_source(path, text)
        read.problems.extend(Problem(p.rule, SourceRef(path, number), p.message) for p in secrets)
        try:
            obj = json.loads(text)
        except (ValueError, RecursionError):
            # Only the last line can lack its newline: a session still being written, not an error.
            if raw.endswith(b"\n"):
                shown = clip(text.strip(), 50)
                read.report(number, f"transcript line {number} is not JSON: `{shown}`")
            continue
        if not isinstance(obj, dict):
            read.report(number, f"transcript line {number} is JSON but not an object")
            continue
        _line(read, number, obj)
    read.lines = number
    if read.bad > MAX_PROBLEMS:
        read.problems.append(
            Problem(
                RULE,
                SourceRef(path, number),
                f"…and {read.bad - MAX_PROBLEMS} more unreadable lines in this transcript",
            )
        )
    return read


def _str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _line(read: FileRead, number: int, obj: dict[str, Any]) -> None:
    kind = obj.get("type")
    read.session = read.session or _str(obj.get("sessionId"))
    if obj.get("isSidechain") is True and read.agent is None:
        read.agent = _str(obj.get("agentId"))
    read.cwd = _str(obj.get("cwd")) or read.cwd
    read.branch = _str(obj.get("gitBranch")) or read.branch
    read.slug = _str(obj.get("slug")) or read.slug
    at = loose_stamp(obj.get("timestamp"))
    if at is not None and kind in ("user", "assistant", "system"):
        if read.first is None or at.value < read.first.value:
            read.first = at
        if read.last is None or at.value > read.last.value:
            read.last = at
        read.activity[at.value.strftime("%Y-%m-%dT%H")] += 1
    if isinstance(kind, str) and kind in _TITLE_TYPES:
        for key in _TITLE_TYPES[kind]:
            title = _str(obj.get(key))
            if title:
                read.title = title
    if kind == "system" and obj.get("subtype") == "compact_boundary":
        read.compactions += 1
    message = obj.get("message")
    if kind == "assistant" and isinstance(message, dict):
        _assistant(read, number, obj, message, at)
    elif kind == "user" and isinstance(message, dict):
        _user(read, number, obj, message)
    elif kind == "progress":
        data = obj.get("data")
        parent = _str(obj.get("parentToolUseID"))
        if isinstance(data, dict) and parent and data.get("type") == "agent_progress":
            agent = _str(data.get("agentId"))
            if agent:
                read.progress.setdefault(parent, agent)


def _assistant(
    read: FileRead, number: int, obj: dict[str, Any], message: dict[str, Any], at: Stamp | None
) -> None:
    model = _str(message.get("model"))
    if model and model != "<synthetic>":
        read.models.setdefault(model, None)
    key = _str(message.get("id")) or _str(obj.get("requestId"))
    usage = message.get("usage")
    if key and isinstance(usage, dict):
        entry = read.usage.get(key)
        if entry is None:
            day = at.value.strftime("%Y-%m-%d") if at else "unknown"
            entry = read.usage[key] = _Usage(day, model)
        entry.take(usage)
    content = message.get("content")
    if not isinstance(content, list):
        return
    for block in content:
        if not isinstance(block, dict) or block.get("type") != "tool_use":
            continue
        name = _str(block.get("name")) or "?"
        read.tools[name] += 1
        if name in SPAWN_TOOLS:
            args = block.get("input")
            args = args if isinstance(args, dict) else {}
            prompt = args.get("prompt")
            read.spawns.append(
                Spawn(
                    source=SourceRef(read.path, number),
                    tool_use_id=_str(block.get("id")) or f"line-{number}",
                    tool=name,
                    at=at,
                    description=_str(args.get("description")),
                    subagent_type=_str(args.get("subagent_type")),
                    prompt_head=clip(" ".join(prompt.split()), 160)
                    if isinstance(prompt, str)
                    else "",
                )
            )


def _user(read: FileRead, number: int, obj: dict[str, Any], message: dict[str, Any]) -> None:
    content = message.get("content")
    if not isinstance(content, list):
        return
    extra = obj.get("toolUseResult")
    for block in content:
        if not isinstance(block, dict) or block.get("type") != "tool_result":
            continue
        error = block.get("is_error") is True
        if error:
            read.errors.append(SourceRef(read.path, number))
        use = _str(block.get("tool_use_id"))
        if use is None:
            continue
        text = _text(block.get("content"))
        agent = status = None
        if isinstance(extra, dict):
            agent = _str(extra.get("agentId"))
            status = _str(extra.get("status"))
        if agent is None:
            m = _AGENT_ID.search(text)
            agent = m[1] if m else None
        if error:
            status = "error"
        read.results[use] = (agent, status or "returned", clip(" ".join(text.split()), 160))


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(
            b["text"] for b in content if isinstance(b, dict) and isinstance(b.get("text"), str)
        )
    return ""


# --- from files to sessions --------------------------------------------------------------------


def agent_of_file(path: str) -> str | None:
    """`a2898e3` from `…/subagents/agent-a2898e3.jsonl`."""
    m = _AGENT_FILE.search(path)
    return m["id"] if m and "/subagents/" in f"/{path}" else None


def assemble(
    files: Iterable[FileRead], metas: dict[str, dict[str, Any]], local: bool = False
) -> tuple[ClaudeSession, ...]:
    """Sessions from their files: a main transcript and the subagent files of the same session.

    `metas` maps a subagent transcript's path to its `.meta.json` object. A subagent file whose
    main transcript is missing still makes a session, so nothing read is dropped.
    """
    groups: dict[str, list[FileRead]] = {}
    for f in files:
        key = f.session or f.path  # a file with no session id stays a session of its own
        groups.setdefault(key, []).append(f)
    sessions = [_session(key, group, metas, local) for key, group in groups.items()]
    return tuple(sorted(sessions, key=lambda s: (s.source.path, s.id)))


def _session(
    key: str, group: list[FileRead], metas: dict[str, dict[str, Any]], local: bool
) -> ClaudeSession:
    def is_sub(f: FileRead) -> bool:
        return f.agent is not None or agent_of_file(f.path) is not None

    mains = sorted((f for f in group if not is_sub(f)), key=lambda f: f.path)
    subs = sorted((f for f in group if is_sub(f)), key=lambda f: f.path)
    by_agent = {(f.agent or agent_of_file(f.path) or ""): f for f in subs}
    spawns: list[Spawn] = []
    for f in mains:
        for s in f.spawns:
            agent, status, said = f.results.get(s.tool_use_id, (None, None, ""))
            agent = agent or f.progress.get(s.tool_use_id)
            linked = by_agent.get(agent or "")
            spawns.append(
                replace(
                    s,
                    agent_id=agent,
                    agent_file=linked.path if linked else None,
                    status=status,
                    result_head=said,
                )
            )
    spawn_of = {s.agent_id: s for s in spawns if s.agent_id}
    runs: list[AgentRun] = [_run(f, "main", None, None) for f in mains]
    for f in subs:
        agent = f.agent or agent_of_file(f.path) or "?"
        meta = metas.get(f.path, {})
        spawn = spawn_of.get(agent)
        kind = _str(meta.get("agentType")) or (spawn.subagent_type if spawn else None)
        what = _str(meta.get("description")) or (spawn.description if spawn else None)
        runs.append(_run(f, agent, kind, what))
    head = mains[0] if mains else group[0]
    everything = [*mains, *subs]
    usage: dict[tuple[str, str, str | None], TokenUsage] = {}
    activity: Counter[str] = Counter()
    for f, run in zip(everything, runs, strict=True):
        activity.update(f.activity)
        for u in f.usage.values():
            k = (u.day, run.agent, u.model)
            usage[k] = usage.get(k, TokenUsage()).plus(_tokens([u]))
    stamps = [s for f in everything for s in (f.first, f.last) if s is not None]
    title = next((f.title for f in mains if f.title), None) or head.slug
    models = dict.fromkeys(m for f in everything for m in f.models)
    return ClaudeSession(
        source=SourceRef(head.path),
        id=head.session or key,
        cwd=next((f.cwd for f in everything if f.cwd), None),
        branch=next((f.branch for f in reversed(mains) if f.branch), None) or head.branch,
        title=title,
        models=tuple(models),
        compactions=sum(f.compactions for f in mains),
        first=min(stamps, key=lambda s: s.value) if stamps else None,
        last=max(stamps, key=lambda s: s.value) if stamps else None,
        spawns=tuple(spawns),
        runs=tuple(runs),
        usage=tuple(
            DayUsage(day, agent, model, tokens)
            for (day, agent, model), tokens in sorted(
                usage.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or "")
            )
        ),
        activity=tuple(sorted(activity.items())),
        local=local,
    )


def _tokens(entries: Iterable[_Usage]) -> TokenUsage:
    total = TokenUsage()
    for u in entries:
        total = total.plus(TokenUsage(u.input, u.output, u.cache_creation, u.cache_read, 1))
    return total


def _run(f: FileRead, agent: str, kind: str | None, what: str | None) -> AgentRun:
    return AgentRun(
        source=SourceRef(f.path),
        agent=agent,
        agent_type=kind,
        description=what,
        first=f.first,
        last=f.last,
        lines=f.lines,
        tools=tuple(sorted(f.tools.items())),
        errors=tuple(f.errors),
        tokens=_tokens(f.usage.values()),
        internal=agent.startswith("acompact"),
    )


# --- reading files -----------------------------------------------------------------------------


def _stream(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        yield from handle


def read_file(path: Path, shown: str) -> tuple[FileRead | None, list[Problem]]:
    """Stream one transcript at `path`, reported as `shown`; None and a problem if unreadable."""
    try:
        return read_lines(shown, _stream(path)), []
    except OSError as exc:
        why = exc.strerror or str(exc)
        return None, [
            Problem(FILE_UNREADABLE, SourceRef(shown), f"cannot be read: {why}; not read")
        ]


def sniff(path: Path) -> bool:
    """Whether the file at `path` starts like a Claude Code transcript."""
    try:
        with path.open("rb") as handle:
            return is_claude_code(handle.read(65536))
    except OSError:
        return False


def read_meta(path: Path) -> dict[str, Any]:
    """The `agent-<id>.meta.json` beside a subagent transcript; {} when there is none."""
    meta = path.with_name(path.name[: -len(".jsonl")] + ".meta.json")
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def read_repo_transcripts(
    repo: Path, rels: Iterable[str]
) -> tuple[tuple[ClaudeSession, ...], list[Problem]]:
    """Read repository-relative Claude Code transcripts (already sniffed) into sessions."""
    problems: list[Problem] = []
    files: list[FileRead] = []
    metas: dict[str, dict[str, Any]] = {}
    for rel in rels:
        shown = redact_path(rel)
        escape = escaping_link(repo, rel)
        if escape is not None:
            problems.append(Problem(FILE_UNREADABLE, SourceRef(shown), f"{escape}; not read"))
            continue
        read, found = read_file(repo / rel, shown)
        problems.extend(found)
        if read is None:
            continue
        problems.extend(read.problems)
        files.append(read)
        if agent_of_file(shown):
            metas[shown] = read_meta(repo / rel)
    return assemble(files, metas), problems


# --- the person's own ~/.claude/projects (opt-in) ----------------------------------------------


def encode_cwd(path: str) -> str:
    """The folder name Claude Code gives a working folder: every other character than a letter or
    digit becomes `-` (`/home/me/repo.x` → `-home-me-repo-x`)."""
    return re.sub(r"[^A-Za-z0-9]", "-", path)


def worktrees(repo: Path) -> list[str]:
    """The absolute paths of the repository's worktrees (`git worktree list --porcelain`)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(repo), "worktree", "list", "--porcelain"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return [str(repo.resolve())]
    found = [line[len("worktree ") :] for line in out.splitlines() if line.startswith("worktree ")]
    return found or [str(repo.resolve())]


def local_enabled(opted_in: bool) -> bool:
    """Reading ~/.claude is opt-in and never happens in CI, whatever the configuration says."""
    return opted_in and os.environ.get("CI", "").lower() not in ("true", "1", "yes")


def local_files(repo: Path, home: Path | None = None) -> list[Path]:
    """The `.jsonl` files in `~/.claude/projects/<encoded worktree>/` of the repository's worktrees."""
    base = (home or Path.home()) / ".claude" / "projects"
    found: list[Path] = []
    for tree in sorted(set(worktrees(repo))):
        folder = base / encode_cwd(tree)
        if folder.is_dir():
            found.extend(sorted(folder.rglob("*.jsonl")))
    return found


def read_local_sessions(
    repo: Path, home: Path | None = None
) -> tuple[tuple[ClaudeSession, ...], list[Problem]]:
    """Sessions in `~/.claude/projects/<encoded worktree>/` of each of the repository's worktrees."""
    base = (home or Path.home()) / ".claude" / "projects"
    problems: list[Problem] = []
    files: list[FileRead] = []
    metas: dict[str, dict[str, Any]] = {}
    for path in local_files(repo, home):
        shown = "~/.claude/projects/" + path.relative_to(base).as_posix()
        if not sniff(path):
            continue
        read, found = read_file(path, shown)
        problems.extend(found)
        if read is None:
            continue
        problems.extend(read.problems)
        files.append(read)
        if agent_of_file(shown):
            metas[shown] = read_meta(path)
    return assemble(files, metas, local=True), problems
