"""The build caches, in one folder that is safe to delete: what reading git yielded up to a commit
(the history cache), what each queue file parsed into (the read cache) and the rendered message
cards (the render cache). The compiled page templates are kept apart, in the user's own cache
folder (`template_cache()`): they are code, the same for every repository.

Every file has a header line naming its kind, the format, the key it was written for and the
SHA-256 of the payload (or its signature, below), then the payload. A cache folder may come from anywhere (a restored CI
cache, a checked-in folder): a file that is truncated, edited, from another format, kind or key is
ignored and rewritten — never trusted. The history cache is JSON, never pickle or code, so loading
it can never run code. The read and render caches are keyed by `code_version()` too, so a
changed reader, template or library invalidates them.

The read and render caches are also signed (HMAC-SHA256) with a key that never leaves this user's
own cache directory (`signing_key()`), and a file without a valid signature is parsed or rendered
again: the render cache holds HTML that goes into the pages as it is, the read cache what the pages
say a message is, so neither may come from a file anyone else could have written. Only what this
user's own statusboard wrote is used.

A build may also use the caches read-only (`save=False` from `pipeline.build` down: `statusboard
inbox`, which runs in a session-start hook): valid files are used and what is new is worked out in
memory, but nothing is written — no cache file, no signing key, no template, no marker file.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import json
import logging
import os
import secrets
import stat
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import __version__
from generator.resources import templates_dir

if TYPE_CHECKING:
    import jinja2

    from generator.config import Config

log = logging.getLogger(__name__)

FORMAT = 1
# The CACHEDIR.TAG convention: backup tools skip a folder holding this file.
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n# statusboard's build caches; safe to delete.\n"
)


def cache_folder(repo: Path, config: Config) -> Path | None:
    """Where `repo`'s caches live; None when caching is off (`enabled = false`, `--no-cache`) or
    `repo` is not the root of a git repository (a plain folder gets no cache folder written into
    it, as it gets no history)."""
    if not config.cache.enabled or not (repo / ".git").exists():
        return None
    folder = Path(config.cache.dir).expanduser()
    return folder if folder.is_absolute() else repo / folder


def code_version() -> str:
    """A key for everything that shapes what the read, render and template caches hold: this
    package's source and templates, and the versions of the libraries that parse and render
    board text.

    Keying on the sources, not only the version number, keeps a cache honest through development,
    where the code changes and the version does not. The templates are looked at on every call: a
    running `serve` picks up an edited template, and must not take cards rendered with the old.
    """
    digest = hashlib.sha256(_code_digest().encode())
    digest.update(_file_stamps(templates_dir()).encode())
    return digest.hexdigest()[:32]


# The libraries whose output the caches keep (parsed markdown, rendered HTML, compiled templates).
_LIBRARIES = ("jinja2", "markdown_it", "markupsafe")


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """The Python side of `code_version`, once per process (modules are not reloaded).

    A library is known by the text of its `__init__.py`, found without importing it (importing
    jinja2 here cost a build that never renders, `lint`, 10 ms): jinja2's and markdown-it's name
    their `__version__`, markupsafe's is most of its code, so an upgrade changes the key.
    """
    digest = hashlib.sha256()
    digest.update(f"{__version__} {sys.version}\n".encode())
    for name in _LIBRARIES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        digest.update(f"{name}\0".encode())
        try:
            digest.update(Path(origin).read_bytes() if origin else b"missing")
        except OSError:
            digest.update(b"unreadable")
    package = Path(__file__).resolve().parent
    digest.update(_file_stamps(package, ".py").encode())
    return digest.hexdigest()


def _file_stamps(root: Path, suffix: str = "") -> str:
    """Path, size and modification time (ns) of every file under `root` named `*suffix`, sorted.

    The sources and templates are known by these, not by hashing their bytes (1.1 MB, 10 ms a
    build), as Python's own `.pyc` check knows a module's source: an edit, a checkout or an
    install writes the file and so gives it a new mtime (and mostly a new size). A file changed
    with the same size within the same clock tick would go unseen here, but then also by the
    import system, which would run its stale bytecode, and by jinja2, whose loader reloads a
    template only when its mtime changes: the caches would be as stale as the code that runs.
    """
    stamps = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in names:
            if not name.endswith(suffix):
                continue
            path = os.path.join(folder, name)
            try:
                info = os.stat(path)
            except OSError:
                stamps.append(f"{path}\0unreadable")
            else:
                stamps.append(f"{path}\0{info.st_size}\0{info.st_mtime_ns}")
    return "\n".join(sorted(stamps))


def user_cache_dir() -> Path:
    """This user's own statusboard folder: `$XDG_CACHE_HOME/statusboard/`, else
    `~/.cache/statusboard/` (not a repository's cache folder, which others may write)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "statusboard"


def _private(info: os.stat_result) -> bool:
    """Only this user may read or write it (Windows keeps a profile's cache private already)."""
    private = os.name == "nt" or not info.st_mode & (stat.S_IRWXG | stat.S_IRWXO)
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return private and mine


def template_cache(save: bool = True) -> jinja2.BytecodeCache | None:
    """Jinja2's own bytecode cache for the page templates, in `user_cache_dir()/templates/`;
    None when that folder cannot be made private to this user (then templates are compiled on
    every build, a tenth of a second). With `save=False` it is only read: a folder that does not
    exist yet is not made, no file is deleted, and newly compiled templates are not stored.

    Compiled templates are code that runs (marshalled code objects), so they are never kept in
    a repository's cache folder, which a restored CI cache or a checkout may fill: only in a
    folder no one else can write. File names carry `code_version()` (templates, the environment's
    options in `render/pages/templating.py`, the jinja2 and Python versions); files of other versions are
    deleted when the cache is opened, so the folder holds one set.
    """
    import jinja2

    folder = user_cache_dir() / "templates"
    prefix = f"__jinja2_{code_version()}_"
    try:
        if save:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        elif not folder.is_dir():
            return None
        info = folder.stat()
        if not stat.S_ISDIR(info.st_mode) or not _private(info):
            log.info("template cache off: %s is not a private folder of this user", folder)
            return None
        for old in folder.glob("__jinja2_*") if save else ():
            if not old.name.startswith(prefix):
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.info("template cache off: %s (%s)", folder, exc)
        return None
    if not save:
        return _read_only_bytecode_cache()(str(folder), prefix + "%s.cache")
    return jinja2.FileSystemBytecodeCache(str(folder), prefix + "%s.cache")


def _read_only_bytecode_cache() -> type[jinja2.FileSystemBytecodeCache]:
    import jinja2

    class ReadOnly(jinja2.FileSystemBytecodeCache):
        """Loads compiled templates, never stores them (a read-only build)."""

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            return None

    return ReadOnly


def signing_key(create: bool = True) -> bytes | None:
    """This user's key for signing read and render cache files, created on first use; None
    when there is no private place for one (then those caches are off). With `create=False` (a
    read-only build) a missing key is not made: no file could have been signed without it.

    It lives in the user's cache directory (`user_cache_dir()`), not in the repository's cache
    folder: whoever can write a repository's cache folder (a restored CI cache, a checked-in
    folder) cannot sign with it.
    """
    path = user_cache_dir() / "signing-key"
    if not create and not path.exists():
        return None
    try:
        if create:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w", encoding="ascii") as fh:
                    fh.write(secrets.token_hex(32))
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or not _private(info):
            log.info("read and render caches off: %s is not a private file of this user", path)
            return None
        key = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        log.info("read and render caches off: no signing key (%s)", exc)
        return None
    return key.encode() if len(key) == 64 else None


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:16]


