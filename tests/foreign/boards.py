"""The foreign boards, each written by hand the way a different team would write it.

Every builder takes an empty folder, writes a real git repository into it (with the commit dates
that give sessions their liveness) and returns a :class:`Board` carrying what the specification
says statusboard must report for it. Lines of planted violations are found by needle, so that the
expectations follow the text.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from pathlib import Path

from tests.foreign.kit import (
    QUEUE,
    SCOREBOARD,
    Block,
    Board,
    Inbox,
    Repo,
    Scoreboard,
    Timeline,
    at,
    expect,
    line_of,
    q,
    row,
    ts,
)

NOW = "2026-06-02T12:00Z"
HUMAN = "Ana Human"

# Credentials planted in the hostile board: random-looking, syntactically valid, not real.
GHP = "ghp_" + "Zx8Qv2Lm4Np6Rt0Yw3Ub5Kc7Hd9Jf1Gs2Ae4"
GHP_SUBJECT = "ghp_" + "Tq3Wn8Ry1Pz6Lk4Mx7Bv0Cs2Df5Gh9Ja3Ke6"
GHP_HISTORY = "ghp_" + "Hy7Ui2Op5As8Df1Gh4Jk6Lz9Xc3Vb0Nm2Qw5"
GHP_NUL = "ghp_" + "Nu1Ll2By3Te4Fi5Le6Sk7Ip8Pe9Dz0Xq1Wr2"
GITHUB_PAT = (
    "github_pat_11AQ7ZQ3I0sE9xL2kV8mNp_"
    + "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1eF3hJ5kL7nP9rS1uV3xZ5aC7eG9i"
)
AKIA = "AKIA" + "Z3Q7L2M9X4RTB6WP"
TELEGRAM = "7012345678:" + "AAHk3v9QpZx2LmN8rT5yW1bC4dF6gJ0sE7u"
BASS_KEY = "bass_live_" + "9f8e7d6c5b4a39281706f5e4d3c2b1a0"
PEM_BODY = [
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
    "QyNTUxOQAAACBq9Xy8rJ3nQm2Zk7Lw4Vt6Pd1Hs5Gf0Ra9Ub2Ce3Ni8AAAAJhXh3bGV4d2",
    "xlAAAAC3NzaC1lZDI1NTE5AAAAIGr1fLysnedCbZmTsvDhW3o93Uezkb9FGr1Rvb4S7Jg",
]


def _init(repo: Repo) -> None:
    """The application code every board's project has before any session arrives."""
    repo.write("README.md", "# po-platform\n\nPayments, web shell and runbooks.\n")
    repo.write("services/payments/app.py", "def pay() -> None:\n    pass\n")
    repo.write("web/app.tsx", "export const App = () => null;\n")
    repo.commit(at("2026-06-01T16:00"), "chore: initial import", author=HUMAN)


def _queues(root: Path) -> list[str]:
    folder = root / QUEUE
    if not folder.is_dir():
        return []
    return sorted(
        f"{QUEUE}/{p.name}" for p in folder.glob("to-*.md") if p.is_file() and not p.is_symlink()
    )


# --------------------------------------------------------------------------------------------
# 1. The textbook team: canonical everything, three sessions, a full ack trail, nothing wrong.
# --------------------------------------------------------------------------------------------


def clean_canonical(root: Path) -> Board:
    repo = Repo(root)
    _init(repo)
    board = Scoreboard(
        repo,
        before=(
            "# Active sessions\n\n"
            "Claim a row before you start; the post-commit hook bumps Presence.\n"
            "Reap a row whose session is stale (> 6 h).\n\n"
        ),
        after="\nSee `docs/ai/parallel-sessions.md` for the doctrine.\n",
    )
    to_a, to_b, to_c, to_all = (
        Inbox(repo, q("sA")),
        Inbox(repo, q("sB")),
        Inbox(repo, q("sC")),
        Inbox(repo, q("all")),
    )

    def a_row(presence: str) -> str:
        return row(
            "sA",
            "Sintra",
            "Riff #412",
            "2026-06-02T08:00Z",
            presence,
            "payments retry `services/payments/**`",
        )

    def b_row(presence: str) -> str:
        return row(
            "sB",
            "Porto",
            "#415",
            "2026-06-02T08:30Z",
            presence,
            "web shell `web/app.tsx`, `web/components/*.tsx`",
            mode="PR",
        )

    def c_row(presence: str) -> str:
        return row(
            "sC", "Lagos", "BASS T-17", "2026-06-02T07:00Z", presence, "runbooks `docs/runbooks/**`"
        )

    board.set("sC", c_row("2026-06-02T07:00Z · "))
    repo.commit(at("2026-06-02T07:00"), "[sC] docs(ai-sessions): claim sC at 2026-06-02T07:00Z")
    board.set("sA", a_row("2026-06-02T08:00Z · "))
    repo.commit(at("2026-06-02T08:00"), "[sA] docs(ai-sessions): claim sA at 2026-06-02T08:00Z")
    board.set("sB", b_row("2026-06-02T08:30Z · "))
    repo.commit(at("2026-06-02T08:30"), "[sB] docs(ai-sessions): claim sB at 2026-06-02T08:30Z")
    repo.write("docs/runbooks/payments.md", "# Payments runbook\n")
    board.set("sC", c_row("2026-06-02T08:50Z · 1a2b3c4"))
    repo.commit(at("2026-06-02T08:50"), "[sC] docs(runbooks): payments runbook")

    freeze = to_all.post(
        "## 2026-06-02T09:00Z · from:human · to:all · type:info · ref:— · status:sent",
        "Freeze on `main` from 14:00 for the release cut. Ack here, please.",
    )
    repo.commit(at("2026-06-02T09:00"), "docs(ai-sessions): broadcast release freeze", author=HUMAN)
    to_all.ack(freeze, "- ack · 2026-06-02T09:05Z · sA · seen")
    board.set("sA", a_row("2026-06-02T09:05Z · ack freeze"))
    repo.commit(at("2026-06-02T09:05"), "[sA] docs(ai-sessions): ack freeze broadcast")
    to_all.ack(freeze, "- ack · 2026-06-02T09:12Z · sB · seen · will rebase before 14:00")
    repo.commit(at("2026-06-02T09:12"), "[sB] docs(ai-sessions): ack freeze broadcast")

    question = to_a.post(
        "## 2026-06-02T09:15Z · from:sB · to:sA · type:question · ref:Riff#412 · status:sent",
        "Does the retry job own `services/payments/queue.py` too?",
    )
    repo.commit(at("2026-06-02T09:15"), "[sB] docs(ai-sessions): ask sA about queue.py")
    to_a.ack(question, "- ack · 2026-06-02T09:20Z · sA · seen", "seen")
    repo.commit(at("2026-06-02T09:20"), "[sA] docs(ai-sessions): seen sB question")
    to_all.ack(freeze, "- ack · 2026-06-02T09:30Z · sC · seen")
    board.set("sC", c_row("2026-06-02T09:30Z · ack freeze"))
    repo.commit(at("2026-06-02T09:30"), "[sC] docs(ai-sessions): ack freeze broadcast")

    answer = to_b.post(
        "## 2026-06-02T09:40Z · from:sA · to:sB · type:answer · re:2026-06-02T09:15Z · ref:Riff#412 · status:sent",
        "Yes — `queue.py` stays mine until Riff #412 lands.",
    )
    to_a.ack(question, "- ack · 2026-06-02T09:40Z · sA · answered · see to-sB", "answered")
    repo.commit(at("2026-06-02T09:40"), "[sA] docs(ai-sessions): answer sB")
    to_b.ack(answer, "- ack · 2026-06-02T09:50Z · sB · seen", "seen")
    repo.commit(at("2026-06-02T09:50"), "[sB] docs(ai-sessions): seen sA answer")

    relay = to_a.post(
        "## 2026-06-02T10:00Z · from:sB · to:sA · type:relay · via:telegram · ref:Riff#412 · status:sent",
        "Relaying Ana from Telegram (09:58): bump the retry backoff to 30 s.",
    )
    board.set("sB", b_row("2026-06-02T10:05Z · relay to sA"))
    repo.commit(at("2026-06-02T10:05"), "[sB] docs(ai-sessions): relay Ana's backoff request to sA")
    to_a.ack(relay, "- ack · 2026-06-02T10:10Z · sA · accepted", "accepted")
    repo.commit(at("2026-06-02T10:10"), "[sA] docs(ai-sessions): accept backoff relay")
    repo.write("services/payments/retry.py", "BACKOFF_S = 30\n")
    board.set("sA", a_row("2026-06-02T10:20Z · feat(payments): backoff"))
    repo.commit(at("2026-06-02T10:20"), "[sA] feat(payments): 30 s retry backoff")

    handoff = to_b.post(
        "## 2026-06-02T10:30Z · from:sA · to:sB · type:handoff · ref:PR#88 · status:sent",
        "Handing the web retry banner to you; notes are in PR#88.",
    )
    repo.commit(at("2026-06-02T10:30"), "[sA] docs(ai-sessions): hand off retry banner to sB")
    to_b.ack(handoff, "- ack · 2026-06-02T10:40Z · sB · seen", "seen")
    repo.commit(at("2026-06-02T10:40"), "[sB] docs(ai-sessions): seen handoff")
    to_b.ack(handoff, "- ack · 2026-06-02T10:45Z · sB · accepted · after the nav work", "accepted")
    repo.commit(at("2026-06-02T10:45"), "[sB] docs(ai-sessions): accept handoff")

    claim = to_a.post(
        "## 2026-06-02T11:00Z · from:sB · to:sA · type:claim · ref:Riff#415 · status:sent",
        "Claiming `web/components/*.tsx` for #415; shout if that collides.",
    )
    repo.commit(at("2026-06-02T11:00"), "[sB] docs(ai-sessions): claim note to sA")
    to_c.post(
        "## 2026-06-02T11:05Z · from:sA · to:sC · type:info · ref:BASS:T-17 · status:sent",
        "FYI the payments runbook now mentions the 30 s backoff.",
    )
    repo.commit(at("2026-06-02T11:05"), "[sA] docs(ai-sessions): note to sC")
    to_c.ack(to_c.blocks[0], "- ack · 2026-06-02T11:06Z · sC · seen", "seen")
    repo.commit(at("2026-06-02T11:06"), "[sC] docs(ai-sessions): seen")
    repo.write("web/banner.tsx", "export const Banner = () => null;\n")
    to_b.ack(handoff, "- ack · 2026-06-02T11:25Z · sB · done", "done")
    repo.commit(at("2026-06-02T11:25"), "[sB] feat(web): retry banner; close handoff")
    to_a.ack(claim, "- ack · 2026-06-02T11:35Z · sA · seen", "seen")
    repo.commit(at("2026-06-02T11:35"), "[sA] docs(ai-sessions): seen sB claim")
    to_b.post(
        "## 2026-06-02T11:40Z · from:sA · to:sB · type:info · status:sent",
        "Backoff merged; nothing for you to do.",
    )
    board.set("sA", a_row("2026-06-02T11:40Z · docs(ai-sessions): info"))
    repo.commit(at("2026-06-02T11:40"), "[sA] docs(ai-sessions): info to sB")

    return Board(
        name="clean_canonical",
        root=root,
        now=NOW,
        summary="po-platform by the book: three sessions, every message acked, canonical stamps",
        clean=True,
        readable_queues=_queues(root),
        liveness={"sA": "live", "sB": "idle", "sC": "idle"},
        extra={"sB.last_seen": "2026-06-02T11:25:00Z"},
        paths={
            "sA": ["services/payments/**"],
            "sB": ["web/app.tsx", "web/components/*.tsx"],
            "sC": ["docs/runbooks/**"],
        },
        shown=["See", "parallel-sessions.md"],
    )


