"""The readers of the optional sources: trackers, roster, transcripts, playbooks, Telegram.

Each reader is tolerant (what it cannot read is a problem with `path:line`, the rest is kept) and
precise (the line is the line of the object or key concerned). Pure functions: no git needed.
"""

from __future__ import annotations

import json

import pytest

from generator.model import Problem
from generator.readers.backlog import read_backlog, read_backlog_task
from generator.readers.bass import normal_state, read_bass
from generator.readers.playbooks import read_playbook
from generator.readers.riff import header_fields, read_riff
from generator.readers.roster import agent_type, read_roster
from generator.readers.telegram import read_telegram
from generator.readers.tracker_json import JsonDoc, loose_stamp
from generator.readers.transcripts import read_transcript, tool_name


def where(problems: list[Problem] | tuple[Problem, ...]) -> list[tuple[int | None, str]]:
    return [(p.source.line, p.message) for p in problems]


def has(problems: list[Problem] | tuple[Problem, ...], line: int | None, text: str) -> bool:
    return any(p.source.line == line and text in p.message for p in problems)


# --- line-aware JSON ----------------------------------------------------------------------------


def test_json_doc_knows_lines_of_objects_and_keys() -> None:
    text = '{"tasks": [\n  {"id": 1,\n   "deps": [2]},\n  {\n    "id": 2\n  }\n]}\n'
    doc = JsonDoc.parse("x.json", text)
    first, second = doc.value["tasks"]
    assert doc.line_of(first) == 2 and doc.key_line(first, "deps") == 3
    assert doc.line_of(second) == 4 and doc.key_line(second, "id") == 5
    assert doc.span(second) == (4, 6)
    assert doc.key_line(first, "missing") == 2  # the object's own line


def test_json_doc_knows_the_line_of_every_element() -> None:
    text = '{"tasks": [\n  {"id": 1},\n  "T-2 was here",\n  3, [4,\n 5]\n]}\n'
    doc = JsonDoc.parse("x.json", text)
    tasks = doc.value["tasks"]
    assert [doc.item_line(tasks, i) for i in range(4)] == [2, 3, 4, 4]
    assert doc.item_line(tasks[3], 1) == 5
    assert doc.item_line(tasks, 4) == 1  # no such element: the list's own line
    assert doc.item_line("not a list", 0) is None
    broken = JsonDoc.parse("x.json", '{"tasks": [\n  "a",\n  {"id": 2},\n  {"id"')
    found = broken.salvage("tasks")
    assert found is not None and [broken.item_line(found, i) for i in range(2)] == [2, 3]


def test_json_doc_key_line_skips_nested_keys() -> None:
    doc = JsonDoc.parse("x.json", '{"a": {"id": 1},\n "id": 2}')
    assert doc.key_line(doc.value, "id") == 2


@pytest.mark.parametrize(
    ("text", "line", "salvaged"),
    [
        ('[{"id": 1}, {"id": 2', 1, 1),  # truncated
        ('{"tasks": [\n{"id": 1},\n{"id": 2,}\n]}', 3, 1),  # trailing comma
        ("", 1, 0),
        ('{"tasks": []} trailing', 1, 0),
    ],
)
def test_json_doc_salvages_what_precedes_an_error(text: str, line: int, salvaged: int) -> None:
    doc = JsonDoc.parse("x.json", text)
    assert doc.error is not None and doc.error.lineno == line
    found = doc.salvage("tasks") or doc.salvage(None) or []
    assert len(found) == salvaged


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2026-06-03T09:12:00Z", "2026-06-03T09:12:00Z"),
        ("2026-06-03T10:12:00+01:00", "2026-06-03T09:12:00Z"),
        ("2026-06-03", "2026-06-03T00:00:00Z"),
        (1780477950, "2026-06-03T09:12:30Z"),
        (1780477950000, "2026-06-03T09:12:30Z"),
        ("1780477950", "2026-06-03T09:12:30Z"),
    ],
)
def test_loose_stamps(value: object, iso: str) -> None:
    stamp = loose_stamp(value)
    assert stamp is not None and stamp.iso() == iso


@pytest.mark.parametrize("value", ["yesterday", True, None, [1], "2026-13-01"])
def test_loose_stamps_refuse_non_times(value: object) -> None:
    assert loose_stamp(value) is None


