"""The `statusboard` mkdocs plugin: the board's pages inside a repository's own mkdocs site.

    plugins:
      - search
      - statusboard:
          prefix: board          # the board's pages live under board/
          nav_title: Status board

It reads the repository's board once per build (the same read → analyse as `statusboard build`),
adds the pages of `generator.render.pages.build_pages` under `prefix` as generated files with a nav
section, and the machine outputs (`status.json`, `lint.*`) beside them. In every page of the site,
statusboard's reference markers (`<!-- statusboard:rules -->`) and `rule:` links are expanded.
With `board: false` it adds no board, only one page per rule under `rules_dir` (this project's own
documentation site uses that).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config as MkConfig
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from generator.render.reference import expand, rule_page_markdown

if TYPE_CHECKING:
    from generator.render.pages import Site

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


# mkdocs' Config and BasePlugin define an untyped __init_subclass__.
class StatusboardConfig(MkConfig):  # type: ignore[no-untyped-call]
    """The plugin's options (see the how-to guide "Add the board to an existing mkdocs site")."""

    repo = c.Type(str, default=".")  # the repository, relative to mkdocs.yml
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

    @property
    def _prefix(self) -> str:
        return self.config.prefix.strip("/")

    def _rule_page(self, name: str) -> str:
        if self.config.board:
            return f"{self._prefix}/rules/{name}.md"
        return f"{self.config.rules_dir.strip('/')}/{name}.md"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self._pages, self._files, self._generated = {}, {}, set()
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
        self._pages = {f"{self._prefix}/{p}": text for p, text in site.pages.items()}
        self._files = {f"{self._prefix}/{p}": data for p, data in site.files.items()}
        self._files.update({f"{self._prefix}/{name}": text for name, text in outputs.items()})
        if config.nav is not None:
            from generator.render.pages import prefix_nav

            config.nav.append({self.config.nav_title: prefix_nav(site.nav, self._prefix + "/")})
        for name in ("statusboard.css", "statusboard.js"):
            target = config.extra_css if name.endswith(".css") else config.extra_javascript
            asset = f"{self._prefix}/assets/{name}"
            if asset in self._files and asset not in target:
                target.append(asset)
        return config

    def _build(self, config: MkDocsConfig) -> tuple[Site, dict[str, str]]:
        from generator import pipeline
        from generator.config import load_config
        from generator.exceptions import StatusboardError
        from generator.render.outputs import machine_outputs
        from generator.render.pages import build_pages
        from generator.timeutil import parse_now

        base = Path(config.config_file_path or ".").resolve().parent
        repo = (base / self.config.repo).resolve()
        explicit = (base / self.config.config) if self.config.config else None
        try:
            settings = load_config(repo, explicit)
            now = (
                parse_now(self.config.now)
                if self.config.now
                else datetime.now(UTC).replace(second=0, microsecond=0)
            )
        except (StatusboardError, ValueError) as exc:
            raise PluginError(f"statusboard: {exc}") from exc
        self._watch = [repo / settings.paths.scoreboard, repo / settings.paths.queue_dir]
        result = pipeline.analyse(pipeline.read(repo, settings), settings, now)
        site = build_pages(
            result,
            directory_urls=config.use_directory_urls,
            include_docs=self.config.include_docs,
        )
        log.info(
            "statusboard: %d board pages under %s/ (%d findings)",
            len(site.pages),
            self._prefix,
            len(result.findings),
        )
        return site, machine_outputs(result, settings.site.site_url)

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

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        for path in self._watch:
            if path.exists():
                server.watch(str(path))
        return server
