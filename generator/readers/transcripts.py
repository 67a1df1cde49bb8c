"""Agent transcripts (formats.md §6): `*.jsonl`, one JSON object per line; the inter-agent tool calls."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from generator.model import AgentCall, CallValue, Problem, SourceRef, Stamp
from generator.readers._text import clip
from generator.readers.tracker_json import loose_stamp, type_name

RULE = "export-parse"
TOOLS = ("sessions_send", "sessions_spawn", "sessions_history", "sessions_list", "subagents")
# Tools an agent uses to write to the person (the DND rule looks at these too). MCP Agent Mail's
# `send_message` writes to other agents: under a `*mail*` MCP server, or with its arguments
# (`sender_name`, `project_key`), it is not one of these.
PERSON_TOOLS = ("message", "send_message")
_AGENT_MAIL_ARGS = frozenset({"sender_name", "project_key"})
_CALL_TYPES = frozenset({"toolCall", "tool_call", "tool_use", "function_call", "toolUse"})
_MISSING = object()  # a call object that names its tool but carries no arguments at all
_NAME_KEYS = ("name", "tool", "tool_name", "toolName", "function", "recipient_name")
_ARG_KEYS = ("arguments", "input", "args", "params")
_TIME_KEYS = ("timestamp", "ts", "created_at", "createdAt", "time")
_AGENT_KEYS = ("agentId", "agent_id", "agent", "agentName")
_META_TYPES = frozenset({"session", "meta", "metadata", "header", "session_meta", "transcript"})
_CHILD = re.compile(
    r"(?:childSessionKey|child_session_key|runId|run_id)\\?[\"']?\s*[:=]\s*\\?[\"']?"
    r"(?P<value>[A-Za-z0-9][A-Za-z0-9:_.@/-]*)"
)
_PATH_AGENT = re.compile(r"(?:^|/)agents/(?P<id>[A-Za-z0-9][A-Za-z0-9_.-]*)/")
MAX_PROBLEMS = 50  # per file; a file of garbage gets one summary beyond that


def tool_name(value: Any) -> str | None:
    """`sessions_send` from `sessions_send`, `functions.sessions_send` or `mcp__x__sessions_send`."""
    if not isinstance(value, str):
        return None
    parts = re.split(r"[./]|__", value.strip())
    name = parts[-1]
    if name in PERSON_TOOLS and any("mail" in p.lower() for p in parts[:-1]):
        return None  # mcp__mcp_agent_mail__send_message: agent to agent
    return name if name in TOOLS or name in PERSON_TOOLS else None


def agent_mail_call(tool: str, arguments: tuple[tuple[str, CallValue], ...]) -> bool:
    """Whether a `send_message` call is MCP Agent Mail's (to agents), by its arguments."""
    return tool == "send_message" and any(k in _AGENT_MAIL_ARGS for k, _ in arguments)


def _value(value: Any) -> CallValue:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def call_text(tool: str, arguments: tuple[tuple[str, CallValue], ...], limit: int = 160) -> str:
    """`sessions_send(sessionKey="…", timeoutSeconds=0)`: a call as a playbook would write it."""
    parts = [f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in arguments]
    return clip(f"{tool}({', '.join(parts)})", limit)


def path_agent(path: str) -> str | None:
    """The agent a transcript belongs to by its path, `agents/<id>/…`."""
    m = _PATH_AGENT.search(path)
    return m["id"] if m else None


def _stamp(obj: dict[str, Any]) -> Stamp | None:
    for key in _TIME_KEYS:
        if key in obj:
            stamp = loose_stamp(obj[key])
            if stamp is not None:
                return stamp
    return None


