"""Markdown the site cannot render whole; it shows that block as written, as raw text.

## What it finds

A block of a message body, of the scoreboard's prose or of a task's description that the site
shows as its raw text instead of rendering it, because markdown cannot render it whole:

- nested deeper than markdown-it's limit of 20 levels: 20 blockquotes (`>>>>…`), or a list ten
  levels deep (a list and its item count one level each). Past the limit the parser drops the rest
  of the container — often the rest of the message — without a word;
- a top-level block (a table, a list, a paragraph) of more than 1,000 lines, or a text of more
  than 250,000 characters: rendering them would cost the build minutes and gigabytes.

The site and this rule run one and the same check, so every block shown raw is reported here, at
its first line.

## Why it matters

Unreadable board: without the fallback the site would silently show less than was written, and
search would not find the rest. Shown raw it is all there, but as unformatted text in a scroll box.

## Example

```
## 2026-05-31T15:00Z · from:sB · to:sA · type:info · status:sent

- step 1
  - step 1.1
    - … (ten levels deep)
                  - step 1.1.1.1.1.1.1.1.1.1
```

## Fix

Flatten the nesting (a numbered list of steps, headings for levels), and put large data in a file
of the repository and link it from the message instead of pasting it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from generator.analysis import Context
from generator.markdown_limits import check
from generator.model import Severity
from generator.rules._common import body_file_lines, parsed_messages
from generator.rules.base import Hit, Rule


def _span(start: int, end: int) -> str:
    return f"line {start + 1}" if end - start <= 1 else f"lines {start + 1}–{end}"


def _messages(ctx: Context) -> Iterator[Hit]:
    for message in parsed_messages(ctx):
        found = check(message.body) if message.body.strip() else []
        if not found:
            continue
        numbers = body_file_lines(ctx, message)
        for u in found:
            line = numbers[u.start] if u.start < len(numbers) else message.source.line
            yield Hit(
                message.source.path,
                line,
                f"{message.id}: {_span(u.start, u.end)} of the body shown as written, not "
                f"rendered: {u.reason}",
            )


def _prose(ctx: Context) -> Iterator[Hit]:
    for block in ctx.board.scoreboard.prose:
        for u in check(block.text) if block.text.strip() else []:
            first = block.source.line
            yield Hit(
                block.source.path,
                first + u.start if first is not None else None,
                f"scoreboard notes: {_span(u.start, u.end)} of this block shown as written, not "
                f"rendered: {u.reason}",
            )


def _body_start(ctx: Context, path: str, body: str) -> int | None:
    """The file line where `body` starts, when the file holds it verbatim (a markdown task file;
    not a JSON export, where it is escaped)."""
    text = next((s.text for s in ctx.board.sources if s.path == path), None)
    at = text.find(body) if text is not None else -1
    return text.count("\n", 0, at) + 1 if text is not None and at >= 0 else None


def _tasks(ctx: Context) -> Iterator[Hit]:
    for task in ctx.board.tasks:
        found = check(task.body) if task.body.strip() else []
        start = _body_start(ctx, task.source.path, task.body) if found else None
        for u in found:
            yield Hit(
                task.source.path,
                start + u.start if start is not None else task.source.line,
                f"task {task.key}: {_span(u.start, u.end)} of its description shown as written, "
                f"not rendered: {u.reason}",
            )


def check_board(ctx: Context) -> Iterable[Hit]:
    yield from _messages(ctx)
    yield from _prose(ctx)
    yield from _tasks(ctx)


RULE = Rule(
    name="markdown-not-rendered",
    code="SB903",
    severity=Severity.WARNING,
    failure_mode="unreadable-board",
    doc=__doc__ or "",
    check=check_board,
)
