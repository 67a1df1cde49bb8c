"""The `statusboard` mkdocs plugin: the board's pages inside a repository's own mkdocs site.

    plugins:
      - search
      - statusboard:
          prefix: board          # the board's pages live under board/
          nav_title: Status board

It reads the repository's board once per build (the same read → analyse as `statusboard build`),
adds the pages of `generator.render.pages.build_pages` under `prefix` as generated files with a nav
section, and beside them the same outputs as the standalone site: `status.json`, `lint.*`,
`llms.txt`, `waiting/<id>.json`, the Atom feeds and the badges. As in the standalone build, each
board page's finished HTML is held back from mkdocs' markdown conversion
(`generator.render.placeholders`): mkdocs and the search plugin get its text, and the plugin puts
the HTML back in `on_page_context` (the text before the search plugin's, the HTML after it). In
every page of the site, statusboard's reference markers (`<!-- statusboard:rules -->`) and
`rule:` links are expanded. With `board: false` it adds no board, only one page per rule under
`rules_dir` (this project's own documentation site uses that).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config as MkConfig
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from generator.render.placeholders import Fill, hold_back
from generator.render.reference import expand, rule_page_markdown

if TYPE_CHECKING:
    from generator.render.pages import Site

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


# mkdocs' Config and BasePlugin define an untyped __init_subclass__.
class StatusboardConfig(MkConfig):  # type: ignore[no-untyped-call]
    """The plugin's options (see the how-to guide "Add the board to an existing mkdocs site")."""

    repo = c.Type(str, default=".")  # the repository (or a folder in it), relative to mkdocs.yml
    allow_no_git = c.Type(bool, default=False)  # read a folder in no repository, without history
    config = c.Optional(c.Type(str))  # a statusboard.toml, relative to mkdocs.yml
    now = c.Optional(c.Type(str))  # fix the clock (YYYY-MM-DDTHH:MMZ) for reproducible builds
    prefix = c.Type(str, default="board")
    nav_title = c.Type(str, default="Status board")
    include_docs = c.Type(bool, default=False)  # also statusboard's own docs, under prefix/docs
    board = c.Type(bool, default=True)
    rules_dir = c.Type(str, default="reference/rules")  # where rule pages go when board: false