def _calls(
    node: Any, stamp: Stamp | None, depth: int = 0
) -> Iterator[tuple[str, Any, Stamp | None]]:
    """(tool, raw arguments, time) of every tool call object inside one line's JSON."""
    if depth > 16:
        return
    if isinstance(node, dict):
        here = _stamp(node) or stamp
        name = next((tool_name(node.get(k)) for k in _NAME_KEYS if tool_name(node.get(k))), None)
        if name is not None:
            key = next((k for k in _ARG_KEYS if k in node), None)
            if key is not None:
                yield name, node[key], here
                return
            if node.get("type") in _CALL_TYPES:
                yield name, _MISSING, here
                return
        for child in node.values():
            yield from _calls(child, here, depth + 1)
    elif isinstance(node, list):
        for child in node:
            yield from _calls(child, stamp, depth + 1)


def _meta_agent(obj: Any, first: bool) -> str | None:
    if not isinstance(obj, dict):
        return None
    if not first and str(obj.get("type", "")).lower() not in _META_TYPES:
        return None
    for key in _AGENT_KEYS:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def read_transcript(path: str, text: str) -> tuple[list[AgentCall], list[Problem]]:
    """The calls of one transcript; lines that are not JSON objects are reported and skipped."""
    problems: list[Problem] = []
    bad = 0

    def report(line: int, message: str) -> None:
        nonlocal bad
        bad += 1
        if bad <= MAX_PROBLEMS:
            problems.append(Problem(RULE, SourceRef(path, line), message))

    parsed: list[tuple[int, str, Any]] = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            why = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            report(number, f"transcript line {number} is not JSON ({why}): `{clip(line, 50)}`")
            continue
        if not isinstance(obj, dict):  # formats.md §6: one JSON object per line
            report(
                number,
                f"transcript line {number} is JSON but not an object: {type_name(obj)}, "
                f"`{clip(line, 50)}`",
            )
            continue
        parsed.append((number, line, obj))
    agent = next(
        (a for i, (_, _, obj) in enumerate(parsed) if (a := _meta_agent(obj, i == 0))), None
    ) or path_agent(path)

    calls: list[AgentCall] = []
    open_spawns: list[int] = []  # indexes into calls of spawns still waiting for their child key
    for number, line, obj in parsed:
        found = list(_calls(obj, None))
        for tool, raw, at in found:
            args: tuple[tuple[str, CallValue], ...] = ()
            readable = False
            if raw is _MISSING:
                report(number, f"transcript line {number}: the `{tool}` call has no arguments")
            else:
                args, readable = _arguments(raw)
            if readable and agent_mail_call(tool, args):
                continue  # MCP Agent Mail between agents, not a message to the person
            if not readable and raw is not _MISSING:
                report(
                    number,
                    f"transcript line {number}: the arguments of `{tool}` are not a JSON object "
                    f"(`{clip(raw if isinstance(raw, str) else json.dumps(raw), 40)}`)",
                )
            calls.append(
                AgentCall(
                    source=SourceRef(path, number),
                    origin="transcript",
                    tool=tool,
                    agent=agent,
                    at=at,
                    arguments=args,
                    text=call_text(tool, args),
                    readable=readable,
                )
            )
            if tool == "sessions_spawn":
                open_spawns.append(len(calls) - 1)
        if not found and open_spawns:
            m = _CHILD.search(line)
            if m is not None:
                index = open_spawns.pop(0)  # results come back in call order
                calls[index] = replace(calls[index], child=m["value"])
    if bad > MAX_PROBLEMS:
        problems.append(
            Problem(
                RULE,
                SourceRef(path, problems[-1].source.line),
                f"…and {bad - MAX_PROBLEMS} more unreadable lines in this transcript",
            )
        )
    return calls, problems


def _arguments(raw: Any) -> tuple[tuple[tuple[str, CallValue], ...], bool]:
    if isinstance(raw, str):
        if not raw.strip():
            return (), True
        try:
            raw = json.loads(raw)
        except (json.JSONDecodeError, RecursionError):
            return (), False
    if not isinstance(raw, dict):
        return (), False
    return tuple((str(k), _value(v)) for k, v in raw.items()), True
