"""Whole boards with trackers, a roster, transcripts, playbooks and chats, read by the real pipeline.

A well-kept fleet gives no warning; a fleet with one misuse of each kind has each one found and
named; a malformed set of exports gives `export-parse` findings with their lines while the rest of
the board, and the site, still build. Real git repositories in temporary folders.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import TYPE_CHECKING

from generator import pipeline
from generator.config import parse_config
from generator.model import Finding, Severity
from generator.render.outputs import status_document
from generator.render.pages import build_pages
from generator.render.tasks import MAX_GRAPH_NODES
from generator.timeutil import parse_now

if TYPE_CHECKING:
    from tests.conftest import GitRepo

NOW = parse_now("2026-06-04T12:00Z")
CONFIG = {
    "project_tag": "po",
    "human_commit_authors": ["Ana"],
    "agents": {"timezone": "Europe/Lisbon", "people": ["Ana Costa"], "signoff": ["human", "Ana"]},
}

SCOREBOARD = """# Active sessions

| Session | Task | Worktree | Claimed | Presence | Scope |
|---|---|---|---|---|---|
| sA · Sintra | Riff #412 | worktree `session-sA` → PR, `[sA]` | 2026-06-04T08:00Z | 2026-06-04T11:50Z · abc1234 | retry: `services/payments/**` |
| sB · Porto | BASS T-3 | worktree `session-sB` → PR, `[sB]` | 2026-06-04T08:00Z | 2026-06-04T11:45Z · def5678 | checkout: `web/**` |
"""

QUEUE_SA = """## 2026-06-04T09:20Z · from:sB · to:sA · type:relay · via:telegram · ref:Riff#412 · status:seen

Ana on Telegram: keep the retry cap at 8 s.

- ack · 2026-06-04T09:30Z · sA · seen
"""

ROSTER = """# Agents

| Agent ID | Name | Type | Role | How to reach |
|---|---|---|---|---|
| main | Tila | Named | orchestrator | `sessions_send(sessionKey="agent:main:main", ...)` |
| vinyl | Vinyl | Named | release | `sessions_send(sessionKey="agent:vinyl:main", ...)` |
| dev | | Spawn-only | worker | `sessions_spawn(agentId="dev", ...)` |
"""

RIFF = [
    {"id": 412, "title": "sD → sA : payments retry", "status": "in progress", "assignee": "po:sA",
     "body": "from:po:sD · to:po:sA · type:handoff · ref:Riff#412 · status:accepted",
     "deps": [], "updated_at": "2026-06-04T09:00:00Z", "labels": ["to:po"]},
    {"id": 433, "title": "Receipt copy from the API", "status": "open", "assignee": "Sintra",
     "deps": [412], "updated_at": "2026-06-04T08:00:00Z"},
    {"id": 440, "title": "Ledger recon hooks", "status": "open", "assignee": None, "deps": ["433"]},
]  # fmt: skip

BASS = {
    "tasks": [
        {"id": "T-3", "title": "Checkout QA", "status": "in_progress", "agent": "Porto", "project": "web",
         "updated_at": "2026-06-04T09:00:00Z"},
        {"id": "T-4", "title": "Rotate certs", "status": "done", "agent": "vinyl", "project": "ops"},
        {"id": "T-5", "title": "Release notes", "status": "done", "agent": "vinyl", "project": "release"},
        {"id": "T-6", "title": "Mirror", "status": "blocked", "agent": "vinyl", "blocker": "quota"},
    ],
    "activity": [
        {"task_id": "T-3", "at": "2026-06-04T09:00:00Z", "agent": "Porto", "from": "todo", "to": "in_progress"},
        {"task_id": "T-4", "at": "2026-06-03T09:00:00Z", "agent": "vinyl", "from": "todo", "to": "in_progress"},
        {"task_id": "T-4", "at": "2026-06-03T10:00:00Z", "agent": "vinyl", "from": "in_progress", "to": "done"},
        {"task_id": "T-5", "at": "2026-06-03T09:00:00Z", "agent": "vinyl", "from": "todo", "to": "in_progress"},
        {"task_id": "T-5", "at": "2026-06-03T11:00:00Z", "agent": "vinyl", "from": "in_progress", "to": "review"},
        {"task_id": "T-5", "at": "2026-06-03T12:00:00Z", "agent": "Tila", "from": "review", "to": "done"},
        {"task_id": "T-6", "at": "2026-06-03T12:00:00Z", "agent": "vinyl", "from": "todo", "to": "blocked", "note": "quota"},
    ],
}  # fmt: skip

BACKLOG = """---
id: task-1
title: Receipt copy from the API
status: Done
assignee: ['@sB']
---

