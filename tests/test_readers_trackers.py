"""The Backlog.md and beads readers on small real-shaped inputs: leniency, ids, broken lines."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from generator.readers.backlog import (
    backlog_id_key,
    read_backlog_config,
    read_backlog_folder,
    read_backlog_task,
)
from generator.readers.beads import read_beads
from generator.tracking import TaskIndex, category
from tests.conftest import GitRepo


def test_backlog_front_matter_leniency() -> None:
    text = (
        '---\nid: BACK-7\ntitle: No\nstatus: In Progress\nassignee: [@alice, "bob"]\n'
        "reporter: @carol\ncreated_date: 05/06/25\ndue_date: 2025-07-01 # soon\n---\n"
    )
    task, problems, raw = read_backlog_task("backlog/tasks/back-7 - X.md", text)
    assert task is not None and problems == [] and raw is None
    assert task.title == "No"  # js-yaml keeps `No` as text; PyYAML's YAML 1.1 would say False
    assert task.assignees == ("alice", "bob")
    assert task.created is not None and task.created.iso() == "2025-06-05T00:00:00Z"
    assert ("reporter", "@carol") in task.extra and ("due_date", "2025-07-01") in task.extra


def test_backlog_body_sections_checklists_and_both_comment_forms() -> None:
    text = (
        "---\nid: task-1\ntitle: T\nstatus: To Do\n---\n\n## Description\n\n"
        "<!-- SECTION:DESCRIPTION:BEGIN -->\nWhy.\n<!-- SECTION:DESCRIPTION:END -->\n\n"
        "## Acceptance Criteria\n<!-- AC:BEGIN -->\n- [x] #1 one\n- [ ] #2 two\n<!-- AC:END -->\n\n"
        "## Comments\n\n<!-- COMMENTS:BEGIN -->\nauthor: @a\ncreated: 2026-07-04 14:05\n---\n"
        "Hello.\n---\n<!-- COMMENTS:END -->\n"
    )
    task, _, _ = read_backlog_task("backlog/tasks/task-1 - T.md", text)
    assert task is not None
    assert ("Description", "Why.") in task.sections
    assert [(c.index, c.checked, c.line) for c in task.criteria] == [(1, True, 15), (2, False, 16)]
    assert [(c.author, c.at.iso() if c.at else None, c.body) for c in task.comments] == [
        ("@a", "2026-07-04T14:05:00Z", "Hello.")
    ]
    legacy = text.replace(
        "author: @a\ncreated: 2026-07-04 14:05\n---\nHello.\n---\n",
        "<!-- COMMENT:BEGIN -->\nauthor: @b\n\nOld form.\n<!-- COMMENT:END -->\n",
    )
    task, _, _ = read_backlog_task("backlog/tasks/task-1 - T.md", legacy)
    assert task is not None and [(c.author, c.body) for c in task.comments] == [("@b", "Old form.")]


def test_backlog_ids_compare_as_backlog_md_compares_them() -> None:
    assert backlog_id_key("back-355.01", "back") == backlog_id_key("BACK-355.1") == "BACK-355.1"
    assert backlog_id_key("12", "back") == "BACK-12"
    assert backlog_id_key("task-12") != backlog_id_key("BACK-12")


def test_backlog_config_statuses_and_a_broken_list() -> None:
    config, problems = read_backlog_config(
        "backlog/config.yml", 'statuses: ["Todo", "Doing", "Won\'t Do"]\ntask_prefix: "JIRA"\n'
    )
    assert config.statuses == ("Todo", "Doing", "Won't Do") and config.prefix == "JIRA"
    assert problems == []
    config, problems = read_backlog_config("backlog/config.yml", "x: 1\nstatuses: Todo, Done\n")
    assert config.statuses == ("To Do", "In Progress", "Done")
    assert [(p.source.line, "not a list" in p.message) for p in problems] == [(2, True)]


def test_backlog_folder_reads_only_what_backlog_md_lists(tmp_path: Path) -> None:
    files = {
        "backlog/config.yml": 'task_prefix: "back"\nstatuses: ["To Do", "Doing", "Shipped"]\n',
        "backlog/tasks/back-1 - A.md": "---\nid: BACK-1\ntitle: A\nstatus: Shipped\n---\n",
        "backlog/tasks/back-4 - C.md": "---\nid: BACK-4\ntitle: C\nstatus: Doing\n---\n",
        "backlog/tasks/task-2 - Old.md": "---\nid: task-2\ntitle: Old\nstatus: To Do\n---\n",
        "backlog/tasks/readme.md": "# How we work\n",
        "backlog/tasks/epics/back-3 - Deep.md": "---\nid: BACK-3\ntitle: Deep\nstatus: To Do\n---\n",
        "backlog/drafts/draft-1 - Idea.md": "---\nid: DRAFT-1\ntitle: Idea\n---\n",
        "backlog/archive/tasks/back-1 - Gone.md": "---\nid: BACK-1\ntitle: Gone\nstatus: To Do\n---\n",
        "backlog/archive/tasks/back-1 - Gone again.md": "---\nid: BACK-1\ntitle: G2\nstatus: To Do\n---\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    tracker, problems = read_backlog_folder(
        tmp_path, "backlog", lambda rel: (tmp_path / rel).read_text(encoding="utf-8")
    )
    assert tracker is not None
    assert [(t.id, t.folder, category(t)) for t in tracker.tasks] == [
        ("BACK-1", "tasks", "done"),  # the last configured status
        ("BACK-4", "tasks", "in_progress"),  # a configured status between first and last
        ("DRAFT-1", "drafts", "other"),
        ("BACK-1", "archive", "done"),
        ("BACK-1", "archive", "done"),  # archived ids recur: no duplicate finding
    ]
    assert set(tracker.ignored) == {
        "backlog/tasks/task-2 - Old.md",
        "backlog/tasks/readme.md",
        "backlog/tasks/epics/back-3 - Deep.md",
    }
    assert [(p.source.path, p.source.line) for p in problems] == [
        ("backlog/tasks/task-2 - Old.md", 1)
    ]
    index = TaskIndex([tracker])
    found = index.in_text("sA on back-001, task-1 and DRAFT-1")
    assert [(t.id, t.folder) for t in found] == [("BACK-1", "tasks"), ("DRAFT-1", "drafts")]


def test_beads_lines_envelopes_and_broken_lines() -> None:
    issue = {"id": "bd-1", "title": "A", "status": "hooked", "priority": 0, "issue_type": "task"}
    lines = [
        json.dumps(issue),
        "",
        json.dumps({"schema_version": 1, "data": dict(issue, id="bd-2", status="deferred")}),
        "{not json",
        "[1]",
        json.dumps({"title": "no id"}),
        json.dumps(
            dict(issue, id="bd-3", dependencies=[{"depends_on_id": "bd-1", "type": "weird-new"}])
        ),
    ]
    tracker, problems = read_beads(".beads/issues.jsonl", "\n".join(lines))
    assert [(t.id, t.source.line, category(t), t.priority) for t in tracker.tasks] == [
        ("bd-1", 1, "in_progress", "P0"),
        ("bd-2", 3, "other", "P0"),
        ("bd-3", 7, "in_progress", "P0"),
    ]
    assert sorted(p.source.line for p in problems) == [4, 5, 6]
    assert len(tracker.unparsed) == 3
    edge = tracker.tasks[2].edges[0]
    assert (edge.type, edge.target, edge.external) == ("weird-new", "bd-1", False)
    assert tracker.tasks[2].deps == ()  # an unknown type is kept and shown, not a blocker


def test_beads_whole_file_envelope() -> None:
    doc = {
        "schema_version": 1,
        "data": [
            {"id": "x-1", "title": "A", "status": "open"},
            {"id": "x-2", "title": "B", "status": "closed"},
        ],
    }
    tracker, problems = read_beads(".beads/issues.jsonl", json.dumps(doc, indent=2))
    assert [t.id for t in tracker.tasks] == ["x-1", "x-2"] and problems == []


def test_a_beads_export_over_the_board_file_limit_is_read(tmp_path: Path) -> None:
    """Exports are machine-written and large: they are not held to `max_file_bytes`."""
    from generator.config import Config
    from generator.model import History
    from generator.readers import read_board

    line = {
        "id": "",
        "title": "An issue",
        "status": "open",
        "priority": 2,
        "issue_type": "task",
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
        "description": "x" * 900,
    }
    lines = [json.dumps({**line, "id": f"bd-{n}"}) for n in range(6_000)]
    export = tmp_path / ".beads" / "issues.jsonl"
    export.parent.mkdir()
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = Config()
    assert export.stat().st_size > config.thresholds.max_file_bytes
    board = read_board(tmp_path, config, history=History())
    (tracker,) = [t for t in board.trackers if t.kind == "beads"]
    assert len(tracker.tasks) == 6_000
    assert not [p for p in board.problems if p.ref.path == ".beads/issues.jsonl"]


# --- what a black-box run on real repositories found (small inputs of the same shape) ---------


GLUED = "---\nid: TASK-1\ntitle: One\nstatus: To Do\n---## Description\n\nHello\n"


def test_backlog_front_matter_closed_by_a_line_with_a_heading_glued_on() -> None:
    """`---## Description` closes the front matter, as Backlog.md's `^---\\n…\\n---` reads it."""
    task, problems, raw = read_backlog_task("backlog/tasks/task-1 - One.md", GLUED)
    assert task is not None and problems == [] and raw is None
    assert task.title == "One" and task.status == "To Do"
    assert task.sections == (("Description", "Hello"),)
    assert task.body.startswith("## Description")


