"""The machine outputs written into the site root: status.json, lint.json, lint.sarif, lint.junit.xml.

`status_document` is also the single source of the counts the site shows, so the two always agree.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Sequence
from datetime import timedelta
from functools import lru_cache
from json.encoder import encode_basestring as _string  # the C one where built
from pathlib import Path
from typing import Any

from generator.analysis import Liveness, waiting_on
from generator.model import Board, ClaimSpan, Message, MessageTrail, Stamp
from generator.render.activity import agent_mail_record, coding_session_records
from generator.render.formats import counts, finding_record, format_junit, sarif_document
from generator.render.fragments import PageFragments
from generator.render.tasks import agent_record, task_counts, task_record
from generator.result import Result
from generator.timeutil import iso, parse_stamp

SCHEMA_VERSION = 1
OUTPUT_FILES = ("status.json", "lint.json", "lint.sarif", "lint.junit.xml")


def _utc(text: str | None) -> str | None:
    """A timestamp field as ISO 8601 UTC, like every output time; kept as written if unreadable."""
    if text is None:
        return None
    stamp = parse_stamp(text)
    return stamp.iso() if stamp is not None else text


def _stamp_iso(stamp: Stamp | None) -> str | None:
    return _iso_of(stamp, stamp.value.utcoffset()) if stamp is not None else None


@lru_cache(maxsize=1 << 16)  # messages and acks share their times: each is written once
def _iso_of(stamp: Stamp, _offset: timedelta | None) -> str:
    return stamp.iso()


def _message_record(m: Message) -> dict[str, Any]:
    return {
        "id": m.id,
        "anchor": m.anchor,
        "path": m.source.path,
        "line": m.source.line,
        "queue": m.queue,
        "parsed": m.parsed,
        "at": _stamp_iso(m.at),
        "from": m.sender,
        "to": m.to,
        "type": m.type,
        "ref": m.ref,
        "re": _utc(m.re),
        "via": m.via,
        "status": m.status,
        "waiting_for": waiting_on(m),
        "acks": [
            {
                "at": _stamp_iso(a.at),
                "by": a.by,
                "state": a.state,
                "note": a.note or None,
                "line": a.source.line,
            }
            for a in m.acks
        ],
    }


def _history_record(trail: MessageTrail | None) -> list[dict[str, Any]]:
    """The message's life in git: each commit that added it (`added`), changed its status
    (`status`), appended an ack line (`ack`) or edited it (`rewritten`); `[]` without history."""
    if trail is None:
        return []
    return [
        {
            "event": e.kind,
            "at": iso(e.commit.at),
            "commit": e.commit.sha,
            "session": e.commit.session,
            "state": e.state,
        }
        for e in trail.events
    ]


def _claim_record(span: ClaimSpan, boundary: tuple[str, ...] = ()) -> dict[str, Any]:
    """One claim row's life in git: added, each Presence value, its paths, removed. A row
    already there at a shallow clone's boundary has `added: null`: that history was not fetched."""
    return {
        "session": span.session,
        "label": span.label,
        "added": (
            None
            if span.added.sha in boundary
            else {"at": iso(span.added.at), "commit": span.added.sha}
        ),
        "removed": (
            {"at": iso(span.removed.at), "commit": span.removed.sha} if span.removed else None
        ),
        "claimed_at": iso(span.claimed) if span.claimed else None,
        "presence": [
            {"at": iso(b.at) if b.at else None, "commit": b.commit.sha} for b in span.beats
        ],
        "paths": list(span.scopes[-1][1]) if span.scopes else [],
    }


def status_document(result: Result, with_messages: bool = True) -> dict[str, Any]:
    """The `status.json` content (see the reference page for its schema).

    `with_messages=False` leaves the message records out (`[]`; the counts still count them): what
    the pages show of it, without building a record per message.
    """
    board, ctx = result.board, result.context
    sessions = []
    for s in ctx.sessions:
        r = s.row
        sessions.append(
            {
                "id": r.session_id,
                "name": r.name,
                "task": r.task,
                "branch": r.branch,
                "mode": r.mode,
                "prefix": r.prefix,
                "claimed_at": r.claimed.iso() if r.claimed else None,
                "presence_at": r.presence.iso() if r.presence else None,
                "presence_detail": r.presence_detail or None,
                "last_seen": iso(s.last_seen) if s.last_seen else None,
                "last_seen_from": s.seen_by or None,
                "liveness": s.liveness.value,
                "paths": list(r.paths),
                "path": r.source.path,
                "line": r.source.line,
            }
        )
    every = board.messages  # a property that builds the tuple anew: once here
    messages: list[dict[str, Any]] = []
    if with_messages:
        trails = _present_trails(board)
        messages = [_full_record(m, trails.get((m.source.path, m.id))) for m in every]
    liveness = {state.value: 0 for state in Liveness}
    for s in ctx.sessions:
        liveness[s.liveness.value] += 1
    waiting = sum(1 for m in every if waiting_on(m) is not None)
    finding_counts = counts(result.findings)
    history = board.history
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": iso(result.now),
        "source": {
            "commit": history.head,
            "branch": history.branch,
            "repo": result.config.site.repo_url or history.remote_url,
            "shallow": history.shallow,
            "boundary": list(history.boundary),
            # `po` in `po:sA`: how other boards address this one (an org board reads it)
            "project_tag": result.config.project_tag,
        },
        "sessions": sessions,
        "messages": messages,
        "claims": [_claim_record(c, history.boundary) for c in history.claims],
        "tasks": [task_record(t) for t in board.tasks],
        "agents": [agent_record(a) for a in board.agents],
        "coding_sessions": coding_session_records(board),
        "agent_mail": agent_mail_record(board.mail),
        "findings": {**finding_counts, "total": len(result.findings)},
        "counts": {
            "sessions": {**liveness, "total": len(sessions)},
            "messages": {
                "total": len(every),
                "waiting": waiting,
                "broadcasts": sum(1 for m in every if m.is_broadcast),
                "unparsed": sum(1 for m in every if not m.parsed),
            },
            "commits": len(history.commits),
            "tasks": task_counts(board),
        },
    }