# --------------------------------------------------------------------------------------------
# 2. A team with its own habits: seconds and offsets, qualified handles, display names in to:,
#    po:* broadcasts, an omitted status, extra columns, prose around the table, a config file.
# --------------------------------------------------------------------------------------------


def clean_styled(root: Path) -> Board:
    repo = Repo(root)
    repo.write(
        "statusboard.toml",
        'names = ["Sintra", "Porto", "Lagos", "Faro"]\nproject_tag = "po"\n',
    )
    _init(repo)
    board = Scoreboard(
        repo,
        before=(
            "<!-- one row per session; reap rows idle for more than 6 h -->\n"
            "# Who holds what\n\n"
            "> Claim before you touch code. Presence is bumped by the post-commit hook.\n\n"
        ),
        header=(
            "| SESSION | task | Worktree | claimed | PRESENCE | Scope | Lane | Notes |\n"
            "|:--|:--|:--|:--:|:--|:--|--:|:--|\n"
        ),
        after="\nLast reaped: Sintra on 2026-06-02, see the git log.\n",
    )
    a_row = row(
        "sA",
        "Sintra",
        "Riff #399",
        "2026-06-01T20:00:00Z",
        "2026-06-01T20:00:00Z · ",
        "`services/payments/**`",
        extra=("payments", ""),
    )
    board.set("sA", a_row)
    repo.commit(at("2026-06-01T20:00"), "[sA] docs(ai-sessions): claim sA at 2026-06-01T20:00Z")
    repo.write("services/payments/ledger.py", "LEDGER = []\n")
    repo.commit(at("2026-06-02T06:00"), "[sA] feat(payments): ledger")
    to_all = Inbox(repo, q("all"))
    to_all.post(
        "## 2026-06-02T06:30Z · from:sA · to:all · type:release · ref:Riff#399",
        "Releasing `services/payments/**`: Riff #399 is merged. Bye for today.",
    )
    board.drop("sA")
    repo.commit(at("2026-06-02T06:30"), "[sA] docs(ai-sessions): release sA")

    def c_row(presence: str) -> str:
        return row(
            "sC",
            "Lagos",
            "BASS T-17",
            "2026-06-02T07:45:10Z",
            presence,
            "infra `infra/terraform/**`",
            mode="PR",
            extra=("infra", "on call until 18:00"),
        )

    def d_row(presence: str) -> str:
        return row(
            "sD",
            "Faro",
            "task-12",
            "2026-06-02T09:00+01:00",
            presence,
            "guides `docs/guides/*.md`",
            extra=("docs", ""),
        )

    board.set("sC", c_row("2026-06-02T07:45:10Z · "))
    repo.commit(at("2026-06-02T07:45"), "[sC] docs(ai-sessions): claim sC at 2026-06-02T07:45Z")
    board.set("sD", d_row("2026-06-02T09:00+01:00 · "))
    repo.commit(at("2026-06-02T08:00"), "[sD] docs(ai-sessions): claim sD at 2026-06-02T08:00Z")

    to_c, to_d = Inbox(repo, q("sC")), Inbox(repo, q("sD"))
    question = to_c.post(
        "## 2026-06-02T08:10:00Z · from:po:sD · to:Lagos · type:question · ref:BASS:T-17 · prio:high · status:sent",
        "Is `infra/terraform/dns.tf` safe to touch while you rotate the certs?",
    )
    repo.commit(at("2026-06-02T08:10"), "[sD] docs(ai-sessions): question to Lagos")
    to_c.ack(question, "- ack · 2026-06-02T08:20:30Z · sC · seen", "seen")
    repo.commit(at("2026-06-02T08:20"), "[sC] docs(ai-sessions): seen")
    answer = to_d.post(
        "## 2026-06-02T08:45Z · from:Lagos · to:po:sD · type:answer · re:2026-06-02T09:10+01:00 · status:sent",
        "Not until 10:00 — I'll post a release when the rotation is done.",
    )
    to_c.ack(question, "- ack · 2026-06-02T08:45Z · po:sC · answered", "answered")
    repo.commit(at("2026-06-02T08:45"), "[sC] docs(ai-sessions): answer Faro")

    standup = to_all.post(
        "## 2026-06-02T10:00+01:00 · from:human · to:po:* · type:info · status:sent",
        "Stand-up moves to 10:30 today.",
    )
    repo.commit(at("2026-06-02T09:00"), "docs(ai-sessions): broadcast stand-up move", author=HUMAN)
    to_all.ack(standup, "- ack · 2026-06-02T09:05Z · sC · seen")
    repo.commit(at("2026-06-02T09:05"), "[sC] docs(ai-sessions): ack stand-up")
    to_all.ack(standup, "- ack · 2026-06-02T09:07Z · sD · seen · 👍 ok")
    repo.commit(at("2026-06-02T09:07"), "[sD] docs(ai-sessions): ack stand-up")
    to_d.ack(answer, "- ack · 2026-06-02T09:10Z · sD · seen", "seen")
    repo.commit(at("2026-06-02T09:10"), "[sD] docs(ai-sessions): seen answer")

    relay = to_d.post(
        "## 2026-06-02T10:00Z · from:po:sC · to:Faro · type:relay · via:telegram · ref:— · status:sent",
        "Ana on Telegram: please link the new DNS guide from the index.",
    )
    repo.commit(at("2026-06-02T10:00"), "[sC] docs(ai-sessions): relay to Faro")
    to_d.ack(relay, "- ack · 2026-06-02T10:05Z · sD · seen", "seen")
    repo.commit(at("2026-06-02T10:05"), "[sD] docs(ai-sessions): seen relay")
    to_d.ack(relay, "- ack · 2026-06-02T10:06Z · sD · accepted", "accepted")
    repo.commit(at("2026-06-02T10:06"), "[sD] docs(ai-sessions): accept relay")
    board.set("sC", c_row("2026-06-02T13:20+02:00 · a1b2c3d"))
    repo.commit(at("2026-06-02T11:20"), "[sC] chore(ai-sessions): heartbeat")
    repo.write("docs/guides/dns.md", "# DNS\n")
    board.set("sD", d_row("2026-06-02T11:55Z · "))
    repo.commit(at("2026-06-02T11:55"), "[sD] docs(guides): DNS guide")

    sb, c, d, al = SCOREBOARD, q("sC"), q("sD"), q("all")
    info = "non-canonical-timestamp"
    return Board(
        name="clean_styled",
        root=root,
        now=NOW,
        summary="seconds and offsets, po:sX handles, display names in to:, po:* broadcast, extra columns",
        clean=True,
        expected=[
            expect(info, sb, line_of(root, sb, "| sC · Lagos"), why="seconds and +02:00 offset"),
            expect(info, sb, line_of(root, sb, "| sD · Faro"), why="+01:00 offset"),
            expect(info, c, line_of(root, c, "08:10:00Z"), why="seconds in the send time"),
            expect(info, c, line_of(root, c, "08:20:30Z"), why="seconds in an ack line"),
            expect(info, d, line_of(root, d, "re:2026-06-02T09:10+01:00"), why="offset in re:"),
            expect(info, al, line_of(root, al, "10:00+01:00"), why="offset in the send time"),
        ],
        tolerated=[
            # Whether sA owes an ack to its own release broadcast is not specified.
            expect("broadcast-unacked", al, 1),
        ],
        readable_queues=_queues(root),
        liveness={"sC": "idle", "sD": "live"},
        extra={"sC.last_seen": "2026-06-02T11:20:00Z", "sD.claimed_at": "2026-06-02T08:00:00Z"},
        paths={"sC": ["infra/terraform/**"], "sD": ["docs/guides/*.md"]},
        shown=["on call until 18:00", "Lane", "Last reaped", "prio"],
    )


# --------------------------------------------------------------------------------------------
# 3. A Windows team: CRLF everywhere, a BOM, unicode bodies (with characters some line splitters
#    treat as line breaks), fenced code holding `## ` lines.
# --------------------------------------------------------------------------------------------

UNICODE_BODY = [
    "Olá! Can you check the 支付 (payments) retry? ❤️‍🔥 Ünïcödé: é, عربى, 👩‍👩‍👧.",
    "A line separator\u2028and a paragraph separator\u2029stay on this one line for git.",
    "So do a form feed\x0cand a next-line\u0085and a file separator\x1c.",
    "",
    "```bash",
    "## 2026-06-02T09:01Z · from:sZ · to:sQ · type:bogus",
    "git log --oneline -5",
    "```",
    "",
    "~~~text",
    "## not a heading: tilde fence",
    "~~~",
    "",
    "````markdown",
    "```",
    "## still inside the four-backtick fence",
    "```",
    "````",
    "",
    "### A level-3 heading is body",
]


