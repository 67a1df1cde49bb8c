"""A Backlog.md task body loses nothing: every word written is a section, a checkbox or a comment,
and reaches the tracker page."""

from __future__ import annotations

import html
from pathlib import Path

from generator import pipeline
from generator.config import Config
from generator.readers.backlog import read_backlog_task
from generator.timeutil import parse_now
from tests.conftest import GitRepo

NOW = parse_now("2026-06-01T00:00Z")
FRONT = "---\nid: BACK-1\ntitle: T\nstatus: To Do\n---\n"
PATH = "backlog/tasks/back-1 - T.md"


def _words(text: str) -> set[str]:
    return {w.strip(".,:") for w in text.split() if w.strip(".,:").isalpha() and len(w) > 3}


def test_comments_written_as_list_items_are_comments_and_stay_a_section() -> None:
    body = (
        "## Comments\n\n- @sB 2026-05-31 13:00: looks good\n  second line\n"
        "- @sA: thanks\nplain remark after them\n"
    )
    task, problems, _ = read_backlog_task(PATH, FRONT + body)
    assert task is not None and problems == []
    assert [
        (c.author, c.at.iso() if c.at else None, c.body, c.source.line) for c in task.comments
    ] == [
        ("@sB", "2026-05-31T13:00:00Z", "looks good\nsecond line", 8),
        ("@sA", None, "thanks", 10),
    ]
    shown = dict(task.sections)["Comments"]
    assert "looks good" in shown and "plain remark after them" in shown


def test_no_body_text_vanishes() -> None:
    """Lead text, text beside checkboxes, a heading inside a marker block, an unknown marker, and
    the parts of a block-form Comments section that are no comment."""
    body = (
        "Leading words before anything.\n\n"
        "## Description\n\n<!-- SECTION:DESCRIPTION:BEGIN -->\nRetry charges.\n"
        "## Inside description\nstill description words\n<!-- SECTION:DESCRIPTION:END -->\n\n"
        "<!-- NOTES:WHATEVER -->\nbetween sections words\n\n"
        "## Acceptance Criteria\n<!-- AC:BEGIN -->\n- [ ] #1 retries thrice\n"
        "* [ ] starred checkbox\nreviewer remark beside criteria\n<!-- AC:END -->\n\n"
        "## Comments\n\n<!-- COMMENTS:BEGIN -->\nstray preface words\n"
        "author: sB\ncreated: 2026-05-31 13:00\n---\nBlock comment words.\n---\n"
        "author: sC\n---\n---\n"
        "trailing orphan words\n<!-- COMMENTS:END -->\n"
    )
    task, problems, _ = read_backlog_task(PATH, FRONT + body)
    assert task is not None and problems == []
    assert [(c.author, c.body) for c in task.comments] == [("sB", "Block comment words.")]
    assert [c.text for c in task.criteria] == ["retries thrice"]
    titles = [t for t, _ in task.sections]
    assert titles == ["", "Description", "Acceptance Criteria", "Comments"]  # no split inside
    kept = " ".join(f"{title} {text}" for title, text in task.sections)
    kept += " " + " ".join(c.text for c in task.criteria)
    kept += " author created " + task.comments[0].body  # the comment's fields
    missing = {w for w in _words(body) - _words(kept) if not w.isupper()}
    assert not missing, missing
    assert "author: sC" in dict(task.sections)["Comments"]  # a comment that says nothing


def test_the_list_item_comment_reaches_the_page_and_status(
    git_repo: GitRepo, tmp_path: Path
) -> None:
    git_repo.write("backlog/config.yml", 'task_prefix: "back"\n')
    git_repo.write(
        "backlog/tasks/back-1 - T.md",
        FRONT + "\n## Acceptance Criteria\n- [ ] #1 ok\nremark beside the checklist\n\n"
        "## Comments\n\n- @sB 2026-05-31 13:00: looks good\n",
    )
    git_repo.commit("task", at=NOW)
    config = Config()
    result = pipeline.analyse(pipeline.read(git_repo.root, config), config, NOW)
    site = pipeline.render(result, tmp_path / "site")
    page = html.unescape((site / "tasks" / "backlog.html").read_text(encoding="utf-8"))
    card = page[page.index('id="task-backlog-back-1"') :]
    card = card[: card.index("</article>")]
    assert "looks good" in card and "remark beside the checklist" in card
    assert "comment" in card and "by @sB" in card  # the activity line
    status = (site / "status.json").read_text(encoding="utf-8")
    assert '"comments": 1' in status


def test_the_block_form_without_its_markers_is_still_read_as_comments() -> None:
    body = "## Comments\n\nauthor: @a\ncreated: 2026-07-04 14:05\n---\nHello.\n---\n"
    task, _, _ = read_backlog_task(PATH, FRONT + body)
    assert task is not None
    assert [(c.author, c.body, c.source.line) for c in task.comments] == [("@a", "Hello.", 8)]
    assert "Comments" not in dict(task.sections)  # nothing left over to show twice
