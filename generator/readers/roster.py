"""The agent roster (formats.md §5): `| Agent ID | Type | How to reach |` in `agents.md`, or `agents.yml`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from generator.model import Agent, Problem, SourceRef
from generator.readers._text import clip
from generator.readers.mdtable import find_tables, has_separator, split_cells

RULE = "export-parse"
EXPECTED_HEADER = "| Agent ID | Type | How to reach |"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_NAME = re.compile(r"^[A-Za-z]{1,12}$")
# `Named (Tila)`, `named`, `Spawn-only`, `spawn only`, `Spawn`
_TYPE = re.compile(r"^(?P<kind>[A-Za-z][A-Za-z -]*?)\s*(?:\((?P<name>[^)]*)\))?\s*$")
# `Name pool: Sintra · Porto · Lagos` (a line of prose, a list item or a heading)
_POOL = re.compile(r"^[\s>*#-]*(?:session\s+)?(?:name\s+pool|names)\s*:\s*(?P<names>.+)$", re.I)
_COLUMNS = {
    "id": ("agent id", "id", "agent", "agentid"),
    "type": ("type", "kind"),
    "reach": ("how to reach", "reach", "session key", "how to contact", "contact"),
    "name": ("name", "display name"),
    "role": ("role",),
}


@dataclass(frozen=True, slots=True)
class RosterRead:
    """What the roster file holds: agents, a session name pool, and the problems met."""

    agents: tuple[Agent, ...]
    names: tuple[str, ...]
    problems: tuple[Problem, ...]


def agent_type(text: str) -> tuple[str | None, str | None]:
    """(`named` | `spawn-only` | None, the name in parentheses) from a Type cell."""
    m = _TYPE.match(text.strip().strip("`*_"))
    if m is None:
        return None, None
    kind = " ".join(m["kind"].lower().replace("-", " ").split())
    name = (m["name"] or "").strip() or None
    if kind in ("named", "persistent", "named agent"):
        return "named", name
    if kind in ("spawn only", "spawn", "spawned", "worker", "spawn only worker"):
        return "spawn-only", name
    return None, name


def _column(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = " ".join(cell.strip().strip("*_`").lower().split())
        for column, names in _COLUMNS.items():
            if key in names and column not in found:
                found[column] = index
    return found


def read_roster(path: str, text: str) -> RosterRead:
    """Read `agents.md` or `agents.yml`; rows that do not parse are reported, not dropped."""
    if path.endswith((".yml", ".yaml")):
        return _read_yaml(path, text)
    problems: list[Problem] = []

    def report(line: int, message: str) -> None:
        problems.append(Problem(RULE, SourceRef(path, line), message))

    lines = text.split("\n")
    names: list[str] = []
    for line in lines:
        m = _POOL.match(line)
        if m and "|" not in line:
            names.extend(
                n for n in re.split(r"[\s,·;/]+", m["names"].strip(" .`")) if _NAME.match(n)
            )
    tables = find_tables(text)
    table = next(
        (t for t in tables if {"id", "type"} <= _column(split_cells(lines[t.header])).keys()),
        None,
    )
    if table is None:
        report(1, f"no agent table found (expected the header `{EXPECTED_HEADER}`)")
        return RosterRead((), tuple(names), tuple(problems))
    columns = _column(split_cells(lines[table.header]))
    if "reach" not in columns:
        report(table.header + 1, "the agent table has no `How to reach` column")
    agents: list[Agent] = []
    seen: dict[str, int] = {}
    for index in range(table.delimiter + 1, table.end):
        line = lines[index]
        if not line.strip():
            continue
        number = index + 1
        if not has_separator(line):
            report(number, f"line `{clip(line)}` inside the agent table has no `|`; kept as text")
            continue
        cells = split_cells(line)

        def cell(column: str, cells: list[str] = cells) -> str:
            i = columns.get(column)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        agent_id = cell("id").strip("`*_ ")
        if not agent_id or not _ID.match(agent_id):
            report(
                number,
                f"the agent row `{clip(line)}` has no readable agent id "
                f"(`{clip(agent_id, 20) or 'empty'}`)",
            )
            continue
        kind, paren = agent_type(cell("type"))
        if kind is None:
            report(
                number,
                f"agent {agent_id}: type `{clip(cell('type'), 30) or 'empty'}` is neither "
                "`Named` nor `Spawn-only`",
            )
        if agent_id in seen:
            report(number, f"agent {agent_id} is listed twice (also at line {seen[agent_id]})")
            continue
        seen[agent_id] = number
        name = _blank_dash(cell("name").strip("`*_ ")) or paren
        agents.append(
            Agent(
                source=SourceRef(path, number),
                id=agent_id,
                type=kind or cell("type"),
                name=name or None,
                role=_blank_dash(cell("role").strip("`*_ ").lower()) or None,
                reach=cell("reach"),
            )
        )
    return RosterRead(tuple(agents), tuple(dict.fromkeys(names)), tuple(problems))


def _read_yaml(path: str, text: str) -> RosterRead:
    problems: list[Problem] = []

    def report(line: int | None, message: str) -> None:
        problems.append(Problem(RULE, SourceRef(path, line), message))

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).split("\n", 1)[0]
        report(mark.line + 1 if mark else 1, f"the agent roster is not valid YAML: {problem}")
        return RosterRead((), (), tuple(problems))
    lines = _item_lines(root)
    names: tuple[str, ...] = ()
    entries: list[tuple[Any, int | None, str | None]] = []
    if isinstance(data, dict) and ("agents" in data or "names" in data or "name_pool" in data):
        pool = data.get("names", data.get("name_pool", []))
        if isinstance(pool, list):
            names = tuple(str(n) for n in pool if isinstance(n, str) and _NAME.match(n))
        else:
            report(1, f"the roster's `names` is {type(pool).__name__}, expected a list")
        data = data.get("agents", [])
        lines = _item_lines(_child(root, "agents"))
    if isinstance(data, list):
        entries = [
            (item, lines[i] if i < len(lines) else None, None) for i, item in enumerate(data)
        ]
    elif isinstance(data, dict):  # {main: {type: named, …}, dev: {…}}
        entries = [
            (item, lines[i] if i < len(lines) else None, str(key))
            for i, (key, item) in enumerate(data.items())
        ]
    elif data is not None:
        report(1, "the agent roster holds neither a list of agents nor a table of them")
    agents: list[Agent] = []
    seen: set[str] = set()
    for item, line, key in entries:
        if not isinstance(item, dict):
            report(line, f"an agent entry is {type(item).__name__}, expected keys id, type, reach")
            continue
        agent_id = str(item.get("id", key or "")).strip()
        if not agent_id or not _ID.match(agent_id):
            report(line, f"an agent entry has no readable `id` (`{clip(agent_id, 20)}`)")
            continue
        kind, paren = agent_type(str(item.get("type", "")))
        if kind is None:
            report(
                line,
                f"agent {agent_id}: type `{clip(str(item.get('type', '')), 30) or 'empty'}` is "
                "neither `named` nor `spawn-only`",
            )
        if agent_id in seen:
            report(line, f"agent {agent_id} is listed twice")
            continue
        seen.add(agent_id)
        reach = item.get("reach", item.get("how_to_reach", item.get("session_key", "")))
        role = item.get("role")
        agents.append(
            Agent(
                source=SourceRef(path, line),
                id=agent_id,
                type=kind or str(item.get("type", "")),
                name=str(item["name"]) if item.get("name") else paren,
                role=str(role).lower() if role else None,
                reach=str(reach or ""),
            )
        )
    return RosterRead(tuple(agents), names, tuple(problems))


def _blank_dash(text: str) -> str:
    """`—` or `-` in a cell means "none"."""
    return "" if text in ("—", "–", "-", "--", "n/a") else text


def _child(node: Any, key: str) -> Any:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if getattr(k, "value", None) == key:
                return v
    return None


def _item_lines(node: Any) -> list[int]:
    """1-based lines of the items of a sequence node, or of the keys of a mapping node."""
    if isinstance(node, yaml.SequenceNode):
        return [item.start_mark.line + 1 for item in node.value]
    if isinstance(node, yaml.MappingNode):
        return [k.start_mark.line + 1 for k, _ in node.value]
    return []
