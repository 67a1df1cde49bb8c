"""Shields.io endpoint badges (`badges/*.json`): sessions by state, messages waiting, findings.

Shields fetches these files and draws the badge (`https://img.shields.io/endpoint?url=…`): the
README viewer asks shields.io, never the site. The colours are the site's own (the light palette
of templates/assets/statusboard.css), so a badge reads like the page it links to.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from generator.analysis import Liveness
from generator.render.formats import counts
from generator.render.pages.inboxes import MessageView, RecipientView
from generator.result import Result

# --sb-live, --sb-idle, --sb-stale/--sb-error, --sb-warning, --sb-info, --sb-unknown, --sb-done
COLOURS = {
    "live": "1b873f",
    "idle": "b7791f",
    "stale": "c53030",
    "unknown": "718096",
    "error": "c53030",
    "warning": "b7791f",
    "info": "2b6cb0",
    "done": "1b873f",
}
BADGES = ("sessions", "waiting", "findings")


def _badge(label: str, message: str, colour: str) -> dict[str, Any]:
    return {"schemaVersion": 1, "label": label, "message": message, "color": colour}


def sessions_badge(result: Result) -> dict[str, Any]:
    """`sessions: 2 live · 1 stale`; red with a stale session, green with a live one."""
    tally = {state: 0 for state in Liveness}
    for s in result.context.sessions:
        tally[s.liveness] += 1
    parts = [f"{n} {state.value}" for state, n in tally.items() if n]
    if tally[Liveness.STALE]:
        colour = COLOURS["stale"]
    elif tally[Liveness.LIVE]:
        colour = COLOURS["live"]
    elif tally[Liveness.IDLE]:
        colour = COLOURS["idle"]
    else:
        colour = COLOURS["unknown"]
    return _badge("sessions", " · ".join(parts) or "none", colour)


def waiting_badge(views: Sequence[RecipientView]) -> dict[str, Any]:
    """Messages waiting for an ack, counted as the Overview counts them; overdue ones in amber."""
    waiting: list[MessageView] = [m for v in views for m in v.messages if m.waiting]
    overdue = sum(1 for m in waiting if m.overdue)
    if not waiting:
        return _badge("waiting", "nothing", COLOURS["done"])
    message = f"{len(waiting)} message{'' if len(waiting) == 1 else 's'}"
    if overdue:
        message += f" · {overdue} overdue"
    return _badge("waiting", message, COLOURS["warning"] if overdue else COLOURS["info"])


def findings_badge(result: Result) -> dict[str, Any]:
    """`lint: 2 errors · 3 warnings`; red with errors, amber with warnings, green when clean."""
    tally = counts(result.findings)
    words = {
        "error": ("error", "errors"),
        "warning": ("warning", "warnings"),
        "info": ("info",) * 2,
    }
    parts = [f"{n} {words[k][n != 1]}" for k in ("error", "warning", "info") if (n := tally[k])]
    if tally["error"]:
        colour = COLOURS["error"]
    elif tally["warning"]:
        colour = COLOURS["warning"]
    elif tally["info"]:
        colour = COLOURS["info"]
    else:
        colour = COLOURS["done"]
    return _badge("lint", " · ".join(parts) or "clean", colour)


def badges(result: Result, views: Sequence[RecipientView]) -> dict[str, bytes]:
    """Every badge as {path under the site root: bytes}."""
    docs = {
        "sessions": sessions_badge(result),
        "waiting": waiting_badge(views),
        "findings": findings_badge(result),
    }
    return {
        f"badges/{name}.json": (
            json.dumps(docs[name], indent=2, ensure_ascii=False) + "\n"
        ).encode()
        for name in BADGES
    }