def _analyse(root: Path) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    from generator import pipeline
    from generator.config import Config
    from generator.render.outputs import status_document
    from generator.timeutil import parse_now

    config = Config()
    now = parse_now("2026-09-01T00:00Z")
    result = pipeline.analyse(pipeline.read(root, config), config, now)
    return status_document(result), [(f.rule, f.path) for f in result.findings]


def test_a_glued_heading_drops_no_task_and_invents_no_dangling_dependency(
    git_repo: GitRepo,
) -> None:
    git_repo.write("backlog/config.yml", 'task_prefix: "task"\n')
    git_repo.write("backlog/tasks/task-1 - One.md", GLUED)
    git_repo.write(
        "backlog/tasks/task-2 - Two.md",
        "---\nid: TASK-2\ntitle: Two\nstatus: To Do\ndependencies: [TASK-1]\n---\n",
    )
    git_repo.commit("tasks")
    doc, findings = _analyse(git_repo.root)
    assert sorted(t["id"] for t in doc["tasks"]) == ["TASK-1", "TASK-2"]
    rules = {rule for rule, _ in findings}
    assert "export-parse" not in rules and "dangling-dependency" not in rules


def test_a_task_id_written_twice_gets_two_anchors_and_links_go_to_the_first(
    git_repo: GitRepo, tmp_path: Path
) -> None:
    from generator import pipeline
    from generator.config import Config
    from generator.timeutil import parse_now

    front = "---\nid: task-24\ntitle: {}\nstatus: Done\n---\n"
    git_repo.write("backlog/config.yml", 'task_prefix: "task"\n')
    git_repo.write("backlog/completed/task-24 - Done.md", front.format("Done once"))
    git_repo.write("backlog/archive/tasks/task-24 - Done.md", front.format("Archived copy"))
    # `task-24.2` slugs to `task-24-2`: the second copy's anchor must not take it.
    git_repo.write(
        "backlog/tasks/task-24.2 - Sub.md",
        "---\nid: task-24.2\ntitle: Sub\nstatus: To Do\ndependencies: [task-24]\n---\n",
    )
    git_repo.commit("tasks")
    config = Config()
    now = parse_now("2026-09-01T00:00Z")
    result = pipeline.analyse(pipeline.read(git_repo.root, config), config, now)
    page = (pipeline.render(result, tmp_path / "site") / "tasks" / "backlog.html").read_text(
        encoding="utf-8"
    )
    ids = re.findall(r'\bid="(task-backlog-[^"]+)"', page)
    assert len(ids) == len(set(ids)) == 3
    assert set(ids) == {"task-backlog-task-24", "task-backlog-task-24--2", "task-backlog-task-24-2"}
    first = page[page.index('id="task-backlog-task-24"') :][:3000]
    assert "Done once" in first  # `completed/` is read before `archive/tasks/`
    sub = page[page.index('id="task-backlog-task-24-2"') :]
    sub = sub[: sub.index("</article>")]
    # waits on: the first copy (the page escapes `#` as `&#35;` in its links)
    assert re.search(r'href="(?:#|&#35;)task-backlog-task-24" title="Done once"', sub)


