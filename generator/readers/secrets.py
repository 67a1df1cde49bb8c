"""Find and redact credentials in board text before anything parses it, so none reaches an output."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

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
    # A keyed hash of the value (`find_secrets(text, key)`), to tell values apart without them.
    fingerprint: str | None = None


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
    minimum: int = 6  # shorter values are never taken for a credential
    # Lowercase text one of which every match holds: a line without any is not searched.
    keywords: tuple[str, ...] = ()
    # Characters one of which every match holds too: a line without any is not searched either.
    needs: tuple[str, ...] = ()


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
# `scheme://user:password@host`, `redis://:password@host`: any scheme, an empty user, a password that
# may hold `:`. `https://user@host` (no password) and `git@host:path` (no scheme) are not matched.
_URL_PASSWORD = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)?://[^/\s:@]*:(?P<value>[^/\s@]+)@(?=[A-Za-z0-9\[])"
)
# A URL password that only names itself is a documentation example (`postgres://user:password@…`).
_URL_PLACEHOLDER = re.compile(r"^(?:pass(?:word)?|pwd|secret|\*+|x+)$", re.IGNORECASE)

# GitLab's token prefixes: personal, deploy, runner, trigger, CI job, SCIM, feed, mail, agent, …
_GITLAB_KINDS = ("pat", "dt", "rt", "ptt", "cbt", "soat", "ft", "imt", "agent", "oas", "ffct")

_PATTERNS: tuple[_Pattern, ...] = (
    _Pattern(
        "GitHub token",
        re.compile(r"(?<![A-Za-z0-9_])(?P<value>gh[pousr]_[A-Za-z0-9]{30,255})(?![A-Za-z0-9_])"),
        lambda m: m["value"][:4] + "…",
        _varied,
        priority=3,
        keywords=("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
    ),
    _Pattern(
        "GitHub token",
        re.compile(r"(?<![A-Za-z0-9_])(?P<value>github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])"),
        lambda m: "github_pat_…",
        _varied,
        priority=3,
        keywords=("github_pat_",),
    ),
    _Pattern(
        "AWS access key",
        re.compile(
            r"(?<![A-Za-z0-9])(?P<value>(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})(?![A-Za-z0-9])"
        ),
        lambda m: m["value"][:4] + "…",
        lambda v: _varied(v) and "EXAMPLE" not in v,  # AWS's own documentation key
        priority=3,
        keywords=("akia", "asia", "abia", "acca"),
    ),
    _Pattern(
        "Slack token",
        re.compile(
            r"(?<![A-Za-z0-9])(?P<value>(?:xox[abeoprs]|xapp)-[A-Za-z0-9-]{10,})(?![A-Za-z0-9_-])"
        ),
        lambda m: m["value"][:5] + "…",
        lambda v: _varied(v) and any(c.isdigit() for c in v),
        priority=3,
        keywords=("xox", "xapp-"),
    ),
    _Pattern(
        "Anthropic API key",
        re.compile(r"(?<![A-Za-z0-9_-])(?P<value>sk-ant-[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])"),
        lambda m: "sk-ant-…",
        lambda v: _varied(v) and _digits_and_letters(v[7:]),
        priority=4,
        keywords=("sk-ant-",),
    ),
    _Pattern(
        "OpenAI API key",
        re.compile(r"(?<![A-Za-z0-9_-])(?P<value>sk-[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])"),
        lambda m: "sk-…",
        lambda v: _varied(v) and _mixed_case_with_digit(v[3:]),
        priority=3,
        keywords=("sk-",),
    ),
    # The patterns from here to the Telegram one are adapted from gitleaks' default rules
    # (https://github.com/gitleaks/gitleaks, config/gitleaks.toml, MIT licence): the same prefixes
    # and alphabets, with this module's boundaries instead of `\\b`.
    _Pattern(
        "JSON web token",  # header and payload are base64url JSON: both start `eyJ` (`{"`)
        re.compile(
            r"(?<![A-Za-z0-9_-])(?P<value>eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}"
            r"\.[A-Za-z0-9_-]*)(?![A-Za-z0-9_-])"
        ),
        lambda m: "eyJ…",
        _varied,
        keywords=("eyj",),
    ),
    _Pattern(
        "Slack webhook URL",
        re.compile(
            r"hooks\.slack\.com/(?:services|workflows|triggers)/(?P<value>[A-Za-z0-9_/+-]{20,})"
        ),
        lambda m: "hooks.slack.com/…",
        _varied,
        priority=4,
        keywords=("hooks.slack",),
    ),
    _Pattern(
        "Discord webhook URL",
        re.compile(
            r"discord(?:app)?\.com/api/webhooks/(?P<value>\d{5,30}/[A-Za-z0-9_-]{20,})",
            re.IGNORECASE,
        ),
        lambda m: "discord.com/api/webhooks/…",
        _varied,
        priority=4,
        keywords=("/api/webhooks/",),
    ),
    _Pattern(
        "Microsoft Teams webhook URL",
        re.compile(
            r"\.webhook\.office\.com/webhook(?:b2)?/(?P<value>[A-Za-z0-9@/_-]{20,})", re.IGNORECASE
        ),
        lambda m: "webhook.office.com/…",
        _varied,
        priority=4,
        keywords=("webhook.office",),
    ),
    _Pattern(
        "Teams workflow webhook URL",  # Power Automate: the `sig=` signature is the credential
        re.compile(r"\.logic\.azure\.com[^\s]*?[?&]sig=(?P<value>[A-Za-z0-9_%-]{20,})"),
        lambda m: "logic.azure.com/…&sig=…",
        _varied,
        priority=4,
        keywords=("logic.azure",),
    ),
    _Pattern(
        "Google Chat webhook URL",  # `?key=…&token=…`: both are needed to post
        re.compile(
            r"chat\.googleapis\.com/v1/spaces/[A-Za-z0-9_-]+/messages\?(?P<value>[^\s)\]>\"'`]+)"
        ),
        lambda m: "chat.googleapis.com/…?…",
        lambda v: "token=" in v or "key=" in v,
        priority=4,
        keywords=("chat.googleapis",),
    ),
    _Pattern(
        "Stripe secret key",  # `sk_test_` too: a test key opens the account's test mode
        re.compile(
            r"(?<![A-Za-z0-9_])(?P<value>(?:sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{10,99})"
            r"(?![A-Za-z0-9_])"
        ),
        lambda m: m["value"][:8] + "…",
        lambda v: _varied(v) and _digits_and_letters(v[8:]),
        priority=3,
        keywords=("k_live_", "k_test_", "k_prod_"),
    ),
    _Pattern(
        "Google API key",
        re.compile(r"(?<![A-Za-z0-9_-])(?P<value>AIza[A-Za-z0-9_-]{35})(?![A-Za-z0-9_-])"),
        lambda m: "AIza…",
        _varied,
        priority=3,
        keywords=("aiza",),
    ),
    _Pattern(
        "npm token",
        re.compile(r"(?<![A-Za-z0-9_])(?P<value>npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])"),
        lambda m: "npm_…",
        lambda v: _varied(v) and _digits_and_letters(v[4:]),
        priority=3,
        keywords=("npm_",),
    ),
    _Pattern(
        "PyPI token",  # `AgE` opens the macaroon of pypi.org and test.pypi.org tokens
        re.compile(r"(?<![A-Za-z0-9_-])(?P<value>pypi-AgE[A-Za-z0-9_-]{50,})(?![A-Za-z0-9_-])"),
        lambda m: "pypi-AgE…",
        _varied,
        priority=3,
        keywords=("pypi-",),
    ),
    _Pattern(
        "GitLab token",
        re.compile(
            rf"(?<![A-Za-z0-9_-])(?P<value>gl(?:{'|'.join(_GITLAB_KINDS)})-"
            r"[A-Za-z0-9_-]{20,300}(?:\.[0-9a-z]{9})?)(?![A-Za-z0-9_-])"
        ),
        lambda m: m["value"].split("-")[0] + "-…",
        lambda v: _varied(v) and _digits_and_letters(v),
        priority=3,
        keywords=tuple(f"gl{t}-" for t in _GITLAB_KINDS),
    ),
    _Pattern(
        "Hugging Face token",
        re.compile(r"(?<![A-Za-z0-9_])(?P<value>hf_[A-Za-z]{34})(?![A-Za-z0-9_])"),
        lambda m: "hf_…",
        lambda v: _varied(v, 12) and any(c.isupper() for c in v) and any(c.islower() for c in v),
        priority=3,
        keywords=("hf_",),
    ),
    _Pattern(
        "SendGrid API key",
        re.compile(
            r"(?<![A-Za-z0-9_])(?P<value>SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])"
        ),
        lambda m: "SG.…",
        _varied,
        priority=3,
        keywords=("sg.",),
    ),
    _Pattern(
        "DigitalOcean token",
        re.compile(r"(?<![A-Za-z0-9_])(?P<value>do[opr]_v1_[a-f0-9]{64})(?![A-Za-z0-9_])"),
        lambda m: m["value"][:7] + "…",
        _varied,
        priority=3,
        keywords=("_v1_",),
    ),
    _Pattern(
        "Shopify token",
        re.compile(
            r"(?<![A-Za-z0-9_])(?P<value>shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})(?![A-Za-z0-9_])"
        ),
        lambda m: m["value"][:6] + "…",
        _varied,
        priority=3,
        keywords=("shpat_", "shpca_", "shppa_", "shpss_"),
    ),
    _Pattern(
        "Telegram bot token",
        re.compile(r"(?<!\w)(?P<value>\d{8,10}:AA[A-Za-z0-9_-]{33})(?![\w-])"),
        lambda m: "…:AA…",
        _varied,
        priority=3,
        keywords=(":aa",),
    ),
    _Pattern(
        "bearer token",
        _BEARER,
        lambda m: f"{m['scheme']} …",
        lambda v: len(v) >= 16 and _varied(v) and _digits_and_letters(v),
        keywords=("bearer",),
    ),
    _Pattern(
        "basic-auth credential",
        _BASIC,
        lambda m: "Authorization: Basic …",
        lambda v: _varied(v, 5) and not _DATE.match(v),
        keywords=("authorization",),
    ),
    _Pattern(
        "password in a URL",
        _URL_PASSWORD,
        lambda m: f"{m['scheme'] or ''}://…:…@",
        lambda v: not _PLACEHOLDER.search(v) and not _URL_PLACEHOLDER.match(v),
        minimum=1,  # any password at all: `redis://:pw@host` is still a credential
        keywords=("://",),
    ),
    _Pattern(
        "credential",  # the kind is refined from the name in `_find_in_line`
        _ASSIGNMENT,
        lambda m: f"{m['name']}: …" if ":" in m["sep"] else f"{m['name']}=…",
        lambda v: _varied(v, 5) and _digits_and_letters(v) and not _DATE.match(v),
        priority=1,
        keywords=("key", "secret", "token", "passw", "pwd"),
        needs=(":", "="),  # (prose holds these words often, and an assignment seldom)
    ),
)

# PEM private keys: `RSA`, `EC`, `OPENSSH`, `ENCRYPTED`, PGP `… PRIVATE KEY BLOCK`.
_PEM_BEGIN = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----")
_PEM_END = re.compile(r"-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----")
# What may sit between BEGIN and a missing END: base64, `Proc-Type: …` headers, blank lines.
_PEM_BODY = re.compile(r"^(?:[A-Za-z0-9+/=]*|[A-Za-z-]+:.*)$")


_KEYWORDS = tuple(sorted({k for p in _PATTERNS for k in p.keywords}))


@lru_cache(maxsize=256)  # a board's lines hold few combinations (most just `key` or `token`)
def _patterns_with(longest: frozenset[str]) -> tuple[_Pattern, ...]:
    """The patterns, in order, one of whose keywords a line holds, given the longest keyword at
    each place in it (`_keywords_in`): the keywords held are those and their prefixes."""
    held = {k for k in _KEYWORDS if any(found.startswith(k) for found in longest)}
    return tuple(p for p in _PATTERNS if not held.isdisjoint(p.keywords))


def _keywords_in(lowered: str) -> frozenset[str]:
    """The longest keyword at each place of `lowered` that starts one. The trie gives the longest
    there: any other keyword at that place is a prefix of it, on the same path of the trie."""
    out = []
    m = _TRIGGER.search(lowered)
    while m is not None:
        out.append(m.group())
        m = _TRIGGER.search(lowered, m.start() + 1)  # overlaps too: `keyj` holds `eyj`
    return frozenset(out)


def _find_in_line(line: str) -> list[_Hit]:
    """Every credential on one line, overlaps resolved in favour of the most specific pattern."""
    found: list[_Hit] = []
    for pattern in _patterns_with(_keywords_in(line.lower())):
        if pattern.needs and not any(c in line for c in pattern.needs):
            continue
        for m in pattern.regex.finditer(line):
            value = m["value"]
            if pattern.regex is _ASSIGNMENT and m["name"].lower() == "token" and len(value) < 16:
                continue  # a bare `token:` needs a long value; `token: abc123` is prose
            if len(value) < pattern.minimum or not pattern.accept(value):
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


def _trie(words: Iterable[str]) -> str:
    """A regex matching exactly `words`, their common prefixes factored out: the regex engine
    then tries one branch per distinct first character instead of every word at each position."""
    rest: dict[str, list[str]] = {}
    for word in words:
        rest.setdefault(word[:1], []).append(word[1:])
    ends = "" in rest  # one word is a prefix of the others here
    rest.pop("", None)
    branches = [re.escape(c) + _trie(tails) for c, tails in sorted(rest.items())]
    if not branches:
        return ""
    if len(branches) == 1 and not ends:
        return branches[0]
    return "(?:" + "|".join(branches) + ")" + ("?" if ends else "")


# Every match holds one of its pattern's keywords: the lines of a large board file without any
# cannot hold a credential, so only the lines with one are looked at closely. Searched in the
# lowercased text with a case-sensitive regex, four times faster than an IGNORECASE one (and a
# trie of the keywords, three times faster than their plain alternation).
_TRIGGER = re.compile(_trie(_KEYWORDS))


def _trigger_lines(text: str) -> list[int]:
    """0-based indexes of the lines holding a trigger, in order, once each."""
    text = text.lower()  # may change the length (`İ`), never the line breaks
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


def find_secrets(text: str, key: bytes | None = None) -> tuple[str, list[Secret]]:
    """Return `text` with every credential replaced by `[redacted]`, and what was found where.

    With a `key`, each Secret carries the value's keyed hash (HMAC-SHA256), never the value.
    """
    lines = text.split("\n")
    found: list[Secret] = []
    if "PRIVATE KEY" in text:
        original = list(lines) if key is not None else []
        found = _redact_pem(lines)
        if key is not None:
            found = [
                replace(
                    s,
                    fingerprint=_keyed(key, "\n".join(original[s.line - 1 : s.end_line or s.line])),
                )
                for s in found
            ]
    for index in _trigger_lines(text):
        line = lines[index]
        hits = _find_in_line(line)
        if not hits:
            continue
        for hit in hits:
            value = line[hit.start : hit.end]
            digest = _keyed(key, value) if key is not None else None
            found.append(Secret(index + 1, hit.kind, hit.shown, fingerprint=digest))
        for hit in reversed(hits):
            line = line[: hit.start] + REDACTED + line[hit.end :]
        lines[index] = line
    if not found:
        return text, found  # nothing was redacted (every change above is a Secret found)
    found.sort(key=lambda s: s.line)
    return "\n".join(lines), found


def _keyed(key: bytes, value: str) -> str:
    return hmac.new(key, value.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:32]


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


def may_hold_secret(text: str) -> bool:
    """False when `text` cannot hold a credential (the cheap test `find_secrets` starts with)."""
    return "PRIVATE KEY" in text or _TRIGGER.search(text.lower()) is not None


def redact_path(path: str) -> str:
    """A file path as every output shows it: a credential in a file or folder name redacted.

    Only the shown path changes; the file is still read under its real name. Two files whose
    names differ only in the credential are shown under the same name.
    """
    return _redact_path(path, [])


def redact_path_source(path: str) -> tuple[str, list[Problem]]:
    """`redact_path`, and one `secret-in-board` problem per credential in the name."""
    found: list[Secret] = []
    shown = _redact_path(path, found)
    problems = [
        Problem(
            RULE,
            SourceRef(shown),
            f"{s.kind} `{s.shown}` in the file's name (redacted from every path shown)",
        )
        for s in found
    ]
    return shown, problems


def find_in_path(path: str, key: bytes | None = None) -> tuple[str, list[Secret]]:
    """`redact_path`, and each credential found in the path (`line` 0: a name has no lines)."""
    found: list[Secret] = []
    shown = _redact_path(path, found)
    digest = _keyed(key, path) if key is not None else None  # the whole name tells them apart
    return shown, [replace(s, line=0, fingerprint=digest) for s in found]


def _redact_path(path: str, found: list[Secret]) -> str:
    if not may_hold_secret(path):
        return path
    return "/".join(_redact_name(part, found) for part in path.split("/"))


_NAME_JOINT = re.compile(r"[-_.]")


def _redact_name(name: str, found: list[Secret]) -> str:
    """One path segment redacted. A name glues words with `-`, `_` and `.` (`to-sk-proj-….md`,
    `AKIA…_notes.md`), where a pattern's guard against a longer word would refuse the
    credential: so each stretch between joints is tried on its own too, longest first."""
    if not may_hold_secret(name):
        return name
    joints = [m.start() for m in _NAME_JOINT.finditer(name)]
    starts = [0, *(j + 1 for j in joints)]
    ends = [*joints, len(name)]
    for start in starts:
        for end in reversed([e for e in ends if e > start]):
            redacted, secrets = find_secrets(name[start:end])
            if secrets:
                found.extend(secrets)
                return name[:start] + redacted + _redact_name(name[end:], found)
    return name
