"""A Telegram Desktop chat export (formats.md §7): `result.json` with `messages[]`, the human bridge."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from generator.model import Chat, ChatMessage, Problem, Stamp
from generator.readers._text import clip
from generator.readers.tracker_json import JObject, JsonDoc, as_json, loose_stamp, type_name

RULE = "export-parse"


def read_telegram(path: str, text: str, zone: str = "UTC") -> tuple[list[Chat], list[Problem]]:
    """The chats of one export: a single chat, or an account export's `chats.list`.

    Times come from `date_unixtime`; an export without it has only `date`, the exporting
    machine's wall clock, taken in `zone`.
    """
    doc = JsonDoc.parse(path, text)
    default_name = path.rsplit("/", 2)[-2] if "/" in path else path
    if doc.error is not None:
        doc.report_error("the Telegram export")
        salvaged: list[Any] = doc.salvage("messages") or []
        if salvaged:
            doc.report(
                doc.error.lineno,
                f"the Telegram export: {len(salvaged)} message(s) before the error were read",
            )
        return [_chat(doc, salvaged, default_name, zone)], doc.problems
    value = doc.value
    if isinstance(value, JObject) and isinstance(value.get("chats"), dict):
        chats_list = value["chats"].get("list")
        if not isinstance(chats_list, list):
            doc.report(doc.line_of(value["chats"]), "the Telegram export's `chats` has no `list`")
            return [], doc.problems
        chats = []
        for index, item in enumerate(chats_list):
            if isinstance(item, JObject):
                chats.append(_single(doc, item, default_name, zone))
            else:
                at = doc.item_line(chats_list, index)
                doc.report(at, f"a chat is {type_name(item)}, not an object")
        return [c for c in chats if c is not None], doc.problems
    if isinstance(value, JObject):
        chat = _single(doc, value, default_name, zone)
        return ([chat] if chat is not None else []), doc.problems
    doc.report(1, f"the Telegram export is {type_name(value)}, expected an object with `messages`")
    return [], doc.problems


def _single(doc: JsonDoc, obj: JObject, default_name: str, zone: str) -> Chat | None:
    messages = obj.get("messages")
    if not isinstance(messages, list):
        found = "no `messages` list" if messages is None else f"`messages` is {type_name(messages)}"
        line = doc.key_line(obj, "messages") if messages is not None else doc.line_of(obj)
        doc.report(line, f"the Telegram export has {found}, expected a list of messages")
        return None
    name = obj.get("name") if isinstance(obj.get("name"), str) else None
    return _chat(doc, messages, name or default_name, zone)


def message_text(value: Any) -> str | None:
    """`text` as a string, or a list of strings and `{type, text}` pieces; None for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts: list[str] = []
        for piece in value:
            if isinstance(piece, str):
                parts.append(piece)
            elif isinstance(piece, dict) and isinstance(piece.get("text"), str):
                parts.append(piece["text"])
            else:
                return None
        return "".join(parts)
    return None


def _chat(doc: JsonDoc, messages: list[Any], name: str, zone: str) -> Chat:
    out: list[ChatMessage] = []
    for index, item in enumerate(messages, 1):
        if not isinstance(item, JObject):
            doc.report(
                doc.item_line(messages, index - 1),
                f"message {index} of the Telegram export is {type_name(item)}, expected an "
                f"object; kept as `{clip(as_json(item), 40)}`",
            )
            continue
        line = doc.key_line(item, "id") if "id" in item else doc.line_of(item)
        if item.get("type", "message") != "message":
            continue  # service messages: joins, pins, calls
        msg_id = str(item.get("id", index))
        text = message_text(item.get("text", ""))
        if text is None:
            doc.report(
                doc.key_line(item, "text"),
                f"Telegram message {msg_id}: `text` is {type_name(item.get('text'))}, expected "
                "text or a list of {type, text} pieces",
            )
            text = as_json(item.get("text"))
        at = _when(item, zone)
        if at is None:
            doc.report(line, f"Telegram message {msg_id} has no readable `date_unixtime` or `date`")
        sender = item.get("from")
        out.append(
            ChatMessage(
                source=doc.ref(line),
                chat=name,
                id=msg_id,
                at=at,
                sender=sender if isinstance(sender, str) else "",
                sender_id=str(item.get("from_id", "")),
                text=text,
            )
        )
    return Chat(doc.path, name, tuple(out))


def _when(item: JObject, zone: str) -> Stamp | None:
    unix = item.get("date_unixtime")
    if unix is not None:
        stamp = loose_stamp(unix)
        if stamp is not None:
            return stamp
    date = item.get("date")
    if not isinstance(date, str):
        return None
    try:
        local = datetime.fromisoformat(date)
    except ValueError:
        return loose_stamp(date)
    if local.tzinfo is None:
        local = local.replace(tzinfo=ZoneInfo(zone))
    return Stamp(local.astimezone(UTC), date, False, local.tzinfo is not None)
