"""Small things a black-box tester found: the site and the mkdocs project in one folder, wording of
path errors, a wait dated after now, plurals in llms.txt, a heading whose time does not read."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest

from generator.cli import main
from tests.conftest import GitRepo

NOW = "2026-06-05T12:00Z"
QUEUE = "docs/ai/sessions/queue"
SCHEMAS = Path(__file__).parent.parent / "docs" / "reference" / "schemas"


def _board(git_repo: GitRepo) -> GitRepo:
    """One message to sA sent 1 d 18 h after NOW (a clock error), one heading without a time."""
    git_repo.write(
        f"{QUEUE}/to-sA.md",
        "## 2026-06-07T06:00Z · from:sB · to:sA · type:question · status:sent\n\nWhen?\n\n"
        "## yesterday · from:sB · to:sA · type:question\n\nSent some day.\n",
    )
    git_repo.commit("[sB] ask", at=datetime(2026, 6, 5, 11, 0, tzinfo=UTC))
    return git_repo


@pytest.mark.parametrize("project", ["site", "./site/", "site/mk", "."])
def test_site_and_mkdocs_project_in_one_folder_is_a_usage_error(
    git_repo: GitRepo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    project: str,
) -> None:
    _board(git_repo)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    code = main(
        ["build", str(git_repo.root), "-o", "site", "--mkdocs-project", project, "--now", NOW]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and "--mkdocs-project" in err[0] and "give each its own folder" in err[0]
    assert list(work.iterdir()) == []  # refused before anything was read or written


def test_a_config_folder_and_an_unwritable_output_parent_say_what_to_do(
    git_repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _board(git_repo)
    assert main(["lint", str(git_repo.root), "--config", str(tmp_path), "--now", NOW]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path} is a folder" in err and "statusboard.toml" in err
    if not Path("/proc/self").is_dir():
        pytest.skip("no /proc here to stand for a folder nothing can be created in")
    assert main(["build", str(git_repo.root), "-o", "/proc/statusboard-x", "--now", NOW]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "statusboard-lock" not in err[0], err
    assert "/proc cannot be written" in err[0] and "choose another -o" in err[0]


def test_a_wait_dated_after_now_is_never_negative(
    git_repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _board(git_repo)
    site = tmp_path / "site"
    assert main(["build", str(git_repo.root), "-o", str(site), "--now", NOW, "-q"]) in (0, 1)
    doc = json.loads((site / "waiting" / "sA.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, json.loads((SCHEMAS / "waiting.schema.json").read_text()))
    (future,) = [m for m in doc["messages"] if m["at"] == "2026-06-07T06:00:00Z"]
    assert future["age"] == "in the future (1 d 18 h ahead)" and future["age_seconds"] == 0
    capsys.readouterr()
    assert main(["inbox", "sA", str(git_repo.root), "--now", NOW]) == 0
    out = capsys.readouterr().out
    assert "dated in the future (1 d 18 h ahead)" in out and "-1 d" not in out
    assert "— waiting to be seen" in out  # not `waiting for to be seen`
    page = (site / "inboxes" / "sA.html").read_text(encoding="utf-8")
    assert 'sb-wait-age">in the future (1 d 18 h ahead)<' in page and "-1 d" not in page


def test_llms_txt_plurals_and_a_heading_without_a_readable_time(
    git_repo: GitRepo, tmp_path: Path
) -> None:
    _board(git_repo)
    site = tmp_path / "site"
    assert main(["build", str(git_repo.root), "-o", str(site), "--now", NOW, "-q"]) in (0, 1)
    llms = (site / "llms.txt").read_text(encoding="utf-8")
    assert " 1 messages" not in llms and " 1 errors" not in llms and " 1 warnings" not in llms
    assert "2 messages, 1 waiting" in llms  # the sA inbox: one read, one kept raw
    status = json.loads((site / "status.json").read_text(encoding="utf-8"))
    (raw,) = [m for m in status["messages"] if m["line"] == 5]
    assert raw["parsed"] is False and raw["from"] is None and raw["at"] is None
    assert status["counts"]["messages"]["unparsed"] == 1
    lint = json.loads((site / "lint.json").read_text(encoding="utf-8"))
    about = [f for f in lint if f["line"] == 5 and f["rule"] == "message-parse"]
    assert len(about) == 1 and "`yesterday` is not a timestamp" in about[0]["message"]
