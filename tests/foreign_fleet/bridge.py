"""The human bridge: a Telegram Desktop export beside a live blackboard and a Riff export."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.foreign.kit import HEADER, SCOREBOARD, Repo, q, row
from tests.foreign_fleet.kit import (
    RIFF,
    ROSTER_MD,
    TELEGRAM,
    Built,
    FleetSet,
    Span,
    absent,
    commit,
    init_code,
    one,
    plant,
)
from tests.foreign_fleet.trackers import SEED_ROSTER

LISBON = ZoneInfo("Europe/Lisbon")


def tg(mid: int, utc: str, sender: str, sender_id: str, text: str | list[Any]) -> dict[str, Any]:
    """A Telegram Desktop message: ``date`` in the exporting machine's local time (Lisbon),
    ``date_unixtime`` the true instant, ``text`` a string or a list of pieces."""
    instant = datetime.fromisoformat(f"2026-06-02T{utc}:00").replace(tzinfo=UTC)
    local = instant.astimezone(LISBON).replace(tzinfo=None)
    pieces = text if isinstance(text, list) else [text]
    entities = [p if isinstance(p, dict) else {"type": "plain", "text": p} for p in pieces if p]
    return {
        "id": mid,
        "type": "message",
        "date": local.isoformat(),
        "date_unixtime": str(int(instant.timestamp())),
        "from": sender,
        "from_id": sender_id,
        "text": text,
        "text_entities": entities,
    }


DANA = ("Dana", "user5550001")
MESSAGES = [
    {
        "id": 100,
        "type": "service",
        "date": "2026-06-02T08:00:00",
        "date_unixtime": "1780383600",
        "actor": "Dana",
        "actor_id": "user5550001",
        "action": "pin_message",
        "message_id": 99,
        "text": "",
        "text_entities": [],
    },
    tg(101, "09:12", *DANA, "Porto, pause the banner rollout until finance signs off."),
    tg(102, "09:30", *DANA, "sA please rebase onto main before lunch, the ledger fix landed."),
    tg(
        103,
        "10:00",
        *DANA,
        [
            {"type": "mention", "text": "@all"},
            " freeze merges to main until 15:00 for the finance audit.",
        ],
    ),
    tg(104, "10:20", *DANA, "Sintra: the retry budget is 3, not 5."),
    tg(105, "03:20", "Tila", "user7770001", "Nightly recon finished, 3 mismatches."),
    tg(
        106,
        "11:00",
        *DANA,
        [{"type": "bold", "text": "Porto"}, " ship the banner copy fix today please."],
    ),
    tg(107, "11:50", *DANA, "sA also update the changelog when you are done."),
    tg(
        108,
        "08:20",
        *DANA,
        ["", {"type": "bold", "text": "Sintra"}, ", hold the payouts deploy until noon."],
    ),
]

TELEGRAM_TEXT = (
    json.dumps(
        {
            "name": "po-platform bridge",
            "type": "private_group",
            "id": 4815162342,
            "messages": MESSAGES,
        },
        indent=1,
        ensure_ascii=False,
    )
    + "\n"
)

RELAY_SA = (
    "## 2026-06-02T09:40Z · from:sB · to:sA · type:relay · ref:— · via:telegram · status:seen\n\n"
    "Dana on Telegram: please rebase onto main before lunch, the ledger fix landed.\n\n"
    "- ack · 2026-06-02T09:50Z · sA · seen\n"
)
RELAY_SB = (
    "## 2026-06-02T11:10Z · from:sA · to:sB · type:relay · via:telegram · status:sent\n\n"
    "Relaying Dana: ship the banner copy fix today.\n"
)

RIFF_TASKS = [
    {
        "id": "412",
        "title": "Payments retry budget",
        "status": "in progress",
        "assignee": "Sintra",
        "labels": ["to:po"],
        "comments": [
            {
                "author": "po:sB",
                "at": "2026-06-02T10:35:00Z",
                "body": "Dana: the retry budget is 3, not 5.",
            }
        ],
        "created_at": "2026-06-01T09:00:00Z",
        "updated_at": "2026-06-02T10:35:00Z",
    },
    {
        "id": "415",
        "title": "Web banner rollout",
        "status": "in progress",
        "assignee": "Porto",
        "labels": ["to:po"],
        "created_at": "2026-06-01T09:00:00Z",
        "updated_at": "2026-06-01T12:00:00Z",
    },
]


def _board(presence_a: str, presence_b: str) -> str:
    sa = row("sA", "Sintra", "Riff #412", "2026-06-02T08:00Z", presence_a, "`services/payments/**`")
    sb = row("sB", "Porto", "Riff #415", "2026-06-02T08:05Z", presence_b, "`web/**`")
    return "# Active sessions\n\n" + HEADER + sa + "\n" + sb + "\n"


def _telegram(root: Path) -> Built:
    repo = Repo(root)
    built = Built(root)
    init_code(repo)
    repo.write(
        "statusboard.toml", 'names = ["Sintra", "Porto"]\n\n[agents]\ntimezone = "Europe/Lisbon"\n'
    )
    repo.write(ROSTER_MD, SEED_ROSTER)
    commit(repo, built, "2026-06-01T18:00", "docs(ai): roster", author="Ana Human")
    repo.write(SCOREBOARD, _board("2026-06-02T08:00Z · ", "2026-06-02T08:00Z · "))
    commit(repo, built, "2026-06-02T08:00", "[sA] docs(ai-sessions): claim sA at 2026-06-02T08:00Z")
    repo.write(SCOREBOARD, _board("2026-06-02T08:00Z · ", "2026-06-02T08:05Z · "))
    commit(repo, built, "2026-06-02T08:05", "[sB] docs(ai-sessions): claim sB at 2026-06-02T08:05Z")
    repo.write(
        q("sA"), RELAY_SA.replace("status:seen", "status:sent").split("\n- ack")[0].rstrip() + "\n"
    )
    commit(
        repo, built, "2026-06-02T09:40", "[sB] docs(ai-sessions): relay Dana's rebase request to sA"
    )
    repo.write(q("sA"), RELAY_SA)
    repo.write(SCOREBOARD, _board("2026-06-02T09:50Z · ack", "2026-06-02T09:40Z · relay"))
    commit(repo, built, "2026-06-02T09:50", "[sA] docs(ai-sessions): ack sB relay")
    repo.write(RIFF, "[\n" + ",\n".join("  " + one(t) for t in RIFF_TASKS) + "\n]\n")
    commit(repo, built, "2026-06-02T10:35", "chore(tracker): Riff export", author="Ana Human")
    repo.write(q("sB"), RELAY_SB)
    repo.write(SCOREBOARD, _board("2026-06-02T11:10Z · relay", "2026-06-02T09:40Z · relay"))
    commit(
        repo, built, "2026-06-02T11:10", "[sA] docs(ai-sessions): relay Dana's banner request to sB"
    )
    repo.write(SCOREBOARD, _board("2026-06-02T11:10Z · relay", "2026-06-02T11:30Z · heartbeat"))
    commit(repo, built, "2026-06-02T11:30", "[sB] docs(ai-sessions): heartbeat sB")
    repo.write(TELEGRAM, TELEGRAM_TEXT)
    commit(repo, built, "2026-06-02T11:55", "docs(ai): Telegram export", author="Ana Human")
    return built


def _msg(mid: int) -> Span:
    return Span(f'"id": {mid},', '"text_entities"', up="{")


TELEGRAM_SET = FleetSet(
    name="telegram",
    summary="Telegram Desktop export (local dates with date_unixtime, text as a string or a list "
    "of pieces, a service message) beside relays in the queues and a Riff comment",
    build=_telegram,
    plants=(
        plant(
            "telegram-as-bus",
            TELEGRAM,
            _msg(101),
            "Porto",
        ),
        plant("telegram-as-bus", TELEGRAM, _msg(103), "all"),
        plant("telegram-as-bus", TELEGRAM, _msg(108), "Sintra"),
        plant("dnd-announcement", TELEGRAM, _msg(105), "Tila"),
    ),
    absents=(
        absent("telegram-as-bus", TELEGRAM, _msg(102), "relayed to sA via:telegram at 09:40"),
        absent("telegram-as-bus", TELEGRAM, _msg(104), "Riff #412 of Sintra commented at 10:35"),
        absent("telegram-as-bus", TELEGRAM, _msg(106), "relayed to sB via:telegram at 11:10"),
        absent(
            "telegram-as-bus",
            TELEGRAM,
            _msg(107),
            "only 10 minutes old at now",
        ),
        absent("dnd-announcement", TELEGRAM, _msg(101), "the person is no named agent"),
    ),
)

SETS = (TELEGRAM_SET,)