def clean_crlf_unicode(root: Path) -> Board:
    repo = Repo(root)
    _init(repo)
    board = Scoreboard(repo, before="# Sessions — état\n\n", crlf=True, bom=True)
    to_a = Inbox(repo, q("sA"), crlf=True)
    to_b = Inbox(repo, q("sB"), crlf=True)
    to_all = Inbox(repo, q("all"), crlf=True)

    def a_row(presence: str) -> str:
        return row("sA", "Sintra", "Riff #501", "2026-06-02T09:00Z", presence, "`services/**`")

    def b_row(presence: str) -> str:
        return row("sB", "Porto", "Riff #502", "2026-06-02T09:00Z", presence, "`web/**`", mode="PR")

    board.set("sA", a_row("2026-06-02T09:00Z · "))
    repo.commit(at("2026-06-02T09:00"), "[sA] docs(ai-sessions): claim sA at 2026-06-02T09:00Z")
    board.set("sB", b_row("2026-06-02T09:00Z · "))
    repo.commit(at("2026-06-02T09:01"), "[sB] docs(ai-sessions): claim sB at 2026-06-02T09:00Z")

    question = to_a.post(
        "## 2026-06-02T09:05Z · from:sB · to:sA · type:question · ref:Riff#501 · status:sent",
        *UNICODE_BODY,
    )
    repo.commit(at("2026-06-02T09:05"), "[sB] docs(ai-sessions): question to sA")
    to_a.ack(question, "- ack · 2026-06-02T09:10Z · sA · seen", "seen")
    repo.commit(at("2026-06-02T09:10"), "[sA] docs(ai-sessions): seen")
    answer = to_b.post(
        "## 2026-06-02T09:30Z · from:sA · to:sB · type:answer · re:2026-06-02T09:05Z · status:sent",
        "Oui — c'est fait ✅. Tabs\tstay, and so does a trailing backslash \\",
        "",
        "| col · a | col · b |",
        "|---|---|",
        "| ## not a heading in a table | `to:sQ` |",
    )
    to_a.ack(question, "- ack · 2026-06-02T09:30Z · sA · answered · ✅ voir to-sB", "answered")
    repo.commit(at("2026-06-02T09:30"), "[sA] docs(ai-sessions): answer sB")
    to_b.ack(answer, "- ack · 2026-06-02T09:35Z · sB · seen", "seen")
    repo.commit(at("2026-06-02T09:35"), "[sB] docs(ai-sessions): seen")
    hello = to_all.post(
        "## 2026-06-02T10:00Z · from:human · to:all · type:info · status:sent",
        "Bom dia a todos 🌞 — 今日のデプロイは 15:00 です。",
    )
    repo.commit(at("2026-06-02T10:00"), "docs(ai-sessions): broadcast", author=HUMAN)
    to_all.ack(hello, "- ack · 2026-06-02T10:02Z · sA · seen · 👍")
    repo.commit(at("2026-06-02T10:02"), "[sA] docs(ai-sessions): ack")
    to_all.ack(hello, "- ack · 2026-06-02T10:03Z · sB · seen · 🙏")
    repo.commit(at("2026-06-02T10:03"), "[sB] docs(ai-sessions): ack")
    later = to_a.post(
        "## 2026-06-02T11:00Z · from:sB · to:sA · type:handoff · ref:Riff#502 · status:sent",
        "Ünïcödé handoff: the 支付 banner is yours.",
    )
    repo.commit(at("2026-06-02T11:00"), "[sB] docs(ai-sessions): handoff to sA")
    to_a.ack(later, "- ack · 2026-06-02T11:10Z · sA · accepted", "accepted")
    board.set("sA", a_row("2026-06-02T11:50Z · 9d8c7b6"))
    repo.commit(at("2026-06-02T11:50"), "[sA] docs(ai-sessions): accept handoff")
    board.set("sB", b_row("2026-06-02T11:45Z · "))
    repo.commit(at("2026-06-02T11:45"), "[sB] chore(ai-sessions): heartbeat")

    return Board(
        name="clean_crlf_unicode",
        root=root,
        now=NOW,
        summary="CRLF files, a BOM, emoji/CJK/RTL and U+2028/U+0085/FF in bodies, fences with ## lines",
        clean=True,
        readable_queues=_queues(root),
        liveness={"sA": "live", "sB": "live"},
        paths={"sA": ["services/**"], "sB": ["web/**"]},
    )


# --------------------------------------------------------------------------------------------
# 4. A busy week, badly kept: identity and liveness mistakes on the scoreboard.
# --------------------------------------------------------------------------------------------


def scoreboard_identity(root: Path) -> Board:
    repo = Repo(root)
    _init(repo)
    board = Scoreboard(repo)
    rows = {
        "sD": row(
            "sD", "Faro", "Riff #420", "2026-06-01T20:00Z", "2026-06-02T02:00Z · ", "`web/**`"
        ),
        "sA": row(
            "sA",
            "Sintra",
            "Riff #412",
            "2026-06-02T09:00Z",
            "2026-06-02T12:30Z · ",
            "`services/payments/**`",
        ),
        "sB": row(
            "sB",
            "Porto",
            "Riff #413",
            "2026-06-02T09:30Z",
            "2026-06-02T11:45Z · ",
            "`services/payments/refunds/*.py`",
        ),
        "sC": row(
            "sC", "Lagos", "(Riff TBD)", "2026-06-02T08:00Z", "2026-06-02T08:00Z · ", "scope TBD"
        ),
        "sE": row(
            "sE", "Evora", "Riff #421", "2026-06-02T10:00Z", "2026-06-02T11:00 · ", "`web/app.tsx`"
        ),
        "sF": row(
            "sF", "Braga_2", "Riff #422", "2026-06-02T10:00Z", "2026-06-02T11:30Z · ", "`tools/**`"
        ),
        "sA2": row(
            "sA", "Sines", "Riff #430", "2026-06-02T10:05Z", "2026-06-02T11:30Z · ", "`ops/**`"
        ),
        "s1": row(
            "s1", "Tavira", "Riff #431", "2026-06-02T10:10Z", "2026-06-02T11:30Z · ", "`bin/**`"
        ),
        "sG": row(
            "sG", "Porto", "Riff #432", "2026-06-02T10:15Z", "2026-06-02T11:30Z · ", "`lib/**`"
        ),
        "sH": row(
            "sH",
            "Vilanovadegaia",
            "Riff #433",
            "2026-06-02T10:20Z",
            "2026-06-02T11:30Z · ",
            "`etc/**`",
        ),
    }
    claims = [
        ("sD", "2026-06-01T20:00"),
        ("sC", "2026-06-02T08:00"),
        ("sA", "2026-06-02T09:00"),
        ("sB", "2026-06-02T09:30"),
        ("sE", "2026-06-02T10:00"),
        ("sF", "2026-06-02T10:00"),
        ("sA2", "2026-06-02T10:05"),
        ("s1", "2026-06-02T10:10"),
        ("sG", "2026-06-02T10:15"),
        ("sH", "2026-06-02T10:20"),
    ]
    for key, when in claims:
        board.set(key, rows[key])
        sid = key[:2]
        repo.commit(at(when), f"[{sid}] docs(ai-sessions): claim {sid} at {when}Z")
    # sC never touched its Presence cell again, but its commits say it is working right now.
    repo.write("docs/notes.md", "notes\n")
    repo.commit(at("2026-06-02T11:40"), "[sC] docs: notes while the Riff is being created")
    # sD stays stale: `[sD]` in the middle of a subject is no prefix, and a commit on an unmerged
    # branch is not reachable from the built revision.
    repo.write("docs/notes.md", "notes\nsee sD\n")
    repo.commit(at("2026-06-02T11:45"), "docs: note that [sD] went quiet", author=HUMAN)
    repo.checkout("session-sD", new=True)
    repo.write("web/late.tsx", "export {};\n")
    repo.commit(at("2026-06-02T11:50"), "[sD] feat(web): unpushed work on the session branch")
    repo.checkout("main")

    sb = SCOREBOARD

    def ln(needle: str) -> int:
        return line_of(root, sb, needle)

    return Board(
        name="scoreboard_identity",
        root=root,
        now=NOW,
        summary="stale row, overlap, duplicate id, bad ids and names, placeholder, future and zoneless stamps",
        expected=[
            expect("stale-claim", sb, ln("| sD · Faro"), why="last seen 02:00, 10 h before now"),
            expect(
                "future-timestamp", sb, ln("| sA · Sintra"), why="Presence 12:30Z, 30 min ahead"
            ),
            expect(
                "scope-overlap",
                sb,
                ln("| sB · Porto"),
                why="services/payments/refunds/*.py inside sA's services/payments/**",
            ),
            expect(
                "task-placeholder", sb, ln("| sC · Lagos"), why="(Riff TBD) 4 h after the claim"
            ),
            expect("non-canonical-timestamp", sb, ln("| sE · Evora"), why="Presence without zone"),
            expect("bad-session-id", sb, ln("| sF · Braga_2"), why="sF is after sE: warning"),
            expect("bad-display-name", sb, ln("| sF · Braga_2"), why="underscore and digit"),
            expect("duplicate-claim", sb, ln("| sA · Sines"), why="second row for sA"),
            expect("bad-session-id", sb, ln("| s1 · Tavira"), why="not s + capital letter: error"),
            expect("bad-session-id", sb, ln("| sG · Porto"), why="sG is after sE: warning"),
            expect("bad-display-name", sb, ln("| sG · Porto"), why="Porto already used by sB"),
            expect("bad-session-id", sb, ln("| sH · Vilanovadegaia"), why="sH is after sE"),
            expect("bad-display-name", sb, ln("| sH · Vilanovadegaia"), why="14 letters > 12"),
        ],
        absent=[
            expect(
                "stale-claim", sb, ln("| sC · Lagos"), why="an [sC] commit 20 min ago keeps it live"
            ),
            expect(
                "scope-overlap", sb, ln("| sE · Evora"), why="web/app.tsx overlaps only stale sD"
            ),
            expect("scope-overlap", sb, ln("| sD · Faro"), why="sD is stale"),
        ],
        tolerated=[
            # Which of two conflicting rows carries the finding is not specified: either or both.
            expect("scope-overlap", sb, ln("| sA · Sintra")),
            expect("duplicate-claim", sb, ln("| sA · Sintra")),
            expect("bad-display-name", sb, ln("| sB · Porto")),
        ],
        liveness={"sC": "live", "sD": "stale", "sE": "idle", "sB": "live"},
        extra={"sC.last_seen": "2026-06-02T11:40:00Z", "sD.last_seen": "2026-06-02T02:00:00Z"},
    )


# --------------------------------------------------------------------------------------------
# 5. A scoreboard mangled by hand: rows with too few or too many cells, no name, no id, a bad
#    date, and a truncated last row without a newline.
# --------------------------------------------------------------------------------------------


