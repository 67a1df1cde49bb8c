"""The history cache: what reading git yielded up to one commit, in a folder that is safe to delete.

One file per configuration (the paths walked decide what the history holds): a header line naming
the format, the key, the commit it covers and the SHA-256 of the payload, then the payload as JSON.
JSON, not pickle: a cache folder may come from anywhere (a restored CI cache, a checked-in folder),
and loading it must never run code. A file that is truncated, edited, from another format or key,
or whose commit git no longer knows is ignored and rewritten — never trusted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FORMAT = 1
# The CACHEDIR.TAG convention: backup tools skip a folder holding this file.
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n# statusboard's history cache; safe to delete.\n"
)


@dataclass(frozen=True, slots=True)
class Cached:
    """A cache file that passed its checks: the commit it covers and its payload."""

    head: str
    data: dict[str, Any]


class HistoryCache:
    """The cache file for one repository and one configuration `key`."""

    def __init__(self, folder: Path, key: dict[str, Any]) -> None:
        self.folder = folder
        self.key = key
        digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]
        self.path = folder / f"history-{digest}.json"

    def load(self) -> Cached | None:
        """The cached history, or None when there is none or it fails any check (then rebuild)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.info("history cache %s unreadable (%s); reading the history again", self.path, exc)
            return None
        why = None
        first, _, payload = raw.partition(b"\n")
        try:
            header = json.loads(first)
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                why = "another format"
            elif header.get("key") != self.key:
                why = "another configuration"
            elif header.get("sha256") != hashlib.sha256(payload).hexdigest():
                why = "its checksum does not match (truncated or edited)"
            else:
                data = json.loads(payload)
                head = header.get("head")
                if isinstance(data, dict) and isinstance(head, str):
                    return Cached(head, data)
                why = "an unexpected shape"
        except (ValueError, UnicodeDecodeError):
            why = "it is not valid JSON"
        log.info("history cache %s ignored: %s", self.path, why)
        return None

    def save(self, head: str, data: dict[str, Any]) -> None:
        """Write the cache atomically; a folder that cannot be written only costs the speed-up."""
        payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        header = {
            "format": FORMAT,
            "key": self.key,
            "head": head,
            "sha256": hashlib.sha256(payload).hexdigest(),
        }
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for name, text in (("CACHEDIR.TAG", _TAG), (".gitignore", "*\n")):
                marker = self.folder / name
                if not marker.exists():
                    marker.write_text(text, encoding="utf-8")
            fd, tmp = tempfile.mkstemp(prefix=".history-", dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(json.dumps(header, sort_keys=True).encode() + b"\n" + payload)
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            log.warning(
                "cannot write the history cache %s (%s); builds stay correct", self.folder, exc
            )
