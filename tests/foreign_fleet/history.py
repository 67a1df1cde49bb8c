"""Git-history teams: a sloppy shared-tree day on the scoreboard, and queues edited after the fact."""

from __future__ import annotations

from pathlib import Path

from tests.foreign.kit import HEADER, SCOREBOARD, Repo, q, row
from tests.foreign_fleet.kit import (
    ANY_LINE,
    HUMAN,
    Built,
    FleetSet,
    Span,
    absent,
    commit,
    init_code,
    plant,
)


class Board:
    """The scoreboard as a team edits it: rows by session, rewritten whole on every change."""

    def __init__(self, repo: Repo, note: str = "") -> None:
        self.repo, self.note = repo, note
        self.rows: dict[str, str] = {}

    def set(self, sid: str, text: str) -> None:
        self.rows[sid] = text
        self.save()

    def beat(self, sid: str, presence: str) -> None:
        cells = self.rows[sid].split(" | ")
        cells[4] = presence
        self.set(sid, " | ".join(cells))

    def save(self) -> None:
        body = "# Active sessions\n\n" + HEADER + "".join(r + "\n" for r in self.rows.values())
        self.repo.write(SCOREBOARD, body + self.note)


# ---------------------------------------------------------------------------------------------
# 7. Git discipline: unprefixed board edits, a ghost, trespass, a mixed commit, a fat claim.
# ---------------------------------------------------------------------------------------------

SA = row(
    "sA",
    "Sintra",
    "Riff #412",
    "2026-06-02T08:00Z",
    "2026-06-02T08:00Z · ",
    "`services/payments/**`",
)
SB = row("sB", "Porto", "Riff #415", "2026-06-02T08:10Z", "2026-06-02T08:10Z · ", "`web/**`")
SC = row(
    "sC", "Lagos", "Riff #420", "2026-06-02T11:45Z", "2026-06-02T11:45Z · ", "`services/ledger/**`"
)
SD = row(
    "sD", "Faro", "Riff #418", "2026-06-02T10:30Z", "2026-06-02T10:30Z · ", "`services/search/**`"
)


def _git_discipline(root: Path) -> Built:
    repo = Repo(root)
    built = Built(root)
    init_code(repo)
    repo.write(
        "statusboard.toml",
        f'names = ["Sintra", "Porto", "Lagos", "Faro"]\nhuman_commit_authors = ["{HUMAN}"]\n',
    )
    commit(repo, built, "2026-06-02T07:50", "chore: statusboard config", author=HUMAN)
    board = Board(repo)
    board.set("sA", SA)
    commit(repo, built, "2026-06-02T08:00", "[sA] docs(ai-sessions): claim sA at 2026-06-02T08:00Z")
    board.set("sB", SB)
    commit(repo, built, "2026-06-02T08:10", "[sB] docs(ai-sessions): claim sB at 2026-06-02T08:10Z")
    board.note = "\nReap rows idle for more than 6 h.\n"
    board.save()
    commit(repo, built, "2026-06-02T08:30", "docs(ai-sessions): add the reap note", "noprefix")
    repo.write("services/ledger/csv.py", "SEP = ','\n")
    commit(repo, built, "2026-06-02T09:00", "[sC] fix(ledger): quote commas", "ghost")
    repo.write("services/payments/metrics.py", "COUNT = 0\n")
    commit(repo, built, "2026-06-02T09:20", "[sA] feat(payments): retry metrics", "sa_work")
    board.beat("sA", "2026-06-02T09:20Z · retry metrics")
    commit(repo, built, "2026-06-02T09:20", "[sA] docs(ai-sessions): heartbeat sA")
    repo.write("services/payments/retry.py", "BUDGET = 3  # typo fixed\n")
    commit(repo, built, "2026-06-02T09:30", "[sB] fix(payments): typo in retry", "trespass")
    repo.write("services/payments/metrics.py", "COUNT = 0\nRECEIPTS = 0\n")
    repo.write("web/checkout/Receipt.tsx", "export const Receipt = () => null;\n")
    commit(repo, built, "2026-06-02T10:00", "[sA] feat(payments): receipt metrics", "mixed")
    board.beat("sA", "2026-06-02T10:00Z · receipt metrics")
    commit(repo, built, "2026-06-02T10:00", "[sA] docs(ai-sessions): heartbeat sA")
    board.set("sD", SD)
    repo.write("services/search/index.py", "INDEX = {}\n")
    commit(
        repo, built, "2026-06-02T10:30", "[sD] feat(search): index skeleton + claim sD", "atomic"
    )
    repo.write("web/banner.tsx", "export const Banner = () => null;\n")
    commit(repo, built, "2026-06-02T11:00", "[sB] feat(web): banner", "sb_work")
    board.note = "\nReap rows idle for more than 6 h (ask in the queue first).\n"
    board.save()
    commit(
        repo,
        built,
        "2026-06-02T11:20",
        "docs(ai-sessions): reap rule wording",
        "human_ok",
        author=HUMAN,
    )
    board.beat("sD", "2026-06-02T11:30Z · index")
    commit(repo, built, "2026-06-02T11:30", "[sD] docs(ai-sessions): heartbeat sD")
    board.set("sC", SC)
    commit(repo, built, "2026-06-02T11:45", "[sC] docs(ai-sessions): claim sC at 2026-06-02T11:45Z")
    repo.write("services/ledger/csv.py", "SEP = ','\nQUOTE = '\"'\n")
    commit(repo, built, "2026-06-02T11:50", "[sC] fix(ledger): quote quotes", "sc_legal")
    board.beat("sC", "2026-06-02T11:50Z · quote quotes")
    board.beat("sA", "2026-06-02T11:50Z · idle")
    commit(repo, built, "2026-06-02T11:50", "[sC] docs(ai-sessions): heartbeat sC")
    return built


