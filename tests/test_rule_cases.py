"""The rule cases: every `tests/rules/cases/<rule>.yml` case built as a real repository and linted.

A case is `{name, now, config?, files, files_at?, commits?, expect, pending?}`. `files` (path -> text) are
written and committed first (at `files_at`, default `now`); each of `commits` then writes its `files`
(`null` deletes one) and commits with its `message`, `at` and `author`. A file's content may be
`!!binary` bytes or `{symlink: target}`. The whole pipeline runs with every rule; the findings of the
case's rule must be exactly `expect`: same path and line, message containing `contains`,
`severity` where the case names one, and `commit` (the subject of the commit a finding about a
commit must name) where the case names one. A `pending` case (its value says why) is an expected failure
while its rule reports nothing at all, for rules whose readers have not landed yet; as soon as the
rule reports anything the case is checked as usual, and must then lose its mark.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from wcmatch import glob

from generator import pipeline
from generator.config import parse_config
from generator.globs import covers, overlaps
from generator.model import Finding, Severity
from generator.timeutil import parse_now

if TYPE_CHECKING:
    from tests.conftest import GitRepo

CASES_DIR = Path(__file__).parent / "rules" / "cases"


@dataclass(frozen=True)
class Case:
    rule: str
    name: str
    data: dict[str, Any]


def load_cases() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            cases.append(Case(path.stem, str(item["name"]), item))
    return cases


def _time(value: Any) -> datetime:
    if isinstance(value, datetime):  # YAML reads `2026-05-31T11:40:00Z` (with seconds) by itself
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return parse_now(str(value))


def _put(repo: GitRepo, path: str, content: Any) -> None:
    target = repo.root / path
    if content is None:
        target.unlink()
    elif isinstance(content, dict) and "symlink" in content:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(content["symlink"], target)
    else:
        repo.write(path, content if isinstance(content, bytes) else str(content))


def build_case(repo: GitRepo, case: dict[str, Any]) -> tuple[Finding, ...]:
    """Write and commit the case's repository, then read and analyse it with every rule."""
    now = _time(case["now"])
    for path, content in (case.get("files") or {}).items():
        _put(repo, path, content)
    repo.commit("board", at=_time(case.get("files_at", case["now"])))
    for commit in case.get("commits") or []:
        for path, content in (commit.get("files") or {}).items():
            _put(repo, path, content)
        repo.commit(commit["message"], at=_time(commit["at"]), author=commit.get("author", "Dev"))
    config = parse_config(case.get("config") or {}, "case config")
    board = pipeline.read(repo.root, config)
    return pipeline.analyse(board, config, now).findings


def _describe(findings: list[Finding]) -> str:
    lines = [
        f"  {f.path}:{f.line}: {f.severity} {f.message}" + (f" [{f.commit}]" if f.commit else "")
        for f in findings
    ]
    return "\n".join(lines) or "  none"


def _subjects(repo: GitRepo) -> dict[str, str]:
    """Short sha -> subject of every commit, for cases that name the commit a finding is about."""
    out = repo._git("log", "--all", "--format=%H%x00%s")
    return {
        sha[:7]: subject for sha, _, subject in (line.partition("\0") for line in out.splitlines())
    }


@pytest.mark.parametrize("case", load_cases(), ids=lambda c: f"{c.rule}:{c.name}")
def test_rule_case(case: Case, git_repo: GitRepo) -> None:
    got = [f for f in build_case(git_repo, case.data) if f.rule == case.rule]
    subjects = _subjects(git_repo)
    pending = case.data.get("pending")
    if pending and not got:
        pytest.xfail(pending)  # nothing feeds this rule yet; once something does, it is checked
    expected: list[dict[str, Any]] = case.data["expect"] or []
    unmatched = list(got)
    missing: list[dict[str, Any]] = []
    for want in expected:
        for finding in unmatched:
            if (
                finding.path == want["path"]
                and finding.line == want.get("line")
                and want["contains"] in finding.message
                and ("severity" not in want or finding.severity == Severity(want["severity"]))
                and ("commit" not in want or subjects.get(finding.commit or "") == want["commit"])
            ):
                unmatched.remove(finding)
                break
        else:
            missing.append(want)
    assert not missing and not unmatched, (
        f"{case.rule} / {case.name}\nexpected but not found: {missing}\n"
        f"found but not expected:\n{_describe(unmatched)}\nall findings of the rule:\n"
        f"{_describe(got)}"
    )
    assert not pending, "this pending case passes now: remove its `pending` mark"


