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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2

from generator.exceptions import UsageError
from generator.pipeline import Result, collector_running
from generator.progress import Progress
from generator.render.fragments import FragmentCache
from generator.render.outputs import machine_outputs, status_document, write_machine_outputs
from generator.render.pages import Site, build_pages, site_repo_url
from generator.resources import templates_dir

log = logging.getLogger(__name__)

# A folder holding this file was written by us, so it may be emptied before a rebuild.
MARKER = "status.json"


def check_output_dir(out: Path) -> None:
    """Refuse to build into a folder we would have to delete that is not a previous site of ours."""
    if not out.exists():
        return
    if not out.is_dir():
        raise UsageError(f"{out} exists and is not a folder; choose another output path with -o")
    if not any(out.iterdir()):
        return
    if not (out / MARKER).is_file():
        raise UsageError(
            f"{out} is not empty and is not a statusboard site (no {MARKER}); refusing to delete "
            "its files. Choose an empty or new folder with -o."
        )


def _clean(out: Path) -> None:
    for child in sorted(out.iterdir()):
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def _yaml_scalar(value: Any) -> str:
    # JSON is a subset of YAML 1.2 and PyYAML reads it: no quoting rules to get wrong.
    return json.dumps(value, ensure_ascii=False)


def mkdocs_yml(result: Result, site: Site, site_dir: Path, custom_dir: bool) -> str:
    """The generated mkdocs.yml of the temporary project."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=False,  # YAML, not HTML: every value goes through the `yaml` filter instead
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["yaml"] = _yaml_scalar
    options = result.config.site
    return env.get_template("mkdocs.yml.j2").render(
        title=options.title,
        site_url=options.site_url,
        repo_url=site_repo_url(result),
        site_dir=str(site_dir),
        custom_dir=custom_dir,
        nav=site.nav,
    )


@contextmanager
def _build_environment(epoch: int, verbose: bool) -> Iterator[None]:
    """SOURCE_DATE_EPOCH for reproducible dates, and mkdocs's logging kept quiet unless verbose."""
    saved = {k: os.environ.get(k) for k in ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING")}
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    loggers = [logging.getLogger(name) for name in ("mkdocs", "material")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.INFO if verbose else logging.ERROR)
    # mkdocs's own command line installs its handler; called as a library, verbose needs one.
    handler: logging.Handler | None = None
    if verbose and not loggers[0].handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("  mkdocs: %(levelname)s %(message)s"))
        loggers[0].addHandler(handler)
    try:
        yield
    finally:
        if handler is not None:
            loggers[0].removeHandler(handler)
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


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
    must be a previous export (its mkdocs.yml is ours); it is emptied first.
    """
    dest = dest.resolve()
    config_file = dest / "mkdocs.yml"
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"{dest} exists and is not a folder")
    if dest.is_dir() and any(dest.iterdir()):
        ours = config_file.is_file() and config_file.read_text(encoding="utf-8").startswith(
            "# Generated by statusboard"
        )
        if not ours:
            raise UsageError(
                f"{dest} is not empty and holds no mkdocs project written by statusboard; "
                "refusing to delete its files"
            )
        _clean(dest)
    return write_project(result, build_pages(result), dest, Path("site"))


def site_files(result: Result) -> tuple[Site, dict[str, str]]:
    """The site's pages, and its machine outputs as {file name: text}.

    Message cards, waiting rows, markdown and status.json's message records come from the
    render cache in the repository's cache folder, and what was rendered anew is saved there
    (unless caching is off: `--no-cache`). status.json's content is computed once: the pages
    show its counts.
    """
    fragments = FragmentCache.open(result.board.root, result.config)
    if fragments is None:
        status = status_document(result)
        site = build_pages(result, status=status)
        return site, machine_outputs(result, result.config.site.site_url, status)
    # The pages show only status.json's counts; its message records come from the render cache,
    # by queue file (a rebuild writes only the changed files' again).
    site = build_pages(result, fragments=fragments, status=status_document(result, False))
    outputs = machine_outputs(
        result,
        result.config.site.site_url,
        records=lambda path: fragments.page(f"status.json {path}"),
    )
    fragments.save()
    log.debug("render cache: %d reused, %d rendered", fragments.hits, fragments.misses)
    return site, outputs


def render_site(result: Result, out: Path, progress: Progress) -> Path:
    """Build the whole site into `out` (emptied first, if it is a previous site) and return it."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    out = out.resolve()
    check_output_dir(out)
    with progress.stage("pages"):
        site, outputs = site_files(result)
        progress.note(f"{len(site.pages)} pages")
    with (
        progress.stage("site"),
        collector_running(),
        tempfile.TemporaryDirectory(prefix="statusboard-") as tmp,
    ):
        config_file = write_project(result, site, Path(tmp), out)
        if out.exists():
            _clean(out)
        out.mkdir(parents=True, exist_ok=True)
        with _build_environment(int(result.now.timestamp()), progress.verbose):
            config = load_config(str(config_file))
            try:
                build(config)
            finally:
                # mkdocs keeps plugin and theme state on the config; release it with the temp dir.
                config.plugins.on_shutdown()
    with progress.stage("machine outputs"):
        write_machine_outputs(result, out, outputs)
    return out
