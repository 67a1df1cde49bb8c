"""The golden build: the demo board with a fixed `--now` gives exactly the recorded outputs.

Regenerate after an intended change with `STATUSBOARD_UPDATE_GOLDEN=1 python3 -m pytest
tests/test_golden_demo.py`, then review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from generator.cli import main

GOLDEN = Path(__file__).parent / "golden" / "demo"
NOW = "2026-06-05T12:00Z"
COMPARED = ("status.json", "lint.json", "lint.sarif", "lint.junit.xml")


def _tree(site: Path) -> dict[str, str]:
    """Every file of the site with a digest, so two builds can be compared byte for byte."""
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden") / "site"
    assert main(["demo", "-o", str(out), "--now", NOW]) == 0
    return out


def test_outputs_match_golden(demo_site: Path) -> None:
    update = os.environ.get("STATUSBOARD_UPDATE_GOLDEN") == "1"
    pages = sorted(
        str(p.relative_to(demo_site)) for p in demo_site.rglob("*.html") if "assets" not in p.parts
    )
    actual = {name: (demo_site / name).read_text(encoding="utf-8") for name in COMPARED}
    actual["pages.txt"] = "\n".join(pages) + "\n"
    if update:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for name, text in actual.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
    for name, text in actual.items():
        expected = (GOLDEN / name).read_text(encoding="utf-8")
        assert text == expected, f"{name} differs from tests/golden/demo/{name}"


def test_rebuild_is_byte_identical(demo_site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert main(["demo", "-o", str(again), "--now", NOW]) == 0
    tree = _tree(demo_site)
    assert _tree(again) == tree
    # The outputs for agents, feeds and badges are compared too, so they must be there.
    for name in ("llms.txt", "waiting/sA.json", "feeds/sA.xml", "feeds/waiting-human.xml"):
        assert name in tree, name
    assert {"badges/sessions.json", "badges/waiting.json", "badges/findings.json"} <= set(tree)


def test_status_json_is_consistent(demo_site: Path) -> None:
    status = json.loads((demo_site / "status.json").read_text(encoding="utf-8"))
    lint = json.loads((demo_site / "lint.json").read_text(encoding="utf-8"))
    assert status["generated_at"] == "2026-06-05T12:00:00Z"
    assert {s["liveness"] for s in status["sessions"]} == {"live", "idle", "stale"}
    assert status["findings"]["total"] == len(lint)
    for severity in ("error", "warning", "info"):
        assert status["findings"][severity] == sum(1 for f in lint if f["severity"] == severity)
    assert status["counts"]["messages"]["total"] == len(status["messages"]) >= 40
    waiting = sum(1 for m in status["messages"] if m["waiting_for"])
    assert status["counts"]["messages"]["waiting"] == waiting


def test_secret_reaches_no_file_of_the_site(demo_site: Path) -> None:
    secret = b"7fK29xQmW4tVp8Ls1N3c"  # the tail of the demo's fake BASS_API_KEY
    leaks = [str(p) for p in demo_site.rglob("*") if p.is_file() and secret in p.read_bytes()]
    assert leaks == []
