"""A Backlog.md folder (formats.md §4), read the way Backlog.md itself reads it.

`backlog/config.yml` (task prefix, statuses in board order, default status, date format), then the
task files of `tasks/`, `completed/`, `drafts/`, `archive/tasks/` and `archive/drafts/`: only files
named as Backlog.md names them (`<prefix>-*.md`, `draft-*.md` in the drafts), YAML front matter then
markdown. The front matter gets the same leniency as Backlog.md's parser (`src/markdown/parser.ts`):
unquoted `@user` values of `assignee`/`reporter` and bare `due_date`s are quoted before YAML reads
them, and the dates it accepts (`2025-06-04 10:30`, `2025-06-04T10:30`, `2025-06-04`, the legacy
`04-06-25`, `04/06/25`, `04.06.25`) are read. Ids compare as Backlog.md compares them
(`backlog_id_key`): case-blind prefix, zero padding cosmetic, a bare number takes the prefix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

from generator.model import (
    Criterion,
    Problem,
    RawBlock,
    SourceRef,
    Stamp,
    Task,
    TaskComment,
    Tracker,
)
from generator.readers._text import clip
from generator.readers.files import RULE as FILE_UNREADABLE
from generator.readers.files import escaping_link
from generator.readers.secrets import redact_path
from generator.readers.tracker_json import as_json, loose_stamp, type_name

RULE = "export-parse"
KIND = "backlog"
# The task folders of a Backlog.md directory, and what each one means for the board.
FOLDERS = (
    ("tasks", "tasks"),
    ("completed", "completed"),
    ("drafts", "drafts"),
    ("archive/tasks", "archive"),
    # Archived drafts: Backlog.md moves them here (`backlog draft archive`) and lists them
    # nowhere; the board keeps them with the archive rather than lose them.
    ("archive/drafts", "archive"),
)
_DRAFT_FOLDERS = ("drafts", "archive/drafts")  # their files are `draft-*.md`
DEFAULT_STATUSES = ("To Do", "In Progress", "Done")
_SUBS = {"tasks", "completed", "drafts", "archive", "docs", "decisions", "milestones", "assets"}
_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:")
_TASK_FILE = re.compile(r"^(?P<prefix>[A-Za-z]+)-(?P<body>[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*)")
_ID = re.compile(r"^(?:(?P<prefix>[A-Za-z]+)-)?(?P<body>\d+(?:\.\d+)*)$")
_HEADING = re.compile(r"^##\s+(?P<title>.+?)\s*#*\s*$")
_MARKER = re.compile(r"^\s*<!--\s*(?:SECTION:[A-Z_]+|AC|DOD|COMMENTS?):(?:BEGIN|END)\s*-->\s*$")
_CHECK = re.compile(r"^- \[(?P<mark>[ xX])\] (?:#(?P<index>\d+) )?(?P<text>.+)$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_BEGIN = re.compile(r"^\s*<!--\s*(?P<name>[A-Z][A-Z_:]*):BEGIN\s*-->\s*$")
_BLOCK_END = re.compile(r"^\s*<!--\s*[A-Z][A-Z_:]*:END\s*-->\s*$")
# A metadata line of a Backlog.md comment (`author: @a`, `created: 2026-07-04 14:05`).
_META = re.compile(r"^[a-zA-Z_]+:(?:\s.*)?$")
# A comment written as a list item: `- @sB 2026-05-31 13:00: looks good`, `* @sB: ok`.
_ITEM = re.compile(
    r"^\s*[-*+]\s+(?P<author>@[\w.-]+)"
    r"(?:\s+(?P<date>\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?Z?)?))?\s*:\s+(?P<text>\S.*)$"
)
# States that end a task without doing it: the board shows them as done, like `Wontfix`.
_DROPPED = re.compile(
    r"^(?:won'?t|will not|not) ?(?:do|fix|planned)$|^(?:cancel+ed|abandoned|rejected|obsolete|duplicate)$"
)


# Middle statuses that name a column of their own; any other is work in progress.
_OWN_WORDS = re.compile(r"block|review|\bqa\b|test|verif|hold|wait|stuck|done|closed|complete")


@dataclass(frozen=True, slots=True)
class BacklogConfig:
    """What `backlog/config.yml` says that the board needs."""

    prefix: str = "task"
    statuses: tuple[str, ...] = DEFAULT_STATUSES
    default_status: str = "To Do"
    date_format: str = "yyyy-mm-dd"
    path: str | None = None


def read_backlog_config(path: str, text: str) -> tuple[BacklogConfig, list[Problem]]:
    """Read `config.yml` as Backlog.md does: scalars line by line (quotes dropped), the
    `statuses` list as YAML (flow `[…]` or a block of `- …` lines)."""
    values: dict[str, str] = {}
    lines = text.splitlines()
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#") or ":" not in line or raw[:1].isspace():
            continue
        key, _, value = line.partition(":")
        values.setdefault(key.strip(), value.strip())
    problems: list[Problem] = []
    statuses: tuple[str, ...] = DEFAULT_STATUSES
    at = next((i for i, r in enumerate(lines) if re.match(r"^statuses\s*:", r)), None)
    if at is not None:
        block = [lines[at]]
        for raw in lines[at + 1 :]:
            if raw.strip() and not raw[:1].isspace() and not raw.lstrip().startswith("-"):
                break
            block.append(raw)
        try:
            listed = yaml.load("\n".join(block), Loader=_Loader).get("statuses")
        except (yaml.YAMLError, AttributeError):
            listed = None
        if isinstance(listed, list) and listed and all(isinstance(x, str) for x in listed):
            statuses = tuple(x.strip() for x in listed)
        else:
            problems.append(
                Problem(
                    RULE,
                    SourceRef(path, at + 1),
                    f"Backlog.md config: `statuses` `{clip(values.get('statuses', ''), 40)}` is not "
                    f'a list like `["To Do", "Done"]`; the default {list(DEFAULT_STATUSES)} is used',
                )
            )
    prefix = _unquote(values.get("task_prefix", "")) or "task"
    return (
        BacklogConfig(
            prefix=prefix,
            statuses=statuses,
            default_status=_unquote(values.get("default_status", "")) or statuses[0],
            date_format=_unquote(values.get("date_format", "")) or "yyyy-mm-dd",
            path=path,
        ),
        problems,
    )


def _unquote(value: str) -> str:
    return value.replace('"', "").replace("'", "").strip()


# --- ids -------------------------------------------------------------------------------------


def backlog_id_key(value: str, prefix: str = "task") -> str:
    """The identity Backlog.md compares ids by: `BACK-355.1` for `back-355.01`, `355.1`."""
    text = value.strip()
    m = _ID.match(text)
    if m is None:
        return text.upper()
    body = ".".join(seg.lstrip("0") or "0" for seg in m["body"].split("."))
    return f"{(m['prefix'] or prefix).upper()}-{body}"


def file_task_id(name: str) -> tuple[str, str] | None:
    """(prefix, id) of a task file name (`back-12.1 - Title.md`), None when it is not one."""
    if not name.endswith(".md"):
        return None
    m = _TASK_FILE.match(name.removesuffix(".md"))
    if m is None:
        return None
    return m["prefix"], f"{m['prefix']}-{m['body']}"


# --- front matter ------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """YAML as Backlog.md's parser (js-yaml) reads it: only `true`/`false` are booleans."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def preprocess(front: str) -> str:
    """Backlog.md's `preprocessFrontmatter`: quote `@user` values and bare `due_date`s."""
    out: list[str] = []
    for line in front.split("\n"):
        due = re.match(r"^(\s*due_date:\s*)(.*)$", line)
        if due:
            scalar = re.match(r"^(.*?)(\s+#.*)?$", due[2])
            value = (scalar[1] if scalar else due[2]).strip()
            comment = (scalar[2] or "") if scalar else ""
            if value and not re.match(r"^(?:null|~)$", value, re.I) and value[0] not in "'\"":
                out.append(f"{due[1]}{_quote(value)}{comment}")
                continue
        who = re.match(r"^(\s*(?:assignee|reporter):\s*)(.*)$", line)
        if not who:
            out.append(line)
            continue
        value = who[2].strip()
        flow = re.match(r"^\[(.*)\]\s*(#.*)?$", value)
        if flow:
            items = [e.strip() for e in flow[1].split(",") if e.strip()]
            items = [_quote(e) if e.startswith("@") else e for e in items]
            tail = f" {flow[2]}" if flow[2] else ""
            out.append(f"{who[1]}[{', '.join(items)}]{tail}")
        elif value and value[0] not in "['\"-":
            out.append(f"{who[1]}{_quote(value)}")
        else:
            out.append(line)
    return "\n".join(out)