def scoreboard_malformed(root: Path) -> Board:
    repo = Repo(root)
    _init(repo)
    good = row("sA", "Sintra", "Riff #1", "2026-06-02T09:00Z", "2026-06-02T11:50Z · ", "`a/**`")
    text = (
        "# Sessions\n\n"
        "| Session | Task | Worktree | Claimed | Presence | Scope |\n"
        "|---|---|---|---|---|---|\n"
        f"{good}\n"
        "| Porto | Riff #2 | worktree `session-sB` → PR, `[sB]` | 2026-06-02T09:00Z | 2026-06-02T11:00Z · | `b/**` |\n"
        "| sB | Riff #3 | worktree `session-sB` → PR, `[sB]` | 2026-06-02T09:00Z | 2026-06-02T11:00Z · | `bb/**` |\n"
        "| sC · Lagos | Riff #4 |\n"
        "| sD · Faro | Riff #5 | worktree `session-sD` → PR, `[sD]` | 2026-06-02T09:00Z | 2026-06-02T11:00Z · | `d/**` | surplus | more |\n"
        "| sE · Evora | Riff #6 | worktree `session-sE` → PR, `[sE]` | yesterday | 2026-06-02T11:00Z · | `e/**` |\n"
        "| sA · Sintra | Riff #7 | worktree `session-sA` → PR, `[sA]` | 2026-06-02T1"
    )
    repo.write(SCOREBOARD, text)
    repo.commit(at("2026-06-02T09:00"), "[sA] docs(ai-sessions): claim sA at 2026-06-02T09:00Z")
    sb = SCOREBOARD

    def ln(needle: str) -> int:
        return line_of(root, sb, needle)

    return Board(
        name="scoreboard_malformed",
        root=root,
        now=NOW,
        summary="too few / too many cells, no id, no name, bad date, truncated last row",
        expected=[
            expect(
                ("scoreboard-parse", "bad-session-id"), sb, ln("| Porto |"), why="no session id"
            ),
            expect(("scoreboard-parse", "bad-display-name"), sb, ln("| sB |"), why="name missing"),
            expect("scoreboard-parse", sb, ln("| sC · Lagos"), why="2 cells of 6"),
            expect("scoreboard-parse", sb, ln("| sD · Faro"), why="8 cells of 6"),
            expect("scoreboard-parse", sb, ln("| sE · Evora"), why="Claimed is 'yesterday'"),
            expect("scoreboard-parse", sb, ln("Riff #7"), why="truncated row, cut mid-timestamp"),
        ],
        tolerated=[
            # A truncated second sA row may also count as a duplicate claim.
            expect("duplicate-claim", sb, None),
            expect("bad-display-name", sb, ln("| Porto |")),
        ],
        liveness={"sA": "live"},
    )


# --------------------------------------------------------------------------------------------
# 6. A scoreboard whose header lost its Presence column (the team never installed the hook).
# --------------------------------------------------------------------------------------------


def scoreboard_missing_column(root: Path) -> Board:
    repo = Repo(root)
    _init(repo)
    text = (
        "# Sessions\n\n"
        "| Session | Task | Worktree | Claimed | Scope |\n"
        "|---|---|---|---|---|\n"
        "| sA · Sintra | Riff #1 | worktree `session-sA` → PR, `[sA]` | 2026-06-02T09:00Z | `a/**` |\n"
    )
    repo.write(SCOREBOARD, text)
    repo.commit(at("2026-06-02T09:00"), "[sA] docs(ai-sessions): claim sA at 2026-06-02T09:00Z")
    repo.write("a/x.py", "x = 1\n")
    repo.commit(at("2026-06-02T11:50"), "[sA] feat(a): x")
    sb = SCOREBOARD
    return Board(
        name="scoreboard_missing_column",
        root=root,
        now=NOW,
        summary="the Presence column is missing; liveness must fall back on [sA] commits",
        expected=[
            expect(
                "scoreboard-parse", sb, line_of(root, sb, "| Session |"), why="no Presence column"
            ),
        ],
        liveness={"sA": "live"},
        extra={"sA.last_seen": "2026-06-02T11:50:00Z"},
    )


# --------------------------------------------------------------------------------------------
# 7. Queues kept carelessly: every ack-chain and addressing mistake of the catalogue, plus
#    headings that do not parse and ack lines that are garbage.
# --------------------------------------------------------------------------------------------