_ROW_A, _ROW_B, _ROW_D = "| sA · Sintra |", "| sB · Porto |", "| sD · Faro |"
_BOARD_PATHS = (SCOREBOARD, None)

GIT_DISCIPLINE = FleetSet(
    name="git_discipline",
    summary="a shared-tree day: an unprefixed board edit, a [sC] commit before sC's claim, sB "
    "editing sA's payments, one commit spanning sA's and sB's paths, sD's claim committed with "
    "code, sB never bumping Presence; the person's own board edit is allowed by config",
    build=_git_discipline,
    plants=(
        plant("commit-prefix-missing", SCOREBOARD, ANY_LINE, commit="noprefix", paths=_BOARD_PATHS),
        plant(
            "ghost-session-commit",
            "services/ledger/csv.py",
            ANY_LINE,
            "sC",
            commit="ghost",
            paths=_BOARD_PATHS,
        ),
        plant(
            "trespass",
            "services/payments/retry.py",
            ANY_LINE,
            "sB",
            "sA",
            commit="trespass",
            paths=_BOARD_PATHS,
        ),
        plant(
            "mixed-session-commit",
            "web/checkout/Receipt.tsx",
            ANY_LINE,
            "sA",
            "sB",
            commit="mixed",
            paths=(*_BOARD_PATHS, "services/payments/metrics.py"),
        ),
        plant(
            "trespass",
            "web/checkout/Receipt.tsx",
            ANY_LINE,
            "sA",
            "sB",
            commit="mixed",
            paths=_BOARD_PATHS,
        ),
        plant("claim-not-committed-atomically", SCOREBOARD, _ROW_D, "sD", commit="atomic"),
        plant("missing-heartbeat", SCOREBOARD, _ROW_B, "sB"),
    ),
    absents=(
        absent(
            "commit-prefix-missing", None, ANY_LINE, "the person's own commit", commit="human_ok"
        ),
        absent(
            "ghost-session-commit", None, ANY_LINE, "sC commits inside its claim", commit="sc_legal"
        ),
        absent(
            ("trespass", "mixed-session-commit"),
            None,
            ANY_LINE,
            "sA in its own paths",
            commit="sa_work",
        ),
        absent(
            ("trespass", "mixed-session-commit"),
            None,
            ANY_LINE,
            "sB in its own paths",
            commit="sb_work",
        ),
        absent("missing-heartbeat", SCOREBOARD, _ROW_A, "sA's Presence follows its commits"),
        absent("claim-not-committed-atomically", SCOREBOARD, _ROW_A, "sA's claim is board-only"),
        absent(
            "claim-not-committed-atomically",
            SCOREBOARD,
            "| sC · Lagos |",
            "sC's claim is board-only",
        ),
    ),
)


# ---------------------------------------------------------------------------------------------
# 8. Queue history: a body rewritten, a status set by the sender, a status going back, a
#    message deleted before it was done, a broadcast ack written by someone else.
# ---------------------------------------------------------------------------------------------


