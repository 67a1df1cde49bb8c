"""Write the site: the generated pages into a temporary mkdocs project, built into `out`.

The build is deterministic (SOURCE_DATE_EPOCH from the Result's now, stable ordering, no temp
paths in the output) so the same inputs give a byte-identical site. Then the machine outputs are
written beside it.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from generator.collector import collector_running
from generator.progress import Progress, plural
from generator.render.agents_out import agent_outputs
from generator.render.fragments import FragmentCache, SearchTexts
from generator.render.outdir import PROJECT, exported, replace_folder
from generator.render.outputs import machine_outputs, status_document, write_machine_outputs
from generator.render.pages import Site, build_pages, inbox_views, site_repo_url
from generator.resources import templates_dir
from generator.result import Result

if TYPE_CHECKING:
    from generator.render.placeholders import Fill

log = logging.getLogger(__name__)


def _yaml_scalar(value: Any) -> str:
    # JSON is a subset of YAML 1.2 and PyYAML reads it: no quoting rules to get wrong.
    return json.dumps(value, ensure_ascii=False)


def mkdocs_yml(result: Result, site: Site, site_dir: Path, custom_dir: bool) -> str:
    """The generated mkdocs.yml of the temporary project."""
    options = result.config.site
    return mkdocs_config(
        options.title, options.site_url, site_repo_url(result), site_dir, custom_dir, site.nav
    )


def mkdocs_config(
    title: str,
    site_url: str | None,
    repo_url: str | None,
    site_dir: Path,
    custom_dir: bool,
    nav: list[Any],
) -> str:
    """A mkdocs.yml from the shared template (the board's site, the org board's)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=False,  # YAML, not HTML: every value goes through the `yaml` filter instead
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["yaml"] = _yaml_scalar
    return env.get_template("mkdocs.yml.j2").render(
        title=title,
        site_url=site_url,
        repo_url=repo_url,
        site_dir=str(site_dir),
        custom_dir=custom_dir,
        nav=nav,
    )


@contextmanager
def build_environment(epoch: int, verbose: bool) -> Iterator[None]:
    """SOURCE_DATE_EPOCH for reproducible dates, and mkdocs's logging kept quiet unless verbose."""
    saved = {k: os.environ.get(k) for k in ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING")}
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    loggers = [logging.getLogger(name) for name in ("mkdocs", "material")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.INFO if verbose else logging.ERROR)
    # mkdocs's own command line installs its handler; called as a library, verbose needs one,
    # and only one: its records must not also reach the root logger's handler (cli.main's).
    handler: logging.Handler | None = None
    propagate = loggers[0].propagate
    if verbose and not loggers[0].handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("  mkdocs: %(levelname)s %(message)s"))
        loggers[0].addHandler(handler)
        loggers[0].propagate = False
    try:
        yield
    finally:
        if handler is not None:
            loggers[0].removeHandler(handler)
            loggers[0].propagate = propagate
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _generated(path: str) -> bool:
    return not path.startswith("docs/")


def hold_back_html(site: Site) -> tuple[Site, Fill]:
    """The site as mkdocs builds it: each board page's HTML held back, with the plugin object
    that puts it in again after mkdocs' conversion (`generator.render.placeholders`). The shipped
    docs under `docs/` are real markdown and go to mkdocs as they are."""
    from generator.render.placeholders import hold_back  # imports mkdocs: only when building

    pages, fill = hold_back(site.pages, _generated)
    return replace(site, pages=pages), fill


def write_project(result: Result, site: Site, project: Path, out: Path) -> Path:
    """Write the pages, files and mkdocs.yml into `project`; returns the config file."""
    docs = project / "docs"
    for rel, text in sorted(site.pages.items()):
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for rel, data in sorted(site.files.items()):
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    overrides = templates_dir() / "overrides"
    custom_dir = overrides.is_dir() and any(p.is_file() for p in overrides.rglob("*"))
    if custom_dir:
        shutil.copytree(overrides, project / "overrides")
    config_file = project / "mkdocs.yml"
    config_file.write_text(mkdocs_yml(result, site, out, custom_dir), encoding="utf-8")
    return config_file


def export_project(result: Result, dest: Path) -> Path:
    """Write the generated mkdocs project (mkdocs.yml + docs/) into `dest`; returns its config.

    For building the site with another engine (Zensical reads the same mkdocs.yml). Its site_dir
    is `site/` inside `dest`, since Zensical refuses one outside the project. A non-empty `dest`
    must be a previous export (its marker, or its mkdocs.yml is ours); it is replaced whole, like
    the site (see `generator.render.outdir`).
    """
    dest = dest.resolve()
    with replace_folder(
        dest,
        Path(result.board.root),
        kind=PROJECT,
        owned=exported,
        option="--mkdocs-project",
    ) as stage:
        write_project(result, build_pages(result), stage, Path("site"))
    return dest / "mkdocs.yml"


