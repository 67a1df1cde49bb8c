"""Well-kept teams: every source present and kept by the book. Nothing at warning level or above."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.foreign.kit import Repo, at, row
from tests.foreign_fleet.agents import (
    AGENTS_MD,
    AGENTS_MD_TEXT,
    OUT,
    PROTOCOL,
    PROTOCOL_TEXT,
    RUNBOOK,
    RUNBOOK_TEXT,
)
from tests.foreign_fleet.bridge import tg
from tests.foreign_fleet.history import Board, Queue
from tests.foreign_fleet.kit import (
    BACKLOG,
    BASS,
    HUMAN,
    RIFF,
    ROSTER_MD,
    ROSTER_YML,
    TELEGRAM,
    Built,
    FleetSet,
    commit,
    init_code,
    json_rows,
    jsonl,
)

ROLE_ROSTER = """# Agent directory

Named agents keep a persistent session; spawn-only workers are stateless templates.

| Agent ID | Name | Type | Role | How to reach |
|---|---|---|---|---|
| main | Tila | Named | orchestrator | sessions_send(sessionKey="agent:main:main", ...) |
| frankel | Frankel | Named | pm | sessions_send(sessionKey="agent:frankel:main", ...) |
| vinyl | Vinyl | Named | pm | sessions_send(sessionKey="agent:vinyl:main", ...) |
| dev | | Spawn-only | worker | sessions_spawn(agentId="dev", ...) |
| research | | Spawn-only | worker | sessions_spawn(agentId="research", ...) |
"""

CONFIG = f"""names = ["Sintra", "Porto", "Lagos"]
project_tag = "po"
human_commit_authors = ["{HUMAN}"]