class Queue:
    """A queue file as a list of blocks (heading, body, ack lines), saved whole on every change."""

    def __init__(self, repo: Repo, recipient: str) -> None:
        self.repo, self.path = repo, q(recipient)
        self.blocks: dict[str, list[str]] = {}

    def post(self, key: str, heading: str, *body: str) -> None:
        self.blocks[key] = [heading, "", *body]
        self.save()

    def status(self, key: str, state: str) -> None:
        head = self.blocks[key][0]
        self.blocks[key][0] = head.rpartition(" · status:")[0] + f" · status:{state}"
        self.save()

    def ack(self, key: str, line: str) -> None:
        block = self.blocks[key]
        if not block[-1].startswith("- ack"):
            block.append("")
        block.append(line)
        self.save()

    def edit(self, key: str, old: str, new: str) -> None:
        self.blocks[key] = [text.replace(old, new) for text in self.blocks[key]]
        self.save()

    def drop(self, key: str) -> None:
        del self.blocks[key]
        self.save()

    def save(self) -> None:
        text = "\n\n".join("\n".join(b) for b in self.blocks.values())
        self.repo.write(self.path, text + "\n" if text else "")


M1 = "## 2026-06-02T09:00Z · from:sB · to:sA · type:question · ref:Riff#412 · status:sent"
M2 = "## 2026-06-02T09:40Z · from:sB · to:sA · type:handoff · ref:Riff#415 · status:sent"
M3 = "## 2026-06-02T09:45Z · from:sA · to:sB · type:question · ref:Riff#412 · status:sent"
M4 = "## 2026-06-02T10:30Z · from:sA · to:sB · type:info · status:sent"
M5 = "## 2026-06-02T09:50Z · from:sC · to:sB · type:info · status:sent"
M6 = "## 2026-06-02T10:50Z · from:sA · to:all · type:info · status:sent"
M7 = "## 2026-06-02T10:05Z · from:sB · to:sA · type:answer · re:2026-06-02T09:45Z · ref:Riff#412 · status:sent"