# --- the glob intersection behind scope-overlap ------------------------------------------------

_SEGMENT = st.sampled_from(
    ["a", "b", "ab", "*", "a*", "*b", "?", "[ab]", "[!a]", "**", r"\*", "{a,b}"]
)
_PATTERN = st.lists(_SEGMENT, min_size=1, max_size=3).map("/".join)
_NAME = st.sampled_from(["a", "b", "ab", "ba", "c", "*"])
_PATH = st.lists(_NAME, min_size=1, max_size=4).map("/".join)
_FLAGS = glob.GLOBSTAR | glob.BRACE


def _covered_by(pattern: str, path: str) -> bool:
    """wcmatch's answer, with the claim's meaning: the pattern covers matches and what is beneath."""
    parts = path.split("/")
    # `a/**` claims the folder `a` itself too; wcmatch's `**` needs something after the slash
    forms = [pattern]
    while forms[-1].endswith("/**"):
        forms.append(forms[-1][:-3])
    return any(
        glob.globmatch("/".join(parts[:n]), form, flags=_FLAGS)
        for n in range(1, len(parts) + 1)
        for form in forms
    )


@settings(max_examples=1000, deadline=None, database=None)
@given(_PATTERN, _PATTERN, _PATH)
def test_overlap_agrees_with_wcmatch(a: str, b: str, path: str) -> None:
    # Whenever wcmatch finds a path both claims cover, the overlap check must say so too.
    if _covered_by(a, path) and _covered_by(b, path):
        assert overlaps(a, b)
    assert covers(a, path) == _covered_by(a, path)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("services/payments/**", "services/payments/retry.py", True),
        ("services/**/*.py", "services/payments/**", True),
        ("services/**/*.py", "web/app.tsx", False),
        ("services/payments", "services/payments/retry.py", True),
        ("services/payments", "services/payments-v2/api.py", False),
        ("services/*.py", "services/payments/retry.py", False),
        ("services/*", "services/payments/retry.py", True),
        ("web/*.{ts,tsx}", "web/app.tsx", True),
        ("src/[a-c]*.py", "src/d*.py", False),
        ("src/[!a]*.py", "src/[a]*.py", False),
        ("docs/*.md", "docs/api/*.md", False),
        ("./services/", "services/x", True),
    ],
)
def test_overlap_examples(a: str, b: str, expected: bool) -> None:
    assert overlaps(a, b) is expected
    assert overlaps(b, a) is expected


# --- a well-kept board: the protocol followed, so nothing at warning level or above --------------

SCOREBOARD = "docs/ai/sessions/active.md"
QUEUE = "docs/ai/sessions/queue"
_HEADER = """\
# Active sessions

One row per claimed session; the heartbeat bumps Presence after every commit.

| Session | Task | Worktree | Claimed | Presence | Scope |
|---|---|---|---|---|---|
"""
_ROWS = {
    "sA": "| sA · Sintra | Riff #412 | worktree `session-sA` → direct-to-main, `[sA]` | "
    "2026-05-31T08:00Z | {presence} · {detail} | payments retry: `services/payments/**` |",
    "sB": "| sB · Lagos | Riff #415 | worktree `session-sB` → PR, `[sB]` | "
    "2026-05-31T08:30Z | {presence} · {detail} | checkout: `web/checkout/**` |",
    "sC": "| sC · Oslo | Riff #420 | worktree `session-sC` → PR, `[sC]` | "
    "2026-05-31T09:00Z | {presence} · {detail} | invoices: `web/invoices/**`, `docs/api/*.md` |",
}


