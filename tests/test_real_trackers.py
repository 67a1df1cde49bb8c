"""Real Backlog.md folders and beads exports (tests/fixtures/real/, see its README): everything the
files hold reaches status.json, or is a finding at its `path:line`; well-kept trackers give no
warning or error.

What counts as a task is decided here independently of the readers: for Backlog.md, the files
Backlog.md itself lists (`<task_prefix>-*.md` in `tasks/`, `completed/`, `archive/tasks/`,
`draft-*.md` in `drafts/`, the prefix read from `config.yml` with a regular expression); for beads,
every non-blank line of the export.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator import pipeline
from generator.config import Config, SiteOptions
from generator.render.outputs import status_document
from generator.timeutil import parse_now
from tests.conftest import GitRepo

REAL = Path(__file__).parent / "fixtures" / "real"
NOW = parse_now("2026-09-01T00:00Z")
# (fixture folder, the export or folder, findings at warning or above: (path, line, rule)).
SOURCES: list[tuple[str, str, set[tuple[str, int | None, str]]]] = [
    ("backlog-md", "backlog", set()),
    (
        "ariadne",
        "backlog",
        {
            (
                "backlog/tasks/task-110 - Support-polymorphic-call-graph-edges.md",
                1,
                "export-parse",
            )
        },
    ),
    (
        "panic",
        "backlog",
        {
            (
                "backlog/tasks/task-43 - Add-NetworkRunner-status-component-with-countdown.md",
                1,
                "export-parse",
            ),
            ("backlog/tasks/task-56 - update-ash-deps.md", 2, "export-parse"),
        },
    ),
    ("beads", ".beads/issues.jsonl", set()),
    ("beads-comments", ".beads/issues.jsonl", set()),
    ("beads-legacy", ".beads/beads.jsonl", set()),
    ("spawner", ".beads/issues.jsonl", set()),
    ("skillbox", ".beads/issues.jsonl", set()),
    ("backlog-md-extra", "backlog", set()),
    ("beadsx", ".beads/issues.jsonl", set()),
]


def _build(name: str, git_repo: GitRepo) -> dict[str, Any]:
    """status.json of the fixture as a repository, with the findings (lint.json's) beside it."""
    shutil.copytree(REAL / name, git_repo.root, dirs_exist_ok=True)
    git_repo.commit("real tracker", at=NOW)
    config = Config()
    result = pipeline.analyse(pipeline.read(git_repo.root, config), config, NOW)
    doc = status_document(result)
    doc["findings"] = [
        {"path": f.path, "line": f.line, "rule": f.rule, "severity": str(f.severity)}
        for f in result.findings
    ]
    return doc


def _backlog_files(root: Path) -> list[str]:
    """The task files Backlog.md lists, by its own naming rule."""
    config = (root / "backlog" / "config.yml").read_text(encoding="utf-8")
    m = re.search(r"^task_prefix:\s*['\"]?([A-Za-z]+)", config, re.MULTILINE)
    prefix = (m[1] if m else "task").lower()
    out: list[str] = []
    for sub, wanted in (
        ("tasks", prefix),
        ("completed", prefix),
        ("archive/tasks", prefix),
        ("drafts", "draft"),
        ("archive/drafts", "draft"),  # Backlog.md lists them nowhere; the board keeps them
    ):
        folder = root / "backlog" / sub
        if folder.is_dir():
            out += [
                f"backlog/{sub}/{p.name}"
                for p in sorted(folder.glob("*.md"))
                if p.name.lower().startswith(f"{wanted}-")
            ]
    return out


@pytest.mark.parametrize(("name", "source", "expected"), SOURCES, ids=[s[0] for s in SOURCES])
def test_every_real_task_is_on_the_board_or_a_finding(
    name: str, source: str, expected: set[tuple[str, int | None, str]], git_repo: GitRepo
) -> None:
    doc = _build(name, git_repo)
    tasks = doc["tasks"]
    found = {(f["path"], f["line"]) for f in doc["findings"]}
    found_paths = {f["path"] for f in doc["findings"]}
    if source == "backlog":
        files = _backlog_files(REAL / name)
        assert files, "the fixture holds task files"
        on_board = {t["path"] for t in tasks if t["source"] == "backlog"}
        missing = [f for f in files if f not in on_board and f not in found_paths]
        assert missing == [], missing
        # Nothing else is a task: a readme in the task folders is not.
        assert on_board <= set(files), sorted(on_board - set(files))
    else:
        text = (REAL / name / source).read_text(encoding="utf-8")
        lines = [n for n, line in enumerate(text.split("\n"), 1) if line.strip()]
        on_board = {t["line"] for t in tasks if t["source"] == "beads" and t["path"] == source}
        missing = [n for n in lines if n not in on_board and (source, n) not in found]
        assert missing == [], missing
        assert len([t for t in tasks if t["source"] == "beads"]) == len(lines)
    serious = {
        (f["path"], f["line"], f["rule"])
        for f in doc["findings"]
        if f["severity"] in ("warning", "error")
    }
    assert serious == expected


def test_backlog_md_read_as_backlog_md_reads_it(git_repo: GitRepo) -> None:
    """Backlog.md's own folder: `@user` unquoted, zero padding, legacy `task-` ids, folders."""
    doc = _build("backlog-md", git_repo)
    by_id = {t["id"]: t for t in doc["tasks"]}
    # `assignee: @MrLesk` unquoted: Backlog.md quotes it before YAML reads it.
    assert by_id["BACK-1"]["assignees"] == ["MrLesk"]
    assert by_id["BACK-1"]["folder"] == "completed" and by_id["BACK-1"]["state"] == "done"
    # An archived `Won't Do` is finished, like `Wontfix`; a draft is no work yet.
    assert by_id["BACK-76"]["folder"] == "archive" and by_id["BACK-76"]["state"] == "done"
    assert {t["state"] for t in doc["tasks"] if t["folder"] == "drafts"} == {"other"}
    # Sections, checklists and comments reach the task.
    sub = by_id["BACK-355.01"]
    assert sub["parent"] == "BACK-355" and sub["priority"] == "medium"
    assert sub["comments"] == 1 and all(c["checked"] for c in sub["criteria"])
    # `task-355.01` (legacy prefix, zero padding) is the dependency BACK-355.02 waits on.
    assert "task-355.01" in by_id["BACK-355.02"]["deps"]
    assert doc["counts"]["tasks"]["by_source"] == {"backlog": len(doc["tasks"])}


def test_beads_issues_edges_and_agents(git_repo: GitRepo) -> None:
    doc = _build("beads", git_repo)
    beads = [t for t in doc["tasks"] if t["source"] == "beads"]
    agents = [t for t in beads if t["type"] == "agent"]
    assert agents and all(t["agent_state"] and t["last_activity"] for t in agents)
    statuses = {t["status"] for t in beads}
    assert {"hooked", "closed", "open"} <= statuses
    edges = [e for t in beads for e in t["edges"]]
    assert {"blocks", "parent-child"} <= {e["type"] for e in edges}
    # Wisps and `external:` targets are not in the export: shown as external, never judged.
    ids = {t["id"] for t in beads}
    external = [e for e in edges if e["external"]]
    assert external and all(e["target"] not in ids for e in external)
    assert any("-wisp-" in e["target"] for e in external)
    assert any(t["close_reason"] for t in beads)


def test_beads_comments_are_the_activity(git_repo: GitRepo) -> None:
    doc = _build("beads-comments", git_repo)
    assert sum(t["comments"] for t in doc["tasks"]) >= 6
    assert any(t["labels"] for t in doc["tasks"])


def _site(
    name: str, git_repo: GitRepo, tmp_path: Path, later: dict[str, str] | None = None
) -> Path:
    shutil.copytree(REAL / name, git_repo.root, dirs_exist_ok=True)
    git_repo.commit("real tracker", at=NOW)
    for path, text in (later or {}).items():
        git_repo.write(path, text)
    if later:
        git_repo.commit("later", at=NOW)
    config = Config()
    result = pipeline.analyse(pipeline.read(git_repo.root, config), config, NOW)
    return pipeline.render(result, tmp_path / "site")


def test_beads_pages_say_what_the_export_is(git_repo: GitRepo, tmp_path: Path) -> None:
    site = _site("beads", git_repo, tmp_path, {".beads/config.yaml": "issue-prefix: bd\n"})
    page = (site / "tasks" / "beads.html").read_text(encoding="utf-8")
    assert "the issues live in the beads database" in page
    assert "older than the repository" in page  # a later commit touched .beads/
    assert "ephemeral wisps" in page and "(external)" in page
    assert "data-sb-task-filter" in page and "Epics and parents" in page
    agents = (site / "agents.html").read_text(encoding="utf-8")
    doc = json.loads((site / "status.json").read_text(encoding="utf-8"))
    for bead in (t for t in doc["tasks"] if t["type"] == "agent"):
        assert bead["id"] in agents and f"<code>{bead['agent_state']}</code>" in agents


def test_backlog_md_page_shows_sections_checklists_and_comments(
    git_repo: GitRepo, tmp_path: Path
) -> None:
    site = _site("backlog-md", git_repo, tmp_path)
    page = (site / "tasks" / "backlog.html").read_text(encoding="utf-8")
    assert "Task prefix <code>back</code>" in page
    assert "backlog/tasks/readme.md" in page  # listed as no task, not dropped silently
    card = page[page.index('id="task-backlog-back-222-1"') :][:20000]
    assert "8/8 checked" in card and "Implementation Notes" in card and "part of" in card
    assert "DoD #2" in card


def test_a_thousand_issues_stay_bounded(git_repo: GitRepo, tmp_path: Path) -> None:
    """1,200 issues: every one keeps its anchor, full cards stay bounded, the graph too."""
    lines = []
    for n in range(1200):
        deps = (
            [{"issue_id": f"bd-{n}", "depends_on_id": f"bd-{n - 1}", "type": "blocks"}] if n else []
        )
        lines.append(
            json.dumps(
                {
                    "id": f"bd-{n}",
                    "title": f"Issue {n}",
                    "status": ("open", "closed", "in_progress")[n % 3],
                    "priority": n % 5,
                    "issue_type": "task",
                    "labels": [f"area-{n % 7}"],
                    "created_at": "2026-08-01T00:00:00Z",
                    "updated_at": f"2026-08-{1 + n % 28:02d}T00:00:00Z",
                    "dependencies": deps,
                }
            )
        )
    # Any beads fixture as the start; the synthetic export replaces its file in a later commit.
    site = _site("skillbox", git_repo, tmp_path, {".beads/issues.jsonl": "\n".join(lines) + "\n"})
    page = (site / "tasks" / "beads.html").read_text(encoding="utf-8")
    assert all(f'id="task-beads-bd-{n}"' in page for n in range(1200))
    assert page.count('<article class="sb-task ') <= 250 + 40
    assert "The graph shows the first 60 of 1200 tasks" in page
    assert len(page) < 3_000_000


def test_backlog_md_other_keys_reach_status_json(git_repo: GitRepo) -> None:
    """`references`, `documentation`, `modified_files`, `ordinal`: kept as written, in order."""
    doc = _build("backlog-md-extra", git_repo)
    by_id = {t["id"]: t for t in doc["tasks"]}
    refs = json.loads(by_id["BACK-356"]["extra"]["references"])
    assert refs == [
        "https://github.com/example/docs/task-fields",
        "src/types/index.ts",
        "src/web/components/TaskDetailsModal.tsx",
    ]
    assert json.loads(by_id["BACK-411"]["extra"]["documentation"])[0] == "README.md"
    assert by_id["BACK-356"]["extra"].keys().isdisjoint({"id", "title", "status", "labels"})
    # The archived draft: kept with the archive, as finished work.
    draft = by_id["DRAFT-41"]
    assert draft["folder"] == "archive" and draft["state"] == "done"
    assert draft["path"] == "backlog/archive/drafts/draft-41 - temporary-test-task.md"


def test_backlog_md_ordinal_and_modified_files_are_kept(git_repo: GitRepo) -> None:
    doc = _build("backlog-md", git_repo)
    by_id = {t["id"]: t for t in doc["tasks"]}
    assert by_id["BACK-222.1"]["extra"]["ordinal"] == "272000"
    assert json.loads(by_id["BACK-355.05"]["extra"]["modified_files"])[0] == "src/cli.ts"
    assert all(isinstance(t["extra"], dict) for t in doc["tasks"])


def test_backlog_md_card_shows_other_fields_linked_and_milestones(
    git_repo: GitRepo, tmp_path: Path
) -> None:
    shutil.copytree(REAL / "backlog-md-extra", git_repo.root, dirs_exist_ok=True)
    git_repo.commit("real tracker", at=NOW)
    config = Config(site=SiteOptions(repo_url="https://github.com/MrLesk/Backlog.md"))
    result = pipeline.analyse(pipeline.read(git_repo.root, config), config, NOW)
    site = pipeline.render(result, tmp_path / "site")
    page = (site / "tasks" / "backlog.html").read_text(encoding="utf-8")
    card = page[page.index('id="task-backlog-back-356"') :]
    card = card[: card.index("</article>")]
    assert "Other fields" in card and "<dt>references</dt>" in card
    # A repository path links to the file on the code host, a web address to itself.
    assert re.search(
        r'href="https://github\.com/MrLesk/Backlog\.md/blob/[0-9a-f]+/src/types/index\.ts"', card
    )
    assert 'href="https://github.com/example/docs/task-fields"' in card
    other = page[page.index('id="task-backlog-back-411"') :]
    other = other[: other.index("</article>")]
    # An absolute path is no file of the repository: shown, not linked; README.md is linked.
    item = re.search(r"<li>((?:(?!</li>).)*plugin-creator/SKILL\.md(?:(?!</li>).)*)</li>", other)
    assert item is not None and "href" not in item[1]
    assert re.search(r'href="[^"]+/blob/[0-9a-f]+/README\.md"', other)
    # `milestone: m-1` shows the title of the (archived) milestone file.
    sub = page[page.index('id="task-backlog-back-4-2"') :]
    assert "CLI Development" in sub[: sub.index("</article>")]
    assert "Agent CLI Workflow (<code>m-7</code>, 0 task(s))" in page


def test_beads_tombstones_are_kept_apart_and_other_keys_shown(
    git_repo: GitRepo, tmp_path: Path
) -> None:
    site = _site("beadsx", git_repo, tmp_path)
    doc = json.loads((site / "status.json").read_text(encoding="utf-8"))
    by_id = {t["id"]: t for t in doc["tasks"]}
    dead = by_id["beadsx-925"]
    assert dead["status"] == "tombstone" and dead["state"] == "done"
    assert dead["extra"]["delete_reason"] == "Cleaning up test issues"
    assert by_id["beadsx-873"]["extra"] == {"created_by": "christian"}
    counts = doc["counts"]["tasks"]
    assert counts["total"] == 4 and counts["done"] == 4 and counts["other"] == 0
    page = (site / "tasks" / "beads.html").read_text(encoding="utf-8")
    group = page[page.index('class="sb-deleted"') :]
    group = group[: group.index("</details>")]
    # Both tombstones in the collapsed group, with their anchors; no card of their own.
    assert 'id="task-beads-beadsx-925"' in group and 'id="task-beads-beadsx-925-1"' in group
    assert page.count('id="task-beads-beadsx-925"') == 1
    assert "Cleaning up test issues" in group
    card = page[page.index('id="task-beads-beadsx-873"') :]
    assert "<dt>created_by</dt>" in card[: card.index("</article>")]