def _queue_history(root: Path) -> Built:
    repo = Repo(root)
    built = Built(root)
    init_code(repo)
    repo.write("statusboard.toml", 'names = ["Sintra", "Porto", "Lagos"]\n')
    board = Board(repo)
    board.set("sA", SA)
    board.set("sB", SB.replace("08:10Z", "08:00Z"))
    board.set("sC", SC.replace("11:45Z", "08:00Z"))
    commit(repo, built, "2026-06-02T08:00", "[sA] docs(ai-sessions): board with sA, sB, sC")
    to_a, to_b, to_all = Queue(repo, "sA"), Queue(repo, "sB"), Queue(repo, "all")

    def beat(sid: str, when: str) -> None:
        board.beat(sid, f"2026-06-02T{when}Z · ")

    to_a.post("m1", M1, "Is the retry budget per merchant or global?")
    beat("sB", "09:00")
    commit(repo, built, "2026-06-02T09:00", "[sB] docs(ai-sessions): ask sA about the retry budget")
    to_a.status("m1", "seen")
    to_a.ack("m1", "- ack · 2026-06-02T09:10Z · sA · seen")
    beat("sA", "09:10")
    commit(repo, built, "2026-06-02T09:10", "[sA] docs(ai-sessions): ack sB question")
    to_a.edit("m1", "merchant or global?", "merchant or global? And are refunds retried too?")
    beat("sB", "09:30")
    commit(
        repo, built, "2026-06-02T09:30", "[sB] docs(ai-sessions): clarify my question", "rewrite"
    )
    to_a.post("m2", M2, "Please take over the banner rollout; notes are in the PR.")
    beat("sB", "09:40")
    commit(repo, built, "2026-06-02T09:40", "[sB] docs(ai-sessions): hand the banner to sA")
    to_b.post("m3", M3, "Do we keep the old retry policy for refunds?")
    beat("sA", "09:45")
    commit(repo, built, "2026-06-02T09:45", "[sA] docs(ai-sessions): ask sB about refunds")
    to_b.post("m5", M5, "Ledger freeze starts at 13:00.")
    beat("sC", "09:50")
    commit(repo, built, "2026-06-02T09:50", "[sC] docs(ai-sessions): tell sB about the freeze")
    to_a.status("m2", "accepted")
    beat("sB", "09:55")
    commit(
        repo, built, "2026-06-02T09:55", "[sB] docs(ai-sessions): sA takes the banner", "wrongparty"
    )
    to_b.status("m3", "answered")
    to_a.post("m7", M7, "Yes, refunds keep the old policy until Riff #412 lands.")
    beat("sB", "10:05")
    commit(repo, built, "2026-06-02T10:05", "[sB] docs(ai-sessions): answer sA about refunds")
    to_b.status("m5", "done")
    to_b.ack("m5", "- ack · 2026-06-02T10:06Z · sB · done")
    commit(repo, built, "2026-06-02T10:06", "[sB] docs(ai-sessions): ack the freeze")
    to_b.status("m3", "seen")
    beat("sB", "10:20")
    commit(repo, built, "2026-06-02T10:20", "[sB] docs(ai-sessions): reopen sA question", "goback")
    to_b.post("m4", M4, "The deploy window moved to 14:00.")
    beat("sA", "10:30")
    commit(repo, built, "2026-06-02T10:30", "[sA] docs(ai-sessions): deploy window to sB")
    to_b.status("m4", "seen")
    beat("sB", "10:40")
    commit(repo, built, "2026-06-02T10:40", "[sB] docs(ai-sessions): ack deploy window")
    to_b.drop("m4")
    to_b.drop("m5")
    beat("sB", "10:45")
    commit(repo, built, "2026-06-02T10:45", "[sB] docs(ai-sessions): tidy my queue", "deleted")
    to_all.post("m6", M6, "Payments is frozen for the audit until 15:00.")
    beat("sA", "10:50")
    commit(repo, built, "2026-06-02T10:50", "[sA] docs(ai-sessions): broadcast the freeze")
    to_all.ack("m6", "- ack · 2026-06-02T10:55Z · sB · seen")
    beat("sB", "10:55")
    commit(repo, built, "2026-06-02T10:55", "[sB] docs(ai-sessions): ack the freeze broadcast")
    to_all.ack("m6", "- ack · 2026-06-02T10:56Z · sC · seen")
    commit(repo, built, "2026-06-02T10:56", "[sB] docs(ai-sessions): ack for sC too", "wrongack")
    to_a.status("m7", "seen")
    to_a.ack("m7", "- ack · 2026-06-02T11:00Z · sA · seen")
    to_a.status("m2", "done")
    to_a.ack("m2", "- ack · 2026-06-02T11:00Z · sA · done")
    beat("sA", "11:00")
    commit(repo, built, "2026-06-02T11:00", "[sA] docs(ai-sessions): acks")
    beat("sC", "11:30")
    commit(repo, built, "2026-06-02T11:30", "[sC] docs(ai-sessions): heartbeat sC")
    return built


_M1_NOW = M1.replace("status:sent", "status:seen")
_M2_NOW = M2.replace("status:sent", "status:done")
_M3_NOW = M3.replace("status:sent", "status:seen")

QUEUE_HISTORY = FleetSet(
    name="queue_history",
    summary="queues edited after the fact: a question's body rewritten after it was seen, the "
    "sender accepting its own handoff, answered → seen in the heading, a seen message deleted, "
    "a broadcast ack line for sC committed by sB",
    build=_queue_history,
    plants=(
        plant("message-rewritten", q("sA"), _M1_NOW, "2026-06-02T09:00Z", commit="rewrite"),
        plant(
            "ack-by-wrong-party", q("sA"), _M2_NOW, "2026-06-02T09:40Z", "sB", commit="wrongparty"
        ),
        plant(
            "illegal-ack-transition", q("sB"), _M3_NOW, "2026-06-02T09:45Z", "seen", commit="goback"
        ),
        plant("message-deleted", q("sB"), ANY_LINE, "2026-06-02T10:30Z", commit="deleted"),
        plant(
            "ack-by-wrong-party",
            q("all"),
            "- ack · 2026-06-02T10:56Z · sC · seen",
            "sC",
            "sB",
            commit="wrongack",
        ),
    ),
    absents=(
        absent(
            "message-deleted",
            None,
            ANY_LINE,
            "m5 was done when it was deleted",
            names=("2026-06-02T09:50Z",),
        ),
        absent(
            "ack-by-wrong-party",
            q("all"),
            "- ack · 2026-06-02T10:55Z · sB · seen",
            "sB acks for itself",
        ),
        absent(
            ("message-rewritten", "ack-by-wrong-party", "illegal-ack-transition"),
            q("sA"),
            M7.replace("status:sent", "status:seen"),
            "a clean answer",
        ),
    ),
)


