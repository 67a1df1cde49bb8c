"""Tracker teams: a BASS fleet with its activity log, a Riff team, a Riff + Backlog.md team."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.foreign.kit import HEADER, SCOREBOARD, Repo, row
from tests.foreign_fleet.kit import (
    ANY_LINE,
    BACKLOG,
    BASS,
    RIFF,
    ROSTER_MD,
    Built,
    FleetSet,
    Span,
    absent,
    commit,
    init_code,
    json_rows,
    one,
    plant,
)

# The agent directory exactly as the second seed prints it: the name in brackets after the type,
# no Role column (so `main` is the orchestrator).
SEED_ROSTER = """# Agent directory

| Agent ID | Type | How to reach |
|---|---|---|
| `main` | Named (Tila) | `sessions_send(sessionKey="agent:main:main", ...)` |
| `frankel` | Named (Frankel) | `sessions_send(sessionKey="agent:frankel:main", ...)` |
| `vinyl` | Named (Vinyl) | `sessions_send(sessionKey="agent:vinyl:main", ...)` |
| `openclaw-support` | Named (Claw) | `sessions_send(sessionKey="agent:openclaw-support:main", ...)` |
| `cc-guru` | Named (CC Guru) | `sessions_send(sessionKey="agent:cc-guru:main", ...)` |
| `coach` | Named (Coach) | `sessions_send(sessionKey="agent:coach:main", ...)` |
| `dev` | Spawn-only | `sessions_spawn(agentId="dev", ...)` |
| `research` | Spawn-only | `sessions_spawn(agentId="research", ...)` |
"""


# ---------------------------------------------------------------------------------------------
# 1. A BASS fleet: legal flows beside every misuse of the transition table.
# ---------------------------------------------------------------------------------------------


def _task(tid: str, title: str, status: str, agent: str, **more: Any) -> dict[str, Any]:
    task: dict[str, Any] = {"id": tid, "title": title, "status": status, "agent": agent}
    task.setdefault("project", "payments")
    task.update(more)
    task.setdefault("created_at", "2026-06-01T08:00:00Z")
    task.setdefault("updated_at", "2026-06-02T10:00:00Z")
    return task


def _act(tid: str, when: str, agent: str, frm: str, to: str, note: str = "") -> dict[str, Any]:
    return {
        "task_id": tid,
        "at": f"2026-06-{when}:00Z",
        "agent": agent,
        "from": frm,
        "to": to,
        "note": note,
    }


BASS_TASKS = [
    _task("T-10", "Receipt shows the retry reason", "done", "frankel"),
    _task("T-11", "Rotate the staging TLS certificates", "done", "vinyl", project="ops"),
    _task(
        "T-12",
        "Bump the CDN cache TTL",
        "done",
        "openclaw-support",
        project="web",
        labels=["infra"],
    ),
    _task("T-13", "Regenerate the API client", "done", "frankel", auto_complete=True),
    _task(
        "T-14",
        "Ledger export to finance",
        "blocked",
        "vinyl",
        blocker="waiting on finance sign-off",
    ),
    _task("T-15", "Retry budget per merchant", "done", "frankel"),
    _task("T-16", "Checkout copy review", "done", "vinyl"),
    _task("T-20", "Refund webhook signature", "done", "frankel"),
    _task("T-21", "Payout schedule page", "in_progress", "frankel"),
    _task("T-22", "Idempotency keys on capture", "done", "frankel"),
    _task("T-23", "Merchant onboarding emails", "done", "vinyl"),
    _task("T-24", "Fix the flaky checkout test", "review", "frankel"),
    _task("T-25", "Discogs rate-limit survey", "review", "frankel", project="research"),
    _task("T-26", "Sandbox card BIN table", "blocked", "vinyl", blocker=""),
    _task("T-27", "Fraud score thresholds", "blocked", "openclaw-support"),
    _task("T-28", "Archive the 2025 ledgers", "todo", "main", project="ops"),
    _task("T-31", "Checkout test quarantine", "blocked", "frankel", blocker="needs CI access"),
    _task("T-32", "Nightly backup check", "done", "vinyl", labels=["ops"]),
    _task(
        "T-30",
        "Currency rounding audit",
        "in_progress",
        "frankel",
        created_at="2026-05-27T10:00:00Z",
        updated_at="2026-05-28T10:00:00Z",
    ),
]
# T-27 carries no blocker key at all, unlike T-26's empty one.

BA = {
    "t10a": _act("T-10", "01T09:00", "frankel", "todo", "in_progress"),
    "t10b": _act("T-10", "01T11:00", "frankel", "in_progress", "review", "PR #88 ready"),
    "t10c": _act("T-10", "01T14:00", "main", "review", "done", "signed off"),
    "t11a": _act("T-11", "01T09:05", "vinyl", "todo", "in_progress"),
    "t11b": _act("T-11", "01T09:40", "vinyl", "in_progress", "done", "certs rotated"),
    "t12a": _act("T-12", "01T10:00", "openclaw-support", "todo", "in_progress"),
    "t12b": _act("T-12", "01T10:20", "openclaw-support", "in_progress", "done"),
    "t13a": _act("T-13", "01T10:00", "frankel", "todo", "in_progress"),
    "t13b": _act("T-13", "01T10:30", "frankel", "in_progress", "done"),
    "t14a": _act("T-14", "01T11:00", "vinyl", "todo", "in_progress"),
    "t14b": _act(
        "T-14", "01T12:00", "vinyl", "in_progress", "blocked", "waiting on finance sign-off"
    ),
    "t15a": _act("T-15", "01T09:00", "frankel", "todo", "in_progress"),
    "t15b": _act("T-15", "01T12:00", "frankel", "in_progress", "review"),
    "t15c": _act("T-15", "01T17:00", "human", "review", "done", "LGTM"),
    "t16a": _act("T-16", "01T09:00", "vinyl", "todo", "in_progress"),
    "t16b": _act("T-16", "01T10:00", "vinyl", "in_progress", "review"),
    "t16c": _act("T-16", "01T18:00", "Tila", "review", "done", "signed off by the orchestrator"),
    "t20a": _act("T-20", "01T13:00", "frankel", "todo", "done", "trivial"),
    "t21a": _act("T-21", "01T09:00", "frankel", "todo", "in_progress"),
    "t21b": _act("T-21", "01T10:00", "frankel", "in_progress", "review"),
    "t21c": _act("T-21", "01T15:00", "frankel", "review", "in_progress", "found a bug"),
    "t22a": _act("T-22", "02T08:00", "frankel", "todo", "in_progress"),
    "t22b": _act("T-22", "02T09:00", "frankel", "in_progress", "done", "merged"),
    "t23a": _act("T-23", "01T09:00", "vinyl", "todo", "in_progress"),
    "t23b": _act("T-23", "01T10:00", "vinyl", "in_progress", "review"),
    "t23c": _act("T-23", "01T11:00", "vinyl", "review", "done", "self-approved"),
    "t24a": _act("T-24", "02T08:00", "frankel", "todo", "in_progress", "spawned dev"),
    "t24b": _act("T-24", "02T09:30", "dev", "in_progress", "review", "fixed, see checkpoints"),
    "t25a": _act("T-25", "02T08:00", "frankel", "todo", "in_progress"),
    "t25b": _act("T-25", "02T09:40", "agent:research:subagent:r6-discogs", "in_progress", "review"),
    "t26a": _act("T-26", "02T09:00", "vinyl", "todo", "blocked"),
    "t28a": _act("T-28", "01T08:30", "main", "todo", "in_progress"),
    "t28b": _act("T-28", "01T09:00", "main", "in_progress", "done"),
    "t28c": _act("T-28", "02T07:00", "main", "done", "todo", "reopened"),
    "t31a": _act("T-31", "02T08:10", "frankel", "todo", "in_progress"),
    "t31b": _act("T-31", "02T08:50", "dev", "in_progress", "blocked", "needs CI access"),
    "t32a": _act("T-32", "02T06:00", "vinyl", "todo", "in_progress"),
    "t32b": _act("T-32", "02T06:05", "vinyl", "in_progress", "done"),
    "t30a": {
        **_act("T-30", "01T00:00", "frankel", "todo", "in_progress"),
        "at": "2026-05-28T10:00:00Z",
    },
}
BASS_TEXT = json_rows("", {"tasks": BASS_TASKS, "activity": list(BA.values())})


def _bass_fleet(root: Path) -> Built:
    repo = Repo(root)
    built = Built(root)
    init_code(repo)
    repo.write(ROSTER_MD, SEED_ROSTER)
    commit(repo, built, "2026-06-01T16:10", "docs(ai): agent directory")
    repo.write(BASS, BASS_TEXT)
    commit(repo, built, "2026-06-02T10:00", "chore(tracker): BASS export")
    return built


LEGAL = ("t10a", "t10b", "t10c", "t11b", "t12b", "t13b", "t14b", "t15c", "t16c", "t32b")


def _row(key: str) -> str:
    return one(BA[key])


def _tline(tid: str) -> str:
    return '{"id": "' + tid + '"'


BASS_FLEET = FleetSet(
    name="bass_fleet",
    summary="BASS export with an activity log (one object per line) and the seed's agent directory",
    build=_bass_fleet,
    plants=(
        plant("bass-illegal-transition", BASS, _row("t20a"), "T-20"),
        plant("bass-illegal-transition", BASS, _row("t21c"), "T-21"),
        plant("bass-illegal-transition", BASS, _row("t28c"), "T-28"),
        plant("bass-review-bypass", BASS, _row("t22b"), "T-22"),
        plant("bass-unauthorised-signoff", BASS, _row("t23c"), "T-23", "vinyl"),
        plant("subagent-updates-tracker", BASS, _row("t24b"), "T-24", "dev"),
        plant("subagent-updates-tracker", BASS, _row("t25b"), "T-25", "research"),
        plant("subagent-updates-tracker", BASS, _row("t31b"), "T-31", "dev"),
        plant("blocked-without-note", BASS, _tline("T-26"), "T-26"),
        plant("blocked-without-note", BASS, _tline("T-27"), "T-27"),
        plant("stale-in-progress", BASS, _tline("T-30"), "T-30"),
    ),
    absents=(
        *(
            absent(
                ("bass-illegal-transition", "bass-review-bypass", "bass-unauthorised-signoff"),
                BASS,
                _row(key),
                f"legal {BA[key]['task_id']} {BA[key]['from']}->{BA[key]['to']} by {BA[key]['agent']}",
            )
            for key in LEGAL
        ),
        absent("blocked-without-note", BASS, _tline("T-14"), "T-14 has a blocker note"),
    ),
)


# ---------------------------------------------------------------------------------------------
# 2. A Riff team exporting a plain list, with a live scoreboard that points at the tasks.
# ---------------------------------------------------------------------------------------------


def _riff(tid: str, title: str, **more: Any) -> dict[str, Any]:
    task: dict[str, Any] = {"id": tid, "title": title, "status": "open", "assignee": None}
    task.update(more)
    task.setdefault("labels", ["to:po"])
    task.setdefault("created_at", "2026-06-02T08:00:00Z")
    task.setdefault("updated_at", "2026-06-02T09:00:00Z")
    return task


RIFF_LIST = [
    _riff("412", "Payments retry budget", status="in progress", assignee="Sintra"),
    _riff("415", "Web banner rollout", status="in progress", assignee="po:sA"),
    _riff("431", "Ledger recon hook", assignee="Porto", deps=["433"]),
    _riff("433", "Ledger recon schema", assignee="Porto", deps=["431"]),
    _riff("435", "Receipt shows the retry reason", assignee="Sintra", deps=["429"]),
    _riff(
        "440",
        "sB → sA : take over the retry metrics",
        body="from:po:sB · to:po:sA · type:handoff · ref:Riff#440 · status:sent\n\nPlease take the metrics.",
    ),
    _riff("441", "Hand the banner copy to Lisbon", labels=["to:po", "handoff"], assignee=""),
    _riff(
        "442",
        "sA → sB : the receipts page",
        assignee="Porto",
        body="from:po:sA · to:po:sB · type:handoff · ref:Riff#442 · status:accepted",
    ),
    _riff("443", "sB → all : freeze merges until 15:00", labels=["broadcast"], assignee=None),
    _riff("450", "Self-blocking migration", assignee="Sintra", deps=["450"]),
    _riff("451", "Backfill receipts", assignee="Sintra", deps=["Riff #412", "435"]),
]

RIFF_LIST_TEXT = "[\n" + ",\n".join(f"  {one(t)}" for t in RIFF_LIST) + "\n]\n"


def _scoreboard(rows: list[str]) -> str:
    return "# Active sessions\n\n" + HEADER + "".join(r + "\n" for r in rows)


def _riff_list(root: Path) -> Built:
    repo = Repo(root)
    built = Built(root)
    init_code(repo)
    repo.write("statusboard.toml", 'names = ["Sintra", "Porto", "Lisbon"]\nproject_tag = "po"\n')
    repo.write(RIFF, RIFF_LIST_TEXT)
    commit(repo, built, "2026-06-02T09:00", "chore(tracker): Riff export", author="Ana Human")
    sa = row(
        "sA",
        "Sintra",
        "Riff #412",
        "2026-06-02T09:10Z",
        "2026-06-02T09:10Z · ",
        "`services/payments/**`",
    )
    repo.write(SCOREBOARD, _scoreboard([sa]))
    commit(repo, built, "2026-06-02T09:10", "[sA] docs(ai-sessions): claim sA at 2026-06-02T09:10Z")
    sb = row("sB", "Porto", "Riff #415", "2026-06-02T09:20Z", "2026-06-02T09:20Z · ", "`web/**`")
    repo.write(SCOREBOARD, _scoreboard([sa, sb]))
    commit(repo, built, "2026-06-02T09:20", "[sB] docs(ai-sessions): claim sB at 2026-06-02T09:20Z")
    repo.write("services/payments/retry.py", "BUDGET = 3\n")
    commit(repo, built, "2026-06-02T11:30", "[sA] feat(payments): retry budget")
    sa = sa.replace("2026-06-02T09:10Z · ", "2026-06-02T11:30Z · 1a2b3c4")
    repo.write(SCOREBOARD, _scoreboard([sa, sb]))
    commit(repo, built, "2026-06-02T11:30", "[sA] docs(ai-sessions): heartbeat sA")
    repo.write("web/banner.tsx", "export const Banner = () => null;\n")
    commit(repo, built, "2026-06-02T11:40", "[sB] feat(web): banner")
    sb = sb.replace("2026-06-02T09:20Z · ", "2026-06-02T11:40Z · 5d6e7f8")
    repo.write(SCOREBOARD, _scoreboard([sa, sb]))
    commit(repo, built, "2026-06-02T11:40", "[sB] docs(ai-sessions): heartbeat sB")
    return built


RIFF_LIST_SET = FleetSet(
    name="riff_list",
    summary="Riff export as a bare list; cycles, a self-dependency, a dangling id, handoffs "
    "with no assignee, a scoreboard row pointing at another session's task",
    build=_riff_list,
    plants=(
        plant("dependency-cycle", RIFF, _tline("431"), "431", "433"),
        plant("dependency-cycle", RIFF, _tline("450"), "450"),
        plant("dangling-dependency", RIFF, _tline("435"), "435", "429"),
        plant("handoff-without-assignee", RIFF, _tline("440"), "440"),
        plant("handoff-without-assignee", RIFF, _tline("441"), "441"),
        plant("assignee-mismatch", SCOREBOARD, "| sB · Porto |", "415", "sB"),
    ),
    absents=(
        absent("handoff-without-assignee", RIFF, _tline("442"), "442 is assigned"),
        absent("handoff-without-assignee", RIFF, _tline("443"), "a broadcast is no handoff"),
        absent("dangling-dependency", RIFF, _tline("451"), "Riff #412 and 435 exist"),
        absent("assignee-mismatch", SCOREBOARD, "| sA · Sintra |", "412 is Sintra's"),
    ),
)


# ---------------------------------------------------------------------------------------------
# 3. A Riff team exporting {"tasks": …} pretty-printed, with the Backlog.md outage bridge.
# ---------------------------------------------------------------------------------------------

RIFF_DICT = {
    "exported_at": "2026-06-02T10:00:00Z",
    "tasks": [
        {
            "id": 501,
            "title": "Receipt copy from the API",
            "status": "done",
            "assignee": "Porto",
            "deps": [503],
            "comments": [
                {
                    "author": "po:sB",
                    "at": "2026-06-01T10:00:00Z",
                    "body": "from:po:sB · status:seen → on it",
                }
            ],
            "updated_at": "2026-06-01T10:00:00Z",
        },
        {
            "id": 502,
            "title": "Ledger recon export",
            "status": "open",
            "assignee": "Sintra",
            "deps": [501],
            "body": "Bridged from task-4 while the tracker was down.",
            "updated_at": "2026-06-01T10:00:00Z",
        },
        {
            "id": 503,
            "title": "Ledger recon schema",
            "status": "open",
            "assignee": "Sintra",
            "deps": [502],
            "updated_at": "2026-06-01T10:00:00Z",
        },
        {
            "id": 504,
            "title": "Merchant statement PDF",
            "status": "open",
            "assignee": "Sintra",
            "deps": ["Riff #999"],
            "updated_at": "2026-06-01T10:00:00Z",
        },
    ],
}


def _backlog(tid: str, title: str, deps: list[str], body: str, status: str = "To Do") -> str:
    dep_lines = "".join(f"  - {d}\n" for d in deps) if deps else ""
    deps_key = "dependencies:\n" + dep_lines if deps else "dependencies: []\n"
    return (
        "---\n"
        f"id: {tid}\n"
        f"title: {title}\n"
        f"status: {status}\n"
        "assignee:\n  - '@Sintra'\n"
        "created_date: '2026-05-30 10:00'\n"
        "labels:\n  - bridge\n"
        f"{deps_key}"
        "---\n\n"
        f"## Description\n\n{body}\n"
    )


BACKLOG_FILES = {
    "task-1 - Ledger-recon-hook-signature.md": _backlog(
        "task-1", "Ledger recon hook signature", [], "Agree the hook signature with finance."
    ),
    "task-2 - Receipt-copy-from-the-API.md": _backlog(
        "task-2", "Receipt copy from the API!", [], "Same as the tracker task, punctuation aside."
    ),
    "task-3 - Recon-schema-follow-up.md": _backlog(
        "task-3", "Recon schema follow-up", [], "Tracked as Riff #502 once the tracker is back."
    ),
    "task-4 - Ledger-export.md": _backlog(
        "task-4", "Ledger export (bridge)", [], "Now in the tracker."
    ),
    "task-5 - Payout-calendar.md": _backlog(
        "task-5", "Payout calendar", ["task-9"], "Waits for the bank holidays list."
    ),
    "task-6 - Statement-fonts.md": _backlog(
        "task-6", "Statement fonts", ["task-7"], "Fonts first."
    ),
    "task-7 - Statement-layout.md": _backlog(
        "task-7", "Statement layout", ["task-6"], "Layout first."
    ),
}


def _riff_dict_backlog(root: Path) -> Built:
    import json

    repo = Repo(root)
    built = Built(root)
    init_code(repo)
    for name, text in BACKLOG_FILES.items():
        repo.write(f"{BACKLOG}/{name}", text)
    commit(
        repo,
        built,
        "2026-05-30T10:00",
        "chore(backlog): bridge tasks while Riff is down",
        author="Ana Human",
    )
    repo.write(RIFF, json.dumps(RIFF_DICT, indent=2, ensure_ascii=False) + "\n")
    commit(repo, built, "2026-06-02T10:00", "chore(tracker): Riff export", author="Ana Human")
    return built


def _bl(name: str) -> str:
    return f"{BACKLOG}/{name}"


def _obj(tid: int) -> Span:
    return Span(f'"id": {tid},', "}")


RIFF_DICT_SET = FleetSet(
    name="riff_dict_backlog",
    summary='Riff export as pretty-printed {"tasks": …} with numeric ids, a three-task cycle, a '
    "written dangling reference, and a Backlog.md bridge folder partly missing from the tracker",
    build=_riff_dict_backlog,
    plants=(
        plant("dependency-cycle", RIFF, _obj(501), "501", "502", "503"),
        plant("dangling-dependency", RIFF, _obj(504), "504", "999"),
        plant(
            "bridge-not-reconciled",
            _bl("task-1 - Ledger-recon-hook-signature.md"),
            ANY_LINE,
            "task-1",
        ),
        plant("bridge-not-reconciled", _bl("task-5 - Payout-calendar.md"), ANY_LINE, "task-5"),
        plant(
            "dangling-dependency", _bl("task-5 - Payout-calendar.md"), ANY_LINE, "task-5", "task-9"
        ),
        plant(
            "dependency-cycle",
            _bl("task-6 - Statement-fonts.md"),
            ANY_LINE,
            "task-6",
            "task-7",
            paths=[_bl("task-7 - Statement-layout.md")],
        ),
    ),
    absents=(
        absent(
            "bridge-not-reconciled",
            _bl("task-2 - Receipt-copy-from-the-API.md"),
            ANY_LINE,
            "same title",
        ),
        absent(
            "bridge-not-reconciled",
            _bl("task-3 - Recon-schema-follow-up.md"),
            ANY_LINE,
            "names Riff #502",
        ),
        absent(
            "bridge-not-reconciled",
            _bl("task-4 - Ledger-export.md"),
            ANY_LINE,
            "Riff 502 names task-4",
        ),
    ),
)

SETS = (BASS_FLEET, RIFF_LIST_SET, RIFF_DICT_SET)
