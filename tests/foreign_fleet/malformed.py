"""Broken exports: what a crashed exporter, a hand edit or a wrong tool version leaves behind."""

from __future__ import annotations

import json
from pathlib import Path

from tests.foreign.kit import Repo
from tests.foreign_fleet.bridge import tg
from tests.foreign_fleet.kit import (
    ANY_LINE,
    BACKLOG,
    BASS,
    HUMAN,
    RIFF,
    ROSTER_MD,
    ROSTER_YML,
    TELEGRAM,
    Built,
    FleetSet,
    absent,
    commit,
    init_code,
    plant,
)

# ---------------------------------------------------------------------------------------------
# 10. Truncated, wrongly typed, not JSON at all.
# ---------------------------------------------------------------------------------------------

RIFF_TRUNCATED = """[
  {"id": "412", "title": "Payments retry budget", "status": "in progress", "assignee": "Sintra"},
  {"id": "415", "title": "Web banner rol"""

BASS_WRONG_TYPES = """{
  "tasks": [
    {"id": "T-1", "title": "Status is a number", "status": 3, "agent": "vinyl"},
    "T-2 was here",
    {"id": "T-3", "title": "A good task among bad ones", "status": "todo", "agent": "frankel", "project": "ops"}
  ],
  "activity": {"task_id": "T-1", "from": "todo", "to": "done"}
}
"""

TRANSCRIPT = "agents/vinyl/sessions/2026-06-02.jsonl"
TRANSCRIPT_TEXT = (
    '{"type": "session", "timestamp": "2026-06-02T08:00:00Z"}\n'
    "Traceback (most recent call last): the exporter crashed here\n"
    "[1, 2, 3]\n"
    "\n"
    '{"timestamp": "2026-06-02T08:05:00Z", "type": "tool_call", "name": "sessions_send", '
    '"arguments": {"sessionKey": "agent:frankel:main", "message": "after the crash"}}\n'
    '{"timestamp": "2026-06-02T08:06:00Z", "type": "tool_call", "name": "sessions_spawn", '
    '"arguments": "{\\"agentId\\": \\"dev\\", \\"task\\": \\"half a JSON'
    "\n"
)

ROSTER_BROKEN = """# Agent directory

| Agent ID | Type | How to reach |
|---|---|---|
| main | Named (Tila) | sessions_send(sessionKey="agent:main:main", ...) |
| frankel | Persistent-ish | sessions_send(sessionKey="agent:frankel:main", ...) |
| dev | Spawn-only | sessions_spawn(agentId="dev", ...) |
"""

BACKLOG_BROKEN = """---
id: task-3
title: [unclosed bracket
status: To Do
---

The exporter mangled this one.
"""

TG_PIECES = json.dumps(
    {
        "name": "bridge",
        "type": "private_group",
        "id": 1,
        "messages": [
            tg(
                301,
                "09:00",
                "Dana",
                "user5550001",
                ["", {"type": "bold", "text": "sA"}, " please rotate the sandbox keys today."],
            ),
            tg(
                302,
                "09:05",
                "Dana",
                "user5550001",
                [{"type": "link", "text": "https://example.invalid"}],
            ),
        ],
    },
    indent=1,
    ensure_ascii=False,
)


def _malformed_a(root: Path) -> Built:
    repo = Repo(root)
    built = Built(root)
    init_code(repo)
    repo.write(RIFF, RIFF_TRUNCATED)
    repo.write(BASS, BASS_WRONG_TYPES)
    repo.write(TRANSCRIPT, TRANSCRIPT_TEXT)
    repo.write(ROSTER_MD, ROSTER_BROKEN)
    repo.write(f"{BACKLOG}/task-3 - Broken.md", BACKLOG_BROKEN)
    repo.write(TELEGRAM, TG_PIECES + "\n")
    commit(repo, built, "2026-06-02T10:00", "chore(ai): exports", author=HUMAN)
    return built