# ---------------------------------------------------------------------------------------------
# 9. Edge cases of the same rules: a board bootstrapped together with code, a misfiled message
#    moved and later corrected, a queue file deleted whole, the person's inbox, a same-minute
#    repeat, an amend-style heartbeat, a claim announced in the queue, a near-miss path.
# ---------------------------------------------------------------------------------------------

E1 = "## 2026-06-02T08:20Z · from:sC · to:sB · type:info · status:sent"
E2 = "## 2026-06-02T08:40Z · from:sA · to:sC · type:question · ref:Riff#3 · status:sent"
E3 = "## 2026-06-02T08:50Z · from:sA · to:human · type:question · status:sent"
E4 = "## 2026-06-02T09:00Z · from:sA · to:sB · type:info · status:sent"


def _edges(root: Path) -> Built:
    repo = Repo(root)
    built = Built(root)
    init_code(repo)
    repo.write("statusboard.toml", 'names = ["Sintra", "Porto", "Lagos"]\n')
    commit(repo, built, "2026-06-02T07:00", "chore: statusboard config", author=HUMAN)
    board = Board(repo)
    board.set(
        "sA",
        row(
            "sA",
            "Sintra",
            "Riff #1",
            "2026-06-02T08:00Z",
            "2026-06-02T08:00Z · ",
            "`services/payments/**`, `web/app.tsx`",
        ),
    )
    repo.write("services/payments/start.py", "START = 1\n")
    commit(repo, built, "2026-06-02T08:00", "[sA] feat(payments): start + claim sA", "bootstrap")
    board.set(
        "sB",
        row(
            "sB",
            "Porto",
            "Riff #2",
            "2026-06-02T08:10Z",
            "2026-06-02T08:10Z · ",
            "`web/checkout/**`",
        ),
    )
    to_a, to_c, to_h = Queue(repo, "sA"), Queue(repo, "sC"), Queue(repo, "human")
    to_a.post(
        "claim",
        "## 2026-06-02T08:10Z · from:sB · to:sA · type:claim · ref:Riff#2 · status:sent",
        "I take `web/checkout/**`.",
    )
    commit(
        repo, built, "2026-06-02T08:10", "[sB] docs(ai-sessions): claim sB; tell sA", "claim_msg"
    )
    board.set(
        "sC",
        row(
            "sC",
            "Lagos",
            "Riff #3",
            "2026-06-02T08:15Z",
            "2026-06-02T08:15Z · ",
            "`services/ledger/**`",
        ),
    )
    commit(repo, built, "2026-06-02T08:15", "[sC] docs(ai-sessions): claim sC at 2026-06-02T08:15Z")
    # A message for sB filed in sA's queue, then moved unchanged (the emptied file removed).
    to_a.post("e1", E1, "Ledger freeze starts at 13:00.")
    commit(repo, built, "2026-06-02T08:20", "[sC] docs(ai-sessions): tell sB about the freeze")
    to_b = Queue(repo, "sB")
    to_b.blocks["e1"] = to_a.blocks.pop("e1")
    to_a.save()
    to_b.save()
    commit(
        repo,
        built,
        "2026-06-02T08:25",
        "[sA] docs(ai-sessions): move a misfiled message to sB",
        "move",
    )
    to_a.status("claim", "seen")
    to_a.ack("claim", "- ack · 2026-06-02T08:30Z · sA · seen")
    board.beat("sA", "2026-06-02T08:30Z · ack")
    commit(repo, built, "2026-06-02T08:30", "[sA] docs(ai-sessions): ack sB claim")
    to_c.post("e2", E2, "Is the ledger export still on for today?")
    commit(repo, built, "2026-06-02T08:40", "[sA] docs(ai-sessions): ask sC about the export")
    repo.remove(to_c.path)
    commit(repo, built, "2026-06-02T08:45", "[sA] docs(ai-sessions): drop the sC queue", "dropfile")
    to_h.post("e3", E3, "May I deploy payments at 14:00?")
    commit(repo, built, "2026-06-02T08:50", "[sA] docs(ai-sessions): ask the person")
    to_h.status("e3", "answered")
    commit(
        repo,
        built,
        "2026-06-02T08:55",
        "[sB] docs(ai-sessions): the person said yes",
        "human_status",
    )
    to_b.post("e4a", E4, "First note.")
    to_b.post("e4b", E4, "Second note, same minute.")
    commit(repo, built, "2026-06-02T09:00", "[sA] docs(ai-sessions): two notes for sB")
    to_b.status("e4b", "done")
    commit(repo, built, "2026-06-02T09:05", "[sA] docs(ai-sessions): close my own note", "repeat")
    repo.write("services/payments/amend.py", "A = 1\n")
    board.beat("sA", "2026-06-02T09:10Z · amend")
    commit(repo, built, "2026-06-02T09:10", "[sA] feat(payments): amend (heartbeat in the commit)")
    repo.write("web/app.tsx.orig", "backup\n")
    repo.write("web/checkout/pay.tsx", "export const Pay = () => null;\n")
    board.beat("sB", "2026-06-02T09:20Z · pay")
    commit(repo, built, "2026-06-02T09:20", "[sB] feat(web): pay button", "near_miss")
    to_b.status("e1", "seen")
    to_b.ack("e1", "- ack · 2026-06-02T09:30Z · sB · seen")
    to_b.status("e4a", "done")
    board.beat("sB", "2026-06-02T09:30Z · acks")
    commit(repo, built, "2026-06-02T09:30", "[sB] docs(ai-sessions): acks")
    to_b.edit("e1", "13:00.", "13:00 (not 12:00).")
    commit(repo, built, "2026-06-02T09:40", "[sC] docs(ai-sessions): correct my note", "correct")
    repo.write("services/payments/late.py", "L = 1\n")
    board.beat("sA", "2026-06-02T11:50Z · late")
    commit(repo, built, "2026-06-02T11:50", "[sA] feat(payments): late")
    board.beat("sB", "2026-06-02T11:50Z · ")
    commit(repo, built, "2026-06-02T11:51", "[sB] docs(ai-sessions): heartbeat sB")
    return built


