"""Agent-fleet teams: transcripts in several JSONL shapes with a YAML roster; playbooks and skills."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.foreign.kit import Repo
from tests.foreign_fleet.kit import (
    ANY_LINE,
    ROSTER_YML,
    Built,
    FleetSet,
    Span,
    absent,
    commit,
    init_code,
    jsonl,
    one,
    plant,
)

YAML_ROSTER = """# Fleet roster, kept by Tila. Named agents keep a session; spawn-only workers are templates.
names: [Sintra, Porto]
agents:
  - id: main
    name: Tila
    type: Named
    role: orchestrator
    reach: sessions_send(sessionKey="agent:main:main", ...)
  - id: frankel
    name: Frankel
    type: Named
    role: pm
  - id: vinyl
    name: Vinyl
    type: Named
    role: pm
  - id: openclaw-support
    name: Claw
    type: Named
  - id: dev
    type: Spawn-only
    reach: sessions_spawn(agentId="dev", ...)
  - id: research
    type: Spawn-only
    reach: sessions_spawn(agentId="research", ...)
"""

OUT = "Write results to /home/ops/.openclaw/workspace/checkpoints/subagent-{}.md"

# ---------------------------------------------------------------------------------------------
# 4. Transcripts: frankel's file is found by its path, vinyl's by its metadata line.
# ---------------------------------------------------------------------------------------------

FRANKEL = "agents/frankel/sessions/2026-06-02.jsonl"
FRANKEL_EVE = "agents/frankel/sessions/2026-06-01.jsonl"
VINYL = "docs/ai/transcripts/2026-06-02-night.jsonl"


def _nested(when: str, name: str, args: dict[str, Any], call_id: str) -> dict[str, Any]:
    """The assistant-message shape: the call is an item of the message content."""
    return {
        "type": "message",
        "timestamp": f"2026-06-02T{when}:00.000Z",
        "message": {
            "role": "assistant",
            "content": [
                {"type": "text", "text": "On it."},
                {"type": "toolCall", "id": call_id, "name": name, "arguments": args},
            ],
        },
    }


def _flat(when: str, name: str, key: str, args: Any, call_id: str) -> dict[str, Any]:
    """The flat tool-call event shape, with the arguments under ``key`` (object or JSON string)."""
    return {
        "ts": f"2026-06-02T{when}:00Z",
        "type": "tool_call",
        "id": call_id,
        "tool": name,
        key: args,
    }


def _spawn(label: str | None, brief: str, **more: Any) -> dict[str, Any]:
    args: dict[str, Any] = {"agentId": more.pop("agentId", "dev"), "task": brief}
    if label is not None:
        args["label"] = label
    args.update(more)
    return args


FR: dict[str, dict[str, Any]] = {
    "meta": {"type": "session", "version": 3, "id": "fr-0602", "timestamp": "2026-06-02T00:00:00Z"},
    # The child spawned at 23:58 yesterday (the previous day's file), checked twice after midnight.
    "midnight_1": _flat(
        "00:01",
        "sessions_history",
        "arguments",
        {"sessionKey": "agent:dev:subagent:midnight"},
        "c-m1",
    ),
    "midnight_2": _flat(
        "00:03",
        "sessions_history",
        "arguments",
        {"sessionKey": "agent:dev:subagent:midnight"},
        "c-m2",
    ),
    "user": {
        "type": "message",
        "timestamp": "2026-06-02T08:00:00Z",
        "message": {"role": "user", "content": "Morning sync."},
    },
    "send_ok": _nested(
        "08:01",
        "sessions_send",
        {
            "sessionKey": "agent:vinyl:main",
            "message": "Release notes are ready.",
            "timeoutSeconds": 0,
        },
        "c-send-ok",
    ),
    "send_no_timeout": _nested(
        "08:02",
        "sessions_send",
        {"sessionKey": "agent:main:main", "message": "T-22 merged."},
        "c-no-timeout",
    ),
    "send_timeout_30": _flat(
        "08:03",
        "sessions_send",
        "arguments",
        json.dumps(
            {"sessionKey": "agent:vinyl:main", "message": "Ping about T-16.", "timeoutSeconds": 30}
        ),
        "c-timeout-30",
    ),
    "send_spawn_only": _flat(
        "08:04",
        "sessions_send",
        "arguments",
        {"sessionKey": "agent:dev:main", "message": "Fix the flaky test.", "timeoutSeconds": 0},
        "c-to-dev",
    ),
    "send_unknown": _flat(
        "08:05",
        "sessions_send",
        "params",
        {"sessionKey": "agent:vinly:main", "message": "Typo in the key.", "timeoutSeconds": 0},
        "c-vinly",
    ),
    "send_bare": _flat(
        "08:06",
        "sessions_send",
        "args",
        {"sessionKey": "coach", "message": "Bare key.", "timeoutSeconds": 0},
        "c-bare",
    ),
    "spawn_no_label": _flat(
        "08:10",
        "sessions_spawn",
        "input",
        _spawn(
            None,
            "Fix the flaky checkout test. " + OUT.format("flaky"),
            runTimeoutSeconds=600,
            cleanup="keep",
        ),
        "c-no-label",
    ),
    "spawn_no_timeout": _flat(
        "08:11",
        "sessions_spawn",
        "args",
        _spawn(
            "csv-quotes",
            "Quote commas in the ledger CSV. " + OUT.format("csv-quotes"),
            cleanup="keep",
        ),
        "c-no-timeout-spawn",
    ),
    "spawn_delete": _nested(
        "08:12",
        "sessions_spawn",
        _spawn(
            "tz-audit",
            "Audit time zones in the payout job. " + OUT.format("tz-audit"),
            runTimeoutSeconds=300,
            cleanup="delete",
        ),
        "c-delete",
    ),
    "spawn_no_cleanup": _flat(
        "08:13",
        "sessions_spawn",
        "arguments",
        json.dumps(
            _spawn(
                "ci-cache",
                "Speed up the CI cache. " + OUT.format("ci-cache"),
                runTimeoutSeconds=1200,
            )
        ),
        "c-no-cleanup",
    ),
    "spawn_no_output": _flat(
        "08:14",
        "sessions_spawn",
        "input",
        _spawn(
            "rate-limits",
            "Compare the Discogs and MusicBrainz rate limits and tell me which is stricter.",
            agentId="research",
            runTimeoutSeconds=600,
            cleanup="keep",
        ),
        "c-no-output",
    ),
    "spawn_watched": _nested(
        "09:00",
        "sessions_spawn",
        _spawn(
            "r6-discogs",
            "Set up the Discogs client. " + OUT.format("r6-discogs"),
            agentId="research",
            runTimeoutSeconds=600,
            cleanup="keep",
        ),
        "c-r6",
    ),
    "poll_1": _nested(
        "09:02",
        "sessions_history",
        {"sessionKey": "agent:research:subagent:r6-discogs", "limit": 5},
        "c-p1",
    ),
    "poll_2": _nested(
        "09:04",
        "sessions_history",
        {"sessionKey": "agent:research:subagent:r6-discogs", "limit": 5},
        "c-p2",
    ),
    "poll_3": _nested(
        "09:06",
        "sessions_history",
        {"sessionKey": "agent:research:subagent:r6-discogs", "limit": 5},
        "c-p3",
    ),
    "spawn_patient": _nested(
        "10:00",
        "sessions_spawn",
        _spawn(
            "ledger-s",
            "Rename the ledger columns. " + OUT.format("ledger-s"),
            runTimeoutSeconds=300,
            cleanup="keep",
        ),
        "c-ledger",
    ),
    "check_once": _nested("10:08", "subagents", {"action": "list"}, "c-check"),
    "spawn_alpha": _flat(
        "10:30",
        "sessions_spawn",
        "arguments",
        _spawn(
            "alpha", "Alpha task. " + OUT.format("alpha"), runTimeoutSeconds=300, cleanup="keep"
        ),
        "c-alpha",
    ),
    "spawn_beta": _flat(
        "10:31",
        "sessions_spawn",
        "arguments",
        _spawn("beta", "Beta task. " + OUT.format("beta"), runTimeoutSeconds=300, cleanup="keep"),
        "c-beta",
    ),
    "poll_alpha": _flat(
        "10:33", "sessions_history", "arguments", {"sessionKey": "agent:dev:subagent:alpha"}, "c-pa"
    ),
    "poll_beta": _flat(
        "10:34", "sessions_history", "arguments", {"sessionKey": "agent:dev:subagent:beta"}, "c-pb"
    ),
    "spawn_gamma": _flat(
        "11:00",
        "sessions_spawn",
        "arguments",
        _spawn(
            "gamma", "Gamma task. " + OUT.format("gamma"), runTimeoutSeconds=300, cleanup="keep"
        ),
        "c-gamma",
    ),
    "list_all": _flat("11:02", "subagents", "arguments", {"action": "list"}, "c-list"),
    "poll_gamma": _flat(
        "11:04", "sessions_history", "arguments", {"sessionKey": "agent:dev:subagent:gamma"}, "c-pg"
    ),
}

FR_EVE = {
    "ts": "2026-06-01T23:58:00Z",
    "type": "tool_call",
    "id": "c-midnight",
    "tool": "sessions_spawn",
    "arguments": _spawn(
        "midnight",
        "Nightly dedupe. " + OUT.format("midnight"),
        runTimeoutSeconds=600,
        cleanup="keep",
    ),
}

VI: dict[str, dict[str, Any]] = {
    "meta": {"type": "metadata", "agent": "vinyl", "started_at": "2026-06-02T02:00:00Z"},
    "openai_send": {
        "created_at": "2026-06-02T02:20:00Z",
        "role": "assistant",
        "tool_calls": [
            {
                "id": "call_1",
                "type": "function",
                "function": {
                    "name": "sessions_send",
                    "arguments": json.dumps(
                        {"sessionKey": "agent:frankel:main", "message": "Recon done."}
                    ),
                },
            }
        ],
    },
    "dnd_0330": {
        "timestamp": "2026-06-02T02:30:00Z",
        "type": "tool_call",
        "name": "message",
        "arguments": {
            "action": "send",
            "channel": "telegram",
            "target": "human",
            "message": "Nightly recon finished.",
        },
    },
    "dnd_2300_eve": {
        "timestamp": "2026-06-01T22:00:00Z",
        "type": "tool_call",
        "name": "message",
        "arguments": {
            "action": "send",
            "channel": "telegram",
            "target": "human",
            "message": "Late deploy done.",
        },
    },
    "after_dnd_0630": {
        "timestamp": "2026-06-02T05:30:00Z",
        "type": "tool_call",
        "name": "message",
        "arguments": {
            "action": "send",
            "channel": "telegram",
            "target": "human",
            "message": "Early brief is up.",
        },
    },
    "after_dnd_0830": {
        "timestamp": "2026-06-02T07:30:00Z",
        "type": "tool_call",
        "name": "message",
        "arguments": {
            "action": "send",
            "channel": "telegram",
            "target": "human",
            "message": "Morning brief is up.",
        },
    },
}

TO_HUMAN = "docs/ai/sessions/queue/to-human.md"
TO_HUMAN_TEXT = """## 2026-06-02T03:05Z · from:frankel · to:human · type:info · status:sent