def queue_violations(root: Path) -> Board:
    repo = Repo(root)
    _init(repo)
    board = Scoreboard(repo)
    life = Timeline(repo)
    stale_c = row(
        "sC", "Lagos", "Riff #7", "2026-06-01T20:00Z", "2026-06-02T01:00Z · ", "`docs/**`"
    )
    life.at(
        "2026-06-01T20:00", "[sC] docs(ai-sessions): claim sC", lambda: board.set("sC", stale_c)
    )
    for sid, name, scope in (("sA", "Sintra", "`services/**`"), ("sB", "Porto", "`web/**`")):

        def claim(sid: str = sid, name: str = name, scope: str = scope) -> None:
            board.set(
                sid, row(sid, name, "Riff #9", "2026-06-02T07:00Z", "2026-06-02T07:00Z · ", scope)
            )

        life.at("2026-06-02T07:00", f"[{sid}] docs(ai-sessions): claim {sid}", claim)
        for hour in range(7, 12):
            for minute in (40,):
                stamp = f"2026-06-02T{hour:02d}:{minute:02d}"

                def beat(
                    sid: str = sid, name: str = name, scope: str = scope, stamp: str = stamp
                ) -> None:
                    presence = f"{stamp}Z · work"
                    board.set(sid, row(sid, name, "Riff #9", "2026-06-02T07:00Z", presence, scope))
                    repo.write(f"work/{sid}.txt", stamp + "\n")

                life.at(stamp, f"[{sid}] chore: work", beat)

    inboxes = {name: Inbox(repo, q(name)) for name in ("sA", "sB", "sC", "sQ", "all")}

    def send(file: str, when: str, sender: str, heading: str, *body: str) -> Callable[[], Block]:
        """Schedule a message; returns a getter for its block once posted."""
        holder: list[Block] = []
        life.at(
            when,
            f"[{sender}] docs(ai-sessions): message to {file}",
            lambda: holder.append(inboxes[file].post(heading, *body)),
        )
        return lambda: holder[0]

    def ack(
        file: str,
        when: str,
        by: str,
        block: Callable[[], Block],
        line: str,
        status: str | None = None,
    ) -> None:
        life.at(
            when,
            f"[{by}] docs(ai-sessions): ack in {file}",
            lambda: inboxes[file].ack(block(), line, status),
        )

    # to-all.md
    b6 = send(
        "all",
        "2026-06-02T07:30",
        "sA",
        "## 2026-06-02T07:30Z · from:human · to:all · type:info · status:sent",
        "Morning!",
    )
    ack("all", "2026-06-02T07:35", "sA", b6, "- ack · 2026-06-02T07:35Z · sA · seen")
    ack("all", "2026-06-02T07:40", "sA", b6, "- ack · 2026-06-02T07:40Z · sA · done")
    ack(
        "all",
        "2026-06-02T07:45",
        "sA",
        b6,
        "- ack · 2026-06-02T07:45Z · sA · seen · oops, went back",
    )
    ack("all", "2026-06-02T07:50", "sB", b6, "- ack · 2026-06-02T07:50Z · sB · seen")
    b1 = send(
        "all",
        "2026-06-02T08:00",
        "sA",
        "## 2026-06-02T08:00Z · from:human · to:all · type:info · status:sent",
        "Deploy at noon.",
    )
    ack("all", "2026-06-02T08:05", "sA", b1, "- ack · 2026-06-02T08:05Z · sA · done")
    ack(
        "all",
        "2026-06-02T08:10",
        "sB",
        b1,
        "- ack · 2026-06-02T08:10Z · sB · seen · after sA's done",
    )
    b2 = send(
        "all",
        "2026-06-02T09:00",
        "sA",
        "## 2026-06-02T09:00Z · from:human · to:all · type:info · status:sent",
        "Who owns the flaky test?",
    )
    ack("all", "2026-06-02T09:05", "sA", b2, "- ack · 2026-06-02T09:05Z · sA · seen")
    b4 = send(
        "all",
        "2026-06-02T09:30",
        "sA",
        "## 2026-06-02T09:30Z · from:sA · to:sB · type:info · status:sent",
        "Posted here by mistake.",
    )
    ack("all", "2026-06-02T09:35", "sB", b4, "- ack · 2026-06-02T09:35Z · sB · seen", "seen")
    send(
        "all",
        "2026-06-02T11:00",
        "sA",
        "## 2026-06-02T11:00Z · from:human · to:all · type:info · status:sent",
        "Lunch at 13:00.",
    )

    # to-sA.md
    a = "sA"
    m2 = send(
        a,
        "2026-06-02T08:15",
        "sB",
        "## 2026-06-02T08:15Z · from:Mallory · to:sA · type:info · status:sent",
        "Who is Mallory?",
    )
    ack(a, "2026-06-02T08:20", "sA", m2, "- ack · 2026-06-02T08:20Z · sA · seen", "seen")
    send(
        a,
        "2026-06-02T09:00",
        "sB",
        "## 2026-06-02T09:00Z · from:sB · to:sA · type:question · ref:Riff#9 · status:sent",
        "Can you review my PR?",
    )
    m4 = send(
        a,
        "2026-06-02T09:10",
        "sB",
        "## 2026-06-02T09:10Z · from:sB · to:sA · type:info · status:sent",
        "Schema changed.",
    )
    ack(a, "2026-06-02T09:15", "sA", m4, "- ack · 2026-06-02T09:15Z · sA · seen", "seen")
    ack(a, "2026-06-02T09:20", "sA", m4, "- ack · 2026-06-02T09:20Z · sA · accepted")
    ack(a, "2026-06-02T09:30", "sA", m4, "- ack · 2026-06-02T09:30Z · sA · seen · back to seen")
    m5 = send(
        a,
        "2026-06-02T09:20",
        "sB",
        "## 2026-06-02T09:20Z · from:sB · to:sA · type:question · ref:Riff#10 · status:sent",
        "Port 8080 or 8443?",
    )
    ack(a, "2026-06-02T09:25", "sA", m5, "- ack · 2026-06-02T09:25Z · sA · answered · 8443")
    ack(
        a,
        "2026-06-02T09:36",
        "sA",
        m5,
        "- ack · 2026-06-02T09:36Z · sA · accepted · sideways",
        "accepted",
    )
    m6 = send(
        a,
        "2026-06-02T09:40",
        "sB",
        "## 2026-06-02T09:40Z · from:sB · to:sA · type:question · ref:Riff#11 · status:sent",
        "Is main green?",
    )
    ack(a, "2026-06-02T09:45", "sA", m6, "- ack · 2026-06-02T09:45Z · sA · seen", "seen")
    ack(
        a,
        "2026-06-02T09:50",
        "sA",
        m6,
        "- ack · 2026-06-02T09:50Z · sA · answered · yes, header not updated",
    )
    m7 = send(
        a,
        "2026-06-02T10:00",
        "sB",
        "## 2026-06-02T10:00Z · from:sB · to:sA · type:handoff · status:sent",
        "Take the cache work.",
    )
    ack(a, "2026-06-02T10:02", "sA", m7, "- ack · 2026-06-02T10:02Z · sA · accepted", "accepted")
    m8 = send(
        a,
        "2026-06-02T10:05",
        "sB",
        "## 2026-06-02T10:05Z · from:sB · to:sA · type:handoff · ref:— · status:sent",
        "And the queue work.",
    )
    ack(a, "2026-06-02T10:06", "sA", m8, "- ack · 2026-06-02T10:06Z · sA · accepted", "accepted")
    m9 = send(
        a,
        "2026-06-02T10:10",
        "sB",
        "## 2026-06-02T10:10Z · from:sB · to:sA · type:claim · status:sent",
        "I claim `web/legacy/**`.",
    )
    ack(a, "2026-06-02T10:11", "sA", m9, "- ack · 2026-06-02T10:11Z · sA · seen", "seen")
    m10 = send(
        a,
        "2026-06-02T10:15",
        "sB",
        "## 2026-06-02T10:15Z · from:sB · to:sA · type:answer · re:2026-05-30T10:00Z · ref:Riff#9 · status:sent",
        "Answering a question nobody asked.",
    )
    ack(a, "2026-06-02T10:16", "sA", m10, "- ack · 2026-06-02T10:16Z · sA · seen", "seen")
    m11 = send(
        a,
        "2026-06-02T10:20",
        "sB",
        "## 2026-06-02T10:20Z · from:sB · to:sA · type:relay · ref:Riff#9 · status:sent",
        "Ana said to ship it (where? when?).",
    )
    ack(a, "2026-06-02T10:21", "sA", m11, "- ack · 2026-06-02T10:21Z · sA · seen", "seen")
    garbage = [
        ("2026-06-02T10:25", "## 2026-06-02T10:25Z · from:sB · type:info · status:seen"),
        ("2026-06-02T10:26", "## from:sB · to:sA · type:info"),
        ("2026-06-02T10:27", "## 2026-06-02T10:27Z · from:sB · to:sA · type:gossip · status:seen"),
        (
            "2026-06-02T10:28",
            "## 2026-06-02T10:28Z · from:sB · to:sA · type:info · status:archived",
        ),
        ("2026-06-02T10:29", "## Notes from standup"),
        ("2026-06-02T10:29", "## 2026-13-45T99:99Z · from:sB · to:sA · type:info · status:seen"),
        ("2026-06-02T10:29", "## "),
    ]
    for when, heading in garbage:
        send(a, when, "sB", heading, "Body of a block whose heading is broken.")
    m19 = send(
        a,
        "2026-06-02T10:30",
        "sB",
        "## 2026-06-02T10:30Z · from:sB · to:sA · type:info · status:sent",
        "Acked by a sloppy hand.",
    )
    ack(a, "2026-06-02T10:31", "sA", m19, "- ack · yesterday · sA · seen")
    ack(a, "2026-06-02T10:32", "sA", m19, "- ack · 2026-06-02T10:32Z · sA · exploded")
    ack(a, "2026-06-02T10:34", "sA", m19, "- ack · 2026-06-02T10:34Z")
    ack(a, "2026-06-02T10:36", "sA", m19, "- ack · 2026-06-02T10:36Z · sA · seen", "seen")
    send(
        a,
        "2026-06-02T10:40",
        "sB",
        "## 2026-06-02T13:00Z · from:sB · to:sA · type:info · status:sent",
        "Written with a fast clock.",
    )
    send(
        a,
        "2026-06-02T10:41",
        "sB",
        "## 2026-06-02T12:05Z · from:sB · to:sA · type:info · status:sent",
        "Within the 5 min of skew.",
    )
    m21 = send(
        a,
        "2026-06-02T10:45",
        "sB",
        "## 2026-06-02T10:45 · from:sB · to:sA · type:info · status:sent",
        "No zone on the stamp.",
    )
    ack(a, "2026-06-02T10:50", "sA", m21, "- ack · 2026-06-02T10:50Z · sA · seen", "seen")
    m_re = send(
        a,
        "2026-06-02T10:55",
        "sB",
        "## 2026-06-02T10:55Z · from:sB · to:sA · type:answer · re:2026-06-02T13:30Z · ref:Riff#9 · status:sent",
        "Replying to a message from the future.",
    )
    ack(a, "2026-06-02T10:56", "sA", m_re, "- ack · 2026-06-02T10:56Z · sA · seen", "seen")
    send(
        a,
        "2026-06-02T11:00",
        "sB",
        "## 2026-06-02T11:00Z · from:sB · to:sA · type:info · status:sent",
        "Only an hour old.",
    )
    send(
        a,
        "2026-06-02T11:30",
        "sB",
        "## 2026-06-02T11:30Z · from:human · to:Porto · type:info · status:sent",
        "For Porto, filed in Sintra's queue.",
    )

    # the other queues
    send(
        "sB",
        "2026-06-02T09:00",
        "sA",
        "## 2026-06-02T09:00Z · from:Sintra · to:Porto · type:question · ref:Riff#9 · status:sent",
        "Addressed by names; never acked.",
    )
    send(
        "sB",
        "2026-06-02T11:15",
        "sA",
        "## 2026-06-02T11:15Z · from:sA · to:sB · type:answer · re:2026-06-02T09:00Z · status:sent",
        "Re your review request: done.",
    )
    send(
        "sC",
        "2026-06-02T09:00",
        "sA",
        "## 2026-06-02T09:00Z · from:sA · to:sC · type:info · status:sent",
        "sC is stale; nobody reads this.",
    )
    send(
        "sQ",
        "2026-06-02T09:00",
        "sA",
        "## 2026-06-02T09:00Z · from:sA · to:sQ · type:info · status:sent",
        "There is no sQ.",
    )
    life.play()

    qa, qall, sb = q("sA"), q("all"), SCOREBOARD

    def la(needle: str) -> int:
        return line_of(root, qa, needle)

    def lall(needle: str) -> int:
        return line_of(root, qall, needle)

    parse_or_ack = ("message-parse", "illegal-ack-transition")
    return Board(
        name="queue_violations",
        root=root,
        now=NOW,
        summary="misfiled, unknown, unacked, broadcast gaps, illegal and mismatched acks, no ref, dangling re:, garbage",
        expected=[
            expect("stale-claim", sb, line_of(root, sb, "| sC · Lagos"), why="last seen 01:00"),
            expect(
                "broadcast-unacked",
                qall,
                lall("09:00Z · from:human"),
                why="sB was live at 09:00, no ack",
            ),
            expect("illegal-ack-transition", qall, lall("oops, went back"), why="sA done → seen"),
            expect(
                "misfiled-message",
                qall,
                lall("from:sA · to:sB"),
                why="a direct message in to-all.md",
            ),
            expect("unknown-recipient", qa, la("from:Mallory"), why="Mallory is nobody"),
            expect("unacked-message", qa, la("09:00Z · from:sB"), why="sent 3 h ago, sA live"),
            expect("illegal-ack-transition", qa, la("back to seen"), why="accepted → seen"),
            expect("illegal-ack-transition", qa, la("sideways"), why="answered → accepted"),
            expect(
                "ack-status-mismatch", qa, la("ref:Riff#11"), why="header seen, newest ack answered"
            ),
            expect(
                "handoff-without-ref",
                qa,
                la("10:00Z · from:sB · to:sA · type:handoff"),
                why="no ref:",
            ),
            expect("handoff-without-ref", qa, la("ref:— ·"), why="ref:—"),
            expect("handoff-without-ref", qa, la("type:claim"), why="claim with no ref:"),
            expect("dangling-reply", qa, la("re:2026-05-30T10:00Z"), why="no message at that time"),
            expect("relay-without-source", qa, la("type:relay"), why="no via:"),
            expect("message-parse", qa, la("10:25Z · from:sB · type:info"), why="no to:"),
            expect("message-parse", qa, la("## from:sB · to:sA · type:info"), why="no timestamp"),
            expect("message-parse", qa, la("type:gossip"), why="unknown type"),
            expect("message-parse", qa, la("status:archived"), why="unknown status"),
            expect("message-parse", qa, la("## Notes from standup"), why="not a message heading"),
            expect("message-parse", qa, la("2026-13-45T99:99Z"), why="impossible date"),
            expect(
                "message-parse",
                qa,
                line_of(root, qa, "## ", exact=True),
                why="an empty `## ` heading",
            ),
            expect(parse_or_ack, qa, la("- ack · yesterday"), why="ack line with no timestamp"),
            expect(parse_or_ack, qa, la("exploded"), why="ack state not in the machine"),
            expect(parse_or_ack, qa, la("- ack · 2026-06-02T10:34Z"), why="ack line cut short"),
            expect("future-timestamp", qa, la("13:00Z · from:sB"), why="1 h after now"),
            expect("non-canonical-timestamp", qa, la("## 2026-06-02T10:45 ·"), why="no zone"),
            expect("misfiled-message", qa, la("to:Porto"), why="Porto is sB"),
            expect("dangling-reply", qa, la("re:2026-06-02T13:30Z"), why="no message at 13:30"),
            expect(
                "future-timestamp",
                qa,
                la("re:2026-06-02T13:30Z"),
                why="re: is a timestamp 1 h 30 min after now",
            ),
            expect("unacked-message", q("sB"), 1, why="to:Porto is sB, live; 3 h old"),
            expect(
                "unknown-recipient",
                q("sQ"),
                1,
                why="sQ is in no scoreboard row, no claim in history, no name pool",
            ),
        ],
        absent=[
            expect("broadcast-unacked", qall, lall("11:00Z · from:human"), why="only 1 h old"),
            expect(
                "broadcast-unacked",
                qall,
                lall("08:00Z · from:human"),
                why="acked by sA and sB; sC was stale",
            ),
            expect(
                "illegal-ack-transition",
                qall,
                lall("after sA's done"),
                why="each session has its own chain",
            ),
            expect(
                "ack-status-mismatch",
                qall,
                lall("08:00Z · from:human"),
                why="a broadcast header stays sent",
            ),
            expect("unacked-message", qa, la("11:00Z · from:sB"), why="only 1 h old"),
            expect("unacked-message", qa, la("12:05Z · from:sB"), why="not even sent yet"),
            expect("unacked-message", q("sC"), 1, why="sC is stale"),
            expect("unacked-message", q("sQ"), 1, why="sQ does not exist, so it was never live"),
            expect(
                "dangling-reply",
                q("sB"),
                line_of(root, q("sB"), "re:2026-06-02T09:00Z"),
                why="re: 09:00 is the question in to-sA.md",
            ),
            expect(
                "future-timestamp",
                qa,
                la("12:05Z · from:sB"),
                why="5 min is within the allowed skew",
            ),
        ],
        tolerated=[
            # A heading that does not parse may also trip the type-specific rules; an empty to: is
            # arguably an unknown recipient; a bad ack line may also be counted as a mismatch.
            expect("unknown-recipient", qa, la("10:25Z · from:sB · type:info")),
            expect("ack-status-mismatch", qa, la("Acked by a sloppy hand") - 2),
            expect("future-timestamp", qa, la("2026-13-45T99:99Z")),
        ],
        readable_queues=_queues(root),
        liveness={"sA": "live", "sB": "live", "sC": "stale"},
        shown=["Notes from standup", "Mallory"],
    )