@dataclass(frozen=True)
class SiteFiles:
    """What a build writes: the pages (for mkdocs), the machine outputs as {file name: text} and
    the outputs for agents (llms.txt, waiting/, feeds/, badges/) as {path: bytes}."""

    site: Site
    outputs: dict[str, str]
    agents: dict[str, bytes]
    templates: jinja2.BytecodeCache | None = None  # the render cache's compiled templates


def site_files(
    result: Result, *, save_cache: bool = True, keep: Callable[[str, str], str] | None = None
) -> SiteFiles:
    """The site's pages, its machine outputs and its outputs for agents.

    Message cards, waiting rows, markdown and status.json's message records come from the
    render cache in the repository's cache folder, and what was rendered anew is saved there
    (unless caching is off: `--no-cache`, or `save_cache` is False: then it is only read).
    status.json's content is computed once: the pages show its counts; the inbox views once:
    the pages and the feeds, badges and waiting files show them. `keep`: see `build_pages`.
    """
    views = inbox_views(result)
    fragments = FragmentCache.open(result.board.root, result.config, save=save_cache)
    if fragments is None:
        status = status_document(result)
        site = build_pages(result, status=status, keep=keep, views=views)
        outputs = machine_outputs(result, result.config.site.site_url, status)
        return SiteFiles(site, outputs, agent_outputs(result, views=views))
    # The pages show only status.json's counts; its message records come from the render cache,
    # by queue file (a rebuild writes only the changed files' again).
    counts = status_document(result, False)
    site = build_pages(result, fragments=fragments, status=counts, keep=keep, views=views)
    outputs = machine_outputs(
        result,
        result.config.site.site_url,
        counts,
        records=lambda path: fragments.page(f"status.json {path}"),
    )
    # The feeds' message bodies: the recent messages of each inbox, the same from build to build.
    agents = agent_outputs(result, views=views, body=fragments.markdown().block)
    fragments.save()
    log.debug("render cache: %d reused, %d rendered", fragments.hits, fragments.misses)
    return SiteFiles(site, outputs, agents, fragments.templates)


def render_site(result: Result, out: Path, progress: Progress, *, save_cache: bool = True) -> Path:
    """Build the whole site into `out` and return it.

    The site is written into a staging folder beside `out` and swapped in only when complete, so
    a failed or killed build leaves the previous site as it was (see `generator.render.outdir`).
    """
    with replace_folder(out.resolve(), Path(result.board.root)) as stage:
        _write_site(result, stage, progress, save_cache)
    return out.resolve()


def run_mkdocs(config_file: Path, fill: Fill, epoch: int, verbose: bool) -> None:
    """Build the mkdocs project of `config_file`, the held-back page HTML filled in by `fill`."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    with build_environment(epoch, verbose):
        config = load_config(str(config_file))
        fill.install(config)
        try:
            build(config)
        finally:
            # mkdocs keeps plugin and theme state on the config; release it with the temp dir.
            config.plugins.on_shutdown()


def _write_site(result: Result, out: Path, progress: Progress, save_cache: bool = True) -> None:
    """Write the pages (built by mkdocs) and the machine outputs into the empty folder `out`."""

    from generator.render.placeholders import Holder  # imports mkdocs: only when building

    with tempfile.TemporaryDirectory(prefix="statusboard-") as tmp:
        # Each page's HTML is held back as soon as it is rendered, in memory up to a bound and
        # then in a file beside the mkdocs project, read back while mkdocs builds that page: a
        # large board's pages are hundreds of megabytes, never all in memory at once.
        holder = Holder(_generated, Path(tmp) / "held")
        with progress.stage("pages") as stage, collector_running():
            files = site_files(result, save_cache=save_cache, keep=holder.hold)
            site, outputs, agents, templates = (
                files.site,
                files.outputs,
                files.agents,
                files.templates,
            )
            del files  # the site is let go after the project is written
            stage.count(plural(len(site.pages), "page"))
        with progress.stage("mkdocs") as stage, collector_running():
            # Pages added whole (the repository's docs) are held back here: splitting a page
            # already held finds nothing more.
            held = replace(site, pages={p: holder.hold(p, t) for p, t in site.pages.items()})
            del site
            config_file = write_project(result, held, Path(tmp) / "project", out)
            del held
            search = SearchTexts.open(result.board.root, result.config, save=save_cache)
            texts = search.texts if search is not None else None
            fill = holder.fill(release=True, templates=templates, search=texts)
            run_mkdocs(config_file, fill, int(result.now.timestamp()), progress.verbose)
            if search is not None:
                search.finish()
            if progress.shown:
                stage.count(plural(sum(1 for _ in out.rglob("*.html")), "HTML file"))
    with progress.stage("outputs") as stage:
        write_machine_outputs(result, out, outputs)
        stage.count(", ".join(sorted(outputs)))
        # llms.txt, waiting/*.json, feeds/*.xml, badges/*.json (generator/render/agents_out.py)
        for rel, data in sorted(agents.items()):
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).write_bytes(data)