Recon found 3 mismatches; details in checkpoints/recon.md.

## 2026-06-02T07:10Z · from:frankel · to:human · type:info · status:sent

Morning: the 3 mismatches are explained in checkpoints/recon.md.
"""


def _transcripts(root: Path) -> Built:
    repo = Repo(root)
    built = Built(root)
    init_code(repo)
    repo.write(
        "statusboard.toml",
        '[agents]\ntimezone = "Europe/Lisbon"\ndnd_start = "22:30"\ndnd_end = "06:00"\n',
    )
    repo.write(ROSTER_YML, YAML_ROSTER)
    commit(repo, built, "2026-06-01T18:00", "docs(ai): roster and team zone", author="Ana Human")
    repo.write(FRANKEL, jsonl(FR.values()))
    repo.write(FRANKEL_EVE, jsonl([FR_EVE]))
    repo.write(VINYL, jsonl(VI.values()))
    repo.write(TO_HUMAN, TO_HUMAN_TEXT)
    commit(repo, built, "2026-06-02T10:30", "chore(ai): archive transcripts", author="Ana Human")
    return built


def _fr(key: str) -> str:
    return one(FR[key])


def _vi(key: str) -> str:
    return one(VI[key])


TRANSCRIPTS = FleetSet(
    name="transcripts",
    summary="YAML roster, Europe/Lisbon team with a 22:30–06:00 DND window; transcripts with nested content calls, flat events "
    "with arguments/input/args/params as object or JSON string, OpenAI function calls; the agent "
    "from the path (agents/<id>/…) or from a metadata line",
    build=_transcripts,
    plants=(
        plant("send-without-timeout-zero", FRANKEL, _fr("send_no_timeout"), "agent:main:main"),
        plant("send-without-timeout-zero", FRANKEL, _fr("send_timeout_30"), "agent:vinyl:main"),
        plant("send-without-timeout-zero", VINYL, _vi("openai_send"), "agent:frankel:main"),
        plant("send-to-spawn-only", FRANKEL, _fr("send_spawn_only"), "dev"),
        plant("send-to-unknown-session", FRANKEL, _fr("send_unknown"), "agent:vinly:main"),
        plant("send-to-unknown-session", FRANKEL, _fr("send_bare"), "coach"),
        plant("spawn-missing-label", FRANKEL, _fr("spawn_no_label"), "dev"),
        plant("spawn-missing-timeout", FRANKEL, _fr("spawn_no_timeout"), "csv-quotes"),
        plant("spawn-cleanup-not-keep", FRANKEL, _fr("spawn_delete"), "tz-audit"),
        plant("spawn-cleanup-not-keep", FRANKEL, _fr("spawn_no_cleanup"), "ci-cache"),
        plant("spawn-brief-no-output-path", FRANKEL, _fr("spawn_no_output"), "rate-limits"),
        plant("busy-polling", FRANKEL, _fr("poll_2"), "r6-discogs"),
        plant(
            "busy-polling",
            FRANKEL,
            Span(_fr("midnight_1"), _fr("midnight_2")),
            "midnight",
        ),
        plant("busy-polling", FRANKEL, Span(_fr("list_all"), _fr("poll_gamma")), "gamma"),
        plant("dnd-announcement", VINYL, _vi("dnd_0330"), "vinyl"),
        plant("dnd-announcement", VINYL, _vi("dnd_2300_eve"), "vinyl"),
        plant("dnd-announcement", TO_HUMAN, "03:05Z · from:frankel", "frankel"),
    ),
    absents=(
        absent(
            ("send-without-timeout-zero", "send-to-unknown-session", "send-to-spawn-only"),
            FRANKEL,
            _fr("send_ok"),
            "a correct send",
        ),
        absent("busy-polling", FRANKEL, _fr("check_once"), "one check after the deadline"),
        absent("busy-polling", FRANKEL, _fr("poll_1"), "the first check is allowed"),
        absent(
            "busy-polling",
            FRANKEL,
            Span(_fr("spawn_alpha"), _fr("poll_beta")),
            "one check each of two different children",
        ),
        absent("dnd-announcement", VINYL, _vi("after_dnd_0830"), "08:30 in Lisbon is after DND"),
        absent(
            "dnd-announcement", VINYL, _vi("after_dnd_0630"), "06:30 in Lisbon is after a 06:00 end"
        ),
        absent("dnd-announcement", TO_HUMAN, "07:10Z · from:frankel", "08:10 in Lisbon"),
        absent(
            (
                "spawn-missing-label",
                "spawn-missing-timeout",
                "spawn-cleanup-not-keep",
                "spawn-brief-no-output-path",
            ),
            FRANKEL,
            _fr("spawn_watched"),
            "a correct spawn",
        ),
    ),
)


# ---------------------------------------------------------------------------------------------
# 5. Playbooks: the seed's protocol as the team's markdown, a skill with multi-line snippets.
# ---------------------------------------------------------------------------------------------

PROTOCOL = "docs/ai/playbooks/inter-agent.md"
PROTOCOL_TEXT = """# Inter-agent communication protocol