def test_legacy_beads_type_and_deps_are_read_as_issue_type_and_dependencies() -> None:
    """The legacy `.beads/beads.jsonl` shape: `type` and `deps` (bare ids that block)."""
    lines = [
        {"id": "ru-1", "title": "Epic", "type": "epic", "priority": 1, "status": "open",
         "deps": [], "labels": [], "description": ""},
        {"id": "ru-2", "title": "Task", "type": "task", "priority": 2, "status": "open",
         "deps": ["ru-1"], "labels": ["cli"], "description": "Do it."},
        # Both names: the current one is read, the legacy one kept as another field.
        {"id": "ru-3", "title": "Both", "issue_type": "bug", "type": "chore", "status": "open",
         "dependencies": [], "deps": ["ru-1"]},
    ]  # fmt: skip
    tracker, problems = read_beads(
        ".beads/beads.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n"
    )
    assert problems == []
    one, two, three = tracker.tasks
    assert one.type == "epic" and two.type == "task"
    assert two.deps == ("ru-1",) and [(e.type, e.target) for e in two.edges] == [("blocks", "ru-1")]
    assert {k for k, _ in one.extra + two.extra}.isdisjoint({"type", "deps"})
    assert three.type == "bug" and three.deps == ()
    assert ("type", "chore") in three.extra and ("deps", '["ru-1"]') in three.extra