def backlog_stamp(value: Any) -> Stamp | None:
    """A date as Backlog.md's `normalizeDate` accepts it, or what YAML made of one."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return Stamp(moment.astimezone(UTC), value.isoformat(), False, value.tzinfo is not None)
    if isinstance(value, date):
        moment = datetime(value.year, value.month, value.day, tzinfo=UTC)
        return Stamp(moment, value.isoformat(), False, False)
    text = str(value).strip().strip("'\"")
    legacy = re.match(r"^(\d{2})[-/.](\d{2})[-/.](\d{2})$", text)
    if legacy:  # day, month, two-digit year: Backlog.md's legacy formats
        try:
            moment = datetime(2000 + int(legacy[3]), int(legacy[2]), int(legacy[1]), tzinfo=UTC)
        except ValueError:
            return None
        return Stamp(moment, text, False, False)
    return loose_stamp(text)


# --- the body ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Body:
    """A task body split as Backlog.md shows it."""

    sections: tuple[tuple[str, str], ...]
    criteria: tuple[Criterion, ...]
    comments: tuple[TaskComment, ...]


def read_body(path: str, lines: list[str], first: int) -> Body:
    """Sections (`## Title`), checklists and comments; `first` is the 1-based line of lines[0].

    Nothing written is dropped: the text before the first heading is a section of its own, a
    checklist section keeps its lines that are no checkbox, and a `## Comments` section keeps
    whatever is not read as a comment (all of it when it is not in Backlog.md's block form).
    """
    heads: list[tuple[int, str]] = []
    fenced = False
    closes = _block_ends(lines)
    inside_until = -1  # a `<!-- X:BEGIN -->` block is one piece: a `## ` inside it is its text
    for i, line in enumerate(lines):
        if i < inside_until:
            continue
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        if i in closes:
            inside_until = closes[i]
            continue
        m = _HEADING.match(line)
        if m:
            heads.append((i, m["title"]))
    sections: list[tuple[str, str]] = []
    criteria: list[Criterion] = []
    comments: list[TaskComment] = []
    lead = "\n".join(lines[: heads[0][0]] if heads else lines).strip("\n")
    if lead.strip():
        sections.append(("", lead))
    for n, (start, title) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        chunk = lines[start + 1 : end]
        key = title.strip().lower()
        kept = chunk
        if key.startswith("acceptance criteria") or key == "definition of done":
            kind = "done" if key == "definition of done" else "acceptance"
            kept = []
            for j, line in enumerate(chunk):
                c = _CHECK.match(line.rstrip())
                if not c:
                    kept.append(line)
                    continue
                index = (
                    int(c["index"])
                    if c["index"]
                    else sum(1 for x in criteria if x.kind == kind) + 1
                )
                criteria.append(
                    Criterion(
                        kind, index, c["mark"] != " ", c["text"].strip(), first + start + 1 + j
                    )
                )
        elif key == "comments":
            found, kept = _comments(path, chunk, first + start + 1)
            comments.extend(found)
        text = "\n".join(line for line in kept if not _MARKER.match(line)).strip("\n")
        if key == "comments" and not text.strip():
            continue  # every line of it is a comment, shown as the task's activity
        sections.append((title.strip(), text))
    return Body(tuple(sections), tuple(criteria), tuple(comments))


def _block_ends(lines: list[str]) -> dict[int, int]:
    """{line of a `<!-- X:BEGIN -->`: line of its `<!-- X:END -->`}, for the blocks that close."""
    out: dict[int, int] = {}
    for i, line in enumerate(lines):
        m = _BEGIN.match(line)
        if m is None:
            continue
        end = f"{m['name']}:END"
        close = next(
            (j for j in range(i + 1, len(lines)) if _BLOCK_END.match(lines[j]) and end in lines[j]),
            None,
        )
        if close is not None:
            out[i] = close
    return out


def _comments(path: str, chunk: list[str], first: int) -> tuple[list[TaskComment], list[str]]:
    """The comments of a `## Comments` section and the lines that are none, kept as its text.

    Backlog.md writes `author:`/`created:` lines, `---`, the body, `---` (or the older
    `<!-- COMMENT:BEGIN -->` blocks with the metadata before a blank line); people also write
    list items `- @author 2026-05-31 13:00: text`, read as comments too (their section stays).
    """
    if any("<!-- COMMENT:BEGIN -->" in line for line in chunk):
        return _legacy_comments(path, chunk, first)
    found, rest = _block_comments(path, chunk, first)
    if found:
        return found, rest
    return _item_comments(path, chunk, first), chunk


def _block_comments(path: str, chunk: list[str], first: int) -> tuple[list[TaskComment], list[str]]:
    """`author:`/`created:` lines, `---`, the text, `---` (with or without the `COMMENTS`
    markers around them); the lines that are no comment are kept as text."""
    out: list[TaskComment] = []
    rest: list[str] = []
    k = 0
    while k < len(chunk):
        line = chunk[k]
        meta_end = k
        while meta_end < len(chunk) and _META.match(chunk[meta_end].strip()):
            meta_end += 1
        close = next(
            (j for j in range(meta_end + 1, len(chunk)) if chunk[j].strip() == "---"), None
        )
        if (
            meta_end == k
            or meta_end >= len(chunk)
            or chunk[meta_end].strip() != "---"
            or (close is None)
        ):
            rest.append(line)  # not the start of a comment: kept as the section's text
            k += 1
            continue
        text = "\n".join(chunk[meta_end + 1 : close]).strip()
        if text:
            out.append(_comment(path, chunk[k:meta_end], text, first + k))
        else:
            rest.extend(chunk[k : close + 1])  # a comment that says nothing: shown as written
        k = close + 1
    return out, rest


def _legacy_comments(
    path: str, chunk: list[str], first: int
) -> tuple[list[TaskComment], list[str]]:
    """`<!-- COMMENT:BEGIN -->` blocks; the lines outside them are kept as text."""
    out: list[TaskComment] = []
    rest: list[str] = []
    block: list[tuple[int, str]] | None = None
    for i, line in enumerate(chunk):
        if "<!-- COMMENT:BEGIN -->" in line:
            if block is not None:  # an unclosed block before this one: kept as written
                rest.extend(x for _, x in block)
            block = []
        elif "<!-- COMMENT:END -->" in line and block is not None:
            head, said = _split_meta(block)
            if said:
                out.append(_comment(path, head, said, first + (block[0][0] if block else i)))
            else:
                rest.extend(x for _, x in block)
            block = None
        elif block is not None:
            block.append((i, line))
        else:
            rest.append(line)
    if block is not None:
        rest.extend(x for _, x in block)
    return out, rest


def _item_comments(path: str, chunk: list[str], first: int) -> list[TaskComment]:
    """List items `- @author [date]: text` (lines indented under one continue it)."""
    out: list[TaskComment] = []
    k = 0
    while k < len(chunk):
        m = _ITEM.match(chunk[k])
        if m is None:
            k += 1
            continue
        body = [m["text"].strip()]
        j = k + 1
        while j < len(chunk) and chunk[j].strip() and chunk[j][:1].isspace():
            body.append(chunk[j].strip())
            j += 1
        when = backlog_stamp(m["date"]) if m["date"] else None
        text = "\n".join(body).strip()
        if text:
            out.append(TaskComment(SourceRef(path, first + k), m["author"], when, text))
        k = j
    return out


def _split_meta(block: list[tuple[int, str]]) -> tuple[list[str], str]:
    lines = [line for _, line in block]
    text = "\n".join(lines).strip()
    head, sep, rest = text.partition("\n\n")
    if not sep:
        return [], text
    return head.split("\n"), rest.strip()


def _comment(path: str, meta: list[str], body: str, line: int) -> TaskComment:
    author, created = "", None
    for m in (re.match(r"^([a-zA-Z_]+):\s*(.*)$", x.strip()) for x in meta):
        if m and m[1].lower() == "author":
            author = m[2].strip()
        elif m and m[1].lower() == "created":
            created = backlog_stamp(m[2]) if m[2].strip() else None
    return TaskComment(SourceRef(path, line), author, created, body)


# --- one task file -------------------------------------------------------------------------------


def read_backlog_task(
    path: str, text: str, folder: str = "tasks", config: BacklogConfig | None = None
) -> tuple[Task | None, list[Problem], RawBlock | None]:
    """Read one task file; a file with broken front matter is kept raw and reported."""
    config = config or BacklogConfig()
    problems: list[Problem] = []

    def report(line: int | None, message: str) -> None:
        problems.append(Problem(RULE, SourceRef(path, line), message))

    name = path.rsplit("/", 1)[-1]
    stem = name.removesuffix(".md")
    named = file_task_id(name)
    file_id = named[1] if named else stem
    file_title = stem.split(" - ", 1)[1].replace("-", " ").strip() if " - " in stem else ""
    lines = [line.removesuffix("\r") for line in text.removeprefix("\ufeff").split("\n")]
    if not lines or lines[0].strip() != "---":
        report(1, f"Backlog.md task `{stem}` has no YAML front matter (a first line `---`)")
        return None, problems, RawBlock(SourceRef(path, 1), text.strip("\n"))
    # Backlog.md closes the front matter at the first line that starts with `---`
    # (`^---\r?\n([\s\S]*?)\r?\n---`): what follows on that line (`---## Description`) is
    # the first line of the body.
    end = next(
        (
            i
            for i in range(1, len(lines))
            if lines[i].startswith("---") or lines[i].strip() in ("---", "...")
        ),
        None,
    )
    if end is None:
        report(1, f"Backlog.md task `{stem}`: the front matter is never closed with `---`")
        return None, problems, RawBlock(SourceRef(path, 1), text.strip("\n"))
    front = preprocess("\n".join(lines[1:end]))
    try:
        data = yaml.load(front, Loader=_Loader) if front.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1  # +1 for 1-based, +1 for the `---`
        problem = getattr(exc, "problem", None) or str(exc).split("\n", 1)[0]
        report(line, f"Backlog.md task `{stem}`: the front matter is not valid YAML: {problem}")
        return None, problems, RawBlock(SourceRef(path, 1), "\n".join(lines[: end + 1]))
    if not isinstance(data, dict):
        report(2, f"Backlog.md task `{stem}`: the front matter is {type_name(data)}, not keys")
        return None, problems, RawBlock(SourceRef(path, 1), "\n".join(lines[: end + 1]))

    key_lines: dict[str, int] = {}
    for i in range(1, end):
        m = _KEY.match(lines[i])
        if m:
            key_lines.setdefault(m["key"], i + 1)

    def text_field(key: str) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value).strip()
        if isinstance(value, date):
            return value.isoformat()
        report(
            key_lines.get(key, 1),
            f"Backlog.md task `{stem}`: `{key}` is {type_name(value)}, expected text",
        )
        return as_json(value)

    def list_field(key: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None or value == "":
            return ()
        if isinstance(value, str):
            return tuple(p.strip() for p in value.split(",") if p.strip())
        if not isinstance(value, list):
            report(
                key_lines.get(key, 1),
                f"Backlog.md task `{stem}`: `{key}` is {type_name(value)}, expected a list",
            )
            return ()
        out: list[str] = []
        for item in value:
            if isinstance(item, str | int | float) and not isinstance(item, bool):
                out.append(str(item).strip())
            else:
                report(
                    key_lines.get(key, 1),
                    f"Backlog.md task `{stem}`: an item of `{key}` is {type_name(item)}; kept as "
                    f"`{clip(as_json(item), 40)}`",
                )
                out.append(as_json(item))
        return tuple(o for o in out if o)

    def stamp_field(key: str) -> Stamp | None:
        value = data.get(key)
        if value is None or value == "":
            return None
        stamp = backlog_stamp(value)
        if stamp is None:
            report(
                key_lines.get(key, 1),
                f"Backlog.md task `{stem}`: `{key}` `{clip(str(value), 30)}` is not a date "
                "Backlog.md reads (`2025-06-04 10:30`, `2025-06-04`)",
            )
        return stamp

    task_id = text_field("id") or file_id
    title = text_field("title") or file_title
    status = text_field("status")
    draft = folder == "drafts" or (named is not None and named[0].lower() == "draft")
    if not status and not draft:
        report(key_lines.get("status", 1), f"Backlog.md task {task_id} has no `status`")
    glued = lines[end].strip()[3:] if lines[end].startswith("---") else ""
    rest = ([glued] if glued.strip() else []) + lines[end + 1 :]
    body = "\n".join(rest).strip("\n")
    parts = read_body(path, rest, end + 1 if glued.strip() else end + 2)
    # Every key the board does not map to a field of its own is kept, in file order, as written
    # (text as is, anything else as JSON): `references`, `documentation`, `modified_files`,
    # `ordinal`, `reporter`, `due_date`, `subtasks` and the user's own keys alike.
    extra = tuple(
        (str(k), _shown(v)) for k, v in data.items() if str(k) not in MAPPED and v not in _EMPTY
    )
    parent = text_field("parent_task_id") or text_field("parent") or None
    return (
        Task(
            source=SourceRef(path, key_lines.get("id", 1)),
            tracker=KIND,
            id=task_id,
            title=title,
            status=status,
            assignees=tuple(a.lstrip("@") for a in list_field("assignee")),
            labels=list_field("labels"),
            deps=list_field("dependencies"),
            created=stamp_field("created_date"),
            updated=stamp_field("updated_date"),
            body=body,
            type=text_field("type") or None,
            comments=parts.comments,
            lines=tuple(sorted(key_lines.items(), key=lambda kv: kv[1])),
            span=(1, len(lines)),
            state=backlog_state(status, folder, config),
            priority=text_field("priority").lower() or None,
            milestone=text_field("milestone") or None,
            parent=parent,
            folder=folder,
            sections=parts.sections,
            criteria=parts.criteria,
            extra=extra,
        ),
        problems,
        None,
    )


# The front-matter keys the board reads into fields of its own; every other key is `extra`.
MAPPED = frozenset(
    {
        "id", "title", "status", "assignee", "labels", "dependencies", "created_date",
        "updated_date", "type", "priority", "milestone", "parent_task_id", "parent",
    }
)  # fmt: skip
_EMPTY: tuple[Any, ...] = (None, "", [], {})


def _shown(value: Any) -> str:
    """A front-matter value as text: a string as written, a date in ISO form, else JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    try:  # YAML may nest dates (no JSON type) or use keys JSON has none for
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


def backlog_state(status: str, folder: str, config: BacklogConfig) -> str | None:
    """The board column Backlog.md implies: completed and archived tasks are finished, drafts are
    not yet work, the last configured status is done, the first is to do."""
    if folder in ("completed", "archive"):
        return "done"
    if folder == "drafts":
        return "other"
    key = " ".join(status.lower().replace("’", "'").split())
    if _DROPPED.match(key):
        return "done"
    statuses = [s.lower() for s in config.statuses]
    if key in statuses and len(statuses) >= 2:
        if key == statuses[-1]:
            return "done"
        if key == statuses[0]:
            return "todo"
        if not _OWN_WORDS.search(key):
            return "in_progress"  # a configured status between the first and the last
    return None  # the generic words decide (blocked, review, on hold, …)


# --- the whole folder ----------------------------------------------------------------------------


def read_backlog(
    path: str,
    files: list[tuple[str, str, str]],
    config_text: str | None = None,
    ignored: tuple[str, ...] = (),
) -> tuple[Tracker, list[Problem]]:
    """Read every task file (`files`: (path, folder, text), sorted); `path` is the folder."""
    problems: list[Problem] = []
    config = BacklogConfig()
    if config_text is not None:
        config, found = read_backlog_config(f"{path}/config.yml", config_text)
        problems.extend(found)
    tasks: list[Task] = []
    raw: list[RawBlock] = []
    seen: dict[str, str] = {}
    for file_path, folder, text in files:
        task, found, kept = read_backlog_task(file_path, text, folder, config)
        problems.extend(found)
        if kept is not None:
            raw.append(kept)
        if task is None:
            continue
        # Archived tasks keep ids Backlog.md hands out again (it numbers from the active and
        # completed tasks only), so the archive is a namespace of its own, where an id may recur.
        key = ("archive:" if folder == "archive" else "") + backlog_id_key(task.id, config.prefix)
        if key in seen and folder != "archive":
            problems.append(
                Problem(
                    RULE,
                    task.source,
                    f"Backlog.md task {task.id} appears twice (also in `{seen[key]}`); "
                    "links and checks use the first",
                )
            )
        else:
            seen[key] = file_path
        tasks.append(task)
    return (
        Tracker(
            KIND,
            path,
            tuple(tasks),
            (),
            tuple(raw),
            statuses=config.statuses,
            prefix=config.prefix,
            ignored=ignored,
            config_path=config.path,
        ),
        problems,
    )


def read_backlog_folder(
    repo: Path, rel: str, load: Callable[[str], str | None]
) -> tuple[Tracker | None, list[Problem]]:
    """Find and read the task files of the Backlog.md directory `rel` (`backlog`).

    `load` reads, checks and redacts one file. A configured folder that is itself a task folder
    (`backlog/tasks`, the old default) is read alone. None when there is no such folder.
    """
    folder = repo / rel
    if not rel or not folder.is_dir():
        return None, []
    escape = escaping_link(repo, rel)
    if escape is not None:
        return None, [Problem(FILE_UNREADABLE, SourceRef(rel), f"{escape}; the tasks are not read")]
    config_text = load(f"{rel}/config.yml") if (folder / "config.yml").is_file() else None
    prefix = BacklogConfig().prefix
    if config_text is not None:
        prefix = read_backlog_config(rel, config_text)[0].prefix
    layout = [(sub, kind) for sub, kind in FOLDERS if (folder / sub).is_dir()]
    if not layout and config_text is None:
        layout = [("", "tasks")]  # the folder holds the task files themselves
    problems: list[Problem] = []
    files: list[tuple[str, str, str]] = []
    ignored: list[str] = []
    for sub, kind in layout:
        base = f"{rel}/{sub}" if sub else rel
        wanted = "draft" if sub in _DRAFT_FOLDERS else prefix
        try:
            names = sorted(
                p.name for p in (repo / base).iterdir() if p.is_file() and p.suffix == ".md"
            )
            # Backlog.md lists only the folder itself: files in subfolders are not its tasks.
            deeper = sorted(
                redact_path(p.relative_to(repo).as_posix())
                for p in (repo / base).glob("*/**/*.md")
                if p.is_file() and not (sub == "" and p.relative_to(repo / base).parts[0] in _SUBS)
            )
        except OSError as exc:
            problems.append(
                Problem(FILE_UNREADABLE, SourceRef(base), f"the folder cannot be listed: {exc}")
            )
            continue
        ignored.extend(deeper)
        for real in names:
            # Read under its real name; known (task path, findings) with any credential redacted.
            file_rel, name = redact_path(f"{base}/{real}"), redact_path(real)
            named = file_task_id(name)
            if named is None or named[0].lower() != wanted.lower():
                ignored.append(file_rel)
                if named is not None and _ID.match(named[1]):
                    problems.append(
                        Problem(
                            RULE,
                            SourceRef(file_rel, 1),
                            f"Backlog.md reads only `{wanted}-*.md` in `{base}` (task_prefix "
                            f"`{prefix}`), so it does not show `{name}`; rename it or move it",
                        )
                    )
                continue
            text = load(f"{base}/{real}")
            if text is not None:
                files.append((file_rel, kind, text))
    tracker, found = read_backlog(rel, files, config_text, tuple(ignored))
    milestones, bad = _milestones(repo, rel, load)
    if milestones:
        tracker = replace(tracker, milestones=milestones)
    return tracker, problems + found + bad


def _milestones(
    repo: Path, rel: str, load: Callable[[str], str | None]
) -> tuple[tuple[tuple[str, str, str], ...], list[Problem]]:
    """(id, title, path) of `milestones/m-*.md` and `archive/milestones/m-*.md` (Backlog.md's
    `listMilestones`, `listArchivedMilestones`: a task's `milestone:` names either)."""
    out: list[tuple[str, str, str]] = []
    problems: list[Problem] = []
    files: list[str] = []
    for sub in ("milestones", "archive/milestones"):
        folder = repo / rel / sub
        if not folder.is_dir():
            continue
        try:
            names = sorted(p.name for p in folder.iterdir() if p.is_file() and p.suffix == ".md")
        except OSError as exc:
            problems.append(Problem(FILE_UNREADABLE, SourceRef(f"{rel}/{sub}"), f"{exc}"))
            continue
        files += [f"{rel}/{sub}/{n}" for n in names if n.lower().startswith("m-")]
    for real in files:
        path = redact_path(real)
        text = load(real)
        if text is None:
            continue
        data = _front_matter(text)
        if data is None or not str(data.get("id") or "").strip():
            problems.append(
                Problem(
                    RULE,
                    SourceRef(path, 1),
                    "Backlog.md milestone has no readable front matter with an `id`; "
                    "tasks naming it show the id only",
                )
            )
            continue
        out.append((str(data["id"]).strip(), str(data.get("title") or "").strip(), path))
    return tuple(out), problems


def _front_matter(text: str) -> dict[str, Any] | None:
    """The front matter of a Backlog.md file as keys, None when there is none or it is no YAML map."""
    m = re.match(r"^\ufeff?---\r?\n([\s\S]*?)\r?\n---", text)
    if m is None:
        return None
    try:
        data = yaml.load(preprocess(m[1]), Loader=_Loader)
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None