Version 2.0. All agent-to-agent communication routes through two patterns.

## Pattern 1: `sessions_send` — persistent named agents

Use for Tila, Frankel, Vinyl, Claw, CC Guru, Coach.

```python
sessions_send(
    sessionKey="agent:<agentId>:main",
    message="...",
    timeoutSeconds=0  # ALWAYS — fire-and-forget
)
```

Examples:

```python
sessions_send(sessionKey="agent:vinyl:main", message="...", timeoutSeconds=0)
sessions_send(sessionKey="agent:frankel:main", message="...", timeoutSeconds=0)
```

To check the result later: `sessions_history(sessionKey="agent:<id>:main", limit=5)`.

## Pattern 2: `sessions_spawn` — spawn-only worker templates

```python
sessions_spawn(
    agentId="dev",             # or research
    task="...",
    label="short-label",       # REQUIRED: for tracking
    runTimeoutSeconds=600,     # REQUIRED: always set a timeout
    cleanup="keep",            # REQUIRED: so output is readable
    model="github-copilot/claude-sonnet-4.6"  # optional override
)
```

## Anti-patterns (never do these)

- ❌ `sessions_send` without `timeoutSeconds=0` — will appear to fail under load
- ❌ `sessions_spawn` without `label`, `runTimeoutSeconds`, `cleanup` — loses output
- ❌ Busy-polling sub-agents — one check after `timeout + 2m` max
- ❌ `sessions_send` to spawn-only workers — they have no persistent session
"""

SKILL = "skills/nightly-recon/SKILL.md"
SKILL_TEXT = """---
name: nightly-recon
description: Reconcile the ledger at night and brief the team in the morning.
---

