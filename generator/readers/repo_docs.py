"""The repository's own protocol documents: its Diátaxis package and its front-matter pages.

Found without configuration among the markdown files of `docs/` (`[docs] paths`):

- a **package**: a folder holding at least two of `tutorial.md`, `how-to-*.md`, `reference.md`
  and `explanation.md` (the protocol's own package is all four, e.g.
  `docs/developers/inter-session-comms/`); each of those files goes to its quadrant;
- any page whose **front matter names its quadrant** (`diataxis:`, `quadrant:` or `type:` set to
  tutorial, how-to, reference or explanation); front matter overrides a package file's name.

The markdown pages they link to inside the repository (a decision record, a playbook) are read
too, one link deep, and the raster images they show. Secrets are redacted before anything is
parsed. An unreadable page, a secret, broken front matter or an unknown quadrant of a shown page
is a problem with its `path:line`; a markdown file that turns out to be none of these is not ours
and is left alone, problems and all.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.config import Config
from generator.markdown_limits import parser, too_large
from generator.model import Problem, SourceRef
from generator.model_docs import LinkTarget, Quadrant, RepoAsset, RepoDoc, RepoDocs, link_target
from generator.readers.files import escaping_link, read_source, starts_with
from generator.readers.optional_sources import matching
from generator.readers.secrets import redact_path_source, redact_source

RULE = "export-parse"
# Front-matter keys that may name the quadrant; `type` only counts when its value is a quadrant.
NAMING_KEYS = ("diataxis", "quadrant")
LOOSE_KEYS = ("type",)
QUADRANT_NAMES: dict[str, Quadrant] = {
    "tutorial": Quadrant.TUTORIAL,
    "tutorials": Quadrant.TUTORIAL,
    "how-to": Quadrant.HOW_TO,
    "howto": Quadrant.HOW_TO,
    "how-to guide": Quadrant.HOW_TO,
    "how-to guides": Quadrant.HOW_TO,
    "how-to-guide": Quadrant.HOW_TO,
    "how-to-guides": Quadrant.HOW_TO,
    "guide": Quadrant.HOW_TO,
    "reference": Quadrant.REFERENCE,
    "explanation": Quadrant.EXPLANATION,
    "explanations": Quadrant.EXPLANATION,
}
# Raster images only: an SVG opened from the site's own origin could run its scripts there.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif"})
_FENCE_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


def package_kind(name: str) -> Quadrant | None:
    """The quadrant a file name has in a Diátaxis package (`how-to-x.md` → how-to), if any."""
    lower = name.lower()
    if lower == "tutorial.md":
        return Quadrant.TUTORIAL
    if lower == "reference.md":
        return Quadrant.REFERENCE
    if lower == "explanation.md":
        return Quadrant.EXPLANATION
    if lower.startswith("how-to-") and lower.endswith(".md") and len(lower) > len("how-to-.md"):
        return Quadrant.HOW_TO
    return None


@dataclass(frozen=True, slots=True)
class _FrontMatter:
    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based line of the body's first line
    problem: str | None  # why the front matter was not read (it is then kept in the body)


def front_matter(text: str) -> _FrontMatter:
    """Split YAML front matter (`---` … `---`) from the body; unreadable front matter stays."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return _FrontMatter({}, text, 1, None)
    end = next((i for i in range(1, len(lines)) if _FENCE_END.match(lines[i])), None)
    if end is None:
        return _FrontMatter({}, text, 1, "front matter opened with `---` is never closed")
    try:
        meta = yaml.safe_load("\n".join(lines[1:end]))
    except (yaml.YAMLError, ValueError, RecursionError) as exc:  # a bad date is a ValueError
        reason = str(exc).splitlines()[0] if str(exc) else "not valid YAML"
        return _FrontMatter({}, text, 1, f"front matter is not valid YAML ({reason})")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return _FrontMatter({}, text, 1, "front matter is not a mapping of keys to values")
    return _FrontMatter(meta, "\n".join(lines[end + 1 :]), end + 2, None)


def named_quadrant(meta: dict[str, Any]) -> tuple[Quadrant | None, str | None]:
    """The quadrant the front matter names, and a problem when a naming key holds no quadrant."""
    for key in NAMING_KEYS:
        if key in meta:
            value = meta[key]
            found = QUADRANT_NAMES.get(str(value).strip().lower()) if value is not None else None
            if found is None:
                return None, (
                    f"front matter {key}: {str(value)[:60]!r} names no Diátaxis quadrant "
                    "(tutorial, how-to, reference or explanation)"
                )
            return found, None
    for key in LOOSE_KEYS:
        value = meta.get(key)
        if isinstance(value, str) and value.strip().lower() in QUADRANT_NAMES:
            return QUADRANT_NAMES[value.strip().lower()], None
    return None, None


def _title(meta: dict[str, Any]) -> str | None:
    value = meta.get("title")
    return value.strip() or None if isinstance(value, str) else None


