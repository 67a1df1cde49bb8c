"""The repository's own protocol documents on the site, in their Diátaxis quadrants.

Each page read by `generator.readers.repo_docs` is shown at `repo/<its path in the repository>`,
so the relative links between them keep working as written; images they show are copied beside
them. Board text rules hold: the markdown is rendered by markdown-it with raw HTML off (written
HTML shows as text), link schemes filtered, a third party's image shown as a link to it, never
loaded. Its top-level headings stay markdown (with the GitHub-style id authors link to, so
`page.md#some-heading` lands), which gives mkdocs the page title, the table of contents and the
search sections; the rest goes in as finished HTML like every board page.

Links are rewritten: to another shown page or image, relative on the site; to the scoreboard or a
queue, to the board's own pages; to any other file of the repository, to it on the code host
(`[site] repo_url` or the git remote); with no code host known, or out of the repository, the
link text stays and the target is named in its tooltip.
"""

from __future__ import annotations

import posixpath
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import escape

from generator.markdown_limits import check_tokens, parser, too_large, top_level_blocks
from generator.model_docs import Quadrant, RepoDoc, RepoDocs, link_target
from generator.render.markdown import REL, fence_safe, url_allowed
from generator.render.pages.common import NavItem
from generator.render.pages.urls import SourceLinks, page_url, relative_url, source_links
from generator.result import Result

PREFIX = "repo/"
QUADRANT_TITLES = {
    Quadrant.TUTORIAL: "Tutorial",
    Quadrant.HOW_TO: "How-to guides",
    Quadrant.REFERENCE: "Reference",
    Quadrant.EXPLANATION: "Explanation",
}
OWN_TITLE = "This repository"
LINKED_TITLE = "Linked records"
# Characters Python-Markdown would still act on in a heading line we write.
_HEADING_SAFE = str.maketrans({"*": "&#42;", "[": "&#91;", "\\": "&#92;", "{": "&#123;"})

Docs = tuple[dict[str, str], dict[str, bytes], list[NavItem]]


def site_path(repo_path: str) -> str:
    """Where a repository file is on the site."""
    return PREFIX + repo_path


def github_slug(text: str, seen: dict[str, int]) -> str:
    """The id GitHub gives a heading (lower case, punctuation dropped, spaces to dashes), made
    unique on the page the way GitHub does (`-1`, `-2`)."""
    kept = "".join(
        c
        for c in text.strip().lower()
        if c.isalnum() or c in "-_ " or unicodedata.category(c).startswith("M")
    )
    slug = kept.replace(" ", "-") or "section"
    n = seen.get(slug, 0)
    seen[slug] = n + 1
    return slug if n == 0 else f"{slug}-{n}"