Noted while Riff was down; filed as Riff #433.
"""

TRANSCRIPT = [
    {"type": "session", "agentId": "vinyl", "timestamp": "2026-06-03T09:00:00Z"},
    {"type": "message", "timestamp": "2026-06-03T09:01:00Z", "message": {"role": "assistant", "content": [
        {"type": "toolCall", "name": "sessions_spawn", "arguments": {
            "agentId": "dev", "label": "notes", "runTimeoutSeconds": 600, "cleanup": "keep",
            "task": "Draft the notes. Write results to checkpoints/subagent-notes.md"}}]}},
    {"type": "message", "timestamp": "2026-06-03T09:14:00Z", "message": {"role": "assistant", "content": [
        {"type": "toolCall", "name": "sessions_history", "arguments": {"label": "notes"}}]}},
    {"type": "message", "timestamp": "2026-06-03T09:15:00Z", "message": {"role": "assistant", "content": [
        {"type": "toolCall", "name": "sessions_send", "arguments": {
            "sessionKey": "agent:main:main", "message": "T-5 in review", "timeoutSeconds": 0}}]}},
]  # fmt: skip

PROTOCOL = """# Inter-agent protocol

```python
sessions_send(
    sessionKey="agent:<agentId>:main",
    message="...",
    timeoutSeconds=0  # ALWAYS — fire-and-forget
)
```

To check the result later: `sessions_history(sessionKey="agent:<id>:main", limit=5)`

```python
sessions_spawn(
    agentId="dev",          # or research
    task="...",
    label="short-label",    # REQUIRED: for tracking
    runTimeoutSeconds=600,  # REQUIRED: always set a timeout
    cleanup="keep",         # REQUIRED: so output is readable
)
```

