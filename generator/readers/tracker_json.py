"""Line-aware JSON for the export readers: every object and array remembers where it starts."""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from json import decoder, scanner
from json.decoder import JSONDecodeError
from typing import Any

from generator.model import Problem, SourceRef, Stamp
from generator.readers._text import clip
from generator.timeutil import parse_stamp

RULE = "export-parse"
# The pure-Python pieces of the standard decoder (public in all but name since Python 2.6).
JSONObject: Any = decoder.JSONObject  # type: ignore[attr-defined]
JSONArray: Any = decoder.JSONArray  # type: ignore[attr-defined]
scanstring: Any = decoder.scanstring  # type: ignore[attr-defined]
py_make_scanner: Any = scanner.py_make_scanner  # type: ignore[attr-defined]
_WS = re.compile(r"[ \t\n\r]*")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class JObject(dict[str, Any]):
    """A JSON object with the offsets of its `{` and of the character after its `}`."""

    start: int = 0
    end: int = 0


class JArray(list[Any]):
    """A JSON array with the offsets of its `[`, of the character after its `]` and of the first
    character of each of its elements (`starts`, parallel to the elements)."""

    start: int = 0
    end: int = 0
    starts: tuple[int, ...] = ()


class _Context:
    """What `py_make_scanner` reads from a decoder, with object and array parsers that record
    where each one starts (the C scanner cannot be hooked, the pure-Python one can)."""

    def __init__(self) -> None:
        self.strict = True
        self.object_hook = None
        self.object_pairs_hook = JObject
        self.parse_float = float
        self.parse_int = int
        self.parse_constant = float  # NaN, Infinity: not JSON, but Python's json reads them too
        self.memo: dict[str, str] = {}
        self.parse_string = scanstring
        self.parse_object = self._object
        self.parse_array = self._array

    def _object(self, s_and_end: tuple[str, int], *args: Any) -> tuple[JObject, int]:
        obj, end = JSONObject(s_and_end, *args)
        obj.start, obj.end = s_and_end[1] - 1, end
        return obj, end

    def _array(self, s_and_end: tuple[str, int], scan_once: Any) -> tuple[JArray, int]:
        starts: list[int] = []

        def element(text: str, index: int) -> tuple[Any, int]:
            # JSONArray calls this once per element, at the element's first character.
            starts.append(index)
            return scan_once(text, index)  # type: ignore[no-any-return]

        values, end = JSONArray(s_and_end, element)
        arr = JArray(values)
        arr.start, arr.end = s_and_end[1] - 1, end
        arr.starts = tuple(starts)
        return arr, end


def _scanner() -> Callable[[str, int], tuple[Any, int]]:
    scan: Callable[[str, int], tuple[Any, int]] = py_make_scanner(_Context())
    return scan


def _value_at(text: str, index: int) -> tuple[Any, int]:
    """The JSON value starting at `index` (after whitespace); JSONDecodeError when there is none."""
    index = _WS.match(text, index).end()  # type: ignore[union-attr]
    try:
        return _scanner()(text, index)
    except StopIteration as stop:
        raise JSONDecodeError("Expecting value", text, int(stop.value)) from None
    except RecursionError:
        raise JSONDecodeError("Nested too deeply", text, index) from None


@dataclass(slots=True)
class JsonDoc:
    """One JSON file being read: its value (None when it does not parse), lines and problems."""

    path: str
    text: str
    value: Any = None
    error: JSONDecodeError | None = None
    problems: list[Problem] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)

    @classmethod
    def parse(cls, path: str, text: str) -> JsonDoc:
        doc = cls(path, text)
        doc._starts = [0] + [m.end() for m in re.finditer("\n", text)]
        try:
            value, end = _value_at(text, 0)
            end = _WS.match(text, end).end()  # type: ignore[union-attr]
            if end != len(text):
                raise JSONDecodeError("Extra data after the JSON value", text, end)
            doc.value = value
        except JSONDecodeError as exc:
            doc.error = exc
        return doc

    # --- where things are

    def line(self, offset: int) -> int:
        """The 1-based line of a character offset."""
        return bisect.bisect_right(self._starts, offset)

    def line_of(self, value: Any) -> int | None:
        """The line where an object or array starts; None for a plain value."""
        return self.line(value.start) if isinstance(value, JObject | JArray) else None

    def item_line(self, array: Any, index: int) -> int | None:
        """The line where element `index` (0-based) of an array starts, whatever its type (a
        string or number has no line of its own); the array's line when that is not known."""
        if isinstance(array, JArray) and 0 <= index < len(array.starts):
            return self.line(array.starts[index])
        return self.line_of(array)

    def span(self, value: Any) -> tuple[int, int] | None:
        """First and last line of an object or array."""
        if not isinstance(value, JObject | JArray):
            return None
        return self.line(value.start), self.line(max(value.end - 1, value.start))

    def key_line(self, obj: Any, key: str) -> int | None:
        """The line of `key` among the direct keys of `obj`, else the object's own line."""
        if not isinstance(obj, JObject):
            return None
        offset = _key_offset(self.text, obj, key)
        return self.line(offset) if offset is not None else self.line(obj.start)

    def ref(self, line: int | None) -> SourceRef:
        return SourceRef(self.path, line)

    def report(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(RULE, SourceRef(self.path, line), message))

    def report_error(self, what: str) -> None:
        """One problem for a file that is not JSON, at the line where the parser stopped."""
        assert self.error is not None
        exc = self.error
        near = clip(self.text.split("\n")[exc.lineno - 1].strip(), 50) if self.text else ""
        at = f" near `{near}`" if near else ""
        self.report(
            exc.lineno,
            f"{what} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}){at}",
        )

    # --- salvage: the readable elements of an array in a file that does not parse as a whole

    def salvage(self, key: str | None) -> JArray | None:
        """The elements of the top-level array (key None) or of the first `"key": [` array that
        could be read before the parser's error; None when there is no such array at all."""
        if key is None:
            m = re.match(r"\s*\[", self.text)
        else:
            m = re.search(rf'"{re.escape(key)}"\s*:\s*\[', self.text)
        if m is None:
            return None
        out = JArray()
        out.start = m.end() - 1
        index = m.end()
        starts: list[int] = []
        while True:
            index = _WS.match(self.text, index).end()  # type: ignore[union-attr]
            if index >= len(self.text) or self.text[index] == "]":
                break
            try:
                value, after = _value_at(self.text, index)
            except JSONDecodeError:
                break
            out.append(value)
            starts.append(index)
            index = _WS.match(self.text, after).end()  # type: ignore[union-attr]
            if index < len(self.text) and self.text[index] == ",":
                index += 1
                continue
            break
        out.end = index
        out.starts = tuple(starts)
        return out