def _mac(secret: bytes, payload: bytes) -> str:
    return hmac.new(secret, payload, hashlib.sha256).hexdigest()


def _check(
    raw: bytes, kind: str, key: Any, secret: bytes | None = None
) -> tuple[dict[str, Any], bytes] | str:
    """The header and payload of a cache file, or why it must not be trusted."""
    first, _, payload = raw.partition(b"\n")
    try:
        header = json.loads(first)
    except (ValueError, UnicodeDecodeError):
        return "it is not valid JSON"
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        return "another format"
    if header.get("kind", "history") != kind:
        return "another kind"
    if header.get("key") != key:
        return "another configuration"
    if secret is not None:  # the signature covers what the checksum would
        if not hmac.compare_digest(str(header.get("mac", "")), _mac(secret, payload)):
            return "its signature does not match (edited, written elsewhere, or forged)"
    elif header.get("sha256") != hashlib.sha256(payload).hexdigest():
        return "its checksum does not match (truncated or edited)"
    return header, payload


def _write(
    folder: Path, path: Path, header: dict[str, Any], payload: bytes, secret: bytes | None = None
) -> None:
    """Write a cache file atomically; a folder that cannot be written only costs the speed-up."""
    header = {**header, "format": FORMAT}
    if secret is not None:  # the signature covers what the checksum would
        header["mac"] = _mac(secret, payload)
    else:
        header["sha256"] = hashlib.sha256(payload).hexdigest()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in (("CACHEDIR.TAG", _TAG), (".gitignore", "*\n")):
            marker = folder / name
            if not marker.exists():
                marker.write_text(text, encoding="utf-8")
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(json.dumps(header, sort_keys=True).encode() + b"\n" + payload)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.warning("cannot write the cache %s (%s); builds stay correct", folder, exc)


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
        self.path = folder / f"history-{_digest(key)}.json"

    def load(self) -> Cached | None:
        """The cached history, or None when there is none or it fails any check (then rebuild)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.info("history cache %s unreadable (%s); reading the history again", self.path, exc)
            return None
        checked = _check(raw, "history", self.key)
        if isinstance(checked, str):
            why = checked
        else:
            header, payload = checked
            try:
                data = json.loads(payload)
            except (ValueError, UnicodeDecodeError):
                data = None
            head = header.get("head")
            if isinstance(data, dict) and isinstance(head, str):
                return Cached(head, data)
            why = "an unexpected shape"
        log.info("history cache %s ignored: %s", self.path, why)
        return None

    def save(self, head: str, data: dict[str, Any]) -> None:
        """Write the cache atomically; a folder that cannot be written only costs the speed-up."""
        payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        _write(self.folder, self.path, {"key": self.key, "head": head}, payload)


class Store:
    """Cache files of one `kind` (`read`, `render`), one per `name` (a board file, a page).

    `key` is what every file of the kind must have been written for (the code version, the
    options that shape the output); a file written for another key is ignored like a corrupt one.
    With a `secret`, files are signed and a file without a valid signature is ignored too. With
    `save=False` the store is read-only: `save` and `prune` do nothing.
    """

    def __init__(
        self,
        folder: Path,
        kind: str,
        key: dict[str, Any],
        secret: bytes | None = None,
        suffix: str = ".json",
        *,
        save: bool = True,
    ) -> None:
        self.folder = folder
        self.kind = kind
        self.key = key
        self.secret = secret
        self.suffix = suffix
        self.writable = save
        self.used: set[Path] = set()

    def path(self, name: str) -> Path:
        return self.folder / f"{self.kind}-{_digest([self.kind, name])}{self.suffix}"

    def load(self, name: str) -> bytes | None:
        """The payload stored for `name`, or None (missing, unreadable, or failing a check)."""
        path = self.path(name)
        self.used.add(path)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.info("%s cache %s unreadable (%s)", self.kind, path, exc)
            return None
        checked = _check(raw, self.kind, self.key, self.secret)
        if isinstance(checked, str):
            log.info("%s cache %s ignored: %s", self.kind, path, checked)
            return None
        header, payload = checked
        if header.get("name") != name:
            log.info("%s cache %s ignored: it is for %r", self.kind, path, header.get("name"))
            return None
        return payload

    def save(self, name: str, payload: bytes) -> None:
        path = self.path(name)
        self.used.add(path)
        if not self.writable:
            return
        header = {"kind": self.kind, "key": self.key, "name": name}
        _write(self.folder, path, header, payload, self.secret)

    def prune(self) -> None:
        """Delete the files of this kind that this build neither read nor wrote (a page or a
        queue file that is gone), so the folder does not grow without bound."""
        if not self.writable:
            return
        try:
            files = self.folder.glob(f"{self.kind}-*{self.suffix}")
            stale = [p for p in files if p not in self.used]
            for path in stale:
                path.unlink(missing_ok=True)
        except OSError as exc:
            log.info("cannot prune the %s cache in %s (%s)", self.kind, self.folder, exc)
