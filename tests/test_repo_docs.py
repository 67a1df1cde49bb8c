"""The repository's own Diátaxis documents on its site: found, placed, linked, safe, strict-clean."""

from __future__ import annotations

import json
import posixpath
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.config import parse_config
from generator.exceptions import ConfigError
from generator.model import SourceRef
from generator.model_docs import Quadrant, RepoDoc, link_target
from generator.readers.repo_docs import front_matter, link_targets, named_quadrant, package_kind
from generator.render.pages.urls import SourceLinks
from generator.render.repo_docs import Targets, render_doc
from tests.conftest import GitRepo

NOW = "2026-06-01T12:00Z"
GHP = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
PKG = "docs/developers/inter-session-comms"


def _write_repo(repo: GitRepo) -> None:
    repo.write("statusboard.toml", '[site]\nrepo_url = "https://github.com/acme/shop"\n')
    repo.write(
        "docs/ai/sessions/active.md",
        "| Session | Task | Worktree | Claimed | Presence | Scope |\n|---|---|---|---|---|---|\n",
    )
    repo.write(
        f"{PKG}/explanation.md",
        "# Why the blackboard\n\n"
        "Start with the [tutorial](tutorial.md), then the [wire format](reference.md#wire-format).\n"
        "We decided this in [ADR 1](../../adr/0001-x.md); the reader is [queue.py](../../../src/queue.py#L3).\n"
        "The [scoreboard](../../ai/sessions/active.md) is the claim table.\n\n"
        "![the flow](img/flow.png)\n\n"
        "<script>alert(1)</script>\n\n"
        'An inline <img src=x onerror="alert(2)"> tag.\n',
    )
    repo.write(
        f"{PKG}/tutorial.md",
        "# Two sessions, one board\n\nRead [why](explanation.md#why-the-blackboard) first.\n",
    )
    repo.write(
        f"{PKG}/how-to-send.md",
        "# Send a message\n\nSee [the reference](./reference.md#wire-format) and "
        "[elsewhere](../../../../outside.md).\n",
    )
    repo.write(
        f"{PKG}/reference.md",
        f"# Reference\n\n## Wire format\n\nA header line. Never paste `{GHP}`: token {GHP}\n\n"
        "## Wire format\n\nThe second one.\n",
    )
    repo.write(f"{PKG}/img/flow.png", PNG)
    repo.write("docs/adr/0001-x.md", "# ADR 1: a git blackboard\n\nAccepted.\n")
    repo.write("src/queue.py", "# the reader\n\n\ndef read(): ...\n")
    repo.write(
        "docs/guides/rotate.md",
        "---\ntitle: Rotate the keys\ndiataxis: how-to\n---\n\nBack to the [tutorial]"
        f"(../../{PKG}/tutorial.md).\n",
    )
    repo.write("docs/notes.md", "# Notes\n\nNot a Diátaxis page.\n")
    repo.write("docs/odd.md", "---\nquadrant: recipe\n---\n\n# Odd\n")