[agents]
timezone = "Europe/Lisbon"
people = ["Dana"]
"""


def _bass() -> str:
    def act(tid: str, when: str, agent: str, frm: str, to: str, note: str = "") -> dict[str, Any]:
        return {
            "task_id": tid,
            "at": f"2026-06-02T{when}:00Z",
            "agent": agent,
            "from": frm,
            "to": to,
            "note": note,
        }

    tasks: list[dict[str, Any]] = [
        {
            "id": "T-40",
            "title": "Receipt shows the retry reason",
            "status": "done",
            "agent": "frankel",
            "project": "payments",
            "updated_at": "2026-06-02T10:00:00Z",
        },
        {
            "id": "T-41",
            "title": "Rotate the staging TLS certificates",
            "status": "done",
            "agent": "vinyl",
            "project": "ops",
            "updated_at": "2026-06-02T09:00:00Z",
        },
        {
            "id": "T-42",
            "title": "Ledger export to finance",
            "status": "blocked",
            "agent": "vinyl",
            "project": "ledger",
            "blocker": "waiting on finance sign-off",
            "updated_at": "2026-06-02T09:30:00Z",
        },
        {
            "id": "T-43",
            "title": "Checkout copy review",
            "status": "done",
            "agent": "frankel",
            "project": "web",
            "updated_at": "2026-06-02T11:00:00Z",
        },
        {
            "id": "T-44",
            "title": "Payout calendar",
            "status": "in_progress",
            "agent": "frankel",
            "project": "payments",
            "deps": ["T-40"],
            "updated_at": "2026-06-02T11:10:00Z",
        },
    ]
    activity = [
        act("T-40", "07:00", "frankel", "todo", "in_progress", "spawned dev, label r6-flaky"),
        act("T-40", "08:30", "frankel", "in_progress", "review", "dev result verified"),
        act("T-40", "10:00", "main", "review", "done", "signed off"),
        act("T-41", "08:40", "vinyl", "todo", "in_progress"),
        act("T-41", "09:00", "vinyl", "in_progress", "done", "certs rotated"),
        act("T-42", "09:10", "vinyl", "todo", "in_progress"),
        act("T-42", "09:30", "vinyl", "in_progress", "blocked", "waiting on finance sign-off"),
        act("T-43", "08:00", "frankel", "todo", "in_progress"),
        act("T-43", "09:40", "frankel", "in_progress", "review"),
        act("T-43", "11:00", "human", "review", "done", "LGTM"),
        act("T-44", "11:10", "frankel", "todo", "in_progress"),
    ]
    return json_rows("", {"tasks": tasks, "activity": activity})


def _riff() -> str:
    tasks = [
        {
            "id": "412",
            "title": "Payments retry budget",
            "status": "in progress",
            "assignee": "Sintra",
            "labels": ["to:po", "payments"],
            "deps": [],
            "updated_at": "2026-06-02T11:30:00Z",
        },
        {
            "id": "415",
            "title": "Web banner rollout",
            "status": "in progress",
            "assignee": "Porto",
            "labels": ["to:po", "web"],
            "deps": ["412"],
            "updated_at": "2026-06-02T10:30:00Z",
            "comments": [
                {
                    "author": "po:sB",
                    "at": "2026-06-02T10:30:00Z",
                    "body": "from:po:sB · status:done → banner paused per Dana",
                }
            ],
        },
        {
            "id": "416",
            "title": "sB → sA : the receipts page",
            "status": "in progress",
            "assignee": "Sintra",
            "labels": ["to:po", "handoff"],
            "deps": ["412"],
            "body": "from:po:sB · to:po:sA · type:handoff · ref:Riff#416 · status:accepted\n\nPlease take the receipts page.",
            "updated_at": "2026-06-02T09:50:00Z",
        },
        {
            "id": "417",
            "title": "sA → all : payments freeze until 15:00",
            "status": "open",
            "assignee": None,
            "labels": ["broadcast"],
            "updated_at": "2026-06-02T10:00:00Z",
        },
        {
            "id": "418",
            "title": "Ledger recon hook signature",
            "status": "open",
            "assignee": "Sintra",
            "labels": ["to:po"],
            "deps": [],
            "updated_at": "2026-06-02T08:00:00Z",
        },
    ]
    return json.dumps({"tasks": tasks}, indent=2, ensure_ascii=False) + "\n"


def _backlog(tid: str, title: str) -> str:
    return (
        f"---\nid: {tid}\ntitle: {title}\nstatus: Done\nassignee: []\n"
        "created_date: '2026-05-30 10:00'\nlabels: [bridge]\ndependencies: []\n---\n\n"
        "## Description\n\nKept here while the tracker was down; now in the tracker.\n"
    )


def _transcript() -> str:
    def call(when: str, name: str, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "timestamp": f"2026-06-02T{when}:00Z",
            "type": "tool_call",
            "name": name,
            "arguments": args,
        }

    return jsonl(
        [
            call(
                "07:00",
                "sessions_spawn",
                {
                    "agentId": "dev",
                    "task": "Fix the flaky checkout test. " + OUT.format("r6-flaky"),
                    "label": "r6-flaky",
                    "runTimeoutSeconds": 600,
                    "cleanup": "keep",
                },
            ),
            call(
                "07:13",
                "sessions_history",
                {"sessionKey": "agent:dev:subagent:r6-flaky", "limit": 5},
            ),
            call(
                "08:31",
                "sessions_send",
                {
                    "sessionKey": "agent:main:main",
                    "message": "T-40 is in review.",
                    "timeoutSeconds": 0,
                },
            ),
            call("09:00", "sessions_list", {"limit": 10}),
            call(
                "10:02",
                "sessions_send",
                {
                    "sessionKey": "agent:vinyl:main",
                    "message": "T-40 signed off.",
                    "timeoutSeconds": 0,
                },
            ),
        ]
    )


def _telegram() -> str:
    dana = ("Dana", "user5550001")
    messages = [
        tg(
            201,
            "07:30",
            "Tila",
            "user7770001",
            "Good morning: the recon brief is in checkpoints/brief.md.",
        ),
        tg(202, "10:15", *dana, "Porto, pause the banner rollout until finance signs off."),
        tg(
            203,
            "10:50",
            *dana,
            [{"type": "mention", "text": "@all"}, " payments freeze until 15:00 for the audit."],
        ),
        tg(204, "11:20", *dana, "Thanks, that is all for today."),
    ]
    export = {
        "name": "po-platform bridge",
        "type": "private_group",
        "id": 4815162342,
        "messages": messages,
    }
    return json.dumps(export, indent=1, ensure_ascii=False) + "\n"


def _clean_fleet(root: Path) -> Built:
    repo = Repo(root)
    built = Built(root)
    init_code(repo)
    repo.write("statusboard.toml", CONFIG)
    repo.write(ROSTER_MD, ROLE_ROSTER)
    repo.write(PROTOCOL, PROTOCOL_TEXT)
    repo.write(RUNBOOK, RUNBOOK_TEXT)
    repo.write(AGENTS_MD, AGENTS_MD_TEXT)
    repo.write(
        f"{BACKLOG}/task-1 - Ledger-recon-hook-signature.md",
        _backlog("task-1", "Ledger recon hook signature"),
    )
    repo.write(
        f"{BACKLOG}/task-2 - Rotate-staging-certs.md",
        _backlog("task-2", "Rotate the staging TLS certificates"),
    )
    commit(
        repo,
        built,
        "2026-06-01T18:00",
        "docs(ai): roster, protocol, runbooks, bridge tasks",
        author=HUMAN,
    )

    board = Board(repo)
    sa = row(
        "sA",
        "Sintra",
        "Riff #412",
        "2026-06-02T08:00Z",
        "2026-06-02T08:00Z · ",
        "payments: `services/payments/**`",
    )
    sb = row(
        "sB",
        "Porto",
        "Riff #415",
        "2026-06-02T08:05Z",
        "2026-06-02T08:05Z · ",
        "web shell: `web/**`",
        mode="PR",
    )
    board.set("sA", sa)
    commit(repo, built, "2026-06-02T08:00", "[sA] docs(ai-sessions): claim sA at 2026-06-02T08:00Z")
    board.set("sB", sb)
    commit(repo, built, "2026-06-02T08:05", "[sB] docs(ai-sessions): claim sB at 2026-06-02T08:05Z")

    def work(sid: str, when: str, path: str, text: str, subject: str) -> None:
        repo.write(path, text)
        commit(repo, built, f"2026-06-02T{when}", f"[{sid}] {subject}")
        board.beat(sid, f"2026-06-02T{when}Z · {subject[:20]}")
        commit(repo, built, f"2026-06-02T{when}", f"[{sid}] docs(ai-sessions): heartbeat {sid}")

    def talk(sid: str, when: str, subject: str) -> None:
        board.beat(sid, f"2026-06-02T{when}Z · ")
        commit(repo, built, f"2026-06-02T{when}", f"[{sid}] docs(ai-sessions): {subject}")

    to_a, to_b, to_all = Queue(repo, "sA"), Queue(repo, "sB"), Queue(repo, "all")
    work(
        "sA", "08:30", "services/payments/retry.py", "BUDGET = 3\n", "feat(payments): retry budget"
    )
    to_a.post(
        "q",
        "## 2026-06-02T09:00Z · from:sB · to:Sintra · type:question · ref:Riff#412 · status:sent",
        "Is the retry budget per merchant or global?",
    )
    talk("sB", "09:00", "ask sA about the retry budget")
    to_a.status("q", "seen")
    to_a.ack("q", "- ack · 2026-06-02T09:10Z · sA · seen")
    talk("sA", "09:10", "ack sB question")
    to_b.post(
        "a",
        "## 2026-06-02T09:20Z · from:sA · to:sB · type:answer · re:2026-06-02T09:00Z · ref:Riff#412 · status:sent",
        "Per merchant: see `services/payments/retry.py`.",
    )
    to_a.status("q", "answered")
    to_a.ack("q", "- ack · 2026-06-02T09:20Z · sA · answered")
    talk("sA", "09:20", "answer sB")
    to_b.status("a", "seen")
    to_b.ack("a", "- ack · 2026-06-02T09:30Z · sB · seen")
    talk("sB", "09:30", "ack sA answer")
    to_a.post(
        "h",
        "## 2026-06-02T09:40Z · from:sB · to:po:sA · type:handoff · ref:Riff#416 · status:sent",
        "Please take the receipts page; notes in the PR.",
    )
    talk("sB", "09:40", "hand the receipts page to sA")
    to_a.status("h", "accepted")
    to_a.ack("h", "- ack · 2026-06-02T09:50Z · sA · accepted · after the retry work")
    talk("sA", "09:50", "accept sB handoff")
    to_all.post(
        "b",
        "## 2026-06-02T10:00Z · from:sA · to:all · type:info · ref:Riff#417 · status:sent",
        "Payments is frozen until 15:00 for the audit.",
    )
    talk("sA", "10:00", "broadcast the payments freeze")
    to_all.ack("b", "- ack · 2026-06-02T10:05Z · sB · seen")
    talk("sB", "10:05", "ack the freeze")
    to_b.post(
        "r",
        "## 2026-06-02T10:20Z · from:sA · to:sB · type:relay · via:telegram · ref:Riff#415 · status:sent",
        "Dana on Telegram: pause the banner rollout until finance signs off.",
    )
    talk("sA", "10:20", "relay Dana's banner pause to sB")
    to_b.status("r", "done")
    to_b.ack("r", "- ack · 2026-06-02T10:30Z · sB · done · banner paused")
    talk("sB", "10:30", "banner paused")
    to_a.post(
        "i",
        "## 2026-06-02T10:40Z · from:sB · to:sA · type:info · status:sent",
        "The banner is paused; receipts are yours.",
    )
    talk("sB", "10:40", "tell sA the banner is paused")
    to_a.status("i", "done")
    to_a.ack("i", "- ack · 2026-06-02T10:45Z · sA · done")
    talk("sA", "10:45", "ack sB info")
    to_all.post(
        "b2",
        "## 2026-06-02T10:55Z · from:sB · to:all · type:relay · via:telegram · status:sent",
        "Dana on Telegram (@all): payments freeze until 15:00 for the audit.",
    )
    talk("sB", "10:55", "relay Dana's freeze to all")
    to_all.ack("b2", "- ack · 2026-06-02T11:00Z · sA · seen")
    to_a.drop("i")
    to_a.status("h", "done")
    to_a.ack("h", "- ack · 2026-06-02T11:00Z · sA · done")
    talk("sA", "11:00", "acks; tidy my queue")
    work(
        "sA",
        "11:30",
        "services/payments/receipts.py",
        "RECEIPTS = []\n",
        "feat(payments): receipts page",
    )
    work(
        "sB",
        "11:40",
        "web/banner.tsx",
        "export const Banner = () => null; // paused\n",
        "feat(web): pause banner",
    )
    repo.write(BASS, _bass())
    repo.write(RIFF, _riff())
    repo.write("agents/frankel/sessions/2026-06-02.jsonl", _transcript())
    repo.write(TELEGRAM, _telegram())
    commit(
        repo,
        built,
        "2026-06-02T11:50",
        "chore(ai): tracker exports, transcripts, chat export",
        author=HUMAN,
    )
    return built


CLEAN_FLEET = FleetSet(
    name="clean_fleet",
    summary="a team that keeps every source by the book: roster with Name/Role, BASS and Riff "
    "exports, a reconciled Backlog.md bridge, a transcript, the protocol playbook, a Telegram "
    "export whose instructions are all relayed, two live sessions acking by the book",
    build=_clean_fleet,
    clean=True,
    site=True,
)


# ---------------------------------------------------------------------------------------------
# A second well-kept team: YAML roster, Riff list, PR mode with merge commits, qualified handles.
# ---------------------------------------------------------------------------------------------

YAML_ROSTER_COACH = """agents:
  - {id: coach, name: Coach, type: Named, role: orchestrator}
  - {id: frankel, name: Frankel, type: Named}
  - {id: research, type: Spawn-only}
