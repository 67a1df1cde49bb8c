"""Find and redact credentials in board text before anything parses it, so none reaches an output."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from generator.model import Problem, SourceRef

RULE = "secret-in-board"
REDACTED = "[redacted]"

# Characters a token value is made of, and what may follow one: a value running straight into
# `:` or `(` is a timestamp or a call, not a credential.
_VALUE = r"[A-Za-z0-9_\-+/=.~]+"
_AFTER = r"(?=$|[\s\"'`,;)\]}>|])"
_PLACEHOLDER = re.compile(
    r"example|your|dummy|placeholder|redacted|changeme|xxxx|\.\.\.|…|<|>|^\$|^\{", re.IGNORECASE
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class Secret:
    """One credential found: where, what kind, and the masked form a message may show."""

    line: int  # 1-based
    kind: str
    shown: str
    end_line: int | None = None  # last line of a multi-line block


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    priority: int
    kind: str
    shown: str


@dataclass(frozen=True, slots=True)
class _Pattern:
    kind: str
    regex: re.Pattern[str]
    shown: Callable[[re.Match[str]], str]
    accept: Callable[[str], bool] = lambda value: True
    priority: int = 2


def _varied(value: str, minimum: int = 6) -> bool:
    """True for a value with `minimum` distinct characters and no placeholder words in it."""
    return len(set(value)) >= minimum and not _PLACEHOLDER.search(value)


def _digits_and_letters(value: str) -> bool:
    return any(c.isdigit() for c in value) and any(c.isalpha() for c in value)


def _mixed_case_with_digit(value: str) -> bool:
    # Real `sk-` keys are random base62; prose like `sk-learn-…` or branch names are not.
    return _digits_and_letters(value) and any(c.isupper() for c in value)


def _keyword_kind(name: str) -> str:
    lowered = name.lower()
    if "pass" in lowered or lowered.endswith("pwd"):
        return "password"
    if "secret" in lowered:
        return "secret"
    if "key" in lowered:
        return "API key"
    return "token"


_NAME_END = (
    r"(?:api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|client[_-]?secret"
    r"|secret|token|passw(?:or)?d|pwd)"
)
# `BASS_API_KEY=…`, `api_key: …`, `"token": "…"`, `x-api-key: …`; the name must end with the
# keyword so `tokenizer:` or `api_key_file=` are not taken for credentials.
_ASSIGNMENT = re.compile(
    rf"(?<![A-Za-z0-9_-])(?P<name>(?:[A-Za-z0-9]+[_-])*{_NAME_END})"
    r"(?P<sep>[\"']?[ \t]*[:=][ \t]*[\"']?)"
    rf"(?P<value>{_VALUE}){_AFTER}",
    re.IGNORECASE,
)
_BEARER = re.compile(rf"(?<![A-Za-z0-9])(?P<scheme>bearer)[ \t]+(?P<value>{_VALUE}){_AFTER}", re.I)
_BASIC = re.compile(
    rf"authorization[\"']?[ \t]*:[ \t]*[\"']?basic[ \t]+(?P<value>[A-Za-z0-9+/]{{8,}}=*){_AFTER}",
    re.IGNORECASE,
)
_URL_PASSWORD = re.compile(r"://[^/\s:@]+:(?P<value>[^/\s:@]+)@[A-Za-z0-9]")

_PATTERNS: tuple[_Pattern, ...] = (
    _Pattern(
        "GitHub token",
        re.compile(r"(?<![A-Za-z0-9_])(?P<value>gh[pousr]_[A-Za-z0-9]{30,255})(?![A-Za-z0-9_])"),
        lambda m: m["value"][:4] + "…",
        _varied,
        priority=3,
    ),
    _Pattern(
        "GitHub token",
        re.compile(r"(?<![A-Za-z0-9_])(?P<value>github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])"),
        lambda m: "github_pat_…",
        _varied,
        priority=3,
    ),
    _Pattern(
        "AWS access key",
        re.compile(
            r"(?<![A-Za-z0-9])(?P<value>(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})(?![A-Za-z0-9])"
        ),
        lambda m: m["value"][:4] + "…",
        lambda v: _varied(v) and "EXAMPLE" not in v,  # AWS's own documentation key
        priority=3,
    ),
    _Pattern(
        "Slack token",
        re.compile(r"(?<![A-Za-z0-9])(?P<value>xox[abprs]-[A-Za-z0-9-]{10,})(?![A-Za-z0-9_-])"),
        lambda m: m["value"][:5] + "…",
        lambda v: _varied(v) and any(c.isdigit() for c in v),
        priority=3,
    ),
    _Pattern(
        "Anthropic API key",
        re.compile(r"(?<![A-Za-z0-9_-])(?P<value>sk-ant-[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])"),
        lambda m: "sk-ant-…",
        lambda v: _varied(v) and _digits_and_letters(v[7:]),
        priority=4,
    ),
    _Pattern(
        "OpenAI API key",
        re.compile(r"(?<![A-Za-z0-9_-])(?P<value>sk-[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])"),
        lambda m: "sk-…",
        lambda v: _varied(v) and _mixed_case_with_digit(v[3:]),
        priority=3,
    ),
    _Pattern(
        "Telegram bot token",
        re.compile(r"(?<![\w:])(?P<value>\d{8,10}:AA[A-Za-z0-9_-]{33})(?![\w-])"),
        lambda m: "…:AA…",
        _varied,
        priority=3,
    ),
    _Pattern(
        "bearer token",
        _BEARER,
        lambda m: f"{m['scheme']} …",
        lambda v: len(v) >= 16 and _varied(v) and _digits_and_letters(v),
    ),
    _Pattern(
        "basic-auth credential",
        _BASIC,
        lambda m: "Authorization: Basic …",
        lambda v: _varied(v, 5) and not _DATE.match(v),
    ),
    _Pattern(
        "password in a URL",
        _URL_PASSWORD,
        lambda m: "://…:…@",
        lambda v: len(v) >= 4 and not _PLACEHOLDER.search(v),
    ),
    _Pattern(
        "credential",  # the kind is refined from the name in `_find_in_line`
        _ASSIGNMENT,
        lambda m: f"{m['name']}: …" if ":" in m["sep"] else f"{m['name']}=…",
        lambda v: _varied(v, 5) and _digits_and_letters(v) and not _DATE.match(v),
        priority=1,
    ),
)

# PEM private keys: `RSA`, `EC`, `OPENSSH`, `ENCRYPTED`, PGP `… PRIVATE KEY BLOCK`.
_PEM_BEGIN = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----")
_PEM_END = re.compile(r"-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----")
# What may sit between BEGIN and a missing END: base64, `Proc-Type: …` headers, blank lines.
_PEM_BODY = re.compile(r"^(?:[A-Za-z0-9+/=]*|[A-Za-z-]+:.*)$")


def _find_in_line(line: str) -> list[_Hit]:
    """Every credential on one line, overlaps resolved in favour of the most specific pattern."""
    found: list[_Hit] = []
    for pattern in _PATTERNS:
        for m in pattern.regex.finditer(line):
            value = m["value"]
            if pattern.regex is _ASSIGNMENT and m["name"].lower() == "token" and len(value) < 16:
                continue  # a bare `token:` needs a long value; `token: abc123` is prose
            if len(value) < 6 or not pattern.accept(value):
                continue
            kind = _keyword_kind(m["name"]) if pattern.regex is _ASSIGNMENT else pattern.kind
            found.append(
                _Hit(m.start("value"), m.end("value"), pattern.priority, kind, pattern.shown(m))
            )
    found.sort(key=lambda h: (h.start, -h.priority, -(h.end - h.start)))
    kept: list[_Hit] = []
    for hit in found:
        overlapping = [k for k in kept if hit.start < k.end and k.start < hit.end]
        if not overlapping:
            kept.append(hit)
        elif hit.priority > max(k.priority for k in overlapping):
            for k in overlapping:
                kept.remove(k)
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


def _quote_prefix(line: str) -> str:
    """The indentation and `>` quote markers a key block line sits behind."""
    return line[: len(line) - len(line.lstrip(" \t>"))]


def _redact_pem(lines: list[str]) -> list[Secret]:
    """Redact private-key blocks in place, line by line, so every line number stays right."""
    found: list[Secret] = []
    i = 0
    while i < len(lines):
        begin = _PEM_BEGIN.search(lines[i])
        if begin is None:
            i += 1
            continue
        marker = begin.group(0)
        same_line_end = _PEM_END.search(lines[i], begin.end())
        if same_line_end is not None:  # an escaped one-line key, as in JSON: `…\nMIIE…\n-----END`
            lines[i] = lines[i][: begin.end()] + REDACTED + lines[i][same_line_end.start() :]
            found.append(Secret(i + 1, "private key block", marker))
            i += 1
            continue
        if lines[i][begin.end() :].strip():
            lines[i] = lines[i][: begin.end()] + " " + REDACTED
        j = i + 1
        while j < len(lines):
            prefix = _quote_prefix(lines[j])
            end = _PEM_END.search(lines[j])
            if end is not None:
                if lines[j][len(prefix) : end.start()].strip():
                    lines[j] = prefix + REDACTED + lines[j][end.start() :]
                break
            body = lines[j][len(prefix) :].strip()
            if not _PEM_BODY.match(body):
                j -= 1  # no END line: the block stops before the first line that is not key text
                break
            if body:
                lines[j] = prefix + REDACTED
            j += 1
        last = min(j, len(lines) - 1)
        found.append(Secret(i + 1, "private key block", marker, last + 1))
        i = last + 1
    return found


# Each pattern above needs one of these in its line (case aside): the other lines of a large board
# file cannot hold a credential, so only the lines with one are looked at closely.
_TRIGGER = re.compile(
    r"gh[pousr]_|github_pat_|AKIA|ASIA|ABIA|ACCA|xox[abprs]-|sk-|\d:AA|bearer|authorization|://"
    r"|key|secret|token|passw|pwd",
    re.IGNORECASE,
)


def _trigger_lines(text: str) -> list[int]:
    """0-based indexes of the lines holding a trigger, in order, once each."""
    out: list[int] = []
    line, pos = 0, 0
    while m := _TRIGGER.search(text, pos):
        line += text.count("\n", pos, m.start())
        out.append(line)
        end = text.find("\n", m.end())
        if end < 0:
            break
        line, pos = line + 1, end + 1  # the rest of this line cannot add another
    return out


def find_secrets(text: str) -> tuple[str, list[Secret]]:
    """Return `text` with every credential replaced by `[redacted]`, and what was found where."""
    lines = text.split("\n")
    found = _redact_pem(lines) if "PRIVATE KEY" in text else []
    for index in _trigger_lines(text):
        line = lines[index]
        hits = _find_in_line(line)
        if not hits:
            continue
        for hit in reversed(hits):
            line = line[: hit.start] + REDACTED + line[hit.end :]
        lines[index] = line
        found.extend(Secret(index + 1, h.kind, h.shown) for h in hits)
    found.sort(key=lambda s: s.line)
    return "\n".join(lines), found


def redact_source(path: str, text: str) -> tuple[str, list[Problem]]:
    """Redact a board file's text; one `secret-in-board` problem per credential, at its line."""
    redacted, found = find_secrets(text)
    problems = []
    for secret in found:
        span = f" on lines {secret.line}–{secret.end_line}" if secret.end_line else ""
        problems.append(
            Problem(
                RULE,
                SourceRef(path, secret.line),
                f"{secret.kind} `{secret.shown}`{span} (redacted from the site and every output)",
            )
        )
    return redacted, problems


def redact_text(text: str) -> str:
    """`text` with every credential replaced by `[redacted]` (for commit subjects and the like)."""
    return find_secrets(text)[0]
