"""The shipped documentation as site pages, and the nav of its `_nav.yml`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.render.pages.common import NavItem
from generator.render.reference import expand as expand_reference


def shipped_docs(root: Path) -> tuple[dict[str, str], dict[str, bytes], list[NavItem]]:
    """The shipped documentation under `docs/`: pages, other files, and the nav of its `_nav.yml`
    (one mirroring the folders when there is none)."""
    pages: dict[str, str] = {}
    files: dict[str, bytes] = {}
    if not root.is_dir():
        return pages, files, []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or any(part.startswith((".", "_")) for part in rel.split("/")):
            continue
        if path.suffix == ".md":
            page = f"docs/{rel}"
            # Generated reference (rule catalogue, commands) and `rule:` links to the rule pages.
            text = path.read_text(encoding="utf-8")
            pages[page] = expand_reference(text, page, lambda name: f"rules/{name}.md")
        else:
            files[f"docs/{rel}"] = path.read_bytes()
    return pages, files, docs_nav_file(root, "docs/") or _docs_nav(sorted(pages), "docs/")


def prefix_nav(items: Sequence[NavItem], prefix: str) -> list[NavItem]:
    """A nav with every page path under `prefix` (`docs/`, `board/`); titles and URLs kept."""
    out: list[NavItem] = []
    for item in items:
        if isinstance(item, str):
            out.append(item if "://" in item else prefix + item)
        else:
            out.append(
                {
                    title: prefix_nav(value, prefix)
                    if isinstance(value, list)
                    else prefix_nav([value], prefix)[0]
                    for title, value in item.items()
                }
            )
    return out


def docs_nav_file(root: Path, prefix: str) -> list[NavItem]:
    """The nav written in the docs' `_nav.yml` (its `nav:` list) under `prefix`; [] without one."""
    import yaml

    nav_file = root / "_nav.yml"
    if not nav_file.is_file():
        return []
    data = yaml.safe_load(nav_file.read_text(encoding="utf-8")) or {}
    nav = data.get("nav") if isinstance(data, dict) else None
    return prefix_nav(nav, prefix) if isinstance(nav, list) else []


def _docs_nav(paths: list[str], prefix: str) -> list[NavItem]:
    """Nested nav for the docs folder: index first, files, then one section per sub-folder."""
    here = [p for p in paths if "/" not in p[len(prefix) :]]
    here.sort(key=lambda p: (not p.endswith("/index.md") and not p.endswith("/README.md"), p))
    items: list[NavItem] = list(here)
    folders = sorted({p[len(prefix) :].split("/", 1)[0] for p in paths if "/" in p[len(prefix) :]})
    for folder in folders:
        sub = [p for p in paths if p.startswith(f"{prefix}{folder}/")]
        title = folder.replace("-", " ").replace("_", " ").capitalize()
        items.append({title: _docs_nav(sub, f"{prefix}{folder}/")})
    return items