# --- Riff ---------------------------------------------------------------------------------------

RIFF = """{"tasks": [
  {"id": 412, "title": "sD → sA : payments retry", "status": "in progress",
   "assignee": {"name": "Sintra"}, "labels": ["to:po", "payments"],
   "body": "from:po:sD · to:po:sA · type:handoff · ref:Riff#412 · status:accepted\\n\\nText.",
   "comments": [{"author": "po:sA", "at": "2026-06-01T10:00:00Z", "body": "from:po:sA · status:seen"}],
   "deps": ["#410"], "created_at": "2026-06-01T09:00:00Z", "url": "https://riff.example/412"},
  {"id": "413", "title": "Broadcast", "status": "open", "labels": "broadcast, to:po"}
]}
"""


def test_riff_reads_every_field() -> None:
    tracker, problems = read_riff("riff.json", RIFF)
    first, second = tracker.tasks
    assert (first.id, first.assignees, first.labels, first.deps) == (
        "412",
        ("Sintra",),
        ("to:po", "payments"),
        ("410",),
    )
    assert first.type == "handoff" and ("to", "po:sA") in first.header
    assert first.comments[0].author == "po:sA" and first.comments[0].source.line == 5
    assert first.created is not None and first.url == "https://riff.example/412"
    assert first.source.line == 2 and first.span == (2, 6)
    # a comma-separated string where a list belongs is read, and said
    assert second.labels == ("broadcast", "to:po")
    assert where(problems) == [
        (7, "Riff task #413: `labels` is text, expected a list; read as `broadcast`, `to:po`")
    ]


def test_riff_bare_list_and_wrong_types() -> None:
    text = (
        '[{"id": 1, "title": ["not", "text"], "status": "open", "deps": 5,'
        ' "comments": "none", "created_at": "soon", "assignee": 7},\n'
        ' "a stray string",\n'
        ' {"title": "no id", "status": ""},\n'
        ' {"id": 1, "title": "again", "status": "open"}]'
    )
    tracker, problems = read_riff("riff.json", text)
    assert [t.id for t in tracker.tasks] == ["1", "", "1"]
    assert tracker.tasks[0].title == '["not", "text"]'  # kept as its JSON, not lost
    for line, fragment in [
        (1, "`title` is a list, expected text"),
        (1, "`deps` is a number, expected a list"),
        (1, "`comments` is text"),
        (1, "`created_at` `soon` is not a timestamp"),
        (1, "`assignee` is a number"),
        (2, "task 2 of the Riff export is text, expected an object"),  # its own line
        (3, "task 3 of the Riff export has no `id`"),
        (3, "has no `status`"),
        (4, "Riff task #1 appears twice (also at line 1)"),
    ]:
        assert has(problems, line, fragment), (line, fragment, where(problems))


def test_riff_not_json_keeps_the_tasks_before_the_error() -> None:
    text = '{"tasks": [\n  {"id": 1, "title": "a", "status": "open"},\n  {"id": 2, "title": "b",'
    tracker, problems = read_riff("riff.json", text)
    assert [t.id for t in tracker.tasks] == ["1"]
    assert has(problems, 3, "the Riff export is not valid JSON")
    assert has(problems, 3, "1 task(s) before the error were read")
    assert tracker.unparsed and "title" in tracker.unparsed[0].text


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('{"items": []}', "has no `tasks` list"),
        ('{"tasks": {"a": 1}}', "`tasks` is an object, expected a list"),
        ("42", "is a number, expected a list of tasks"),
    ],
)
def test_riff_wrong_shapes(text: str, fragment: str) -> None:
    tracker, problems = read_riff("riff.json", text)
    assert tracker.tasks == () and has(problems, 1, fragment)


def test_header_fields_only_for_a_real_header() -> None:
    assert header_fields("from:a · to:b · type:handoff\n\nx") == (
        ("from", "a"),
        ("to", "b"),
        ("type", "handoff"),
    )
    assert header_fields("Please note: this is prose · really") == ()
    assert header_fields("") == ()


# --- BASS ---------------------------------------------------------------------------------------


