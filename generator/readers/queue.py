"""Addressed queues (`queue/to-<id>.md`, formats.md §3): one message per top-level `## ` block."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePosixPath

from generator.model import Ack, Message, Problem, QueueFile, SourceRef, Stamp
from generator.readers._text import clip, or_list, raw_block, trimmed_range
from generator.readers.queue_scan import is_ack_line, is_message_heading, split_queue
from generator.timeutil import parse_stamp

RULE = "message-parse"
MESSAGE_TYPES = ("question", "answer", "handoff", "claim", "release", "relay", "info")
STATES = ("sent", "seen", "answered", "accepted", "declined", "done")
REQUIRED = ("from", "to", "type")
KNOWN_KEYS = ("from", "to", "type", "ref", "re", "via", "status")
EXPECTED_HEADING = "`## <timestamp> · from:… · to:… · type:…`"
EXPECTED_ACK = "`- ack · <timestamp> · <by> · <state>[ · <note>]`"

# ` · ` is the separator; `·` without spaces and ` | ` are accepted too.
_SEPARATOR = re.compile(r"\s*·\s*|\s+\|\s+")
_FIELD = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_-]*)\s*:\s*(?P<value>.*)$")
_ITEM_MARKER = re.compile(r"^\s{0,3}[-*+]\s+")
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


@dataclass(slots=True)
class Heading:
    """What a message heading line says, before ids and problems are worked out."""

    stamp: Stamp | None = None
    stamp_text: str | None = None  # the part meant as the send time, as written
    stamp_misplaced: bool = False
    fields: list[tuple[str, str]] = field(default_factory=list)
    stray: list[str] = field(default_factory=list)  # parts that are not `key:value`
    # Lowercased key -> its first non-empty value, filled with `fields` (`first` is asked often).
    firsts: dict[str, str] = field(default_factory=dict)

    @property
    def parsed(self) -> bool:
        """Whether it reads as a message: its send time is read (the time dates, orders and ages
        the message; a heading without a readable one is kept raw, as formats.md says)."""
        return self.stamp is not None

    def reason(self, shown: str) -> str:
        """Why a heading that did not parse is not a message, for the `message-parse` finding."""
        if not any(k.lower() in KNOWN_KEYS for k, _ in self.fields):
            return f"the heading `{clip(shown)}` is not a message heading (expected {EXPECTED_HEADING})"
        if self.stamp_text is None:
            return (
                f"the heading `{clip(shown)}` has no send timestamp (expected {EXPECTED_HEADING})"
            )
        return (
            f"the heading `{clip(shown)}`: `{clip(self.stamp_text, 40)}` is not a timestamp "
            "(expected YYYY-MM-DDTHH:MMZ)"
        )

    def first(self, key: str) -> str | None:
        """The first non-empty value of `key` (a lowercase name; the heading's may be any case)."""
        return self.firsts.get(key)


@dataclass(slots=True)
class _File:
    path: str
    name: str
    recipient: str
    lines: list[str]
    problems: list[Problem] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    repeats: dict[str, int] = field(default_factory=dict)  # base id -> next repeat number
    anchors: set[str] = field(default_factory=set)
    anchor_repeats: dict[str, int] = field(default_factory=dict)

    def report(self, line: int, message: str) -> None:
        self.problems.append(Problem(RULE, SourceRef(self.path, line), message))

    def new_id(self, base: str) -> tuple[str, str]:
        """A message id unique in the file (`-2`, `-3` for repeats) and its unique anchor."""
        n = self.repeats.get(base, 1)
        ident = f"{self.name}#{base}" if n == 1 else f"{self.name}#{base}-{n}"
        while ident in self.ids:
            n += 1
            ident = f"{self.name}#{base}-{n}"
        self.repeats[base] = n + 1
        self.ids.add(ident)
        anchor = "msg-" + (_SLUG_JUNK.sub("-", ident.split("#", 1)[1].lower()).strip("-") or "x")
        unique, n = anchor, self.anchor_repeats.get(anchor, 1)
        if n > 1:
            unique = f"{anchor}-{n}"
        while unique in self.anchors:
            n += 1
            unique = f"{anchor}-{n}"
        self.anchor_repeats[anchor] = n + 1
        self.anchors.add(unique)
        return ident, unique


@lru_cache(maxsize=1024)  # the rules ask it of every message and every trail
def recipient_of(path: str) -> str:
    """What follows `to-` in a queue file's name: `sA`, `Sintra`, `all`."""
    name = PurePosixPath(path).name
    stem = name[:-3] if name.endswith(".md") else name
    return stem[3:] if stem.startswith("to-") else stem


def read_queue(path: str, text: str) -> tuple[QueueFile, list[Problem]]:
    """Parse one queue file; every block or ack line it cannot read becomes a problem."""
    lines = text.split("\n")
    qfile = _File(path, PurePosixPath(path).name, recipient_of(path), lines)
    # The fence-aware line scanner finds the blocks and their ack items exactly as markdown-it
    # would (see queue_scan), at a fraction of the cost of parsing every body.
    blocks, open_fence = split_queue(lines)
    preamble = raw_block(path, lines, 0, blocks[0].start if blocks else len(lines))
    messages = []
    for k, block in enumerate(blocks):
        end = blocks[k + 1].start if k + 1 < len(blocks) else len(lines)
        messages.append(_read_message(qfile, block.start, end, block.heading, block.items))
    if open_fence is not None:
        _report_open_fence(qfile, open_fence)
    queue = QueueFile(
        path=path,
        recipient=qfile.recipient,
        preamble=(preamble,) if preamble else (),
        messages=tuple(messages),
    )
    return queue, qfile.problems


def _report_open_fence(qfile: _File, opened: int) -> None:
    """A fence never closed makes every later `## ` line body (CommonMark): say so, once."""
    swallowed = [
        i for i in range(opened + 1, len(qfile.lines)) if is_message_heading(qfile.lines[i])
    ]
    if not swallowed:
        return  # it runs to the end of the file, but hides no message
    first = swallowed[0] + 1
    if len(swallowed) == 1:
        what = f"the `## ` line after it (line {first}) is read as body, not as a message"
    else:
        what = (
            f"the {len(swallowed)} `## ` lines after it (from line {first}) are read as body, "
            "not messages"
        )
    qfile.report(opened + 1, f"the code fence opened at line {opened + 1} is never closed: {what}")


def _read_message(
    qfile: _File, start: int, end: int, heading_text: str, items: tuple[tuple[int, int], ...]
) -> Message:
    lines = qfile.lines
    line_no = start + 1
    last = end
    while last > start + 1 and not lines[last - 1].strip():
        last -= 1
    heading = parse_heading(heading_text)
    if not heading.parsed:
        ident, anchor = qfile.new_id(f"L{line_no}")
        shown = f"## {heading_text}".rstrip()
        qfile.report(line_no, f"{heading.reason(shown)}; the block is kept as written")
        return Message(
            id=ident,
            anchor=anchor,
            source=SourceRef(qfile.path, line_no),
            end_line=last,
            queue=qfile.recipient,
            heading=heading_text,
            parsed=False,
            at=None,
            sender=None,
            to=None,
            type=None,
            ref=None,
            re=None,
            via=None,
            status="sent",
            status_explicit=False,
            fields=tuple(heading.fields),
            body=_joined(lines, start + 1, end),
            acks=(),
        )
    firsts = heading.firsts
    sender = firsts.get("from")
    if heading.stamp is not None and sender is not None and heading.stamp_text is not None:
        ident, anchor = qfile.new_id(f"{heading.stamp_text}-{sender}")
    else:
        ident, anchor = qfile.new_id(f"L{line_no}")
    _report_heading(qfile, line_no, ident, heading)
    type_ = known_value(firsts.get("type"), MESSAGE_TYPES)
    status = known_value(firsts.get("status"), STATES)
    acks: list[Ack] = []
    kept: list[str] = []  # the body: the block's lines but those of its acks
    at = start + 1
    for a, b in items:  # in order, and disjoint: the top-level items of the block
        if not is_ack_line(lines[a]):
            continue
        while b > a + 1 and not lines[b - 1].strip():
            b -= 1
        ack = _read_ack(qfile, ident, a, b)
        if ack is not None:
            acks.append(ack)
            kept += lines[at:a]
            at = b
    kept += lines[at:end]
    return Message(
        id=ident,
        anchor=anchor,
        source=SourceRef(qfile.path, line_no),
        end_line=last,
        queue=qfile.recipient,
        heading=heading_text,
        parsed=True,
        at=heading.stamp,
        sender=sender,
        to=firsts.get("to"),
        type=type_,
        ref=firsts.get("ref"),
        re=firsts.get("re"),
        via=firsts.get("via"),
        status=status or "sent",
        status_explicit=status is not None,
        fields=tuple(heading.fields),
        body=_joined(kept, 0, len(kept)),
        acks=tuple(acks),
    )


def parse_heading(text: str) -> Heading:
    """The parts of a message heading (the text after `## `): send time, `key:value` fields,
    and the parts that are neither. Never raises; `parsed` says whether it reads as a message."""
    parts = list(filter(None, _split_parts(text)))  # a trailing ` ·` leaves an empty part
    heading = Heading()
    if not parts:
        return heading
    fields, firsts = heading.fields, heading.firsts
    for k, part in enumerate(parts):
        m = _FIELD.match(part)
        if m:
            key, value = m.group(1, 2)  # (the value has no blanks at either end)
            if value[:1] == "`" or value[-1:] == "`":
                value = value.strip("`").strip()
            fields.append((key, value))
            if value:
                firsts.setdefault(key.lower(), value)
        elif k == 0:
            heading.stamp_text = part
            heading.stamp = parse_stamp(part.strip("`"))
        else:
            heading.stray.append(part)
    if heading.stamp_text is None:
        # Liberal: a send time written later in the heading still counts (and is reported).
        for part in heading.stray:
            stamp = parse_stamp(part.strip("`"))
            if stamp is not None:
                heading.stamp, heading.stamp_text, heading.stamp_misplaced = stamp, part, True
                heading.stray.remove(part)
                break
    return heading


def _report_heading(qfile: _File, line_no: int, ident: str, heading: Heading) -> None:
    """One problem per thing wrong with a heading that was otherwise read."""
    who = f"message `{ident}`"
    if heading.stamp_misplaced:  # (a heading without a readable send time did not parse)
        qfile.report(
            line_no, f"{who}: the send timestamp `{heading.stamp_text}` is not first in the heading"
        )
    firsts = heading.firsts
    missing = [f"`{key}:`" for key in REQUIRED if key not in firsts]
    if missing:
        qfile.report(line_no, f"{who} has no {or_list(missing)} field")
    for key, allowed in (("type", MESSAGE_TYPES), ("status", STATES)):
        value = firsts.get(key)
        if value is not None and value.lower() not in allowed:
            qfile.report(
                line_no,
                f"{who} has the unknown {key} `{clip(value)}` (expected {', '.join(allowed)})",
            )
    seen: dict[str, list[str]] = {}
    for key, value in heading.fields:
        lowered = key.lower()
        if lowered in KNOWN_KEYS:
            seen.setdefault(lowered, []).append(value)
    for key, values in seen.items():
        if len(values) > 1:
            written = ", ".join(f"`{clip(v, 30)}`" for v in values)
            qfile.report(
                line_no, f"{who} has `{key}:` {len(values)} times ({written}); the first is used"
            )
    for part in heading.stray:
        qfile.report(line_no, f"{who}: `{clip(part)}` in the heading is not a `key:value` field")


def _read_ack(qfile: _File, ident: str, a: int, b: int) -> Ack | None:
    """One ack list item (lines [a, b)); None, and a problem, when it is malformed."""
    raw_lines = qfile.lines[a:b]
    parts = ack_parts(raw_lines)
    if len(parts) < 4 or parts[0].lower() != "ack" or not parts[2] or not parts[3]:
        qfile.report(
            a + 1,
            f"ack line {_shown(raw_lines)} under message `{ident}` does not read as {EXPECTED_ACK}; "
            "it stays in the body",
        )
        return None
    stamp = parse_stamp(parts[1].strip("`"))
    if stamp is None:
        qfile.report(
            a + 1,
            f"ack line {_shown(raw_lines)} under message `{ident}`: `{clip(parts[1])}` is not a timestamp; "
            "it stays in the body",
        )
        return None
    state = known_value(parts[3], STATES) or parts[3]
    if state not in STATES:
        qfile.report(
            a + 1,
            f"ack line {_shown(raw_lines)} under message `{ident}` has the unknown state `{clip(state)}` "
            f"(expected {', '.join(STATES)})",
        )
    return Ack(
        source=SourceRef(qfile.path, a + 1),
        raw="\n".join(raw_lines),
        at=stamp,
        by=parts[2],
        state=state,
        note=" · ".join(parts[4:]),
    )


def _shown(raw_lines: list[str]) -> str:
    """An ack item as a problem quotes it: its first line."""
    return f"`{clip(raw_lines[0].strip())}`"


def ack_parts(raw_lines: list[str]) -> list[str]:
    """The ` · `-separated parts of an ack item's lines (`ack`, time, by, state, note…), the
    list marker removed and continuation lines joined; trailing empty parts dropped."""
    first = raw_lines[0]
    marker = _ITEM_MARKER.match(first)
    content = (first[marker.end() :] if marker else first).strip()
    if len(raw_lines) > 1:
        content = " ".join([content, *(line.strip() for line in raw_lines[1:])]).strip()
    parts = _split_parts(content)
    while parts and not parts[-1]:
        parts.pop()
    return parts


def _split_parts(text: str) -> list[str]:
    """`text` split at its separators, each part stripped."""
    # Without a `|`, splitting at `·` is the same once the parts are stripped (the regex only
    # takes the blanks around a `·` along), and ten times faster.
    return list(map(str.strip, _SEPARATOR.split(text) if "|" in text else text.split("·")))


def known_value(value: str | None, allowed: tuple[str, ...]) -> str | None:
    """`value` in its canonical lower case when it is one of `allowed`, else as written."""
    if value is not None and value.lower() in allowed:
        return value.lower()
    return value


def _joined(lines: list[str], start: int, end: int) -> str:
    """Lines [start, end) joined, blank lines at both ends dropped."""
    start, end = trimmed_range(lines, start, end)
    return "\n".join(lines[start:end])