def test_beads_tombstones_are_finished_and_kept() -> None:
    line = {
        "id": "bx-1",
        "title": "Gone",
        "status": "tombstone",
        "issue_type": "task",
        "deleted_at": "2026-01-03T11:36:58+01:00",
        "delete_reason": "cleanup",
    }
    tracker, problems = read_beads(".beads/issues.jsonl", json.dumps(line) + "\n")
    (task,) = tracker.tasks
    assert problems == [] and category(task) == "done"
    assert ("delete_reason", "cleanup") in task.extra


def test_beads_other_keys_are_kept_zero_included() -> None:
    line = {
        "id": "bd-1",
        "title": "T",
        "status": "open",
        "created_by": "christian",
        "estimated_minutes": 30,
        "source_repo": ".",
        "compaction_level": 0,
        "dependency_count": 3,
    }
    tracker, _ = read_beads(".beads/issues.jsonl", json.dumps(line) + "\n")
    (task,) = tracker.tasks
    assert dict(task.extra) == {
        "created_by": "christian",
        "estimated_minutes": "30",
        "source_repo": ".",
        "compaction_level": "0",
    }


def test_other_fields_on_the_card_are_escaped_and_long_ones_clipped(
    git_repo: GitRepo, tmp_path: Path
) -> None:
    from generator import pipeline
    from generator.config import Config
    from generator.timeutil import parse_now

    long = "word " * 80
    git_repo.write(
        "backlog/tasks/task-1 - One.md",
        "---\nid: task-1\ntitle: One\nstatus: To Do\nordinal: 1000\n"
        f'custom: "<script>alert(1)</script>"\nsummary: "{long.strip()}"\n---\n',
    )
    git_repo.commit("task")
    config = Config()
    result = pipeline.analyse(
        pipeline.read(git_repo.root, config), config, parse_now("2026-09-01T00:00Z")
    )
    page = (pipeline.render(result, tmp_path / "site") / "tasks" / "backlog.html").read_text(
        encoding="utf-8"
    )
    card = page[page.index('id="task-backlog-task-1"') :]
    card = card[: card.index("</article>")]
    assert "<dt>ordinal</dt><dd>1000</dd>" in card
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card and "<script>alert" not in card
    clip = card[card.index("<dt>summary</dt>") :]
    assert '<details class="sb-clip">' in clip and "…</summary>" in clip
    assert long.strip() in clip  # the whole value, one click away
