"""Playbooks (formats.md §6): call snippets such as `sessions_send(sessionKey="…", timeoutSeconds=0)`
written in prompts, skills and SOPs, so that the instructions themselves are linted."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from generator.model import AgentCall, CallValue, Problem, SourceRef
from generator.readers._text import clip
from generator.readers.transcripts import TOOLS, call_text, path_agent

RULE = "export-parse"
# The parenthesis must follow the name directly: "use sessions_send (always …)" is prose.
_START = re.compile(r"(?<![\w.])(?P<tool>" + "|".join(TOOLS) + r")\(")
MAX_CALL_CHARS = 4000
MAX_CALL_LINES = 40
# What marks a snippet as an example of what not to do, on its line or the line before it.
_COUNTER = re.compile(
    r"❌|✗|✘|🚫|\b(?:don'?t|do not|never|anti-?patterns?|wrong|bad example|avoid)\b", re.I
)
# `key=value` or `key: value` for the fallback reading of calls Python cannot parse.
_PAIR = re.compile(
    r"(?P<key>[A-Za-z_]\w*)\s*[=:]\s*"
    r"(?P<value>\"\"\"[\s\S]*?\"\"\"|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|[^,\s)}]+)"
)
_ELLIPSIS = re.compile(r"(?:^|[(,\s])(?:\.\.\.|…)\s*(?:[,)]|$)")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


@dataclass(frozen=True, slots=True)
class _Snippet:
    tool: str
    line: int  # 1-based line of the tool name
    text: str  # the call as written, from the tool name to its closing parenthesis
    clean: str  # the same without `#` comments
    closed: bool


def _extract(text: str, start: int, paren: int, comments: bool) -> tuple[str, str, bool]:
    """The call text from `start` to its balancing `)`; (raw, without comments, closed)."""
    depth = 0
    i = paren
    clean: list[str] = [text[start:paren]]
    quote: str | None = None
    lines = 0
    limit = min(len(text), start + MAX_CALL_CHARS)
    while i < limit:
        c = text[i]
        if quote is not None:
            if c == "\\":
                clean.append(text[i : i + 2])
                i += 2
                continue
            if text.startswith(quote, i):
                clean.append(quote)
                i += len(quote)
                quote = None
                continue
            if c == "\n" and len(quote) == 1:
                quote = None  # a quote never spans lines unless it is triple: prose, not code
                continue
            clean.append(c)
            lines += c == "\n"
            i += 1
            continue
        if c == "\n":
            lines += 1
            if lines > MAX_CALL_LINES or text.startswith("\n\n", i):
                break  # a blank line ends a snippet that never closed
        if c in "\"'":
            quote = text[i : i + 3] if text.startswith(c * 3, i) else c
            clean.append(quote)
            i += len(quote)
            continue
        if c == "#" and comments:
            end = text.find("\n", i)
            i = end if end >= 0 else len(text)
            continue
        if c == "`" and depth <= 1 and not text.startswith("```", i) and lines == 0:
            # an inline code span ends here: the snippet stopped short (`sessions_send(...`)
            break
        clean.append(c)
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return text[start : i + 1], "".join(clean), True
        i += 1
    return text[start:i], "".join(clean), False


def _snippets(text: str) -> list[_Snippet]:
    out: list[_Snippet] = []
    for m in _START.finditer(text):
        paren = m.end() - 1
        raw, clean, closed = _extract(text, m.start(), paren, comments=True)
        if not closed or _START.search(clean, len(m["tool"]) + 1):
            # A `#` that is no comment (a heading, an issue number) may have hidden the `)`.
            raw2, clean2, closed2 = _extract(text, m.start(), paren, comments=False)
            if closed2 and not _START.search(clean2, len(m["tool"]) + 1):
                raw, clean, closed = raw2, clean2, True
        line = text.count("\n", 0, m.start()) + 1
        out.append(_Snippet(m["tool"], line, raw, clean, closed))
    return out


def _literal(node: ast.expr) -> tuple[CallValue, bool]:
    """(value, True) for a literal; (source text, False) for code whose value is unknown."""
    try:
        value = ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return ast.unparse(node), False
    if value is None or isinstance(value, str | int | float | bool):
        return value, True
    return repr(value), True


def _parse_ast(clean: str) -> tuple[list[tuple[str, CallValue]], list[str], bool] | None:
    """Keyword arguments read by Python's parser; None when the text is not a Python call."""
    try:
        tree = ast.parse(clean.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    call = tree.body
    if not isinstance(call, ast.Call):
        return None
    args: list[tuple[str, CallValue]] = []
    expressions: list[str] = []
    elided = any(
        (isinstance(a, ast.Constant) and a.value is Ellipsis) or isinstance(a, ast.Starred)
        for a in call.args
    )
    pairs: list[tuple[str | None, ast.expr]] = [(kw.arg, kw.value) for kw in call.keywords]
    for arg in call.args:
        if isinstance(arg, ast.Dict):  # the JavaScript style: sessions_send({sessionKey: …})
            for key, item in zip(arg.keys, arg.values, strict=True):
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    pairs.append((key.value, item))
                elif isinstance(key, ast.Name):
                    pairs.append((key.id, item))
                else:
                    pairs.append((None, item))
    for name, node in pairs:
        if name is None:  # **options: the rest is not written out
            elided = True
            continue
        value, literal = _literal(node)
        if isinstance(node, ast.Constant) and node.value is Ellipsis:
            elided = True
            expressions.append(name)
        elif not literal:
            expressions.append(name)
        args.append((name, value))
    return args, expressions, elided


def _unquote(value: str) -> CallValue:
    for q in ('"""', '"', "'"):
        if len(value) >= 2 * len(q) and value.startswith(q) and value.endswith(q):
            body = value[len(q) : -len(q)]
            return body.replace('\\"', '"').replace("\\'", "'").replace("\\n", "\n")
    if _NUMBER.match(value):
        return float(value) if "." in value else int(value)
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    if value.lower() in ("none", "null"):
        return None
    return value


def _parse_loose(text: str, tool: str) -> tuple[list[tuple[str, CallValue]], list[str], bool]:
    """The fallback: `key=value` / `key: value` pairs found by a tolerant pattern."""
    inner = text[text.index("(") + 1 :] if "(" in text else text
    args: list[tuple[str, CallValue]] = []
    expressions: list[str] = []
    taken: set[str] = set()
    for m in _PAIR.finditer(inner):
        key, value = m["key"], m["value"].strip()
        if key in taken or key == tool:
            continue
        taken.add(key)
        parsed = _unquote(value)
        if isinstance(parsed, str) and parsed == value and not value[:1].isalnum():
            expressions.append(key)
        elif isinstance(parsed, str) and parsed == value and re.match(r"^[A-Za-z_]\w*$", value):
            expressions.append(key)  # a bare name: a variable, its value unknown
        args.append((key, parsed))
    # strings are blanked first so an ellipsis inside a message does not count
    blank = re.sub(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'", '""', inner)
    return args, expressions, bool(_ELLIPSIS.search(blank))


def read_playbook(path: str, text: str) -> tuple[list[AgentCall], list[Problem]]:
    """Every call snippet of one playbook, with its keyword arguments read."""
    calls: list[AgentCall] = []
    problems: list[Problem] = []
    lines = text.split("\n")
    agent = path_agent(path)
    for snippet in _snippets(text):
        parsed = _parse_ast(snippet.clean) if snippet.closed else None
        if parsed is None:
            parsed = _parse_loose(snippet.text, snippet.tool)
            if not snippet.closed and not parsed[0] and not parsed[2]:
                problems.append(
                    Problem(
                        RULE,
                        SourceRef(path, snippet.line),
                        f"the `{snippet.tool}(` snippet `{clip(snippet.text, 50)}` never closes "
                        "and has no readable arguments; it is not checked",
                    )
                )
                continue
        args, expressions, elided = parsed
        before = next(
            (
                ln
                for ln in reversed(lines[: snippet.line - 1])
                if ln.strip() and not ln.strip().startswith(("```", "~~~"))
            ),
            "",
        )
        # The line before counts only where it introduces the snippet (`Never do this:`).
        introduces = before.rstrip().endswith(":") or before.lstrip().startswith("#")
        marked = bool(
            _COUNTER.search(lines[snippet.line - 1]) or (introduces and _COUNTER.search(before))
        )
        arguments = tuple(args)
        calls.append(
            AgentCall(
                source=SourceRef(path, snippet.line),
                origin="playbook",
                tool=snippet.tool,
                agent=agent,
                at=None,
                arguments=arguments,
                text=clip(snippet.text, 200)
                if snippet.text
                else call_text(snippet.tool, arguments),
                elided=elided or not snippet.closed,
                counterexample=marked,
                expressions=tuple(expressions),
            )
        )
    return calls, problems


def mentions_a_call(text: str) -> bool:
    """A cheap test before a file is read in full: does it name any call at all?"""
    return any(tool + "(" in text for tool in TOOLS)
