"""Links from a generated page: to other pages, to files at the site root, and to the source."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import lru_cache

from generator.repourl import web_url
from generator.result import Result


def page_url(path: str, directory_urls: bool) -> str:
    """The URL of a page source `path` (`inboxes/sA.md`), relative to the site root."""
    stem = path[: -len(".md")] if path.endswith(".md") else path
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative_url(from_page: str, to_page: str, anchor: str | None, directory_urls: bool) -> str:
    """A link from one generated page to another (or to itself, with an anchor)."""
    if from_page == to_page and anchor:
        return f"#{anchor}"
    rel = _relative_page(from_page, to_page, directory_urls)
    return f"{rel}#{anchor}" if anchor else rel


@lru_cache(maxsize=1 << 14)  # a site links the same few pages thousands of times; relpath is slow
def _relative_page(from_page: str, to_page: str, directory_urls: bool) -> str:
    src = page_url(from_page, directory_urls)
    dest = page_url(to_page, directory_urls)
    base = posixpath.dirname(src) if not src.endswith("/") else src.rstrip("/")
    rel = posixpath.relpath(dest or ".", base or ".")
    if (dest == "" or dest.endswith("/")) and not rel.endswith("/"):
        rel += "/"
    return rel


def url_from(page: str, directory_urls: bool, to: str, anchor: str | None = None) -> str:
    """`relative_url` with the arguments in the order templates' `url(to, anchor)` needs."""
    return relative_url(page, to, anchor, directory_urls)


def root_file(page: str, directory_urls: bool, name: str) -> str:
    """A link from a page to a file at the site root (status.json, lint.sarif)."""
    src = page_url(page, directory_urls)
    base = src.rstrip("/") if src.endswith("/") else posixpath.dirname(src)
    return posixpath.relpath(name, base or ".")


def site_repo_url(result: Result) -> str | None:
    """Where source links point: the configured URL, else the git remote (as status.json does)."""
    return web_url(result.config.site.repo_url or result.board.history.remote_url, any_host=True)


@dataclass(frozen=True, slots=True)
class SourceLinks:
    """Links to a file of the repository on its code host, at the commit the board was built from."""

    repo: str | None  # the repository's web address; None: no source links at all
    ref: str

    def url(self, path: str, line: int | None, ref: str | None = None) -> str | None:
        if self.repo is None:
            return None
        return f"{self.repo}/blob/{ref or self.ref}/{path}" + (f"#L{line}" if line else "")


def source_links(result: Result) -> SourceLinks:
    """The board's source links: HEAD where git knows it, else the configured or current branch."""
    history = result.board.history
    ref = history.head or result.config.site.edit_branch or history.branch or "main"
    return SourceLinks(site_repo_url(result), ref)