_E1_NOW = E1.replace("status:sent", "status:seen")

HISTORY_EDGES = FleetSet(
    name="history_edges",
    summary="sA bootstraps the board in a commit with code; a misfiled message moved to sB's "
    "queue (emptied file removed) and later corrected by its sender; a queue file deleted whole; "
    "sB setting the status of a message to the person; a same-minute repeat closed by its "
    "sender; an amend-style heartbeat; a claim announced in the queue in the claim commit; a "
    "file next to (not under) a claimed path",
    build=_edges,
    plants=(
        plant(
            "claim-not-committed-atomically",
            SCOREBOARD,
            "| sA · Sintra |",
            "sA",
            commit="bootstrap",
        ),
        plant("message-rewritten", q("sB"), _E1_NOW, "2026-06-02T08:20Z", commit="correct"),
        plant(
            "message-deleted",
            q("sC"),
            ANY_LINE,
            "2026-06-02T08:40Z",
            commit="dropfile",
            paths=(None,),
        ),
        plant(
            "ack-by-wrong-party",
            q("human"),
            "from:sA · to:human",
            "human",
            "sB",
            commit="human_status",
        ),
        plant(
            "ack-by-wrong-party",
            q("sB"),
            Span("Second note, same minute.", "Second note, same minute.", up="## "),
            "sA",
            commit="repeat",
        ),
        plant("missing-heartbeat", SCOREBOARD, "| sC · Lagos |", "sC"),
    ),
    absents=(
        absent(
            "message-deleted",
            None,
            ANY_LINE,
            "the misfiled message was moved, not deleted",
            names=("2026-06-02T08:20Z",),
        ),
        absent(
            "claim-not-committed-atomically",
            SCOREBOARD,
            "| sB · Porto |",
            "the claim commit also writes a queue message",
        ),
        absent(
            "missing-heartbeat",
            SCOREBOARD,
            "| sA · Sintra |",
            "Presence bumped inside sA's commits",
        ),
        absent(
            "trespass",
            None,
            ANY_LINE,
            "web/app.tsx.orig is not under web/app.tsx",
            commit="near_miss",
        ),
        absent("ack-by-wrong-party", q("sB"), "First note.", "sB closed the first note itself"),
    ),
)

SETS = (GIT_DISCIPLINE, QUEUE_HISTORY, HISTORY_EDGES)