def _key_offset(text: str, obj: JObject, key: str) -> int | None:
    """Offset of the `"key"` that is a direct key of `obj` (nested objects are skipped)."""
    depth = 0
    i = obj.start
    while i < obj.end:
        c = text[i]
        if c == '"':
            try:
                value, after = scanstring(text, i + 1)
            except JSONDecodeError:
                return None
            if depth == 1 and value == key:
                colon = _WS.match(text, after).end()  # type: ignore[union-attr]
                if colon < len(text) and text[colon] == ":":
                    return i
            i = after
            continue
        if c in "{[":
            depth += 1
        elif c in "}]":
            depth -= 1
        i += 1
    return None


def key_lines(doc: JsonDoc, obj: JObject, keys: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """The line of each of `keys` present in `obj`, for findings about one field."""
    out: list[tuple[str, int]] = []
    for key in keys:
        if key in obj:
            line = doc.key_line(obj, key)
            if line is not None:
                out.append((key, line))
    return tuple(out)


# --- reading fields liberally, reporting what does not fit ---------------------------------------


def type_name(value: Any) -> str:
    """`a list`, `a number`, … for messages about wrong types."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def as_json(value: Any) -> str:
    """A value as compact JSON text (how a value of the wrong type is kept)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def text_of(doc: JsonDoc, obj: JObject, key: str, what: str, *, required: bool = False) -> str:
    """A text field: numbers become text; another type is reported and kept as its JSON."""
    value = obj.get(key)
    if value is None:
        if required:
            doc.report(doc.line_of(obj), f"{what} has no `{key}`")
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    doc.report(doc.key_line(obj, key), f"{what}: `{key}` is {type_name(value)}, expected text")
    return as_json(value)


def person_of(doc: JsonDoc, obj: JObject, key: str, what: str) -> str:
    """A person or agent field: a name, or an object with a name, handle, login or id."""
    named = _name_of(obj.get(key))
    return named if named is not None else text_of(doc, obj, key, what).strip()


def list_of(doc: JsonDoc, obj: JObject, key: str, what: str) -> tuple[str, ...]:
    """A list of texts; a single text is taken as a comma-separated list and reported."""
    value = obj.get(key)
    if value is None:
        return ()
    if isinstance(value, str | int) and not isinstance(value, bool):
        items = tuple(p.strip() for p in str(value).split(",") if p.strip())
        doc.report(
            doc.key_line(obj, key),
            f"{what}: `{key}` is {type_name(value)}, expected a list; read as "
            + (", ".join(f"`{i}`" for i in items) or "empty"),
        )
        return items
    if not isinstance(value, list):
        doc.report(
            doc.key_line(obj, key), f"{what}: `{key}` is {type_name(value)}, expected a list"
        )
        return ()
    out: list[str] = []
    for index, item in enumerate(value):
        named = _name_of(item)
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, int | float) and not isinstance(item, bool):
            out.append(str(item))
        elif named is not None:  # `{"id": 412}`, `{"name": "payments"}`: the code hosts' shape
            out.append(named)
        else:
            doc.report(
                doc.item_line(value, index),
                f"{what}: an item of `{key}` is {type_name(item)}, expected text; kept as "
                f"`{clip(as_json(item), 40)}`",
            )
            out.append(as_json(item))
    return tuple(out)


def _name_of(item: Any) -> str | None:
    """The id or name of an object standing for a task, label or person."""
    if not isinstance(item, dict):
        return None
    for key in ("id", "name", "handle", "login", "key"):
        value = item.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return None


def loose_stamp(value: Any) -> Stamp | None:
    """A timestamp as exports write them: ISO 8601 (seconds, offsets), a date, or epoch seconds."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 1e11 else value  # milliseconds since the epoch
        try:
            moment = datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
        return Stamp(moment, str(value), canonical=False, had_zone=True)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.isdigit():
        return loose_stamp(int(text))
    if _DATE_ONLY.match(text):
        text += "T00:00Z"
    stamp = parse_stamp(text)
    if stamp is None:
        return None
    return Stamp(stamp.value, value.strip(), stamp.canonical, stamp.had_zone)


def stamp_of(doc: JsonDoc, obj: JObject, key: str, what: str) -> Stamp | None:
    """A timestamp field; one that cannot be read is reported (and kept out of the model)."""
    value = obj.get(key)
    if value is None or value == "":
        return None
    stamp = loose_stamp(value)
    if stamp is None:
        shown = value if isinstance(value, str) else as_json(value)
        doc.report(
            doc.key_line(obj, key),
            f"{what}: `{key}` `{clip(str(shown), 40)}` is not a timestamp",
        )
    return stamp