def link_targets(page: str, text: str) -> tuple[list[LinkTarget], list[LinkTarget]]:
    """The relative links and the relative images of a page body, as repository targets."""
    if too_large(text) is not None:
        return [], []
    links: list[LinkTarget] = []
    images: list[LinkTarget] = []
    for token in parser().parse(text):
        for child in token.children or ():
            if child.type == "link_open":
                target = link_target(page, str(child.attrGet("href") or ""))
                if target is not None and target.path:
                    links.append(target)
            elif child.type == "image":
                target = link_target(page, str(child.attrGet("src") or ""))
                if target is not None and target.path:
                    images.append(target)
    return links, images


class _Reader:
    def __init__(self, repo: Path, config: Config) -> None:
        self.repo = repo
        self.max_bytes = config.thresholds.max_file_bytes
        self.problems: list[Problem] = []

    def page(
        self, rel: str, quadrant: Quadrant | None, package: str | None, *, found: bool
    ) -> RepoDoc | None:
        """The page at `rel`: always for a package file or a linked page (`found`), else only
        when its front matter names a quadrant. Problems are kept only for a page meant to show."""
        if not found and not starts_with(self.repo, rel, b"---"):
            # No front matter: not a page of ours. Only its start is read: the queue files are
            # in the docs folder too, megabytes that `read_board` has read already.
            return None
        raw, unreadable = read_source(self.repo, rel, self.max_bytes)
        if raw is None:
            if found:
                self.problems.extend(unreadable)
            return None
        # Redaction comes first: no front matter, title or page body ever holds a secret.
        shown, named_path = redact_path_source(rel)
        text, secrets = redact_source(shown, raw)
        fm = front_matter(text)
        named, naming_problem = named_quadrant(fm.meta)
        if not found and named is None and naming_problem is None:
            return None
        self.problems.extend([*named_path, *secrets])
        for problem in (fm.problem, naming_problem):
            if problem is not None:
                self.problems.append(Problem(RULE, SourceRef(shown, 1), problem))
        if not found and named is None:
            return None  # its front matter names no quadrant: said above, not shown
        return RepoDoc(
            source=SourceRef(shown, fm.body_line),
            text=fm.body,
            quadrant=named or quadrant,
            title=_title(fm.meta),
            package=package if named is None or named == quadrant else None,
        )

    def image(self, rel: str) -> RepoAsset | None:
        if posixpath.splitext(rel)[1].lower() not in IMAGE_SUFFIXES:
            return None
        path = self.repo / rel
        if escaping_link(self.repo, rel) is not None or not path.is_file():
            return None
        try:
            if path.stat().st_size > self.max_bytes:
                return None
            return RepoAsset(rel, path.read_bytes())
        except OSError:
            return None


def read_repo_docs(repo: Path, config: Config) -> tuple[RepoDocs, list[Problem]]:
    """The repository's Diátaxis pages, the pages and images they link, and the problems met."""
    options = config.docs
    if options.mode == "off":
        return RepoDocs(), []
    reader = _Reader(repo, config)
    candidates = [r for r in matching(repo, options.paths, lambda _rel: False) if r.endswith(".md")]
    kinds: dict[str, set[Quadrant]] = {}
    for rel in candidates:
        kind = package_kind(posixpath.basename(rel))
        if kind is not None:
            kinds.setdefault(posixpath.dirname(rel), set()).add(kind)
    packages = {folder for folder, found in kinds.items() if len(found) >= 2}
    queue_dir = config.paths.queue_dir.strip("/") + "/"

    def board_file(rel: str) -> bool:
        return rel == config.paths.scoreboard.strip("/") or rel.startswith(queue_dir)

    pages: dict[str, RepoDoc] = {}
    for rel in candidates:
        folder, kind = posixpath.dirname(rel), package_kind(posixpath.basename(rel))
        in_package = folder in packages and kind is not None
        doc = reader.page(rel, kind, folder if in_package else None, found=in_package)
        if doc is not None:
            pages[doc.path] = doc
    # One link deep: the records and playbooks the documents point to, and the images they show.
    linked: dict[str, RepoDoc] = {}
    assets: dict[str, RepoAsset] = {}
    for doc in list(pages.values()):
        links, images = link_targets(doc.path, doc.text)
        for target in links:
            rel = target.path or ""
            if rel in pages or rel in linked or not rel.lower().endswith(".md"):
                continue
            if rel.startswith(".git/") or board_file(rel) or not (repo / rel).is_file():
                continue  # the scoreboard and the queues have their own pages
            page = reader.page(rel, None, None, found=True)
            if page is not None:
                linked[page.path] = page
        for target in images:
            rel = target.path or ""
            if rel not in assets and (asset := reader.image(rel)) is not None:
                assets[rel] = asset
    ordered = sorted(pages.values(), key=lambda d: d.path) + sorted(
        linked.values(), key=lambda d: d.path
    )
    return RepoDocs(tuple(ordered), tuple(assets[k] for k in sorted(assets))), reader.problems