def _nav(project: Path) -> list[object]:
    """The generated mkdocs.yml's nav (written as one JSON line)."""
    line = next(
        x
        for x in (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
        if x.startswith("nav: ")
    )
    nav = json.loads(line[len("nav: ") :])
    assert isinstance(nav, list)
    return nav


def _nav_paths(item: object) -> list[str]:
    if isinstance(item, str):
        return [item]
    if isinstance(item, dict):
        return [p for v in item.values() for p in _nav_paths(v)]
    if isinstance(item, list):
        return [p for v in item for p in _nav_paths(v)]
    return []


def _section(nav: list[object], *titles: str) -> list[object]:
    items: object = nav
    for title in titles:
        assert isinstance(items, list)
        found = [i for i in items if isinstance(i, dict) and title in i]
        assert found, f"no nav section {title!r} in {items!r}"
        items = found[0][title]
    assert isinstance(items, list)
    return items


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if value is not None and (
                (tag == "a" and name == "href") or (tag == "img" and name == "src")
            ):
                self.refs.append((tag, value))


def _parse(path: Path) -> _Links:
    p = _Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("repo-docs")
    (root / "repo").mkdir()
    repo = GitRepo(root / "repo")
    _write_repo(repo)
    repo.commit("docs")
    site, project = root / "site", root / "project"
    code = main(
        [
            "build",
            str(repo.root),
            "-o",
            str(site),
            "--mkdocs-project",
            str(project),
            "--now",
            NOW,
            "-q",
            "--fail-on",
            "never",
        ]
    )
    assert code == 0
    return repo.root, site, project


def test_pages_land_in_their_quadrants(built: tuple[Path, Path, Path]) -> None:
    _repo, _site, project = built
    nav = _nav(project)
    docs = _section(nav, "Docs")
    pre = f"repo/{PKG}/"
    assert _section(docs, "Tutorial", "This repository") == [pre + "tutorial.md"]
    assert _section(docs, "How-to guides", "This repository") == [
        pre + "how-to-send.md",
        "repo/docs/guides/rotate.md",
    ]
    assert _section(docs, "Reference", "This repository") == [pre + "reference.md"]
    assert _section(docs, "Explanation", "This repository") == [pre + "explanation.md"]
    assert _section(docs, "Linked records") == ["repo/docs/adr/0001-x.md"]
    # beside: the shipped docs are still there
    assert "docs/how-to/onboard.md" in _nav_paths(docs)
    every = _nav_paths(nav)
    assert "repo/docs/notes.md" not in every and "repo/docs/odd.md" not in every


def test_links_anchors_and_images_resolve(built: tuple[Path, Path, Path]) -> None:
    _repo, site, _project = built
    pages = sorted((site / "repo").rglob("*.html"))
    assert len(pages) == 6
    outside: list[str] = []
    checked = 0
    for page in pages:
        links = _parse(page)
        for tag, ref in links.refs:
            parts = urlsplit(ref)
            if parts.scheme:
                outside.append(ref)
                continue
            if not parts.path:  # an anchor on the page itself
                assert not parts.fragment or parts.fragment in links.ids, (page, ref)
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(site)}: {tag} {ref} lands nowhere"
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in _parse(target).ids, f"{page}: {ref}: no such anchor"
            checked += 1
    assert checked > 50  # the nav's links on every page too
    explanation = (site / "repo" / PKG / "explanation.html").read_text(encoding="utf-8")
    assert 'href="reference.html#wire-format"' in explanation
    assert 'href="../../adr/0001-x.html"' in explanation
    assert '<img src="img/flow.png"' in explanation
    assert 'href="../../../../scoreboard.html"' in explanation
    assert "https://github.com/acme/shop/blob/" in explanation and "src/queue.py#L3" in explanation
    assert all(u.startswith("https://github.com/acme/shop") for u in outside if "acme" in u)
    reference = (site / "repo" / PKG / "reference.html").read_text(encoding="utf-8")
    assert 'id="wire-format"' in reference and 'id="wire-format-1"' in reference
    how_to = (site / "repo" / PKG / "how-to-send.html").read_text(encoding="utf-8")
    assert "outside the repository" in how_to  # the link text stays, the target in its tooltip