MALFORMED_A = FleetSet(
    name="malformed_a",
    summary="a truncated Riff export, a BASS export with wrongly typed tasks and activity, a "
    "transcript with a traceback line, a non-object line and a cut-off line, a roster row of "
    "unknown type, Backlog.md front matter that is not YAML, Telegram text as a list of pieces",
    build=_malformed_a,
    malformed=True,
    site=True,
    plants=(
        plant("export-parse", RIFF, ANY_LINE),
        plant("export-parse", BASS, '"status": 3', "T-1"),
        plant(
            "export-parse",
            BASS,
            '"T-2 was here"',
        ),
        plant("export-parse", BASS, '"activity"'),
        plant("export-parse", TRANSCRIPT, "Traceback"),
        plant(
            "export-parse",
            TRANSCRIPT,
            "[1, 2, 3]",
        ),
        plant("export-parse", TRANSCRIPT, "half a JSON"),
        plant("send-without-timeout-zero", TRANSCRIPT, "after the crash", "agent:frankel:main"),
        plant("export-parse", ROSTER_MD, "Persistent-ish", "frankel"),
        plant("export-parse", f"{BACKLOG}/task-3 - Broken.md", ANY_LINE),
    ),
    absents=(
        absent("export-parse", TELEGRAM, ANY_LINE, "text as a list of pieces is the format"),
        absent("export-parse", BASS, '"A good task among bad ones"', "T-3 is valid"),
    ),
)


# ---------------------------------------------------------------------------------------------
# 11. Unknown states and the wrong containers.
# ---------------------------------------------------------------------------------------------

BASS_UNKNOWN = """{
  "tasks": [
    {"id": "T-5", "title": "Unknown state", "status": "doing", "agent": "vinyl", "project": "web"},
    {"id": "T-6", "title": "Known state", "status": "review", "agent": "vinyl", "project": "web"}
  ],
  "activity": [
    {"task_id": "T-5", "at": "2026-06-02T09:00:00Z", "agent": "vinyl", "from": "todo", "to": "doing"},
    {"task_id": "T-6", "at": "2026-06-02T09:10:00Z", "agent": "vinyl", "from": "in_progress", "to": "review"}
  ]
}
"""

RIFF_NO_LIST = '{"tasks": "see the attachment in the e-mail"}\n'
TG_NO_LIST = '{"name": "bridge", "type": "private_group", "messages": {"id": 1, "text": "hi"}}\n'
ROSTER_YAML_BROKEN = "agents:\n  - {id: main, type: Named\n  - {id: dev, type: Spawn-only}\n"
NUL_TRANSCRIPT = "docs/ai/transcripts/binary.jsonl"


def _malformed_b(root: Path) -> Built:
    repo = Repo(root)
    built = Built(root)
    init_code(repo)
    repo.write(BASS, BASS_UNKNOWN)
    repo.write(RIFF, RIFF_NO_LIST)
    repo.write(TELEGRAM, TG_NO_LIST)
    repo.write(ROSTER_YML, ROSTER_YAML_BROKEN)
    repo.write(NUL_TRANSCRIPT, b'{"ts": "2026-06-02T08:00:00Z"}\n\x00\x00\x00\n')
    commit(repo, built, "2026-06-02T10:00", "chore(ai): exports", author=HUMAN)
    return built


MALFORMED_B = FleetSet(
    name="malformed_b",
    summary="a BASS state outside the protocol ('doing'), a Riff export whose tasks is a string, "
    "a Telegram export whose messages is an object, a YAML roster that is not YAML, a transcript "
    "with NUL bytes",
    build=_malformed_b,
    malformed=True,
    site=False,
    plants=(
        plant("export-parse", BASS, '"status": "doing"', "doing"),
        plant(("export-parse", "bass-illegal-transition"), BASS, '"to": "doing"', "doing"),
        plant("export-parse", RIFF, ANY_LINE),
        plant("export-parse", TELEGRAM, ANY_LINE),
        plant("export-parse", ROSTER_YML, ANY_LINE),
        plant("file-unreadable", NUL_TRANSCRIPT, ANY_LINE),
    ),
    absents=(
        absent(("export-parse", "bass-illegal-transition"), BASS, '"to": "review"', "T-6 is fine"),
    ),
)

SETS = (MALFORMED_A, MALFORMED_B)