def test_bass_states_and_activity() -> None:
    text = (
        '{"tasks": [\n'
        ' {"id": "T-1", "title": "a", "status": "In Progress", "agent": "frankel", "auto_complete": "yes"},\n'
        ' {"id": "T-2", "title": "b", "status": "doing"}\n'
        '], "activity": [\n'
        ' {"task_id": "T-1", "at": "2026-06-01T10:00:00Z", "agent": "frankel", "from": "todo", "to": "in_progress"},\n'
        ' {"task_id": "T-9", "at": "2026-06-01T10:00:00Z", "agent": "x", "from": "todo", "to": "done"},\n'
        ' {"task_id": "T-1", "agent": "frankel", "from": "in_progress", "to": "finished"},\n'
        ' "junk"\n'
        "]}"
    )
    tracker, problems = read_bass("bass.json", text)
    assert [t.status for t in tracker.tasks] == ["in_progress", "doing"]
    assert tracker.tasks[0].auto_complete is True
    assert [c.after for c in tracker.activity] == ["in_progress", "done", "finished"]
    for line, fragment in [
        (2, "`auto_complete` is text, expected true or false"),
        (3, "BASS task T-2: `status` `doing` is not a BASS state"),
        (6, "is about task T-9, which the export does not hold"),
        (7, "`to` `finished` is not a BASS state"),
        (7, "has no `at` time"),
        (4, "activity row 4 of the BASS export is text"),
    ]:
        assert has(problems, line, fragment), (line, fragment, where(problems))


def test_bass_task_that_is_no_object_is_reported_at_its_own_line() -> None:
    text = (
        '{\n  "tasks": [\n'
        '    {"id": "T-1", "title": "a", "status": "todo"},\n'
        '    "T-2 was here",\n'
        '    {"id": "T-3", "title": "c", "status": "todo"}\n'
        "  ]\n}\n"
    )
    tracker, problems = read_bass("bass.json", text)
    assert [t.id for t in tracker.tasks] == ["T-1", "T-3"]
    assert where(problems) == [
        (4, 'task 2 of the BASS export is text, expected an object; kept as `"T-2 was here"`')
    ]


def test_bass_without_tasks_and_bare_list() -> None:
    _, problems = read_bass("bass.json", '{"activity": []}')
    assert where(problems) == [(1, "the BASS export has no `tasks` list")]
    tracker, problems = read_bass("bass.json", '[{"id": "T-1", "title": "x", "status": "todo"}]')
    assert len(tracker.tasks) == 1 and problems == []


def test_bass_truncated_keeps_tasks_and_activity_read() -> None:
    text = (
        '{"tasks": [{"id": "T-1", "title": "x", "status": "todo"}],\n'
        ' "activity": [{"task_id": "T-1", "at": 1, "agent": "a", "from": "todo", "to": "in_progress"},\n'
        '  {"task_id": "T-1", "at'
    )
    tracker, problems = read_bass("bass.json", text)
    assert len(tracker.tasks) == 1 and len(tracker.activity) == 1
    assert has(problems, 3, "not valid JSON") and has(problems, 3, "1 task(s) and 1 activity")


@pytest.mark.parametrize(
    ("written", "state"),
    [("in-progress", "in_progress"), (" Review ", "review"), ("TODO", "todo"), ("doing", None)],
)
def test_bass_state_spellings(written: str, state: str | None) -> None:
    assert normal_state(written) == state


# --- Backlog.md ---------------------------------------------------------------------------------

BACKLOG_TASK = """---
id: task-12
title: Retry budget reset
status: In Progress
assignee:
  - '@sA'
created_date: 2026-06-01
updated_date: '2026-06-02 10:30'
labels: [payments]
dependencies:
  - task-10
---

## Description

Reset budgets at local midnight.
"""


def test_backlog_task_front_matter() -> None:
    task, problems, raw = read_backlog_task("backlog/tasks/task-12 - Retry.md", BACKLOG_TASK)
    assert task is not None and raw is None and problems == []
    assert (task.id, task.title, task.status, task.assignees) == (
        "task-12",
        "Retry budget reset",
        "In Progress",
        ("sA",),
    )
    assert task.deps == ("task-10",) and task.line_of("dependencies") == 10
    assert task.created is not None and task.created.iso() == "2026-06-01T00:00:00Z"
    assert task.updated is not None and task.updated.iso() == "2026-06-02T10:30:00Z"
    assert task.body.startswith("## Description")


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("# just markdown\n", 1, "has no YAML front matter"),
        ("---\nid: task-1\ntitle: x\n", 1, "never closed"),
        ("---\nid: task-1\ntitle: [unclosed\nstatus: To Do\n---\n", 4, "not valid YAML"),
        ("---\n- a list\n---\n", 2, "the front matter is a list"),
    ],
)
def test_backlog_broken_files_are_kept_raw(text: str, line: int, fragment: str) -> None:
    task, problems, raw = read_backlog_task("backlog/tasks/task-1 - X.md", text)
    assert task is None and raw is not None
    assert has(problems, line, fragment), where(problems)


