"""The render cache: what rendering gives the same from one build to the next, kept by a digest
of exactly what it shows.

Message cards are most of the site's markdown (one per message on its archive page, the recent
ones again on the inbox page) and nearly all of them are the same from one build to the next. A
card is kept under the digest of its inputs (pages.card_key) in one file per page (`render-*.json`
in the cache folder, checked like every cache file: generator/cache.py), its build-dependent parts
left out as holes: the waiting note (its age and overdue flag depend on `now`), the findings (they
name ages too) and the commit that source links point at (HEAD). The rows of the Inboxes page's waiting table are kept the same way,
their age and overdue flag left as holes; so are rendered markdown (rule docs, findings) and the
JSON of each message in status.json. Each build fills the holes afresh, so a cached fragment is
byte for byte what rendering it again would give; a key, file or format that does not match is
rendered again. The files hold HTML that goes into the pages as it is, so they are signed with
this user's key (generator/cache.py), and a file that does not verify is never used.

A file is written again only when a fragment was added, then holding only those this build used;
the files of pages no longer built are deleted. A read-only cache (`save=False`) uses the files and
writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator.cache import Store, cache_folder, code_version, signing_key, template_cache
from generator.config import Config
from generator.render.markdown import render_inline, render_markdown

log = logging.getLogger(__name__)

# A fragment is its literal text with holes between: [text, hole, text, hole, text, …].
Fragment = list[str]

# Hole markers: random per process, so no board text can ever contain one.
_TOKEN = secrets.token_hex(12)
HOLES = ("waiting", "findings", "ref", "age", "overdue")
MARKERS = {name: f"sbhole{_TOKEN}{name}x" for name in HOLES}
_SPLIT = re.compile("(" + "|".join(re.escape(m) for m in MARKERS.values()) + ")")
_NAME = {marker: name for name, marker in MARKERS.items()}


def marker(name: str) -> Markup:
    """The placeholder a hole is rendered as (a Markup: escaping leaves it as it is)."""
    return Markup(MARKERS[name])


def split(rendered: str) -> Fragment:
    """A rendered fragment with its hole markers turned into holes."""
    pieces = _SPLIT.split(rendered)
    return [_NAME.get(p, p) if i % 2 else p for i, p in enumerate(pieces)]


def fill(fragment: Fragment, values: Mapping[str, str]) -> Markup:
    """The fragment with each hole replaced by this build's value."""
    if len(fragment) == 1:
        return Markup(fragment[0])
    out = [fragment[0]]
    for i in range(1, len(fragment), 2):
        out.append(values[fragment[i]])
        out.append(fragment[i + 1])
    return Markup("".join(out))


class PageFragments:
    """The cached fragments of one page: what the last build kept, and what this one uses."""

    def __init__(self, name: str, stored: dict[str, Fragment]) -> None:
        self.name = name
        self.stored = stored
        self.used: dict[str, Fragment] = {}
        self.added = 0
        self.hits = 0
        self.released = False

    def get(self, key: str) -> Fragment | None:
        fragment = self.used.get(key)
        if fragment is None:
            fragment = self.stored.get(key)
            if fragment is None:
                return None
            self.used[key] = fragment
        self.hits += 1
        return fragment

    def put(self, key: str, fragment: Fragment) -> None:
        self.used[key] = fragment
        self.added += 1

    @property
    def changed(self) -> bool:
        # Written again only with something new, then without what this build did not use; a
        # fragment left unused meanwhile (a card a warm build took whole) costs nothing.
        return self.added > 0