# Nightly recon

1. Spawn the worker (a medium task):

```python
sessions_spawn(
    agentId="research",
    task="Reconcile yesterday's ledger against the bank file. "
         "Write results to checkpoints/subagent-recon.md",
    label="recon-nightly",       # shows up in subagents list
    runTimeoutSeconds = 600,     # M
    cleanup = "keep",
)
```

2. Spawn the fixer if the recon finds mismatches:

```python
sessions_spawn(
    agentId="dev",
    task="Fix the ledger mismatches listed by the recon.",  # brief
    label="recon-fix",
    # runTimeoutSeconds=600,   (left out on purpose while we measure)
    cleanup="keep",
)
```

3. Tell Frankel, without waiting:

```python
sessions_send(
    sessionKey="agent:frankel:main",
    message="Recon done, see checkpoints/subagent-recon.md",
    # timeoutSeconds=0   TODO put back
)
```

4. And the archive runbook, in one line:
`sessions_send(sessionKey="agent:research:main", message="Archive the recon.", timeoutSeconds=0)`
"""

RUNBOOK = "docs/ai/runbooks/survey.txt"
RUNBOOK_TEXT = """Survey runbook
==============

sessions_spawn(agentId='research', task='Survey the payout providers. Save the findings to out/survey.json', label='survey', runTimeoutSeconds=1200, cleanup='keep')

