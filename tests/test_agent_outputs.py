"""llms.txt, waiting/<id>.json, the Atom feeds, the shields badges and `statusboard inbox`, on a
small real git repository (issue 13, items 2–4)."""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import jsonschema
import pytest

from generator import pipeline
from generator.cli import main
from generator.config import load_config
from generator.render.agents_out import agent_outputs
from generator.render.pages import inbox_views
from generator.render.waiting import find, recipients, waiting_document
from tests.conftest import GitRepo

NOW = "2026-06-05T12:00Z"
ATOM = "{http://www.w3.org/2005/Atom}"
SCHEMAS = Path(__file__).parent.parent / "docs" / "reference" / "schemas"
QUEUE = "docs/ai/sessions/queue"

SCOREBOARD = """\
# Active sessions

| Session | Task | Worktree | Claimed | Presence | Scope |
|---|---|---|---|---|---|
| sA · Sintra | Riff #412 | worktree `session-sA` → direct-to-main, `[sA]` | 2026-06-05T08:00Z | 2026-06-05T11:50Z · abc1234 | `services/**` |
| sB · Porto | Riff #398 | worktree `session-sB` → direct-to-main, `[sB]` | 2026-06-05T01:00Z | 2026-06-05T02:00Z · abc1234 | `web/**` |
"""

# Board text that must stay data in every output: markup, an XML end, a control character.
EVIL = "Look: <script>alert(1)</script> ]]> & \x1b[31mred\x07 </content>"


def _at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)


@pytest.fixture
def board(git_repo: GitRepo) -> GitRepo:
    """sA has one message waiting (sent, a question) and one answered; `human` one waiting; a
    broadcast; a BASS task in review assigned to frankel."""
    git_repo.write("docs/ai/sessions/active.md", SCOREBOARD)
    git_repo.write(
        "docs/ai/agents.md",
        "# Agents\n\n| Agent ID | Name | Type | Role | How to reach |\n|---|---|---|---|---|\n"
        '| `frankel` | Frankel | Named | PM | `sessions_send(sessionKey="agent:frankel:main")` |\n'
        '| `vinyl` | Vinyl | Named | release | `sessions_send(sessionKey="agent:vinyl:main")` |\n',
    )
    git_repo.commit("[sA] claim", at=_at("2026-06-05T08:00Z"))
    git_repo.write(
        f"{QUEUE}/to-sA.md",
        "# Queue — to sA\n\n"
        "## 2026-06-05T09:00Z · from:sB · to:sA · type:question · ref:Riff #412 · status:sent\n\n"
        f"{EVIL}\n\n"
        "## 2026-06-05T09:30Z · from:sB · to:sA · type:info · status:done\n\n"
        "Nothing to do.\n\n- ack · 2026-06-05T09:40Z · sA · done\n",
    )
    git_repo.write(
        f"{QUEUE}/to-human.md",
        "# Queue — to human\n\n"
        "## 2026-06-05T10:00Z · from:sA · to:human · type:question · status:sent\n\n"
        "May I merge the retry work?\n",
    )
    git_repo.write(
        f"{QUEUE}/to-all.md",
        "# Broadcasts\n\n## 2026-06-05T10:10Z · from:sA · to:all · type:info\n\nMain is green.\n",
    )
    git_repo.write(
        "docs/ai/tracker/bass.json",
        json.dumps(
            {
                "tasks": [
                    {"id": "T-1", "title": "Review me", "status": "review", "agent": "frankel"},
                    {"id": "T-2", "title": "Done", "status": "done", "agent": "frankel"},
                ]
            }
        ),
    )
    git_repo.commit("[sA] messages", at=_at("2026-06-05T10:15Z"))
    return git_repo


def _result(root: Path, site_url: str | None = None) -> pipeline.Result:
    config = load_config(root)
    if site_url is not None:
        config = replace(config, site=replace(config.site, site_url=site_url))
    board = pipeline.read(root, config)
    return pipeline.analyse(board, config, _at(NOW))


def _tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# --- waiting/<id>.json: the site's judgement --------------------------------------------------