class _DocsMarkdownIt(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        return url_allowed(url)


def _image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """A copied image shows; any other is a link to it (a reader's browser asks no third party)."""
    token = tokens[idx]
    src = escapeHtml(str(token.attrGet("src") or ""))
    alt = escapeHtml(self.renderInlineAsText(token.children or [], options, env))
    title = token.attrGet("title")
    tip = f' title="{escapeHtml(str(title))}"' if title else ""
    if token.meta.get("local"):
        return f'<img src="{src}" alt="{alt}"{tip} loading="lazy">'
    if not src:
        return f'<span class="sb-img">image: {alt}</span>'
    text = f"image: {alt}" if alt else f"image: {src}"
    return f'<a class="sb-img" href="{src}" rel="{REL}"{tip}>{text}</a>'


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = parser(_DocsMarkdownIt)
    md.add_render_rule("image", _image)
    return md


@dataclass(frozen=True, slots=True)
class Targets:
    """What a link may land on: shown pages and images (repository paths), the board's files."""

    pages: frozenset[str]
    assets: frozenset[str]
    scoreboard: str
    queue_dir: str
    links: SourceLinks
    directory_urls: bool

    def href(self, page: str, href: str) -> tuple[str | None, str | None]:
        """(the rewritten href or None, a tooltip naming the target when there is no link)."""
        target = link_target(page, href)
        if target is None:
            return href, None  # an absolute URL, its scheme already checked
        here = site_path(page)
        if target.path is None:
            return None, f"{href}: outside the repository"
        path, fragment = target.path, target.fragment
        if path in self.pages:
            return relative_url(here, site_path(path), fragment, self.directory_urls), None
        if path in self.assets:
            return _file_url(here, site_path(path), self.directory_urls), None
        if path == self.scoreboard:
            return relative_url(here, "scoreboard.md", None, self.directory_urls), None
        if path == self.queue_dir or path.startswith(self.queue_dir + "/"):
            return relative_url(here, "inboxes/index.md", None, self.directory_urls), None
        url = self.links.url(path, None)
        if url is None:
            return None, f"{path or '/'} in the repository"
        return url + (f"#{fragment}" if fragment else ""), None


def _file_url(page: str, file: str, directory_urls: bool) -> str:
    src = page_url(page, directory_urls)
    base = src.rstrip("/") if src.endswith("/") else posixpath.dirname(src)
    return posixpath.relpath(file, base or ".")


def _rewrite(children: list[Token], page: str, targets: Targets) -> None:
    """Point every link and image of an inline token list where it lands on the site."""
    opened: list[Token] = []
    for token in children:
        if token.type == "link_open":
            opened.append(token)
            href, tip = targets.href(page, str(token.attrGet("href") or ""))
            if href is None:
                token.tag, token.attrs = "span", {"class": "sb-doc__nolink", "title": tip or ""}
            else:
                token.attrSet("href", href)
                if link_target(page, href) is None and not href.startswith("#"):
                    token.attrSet("rel", REL)
        elif token.type == "link_close" and opened:
            token.tag = opened.pop().tag
        elif token.type == "image":
            raw = str(token.attrGet("src") or "")
            target = link_target(page, raw)
            if target is not None and target.path in targets.assets:
                token.meta["local"] = True
            src, _tip = targets.href(page, raw)
            token.attrSet("src", src or "")
        if token.children:
            _rewrite(token.children, page, targets)


def render_doc(doc: RepoDoc, targets: Targets) -> str:
    """One repository page as site markdown: headings as markdown, the rest as safe HTML."""
    md = _parser()
    text = doc.text
    page = site_path(doc.path)
    source = targets.links.url(doc.path, None)
    where = (
        f'<a href="{escape(source)}">{escape(doc.path)}</a>'
        if source
        else f"<code>{escape(doc.path)}</code>"
    )
    footer = f'<p class="sb-doc__source">From the repository: {where}</p>'
    if too_large(text) is not None:
        body = f'<pre class="sb-unrendered__text">{fence_safe(str(escape(text)))}</pre>'
        return _block(f"# {escape(doc.title or doc.path)}\n", body + footer)
    tokens = md.parse(text)
    for token in tokens:
        if token.type == "inline" and token.children:
            _rewrite(token.children, doc.path, targets)
    raw = {u.start for u in check_tokens(tokens)}
    lines = text.split("\n")
    parts: list[str] = []
    html: list[str] = []
    seen: dict[str, int] = {}
    has_title = False
    for i, j in top_level_blocks(tokens):
        first = tokens[i]
        if first.type == "heading_open" and j - i == 3:
            if html:
                parts.append(_div("".join(html)))
                html = []
            level = int(first.tag[1:])
            has_title = has_title or level == 1
            inline = tokens[i + 1]
            renderer = md.renderer
            assert isinstance(renderer, RendererHTML)  # the parser's only renderer
            plain = renderer.renderInlineAsText(inline.children or [], md.options, {})
            shown = renderer.renderInline(inline.children or [], md.options, {})
            heading = fence_safe(shown).translate(_HEADING_SAFE)
            parts.append(f"{'#' * level} {heading} {{: #{github_slug(plain, seen)} }}\n")
        elif first.map is not None and first.map[0] in raw:
            shown_raw = "\n".join(lines[first.map[0] : first.map[1]])
            html.append(
                f'<pre class="sb-unrendered__text">{fence_safe(str(escape(shown_raw)))}</pre>\n'
            )
        else:
            html.append(fence_safe(md.renderer.render(tokens[i:j], md.options, {})))
    html.append(footer)
    parts.append(_div("".join(html)))
    title = "" if has_title else f"# {escape(doc.title or posixpath.basename(page)[:-3])}\n\n"
    return title + "\n".join(parts)


def _div(html: str) -> str:
    return f'<div class="sb-page sb-doc">\n{html}\n</div>\n'


def _block(heading: str, html: str) -> str:
    return heading + "\n" + _div(html)


def _targets(result: Result, docs: RepoDocs, directory_urls: bool) -> Targets:
    paths = result.config.paths
    return Targets(
        pages=frozenset(d.path for d in docs.pages),
        assets=frozenset(a.path for a in docs.assets),
        scoreboard=paths.scoreboard.strip("/"),
        queue_dir=paths.queue_dir.strip("/"),
        links=source_links(result),
        directory_urls=directory_urls,
    )


def with_repo_docs(result: Result, shipped: Docs, directory_urls: bool = False) -> Docs:
    """The Docs section: the shipped docs with the repository's own beside them (`[docs] mode`
    `beside`), or the repository's own instead (the shipped pages stay, out of the nav, so the
    board's links into them still land); the shipped docs alone when the repository has none."""
    docs = result.board.docs
    mode = result.config.docs.mode
    if docs is None or not docs.pages or mode == "off":
        return shipped
    shipped_pages, shipped_files, shipped_nav = shipped
    targets = _targets(result, docs, directory_urls)
    pages = dict(shipped_pages)
    files = dict(shipped_files)
    own: dict[Quadrant, list[NavItem]] = {q: [] for q in QUADRANT_TITLES}
    linked: list[NavItem] = []
    for doc in docs.pages:
        pages[site_path(doc.path)] = render_doc(doc, targets)
        (own[doc.quadrant] if doc.quadrant is not None else linked).append(site_path(doc.path))
    for asset in docs.assets:
        files[site_path(asset.path)] = asset.data
    if mode == "instead":
        nav: list[NavItem] = [{QUADRANT_TITLES[q]: items} for q, items in own.items() if items]
    else:
        nav = _beside(shipped_nav, own)
    if linked:
        nav.append({LINKED_TITLE: linked})
    return pages, files, nav


def _beside(shipped: list[NavItem], own: dict[Quadrant, list[NavItem]]) -> list[NavItem]:
    """The shipped nav with each quadrant's section ending in the repository's own pages."""
    by_title = {title.casefold(): q for q, title in QUADRANT_TITLES.items()}
    placed: set[Quadrant] = set()
    nav: list[NavItem] = []
    for item in shipped:
        if isinstance(item, dict) and len(item) == 1:
            ((title, value),) = item.items()
            quadrant = by_title.get(str(title).casefold())
            if quadrant is not None and own[quadrant] and isinstance(value, list):
                placed.add(quadrant)
                nav.append({title: [*value, {OWN_TITLE: own[quadrant]}]})
                continue
        nav.append(item)
    for quadrant, items in own.items():
        if items and quadrant not in placed:
            nav.append({QUADRANT_TITLES[quadrant]: items})
    return nav