def test_backlog_wrong_types_and_duplicates() -> None:
    bad = "---\nid: task-1\ntitle: {a: 1}\nstatus: To Do\nlabels: 5\ncreated_date: someday\n---\n"
    tracker, problems = read_backlog(
        "backlog/tasks",
        [
            ("backlog/tasks/a.md", "tasks", bad),
            ("backlog/tasks/b.md", "tasks", bad.replace("{a: 1}", "B")),
        ],
    )
    assert [t.id for t in tracker.tasks] == ["task-1", "task-1"]
    for line, fragment in [
        (3, "`title` is an object, expected text"),
        (5, "`labels` is a number, expected a list"),
        (6, "`created_date` `someday` is not a date"),
        (2, "Backlog.md task task-1 appears twice"),
    ]:
        assert has(problems, line, fragment), (line, fragment, where(problems))


def test_backlog_id_and_title_from_the_file_name() -> None:
    task, _, _ = read_backlog_task(
        "backlog/tasks/task-7 - Hand-over-recon.md", "---\nstatus: Done\n---\n"
    )
    assert task is not None and (task.id, task.title) == ("task-7", "Hand over recon")


# --- the roster ---------------------------------------------------------------------------------

SEED_ROSTER = """# Agent Directory

| Agent ID | Type | How to reach |
|---|---|---|
| `main` | Named (Tila) | `sessions_send(sessionKey="agent:main:main", ...)` |
| `frankel` | Named (Frankel) | `sessions_send(sessionKey="agent:frankel:main", ...)` |
| `dev` | Spawn-only | `sessions_spawn(agentId="dev", ...)` |
| `research` | Spawn-only | `sessions_spawn(agentId="research", ...)` |
"""


def test_roster_in_the_seed_form() -> None:
    roster = read_roster("docs/ai/agents.md", SEED_ROSTER)
    assert roster.problems == ()
    assert [(a.id, a.type, a.name) for a in roster.agents] == [
        ("main", "named", "Tila"),
        ("frankel", "named", "Frankel"),
        ("dev", "spawn-only", None),
        ("research", "spawn-only", None),
    ]
    assert roster.agents[0].source.line == 5
    assert "agent:main:main" in roster.agents[0].reach


def test_roster_with_name_role_columns_and_bad_rows() -> None:
    text = (
        "Session name pool: Sintra · Porto, Lagos\n\n"
        "| Name | Agent ID | Role | Type | How to reach |\n"
        "|---|---|---|---|---|\n"
        "| Tila | main | Orchestrator | named | x |\n"
        "| — | dev | — | spawn only | y |\n"
        "| Ghost | | | Named | z |\n"
        "| Clone | main | | Named | z |\n"
        "| Odd | odd | | Cron | z |\n"
        "a line without cells\n"
    )
    roster = read_roster("docs/ai/agents.md", text)
    assert [(a.id, a.name, a.role, a.type) for a in roster.agents] == [
        ("main", "Tila", "orchestrator", "named"),
        ("dev", None, None, "spawn-only"),
        ("odd", "Odd", None, "Cron"),
    ]
    assert roster.names == ("Sintra", "Porto", "Lagos")
    for line, fragment in [
        (7, "has no readable agent id"),
        (8, "agent main is listed twice (also at line 5)"),
        (9, "agent odd: type `Cron` is neither `Named` nor `Spawn-only`"),
        (10, "has no `|`"),
    ]:
        assert has(roster.problems, line, fragment), (line, fragment, where(roster.problems))


def test_roster_without_a_table() -> None:
    roster = read_roster("docs/ai/agents.md", "# Agents\n\nAsk Tila.\n")
    assert roster.agents == () and has(roster.problems, 1, "no agent table found")