"""


def _clean_pr_team(root: Path) -> Built:
    repo = Repo(root)
    built = Built(root)
    init_code(repo)
    repo.write(
        "statusboard.toml",
        f'names = ["Sintra", "Porto"]\nproject_tag = "po"\nhuman_commit_authors = ["{HUMAN}"]\n',
    )
    repo.write(ROSTER_YML, YAML_ROSTER_COACH)
    riff = [
        {
            "id": 7,
            "title": "Search index",
            "status": "in progress",
            "assignee": "po:sA",
            "deps": [],
            "updated_at": "2026-06-02T11:00:00Z",
        },
        {
            "id": 8,
            "title": "Search page",
            "status": "open",
            "assignee": "Porto",
            "deps": [7],
            "updated_at": "2026-06-02T11:00:00Z",
        },
    ]
    repo.write(RIFF, "[\n" + ",\n".join("  " + json.dumps(t) for t in riff) + "\n]\n")
    bass = {
        "tasks": [
            {
                "id": 3,
                "title": "Search relevance review",
                "status": "done",
                "agent": "frankel",
                "project": "search",
            }
        ],
        "activity": [
            {
                "task_id": 3,
                "at": "2026-06-02T08:00:00Z",
                "agent": "frankel",
                "from": "todo",
                "to": "in_progress",
            },
            {
                "task_id": 3,
                "at": "2026-06-02T09:00:00Z",
                "agent": "frankel",
                "from": "in_progress",
                "to": "review",
            },
            {
                "task_id": 3,
                "at": "2026-06-02T10:00:00Z",
                "agent": "Coach",
                "from": "review",
                "to": "done",
            },
        ],
    }
    repo.write(BASS, json.dumps(bass, indent=2) + "\n")
    repo.write(
        "agents/coach/2026-06-02.jsonl",
        jsonl(
            [
                {
                    "type": "message",
                    "timestamp": "2026-06-02T10:01:00Z",
                    "message": {
                        "role": "assistant",
                        "content": [
                            {
                                "type": "toolCall",
                                "name": "sessions_send",
                                "arguments": json.dumps(
                                    {
                                        "sessionKey": "agent:frankel:main",
                                        "message": "T3 signed off.",
                                        "timeoutSeconds": 0,
                                    }
                                ),
                            }
                        ],
                    },
                },
            ]
        ),
    )
    commit(repo, built, "2026-06-02T07:00", "chore: board sources", author=HUMAN)
    board = Board(repo)
    sa = row(
        "sA",
        "Sintra",
        "Riff #7",
        "2026-06-02T08:00Z",
        "2026-06-02T08:00Z · ",
        "`services/search/**`",
        mode="PR",
    )
    sb = row(
        "sB",
        "Porto",
        "#8",
        "2026-06-02T08:10Z",
        "2026-06-02T08:10Z · ",
        "`web/search/**`",
        mode="PR",
    )
    board.set("sA", sa)
    commit(repo, built, "2026-06-02T08:00", "[sA] docs(ai-sessions): claim sA at 2026-06-02T08:00Z")
    board.set("sB", sb)
    commit(repo, built, "2026-06-02T08:10", "[sB] docs(ai-sessions): claim sB at 2026-06-02T08:10Z")
    to_b = Queue(repo, "sB")
    repo.checkout("session-sA", new=True)
    repo.write("services/search/index.py", "INDEX = {}\n")
    commit(repo, built, "2026-06-02T09:00", "[sA] feat(search): index")
    board.beat("sA", "2026-06-02T09:00Z · index")
    to_b.post(
        "i",
        "## 2026-06-02T09:00Z · from:po:sA · to:Porto · type:info · ref:Riff#7 · status:sent",
        "The index API is `search(q)`.",
    )
    commit(
        repo, built, "2026-06-02T09:00", "[sA] docs(ai-sessions): heartbeat; tell sB about the API"
    )
    repo.checkout("main")
    repo._run(
        "merge",
        "--no-ff",
        "-q",
        "-m",
        "Merge pull request #31 from acme/session-sA",
        "session-sA",
        when=at("2026-06-02T09:05"),
        author="GitHub",
    )
    repo.checkout("session-sB", new=True)
    repo.write("web/search/page.tsx", "export const Search = () => null;\n")
    to_b.status("i", "done")
    commit(repo, built, "2026-06-02T10:00", "[sB] feat(web): search page; ack sA info")
    board.beat("sB", "2026-06-02T10:00Z · page")
    commit(repo, built, "2026-06-02T10:00", "[sB] docs(ai-sessions): heartbeat sB")
    repo.checkout("main")
    repo._run(
        "merge",
        "--no-ff",
        "-q",
        "-m",
        "Merge pull request #32 from acme/session-sB",
        "session-sB",
        when=at("2026-06-02T10:05"),
        author="GitHub",
    )
    board.beat("sA", "2026-06-02T11:40Z · review")
    commit(repo, built, "2026-06-02T11:40", "[sA] docs(ai-sessions): heartbeat sA")
    board.beat("sB", "2026-06-02T11:45Z · review")
    commit(repo, built, "2026-06-02T11:45", "[sB] docs(ai-sessions): heartbeat sB")
    return built


CLEAN_PR_TEAM = FleetSet(
    name="clean_pr_team",
    summary="PR-mode sessions on session-sX branches merged with --no-ff (unprefixed merge "
    "commits), YAML roster whose orchestrator is coach (signs off by display name), numeric "
    "Riff/BASS ids, a nested-content transcript with JSON-string arguments, to:Porto / from:po:sA",
    build=_clean_pr_team,
    clean=True,
)

SETS = (CLEAN_FLEET, CLEAN_PR_TEAM)
