"""Property: every top-level `## ` heading is one Message; each unparsable one is one problem."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.readers.queue import KNOWN_KEYS, read_queue
from generator.readers.queue_scan import (
    is_message_heading,
    open_fence_markdown_it,
    split_messages,
    split_messages_markdown_it,
    split_queue,
)

PATH = "docs/ai/sessions/queue/to-sA.md"
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
SESSIONS = st.sampled_from(["sA", "sB", "sC", "human", "all", "po:sA", "Sintra"])
TYPES = st.sampled_from(["question", "answer", "handoff", "claim", "release", "relay", "info"])
STATES = st.sampled_from(["sent", "seen", "answered", "accepted", "declined", "done"])
ACK_LINE = re.compile(r"^\s{0,3}[-*+]\s+ack(?=$|[\s·|:])", re.IGNORECASE)
STAMPS = st.sampled_from(
    ["2026-05-31T15:00Z", "2026-05-31T15:00:12Z", "2026-05-31T16:00+01:00", "2026-06-01T09:30Z"]
)


@dataclass(frozen=True)
class Piece:
    """A chunk of a queue file and what it is: a good heading, a bad heading, or body."""

    lines: tuple[str, ...]
    kind: str  # "good", "bad" or "body"


@st.composite
def good_heading(draw: st.DrawFn) -> Piece:
    parts = [
        draw(STAMPS),
        f"from:{draw(SESSIONS)}",
        f"to:{draw(SESSIONS)}",
        f"type:{draw(TYPES)}",
    ]
    if draw(st.booleans()):
        parts.append(f"status:{draw(STATES)}")
    if draw(st.booleans()):
        key = draw(WORDS.filter(lambda w: w not in KNOWN_KEYS))
        parts.append(f"{key}:{draw(WORDS)}")  # unknown keys are kept, never a problem
    separator = draw(st.sampled_from([" · ", "·", " | "]))
    closing = draw(st.sampled_from(["", " ##"]))
    return Piece((f"## {separator.join(parts)}{closing}",), "good")


@st.composite
def bad_heading(draw: st.DrawFn) -> Piece:
    words = draw(st.lists(WORDS, min_size=0, max_size=5))
    return Piece((f"## {' '.join(words)}".rstrip(),), "bad")


@st.composite
def body(draw: st.DrawFn) -> Piece:
    kind = draw(
        st.sampled_from(["para", "fence", "quote", "list", "indented", "ack", "bad-ack", "h3"])
    )
    words = " ".join(draw(st.lists(WORDS, min_size=1, max_size=6)))
    stamp, who, state = draw(STAMPS), draw(SESSIONS), draw(STATES)
    lines: tuple[str, ...]
    if kind == "para":
        lines = (words,)
    elif kind == "fence":
        fence = draw(st.sampled_from(["```", "~~~", "````"]))
        lines = (fence, f"## {stamp} · from:{who} · to:sA · type:info", f"## {words}", fence)
    elif kind == "quote":
        lines = (f"> ## {words}",)
    elif kind == "list":
        lines = (f"- ## {words}", f"- {words}")
    elif kind == "indented":
        lines = (f"    ## {words}",)
    elif kind == "ack":
        lines = (f"- ack · {stamp} · {who} · {state}",)
    elif kind == "bad-ack":
        lines = (f"- ack · {words}",)
    else:
        lines = (f"### {words}",)
    return Piece(lines, "body")


DOCUMENTS = st.lists(st.one_of(good_heading(), bad_heading(), body()), max_size=25)


def render(pieces: list[Piece], blank_lines: list[int]) -> tuple[str, list[tuple[int, str]]]:
    """The file text, and the (line, kind) of each heading piece."""
    lines: list[str] = []
    headings: list[tuple[int, str]] = []
    for piece, blanks in zip(pieces, blank_lines, strict=False):
        if lines:
            lines.extend([""] * max(blanks, 1))  # a blank line keeps the pieces apart
        if piece.kind != "body":
            headings.append((len(lines) + 1, piece.kind))
        lines.extend(piece.lines)
    return "\n".join(lines) + "\n", headings


@settings(max_examples=300, deadline=None)
@given(DOCUMENTS, st.lists(st.integers(min_value=1, max_value=3), min_size=25, max_size=25))
def test_headings_map_one_to_one(pieces: list[Piece], blank_lines: list[int]) -> None:
    text, headings = render(pieces, blank_lines)
    queue, problems = read_queue(PATH, text)

    assert [m.source.line for m in queue.messages] == [line for line, _ in headings]
    for message, (line, kind) in zip(queue.messages, headings, strict=True):
        assert message.parsed is (kind == "good")
        at_heading = [p for p in problems if p.source.line == line]
        if kind == "bad":
            assert len(at_heading) == 1 and at_heading[0].rule == "message-parse"
            assert message.id == f"to-sA.md#L{line}"
        else:
            assert at_heading == []
            assert message.at is not None and message.sender and message.to and message.type

    ids = [m.id for m in queue.messages]
    anchors = [m.anchor for m in queue.messages]
    assert len(set(ids)) == len(ids)
    assert len(set(anchors)) == len(anchors)
    assert all(re.fullmatch(r"[a-z][a-z0-9-]*", a) for a in anchors)
    assert all(p.rule == "message-parse" for p in problems)

    # Nothing is lost: every non-blank line is in the preamble, a heading, a body or an ack.
    lines = text.split("\n")
    kept: list[str] = []
    for block in queue.preamble:
        kept.extend(block.text.split("\n"))
    for message in queue.messages:
        assert message.source.line is not None
        kept.append(lines[message.source.line - 1])
        kept.extend(message.body.split("\n"))
        for ack in message.acks:
            kept.extend(ack.raw.split("\n"))
    assert Counter(k for k in kept if k.strip()) == Counter(k for k in lines if k.strip())


# --- the fast splitter against markdown-it ------------------------------------------------------

# Lines that change block structure, and lines that look as if they might: fences of both kinds and
# lengths, indented ones (inside list items or not), headings at every indent, ack items in every
# position, lazy continuations, quotes, tables, thematic breaks and tabs.
TRICKY = st.sampled_from(
    [
        "## 2026-05-31T15:00Z · from:sB · to:sA · type:info",
        "## x ##",
        "##",
        "## ##",
        "##\tTab heading",
        " ## one space",
        "  ## two spaces",
        "   ## three spaces",
        "    ## code",
        "\t## tab",
        "### h3",
        "```",
        "```python",
        "````",
        "``` `inline` ```",
        "~~~",
        "~~~~ text",
        " ```",
        "  ```",
        "   ~~~",
        "    ```",
        "- ack · 2026-05-31T15:20Z · sA · seen",
        "- ack",
        "* ACK · 2026-05-31T15:20Z · sA · done",
        "+ ack: odd",
        "  - ack · 2026-05-31T15:21Z · sA · seen",
        "   - ack · nested?",
        "\t- ack · tab",
        "- note",
        "-",
        "- - -",
        "* * *",
        "1. ordered",
        "  continuation",
        "    indented",
        "lazy text",
        "> ## quoted",
        "> - ack · quoted",
        "| a | b |",
        "|---|---|",
        "---",
        "",
        "",
        "",
    ]
)


def _trimmed(lines: list[str], blocks: list[Any]) -> list[tuple[int, str, list[tuple[int, int]]]]:
    out = []
    for block in blocks:
        items = []
        for a, b in block.items:
            while b > a + 1 and not lines[b - 1].strip():
                b -= 1
            if ACK_LINE.match(lines[a]):
                items.append((a, b))
        out.append((block.start, block.heading, items))
    return out


@settings(max_examples=1500, deadline=None)
@given(st.lists(TRICKY, max_size=40))
def test_scanner_agrees_with_markdown_it(picked: list[str]) -> None:
    text = "\n".join(picked)
    lines = text.split("\n")
    fast, open_fence = split_queue(lines)
    reference = split_messages_markdown_it(text)
    assert _trimmed(lines, fast) == _trimmed(lines, reference)
    assert open_fence == open_fence_markdown_it(text)


@settings(max_examples=300, deadline=None)
@given(DOCUMENTS, st.lists(st.integers(min_value=1, max_value=3), min_size=25, max_size=25))
def test_scanner_agrees_on_realistic_files(pieces: list[Piece], blank_lines: list[int]) -> None:
    text, _ = render(pieces, blank_lines)
    lines = text.split("\n")
    assert _trimmed(lines, split_messages(lines)) == _trimmed(
        lines, split_messages_markdown_it(text)
    )


# --- a fence never closed: CommonMark makes the rest of the file code; the reader says so once ------

OPENERS = st.sampled_from(["```", "```python", "~~~", "````", "   ~~~~ text"])


@settings(max_examples=300, deadline=None)
@given(
    DOCUMENTS,
    OPENERS,
    DOCUMENTS,
    st.lists(st.integers(min_value=1, max_value=3), min_size=25, max_size=25),
)
def test_an_unclosed_fence_is_one_problem_naming_what_it_hides(
    before: list[Piece], opener: str, after: list[Piece], blank_lines: list[int]
) -> None:
    head, _ = render(before, blank_lines)
    tail, _ = render(after, blank_lines)
    text = f"{head}\n{opener}\n{tail}"
    lines = text.split("\n")
    queue, problems = read_queue(PATH, text)
    opened = open_fence_markdown_it(text)
    assert split_queue(lines)[1] == opened
    reported = [p for p in problems if "is never closed" in p.message]
    hidden = (
        []
        if opened is None
        else [i for i in range(opened + 1, len(lines)) if is_message_heading(lines[i])]
    )
    if not hidden:
        assert reported == []
        return
    assert opened is not None
    assert [(p.rule, p.source.line) for p in reported] == [("message-parse", opened + 1)]
    count = (
        "the `## ` line after it" if len(hidden) == 1 else f"the {len(hidden)} `## ` lines after it"
    )
    assert count in reported[0].message
    # the headings it hides are no messages: every message starts before the fence
    assert all(m.source.line is not None and m.source.line <= opened for m in queue.messages)