class MarkdownCache:
    """`render_markdown` and `render_inline` through the render cache: board and rule text
    rendered once, by a digest of the text (the code version is in the cache's key)."""

    def __init__(self, fragments: PageFragments) -> None:
        self.fragments = fragments

    def block(self, text: str, heading_offset: int = 0) -> Markup:
        return self._get(
            f"block {heading_offset}", text, lambda: render_markdown(text, heading_offset)
        )

    def inline(self, text: str) -> Markup:
        return self._get("inline", text, lambda: render_inline(text))

    def _get(self, kind: str, text: str, render: Callable[[], Markup]) -> Markup:
        key = hashlib.sha256(f"{kind}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()[:32]
        fragment = self.fragments.get(key)
        if fragment is None:
            fragment = [str(render())]
            self.fragments.put(key, fragment)
        return Markup(fragment[0])


class FragmentCache:
    """Per-page fragment files in the cache folder (keys name what else a fragment depends on)."""

    def __init__(self, folder: Path, secret: bytes, *, save: bool = True) -> None:
        self.store = Store(folder, "render", {"code": code_version()}, secret, save=save)
        # Compiled templates: jinja2's own bytecode cache, in the user's folder, not this one.
        self.templates = template_cache(save)
        self.pages: dict[str, PageFragments] = {}

    @classmethod
    def open(cls, root: str, config: Config, *, save: bool = True) -> FragmentCache | None:
        """The cache of the repository at `root`; None when caching is off (`--no-cache`) or
        there is no signing key (generator/cache.py: only signed fragments are trusted). With
        `save=False` it is read-only: `save()` writes nothing and no key is created."""
        signed = _signed_folder(root, config, save)
        return cls(*signed, save=save) if signed is not None else None

    def markdown(self) -> MarkdownCache:
        return MarkdownCache(self.page("(markdown)"))

    def page(self, name: str) -> PageFragments:
        if name not in self.pages:
            self.pages[name] = PageFragments(name, self._load(name))
        return self.pages[name]

    @property
    def hits(self) -> int:
        return sum(p.hits for p in self.pages.values())

    @property
    def misses(self) -> int:
        return sum(p.added for p in self.pages.values())

    def release(self, name: str) -> None:
        """The page `name` is rendered: write its fragments now if they changed, and let them go
        (a large board's cards are a hundred megabytes; the pages hold them meanwhile)."""
        page = self.pages.get(name)
        if page is None or page.released:
            return
        if page.changed:
            self.store.save(page.name, _encode(page.used))
        page.stored, page.used, page.released = {}, {}, True

    def save(self) -> None:
        """Write the pages whose fragments changed; drop the files of pages no longer built."""
        for page in self.pages.values():
            if page.changed and not page.released:
                self.store.save(page.name, _encode(page.used))
        self.store.prune()

    def _load(self, name: str) -> dict[str, Fragment]:
        return _load(self.store, name)


class SearchTexts:
    """The search index's text of each held-back page block (render/placeholders.py), kept by
    page and a digest of the block's HTML: the unchanged archive pages of a large board are most
    of the site, and taking their text apart again was a third of mkdocs' share of a rebuild.

    One file per page (`search-*.json`), signed and checked like the render cache's; a page whose
    blocks all have their text already is not written again, and the files of pages no longer
    built are deleted by `finish()`.
    """

    def __init__(self, folder: Path, secret: bytes, *, save: bool = True) -> None:
        self.store = Store(folder, "search", {"code": code_version()}, secret, save=save)

    @classmethod
    def open(cls, root: str, config: Config, *, save: bool = True) -> SearchTexts | None:
        """As `FragmentCache.open`: None when caching is off or there is no signing key."""
        signed = _signed_folder(root, config, save)
        return cls(*signed, save=save) if signed is not None else None

    def texts(self, page: str, blocks: list[str], make: Callable[[str], str]) -> list[str]:
        """`make(block)` for each of the page's blocks, or what it gave before for the same HTML."""
        stored = _load(self.store, page)
        used: dict[str, Fragment] = {}
        out: list[str] = []
        for block in blocks:
            key = hashlib.sha256(block.encode("utf-8", "surrogatepass")).hexdigest()[:32]
            found = used.get(key) or stored.get(key)
            text = found[0] if found is not None and len(found) == 1 else make(block)
            used[key] = [text]
            out.append(text)
        if used.keys() != stored.keys():
            self.store.save(page, _encode(used))
        return out

    def finish(self) -> None:
        """Delete the files of pages this build did not have."""
        self.store.prune()


def _signed_folder(root: str, config: Config, save: bool) -> tuple[Path, bytes] | None:
    """The repository's cache folder and this user's signing key; None when caching is off or
    there is no key (`save=False` makes none)."""
    folder = cache_folder(Path(root), config) if root else None
    secret = signing_key(create=save) if folder is not None else None
    return (folder, secret) if folder is not None and secret is not None else None


def _load(store: Store, name: str) -> dict[str, Fragment]:
    """The fragments `store` keeps for `name`; none when missing, unverified or malformed."""
    payload = store.load(name)
    if payload is None:
        return {}
    try:
        return _decode(payload)
    except (IndexError, TypeError, ValueError, UnicodeDecodeError) as exc:
        log.info("%s cache for %s ignored: an unexpected shape (%r)", store.kind, name, exc)
        return {}


# A page file's payload: one JSON line indexing the fragments (key, then the length of each text
# and the name of each hole), then their texts, concatenated; no escaping to undo when loading.


def _encode(fragments: dict[str, Fragment]) -> bytes:
    index: list[list[Any]] = []
    texts: list[str] = []
    for key, fragment in fragments.items():
        index.append(
            [key, [len(p) if i % 2 == 0 else p for i, p in enumerate(fragment)]],
        )
        texts.extend(fragment[::2])
    head = json.dumps(index, separators=(",", ":"), ensure_ascii=True)
    return (head + "\n" + "".join(texts)).encode("utf-8", "surrogatepass")


def _decode(payload: bytes) -> dict[str, Fragment]:
    head, _, body = payload.partition(b"\n")
    index = json.loads(head)
    text = body.decode("utf-8", "surrogatepass")
    size = len(text)
    out: dict[str, Fragment] = {}
    at = 0
    for key, layout in index:
        if type(key) is not str or type(layout) is not list or len(layout) % 2 != 1:
            raise ValueError("a malformed index entry")
        fragment: Fragment = []
        for i, item in enumerate(layout):
            if i % 2:
                if item not in HOLES:
                    raise ValueError(f"an unknown hole {item!r}")
                fragment.append(item)
                continue
            if type(item) is not int or item < 0 or at + item > size:
                raise ValueError("a text length out of range")
            fragment.append(text[at : at + item])
            at += item
        out[key] = fragment
    if at != size:
        raise ValueError("texts left over")
    return out