@pytest.mark.parametrize(
    "text",
    [
        "- id: main\n  type: Named\n  name: Tila\n  role: orchestrator\n- id: dev\n  type: spawn-only\n",
        "agents:\n  - id: main\n    type: named\n    name: Tila\n    role: orchestrator\n"
        "  - id: dev\n    type: Spawn-only\nnames: [Sintra, Porto]\n",
        "main:\n  type: Named (Tila)\n  role: orchestrator\ndev:\n  type: Spawn-only\n",
    ],
)
def test_roster_yaml_forms(text: str) -> None:
    roster = read_roster("docs/ai/agents.yml", text)
    assert roster.problems == ()
    assert [(a.id, a.type, a.name, a.role) for a in roster.agents] == [
        ("main", "named", "Tila", "orchestrator"),
        ("dev", "spawn-only", None, None),
    ]
    assert roster.agents[1].source.line is not None


def test_roster_yaml_errors() -> None:
    roster = read_roster("docs/ai/agents.yml", "agents:\n  - id: main\n    type: [named\n")
    assert roster.agents == () and roster.problems[0].message.startswith("the agent roster is not")
    roster = read_roster("docs/ai/agents.yml", "- id: x\n  type: oracle\n- 7\n")
    assert has(roster.problems, 1, "type `oracle` is neither") and has(
        roster.problems, 3, "an agent entry is int"
    )


@pytest.mark.parametrize(
    ("cell", "kind", "name"),
    [
        ("Named (CC Guru)", "named", "CC Guru"),
        ("**Spawn-only**", "spawn-only", None),
        ("spawn", "spawn-only", None),
        ("Persistent", "named", None),
        ("daemon", None, None),
    ],
)
def test_agent_type_cells(cell: str, kind: str | None, name: str | None) -> None:
    assert agent_type(cell) == (kind, name)


# --- transcripts --------------------------------------------------------------------------------


def _lines(*objs: object) -> str:
    return "\n".join(o if isinstance(o, str) else json.dumps(o) for o in objs) + "\n"


def test_transcript_call_shapes() -> None:
    text = _lines(
        {"type": "session", "agentId": "frankel", "timestamp": "2026-06-03T09:00:00Z"},
        {
            "type": "message",
            "timestamp": "2026-06-03T09:01:00Z",
            "message": {
                "role": "assistant",
                "content": [
                    {"type": "text", "text": "sending"},
                    {"type": "toolCall", "name": "sessions_send", "arguments": {"sessionKey": "agent:vinyl:main", "timeoutSeconds": 0}},
                ],
            },
        },
        {"type": "tool_use", "name": "sessions_spawn", "input": {"agentId": "dev", "label": "x", "nested": {"a": [1]}}, "ts": 1780477950},
        {"type": "function_call", "name": "functions.sessions_history", "arguments": '{"sessionKey": "agent:dev:subagent:1"}', "created_at": "2026-06-03T09:05:00Z"},
        {"tool_calls": [{"function": {"name": "subagents", "arguments": "{}"}}], "timestamp": 1780478000000},
        {"tool": "sessions_list", "params": {}, "time": "2026-06-03T09:07:00Z"},
        {"type": "tool_result", "content": [{"type": "text", "text": '{"childSessionKey": "agent:dev:subagent:9f"}'}]},
        {"name": "sessions_send", "input_schema": {"type": "object"}},  # a tool definition
        {"type": "message", "message": {"role": "toolResult", "toolName": "sessions_send", "content": []}},
    )  # fmt: skip
    calls, problems = read_transcript("docs/ai/transcripts/t.jsonl", text)
    assert problems == []
    assert [(c.tool, c.source.line, c.agent) for c in calls] == [
        ("sessions_send", 2, "frankel"),
        ("sessions_spawn", 3, "frankel"),
        ("sessions_history", 4, "frankel"),
        ("subagents", 5, "frankel"),
        ("sessions_list", 6, "frankel"),
    ]
    send, spawn, history, _, _ = calls
    assert send.arg("timeoutSeconds") == 0 and send.at is not None
    assert send.at.iso() == "2026-06-03T09:01:00Z"
    assert spawn.arg("nested") == '{"a": [1]}' and spawn.child == "agent:dev:subagent:9f"
    assert spawn.at is not None and spawn.at.iso() == "2026-06-03T09:12:30Z"
    assert history.arg("sessionKey") == "agent:dev:subagent:1"


