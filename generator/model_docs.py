"""The repository's own protocol documents (frozen records): its Diátaxis pages and what they link.

Kept apart from `model.py` like `model_agents.py`; `Board.docs` holds one `RepoDocs`. Built by
`generator.readers.repo_docs`, placed on the site by `generator.render.repo_docs`.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import unquote

from generator.model import SourceRef


class Quadrant(StrEnum):
    """The four Diátaxis quadrants, in the order the docs show them."""

    TUTORIAL = "tutorial"
    HOW_TO = "how-to"
    REFERENCE = "reference"
    EXPLANATION = "explanation"


@dataclass(frozen=True, slots=True)
class RepoDoc:
    """One markdown page of the repository shown on the site.

    `source` is the file and the line its body starts on (after any front matter); `text` is that
    body, secrets redacted. `quadrant` is None for a record the documents link to (a decision
    record, a playbook), shown where it lives in the repository.
    """

    source: SourceRef
    text: str
    quadrant: Quadrant | None
    title: str | None = None  # the front matter's `title`, when it has one
    package: str | None = None  # the folder of its Diátaxis package; None: found by front matter

    @property
    def path(self) -> str:
        return self.source.path


@dataclass(frozen=True, slots=True)
class RepoAsset:
    """An image a shown page displays, copied to the site beside it."""

    path: str
    data: bytes


@dataclass(frozen=True, slots=True)
class RepoDocs:
    """Everything of the repository's own documentation the site shows."""

    pages: tuple[RepoDoc, ...] = ()
    assets: tuple[RepoAsset, ...] = ()


@dataclass(frozen=True, slots=True)
class LinkTarget:
    """Where a relative link of a repository page points: a repository path and a fragment.

    `path` is None when the link climbs out of the repository, "" for its root folder.
    """

    path: str | None
    fragment: str | None


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def link_target(page: str, href: str) -> LinkTarget | None:
    """The repository path a link on `page` (a repository path) names; None for an absolute URL.

    As the code host reads it: relative to the page's folder, `/x` from the repository root,
    percent-escapes decoded, a query dropped.
    """
    text = href.strip()
    if not text or _SCHEME.match(text) or text.startswith("//"):
        return None
    text, _, fragment = text.partition("#")
    text = text.partition("?")[0]
    if not text:
        return LinkTarget(page, fragment or None)  # `#x`: the page itself
    rel = unquote(text)
    base = "" if rel.startswith("/") else posixpath.dirname(page)
    joined = posixpath.normpath(posixpath.join(base, rel.lstrip("/")))
    if joined == ".." or joined.startswith("../"):
        return LinkTarget(None, fragment or None)
    return LinkTarget("" if joined == "." else joined, fragment or None)