def test_waiting_documents_agree_with_the_site(board: GitRepo) -> None:
    result = _result(board.root)
    out = agent_outputs(result)
    status_waiting = sum(1 for v in inbox_views(result) for m in v.messages if m.waiting)
    docs = {
        k: json.loads(v) for k, v in out.items() if k.startswith("waiting/") and k.endswith(".json")
    }
    assert {"waiting/sA.json", "waiting/sB.json", "waiting/human.json"} <= set(docs)
    assert "waiting/all.json" not in docs  # broadcasts wait on no one
    sa = docs["waiting/sA.json"]
    assert sa["recipient"] == "sA" and sa["name"] == "Sintra" and sa["kind"] == "session"
    assert sa["generated_at"] == "2026-06-05T12:00:00Z"
    assert [m["type"] for m in sa["messages"]] == ["question"]
    m = sa["messages"][0]
    assert m["from"] == "sB" and m["ref"] == "Riff #412" and m["waiting_for"] == "to be seen"
    assert m["age"] == "3 h" and m["age_seconds"] == 3 * 3600 and m["overdue"] is True
    assert m["link"].startswith("inboxes/sA/2026-06.html#")
    # every waiting message of the site is in exactly one document
    assert sum(len(d["messages"]) for d in docs.values()) == status_waiting == 2
    assert [t["id"] for t in docs["waiting/frankel.json"]["tasks"]] == ["T-1"]
    schema = json.loads((SCHEMAS / "waiting.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    for doc in docs.values():
        jsonschema.validate(doc, schema)
    assert docs["waiting/human.json"]["messages"][0]["from"] == "sA"


def test_names_and_handles_find_the_same_recipient(board: GitRepo) -> None:
    result = _result(board.root)
    people = recipients(result, inbox_views(result))
    sintra, handle, sa = (find(result, people, x) for x in ("Sintra", "po:sA", "sA"))
    assert sa is not None and sa.key == "sA"
    assert sintra == sa
    assert handle is None or handle == sa  # no project_tag configured: po:sA may not resolve
    assert find(result, people, "nobody") is None


# --- feeds ---------------------------------------------------------------------------------------


def _check_atom(data: bytes) -> ET.Element:
    """The structure RFC 4287 requires: feed id/title/updated, and id/title/updated per entry,
    an author for the feed or each entry; RFC 3339 times."""
    root = ET.fromstring(data)
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{tag}") is not None, tag
    feed_author = root.find(f"{ATOM}author") is not None
    for entry in root.findall(f"{ATOM}entry"):
        for tag in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{tag}") is not None, tag
        assert feed_author or entry.find(f"{ATOM}author") is not None
        updated = entry.findtext(f"{ATOM}updated") or ""
        datetime.fromisoformat(updated.replace("Z", "+00:00"))
    return root


def test_every_feed_parses_and_escapes_board_text(board: GitRepo) -> None:
    out = agent_outputs(_result(board.root))
    names = sorted(k for k in out if k.startswith("feeds/"))
    assert names == [
        "feeds/all.xml",
        "feeds/human.xml",
        "feeds/sA.xml",
        "feeds/sB.xml",
        "feeds/waiting-human.xml",
    ]
    for name in names:
        parsed = feedparser.parse(out[name])
        assert not parsed.bozo, (name, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        _check_atom(out[name])
    sa = feedparser.parse(out["feeds/sA.xml"])
    assert len(sa.entries) == 2
    evil = next(e for e in sa.entries if e.title.startswith("question"))
    content = evil.content[0].value
    assert "&lt;script&gt;" in content and "<script>" not in content  # escaped twice: HTML in XML
    assert "\x1b" not in out["feeds/sA.xml"].decode() and "\ufffd" in content
    assert evil.id.startswith("urn:statusboard:") and evil.id.endswith("2026-06-05T09:00Z-sB")
    # `updated` is the message's first commit, not the time written in its heading
    assert evil.updated == "2026-06-05T10:15:00Z" and evil.published == "2026-06-05T09:00:00Z"
    assert evil.link.startswith("../inboxes/sA/2026-06.html#")


def test_person_feed_lists_what_waits_on_human(board: GitRepo) -> None:
    out = agent_outputs(_result(board.root))
    person = feedparser.parse(out["feeds/waiting-human.xml"])
    assert [e.title.split(":")[0] for e in person.entries] == ["question from sA"]
    assert person.feed.updated == "2026-06-05T10:15:00Z"


def test_feed_links_are_absolute_under_site_url(board: GitRepo) -> None:
    out = agent_outputs(_result(board.root, site_url="https://acme.example/board/"))
    feed = _check_atom(out["feeds/sA.xml"])
    links = [e.get("href") or "" for e in feed.iter(f"{ATOM}link")]
    assert links and all(h.startswith("https://acme.example/board/") for h in links)
    assert any(
        e.get("rel") == "self" and e.get("href") == "https://acme.example/board/feeds/sA.xml"
        for e in feed.iter(f"{ATOM}link")
    )
    llms = out["llms.txt"].decode()
    assert "(https://acme.example/board/status.json)" in llms


# --- badges --------------------------------------------------------------------------------------


def test_badges_follow_the_shields_schema_and_the_site_colours(board: GitRepo) -> None:
    out = agent_outputs(_result(board.root))
    schema = json.loads((SCHEMAS / "badge.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    badges = {k: json.loads(v) for k, v in out.items() if k.startswith("badges/")}
    assert set(badges) == {"badges/sessions.json", "badges/waiting.json", "badges/findings.json"}
    for doc in badges.values():
        jsonschema.validate(doc, schema)
    css = (Path(__file__).parent.parent / "templates/assets/statusboard.css").read_text()
    sessions = badges["badges/sessions.json"]
    assert sessions["message"] == "1 live · 1 stale"
    assert f"--sb-stale: #{sessions['color']};" in css
    assert (
        badges["badges/waiting.json"]["message"] == "2 messages · 1 overdue"
    )  # the 10:00 one: 2 h, not over
    findings = badges["badges/findings.json"]
    assert f"#{findings['color']};" in css
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**sessions, "message": ""}, schema)


# --- llms.txt ------------------------------------------------------------------------------------


def test_llms_txt_has_the_llmstxt_shape_and_links_every_output(board: GitRepo) -> None:
    out = agent_outputs(_result(board.root))
    text = out["llms.txt"].decode()
    lines = text.splitlines()
    assert lines[0].startswith("# ") and lines[2].startswith("> ")
    assert next(ln for ln in lines if ln.startswith("## ")) == "## Machine outputs"
    for target in ("status.json", "lint.json", "waiting/sA.json", "inboxes/sA.html"):
        assert f"]({target})" in text, target
    for ln in lines:
        if ln.startswith("- ["):
            assert "](" in ln and ln.split("](", 1)[1].split(")", 1)[0]


# --- the build and the command ------------------------------------------------------------------


def test_build_writes_them_identically_twice_and_pages_link_their_feed(
    board: GitRepo, tmp_path: Path
) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert main(["build", str(board.root), "-o", str(one), "--now", NOW, "-q", "--no-cache"]) in (
        0,
        1,
    )
    assert main(["build", str(board.root), "-o", str(two), "--now", NOW, "-q", "--no-cache"]) in (
        0,
        1,
    )
    assert _tree(one) == _tree(two)
    for rel in ("llms.txt", "feeds/sA.xml", "feeds/waiting-human.xml", "badges/findings.json"):
        assert (one / rel).is_file(), rel
    inbox = (one / "inboxes/sA.html").read_text(encoding="utf-8")
    # Discovered by the `alternate` token; not `rel="alternate"` alone, which Material's script
    # takes for a language alternate and fetches a sitemap beside (a 404 under feeds/).
    assert (
        '<link rel="alternate feed" type="application/atom+xml" title="This inbox" '
        'href="../feeds/sA.xml"' in inbox
    )
    assert 'rel="alternate" type="application/atom+xml"' not in inbox
    assert 'href="../feeds/waiting-human.xml"' in inbox
    index = (one / "index.html").read_text(encoding="utf-8")
    assert 'href="feeds/waiting-human.xml"' in index and "feeds/sA.xml" not in index


def _snapshot(root: Path) -> dict[str, tuple[float, str]]:
    return {
        str(p.relative_to(root)): (p.stat().st_mtime, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_inbox_command_reads_only_and_prints_what_waits(
    board: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _snapshot(board.root)
    assert main(["inbox", "sA", str(board.root), "--now", NOW]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Waiting on sA (Sintra) at 2026-06-05T12:00:00Z: 1 message")
    assert "question from sB re Riff #412" in text and "(overdue)" in text
    assert "\x1b" not in text  # board text cannot drive the terminal
    assert main(["inbox", "Sintra", str(board.root), "--now", NOW, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert _snapshot(board.root) == before  # no cache folder, no index refresh, nothing
    assert not (board.root / ".statusboard-cache").exists()
    result = _result(board.root)
    people = recipients(result, inbox_views(result))
    sa = find(result, people, "sA")
    assert sa is not None and doc == waiting_document(result, sa)


def test_inbox_command_nothing_waiting_and_unknown_ids(
    board: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["inbox", "vinyl", str(board.root), "--now", NOW]) == 0
    assert capsys.readouterr().out == "Nothing waits on vinyl at 2026-06-05T12:00:00Z.\n"
    assert main(["inbox", "sB", str(board.root), "--now", NOW]) == 0  # findings only: still 0
    assert "warning stale-claim" in capsys.readouterr().out
    assert main(["inbox", "Sintr", str(board.root), "--now", NOW]) == 2
    err = capsys.readouterr().err
    assert "'Sintr'" in err and "did you mean Sintra?" in err


def test_a_session_written_to_by_name_and_by_id_is_one_recipient(board: GitRepo) -> None:
    board.write(
        f"{QUEUE}/to-Sintra.md",
        "# Queue — to Sintra\n\n"
        "## 2026-06-05T11:00Z · from:human · to:Sintra · type:handoff · status:sent\n\nYours.\n",
    )
    board.commit("[sA] by name", at=_at("2026-06-05T11:01Z"))
    out = agent_outputs(_result(board.root))
    assert "waiting/Sintra.json" not in out
    sa = json.loads(out["waiting/sA.json"])
    assert [i["key"] for i in sa["inboxes"]] == ["sA", "Sintra"]
    assert [m["type"] for m in sa["messages"]] == ["question", "handoff"]  # oldest wait first
    assert {"feeds/sA.xml", "feeds/Sintra.xml"} <= set(out)  # a feed per inbox page
