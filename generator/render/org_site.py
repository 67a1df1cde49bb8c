"""Write the org board: its pages built by mkdocs like a board's site, and `org.json` beside them.

The pages come from the org templates (`templates/pages/org_*.md.j2`, the board's autoescaping
environment); the site goes through the same mkdocs template, HTML hold-back and output-folder swap
as a repository's site (`generator.render.site`, `generator.render.outdir`).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from generator.org import (
    LIVENESS,
    SEVERITIES,
    CrossMessage,
    OrgConfig,
    OrgRepo,
    inbox_lines,
    org_document,
)
from generator.render.outdir import replace_folder
from generator.render.pages import ASSETS, Site, environment
from generator.render.pages.urls import root_file, url_from
from generator.render.site import hold_back_html, mkdocs_config, run_mkdocs
from generator.resources import templates_dir
from generator.timeutil import parse_stamp

ORG_FILE = "org.json"


def _when(text: Any) -> datetime | None:
    stamp = parse_stamp(text) if isinstance(text, str) else None
    return stamp.value if stamp is not None else None


def org_pages(
    config: OrgConfig, repos: list[OrgRepo], crossing: list[CrossMessage], now: datetime
) -> tuple[Site, dict[str, Any]]:
    """The org site's pages, assets and nav, and the org.json document. Writes nothing."""
    document = org_document(repos, crossing, now)
    env = environment()
    pages: dict[str, str] = {}

    def render(template: str, path: str, **context: Any) -> None:
        pages[path] = env.get_template(template).render(
            now=now,
            title=config.title,
            url=partial(url_from, path, False),
            root_file=partial(root_file, path, False),
            **context,
        )

    rows = [{**row, "built": _when(row["built_at"])} for row in document["repos"]]
    render(
        "org_index.md.j2",
        "index.md",
        rows=rows,
        liveness=LIVENESS,
        severities=SEVERITIES,
        crossing=crossing,
        total_sessions=sum(r["sessions"]["total"] for r in rows),
        total_waiting=sum(r["waiting"] for r in rows),
    )
    sessions = [
        {"repo": r, "session": s, "last_seen": _when(s.get("last_seen"))}
        for r in repos
        for s in r.status["sessions"]
    ]
    render("org_sessions.md.j2", "sessions.md", sessions=sessions)
    render("org_inboxes.md.j2", "inboxes.md", repos=repos, lines=inbox_lines(repos, crossing))
    files = {f"assets/{name}": (templates_dir() / "assets" / name).read_bytes() for name in ASSETS}
    nav: list[Any] = [
        {"Overview": "index.md"},
        {"Sessions": "sessions.md"},
        {"Inboxes": "inboxes.md"},
    ]
    return Site(pages, files, nav), document


def render_org(
    config: OrgConfig,
    repos: list[OrgRepo],
    crossing: list[CrossMessage],
    now: datetime,
    out: Path,
    verbose: bool = False,
) -> Path:
    """Build the org site into `out` (swapped in whole when complete) and return it."""

    site, document = org_pages(config, repos, crossing, now)
    out = out.resolve()
    with (
        replace_folder(out, None) as stage,
        tempfile.TemporaryDirectory(prefix="statusboard-org-") as tmp,
    ):
        held, fill = hold_back_html(site)
        project = Path(tmp)
        for rel, text in sorted(held.pages.items()):
            (project / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
            (project / "docs" / rel).write_text(text, encoding="utf-8")
        for rel, data in sorted(held.files.items()):
            (project / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
            (project / "docs" / rel).write_bytes(data)
        overrides = templates_dir() / "overrides"
        custom_dir = overrides.is_dir() and any(p.is_file() for p in overrides.rglob("*"))
        if custom_dir:
            shutil.copytree(overrides, project / "overrides")
        config_file = project / "mkdocs.yml"
        config_file.write_text(
            mkdocs_config(config.title, config.site_url, None, stage, custom_dir, site.nav),
            encoding="utf-8",
        )
        run_mkdocs(config_file, fill, int(now.timestamp()), verbose)
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        (stage / ORG_FILE).write_text(text, encoding="utf-8")
    return out