- ❌ `sessions_send` without `timeoutSeconds=0` — will appear to fail under load
- ❌ Don't: `sessions_send(sessionKey="agent:vinyl:main", message="hi")`
"""


def _chat(*messages: tuple[int, str, str, str]) -> str:
    rows = [
        {
            "id": n,
            "type": "message",
            "date_unixtime": str(int(parse_now(at).timestamp())),
            "from": sender,
            "text": text,
        }
        for n, at, sender, text in messages
    ]
    return '{"name": "bridge", "messages": [\n' + ",\n".join(json.dumps(r) for r in rows) + "\n]}\n"


CHAT = _chat(
    (1, "2026-06-04T09:12Z", "Ana Costa", "Sintra, keep the retry cap at 8 s."),
    (2, "2026-06-04T09:13Z", "Bridge Bot", "[sB] will relay to sA"),
    (3, "2026-06-04T10:00Z", "Ana Costa", "thanks!"),
    (4, "2026-06-04T10:30Z", "Tila", "Release notes signed off."),
)


def well_kept() -> dict[str, str]:
    return {
        "docs/ai/sessions/active.md": SCOREBOARD,
        "docs/ai/sessions/queue/to-sA.md": QUEUE_SA,
        "docs/ai/agents.md": ROSTER,
        "docs/ai/tracker/riff.json": json.dumps(RIFF, indent=1, ensure_ascii=False),
        "docs/ai/tracker/bass.json": json.dumps(BASS, indent=1),
        "backlog/tasks/task-1 - Receipt-copy.md": BACKLOG,
        "agents/vinyl/sessions/s1.jsonl": "\n".join(json.dumps(x) for x in TRANSCRIPT) + "\n",
        "docs/ai/playbooks/protocol.md": PROTOCOL,
        "docs/ai/telegram/bridge/result.json": CHAT,
    }


def lint(repo: GitRepo, files: dict[str, str]) -> tuple[list[Finding], pipeline.Result]:
    """Commit the fleet's sources, then the blackboard in a commit of its own (a claim committed
    with other files is not atomic), and lint."""
    for path, text in files.items():
        if not path.startswith("docs/ai/sessions/"):
            repo.write(path, text)
    repo.commit("docs(ai): fleet sources", at=parse_now("2026-06-04T11:50Z"), author="Ana")
    for path, text in files.items():
        if path.startswith("docs/ai/sessions/"):
            repo.write(path, text)
    repo.commit("docs(ai): board", at=parse_now("2026-06-04T11:55Z"), author="Ana")
    config = parse_config(CONFIG)
    result = pipeline.analyse(pipeline.read(repo.root, config), config, NOW)
    return list(result.findings), result


def _show(findings: list[Finding]) -> str:
    return "\n".join(f"{f.path}:{f.line}: {f.rule} {f.message}" for f in findings)


def test_a_well_kept_fleet_gives_no_warning(git_repo: GitRepo) -> None:
    findings, result = lint(git_repo, well_kept())
    loud = [f for f in findings if f.severity.rank >= Severity.WARNING.rank]
    assert not loud, _show(loud)
    board = result.board
    assert [t.kind for t in board.trackers] == ["riff", "bass", "backlog"]
    assert len(board.tasks) == 8 and len(board.agents) == 3 and len(board.chats) == 1
    assert {c.tool for c in board.calls} >= {"sessions_spawn", "sessions_history", "sessions_send"}
    # the roster's agents resolve as addresses
    assert result.context.book.resolve("agent:vinyl:main").kind.value == "agent"


def test_every_misuse_is_found_and_named(git_repo: GitRepo) -> None:
    files = well_kept()
    bass = json.loads(files["docs/ai/tracker/bass.json"])
    bass["activity"] += [
        {"task_id": "T-3", "at": "2026-06-04T10:00:00Z", "agent": "dev", "from": "in_progress", "to": "review"},
        {"task_id": "T-3", "at": "2026-06-04T10:30:00Z", "agent": "vinyl", "from": "review", "to": "done"},
    ]  # fmt: skip
    bass["tasks"].append({"id": "T-7", "title": "Stuck", "status": "blocked", "agent": "vinyl"})
    files["docs/ai/tracker/bass.json"] = json.dumps(bass, indent=1)
    riff = json.loads(files["docs/ai/tracker/riff.json"])
    riff[0]["assignee"] = "Porto"  # sA's row claims it
    riff[1]["deps"] = [412, 999]
    riff[2]["deps"] = ["433", "440"]
    riff.append(
        {
            "id": 450,
            "title": "hand over",
            "status": "open",
            "body": "from:po:sB · to:po:sA · type:handoff",
        }
    )
    files["docs/ai/tracker/riff.json"] = json.dumps(riff, indent=1, ensure_ascii=False)
    files["backlog/tasks/task-2.md"] = (
        "---\nid: task-2\ntitle: Only on the bridge\nstatus: To Do\n---\n"
    )
    files["docs/ai/playbooks/bad.md"] = (
        'sessions_send(sessionKey="agent:dev:main", message="x")\n'
        'sessions_spawn(agentId="dev", task="Go.", cleanup="delete")\n'
        'sessions_send(sessionKey="agent:nobody:main", message="x", timeoutSeconds=0)\n'
    )
    files["docs/ai/telegram/bridge/result.json"] = _chat(
        (1, "2026-06-04T09:12Z", "Ana Costa", "Sintra, keep the retry cap at 8 s."),
        (2, "2026-06-04T05:10Z", "Tila", "Nightly recon done."),
        (3, "2026-06-04T10:40Z", "Ana Costa", "Porto: pause the banner."),
    )
    findings, _ = lint(git_repo, files)
    by_rule = {f.rule: f for f in findings}
    expected = {
        "subagent-updates-tracker": "BASS T-3: in_progress → review was made by spawn-only worker dev",
        "bass-unauthorised-signoff": "BASS T-3 (Checkout QA): review → done by vinyl",
        "blocked-without-note": "BASS T-7 (Stuck) is blocked",
        "assignee-mismatch": "sA · Sintra works on Riff #412",
        "dangling-dependency": "Riff #433 (Receipt copy from the API) depends on `999`",
        "dependency-cycle": "Riff #440 → Riff #440",
        "handoff-without-assignee": "Riff #450 (hand over) is a handoff with no assignee",
        "bridge-not-reconciled": "Backlog.md task-2 (Only on the bridge",
        "send-to-spawn-only": "sends to agent:dev:main, but dev is spawn-only",
        "send-without-timeout-zero": "to agent:dev:main has no timeoutSeconds=0",
        "spawn-missing-label": "of dev has no label",
        "spawn-missing-timeout": "has no runTimeoutSeconds",
        "spawn-cleanup-not-keep": 'has cleanup="delete"',
        "spawn-brief-no-output-path": "the brief `Go.` never says which file",
        "send-to-unknown-session": "the roster has no agent nobody",
        "dnd-announcement": "main (Tila) messaged the person on Telegram at 06:10 Europe/Lisbon",
        "telegram-as-bus": "names Porto (sB)",
    }
    for rule, text in expected.items():
        assert rule in by_rule, f"{rule} not found\n{_show(findings)}"
        assert text in by_rule[rule].message, by_rule[rule].message
        assert by_rule[rule].line is not None, rule


MALFORMED = {
    "docs/ai/tracker/riff.json": '{"tasks": [\n  {"id": 1, "title": "kept", "status": "open"},\n  {"id": 2, "title": "cut',
    "docs/ai/tracker/bass.json": '{"tasks": [\n {"id": "T-1", "title": 7, "status": "doing", "deps": "T-2"}\n],\n "activity": {"a": 1}}',
    "backlog/tasks/task-1.md": "---\nid: task-1\ntitle: [oops\n---\n",
    "docs/ai/agents.md": "| Agent ID | Type | How to reach |\n|---|---|---|\n| main | Oracle | x |\n",
    "docs/ai/transcripts/t.jsonl": '{"type": "session", "agentId": "main"}\nnot json\n{"name": "sessions_send", "arguments": "{oops"}\n',
    "docs/ai/telegram/x/result.json": '{"name": "x", "chats": 3}',
}  # fmt: skip


def test_malformed_exports_are_findings_and_the_site_still_builds(
    git_repo: GitRepo, tmp_path: Path
) -> None:
    files = {**well_kept(), **MALFORMED}
    findings, result = lint(git_repo, files)
    parse = sorted((f.path, f.line) for f in findings if f.rule == "export-parse")
    assert parse == [
        ("backlog/tasks/task-1.md", 3),
        ("docs/ai/agents.md", 3),
        ("docs/ai/telegram/x/result.json", 1),
        ("docs/ai/tracker/bass.json", 2),
        ("docs/ai/tracker/bass.json", 2),
        ("docs/ai/tracker/bass.json", 4),
        ("docs/ai/tracker/riff.json", 3),
        ("docs/ai/tracker/riff.json", 3),
        ("docs/ai/transcripts/t.jsonl", 2),
        ("docs/ai/transcripts/t.jsonl", 3),
    ], _show([f for f in findings if f.rule == "export-parse"])
    assert all(f.severity is Severity.ERROR for f in findings if f.rule == "export-parse")
    # what could be read is there; the rest of the board too
    assert [t.id for t in result.board.tasks if t.tracker == "riff"] == ["1"]
    assert len(result.board.scoreboard.rows) == 2 and result.board.messages
    out = pipeline.render(result, tmp_path / "site")
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))
    assert {t["source"] for t in status["tasks"]} == {"riff", "bass", "backlog"}
    riff_page = (out / "tasks" / "riff.html").read_text(encoding="utf-8")
    assert "Kept as written" in riff_page and "cut" in riff_page
    assert (out / "agents.html").is_file()


def test_status_json_and_pages_link_tasks_sessions_messages_and_agents(git_repo: GitRepo) -> None:
    _, result = lint(git_repo, well_kept())
    status = status_document(result)
    task = next(t for t in status["tasks"] if t["id"] == "412")
    assert task == {
        "source": "riff",
        "id": "412",
        "title": "sD → sA : payments retry",
        "status": "in progress",
        "state": "in_progress",
        "assignee": "po:sA",
        "assignees": ["po:sA"],
        "deps": [],
        "lane": "to:po",
        "labels": ["to:po"],
        "type": "handoff",
        "blocker": None,
        "created_at": None,
        "updated_at": "2026-06-04T09:00:00Z",
        "url": None,
        "path": "docs/ai/tracker/riff.json",
        "line": 3,
        "priority": None,
        "milestone": None,
        "parent": None,
        "folder": None,
        "owner": None,
        "closed_at": None,
        "close_reason": None,
        "edges": [],
        "criteria": [],
        "comments": 0,
        "agent_state": None,
        "last_activity": None,
        "extra": {},
    }
    assert status["agents"][0] == {
        "id": "main",
        "name": "Tila",
        "type": "named",
        "role": "orchestrator",
        "reach": '`sessions_send(sessionKey="agent:main:main", ...)`',
        "path": "docs/ai/agents.md",
        "line": 5,
    }
    counts = status["counts"]["tasks"]
    assert counts["total"] == 8 and counts["in_progress"] == 2 and counts["done"] == 3
    assert counts["by_source"] == {"riff": 3, "bass": 4, "backlog": 1}

    pages = build_pages(result, include_docs=False).pages
    riff = pages["tasks/riff.md"]
    assert 'id="task-riff-412"' in riff
    assert 'href="../scoreboard.html#session-1"' in riff  # claimed by sA's row
    assert "inboxes/sA/2026-06.html#" in riff  # the relay's ref:Riff#412
    assert 'href="#task-riff-433"' in riff  # the graph and the dependents
    assert "<svg" in riff and "graph LR" in riff
    assert 'href="tasks/riff.html#task-riff-412"' in pages["scoreboard.md"]
    assert "task-riff-412" in pages["inboxes/sA/2026-06.md"]
    agents = pages["agents.md"]
    assert 'id="agent-vinyl"' in agents and "tasks/bass.html#task-bass-t-5" in agents
    assert "Tasks" in pages["index.md"] and ">8<" in pages["index.md"]


def test_a_huge_dependency_graph_is_cut_and_says_so(git_repo: GitRepo) -> None:
    chain = [
        {"id": n, "title": f"step {n}", "status": "open", "deps": [n - 1] if n > 1 else []}
        for n in range(1, 121)
    ]
    _, result = lint(git_repo, {"docs/ai/tracker/riff.json": json.dumps(chain)})
    page = build_pages(result, include_docs=False).pages["tasks/riff.md"]
    assert f"The graph shows the first {MAX_GRAPH_NODES} of 120 tasks" in page
    assert page.count('class="sb-gnode ') == MAX_GRAPH_NODES


def test_board_text_in_graphs_and_cards_is_inert(git_repo: GitRepo) -> None:
    evil = '<script>alert(1)</script>"]; click n0 call alert()'
    riff = [
        {"id": 1, "title": evil, "status": "open", "deps": []},
        {"id": 2, "title": "b", "status": "open", "deps": [1], "url": "javascript:alert(1)"},
    ]
    _, result = lint(git_repo, {"docs/ai/tracker/riff.json": json.dumps(riff)})
    page = build_pages(result, include_docs=False).pages["tasks/riff.md"]
    assert "<script>" not in page and 'href="javascript' not in page
    mermaid = html.unescape(page.split("graph LR", 1)[1].split("</pre>", 1)[0])
    label = next(line for line in mermaid.split("\n") if line.strip().startswith("n0["))
    assert label.count('"') == 2 and "<" not in label and ";" not in label, label


def test_secrets_in_exports_are_redacted_before_parsing(git_repo: GitRepo, tmp_path: Path) -> None:
    token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    files = {
        "docs/ai/tracker/riff.json": json.dumps(
            [{"id": 1, "title": "t", "status": "open", "body": f"use GITHUB_TOKEN={token}"}]
        ),
        "agents/vinyl/s.jsonl": json.dumps(
            {
                "name": "sessions_send",
                "arguments": {
                    "sessionKey": "agent:main:main",
                    "message": f"token {token}",
                    "timeoutSeconds": 0,
                },
                "ts": 1,
            }
        )
        + "\n",
    }
    findings, result = lint(git_repo, files)
    secrets = sorted((f.path, f.line) for f in findings if f.rule == "secret-in-board")
    assert secrets == [("agents/vinyl/s.jsonl", 1), ("docs/ai/tracker/riff.json", 1)]
    assert not [f for f in findings if f.rule == "export-parse"]  # still valid JSON
    assert "[redacted]" in result.board.tasks[0].body
    assert "[redacted]" in str(result.board.calls[0].arg("message"))
    out = pipeline.render(result, tmp_path / "site")
    leaks = [p for p in out.rglob("*") if p.is_file() and token.encode() in p.read_bytes()]
    assert leaks == []


def test_an_export_that_is_not_utf8_is_unreadable_not_fatal(git_repo: GitRepo) -> None:
    git_repo.write("docs/ai/tracker/bass.json", b'{"tasks": [{"id": "T-1", "title": "caf\xe9"}]}')
    findings, result = lint(git_repo, {})
    assert [(f.rule, f.line) for f in findings if f.path.endswith("bass.json")] == [
        ("file-unreadable", 1)
    ]
    assert [t.kind for t in result.board.trackers] == ["bass"] and not result.board.tasks