def test_transcript_bad_lines_are_reported_and_skipped() -> None:
    text = _lines(
        "not json at all",
        {"name": "sessions_send", "arguments": "{broken", "ts": 1},
        {"name": "sessions_send", "arguments": ["a", "list"], "ts": 1},
        "",
        [{"name": "sessions_send", "arguments": {"sessionKey": "agent:y:main"}}],
        '"just a string"',
        {"name": "sessions_send", "arguments": {"sessionKey": "agent:x:main"}},
    )
    calls, problems = read_transcript("agents/vinyl/sessions/a.jsonl", text)
    assert [c.readable for c in calls] == [False, False, True]
    assert all(c.agent == "vinyl" for c in calls)  # from the path
    assert calls[-1].source.line == 7  # the lines that are no objects were skipped, not read
    assert has(problems, 1, "transcript line 1 is not JSON")
    assert has(problems, 2, "the arguments of `sessions_send` are not a JSON object")
    assert has(problems, 3, "the arguments of `sessions_send` are not a JSON object")
    assert has(problems, 5, "transcript line 5 is JSON but not an object: a list, `[{")
    assert has(problems, 6, 'transcript line 6 is JSON but not an object: text, `"just a string"`')
    assert len(problems) == 5


def test_transcript_problems_are_capped() -> None:
    calls, problems = read_transcript("t.jsonl", "x\n" * 80)
    assert calls == [] and len(problems) == 51
    assert problems[-1].message.startswith("…and 30 more unreadable lines")


@pytest.mark.parametrize(
    ("value", "name"),
    [("sessions_send", "sessions_send"), ("mcp__openclaw__sessions_spawn", "sessions_spawn"),
     ("functions.subagents", "subagents"), ("message", "message"), ("send", None), (3, None)],
)  # fmt: skip
def test_tool_names(value: object, name: str | None) -> None:
    assert tool_name(value) == name


# --- playbooks ----------------------------------------------------------------------------------

PLAYBOOK = '''# Spawn SOP

```python
sessions_spawn(
    agentId="dev",          # or research
    task="""Fix the test.
Write results to checkpoints/x.md""",
    label="fix-x",          # REQUIRED: for tracking
    runTimeoutSeconds=600,  # REQUIRED
    cleanup="keep",
)
```

Reach Tila: `sessions_send(sessionKey="agent:main:main", ...)`.

- ❌ `sessions_send(sessionKey="agent:vinyl:main", message="x")`: never like this

Never do this:

    sessions_spawn(agentId="dev", task="x")

JS: await sessions_send({ sessionKey: "agent:coach:main", message: "hi", timeoutSeconds: 0 })
Code: sessions_send(sessionKey=key, message=f"hello {name}", timeoutSeconds=0)
Broken: sessions_send(sessionKey="agent:x:main", message="no end

Mentioned only: the `sessions_send` tool; also subagents (plural) in prose.
'''


def test_playbook_snippets() -> None:
    calls, problems = read_playbook("agents/claw/SOP.md", PLAYBOOK)
    got = [(c.tool, c.source.line, c.elided, c.counterexample) for c in calls]
    assert got == [
        ("sessions_spawn", 4, False, False),
        ("sessions_send", 14, True, False),
        ("sessions_send", 16, False, True),
        ("sessions_spawn", 20, False, True),
        ("sessions_send", 22, False, False),
        ("sessions_send", 23, False, False),
        ("sessions_send", 24, True, False),
    ]
    spawn = calls[0]
    assert spawn.agent == "claw"
    assert spawn.arg("task") == "Fix the test.\nWrite results to checkpoints/x.md"
    assert (spawn.arg("label"), spawn.arg("runTimeoutSeconds"), spawn.arg("cleanup")) == (
        "fix-x",
        600,
        "keep",
    )
    assert calls[4].arg("sessionKey") == "agent:coach:main" and calls[4].arg("timeoutSeconds") == 0
    assert calls[5].expressions == ("sessionKey", "message") and calls[5].known("timeoutSeconds")
    assert calls[6].arg("sessionKey") == "agent:x:main"
    assert problems == []