# --------------------------------------------------------------------------------------------
# 8. A hostile board: credentials pasted into messages, cells, headings, a commit subject and an
#    old revision; HTML, script and javascript: links; a symlink to /etc/passwd; a NUL byte; a
#    Latin-1 file; binary junk.
# --------------------------------------------------------------------------------------------

BEARER = "eyJhbGciOiJIUzI1NiJ9" + ".eyJzdWIiOiJzQSJ9.c2lnbmF0dXJlLWZvci1xYS10ZXN0"


def hostile(root: Path) -> Board:
    repo = Repo(root)
    _init(repo)
    board = Scoreboard(repo)
    a_row = row(
        "sA",
        "Sintra",
        "Riff #600",
        "2026-06-02T09:00Z",
        "2026-06-02T11:50Z · ",
        "`services/**` <script>alert('scope')</script>",
    )
    b_row = row(
        "sB",
        "<script>alert(5)</script>",
        "Riff #601",
        "2026-06-02T09:00Z",
        "2026-06-02T11:40Z · ",
        f"`web/**` deploy with {GITHUB_PAT}",
    )
    board.set("sA", a_row)
    repo.commit(at("2026-06-02T09:00"), "[sA] docs(ai-sessions): claim sA at 2026-06-02T09:00Z")
    board.set("sB", b_row)
    repo.commit(at("2026-06-02T09:01"), "[sB] docs(ai-sessions): claim sB at 2026-06-02T09:00Z")

    to_a = Inbox(repo, q("sA"))
    leaked = to_a.post(
        "## 2026-06-02T09:30Z · from:sB · to:sA · type:info · ref:Riff#600 · status:sent",
        "Oops, pasted the wrong thing:",
        "",
        f"    export GITHUB_TOKEN={GHP_HISTORY}",
    )
    repo.commit(at("2026-06-02T09:30"), "[sB] docs(ai-sessions): info to sA")
    leaked.body = ["Oops, pasted the wrong thing: (token removed, rotated)"]
    to_a.save()
    repo.commit(at("2026-06-02T09:31"), "[sB] docs(ai-sessions): scrub pasted token")
    to_a.ack(leaked, "- ack · 2026-06-02T09:40Z · sA · seen", "seen")
    repo.commit(at("2026-06-02T09:40"), "[sA] docs(ai-sessions): seen")

    config = to_a.post(
        "## 2026-06-02T10:00Z · from:sB · to:sA · type:info · ref:Riff#600 · status:sent",
        "Here is the deploy config, don't share:",
        "",
        f"AWS_ACCESS_KEY_ID={AKIA}",
        f"BASS_API_KEY={BASS_KEY}",
        f"bot token {TELEGRAM} for the alerts bot",
        f"Authorization: Bearer {BEARER}",
        "",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(3)>",
        "[click me](javascript:alert(2)) and [also](JaVaScRiPt:alert(7))",
        '<a href="javascript:alert(8)">raw link</a>',
    )
    ref_secret = to_a.post(
        f"## 2026-06-02T10:10Z · from:sB · to:sA · type:handoff · ref:{GHP} · status:sent",
        "Take the deploy job; the token is in the ref, sorry.",
    )
    key = to_a.post(
        "## 2026-06-02T10:20Z · from:sB · to:sA · type:info · ref:<script>alert(4)</script> · status:sent",
        "The deploy key:",
        "",
        "```",
        "-----BEGIN " + "OPENSSH PRIVATE KEY-----",
        *PEM_BODY,
        "-----END " + "OPENSSH PRIVATE KEY-----",
        "```",
    )
    links = to_a.post(
        "## 2026-06-02T10:25Z · from:sB · to:sA · type:info · ref:Riff#600 · status:sent",
        "Links only: [click me](javascript:alert(2)), [upper](JaVaScRiPt:alert(7)),",
        "[spaced]( javascript:alert(11)), [entity](jav&#x61;script:alert(12)),",
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==), ![img](javascript:alert(10)),",
        "<javascript:alert(9)>, [vb](vbscript:msgbox(1)) and a fine one: [docs](https://example.com/x).",
    )
    repo.commit(at("2026-06-02T10:25"), "[sB] docs(ai-sessions): deploy notes to sA")
    for block, when in ((config, "10:30"), (ref_secret, "10:31"), (key, "10:32"), (links, "10:33")):
        to_a.ack(block, f"- ack · 2026-06-02T{when}Z · sA · seen", "seen")
    repo.commit(at("2026-06-02T10:32"), f"[sA] chore: rotate token {GHP_SUBJECT}")

    repo.symlink(q("sZ"), "/etc/passwd")
    repo.write(
        q("sB"),
        f"## 2026-06-02T10:40Z · from:sA · to:sB · type:info · status:sent\n\nNUL here:\x00 and {GHP_NUL}\n".encode(),
    )
    repo.write(
        q("sC"),
        "## 2026-06-02T10:41Z · from:sA · to:sC · type:info · status:sent\n\nCafé crème\n".encode(
            "latin-1"
        ),
    )
    junk = random.Random(497626350).randbytes(4096)
    repo.write(q("sD"), b"## 2026-06-02T10:42Z \xff\xfe" + junk)
    repo.commit(at("2026-06-02T10:45"), "[sA] docs(ai-sessions): odd files")

    qa, sb = q("sA"), SCOREBOARD

    def la(needle: str) -> int:
        return line_of(root, qa, needle)

    begin = la("BEGIN OPENSSH")
    secret = "secret-in-board"
    return Board(
        name="hostile",
        root=root,
        now=NOW,
        summary="credentials everywhere, script/javascript: in bodies and cells, symlink, NUL, Latin-1, junk",
        expected=[
            expect(secret, sb, line_of(root, sb, "| sB ·"), why="github_pat_ token in Scope"),
            expect(secret, qa, la("AWS_ACCESS_KEY_ID"), why="AKIA key"),
            expect(secret, qa, la("BASS_API_KEY"), why="BASS_API_KEY=…"),
            expect(secret, qa, la("bot token"), why="Telegram bot token"),
            expect(secret, qa, la("Authorization: Bearer"), why="bearer token"),
            expect(secret, qa, la("type:handoff"), why="ghp_ token in the ref: of a heading"),
            expect(secret, qa, begin, why="private key block"),
            expect(secret, qa, None, why="ghp_ token in the subject of the commit acking it"),
            expect(
                "bad-display-name", sb, line_of(root, sb, "| sB ·"), why="a script tag is no name"
            ),
            expect("raw-html-in-message", qa, None, why="script, img and a tags in a body"),
            expect("file-unreadable", q("sZ"), None, why="a link leaving the repository"),
            expect("file-unreadable", q("sB"), None, why="a NUL byte"),
            expect("file-unreadable", q("sC"), None, why="Latin-1, not UTF-8"),
            expect("file-unreadable", q("sD"), None, why="binary junk"),
        ],
        tolerated=[
            *(expect(secret, qa, begin + k) for k in range(1, len(PEM_BODY) + 2)),
            expect(secret, q("sB"), None),
            expect(secret, "", None),
            expect(("handoff-without-ref", "raw-html-in-message"), qa, la("type:handoff")),
            expect("raw-html-in-message", qa, la("alert(4)")),
            expect("raw-html-in-message", sb, None),
        ],
        readable_queues=[qa],
        secrets=[
            GHP,
            GHP_SUBJECT,
            GHP_HISTORY,
            GHP_NUL,
            GITHUB_PAT,
            AKIA,
            TELEGRAM,
            BASS_KEY,
            BEARER,
            *PEM_BODY,
        ],
        forbidden=[_passwd_first_line()],
    )


def _passwd_first_line() -> str:
    try:
        return Path("/etc/passwd").read_text(encoding="utf-8").splitlines()[0]
    except (OSError, IndexError):
        return "root:x:0:0:"


# --------------------------------------------------------------------------------------------
# 9. A long-running board: 260+ messages over nine days across a month boundary, all acked.
# --------------------------------------------------------------------------------------------


