"""The read cache: what a queue file's text redacted and parsed into, kept by the text's digest.

A rebuild reads every queue file again (one stat and one read each) but parses only those whose
text changed since the cache was written: the others come back from `.statusboard-cache/` as the
exact same model (`read-*.json`, one per queue file; generator/cache.py checks them, and they are
signed like the render cache's: what the site shows of a message must come from the repository,
not from a file anyone could have put in the cache folder). The parse is a pure function of the
file's path and text and of the code (`code_version()` is in the key), so a cached parse is as
good as a fresh one; the tests compare them. Read-only (`save=False`, `statusboard inbox`), valid
files are used and a changed file is parsed, but nothing is written or pruned.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from generator.cache import Store, cache_folder, code_version, signing_key
from generator.config import Config
from generator.model import Ack, Message, Problem, QueueFile, RawBlock, SourceRef, Stamp

log = logging.getLogger(__name__)

# The fields the codec below writes, per model class: a model that gains or loses a field turns
# the cache off (and tests/test_build_cache.py fails) until the codec follows.
SHAPES: dict[type, tuple[str, ...]] = {
    Message: (
        "id",
        "anchor",
        "source",
        "end_line",
        "queue",
        "heading",
        "parsed",
        "at",
        "sender",
        "to",
        "type",
        "ref",
        "re",
        "via",
        "status",
        "status_explicit",
        "fields",
        "body",
        "acks",
    ),
    Ack: ("source", "raw", "at", "by", "state", "note"),
    Stamp: ("value", "raw", "canonical", "had_zone"),
    QueueFile: ("path", "recipient", "preamble", "messages", "fingerprints"),
    RawBlock: ("source", "text"),
    Problem: ("rule", "source", "message"),
    SourceRef: ("path", "line"),
}


# One encoder for every fingerprint: `json.dumps` with options builds a new one on each call.
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def fingerprint(rel: str, record: list[Any]) -> str:
    """A digest of everything a message of queue file `rel` holds: its record in this codec,
    which names every field (decoding it gives the message back), as compact JSON."""
    text = _COMPACT.encode([rel, record])
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def model_matches() -> bool:
    """True when the model classes have exactly the fields the codec knows."""
    return all(tuple(f.name for f in fields(cls)) == names for cls, names in SHAPES.items())


@dataclass(frozen=True, slots=True)
class ParsedQueue:
    """What one queue file gave: its redacted text, the secrets found, the model, the problems."""

    text: str
    secrets: tuple[Problem, ...]
    queue: QueueFile
    problems: tuple[Problem, ...]


Parse = Callable[[str, str], ParsedQueue]


class ReadCache:
    """Parsed queue files by path and text digest; with no folder, every file is parsed.
    With `save=False` the cache is only read: a changed file is parsed, and not stored."""

    def __init__(self, folder: Path | None, secret: bytes | None, *, save: bool = True) -> None:
        self.store = None
        self.reused = self.parsed = 0
        if folder is None or secret is None:
            return
        if not model_matches():
            log.warning("the read cache is off: the model changed and its codec did not")
            return
        self.store = Store(folder, "read", {"code": code_version()}, secret, save=save)

    @classmethod
    def open(cls, repo: Path, config: Config, *, save: bool = True) -> ReadCache:
        folder = cache_folder(repo, config)
        secret = signing_key(create=save) if folder is not None else None
        return cls(folder, secret, save=save)

    def queue(self, rel: str, text: str, parse: Parse) -> ParsedQueue:
        """`parse(rel, text)`, or what it gave before for the same path and text."""
        if self.store is None:
            return parse(rel, text)
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        payload = self.store.load(rel)
        if payload is not None:
            try:
                data = json.loads(payload)
                if data["digest"] == digest:
                    decoded = _decode(rel, text, data)
                    self.reused += 1
                    return decoded
            except (KeyError, IndexError, TypeError, ValueError) as exc:
                log.info("read cache for %s ignored: an unexpected shape (%r)", rel, exc)
        parsed = parse(rel, text)
        self.parsed += 1
        data = _encode(rel, text, digest, parsed)
        if data is None:
            return parsed
        self.store.save(rel, json.dumps(data, ensure_ascii=False).encode("utf-8"))
        queue = replace(parsed.queue, fingerprints=tuple(data["fingerprints"]))
        return replace(parsed, queue=queue)

    def finish(self) -> None:
        """Drop the cache files of queue files this build did not read (deleted or renamed)."""
        if self.store is not None:
            log.info("read cache: %d queue file(s) reused, %d parsed", self.reused, self.parsed)
            self.store.prune()


# --- the codec: positional JSON lists, in the field order of SHAPES ---------------------------


def _stamp(s: Stamp | None) -> list[Any] | None:
    if s is None:
        return None
    if s.value.tzinfo is not UTC:
        raise _Uncacheable(f"a time not in UTC: {s.value!r}")
    return [s.value.isoformat(), s.raw, s.canonical, s.had_zone]


def _stamp_from(d: list[Any] | None) -> Stamp | None:
    if d is None:
        return None
    value = datetime.fromisoformat(d[0])
    if value.tzinfo is not UTC:
        raise ValueError("a cached time not in UTC")
    return Stamp(value, str(d[1]), bool(d[2]), bool(d[3]))


class _Uncacheable(Exception):
    """A parse the codec cannot write exactly; it is then simply not cached."""


def _line(ref: SourceRef, rel: str) -> int | None:
    if ref.path != rel:
        raise _Uncacheable(f"a source in another file: {ref}")
    return ref.line


def _problem(p: Problem) -> list[Any]:
    return [p.rule, p.source.path, p.source.line, p.message]


def _problem_from(d: list[Any]) -> Problem:
    return Problem(str(d[0]), SourceRef(str(d[1]), d[2]), str(d[3]))


def _encode(rel: str, text: str, digest: str, parsed: ParsedQueue) -> dict[str, Any] | None:
    q = parsed.queue
    try:
        if q.path != rel:
            raise _Uncacheable(f"a queue read as {q.path}")
        messages = [
            [
                m.id,
                m.anchor,
                _line(m.source, rel),
                m.end_line,
                m.queue,
                m.heading,
                m.parsed,
                _stamp(m.at),
                m.sender,
                m.to,
                m.type,
                m.ref,
                m.re,
                m.via,
                m.status,
                m.status_explicit,
                [list(f) for f in m.fields],
                m.body,
                [
                    [_line(a.source, rel), a.raw, _stamp(a.at), a.by, a.state, a.note]
                    for a in m.acks
                ],
            ]
            for m in q.messages
        ]
        preamble = [[_line(b.source, rel), b.text] for b in q.preamble]
    except _Uncacheable as exc:
        log.info("read cache: %s not cached (%s)", rel, exc)
        return None
    return {
        "digest": digest,
        "text": parsed.text if parsed.text != text else None,
        "secrets": [_problem(p) for p in parsed.secrets],
        "recipient": q.recipient,
        "preamble": preamble,
        "messages": messages,
        "fingerprints": [fingerprint(rel, record) for record in messages],
        "problems": [_problem(p) for p in parsed.problems],
    }


def _decode(rel: str, text: str, data: dict[str, Any]) -> ParsedQueue:
    messages = tuple(
        Message(
            str(r[0]),
            str(r[1]),
            SourceRef(rel, r[2]),
            int(r[3]),
            str(r[4]),
            str(r[5]),
            bool(r[6]),
            _stamp_from(r[7]),
            r[8],
            r[9],
            r[10],
            r[11],
            r[12],
            r[13],
            str(r[14]),
            bool(r[15]),
            tuple((str(k), str(v)) for k, v in r[16]),
            str(r[17]),
            tuple(
                Ack(
                    SourceRef(rel, a[0]),
                    str(a[1]),
                    _stamp_from(a[2]),
                    str(a[3]),
                    str(a[4]),
                    str(a[5]),
                )
                for a in r[18]
            ),
        )
        for r in data["messages"]
    )
    fingerprints = tuple(map(str, data["fingerprints"]))
    if len(fingerprints) != len(messages):
        raise ValueError("a fingerprint per message")
    queue = QueueFile(
        rel,
        str(data["recipient"]),
        tuple(RawBlock(SourceRef(rel, b[0]), str(b[1])) for b in data["preamble"]),
        messages,
        fingerprints,
    )
    redacted = data["text"]
    return ParsedQueue(
        text if redacted is None else str(redacted),
        tuple(map(_problem_from, data["secrets"])),
        queue,
        tuple(map(_problem_from, data["problems"])),
    )