def test_board_text_rules_hold(built: tuple[Path, Path, Path]) -> None:
    repo, site, project = built
    explanation = (site / "repo" / PKG / "explanation.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in explanation and "&lt;script&gt;alert(1)" in explanation
    assert "onerror" not in re.sub(r"&lt;img[^<]*", "", explanation)
    for path in [*site.rglob("*"), *project.rglob("*")]:
        if path.is_file() and path.suffix in (".html", ".md", ".json", ".xml", ".txt"):
            assert GHP not in path.read_text(encoding="utf-8", errors="replace"), path
    lint = (site / "lint.json").read_text(encoding="utf-8")
    assert f"{PKG}/reference.md" in lint  # the secret is reported where it was
    assert "docs/odd.md" in lint and "recipe" in lint  # an unknown quadrant too
    assert (site / "repo" / PKG / "img" / "flow.png").read_bytes() == PNG
    assert repo.is_dir()


def test_generated_project_builds_strict(built: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _repo, _site, project = built
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-q",
            "-f",
            str(project / "mkdocs.yml"),
            "-d",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out" / "repo" / PKG / "tutorial.html").is_file()


@pytest.mark.parametrize("mode", ["instead", "off"])
def test_mode_instead_and_off(git_repo: GitRepo, tmp_path: Path, mode: str) -> None:
    _write_repo(git_repo)
    git_repo.write(
        "statusboard.toml",
        f'[site]\nrepo_url = "https://github.com/acme/shop"\n[docs]\nmode = "{mode}"\n',
    )
    git_repo.commit("docs")
    project = tmp_path / "project"
    args = ["build", str(git_repo.root), "-o", str(tmp_path / "site"), "--now", NOW, "-q"]
    assert main([*args, "--mkdocs-project", str(project), "--fail-on", "never"]) == 0
    nav = _nav(project)
    docs = _nav_paths(_section(nav, "Docs"))
    if mode == "instead":
        assert f"repo/{PKG}/tutorial.md" in docs
        assert not any(p.startswith("docs/") for p in docs)
        assert _section(nav, "Docs", "Tutorial") == [f"repo/{PKG}/tutorial.md"]
    else:
        assert not any(p.startswith("repo/") for p in docs)
        assert not (tmp_path / "site" / "repo").exists()


def test_paths_glob_limits_the_search(git_repo: GitRepo, tmp_path: Path) -> None:
    _write_repo(git_repo)
    git_repo.write("statusboard.toml", '[docs]\npaths = ["docs/guides/**/*.md"]\n')
    git_repo.commit("docs")
    project = tmp_path / "project"
    main(["build", str(git_repo.root), "-o", str(tmp_path / "site"), "--now", NOW, "-q",
          "--mkdocs-project", str(project), "--fail-on", "never"])  # fmt: skip
    nav = _nav(project)
    own = [p for p in _nav_paths(nav) if p.startswith("repo/")]
    assert own == ["repo/docs/guides/rotate.md", f"repo/{PKG}/tutorial.md"]  # its link, one deep


def test_finding_helpers() -> None:
    assert package_kind("how-to-rotate.md") is Quadrant.HOW_TO
    assert package_kind("how-to-.md") is None and package_kind("index.md") is None
    fm = front_matter("---\ntype: Reference\n---\n# T\n")
    assert named_quadrant(fm.meta) == (Quadrant.REFERENCE, None) and fm.body_line == 4
    assert named_quadrant({"type": "task"}) == (None, None)
    assert named_quadrant({"diataxis": "recipe"})[1] is not None
    broken = front_matter("---\ntitle: [x\n---\nbody\n")
    assert broken.problem is not None and broken.body.startswith("---")  # kept, not dropped
    assert link_target("docs/a/b.md", "../c.md#x") is not None
    assert link_target("docs/a/b.md", "https://x.org/c.md") is None
    assert link_target("docs/a/b.md", "/src/x.py") == link_target("docs/b.md", "../src/x.py")
    outside = link_target("docs/b.md", "../../x.md")
    assert outside is not None and outside.path is None


def test_docs_config_is_checked() -> None:
    assert parse_config({}).docs.mode == "beside"
    for bad in ({"mode": "aside"}, {"paths": ["../x/*.md"]}, {"paths": "docs"}, {"dirs": []}):
        with pytest.raises(ConfigError, match=r"\[docs\]"):
            parse_config({"docs": bad})
    assert posixpath.sep == "/"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from([*"-#[]()!<>`*:/.\\\n abcxyz_{}\"'=é", "---\n", "../", "<script>"]),
        max_size=120,
    ).map("".join)
)
def test_any_text_is_read_and_rendered_without_raw_html(text: str) -> None:
    fm = front_matter(text)
    named_quadrant(fm.meta)
    link_targets("docs/p/explanation.md", fm.body)
    doc = RepoDoc(SourceRef("docs/p/explanation.md", fm.body_line), fm.body, Quadrant.EXPLANATION)
    links = SourceLinks("https://github.com/acme/shop", "main")
    targets = Targets(frozenset({doc.path}), frozenset(), "a.md", "q", links, False)
    page = render_doc(doc, targets)
    assert "<script" not in page.lower() and "<img src=x" not in page
    for line in page.splitlines():
        assert not line.startswith(("```", "~~~"))  # no fence Python-Markdown would act on