def long_board(root: Path) -> Board:
    repo = Repo(root)
    _init(repo)
    sessions = (
        ("sA", "Sintra", "`services/**`"),
        ("sB", "Porto", "`web/**`"),
        ("sC", "Lagos", "`docs/**`"),
    )
    board = Scoreboard(repo)

    def claim_row(sid: str, name: str, scope: str, presence: str) -> str:
        return row(sid, name, "Riff #700", "2026-05-25T07:00Z", presence, scope)

    for sid, name, scope in sessions:
        board.set(sid, claim_row(sid, name, scope, "2026-05-25T07:00Z · "))
        repo.commit(
            at("2026-05-25T07:00"), f"[{sid}] docs(ai-sessions): claim {sid} at 2026-05-25T07:00Z"
        )
    inboxes = {name: Inbox(repo, q(name)) for name in ("sA", "sB", "sC", "all")}
    start = at("2026-05-25T08:00")
    ids = [sid for sid, _, _ in sessions]
    total = 0
    for i in range(260):
        sent = start + (i * 45) * (at("2026-05-25T08:01") - start)
        sender = ids[i % 3]
        stamp = ts(sent)
        seen, later, last = (ts(sent + k * (at("2026-05-25T08:01") - start)) for k in (5, 10, 15))
        if i % 5 == 4:
            block = inboxes["all"].post(
                f"## {stamp} · from:human · to:all · type:info · status:sent",
                f"Broadcast number {i}: nightly build is green.",
            )
            for sid in ids:
                block.acks.append(f"- ack · {seen} · {sid} · seen")
        else:
            to = ids[(i + 1) % 3]
            kind = i % 3
            if kind == 0:
                heading = f"## {stamp} · from:{sender} · to:{to} · type:info · status:seen"
                acks = [f"- ack · {seen} · {to} · seen"]
            elif kind == 1:
                heading = f"## {stamp} · from:{sender} · to:{to} · type:question · ref:Riff#{700 + i} · status:done"
                acks = [
                    f"- ack · {seen} · {to} · seen",
                    f"- ack · {later} · {to} · answered · see the PR",
                    f"- ack · {last} · {to} · done",
                ]
            else:
                heading = f"## {stamp} · from:{sender} · to:{to} · type:handoff · ref:PR#{i} · status:done"
                acks = [
                    f"- ack · {seen} · {to} · seen",
                    f"- ack · {later} · {to} · accepted",
                    f"- ack · {last} · {to} · done",
                ]
            block = inboxes[to].post(
                heading, f"Message number {i} from {sender}.", "", "- a list item", "- another"
            )
            block.acks.extend(acks)
            if i == 100:
                twin = inboxes[to].post(
                    f"## {stamp} · from:{sender} · to:{to} · type:info · status:seen",
                    "A second message in the same minute from the same sender.",
                )
                twin.acks.append(f"- ack · {seen} · {to} · seen")
                total += 1
        total += 1
        if i % 10 == 9:
            for inbox in inboxes.values():
                inbox.save()
            repo.commit(
                sent + (at("2026-05-25T08:20") - start),
                f"[{sender}] docs(ai-sessions): messages up to #{i}",
            )
    for sid, name, scope in sessions:
        board.set(sid, claim_row(sid, name, scope, "2026-06-02T11:50Z · "))
    repo.commit(at("2026-06-02T11:50"), "[sA] chore(ai-sessions): heartbeat")
    return Board(
        name="long_board",
        root=root,
        now=NOW,
        summary=f"{total} messages over nine days (May and June), a same-minute twin, all acked",
        clean=True,
        readable_queues=_queues(root),
        liveness={"sA": "live", "sB": "live", "sC": "live"},
        extra={"messages": str(total)},
    )


# --------------------------------------------------------------------------------------------
# 10. A team that only uses the scoreboard: no queue folder at all.
# --------------------------------------------------------------------------------------------


def no_queue(root: Path) -> Board:
    repo = Repo(root)
    _init(repo)
    board = Scoreboard(repo, before="# Claims\n\nWe talk on the PRs; no queues here.\n\n")
    board.set(
        "sA",
        row("sA", "Sintra", "#12", "2026-06-02T10:00Z", "2026-06-02T10:00Z · ", "`services/**`"),
    )
    repo.commit(at("2026-06-02T10:00"), "[sA] docs(ai-sessions): claim sA at 2026-06-02T10:00Z")
    board.set(
        "sB",
        row(
            "sB",
            "Porto",
            "#13",
            "2026-06-02T10:30Z",
            "2026-06-02T11:30Z · 77aa",
            "`web/**`",
            mode="PR",
        ),
    )
    repo.commit(at("2026-06-02T10:30"), "[sB] docs(ai-sessions): claim sB at 2026-06-02T10:30Z")
    # Exactly on the thresholds: last seen 30 min ago is still live, 6 h ago is still idle.
    board.set(
        "sC", row("sC", "Lagos", "#14", "2026-06-02T05:00Z", "2026-06-02T06:00Z · ", "`docs/**`")
    )
    repo.commit(at("2026-06-02T06:00"), "[sC] docs(ai-sessions): claim sC at 2026-06-02T05:00Z")
    repo.write("services/x.py", "x = 1\n")
    repo.commit(at("2026-06-02T11:55"), "[sA] feat(services): x")
    return Board(
        name="no_queue",
        root=root,
        now=NOW,
        summary="scoreboard only, no queue folder; sA live through its commit; sB, sC on the thresholds",
        clean=True,
        liveness={"sA": "live", "sB": "live", "sC": "idle"},
        extra={"sA.last_seen": "2026-06-02T11:55:00Z"},
    )


# --------------------------------------------------------------------------------------------
# 11. Quiet day: a scoreboard with its header and no rows; the only session released yesterday,
#     yet its old messages (and its name) still resolve through the history of claims.
# --------------------------------------------------------------------------------------------


def empty_scoreboard(root: Path) -> Board:
    repo = Repo(root)
    _init(repo)
    board = Scoreboard(repo, before="# Active sessions\n\nNobody is working right now.\n\n")
    board.save()
    repo.commit(at("2026-06-01T07:00"), "docs(ai-sessions): scoreboard", author=HUMAN)
    board.set(
        "sA", row("sA", "Sintra", "Riff #1", "2026-06-01T08:00Z", "2026-06-01T08:00Z · ", "`x/**`")
    )
    repo.commit(at("2026-06-01T08:00"), "[sA] docs(ai-sessions): claim sA at 2026-06-01T08:00Z")
    to_a, to_all = Inbox(repo, q("sA")), Inbox(repo, q("all"))
    task = to_a.post(
        "## 2026-06-01T09:00Z · from:human · to:Sintra · type:handoff · ref:Riff#1 · status:sent",
        "Please finish Riff #1 today.",
    )
    repo.commit(at("2026-06-01T09:00"), "docs(ai-sessions): handoff to Sintra", author=HUMAN)
    to_a.ack(task, "- ack · 2026-06-01T09:05Z · sA · accepted", "accepted")
    repo.commit(at("2026-06-01T09:05"), "[sA] docs(ai-sessions): accept")
    to_a.ack(task, "- ack · 2026-06-01T16:55Z · sA · done", "done")
    to_all.post(
        "## 2026-06-01T17:00Z · from:Sintra · to:all · type:release · ref:Riff#1 · status:sent",
        "Riff #1 merged, releasing `x/**`.",
    )
    board.drop("sA")
    repo.commit(at("2026-06-01T17:00"), "[sA] docs(ai-sessions): release sA")
    to_all.post(
        "## 2026-06-02T08:00Z · from:human · to:all · type:info · status:sent",
        "Anyone around? (nobody is: no session was live, so no ack is owed)",
    )
    repo.write(q("sB"), "")
    repo.commit(at("2026-06-02T08:00"), "docs(ai-sessions): broadcast", author=HUMAN)
    return Board(
        name="empty_scoreboard",
        root=root,
        now=NOW,
        summary="header and no rows; a released session's messages resolve through history; an empty file",
        clean=True,
        absent=[
            expect(
                "unknown-recipient",
                q("sA"),
                1,
                why="Sintra is sA's display name in the git history of claims",
            ),
            expect(
                "unknown-recipient",
                q("all"),
                1,
                why="Sintra is sA's display name in the git history of claims",
            ),
        ],
        tolerated=[
            # Whether the sender of a broadcast owes an ack to itself is not specified (the tool
            # exempts a sender it can resolve; here it cannot, because of the bug above).
            expect("broadcast-unacked", q("all"), 1),
        ],
        readable_queues=_queues(root),
        shown=["Nobody is working right now"],
    )


# --------------------------------------------------------------------------------------------
# 12. Not a git repository at all (a board copied out of an archive), and 13. a git repository
#     with no commit yet (the board was just written).
# --------------------------------------------------------------------------------------------


def _simple_board(repo: Repo) -> None:
    board = Scoreboard(repo)
    board.set(
        "sA", row("sA", "Sintra", "Riff #1", "2026-06-02T10:00Z", "2026-06-02T11:50Z · ", "`x/**`")
    )
    board.set(
        "sB", row("sB", "Porto", "Riff #2", "2026-06-02T10:00Z", "2026-06-02T11:50Z · ", "`y/**`")
    )
    to_b = Inbox(repo, q("sB"))
    block = to_b.post(
        "## 2026-06-02T10:30Z · from:sA · to:sB · type:question · ref:Riff#2 · status:sent",
        "Is `y/` ready?",
    )
    to_b.ack(block, "- ack · 2026-06-02T10:35Z · sB · seen", "seen")
    to_b.ack(block, "- ack · 2026-06-02T10:40Z · sB · answered · yes", "answered")
    Inbox(repo, q("sA")).post(
        "## 2026-06-02T10:40Z · from:sB · to:sA · type:answer · re:2026-06-02T10:30Z · status:sent",
        "Yes, merged.",
    )


def not_git(root: Path) -> Board:
    repo = Repo(root, git=False)
    _simple_board(repo)
    return Board(
        name="not_git",
        root=root,
        now=NOW,
        summary="a plain folder: no .git at all",
        clean=True,
        readable_queues=_queues(root),
        liveness={"sA": "live", "sB": "live"},
        is_git=False,
    )


def no_commit_yet(root: Path) -> Board:
    repo = Repo(root)
    _simple_board(repo)
    return Board(
        name="no_commit_yet",
        root=root,
        now=NOW,
        summary="git init, board written, nothing committed",
        clean=True,
        readable_queues=_queues(root),
        liveness={"sA": "live", "sB": "live"},
    )


# --------------------------------------------------------------------------------------------
# 14. Scope claims that look alike: prefix traps, single vs double star, prose vs backticks.
# --------------------------------------------------------------------------------------------