def test_playbook_unreadable_snippet_is_reported() -> None:
    calls, problems = read_playbook("docs/ai/p.md", "Call sessions_send( and then nothing\n")
    assert calls == [] and has(problems, 1, "never closes and has no readable arguments")


# --- Telegram -----------------------------------------------------------------------------------


def test_telegram_single_chat() -> None:
    text = (
        '{"name": "PO bridge", "messages": [\n'
        ' {"id": 1, "type": "message", "date": "2026-06-03T10:12:30", "date_unixtime": "1780477950",'
        ' "from": "Dana", "from_id": "user1", "text": [{"type": "bold", "text": "Porto"}, ", hold"]},\n'
        ' {"id": 2, "type": "service", "actor": "Dana", "action": "pin_message"},\n'
        ' {"id": 3, "type": "message", "date": "2026-06-03T10:20:00", "from": "Dana", "text": "local"},\n'
        ' {"id": 4, "type": "message", "from": null, "text": {"odd": true}},\n'
        " 5\n"
        "]}"
    )
    chats, problems = read_telegram("docs/ai/telegram/result.json", text, "Europe/Lisbon")
    (chat,) = chats
    assert chat.name == "PO bridge"
    assert [(m.id, m.sender, m.text) for m in chat.messages] == [
        ("1", "Dana", "Porto, hold"),
        ("3", "Dana", "local"),
        ("4", "", '{"odd": true}'),
    ]
    first, local, _ = chat.messages
    assert first.at is not None and first.at.iso() == "2026-06-03T09:12:30Z"
    assert local.at is not None and local.at.iso() == "2026-06-03T09:20:00Z"  # Lisbon is UTC+1
    assert first.source.line == 2
    for line, fragment in [
        (5, "Telegram message 4: `text` is an object"),
        (5, "Telegram message 4 has no readable `date_unixtime` or `date`"),
        (6, "message 5 of the Telegram export is a number"),  # its own line
    ]:
        assert has(problems, line, fragment), (line, fragment, where(problems))


def test_telegram_account_export_and_bad_shapes() -> None:
    text = json.dumps(
        {"chats": {"list": [{"name": "A", "messages": []}, {"name": "B", "messages": [{"id": 1, "date_unixtime": "1", "from": "x", "text": "y"}]}]}}
    )  # fmt: skip
    chats, problems = read_telegram("result.json", text)
    assert [c.name for c in chats] == ["A", "B"] and problems == []
    chats, problems = read_telegram("docs/ai/telegram/po/result.json", '{"name": "x"}')
    assert chats == [] and has(problems, 1, "has no `messages` list")
    chats, problems = read_telegram("result.json", '{"messages": [{"id": 1, "text": "a"},')
    assert has(problems, 1, "not valid JSON") and len(chats[0].messages) == 1


def test_riff_objects_for_deps_labels_and_assignees() -> None:
    text = json.dumps(
        [
            {
                "id": 5,
                "title": "x",
                "status": "open",
                "deps": [{"id": 4}],
                "labels": [{"name": "payments", "color": "f00"}],
                "assignees": [{"login": "sintra"}, "@porto"],
            }
        ]
    )
    tracker, problems = read_riff("riff.json", text)
    (task,) = tracker.tasks
    assert (task.deps, task.labels, task.assignees) == (("4",), ("payments",), ("sintra", "@porto"))
    assert problems == []


def test_people_as_objects_and_activity_time_aliases() -> None:
    bass = json.dumps(
        {
            "tasks": [{"id": "T-1", "title": "x", "status": "review", "agent": {"name": "vinyl"}}],
            "activity": [
                {"task_id": "T-1", "timestamp": "2026-06-01T10:00:00Z", "agent": {"id": "vinyl"},
                 "from": "in_progress", "to": "review"}
            ],
        }
    )  # fmt: skip
    tracker, problems = read_bass("bass.json", bass)
    assert problems == [] and tracker.tasks[0].assignees == ("vinyl",)
    change = tracker.activity[0]
    assert change.agent == "vinyl" and change.at is not None
    riff = '[{"id": 1, "title": "x", "status": "open", "comments": [{"author": {"login": "po:sA"}, "body": "ok"}]}]'
    tracker, problems = read_riff("riff.json", riff)
    assert problems == [] and tracker.tasks[0].comments[0].author == "po:sA"