class StatusboardPlugin(BasePlugin[StatusboardConfig]):  # type: ignore[no-untyped-call]
    """Adds the status board (or only the rule reference) to a mkdocs site."""

    def __init__(self) -> None:
        self._pages: dict[str, str] = {}
        self._files: dict[str, bytes | str] = {}
        self._generated: set[str] = set()
        self._watch: list[Path] = []
        self._fill: Fill | None = None

    @property
    def _prefix(self) -> str:
        return self.config.prefix.strip("/")

    def _rule_page(self, name: str) -> str:
        if self.config.board:
            return f"{self._prefix}/rules/{name}.md"
        return f"{self.config.rules_dir.strip('/')}/{name}.md"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self._pages, self._files, self._generated, self._fill = {}, {}, set(), None
        if not self.config.board:
            from generator import rules as rule_registry

            for rule in rule_registry.RULES:
                self._pages[self._rule_page(rule.name)] = rule_page_markdown(rule)
            return config
        if not self._prefix:
            raise PluginError(
                "statusboard: `prefix` must name a folder (the board's pages go there)"
            )
        site, outputs = self._build(config)
        pages = {f"{self._prefix}/{p}": text for p, text in site.pages.items()}
        # The board pages' HTML is held back from mkdocs, as in the standalone build; statusboard's
        # own docs (include_docs) are real markdown and go in as they are.
        docs = f"{self._prefix}/docs/"
        self._pages, self._fill = hold_back(pages, lambda path: not path.startswith(docs))
        self._files = {f"{self._prefix}/{p}": data for p, data in site.files.items()}
        self._files.update({f"{self._prefix}/{name}": data for name, data in outputs.items()})
        if config.nav is not None:
            from generator.render.pages import prefix_nav

            config.nav.append({self.config.nav_title: prefix_nav(site.nav, self._prefix + "/")})
        for name in ("statusboard.css", "statusboard.js"):
            target = config.extra_css if name.endswith(".css") else config.extra_javascript
            asset = f"{self._prefix}/assets/{name}"
            if asset in self._files and asset not in target:
                target.append(asset)
        return config

    def _build(self, config: MkDocsConfig) -> tuple[Site, dict[str, str | bytes]]:
        """The board's pages, and its other files by path under `prefix`: the machine outputs
        and the agents' outputs (`llms.txt`, `waiting/*.json`, `feeds/*.xml`, `badges/*.json`)."""
        from generator import pipeline
        from generator.config import load_config
        from generator.exceptions import StatusboardError
        from generator.render.agents_out import agent_outputs
        from generator.render.outputs import machine_outputs
        from generator.render.pages import build_pages, inbox_views
        from generator.repository import locate
        from generator.timeutil import parse_now

        base = Path(config.config_file_path or ".").resolve().parent
        explicit = (base / self.config.config) if self.config.config else None
        try:
            # The same checks as the command: the checkout's root, and every config value.
            repo = locate(base / self.config.repo, allow_no_git=self.config.allow_no_git).root
            settings = load_config(repo, explicit)
            now = (
                parse_now(self.config.now)
                if self.config.now
                else datetime.now(UTC).replace(second=0, microsecond=0)
            )
        except (StatusboardError, ValueError) as exc:
            raise PluginError(f"statusboard: {exc}") from exc
        if settings.site.site_url is None and config.site_url:
            # The board lives under `prefix` of the host site: its feeds and llms.txt link there.
            board_url = f"{config.site_url.rstrip('/')}/{self._prefix}/"
            settings = replace(settings, site=replace(settings.site, site_url=board_url))
        self._watch = [repo / settings.paths.scoreboard, repo / settings.paths.queue_dir]
        # The host site is the repository's own documentation: not shown a second time here.
        settings = replace(settings, docs=replace(settings.docs, mode="off"))
        result = pipeline.build(repo, settings, now)
        if not result.board.has_sources:
            log.warning(
                "statusboard: no board sources found under %s; see docs/how-to/onboard.md", repo
            )
        views = inbox_views(result)  # the pages and the feeds show the same views
        site = build_pages(
            result,
            directory_urls=config.use_directory_urls,
            include_docs=self.config.include_docs,
            views=views,
        )
        log.info(
            "statusboard: %d board pages under %s/ (%d findings)",
            len(site.pages),
            self._prefix,
            len(result.findings),
        )
        files: dict[str, str | bytes] = dict(machine_outputs(result, settings.site.site_url))
        files.update(
            agent_outputs(
                result,
                directory_urls=config.use_directory_urls,
                include_docs=self.config.include_docs,
                views=views,
            )
        )
        return site, files

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        inclusion = InclusionLevel.UNDEFINED if self.config.board else InclusionLevel.NOT_IN_NAV
        for uri, content in [*self._pages.items(), *self._files.items()]:
            if files.get_file_from_path(uri) is not None:
                raise PluginError(
                    f"statusboard: {uri} already exists in the site; choose another `prefix`"
                    if self.config.board
                    else f"statusboard: {uri} already exists in the site; choose another `rules_dir`"
                )
            files.append(File.generated(config, uri, content=content, inclusion=inclusion))
            self._generated.add(uri)
        return files

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        # Generated pages are already expanded, and their board text must stay as written.
        if page.file.src_uri in self._generated:
            return markdown
        return expand(markdown, page.file.src_uri, self._rule_page, warn=log.warning)

    # A board page: before every other plugin's on_page_context, its blocks' text (the search
    # plugin indexes it there); after them all, the blocks' HTML.
    @event_priority(100)
    def _search_text(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        if self._fill is not None:
            return self._fill.put_search_text(context, page=page)
        return context

    @event_priority(-100)
    def _html(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        if self._fill is not None:
            return self._fill.put_html(context, page=page)
        return context

    on_page_context = CombinedEvent(_search_text, _html)

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        for path in self._watch:
            if path.exists():
                server.watch(str(path))
        return server