class _Board:
    """Writes the board the way sessions do: a commit per claim, message, ack and heartbeat."""

    def __init__(self, repo: GitRepo) -> None:
        self.repo = repo
        self.presence: dict[str, tuple[str, str]] = {}

    def _scoreboard(self) -> None:
        rows = [
            _ROWS[s].format(presence=p, detail=d) for s, (p, d) in sorted(self.presence.items())
        ]
        self.repo.write(SCOREBOARD, _HEADER + "\n".join(rows) + "\n")

    def commit(self, who: str, at: str, subject: str, author: str | None = None) -> None:
        prefix = f"[{who}] " if who != "human" else ""
        self.repo.commit(prefix + subject, at=parse_now(at), author=author or who)

    def claim(self, who: str, at: str) -> None:
        self.presence[who] = (at, "")
        self._scoreboard()
        self.commit(who, at, f"docs(ai-sessions): claim {who} at {at}")

    def beat(self, who: str, at: str, detail: str) -> None:
        self.presence[who] = (at, detail)
        self._scoreboard()
        self.commit(who, at, "docs(ai-sessions): heartbeat")

    def work(self, who: str, at: str, path: str, text: str) -> None:
        self.repo.write(path, text)
        self.commit(who, at, f"feat: update {path}")

    def send(self, at: str, sender: str, to: str, fields: str, body: str) -> None:
        queue = "all" if to == "all" else to
        block = f"## {at} · from:{sender} · to:{to} · {fields} · status:sent\n\n{body}\n"
        path = f"{QUEUE}/to-{queue}.md"
        existing = (self.repo.root / path).read_text() if (self.repo.root / path).exists() else ""
        self.repo.write(path, (existing + "\n" if existing else "") + block)
        author = "Ana" if sender == "human" else sender
        self.commit(sender, at, f"docs(ai-sessions): {sender} → {to}", author=author)

    def ack(
        self, queue: str, sent: str, who: str, at: str, state: str, header: bool = True
    ) -> None:
        """Append `who`'s ack line under the message sent at `sent`; update its header status."""
        path = self.repo.root / f"{QUEUE}/to-{queue}.md"
        blocks = path.read_text().split("\n## ")
        for i, block in enumerate(blocks):
            if block.lstrip("# ").startswith(sent):
                head, _, rest = block.partition("\n")
                if header:
                    head = head.rsplit("status:", 1)[0] + f"status:{state}"
                blocks[i] = (
                    f"{head}\n{rest.rstrip()}\n"
                    + ("" if "- ack ·" in rest else "\n")
                    + f"- ack · {at} · {who} · {state}\n"
                )
        path.write_text("\n## ".join(blocks))
        self.commit(who, at, f"docs(ai-sessions): ack {queue} {sent} {state}")