Then, after 22 minutes at the earliest:
sessions_history(sessionKey='agent:research:subagent:survey', limit=5)
"""

AGENTS_MD = "AGENTS.md"
AGENTS_MD_TEXT = """# Working in this repository

Tell the orchestrator when you finish:

    sessions_send(sessionKey="agent:main:main", message="Done with the payout page.", timeoutSeconds=0)
"""


PROMPT = "agents/vinyl/prompts/morning.md"
PROMPT_TEXT = """# Morning brief

At 08:00 send the brief to Tila:

    sessions_send(sessionKey="agent:main:main", message="Morning brief: see checkpoints/brief.md", timeoutSeconds=30)
"""


def _playbooks(root: Path) -> Built:
    repo = Repo(root)
    built = Built(root)
    init_code(repo)
    repo.write("docs/ai/agents.md", _SEED_DIRECTORY)
    repo.write(PROTOCOL, PROTOCOL_TEXT)
    repo.write(SKILL, SKILL_TEXT)
    repo.write(RUNBOOK, RUNBOOK_TEXT)
    repo.write(AGENTS_MD, AGENTS_MD_TEXT)
    repo.write(PROMPT, PROMPT_TEXT)
    commit(
        repo,
        built,
        "2026-06-01T18:00",
        "docs(ai): protocol, skills and runbooks",
        author="Ana Human",
    )
    return built


_SEED_DIRECTORY = """# Agent directory

