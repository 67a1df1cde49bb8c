"""A full render_site: the pages mkdocs writes, reproducibility, and the output-folder guard."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

from generator.exceptions import UsageError
from generator.progress import Progress
from generator.render.site import render_site
from tests import render_fixtures as rf


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    return render_site(rf.result(), out, Progress.quiet())


def test_site_has_every_main_page_the_assets_and_machine_outputs(built: Path) -> None:
    for rel in (
        "index.html",
        "scoreboard.html",
        "inboxes/index.html",
        "inboxes/sA.html",
        "inboxes/all.html",
        "inboxes/sA/2026-05.html",
        "inboxes/sA/undated.html",
        "lint/index.html",
        "rules/index.html",
        "rules/stale-claim.html",
        "assets/statusboard.js",
        "assets/statusboard.css",
        "status.json",
        "lint.json",
        "lint.sarif",
        "lint.junit.xml",
        "sitemap.xml",
    ):
        assert (built / rel).is_file(), rel
    scoreboard = (built / "scoreboard.html").read_text(encoding="utf-8")
    assert "assets/statusboard.js" in scoreboard and "data-sb-liveness" in scoreboard
    assert "<script>alert" not in (built / "inboxes/sA.html").read_text(encoding="utf-8")


def test_overview_agrees_with_status_json(built: Path) -> None:
    status = json.loads((built / "status.json").read_text(encoding="utf-8"))
    index = (built / "index.html").read_text(encoding="utf-8")
    waiting = status["counts"]["messages"]["waiting"]
    assert f'<span class="sb-card__value">{waiting}</span>' in index
    assert f'<span class="sb-card__value">{status["findings"]["total"]}</span>' in index


def test_two_builds_are_byte_identical_and_leak_no_temp_paths(tmp_path: Path, built: Path) -> None:
    second = render_site(rf.result(), tmp_path / "again", Progress.quiet())
    first_tree, second_tree = _tree(built), _tree(second)
    assert sorted(first_tree) == sorted(second_tree)
    differing = [k for k in first_tree if first_tree[k] != second_tree[k]]
    assert not differing
    for rel, data in second_tree.items():
        if rel.endswith((".html", ".json", ".xml", ".js", ".css")):
            text = data.decode("utf-8", "replace")
            assert str(tmp_path) not in text, rel
            assert f"{tempfile.gettempdir()}/statusboard-" not in text, rel


def test_build_restores_the_environment(tmp_path: Path) -> None:
    before = os.environ.get("SOURCE_DATE_EPOCH")
    render_site(rf.result(), tmp_path / "s", Progress.quiet())
    assert os.environ.get("SOURCE_DATE_EPOCH") == before


def test_refuses_to_delete_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work", encoding="utf-8")
    with pytest.raises(UsageError, match="refusing"):
        render_site(rf.result(), out, Progress.quiet())
    assert (out / "thesis.tex").read_text(encoding="utf-8") == "years of work"


def test_refuses_a_file_as_output(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(UsageError):
        render_site(rf.result(), target, Progress.quiet())
    assert target.read_text(encoding="utf-8") == "x"


def test_rebuilds_over_a_previous_site_and_an_empty_folder(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()  # empty: fine
    render_site(rf.result(), out, Progress.quiet())
    (out / "leftover.html").write_text("old page", encoding="utf-8")
    render_site(rf.result(findings=False), out, Progress.quiet())
    assert not (out / "leftover.html").exists()
    assert "board is clean" in (out / "lint/index.html").read_text(encoding="utf-8")


def test_real_demo_board_renders(tmp_path: Path) -> None:
    """The bundled demo, read and analysed for real: every message has its one permanent home."""
    from datetime import UTC, datetime

    from generator import pipeline
    from generator.config import load_config
    from generator.demo.builder import build_demo_repo

    now = datetime(2026, 5, 31, 18, 0, tzinfo=UTC)
    repo = build_demo_repo(tmp_path / "repo", now)
    config = load_config(repo)
    result = pipeline.analyse(pipeline.read(repo, config), config, now)
    out = render_site(result, tmp_path / "site", Progress.quiet())
    archives = [p for p in (out / "inboxes").glob("*/*.html")]
    html = {p: p.read_text(encoding="utf-8") for p in archives}
    for m in result.board.messages:
        homes = [p for p, text in html.items() if f'id="{m.anchor}"' in text]
        assert len(homes) == 1, m.id
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))
    assert len(status["messages"]) == len(result.board.messages)