def _well_kept(repo: GitRepo) -> None:
    b = _Board(repo)
    b.claim("sA", "2026-05-31T08:00Z")
    b.claim("sB", "2026-05-31T08:30Z")
    b.claim("sC", "2026-05-31T09:00Z")
    b.send(
        "2026-05-31T09:05Z", "human", "all", "type:info", "Release cut at 17:00Z; no merges after."
    )
    b.ack("all", "2026-05-31T09:05Z", "sA", "2026-05-31T09:10Z", "seen", header=False)
    b.ack("all", "2026-05-31T09:05Z", "sB", "2026-05-31T09:12Z", "seen", header=False)
    b.ack("all", "2026-05-31T09:05Z", "sC", "2026-05-31T09:15Z", "seen", header=False)
    b.send(
        "2026-05-31T09:30Z",
        "sB",
        "sA",
        "type:question · ref:Riff#415",
        "Is the retry budget per merchant or global?",
    )
    b.ack("sA", "2026-05-31T09:30Z", "sA", "2026-05-31T09:40Z", "seen")
    b.work("sA", "2026-05-31T09:45Z", "services/payments/budget.py", "PER_MERCHANT = True\n")
    b.send(
        "2026-05-31T09:50Z",
        "sA",
        "sB",
        "type:answer · re:2026-05-31T09:30Z",
        "Per merchant, capped at 3 retries.",
    )
    b.ack("sA", "2026-05-31T09:30Z", "sA", "2026-05-31T09:51Z", "answered")
    b.ack("sB", "2026-05-31T09:50Z", "sB", "2026-05-31T09:55Z", "seen")
    b.send(
        "2026-05-31T10:00Z",
        "sB",
        "sC",
        "type:handoff · ref:Riff#420",
        "Please take over the invoice list; notes are in PR#88.",
    )
    b.ack("sC", "2026-05-31T10:00Z", "sC", "2026-05-31T10:10Z", "seen")
    b.ack("sC", "2026-05-31T10:00Z", "sC", "2026-05-31T10:30Z", "accepted")
    b.work("sC", "2026-05-31T10:40Z", "web/invoices/list.tsx", "export const List = () => null;\n")
    b.send(
        "2026-05-31T11:00Z",
        "sC",
        "sA",
        "type:info · ref:PR#88",
        "The invoice API now returns `retry_after`; see `docs/api/invoices.md`.",
    )
    b.ack("sA", "2026-05-31T11:00Z", "sA", "2026-05-31T11:05Z", "seen")
    b.send("2026-05-31T12:00Z", "sA", "all", "type:info", "Rebasing main at 12:30Z.")
    b.ack("all", "2026-05-31T12:00Z", "sB", "2026-05-31T12:05Z", "seen", header=False)
    b.ack("all", "2026-05-31T12:00Z", "sC", "2026-05-31T12:10Z", "seen", header=False)
    b.send(
        "2026-05-31T12:30Z",
        "sA",
        "sB",
        "type:relay · via:telegram · ref:Riff#415",
        "The person asks: ship the checkout copy fix before the release.",
    )
    b.ack("sB", "2026-05-31T12:30Z", "sB", "2026-05-31T12:40Z", "seen")
    b.ack("sB", "2026-05-31T12:30Z", "sB", "2026-05-31T12:45Z", "accepted")
    b.work("sB", "2026-05-31T13:00Z", "web/checkout/copy.ts", "export const CTA = 'Pay';\n")
    b.send(
        "2026-05-31T13:10Z",
        "sC",
        "sB",
        "type:claim · ref:Riff#420",
        "I hold `web/invoices/**` until the release.",
    )
    b.ack("sB", "2026-05-31T13:10Z", "sB", "2026-05-31T13:15Z", "accepted")
    b.send(
        "2026-05-31T14:30Z", "sB", "sC", "type:question", "Does the invoice list need the new CTA?"
    )
    b.ack("sC", "2026-05-31T14:30Z", "sC", "2026-05-31T14:35Z", "seen")
    b.send("2026-05-31T14:45Z", "sC", "sB", "type:answer · re:2026-05-31T14:30Z", "No, thanks.")
    b.ack("sC", "2026-05-31T14:30Z", "sC", "2026-05-31T14:46Z", "answered")
    b.ack("sB", "2026-05-31T14:45Z", "sB", "2026-05-31T14:50Z", "seen")
    b.ack("sB", "2026-05-31T12:30Z", "sB", "2026-05-31T15:00Z", "done")
    b.ack("sC", "2026-05-31T10:00Z", "sC", "2026-05-31T15:10Z", "done")
    b.send("2026-05-31T15:30Z", "sC", "sA", "type:info", "Invoices are merged.")
    b.ack("sA", "2026-05-31T15:30Z", "sA", "2026-05-31T15:35Z", "seen")
    b.send(
        "2026-05-31T15:40Z",
        "sB",
        "sA",
        "type:question · ref:Riff#412",
        "Will the budget change land before 17:00Z?",
    )
    b.beat("sA", "2026-05-31T15:50Z", "a1b2c3d")
    b.beat("sB", "2026-05-31T15:45Z", "9f8e7d6")
    b.beat("sC", "2026-05-31T15:55Z", "5e4d3c2")


def test_well_kept_board_has_no_warnings(git_repo: GitRepo) -> None:
    _well_kept(git_repo)
    config = parse_config({"project_tag": "po", "human_commit_authors": ["Ana"]})
    board = pipeline.read(git_repo.root, config)
    result = pipeline.analyse(board, config, parse_now("2026-05-31T16:00Z"))
    assert len(board.messages) >= 12 and len(board.scoreboard.rows) == 3
    assert all(m.acks or m.status == "sent" for m in board.messages)
    loud = [f for f in result.findings if f.severity.rank >= Severity.WARNING.rank]
    assert not loud, _describe(loud)