def dump_json(data: Any) -> str:
    """`json.dumps(data, indent=2, ensure_ascii=False)` and a newline, byte for byte.

    The standard library writes indented JSON in pure Python, through a generator per level of
    nesting; status.json of a large board holds a million values, so this writes them directly.
    Anything it does not expect goes to `json.dumps` instead.
    """
    out: list[str] = []
    try:
        _indented(data, "\n", out)
    except _Unusual:
        return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    out.append("\n")
    return "".join(out)


def _present_trails(board: Board) -> dict[tuple[str, str], MessageTrail]:
    return {(t.path, t.id): t for t in board.history.trails if t.present}


def _full_record(m: Message, trail: MessageTrail | None) -> dict[str, Any]:
    return {**_message_record(m), "history": _history_record(trail)}


def _record_key(m: Message | str, trail: MessageTrail | None) -> str:
    """A digest of what a message's record is made of: the message (or the read cache's
    fingerprint of it) and what `_history_record` writes of its trail's events: their kind and
    state, and their commit, named by its sha (which fixes the commit's time and session)."""
    parts = [m if isinstance(m, str) else repr(m)]
    if trail is not None:
        # A line per event, unambiguous (no field holds a space or a line end; the state is
        # quoted): every message's key is made on every build, so no tuple is built and repr'd.
        parts += [f"{e.kind} {e.commit.sha} {e.state!r}" for e in trail.events]
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _status_json(
    result: Result,
    records: Callable[[str], PageFragments],
    status: dict[str, Any] | None = None,
) -> str:
    """status.json as `dump_json(status_document(result))` writes it, each message record's text
    taken from `records(its queue file)` when the same message with the same trail was written
    before; only the others are built and written. `status`: the document without its messages,
    when the caller has it."""
    board = result.board
    if status is None:
        status = status_document(result, with_messages=False)
    trails = _present_trails(board)
    out: list[str] = []
    inner, item = "\n  ", "\n    "
    separator = "{" + inner
    try:
        for key, value in status.items():
            out.append(separator + _string(key) + ": ")
            separator = "," + inner
            if key != "messages" or not board.messages:
                _indented(value, inner, out)
                continue
            before = "[" + item
            for q in board.queues:
                stored = records(q.path)
                known = len(q.fingerprints) == len(q.messages)
                for i, m in enumerate(q.messages):
                    trail = trails.get((m.source.path, m.id))
                    digest = _record_key(q.fingerprints[i] if known else m, trail)
                    text = stored.get(digest)
                    if text is None:
                        parts: list[str] = []
                        _indented(_full_record(m, trail), item, parts)
                        text = ["".join(parts)]
                        stored.put(digest, text)
                    out.append(before + text[0])
                    before = "," + item
            out.append(inner + "]")
    except _Unusual:
        return dump_json(status_document(result))
    out.append("\n}\n")
    return "".join(out)


class _Unusual(Exception):
    """A value `_indented` leaves to the standard library (a non-string key, NaN, a set, …)."""


def _indented(value: Any, newline: str, out: list[str]) -> None:
    """Append `value` as json.dumps(indent=2) writes it at the indentation of `newline`."""
    if isinstance(value, str):
        out.append(_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        if value != value or value in (math.inf, -math.inf):
            raise _Unusual
        out.append(float.__repr__(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Unusual
            out.append(separator + _string(key) + ": ")
            _indented(item, inner, out)
            separator = "," + inner
        out.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _indented(item, inner, out)
            separator = "," + inner
        out.append(newline + "]")
    else:
        raise _Unusual


def machine_outputs(
    result: Result,
    help_base: str | None = None,
    status: dict[str, Any] | None = None,
    records: Callable[[str], PageFragments] | None = None,
) -> dict[str, str]:
    """Every machine output as {file name: text}; pure, so `lint` and `build` share it.

    `status` is `status_document(result)` when the caller has it already; with `records` (the
    render cache's fragments by queue file), the JSON text of each message record that was
    written before is reused and only the others are built, and `status` is the document without
    its messages (`status_document(result, False)`).
    """
    findings: Sequence[Any] = result.findings
    if records is not None:
        status_json = _status_json(result, records, status)
    else:
        status_json = dump_json(status if status is not None else status_document(result))
    return {
        "status.json": status_json,
        "lint.json": dump_json([finding_record(f) for f in findings]),
        "lint.sarif": dump_json(sarif_document(result.findings, result.rules, help_base)),
        "lint.junit.xml": format_junit(result.findings, result.rules),
    }


def write_machine_outputs(result: Result, out: Path, texts: dict[str, str] | None = None) -> None:
    """Write status.json, lint.json, lint.sarif and lint.junit.xml into `out` (`texts`, when the
    caller made them already)."""
    out.mkdir(parents=True, exist_ok=True)
    if texts is None:
        texts = machine_outputs(result, result.config.site.site_url)
    for name, text in texts.items():
        (out / name).write_text(text, encoding="utf-8")
