"""The demo's tracker exports, agent roster, transcripts, playbooks and Telegram chats.

po-platform's sessions track their work in Riff (and, during the Riff outage of day two, in a
Backlog.md bridge); a small fleet of named agents — Tila the orchestrator, Frankel, Vinyl and Claw
— runs the ops and release work in BASS and spawns `dev` and `research` workers. Everything is
relative to the story's clock, so the demo stays the same board whatever day it is built.
A few misuses are planted (see `Plant`); the rest follows the protocol.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from generator.timeutil import iso

ZONE = "Europe/Lisbon"
PERSON = "Dana Human"
ROSTER = "docs/ai/agents.md"
RIFF = "docs/ai/tracker/riff.json"
BASS = "docs/ai/tracker/bass.json"
BACKLOG = "backlog/tasks"
BRIDGE_CHAT = "docs/ai/telegram/po-bridge/result.json"
TILA_CHAT = "docs/ai/telegram/tila/result.json"
FRANKEL_LOG = "agents/frankel/sessions/s-7c21.jsonl"
VINYL_LOG = "agents/vinyl/sessions/s-19e4.jsonl"
PROTOCOL = "docs/ai/playbooks/inter-agent.md"
SPAWN_SOP = "docs/ai/playbooks/spawn-sop.md"

Clock = Callable[..., datetime]  # the story's `t(hours, minutes)`: that long before now


@dataclass(frozen=True, slots=True)
class Plant:
    """A planted misuse: the rule, the file, a text found on exactly the line reported, and why."""

    rule: str
    path: str
    needle: str
    why: str


def _text(block: str) -> str:
    return textwrap.dedent(block).strip("\n") + "\n"


def _line(obj: Mapping[str, object]) -> str:
    return json.dumps(obj, ensure_ascii=False)


class _Fleet:
    def __init__(self, t: Clock, now: datetime) -> None:
        self.t = t
        self.now = now
        self.files: dict[str, str] = {}
        self.plants: list[Plant] = []

    def at(self, hours: int, minutes: int = 0) -> str:
        return iso(self.t(hours, minutes))

    def local(self, day_offset: int, hh: int, mm: int) -> datetime:
        """`hh:mm` Lisbon time on the day of (now - 30 h) plus `day_offset` days, in UTC."""
        zone = ZoneInfo(ZONE)
        day = (self.now - timedelta(hours=30)).astimezone(zone).date() + timedelta(days=day_offset)
        return datetime.combine(day, time(hh, mm), zone).astimezone(UTC)

    def daytime(self, moment: datetime) -> datetime:
        """`moment`, or 08:15 Lisbon time that day when it falls in the 03:00–08:00 DND window."""
        local = moment.astimezone(ZoneInfo(ZONE))
        if 3 <= local.hour < 8 or (local.hour == 8 and local.minute < 15):
            return datetime.combine(local.date(), time(8, 15), local.tzinfo).astimezone(UTC)
        return moment

    def plant(self, rule: str, path: str, needle: str, why: str) -> None:
        self.plants.append(Plant(rule, path, needle, why))

    # --- the roster ----------------------------------------------------------------------

    def roster(self) -> None:
        self.files[ROSTER] = _text(
            """
            # Agent directory — po-platform

            The agent fleet that runs ops and release work beside the coding sessions (the
            inter-agent protocol, v2.0; playbook: `docs/ai/playbooks/inter-agent.md`). Named agents
            keep a session and are reached with `sessions_send` (always `timeoutSeconds=0`);
            spawn-only workers are started with `sessions_spawn` by the agent that owns the task.

            | Agent ID | Name | Type | Role | How to reach |
            |---|---|---|---|---|
            | `main` | Tila | Named | orchestrator | `sessions_send(sessionKey="agent:main:main", ...)` |
            | `frankel` | Frankel | Named | payments PM | `sessions_send(sessionKey="agent:frankel:main", ...)` |
            | `vinyl` | Vinyl | Named | release manager | `sessions_send(sessionKey="agent:vinyl:main", ...)` |
            | `openclaw-support` | Claw | Named | ops | `sessions_send(sessionKey="agent:openclaw-support:main", ...)` |
            | `dev` | — | Spawn-only | worker | `sessions_spawn(agentId="dev", ...)` |
            | `research` | — | Spawn-only | worker | `sessions_spawn(agentId="research", ...)` |

            Session name pool: Sintra · Porto · Lagos · Braga · Evora · Faro

            Sign-off (`review → done` in BASS) is Dana's or Tila's. Workers never touch BASS: the
            agent that spawned them reads the output file and updates the task.
            """
        )

    # --- Riff ------------------------------------------------------------------------------

    def riff(self) -> None:
        a = self.at
        base = "https://riff.po-platform.example/tasks/"

        def task(**fields: object) -> dict[str, object]:
            return {**fields, "url": f"{base}{fields['id']}"}

        tasks = [
            task(
                id="377",
                title="Ledger CSV export",
                status="done",
                assignee="Braga",
                labels=["ledger"],
                deps=[],
                created_at=a(119, 0),
                updated_at=a(90, 30),
                body="Stream the merchant ledger as CSV (currency, settled_at). Merged in PR#88.",
                comments=[],
            ),
            task(
                id="398",
                title="Checkout steps",
                status="in progress",
                assignee="Porto",
                labels=["checkout"],
                deps=[],
                created_at=a(119, 0),
                updated_at=a(21, 20),
                body="Split checkout into address, card and confirm steps, each with its route.",
                comments=[
                    {"author": "po:sB", "at": a(116, 46), "body": "from:po:sB · status:seen"},
                    {"author": "po:sB", "at": a(62, 20), "body": "Retry banner behind a flag."},
                ],
            ),
            task(
                id="412",
                title="sD → sA : payments retry",
                status="in progress",
                assignee="Sintra",
                labels=["to:po", "payments"],
                deps=[],
                created_at=a(94, 20),
                updated_at=a(22, 0),
                body="from:po:sD · to:po:sA · type:handoff · ref:Riff#412 · status:accepted\n\n"
                "Payments retry: backoff with jitter, a retry budget per merchant, 8 s cap.",
                comments=[
                    {"author": "po:sA", "at": a(94, 12), "body": "from:po:sA · status:seen"},
                    {
                        "author": "po:sA",
                        "at": a(94, 5),
                        "body": "from:po:sA · status:accepted → starting with the backoff schedule",
                    },
                ],
            ),
            task(
                id="431",
                title="Receipt gift note rendered unescaped",
                status="done",
                assignee="Porto",
                labels=["checkout", "security"],
                deps=[],
                created_at=a(30, 20),
                updated_at=a(29, 10),
                body="The gift note on the receipt page was rendered as HTML.",
                comments=[],
            ),
            task(
                id="433",
                title="sB → sA : receipt retry copy from the API",
                status="open",
                assignee="Sintra",
                labels=["to:po", "payments"],
                deps=["412"],
                created_at=a(6, 20),
                updated_at=a(5, 50),
                body="from:po:sB · to:po:sA · type:handoff · ref:Riff#433 · status:accepted\n\n"
                "The receipt's retry copy should come from `user_message` in the 503 body.",
                comments=[
                    {"author": "po:sA", "at": a(6, 5), "body": "from:po:sA · status:seen"},
                    {
                        "author": "po:sA",
                        "at": a(5, 50),
                        "body": "status:accepted → after the hook work",
                    },
                ],
            ),
            task(
                id="435",
                title="Receipt shows the retry reason",
                status="open",
                assignee="Porto",
                labels=["checkout"],
                deps=["433"],
                created_at=a(6, 0),
                updated_at=a(6, 0),
                body="Once the API sends `user_message`, show it under the retry count.",
                comments=[],
            ),
            task(
                id="436",
                title="Checkout retry route",
                status="done",
                assignee="Porto",
                labels=["checkout"],
                deps=[],
                created_at=a(86, 0),
                updated_at=a(86, 0),
                body="Filed after the Riff outage from the Backlog.md bridge.",
                comments=[],
            ),
            task(
                id="437",
                title="Quote commas in ledger CSV",
                status="done",
                assignee="Braga",
                labels=["ledger"],
                deps=["377"],
                created_at=a(86, 0),
                updated_at=a(86, 0),
                body="Filed from the bridge (task-2): merchant names with commas broke the CSV.",
                comments=[],
            ),
            task(
                id="440",
                title="Ledger reconciliation hooks",
                status="open",
                assignee=None,
                labels=["ledger", "recon"],
                deps=["412"],
                created_at=a(12, 40),
                updated_at=a(12, 40),
                body="Recon epic: the ledger needs settled-charge hooks from payments.",
                comments=[],
            ),
        ]
        doc = {"exported_at": a(0, 12), "tasks": tasks}
        self.files[RIFF] = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"

    # --- BASS ------------------------------------------------------------------------------

    def bass(self) -> None:
        a = self.at
        tasks = [
            {"id": "T-31", "title": "Rotate sandbox gateway certificates", "status": "done",
             "agent": "openclaw-support", "project": "ops", "blocker": "",
             "created_at": a(8, 0), "updated_at": a(5, 0)},
            {"id": "T-32", "title": "Draft the 2.14.1 release notes", "status": "done",
             "agent": "vinyl", "project": "release", "blocker": "",
             "created_at": a(31, 0), "updated_at": a(24, 10)},
            {"id": "T-33", "title": "Retry-v2 rollout runbook", "status": "done",
             "agent": "frankel", "project": "payments", "blocker": "",
             "created_at": a(52, 0), "updated_at": a(28, 0)},
            {"id": "T-34", "title": "Nightly ledger reconciliation job", "status": "in_progress",
             "agent": "openclaw-support", "project": "infra", "blocker": "",
             "created_at": a(21, 0), "updated_at": a(20, 0)},
            {"id": "T-35", "title": "Benchmark gateway retry latency", "status": "review",
             "agent": "frankel", "project": "payments", "blocker": "",
             "created_at": a(13, 0), "updated_at": a(9, 30)},
            {"id": "T-36", "title": "QA the merchant-local budget reset", "status": "blocked",
             "agent": "frankel", "project": "payments",
             "blocker": "waiting for staging data from Lagos (sC)",
             "created_at": a(41, 0), "updated_at": a(11, 30)},
            {"id": "T-37", "title": "Review the pricing-page copy", "status": "todo",
             "agent": "vinyl", "project": "release", "blocker": "",
             "created_at": a(4, 0), "updated_at": a(4, 0)},
        ]  # fmt: skip
        rows = [
            ("T-36", a(40, 0), "frankel", "todo", "in_progress", ""),
            ("T-33", a(50, 0), "frankel", "todo", "in_progress", ""),
            ("T-32", a(30, 0), "vinyl", "todo", "in_progress", ""),
            ("T-33", a(28, 0), "frankel", "in_progress", "done", "runbook is in the wiki"),
            ("T-32", a(26, 0), "vinyl", "in_progress", "review", "draft in docs/release/2.14.1.md"),
            ("T-32", a(24, 10), "main", "review", "done", "signed off after Dana's read"),
            ("T-34", a(20, 0), "openclaw-support", "todo", "in_progress", ""),
            ("T-35", a(12, 0), "frankel", "todo", "in_progress", "spawned research"),
            ("T-36", a(11, 30), "frankel", "in_progress", "blocked", "no staging data yet"),
            ("T-35", a(9, 30), "dev", "in_progress", "review", "numbers in checkpoints"),
            ("T-31", a(6, 10), "openclaw-support", "todo", "in_progress", ""),
            ("T-31", a(5, 0), "openclaw-support", "in_progress", "done", "new certs live"),
        ]
        activity = [
            {"task_id": tid, "at": at, "agent": agent, "from": before, "to": after, "note": note}
            for tid, at, agent, before, after, note in rows
        ]
        body = ",\n".join(f"    {_line(t)}" for t in tasks)
        log = ",\n".join(f"    {_line(r)}" for r in activity)
        self.files[BASS] = (
            f'{{\n  "exported_at": "{a(0, 12)}",\n  "tasks": [\n{body}\n  ],\n'
            f'  "activity": [\n{log}\n  ]\n}}\n'
        )
        bypass = _line(activity[3])
        self.plant(
            "bass-review-bypass",
            BASS,
            bypass,
            "Frankel closed a payments task without review (only ops/infra may skip it)",
        )
        worker = _line(activity[9])
        self.plant(
            "subagent-updates-tracker",
            BASS,
            worker,
            "the dev worker moved its own task to review instead of Frankel",
        )

    # --- the Backlog.md bridge ---------------------------------------------------------------

    def backlog(self) -> None:
        day = self.t(95, 30).strftime("%Y-%m-%d %H:%M")

        def task(n: int, slug: str, title: str, who: str, status: str, body: str) -> None:
            self.files[f"{BACKLOG}/task-{n} - {slug}.md"] = _text(
                f"""
                ---
                id: task-{n}
                title: {title}
                status: {status}
                assignee:
                  - '@{who}'
                created_date: '{day}'
                labels:
                  - riff-outage
                dependencies: []
                ---

                ## Description

                {body}
                """
            )

        task(
            1,
            "Checkout-retry-route",
            "Checkout retry route",
            "sB",
            "Done",
            "Noted here while Riff was read-only: add `/checkout/retry` to the router.",
        )
        task(
            2,
            "Quote-commas-in-ledger-CSV",
            "Quote commas in merchant names",
            "sD",
            "Done",
            "Merchant names with commas break the CSV export.",
        )
        task(
            3,
            "Retry-schedule-export",
            "Export the retry schedule for the banner",
            "sA",
            "Done",
            "`retry.py` exports `RETRY_SCHEDULE_MS` so the banner can show progress.",
        )
        self.plant(
            "bridge-not-reconciled",
            f"{BACKLOG}/task-3 - Retry-schedule-export.md",
            "id: task-3",
            "a task noted on the bridge during the Riff outage was never filed in Riff",
        )

    # --- transcripts -------------------------------------------------------------------------

    def transcripts(self) -> None:
        a = self.at
        checkpoint = "~/.openclaw/workspace/checkpoints/subagent-{}.md"

        def msg(at: str, role: str, content: list[dict[str, object]]) -> str:
            return _line(
                {"type": "message", "timestamp": at, "message": {"role": role, "content": content}}
            )

        def call(at: str, name: str, arguments: dict[str, object]) -> str:
            return msg(
                at,
                "assistant",
                [
                    {
                        "type": "toolCall",
                        "id": f"call_{name[:5]}_{at[11:16].replace(':', '')}",
                        "name": name,
                        "arguments": arguments,
                    }
                ],
            )

        def result(at: str, name: str, payload: dict[str, object]) -> str:
            return _line(
                {
                    "type": "message",
                    "timestamp": at,
                    "message": {
                        "role": "toolResult",
                        "toolName": name,
                        "content": [{"type": "text", "text": json.dumps(payload)}],
                    },
                }
            )

        spawn_at = self.t(12, 0)
        frankel = [
            _line({"type": "session", "version": 3, "id": "s-7c21", "agentId": "frankel", "timestamp": a(12, 5), "cwd": "/home/po/.openclaw/workspace"}),
            msg(a(12, 4), "user", [{"type": "text", "text": "Heartbeat: T-35 (retry latency benchmark) is yours; spawn research for the numbers."}]),
            call(iso(spawn_at), "sessions_spawn", {"agentId": "research", "label": "retry-latency", "runTimeoutSeconds": 600, "cleanup": "keep",
                 "task": "Measure p50/p95 latency of /v1/charges with retry v2 on and off in staging. Write results to " + checkpoint.format("retry-latency")}),
            result(a(11, 59), "sessions_spawn", {"status": "accepted", "childSessionKey": "agent:research:subagent:3c9e"}),
            call(iso(spawn_at + timedelta(minutes=13)), "sessions_history", {"sessionKey": "agent:research:subagent:3c9e", "limit": 5}),
            call(a(11, 20), "sessions_send", {"sessionKey": "agent:vinyl:main", "message": "Retry latency numbers are in checkpoints/subagent-retry-latency.md, for the 2.14.1 notes."}),
            call(a(11, 18), "sessions_send", {"sessionKey": "agent:main:main", "message": "T-35 has its numbers; review when you can.", "timeoutSeconds": 0}),
        ]  # fmt: skip
        self.files[FRANKEL_LOG] = "\n".join(frankel) + "\n"
        self.plant(
            "send-without-timeout-zero",
            FRANKEL_LOG,
            '"sessionKey": "agent:vinyl:main", "message": "Retry latency',
            "Frankel waited inline for Vinyl: no timeoutSeconds=0",
        )

        spawn2 = self.t(30, 5)
        vinyl = [
            _line({"type": "session", "version": 3, "id": "s-19e4", "agentId": "vinyl", "timestamp": a(30, 10)}),
            call(iso(spawn2), "sessions_spawn", {"agentId": "dev", "label": "notes-2141", "runTimeoutSeconds": 1200, "cleanup": "keep",
                 "task": "Collect the merged PRs since 2.14.0 and draft release notes. Write results to " + checkpoint.format("notes-2141")}),
            result(a(30, 4), "sessions_spawn", {"status": "accepted", "childSessionKey": "agent:dev:subagent:a81f"}),
            call(iso(spawn2 + timedelta(minutes=23)), "sessions_history", {"sessionKey": "agent:dev:subagent:a81f", "limit": 5}),
            call(a(26, 0), "sessions_send", {"sessionKey": "agent:main:main", "message": "T-32 is in review: docs/release/2.14.1.md", "timeoutSeconds": 0}),
            call(iso(self.daytime(self.t(24, 30))), "message", {"action": "send", "channel": "telegram", "to": PERSON, "message": "2.14.1 notes are ready for your read."}),
        ]  # fmt: skip
        self.files[VINYL_LOG] = "\n".join(vinyl) + "\n"

    # --- playbooks ---------------------------------------------------------------------------

    def playbooks(self) -> None:
        self.files[PROTOCOL] = _text(
            """
            # Inter-agent communication protocol

            Version 2.0. Every call between agents uses one of two patterns; anything else loses
            messages or blocks a lane.

            ## Pattern 1: `sessions_send` — named agents

            ```python
            sessions_send(
                sessionKey="agent:<agentId>:main",
                message="...",
                timeoutSeconds=0,  # ALWAYS: fire and forget
            )
            ```

            Check the answer later, once: `sessions_history(sessionKey="agent:<id>:main", limit=5)`.

            ## Pattern 2: `sessions_spawn` — spawn-only workers

            ```python
            sessions_spawn(
                agentId="dev",  # or research
                task="... Write results to ~/.openclaw/workspace/checkpoints/subagent-<label>.md",
                label="short-label",
                runTimeoutSeconds=600,  # 300 S, 600 M, 1200 L
                cleanup="keep",
            )
            ```

            ## Anti-patterns (never do these)

            - ❌ `sessions_send` without `timeoutSeconds=0`: it will appear to fail under load
            - ❌ `sessions_spawn` without `label`, `runTimeoutSeconds` or `cleanup="keep"`
            - ❌ busy-polling a worker: one check after its timeout + 2 min
            - ❌ a worker updating BASS: the spawning agent owns every transition
            - ❌ a named agent announcing during DND (03:00–08:00 Lisbon): write to disk instead
            """
        )
        self.files[SPAWN_SOP] = _text(
            """
            # Spawn SOP — recurring worker runs

            Size every run (S 300 s, M 600 s, L 1200 s), give it a label, keep its transcript, and
            tell the worker where to write. The owner of the task checks once, after the timeout.

            Weekly dependency audit (Claw):

            ```python
            sessions_spawn(agentId="research", task="List outdated dependencies in services/ and web/. Write results to ~/.openclaw/workspace/checkpoints/subagent-dep-audit.md", label="dep-audit", runTimeoutSeconds=600, cleanup="keep")
            ```

            Nightly ledger reconciliation (Claw, T-34):

            ```python
            sessions_spawn(agentId="dev", task="Reconcile yesterday's ledger against gateway settlements. Write mismatches to ~/.openclaw/workspace/checkpoints/subagent-nightly-recon.md", label="nightly-recon", runTimeoutSeconds=1200)
            ```

            Release notes (Vinyl): spawn `dev` with label `notes-<version>`, size L.
            """
        )
        self.plant(
            "spawn-cleanup-not-keep",
            SPAWN_SOP,
            'label="nightly-recon", runTimeoutSeconds=1200)',
            'the nightly recon instruction has no cleanup="keep": its transcript is lost',
        )

    # --- Telegram ----------------------------------------------------------------------------

    def chats(self) -> None:
        zone = ZoneInfo(ZONE)

        def message(n: int, moment: datetime, sender: str, sender_id: str, text: object) -> str:
            local = moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M:%S")
            return _line(
                {
                    "id": n,
                    "type": "message",
                    "date": local,
                    "date_unixtime": str(int(moment.timestamp())),
                    "from": sender,
                    "from_id": sender_id,
                    "text": text,
                }
            )

        def export(name: str, chat_id: int, lines: list[str]) -> str:
            body = ",\n".join(f"  {line}" for line in lines)
            return (
                f'{{\n "name": "{name}",\n "type": "personal_chat",\n "id": {chat_id},\n'
                f' "messages": [\n{body}\n ]\n}}\n'
            )

        def sec(hours: int, minutes: int, seconds: int) -> datetime:
            return self.t(hours, minutes) + timedelta(seconds=seconds)

        dana, bot = (PERSON, "user100001"), ("PO Bridge Bot", "user700042")
        bridge = [
            message(301, sec(94, 52, 14), *dana, "Sintra takes Riff #412 (payments retry). Braga wraps up the ledger export and releases today."),
            message(302, sec(94, 44, 40), *bot, "[sD] relayed to to-all.md (via:telegram)"),
            message(303, sec(71, 26, 5), *dana, "Sintra, keep the retry cap at 8 s. Finance wants a hard upper bound on how long a customer waits."),
            message(304, sec(71, 19, 30), *bot, "[sB] relayed to to-sA.md"),
            message(305, sec(68, 20, 51), *dana, [{"type": "plain", "text": "The banner copy is final: "}, {"type": "italic", "text": "We're retrying your payment…"}, {"type": "plain", "text": " Sintra should use the same string for the budget error."}]),
            message(306, sec(48, 30, 2), *dana, "2.14.0 is out. Thank you both!"),
            message(307, sec(20, 15, 33), *dana, "Porto, hold the receipt retry-count change until support has seen it."),
            message(308, sec(20, 14, 10), *bot, "delivered to the session holding the bridge"),
        ]  # fmt: skip
        self.files[BRIDGE_CHAT] = export("PO bridge", 4410021, bridge)
        self.plant(
            "telegram-as-bus",
            BRIDGE_CHAT,
            '"id": 307,',
            "Dana told Porto on Telegram; nobody wrote it into to-sB.md or Riff",
        )

        tila = ("Tila", "user700007")
        night = self.local(0, 4, 12)
        dm = [
            message(51, self.local(-1, 9, 5), *tila, "Morning brief: T-32 (2.14.1 notes) in review, T-36 blocked on staging data."),
            message(52, self.local(-1, 9, 21), *dana, "Thanks. Sign T-32 off once Vinyl's draft is in."),
            message(53, night, *tila, "Nightly recon finished: 3 ledger mismatches, details in checkpoints/subagent-nightly-recon.md."),
            message(54, self.local(0, 8, 30), *tila, "Morning brief: recon found 3 mismatches (T-34); T-35 benchmark is in review."),
        ]  # fmt: skip
        self.files[TILA_CHAT] = export("Tila", 5512007, dm)
        self.plant(
            "dnd-announcement",
            TILA_CHAT,
            '"id": 53,',
            "Tila pinged Dana at 04:12 Lisbon time instead of leaving it for the morning brief",
        )


def fleet(t: Clock, now: datetime) -> tuple[dict[str, str], list[Plant]]:
    """Every file of the fleet and the trackers, and the misuses planted in them."""
    f = _Fleet(t, now)
    f.roster()
    f.riff()
    f.bass()
    f.backlog()
    f.transcripts()
    f.playbooks()
    f.chats()
    return f.files, f.plants


PLANTED_FLEET_RULES: tuple[str, ...] = (
    "bass-review-bypass",
    "subagent-updates-tracker",
    "bridge-not-reconciled",
    "send-without-timeout-zero",
    "spawn-cleanup-not-keep",
    "telegram-as-bus",
    "dnd-announcement",
)