| Agent ID | Type | How to reach |
|---|---|---|
| main | Named (Tila) | sessions_send(sessionKey="agent:main:main", ...) |
| frankel | Named (Frankel) | sessions_send(sessionKey="agent:frankel:main", ...) |
| vinyl | Named (Vinyl) | sessions_send(sessionKey="agent:vinyl:main", ...) |
| dev | Spawn-only | sessions_spawn(agentId="dev", ...) |
| research | Spawn-only | sessions_spawn(agentId="research", ...) |
"""

_CALL_RULES = (
    "send-without-timeout-zero",
    "send-to-spawn-only",
    "send-to-unknown-session",
    "spawn-missing-label",
    "spawn-missing-timeout",
    "spawn-cleanup-not-keep",
    "spawn-brief-no-output-path",
)

PLAYBOOKS = FleetSet(
    name="playbooks",
    summary="the seed's protocol as markdown (must lint clean), a skill with multi-line snippets "
    "whose `#` comments hide arguments, a one-line runbook in single quotes, an AGENTS.md",
    build=_playbooks,
    plants=(
        plant(
            "spawn-missing-timeout",
            SKILL,
            Span('label="recon-fix"', ")", up="sessions_spawn("),
            "recon-fix",
        ),
        plant(
            "spawn-brief-no-output-path",
            SKILL,
            Span('label="recon-fix"', ")", up="sessions_spawn("),
            "recon-fix",
        ),
        plant(
            "send-without-timeout-zero",
            SKILL,
            Span('sessionKey="agent:frankel:main"', ")", up="sessions_send("),
            "agent:frankel:main",
        ),
        plant("send-to-spawn-only", SKILL, 'sessionKey="agent:research:main"', "research"),
        plant("send-without-timeout-zero", PROMPT, "timeoutSeconds=30", "agent:main:main"),
    ),
    absents=(
        absent(_CALL_RULES, PROTOCOL, ANY_LINE, "the seed's own text is the rule"),
        absent(_CALL_RULES, RUNBOOK, ANY_LINE, "a correct one-line spawn"),
        absent(_CALL_RULES, AGENTS_MD, ANY_LINE, "a correct send"),
        absent(_CALL_RULES, "docs/ai/agents.md", ANY_LINE, "the directory's elided sketches"),
        absent(
            _CALL_RULES,
            SKILL,
            Span('label="recon-nightly"', ")", up="sessions_spawn("),
            "a correct multi-line spawn",
        ),
    ),
)

SETS = (TRANSCRIPTS, PLAYBOOKS)