def scopes(root: Path) -> Board:
    repo = Repo(root)
    _init(repo)
    board = Scoreboard(repo)
    rows = [
        ("sA", "Sintra", "Riff #1", "web shell `web/**`"),
        ("sB", "Porto", "(Riff TBD)", "the new app `webapp/**`, not web/**"),
        ("sC", "Lagos", "Riff #3", "top-level docs `docs/*.md`"),
        ("sD", "Faro", "Riff #4", "`docs/guides/intro.md` and `infra/c*/**`"),
        ("sE", "Evora", "Riff #5", "`web/app.tsx`, `docs/README.md`; run `npm run build` first"),
    ]
    for i, (sid, name, task, scope) in enumerate(rows):
        claimed = f"2026-06-02T11:0{i}Z"
        board.set(sid, row(sid, name, task, claimed, f"2026-06-02T11:5{i}Z · ", scope))
        repo.commit(
            at(f"2026-06-02T11:0{i}"), f"[{sid}] docs(ai-sessions): claim {sid} at {claimed}"
        )
    sb = SCOREBOARD

    def ln(sid: str) -> int:
        return line_of(root, sb, f"| {sid} ·")

    return Board(
        name="scopes",
        root=root,
        now=NOW,
        summary="web/** vs webapp/**, docs/*.md vs docs/guides/…, infra/c*/**, backticked commands",
        expected=[
            expect(
                "scope-overlap",
                sb,
                ln("sE"),
                why="web/app.tsx in sA's web/**; docs/README.md in sC's docs/*.md",
            ),
        ],
        absent=[
            expect(
                "scope-overlap",
                sb,
                ln("sB"),
                why="webapp/** shares only a string prefix with web/**",
            ),
            expect(
                "scope-overlap", sb, ln("sD"), why="docs/*.md does not reach docs/guides/intro.md"
            ),
            expect("task-placeholder", sb, ln("sB"), why="claimed 59 min ago, under 2 h"),
        ],
        tolerated=[expect("scope-overlap", sb, ln("sA")), expect("scope-overlap", sb, ln("sC"))],
        paths={
            "sA": ["web/**"],
            "sB": ["webapp/**"],
            "sC": ["docs/*.md"],
            "sD": ["docs/guides/intro.md", "infra/c*/**"],
            "sE": ["web/app.tsx", "docs/README.md"],
        },
        liveness={sid: "live" for sid, *_ in rows},
        extra={"overlap_pairs": "sA-sE,sC-sE"},
    )


# --------------------------------------------------------------------------------------------
# 15. A scoreboard re-saved as Windows-1252 by an editor: unreadable now, readable in history.
# --------------------------------------------------------------------------------------------


def scoreboard_cp1252(root: Path) -> Board:
    repo = Repo(root)
    _init(repo)
    board = Scoreboard(repo)
    board.set(
        "sA", row("sA", "Sintra", "Riff #1", "2026-06-02T09:00Z", "2026-06-02T09:00Z · ", "`x/**`")
    )
    repo.commit(at("2026-06-02T09:00"), "[sA] docs(ai-sessions): claim sA at 2026-06-02T09:00Z")
    text = board.text().replace("# Active sessions", "# Sessions — Évora office")
    text = text.replace("2026-06-02T09:00Z · |", "2026-06-02T11:50Z · café |")
    repo.write(SCOREBOARD, text.replace("→", "->").encode("cp1252"))
    repo.commit(at("2026-06-02T11:50"), "[sA] chore(ai-sessions): heartbeat")
    return Board(
        name="scoreboard_cp1252",
        root=root,
        now=NOW,
        summary="the scoreboard itself is not UTF-8",
        expected=[expect("file-unreadable", SCOREBOARD, None, why="cp1252 bytes")],
    )


# --------------------------------------------------------------------------------------------
# 16. Edges where the specification leaves room (see the report): a BOM before the first heading,
#     a README in the queue folder, a setext underline in a body, a fence never closed.
# --------------------------------------------------------------------------------------------


def edges(root: Path) -> Board:
    repo = Repo(root)
    _init(repo)
    board = Scoreboard(repo)
    board.set(
        "sA", row("sA", "Sintra", "Riff #1", "2026-06-02T09:00Z", "2026-06-02T11:50Z · ", "`x/**`")
    )
    board.set(
        "sB", row("sB", "Porto", "Riff #2", "2026-06-02T09:00Z", "2026-06-02T11:50Z · ", "`y/**`")
    )
    repo.write(
        f"{QUEUE}/README.md",
        "# Queues\n\n## How to write a message\n\nAppend a block; never edit someone else's.\n",
    )
    to_b = Inbox(repo, q("sB"), bom=True)
    first = to_b.post(
        "## 2026-06-02T10:00Z · from:sA · to:sB · type:info · ref:Riff#2 · status:sent",
        "Saved by Notepad, so the file starts with a BOM.",
        "",
        "Deploy notes",
        "---",
        "",
        "(the line above underlines a paragraph: a setext heading in markdown, not a `## ` block)",
    )
    to_b.ack(first, "- ack · 2026-06-02T10:05Z · sB · seen", "seen")
    # A folder that happens to be named like a queue file (an editor's backup folder).
    repo.write(f"{QUEUE}/to-sX.md/notes.txt", "not a queue file\n")
    to_a = Inbox(repo, q("sA"))
    fenced = to_a.post(
        "## 2026-06-02T10:10Z · from:sB · to:sA · type:info · ref:Riff#1 · status:sent",
        "The fence below is never closed:",
        "",
        "```python",
        "def f() -> None:",
        "    pass",
    )
    to_a.ack(fenced, "- ack · 2026-06-02T10:15Z · sA · seen", "seen")
    to_a.post(
        "## 2026-06-02T10:20Z · from:sB · to:sA · type:info · ref:Riff#1 · status:seen",
        "Swallowed by the unclosed fence above.",
    )
    repo.commit(at("2026-06-02T10:20"), "[sB] docs(ai-sessions): odd but valid markdown")
    return Board(
        name="edges",
        root=root,
        now=NOW,
        summary="BOM before a heading, README and a to-sX.md/ folder in the queue folder, setext, unclosed fence",
        tolerated=[
            expect("file-unreadable", f"{QUEUE}/to-sX.md", None),
            # The spec does not say whether an unclosed fence that swallows later headings should
            # be reported; reporting it would be welcome, so it is tolerated, not required.
            expect("message-parse", q("sA"), None),
        ],
        readable_queues=_queues(root),
        liveness={"sA": "live", "sB": "live"},
        shown=["Swallowed by the unclosed fence above"],
    )


# --------------------------------------------------------------------------------------------
# 17. Who owes an ack to a broadcast: only the sessions live when it was sent (by Presence or by
#     `[sX]` commits), not one idle then, not one that claimed later.
# --------------------------------------------------------------------------------------------


def broadcast_reach(root: Path) -> Board:
    repo = Repo(root)
    _init(repo)
    board = Scoreboard(repo)
    life = Timeline(repo)
    a = row("sA", "Sintra", "Riff #1", "2026-06-02T07:00Z", "2026-06-02T07:00Z · ", "`a/**`")
    b = row("sB", "Porto", "Riff #2", "2026-06-02T07:00Z", "2026-06-02T07:30Z · ", "`b/**`")
    c = row("sC", "Lagos", "Riff #3", "2026-06-02T10:00Z", "2026-06-02T11:55Z · ", "`c/**`")
    life.at("2026-06-02T07:00", "[sA] docs(ai-sessions): claim sA", lambda: board.set("sA", a))
    life.at("2026-06-02T07:30", "[sB] docs(ai-sessions): claim sB", lambda: board.set("sB", b))
    for hour in range(8, 12):
        stamp = f"2026-06-02T{hour:02d}:50"
        life.at(stamp, "[sA] feat(a): work", functools.partial(repo.write, "a/x.txt", stamp))
    # sB's heartbeat hook is missing: only its commits say it came back at 09:50.
    life.at("2026-06-02T09:50", "[sB] feat(b): back", lambda: repo.write("b/x.txt", "back"))
    life.at("2026-06-02T10:00", "[sC] docs(ai-sessions): claim sC", lambda: board.set("sC", c))
    to_all = Inbox(repo, q("all"))
    holder: list[Block] = []

    def first() -> None:
        holder.append(
            to_all.post(
                "## 2026-06-02T09:00Z · from:human · to:all · type:info · status:sent",
                "sB was idle at 09:00 (last seen 07:30) and sC had not claimed yet: only sA owes an ack.",
            )
        )

    def second() -> None:
        holder.append(
            to_all.post(
                "## 2026-06-02T09:55Z · from:human · to:all · type:info · status:sent",
                "sA and sB (by its 09:50 commit) were live at 09:55; sC claimed at 10:00.",
            )
        )

    life.at("2026-06-02T09:00", "docs(ai-sessions): broadcast", first, author=HUMAN)
    life.at(
        "2026-06-02T09:05",
        "[sA] docs(ai-sessions): ack",
        lambda: to_all.ack(holder[0], "- ack · 2026-06-02T09:05Z · sA · seen"),
    )
    life.at("2026-06-02T09:55", "docs(ai-sessions): broadcast", second, author=HUMAN)
    life.at(
        "2026-06-02T09:56",
        "[sA] docs(ai-sessions): ack",
        lambda: to_all.ack(holder[1], "- ack · 2026-06-02T09:56Z · sA · seen"),
    )
    life.at(
        "2026-06-02T10:07",
        "[sC] docs(ai-sessions): ack",
        lambda: to_all.ack(holder[1], "- ack · 2026-06-02T10:07Z · sC · seen"),
    )
    life.play()
    al = q("all")
    return Board(
        name="broadcast_reach",
        root=root,
        now=NOW,
        summary="broadcast acks owed only by sessions live at send time (Presence or [sX] commits)",
        expected=[
            expect(
                "broadcast-unacked",
                al,
                line_of(root, al, "09:55Z · from:human"),
                why="sB live by commit",
            ),
        ],
        absent=[
            expect(
                "broadcast-unacked",
                al,
                line_of(root, al, "09:00Z · from:human"),
                why="sB idle, sC later",
            ),
        ],
        readable_queues=_queues(root),
        liveness={"sA": "live", "sB": "idle", "sC": "live"},
        extra={"sB.last_seen": "2026-06-02T09:50:00Z"},
    )


BUILDERS: dict[str, Callable[[Path], Board]] = {
    "clean_canonical": clean_canonical,
    "clean_styled": clean_styled,
    "clean_crlf_unicode": clean_crlf_unicode,
    "scoreboard_identity": scoreboard_identity,
    "scoreboard_malformed": scoreboard_malformed,
    "scoreboard_missing_column": scoreboard_missing_column,
    "queue_violations": queue_violations,
    "hostile": hostile,
    "long_board": long_board,
    "no_queue": no_queue,
    "empty_scoreboard": empty_scoreboard,
    "not_git": not_git,
    "no_commit_yet": no_commit_yet,
    "scopes": scopes,
    "scoreboard_cp1252": scoreboard_cp1252,
    "edges": edges,
    "broadcast_reach": broadcast_reach,
}
