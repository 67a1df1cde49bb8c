"""Real Claude Code transcripts and a real MCP Agent Mail archive reach the board whole.

The fixtures (tests/fixtures/real/README.md names their repositories, commits and licences) are
counted here independently of the readers: every session, spawn, token and message in the files
must be in status.json and on the Agents page.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import sqlite3
import tempfile
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import pipeline
from generator.cli import main
from generator.config import Config, parse_config
from generator.readers import agent_mail, claude_code
from tests.conftest import GitRepo

REAL = Path(__file__).parent / "fixtures" / "real"
NOW = "2026-02-12T15:00Z"
SPAWN_TOOLS = ("Task", "Agent")


def _objects(path: Path) -> list[dict[str, Any]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if isinstance(obj, dict):
            out.append(obj)
    return out


def _count(files: list[Path]) -> dict[str, Any]:
    """An independent count: sessions, spawns (tool_use ids) and tokens per unique message.id."""
    sessions: set[str] = set()
    spawns: set[str] = set()
    usage: dict[tuple[str, str], dict[str, int]] = {}
    for path in files:
        for obj in _objects(path):
            if isinstance(obj.get("sessionId"), str):
                sessions.add(obj["sessionId"])
            message = obj.get("message")
            if obj.get("type") != "assistant" or not isinstance(message, dict):
                continue
            for block in message.get("content") or []:
                if (
                    isinstance(block, dict)
                    and block.get("type") == "tool_use"
                    and block.get("name") in SPAWN_TOOLS
                ):
                    spawns.add(block["id"])
            if isinstance(message.get("usage"), dict) and message.get("id"):
                key = (str(path), message["id"])
                seen = usage.setdefault(key, defaultdict(int))
                for field in ("input_tokens", "output_tokens", "cache_read_input_tokens"):
                    seen[field] = max(seen[field], message["usage"].get(field) or 0)
                seen["cache_creation_input_tokens"] = max(
                    seen["cache_creation_input_tokens"],
                    message["usage"].get("cache_creation_input_tokens") or 0,
                )
    total = sum(sum(v.values()) for v in usage.values())
    return {"sessions": sessions, "spawns": spawns, "tokens": total, "responses": len(usage)}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], str]:
    root = tmp_path_factory.mktemp("agents") / "repo"
    root.mkdir()
    repo = GitRepo(root)
    shutil.copytree(REAL / "spotter", root / "docs/ai/transcripts/spotter")
    shutil.copytree(REAL / "claude-code-log", root / "docs/ai/transcripts/claude-code-log")
    shutil.copytree(REAL / "mcp_mail" / ".mcp_mail", root / ".mcp_mail")
    repo.write(
        "docs/ai/sessions/active.md",
        "| Session | Task | Worktree | Claimed | Presence | Scope |\n|---|---|---|---|---|---|\n"
        "| sA · Sintra | OTEL | `spotter-4te` → PR, `[sA]` | 2026-02-12T14:00Z "
        "| 2026-02-12T14:05Z | `lib/**` |\n",
    )
    repo.commit("[sA] board", at=datetime(2026, 2, 12, 14, 0, tzinfo=UTC))
    out = root.parent / "site"
    assert main(["build", str(root), "-o", str(out), "--now", NOW, "--fail-on", "never"]) == 0
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))
    agents = (out / "agents.html").read_text(encoding="utf-8")
    return root, status, agents


def test_every_claude_code_session_spawn_and_token_is_on_the_board(
    built: tuple[Path, dict[str, Any], str],
) -> None:
    root, status, page = built
    files = sorted((root / "docs/ai/transcripts").rglob("*.jsonl"))
    want = _count(files)
    got = status["coding_sessions"]
    assert {s["id"] for s in got} == want["sessions"]
    assert {sp["tool_use_id"] for s in got for sp in s["spawns"]} == want["spawns"]
    assert sum(s["tokens"]["total"] for s in got) == want["tokens"]
    assert sum(s["tokens"]["responses"] for s in got) == want["responses"]
    # the per-day table adds up to the same totals
    assert sum(u["total"] for s in got for u in s["usage"]) == want["tokens"]
    text = html.unescape(page)
    for s in got:
        assert s["id"] in text
        for sp in s["spawns"]:
            assert sp["description"] in text


def test_spawns_link_to_their_subagent_files_and_results(
    built: tuple[Path, dict[str, Any], str],
) -> None:
    _, status, _ = built
    by_id = {s["id"]: s for s in status["coding_sessions"]}
    otel = by_id["ae4a77f8-aedd-4bc1-888f-c94edc91af04"]
    (spawn,) = otel["spawns"]
    assert spawn["description"] == "Check OTEL hex package versions"
    assert spawn["subagent_type"] == "general-purpose"
    assert spawn["agent_id"] == "aac57f5"
    assert spawn["agent_file"] and spawn["agent_file"].endswith("subagents/agent-aac57f5.jsonl")
    assert spawn["status"] == "completed"
    runs = {r["agent"]: r for r in otel["agents"]}
    assert set(runs) == {"main", "aac57f5"}
    assert runs["aac57f5"]["agent_type"] == "general-purpose"
    assert otel["compactions"] == 1  # the compact_boundary line kept in the excerpt
    assert otel["branch"] == "spotter-4te"
    assert otel["scoreboard_session"] == "sA"  # the claim row's branch is the session's


def test_transcript_activity_is_a_third_sign_of_life(
    built: tuple[Path, dict[str, Any], str],
) -> None:
    _, status, _ = built
    (session,) = status["sessions"]
    assert session["last_seen_from"] == "transcript"  # 14:51 beats the 14:05 Presence
    assert session["last_seen"] == "2026-02-12T14:51:54Z"


def test_errors_and_tool_mix_are_counted(built: tuple[Path, dict[str, Any], str]) -> None:
    root, status, _ = built
    errors = 0
    for path in (root / "docs/ai/transcripts").rglob("*.jsonl"):
        for obj in _objects(path):
            message = obj.get("message")
            if obj.get("type") != "user" or not isinstance(message, dict):
                continue
            content = message.get("content")
            if isinstance(content, list):
                errors += sum(
                    1 for b in content if isinstance(b, dict) and b.get("is_error") is True
                )
    got = sum(len(r["errors"]) for s in status["coding_sessions"] for r in s["agents"])
    assert got == errors and errors > 0


def test_every_agent_mail_message_and_profile_is_on_the_board(
    built: tuple[Path, dict[str, Any], str],
) -> None:
    root, status, page = built
    mail = status["agent_mail"]
    assert mail["root"] == ".mcp_mail" and mail["acks_known"] is False
    projects = root / ".mcp_mail" / "projects"
    ids: dict[tuple[str, str], str | None] = {}
    for path in projects.rglob("*.md"):
        if "/threads/" in path.as_posix():
            continue
        head = path.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---json\n")
        front = json.loads(head)
        slug = path.relative_to(projects).parts[0]
        ids[(slug, str(front["id"]))] = front.get("thread_id")
    got = {(m["project"], m["id"]): m for m in mail["messages"]}
    assert set(got) == set(ids)  # every message, inbox/outbox copies counted once
    for key, thread in ids.items():
        assert got[key]["thread"] == (thread or key[1])
    profiles = {
        (p.relative_to(projects).parts[0], p.parent.name) for p in projects.rglob("profile.json")
    }
    assert {(p["project"], p["name"]) for p in mail["profiles"]} == profiles
    text = html.unescape(page)
    assert "Ack state unknown" in text
    for m in mail["messages"]:
        assert m["subject"] in text


def test_threads_are_intact(built: tuple[Path, dict[str, Any], str]) -> None:
    """Each thread digest of the archive (`messages/threads/<t>.md`) links its messages: every
    one is in that thread on the board."""
    root, status, _ = built
    threads: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in status["agent_mail"]["messages"]:
        threads[(m["project"], m["thread"])].add(m["id"])
    digests = sorted((root / ".mcp_mail" / "projects").glob("*/messages/threads/*.md"))
    assert digests
    for digest in digests:
        slug = digest.parents[2].name
        linked = set(re.findall(r"__(\d+)\.md\)", digest.read_text(encoding="utf-8")))
        assert linked and linked <= threads[(slug, digest.stem)], digest.name


def test_acks_from_the_database_read_only(tmp_path: Path) -> None:
    """The real table and column names of mcp_agent_mail's models.py (MessageRecipient)."""
    db = tmp_path / "storage.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE agents (id INTEGER PRIMARY KEY, project_id INT, name TEXT)")
        conn.execute(
            "CREATE TABLE message_recipients (message_id INT, agent_id INT, kind TEXT, "
            "read_ts DATETIME, ack_ts DATETIME)"
        )
        conn.executemany("INSERT INTO agents VALUES (?, 1, ?)", [(1, "bp"), (2, "bpc")])
        conn.execute(
            "INSERT INTO message_recipients VALUES (259, 2, 'to', "
            "'2025-11-27 06:10:00.000000', '2025-11-27 06:30:00.000000')"
        )
        # the Rust server keeps integer microseconds since the epoch
        micros = int(datetime(2025, 11, 27, 6, 20, tzinfo=UTC).timestamp()) * 1_000_000
        conn.execute("INSERT INTO message_recipients VALUES (259, 1, 'cc', ?, NULL)", (micros,))
    before = db.stat().st_mtime_ns
    root = REAL / "mcp_mail"
    mail, problems = agent_mail.read_archive(
        root, ".mcp_mail", lambda rel: (root / rel).read_text(encoding="utf-8"), db
    )
    assert not problems and mail.acks_known
    (m,) = [m for m in mail.messages if m.id == "259"]
    (bp, bpc) = m.receipts
    assert bpc[0] == "bpc" and bpc[1] is not None and bpc[2] is not None
    assert bpc[2].iso() == "2025-11-27T06:30:00Z"
    assert bp[0] == "bp" and bp[1] is not None and bp[1].iso() == "2025-11-27T06:20:00Z"
    assert bp[2] is None
    assert db.stat().st_mtime_ns == before
    unchanged, found = agent_mail.with_receipts(mail, tmp_path / "nope.sqlite3")
    assert unchanged is mail and found and "ack state stays unknown" in found[0].message


def test_a_transcript_of_any_size_streams_without_error(tmp_path: Path) -> None:
    """Real lines repeated past the old 5 MB limit; a cut-off last line is no error."""
    source = REAL / "spotter" / "-home-marco-projects-spotter" / "subagent.jsonl"
    lines = source.read_bytes()
    big = tmp_path / "big.jsonl"
    with big.open("wb") as out:
        while out.tell() < 6_000_000:
            out.write(lines)
        out.write(lines.split(b"\n", 1)[0][:40])  # half of a line, as a live session leaves it
    read, problems = claude_code.read_file(big, "big.jsonl")
    assert read is not None and not problems and not read.problems
    assert read.session == "491e126e-1e71-469c-ade2-fcc8af567c74"
    assert read.lines == lines.count(b"\n") * (big.stat().st_size // len(lines)) + 1


def test_a_broken_line_in_the_middle_is_a_finding(tmp_path: Path) -> None:
    source = REAL / "spotter" / "-home-marco-projects-spotter" / "short.jsonl"
    lines = source.read_bytes().split(b"\n")
    broken = tmp_path / "broken.jsonl"
    broken.write_bytes(b"\n".join([*lines[:3], lines[3][:30], *lines[4:]]))
    read, _ = claude_code.read_file(broken, "broken.jsonl")
    assert read is not None
    assert [(p.source.line, p.rule) for p in read.problems] == [(4, "export-parse")]


def test_own_claude_projects_are_opt_in_and_never_in_ci(
    git_repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    folder = home / ".claude" / "projects" / claude_code.encode_cwd(str(git_repo.root.resolve()))
    folder.mkdir(parents=True)
    shutil.copy(REAL / "spotter" / "-home-marco-projects-spotter" / "short.jsonl", folder)
    git_repo.write("README.md", "x\n")
    git_repo.commit("init")
    sessions, problems = claude_code.read_local_sessions(git_repo.root, home)
    assert [s.id for s in sessions] == ["55604662-cf2a-4331-851a-ec234028f8ca"] and not problems
    assert sessions[0].source.path.startswith("~/.claude/projects/") and sessions[0].local
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("CI", raising=False)
    default = pipeline.read(git_repo.root, Config())
    assert default.claude_sessions == ()  # never by default
    opted = parse_config({"sources": {"claude_home": True}})
    assert [s.id for s in pipeline.read(git_repo.root, opted).claude_sessions] == [
        "55604662-cf2a-4331-851a-ec234028f8ca"
    ]
    monkeypatch.setenv("CI", "true")
    assert pipeline.read(git_repo.root, opted).claude_sessions == ()  # never in CI


def test_agents_page_anchors_resolve(built: tuple[Path, dict[str, Any], str]) -> None:
    """Every in-page link of the Agents page (sessions, inboxes, threads) has its target."""
    _, _, page = built
    ids = set(re.findall(r'id="([^"]+)"', page))
    links = set(re.findall(r'href="#([^"]+)"', page))
    assert links and links <= ids
    assert any(i.startswith("mail-inbox-") for i in ids) and any(i.startswith("cc-") for i in ids)


_REAL_LINES = (
    (REAL / "spotter" / "-home-marco-projects-spotter" / "short.jsonl").read_bytes().split(b"\n")
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.binary(max_size=120),
            st.sampled_from(_REAL_LINES),
            st.sampled_from(_REAL_LINES).map(lambda b: b[: len(b) // 2]),
            st.recursive(
                st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                lambda inner: (
                    st.lists(inner, max_size=3)
                    | st.dictionaries(
                        st.sampled_from(["type", "message", "content", "usage", "id", "sessionId"]),
                        inner,
                        max_size=4,
                    )
                ),
                max_leaves=12,
            ).map(lambda v: json.dumps(v).encode()),
        ),
        max_size=25,
    )
)
def test_the_transcript_reader_never_raises(lines: list[bytes]) -> None:
    read = claude_code.read_lines("t.jsonl", [line.replace(b"\n", b" ") + b"\n" for line in lines])
    claude_code.assemble([read], {})
    assert all(p.source.path == "t.jsonl" for p in read.problems)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=300), st.text(max_size=120))
def test_the_agent_mail_reader_never_raises(message: str, profile: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        files = {
            ".mcp_mail/projects/p/messages/2026/01/m.md": f"---json\n{message}\n---\nbody",
            ".mcp_mail/projects/p/agents/A/profile.json": profile,
            ".mcp_mail/projects/p/file_reservations/id-1.json": profile,
        }
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8", errors="surrogatepass")
        mail, problems = agent_mail.read_archive(
            root,
            ".mcp_mail",
            lambda rel: (root / rel).read_text(encoding="utf-8", errors="replace"),
        )
        # nothing read is silently dropped: each file is in the model or reported at its path
        reported = {p.source.path for p in problems}
        held = {
            *(m.source.path for m in mail.messages),
            *(p.source.path for p in mail.profiles),
            *(r.source.path for r in mail.reservations),
        }
        assert set(files) <= reported | held


def test_the_scoreboard_row_links_its_session(built: tuple[Path, dict[str, Any], str]) -> None:
    root, _, _ = built
    scoreboard = (root.parent / "site" / "scoreboard.html").read_text(encoding="utf-8")
    assert 'href="agents.html#cc-ae4a77f8-aedd-4bc1-888f-c94edc91af04"' in scoreboard


# --- Agent Mail messages in the inbox timelines -------------------------------------------------


def _mail_files(root: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """(project, id) -> front matter of every message file, read independently of the reader."""
    projects = root / ".mcp_mail" / "projects"
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for path in sorted(projects.rglob("*.md")):
        if "/threads/" in path.as_posix():
            continue
        head = path.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---json\n")
        front = json.loads(head)
        out[(path.relative_to(projects).parts[0], str(front["id"]))] = front
    return out


def _anchor(project: str, ident: str) -> str:
    return "am-" + re.sub(r"[^a-z0-9]+", "-", f"{project}-{ident}".lower()).strip("-")


def _cards(page: str) -> dict[str, str]:
    """Each Agent Mail card of an inbox page by its anchor: the card's HTML."""
    found = re.findall(
        r'(<article class="sb-msg sb-msg--mail[^"]*" id="([^"]+)".*?</article>)', page, re.S
    )
    return {anchor: card for card, anchor in found}


def test_every_agent_mail_message_is_in_its_recipients_inboxes(
    built: tuple[Path, dict[str, Any], str],
) -> None:
    """Each message, for each name in `to` and `cc`, has its card on that recipient's monthly
    archive page (nobody here is a session of the board, so each name is an inbox of its own),
    linking its thread on the Agents page; with no database nothing waits."""
    root, status, agents = built
    site = root.parent / "site"
    expected: dict[str, set[str]] = defaultdict(set)
    for (project, ident), front in _mail_files(root).items():
        for who in [*front["to"], *front.get("cc", [])]:
            expected[who].add(_anchor(project, ident))
    assert sum(len(a) for a in expected.values()) == 57  # 23 messages, 2–4 recipients each
    agent_ids = set(re.findall(r'id="([^"]+)"', agents))
    got: dict[str, set[str]] = {}
    for who in expected:
        pages = sorted((site / "inboxes" / who).glob("*.html"))
        assert [p.name for p in pages] == ["2025-11.html"], who
        cards = _cards(pages[0].read_text(encoding="utf-8"))
        got[who] = set(cards)
        for card in cards.values():
            assert "ack state unknown" in card and 'data-sb-msg="unknown"' in card
            (thread,) = re.findall(r'href="\.\./\.\./agents\.html#([^"]+)"', card)
            assert thread in agent_ids
        # the recent page shows the same cards (the default keeps up to 20)
        recent = (site / "inboxes" / f"{who}.html").read_text(encoding="utf-8")
        assert set(_cards(recent)) == got[who] or len(_cards(recent)) == 20
    assert got == expected
    assert status["agent_mail"]["waiting"] == 0
    for path in (site / "waiting").glob("*.json"):
        assert json.loads(path.read_text(encoding="utf-8"))["messages"] == [], path.name
    index = (site / "inboxes" / "index.html").read_text(encoding="utf-8")
    assert "Nothing is waiting" in index


def test_agent_mail_cards_render_bodies_safely_and_feed_their_anchors(
    built: tuple[Path, dict[str, Any], str],
) -> None:
    root, _, _ = built
    site = root.parent / "site"
    page = (site / "inboxes" / "bpc" / "2025-11.html").read_text(encoding="utf-8")
    card = _cards(page)[_anchor("bp-telemetry-core", "259")]
    assert "REQUEST: Full PR #1 Review" in card and "sb-importance--high" in card
    assert "ack required" in card and "<strong>full code review</strong>" in card
    feed = (site / "feeds" / "bpc.xml").read_text(encoding="utf-8")
    links = re.findall(r'href="\.\./(inboxes/[^"#]+)#([^"]+)"', feed)
    assert links
    for rel, anchor in links:
        assert f'id="{anchor}"' in (site / rel).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A board whose session sA is the Agent Mail agent `bp` (its display name), with a queue of
    its own, a mapped Claude Code transcript, and Agent Mail's database naming some acks."""
    base = tmp_path_factory.mktemp("mailboard")
    root = base / "repo"
    root.mkdir()
    repo = GitRepo(root)
    shutil.copytree(REAL / "spotter", root / "docs/ai/transcripts/spotter")
    shutil.copytree(REAL / "mcp_mail" / ".mcp_mail", root / ".mcp_mail")
    repo.write(
        "docs/ai/sessions/active.md",
        "| Session | Task | Worktree | Claimed | Presence | Scope |\n|---|---|---|---|---|---|\n"
        "| sA · bp | OTEL | `spotter-4te` → PR, `[sA]` | 2026-02-12T14:00Z "
        "| 2026-02-12T14:05Z | `lib/**` |\n",
    )
    repo.write(
        "docs/ai/sessions/queue/to-sA.md",
        "# to sA\n\n"
        "## 2025-11-27T05:00Z · from:human · to:sA · type:info · status:done\n\nQueue note.\n",
    )
    db = base / "storage.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE agents (id INTEGER PRIMARY KEY, project_id INT, name TEXT)")
        conn.execute(
            "CREATE TABLE message_recipients (message_id INT, agent_id INT, kind TEXT, "
            "read_ts DATETIME, ack_ts DATETIME)"
        )
        conn.executemany("INSERT INTO agents VALUES (?, 1, ?)", [(1, "bp"), (2, "bpc"), (3, "bpg")])
        rows = [
            (259, 2, "2025-11-27 06:10:00.000000", None),  # read, not acked: waits on bpc
            (215, 2, "2025-11-25 12:30:00.000000", "2025-11-25 12:31:00.000000"),  # acked
            (215, 3, None, None),  # unread: waits on bpg
            (260, 1, None, None),  # to bp, which is sA: waits on sA
            (221, 2, None, None),  # no ack asked: never waits
        ]
        conn.executemany("INSERT INTO message_recipients VALUES (?, ?, 'to', ?, ?)", rows)
    repo.write("statusboard.toml", f'[sources]\nagent_mail_db = "{db.as_posix()}"\n')
    repo.commit("[sA] board", at=datetime(2026, 2, 12, 14, 0, tzinfo=UTC))
    out = base / "site"
    assert main(["build", str(root), "-o", str(out), "--now", NOW, "--fail-on", "never"]) == 0
    return out


def test_known_unacked_acks_wait_and_nothing_else(merged: Path) -> None:
    status = json.loads((merged / "status.json").read_text(encoding="utf-8"))
    assert status["agent_mail"]["acks_known"] and status["agent_mail"]["waiting"] == 3
    waits = {
        path.stem: [(m["id"], m["status"], m["waiting_for"]) for m in doc["messages"]]
        for path in sorted((merged / "waiting").glob("*.json"))
        if (doc := json.loads(path.read_text(encoding="utf-8")))["messages"]
    }
    assert waits == {
        "bpc": [("agent-mail:bp-telemetry-core:259", "read", "an ack")],
        "bpg": [("agent-mail:bp-telemetry-core:215", "unread", "an ack")],
        "sA": [("agent-mail:bp-telemetry-core:260", "unread", "an ack")],
    }
    page = (merged / "inboxes" / "bpc" / "2025-11.html").read_text(encoding="utf-8")
    cards = _cards(page)
    assert 'data-sb-msg="waiting"' in cards[_anchor("bp-telemetry-core", "259")]
    assert 'data-sb-msg="done"' in cards[_anchor("bp-telemetry-core", "215")]
    # acks known, but the database has no receipt of bpc for 217: still unknown, no wait
    assert "ack state unknown" in cards[_anchor("bp-telemetry-core", "217")]
    index = (merged / "inboxes" / "index.html").read_text(encoding="utf-8")
    assert index.count("data-sb-waiting") == 3
    feed = (merged / "feeds" / "bpc.xml").read_text(encoding="utf-8")
    assert "waiting for an ack (overdue)" in feed


def test_mail_to_a_session_joins_its_queue_by_time_and_links_its_claude_session(
    merged: Path,
) -> None:
    page = (merged / "inboxes" / "sA" / "2025-11.html").read_text(encoding="utf-8")
    ids = re.findall(r'<article class="sb-msg[^"]*" id="([^"]+)"', page)
    # bp is sA's display name: the 4 messages to bp (fork project: 3, 260) and the queue one
    assert set(ids) == {
        _anchor("bp-telemetry-core-fork", "223"),
        _anchor("bp-telemetry-core-fork", "225"),
        _anchor("bp-telemetry-core-fork", "229"),
        _anchor("bp-telemetry-core", "260"),
        "msg-2025-11-27t05-00z-human",
    }
    assert ids[-2:] == ["msg-2025-11-27t05-00z-human", _anchor("bp-telemetry-core", "260")]
    assert not (merged / "inboxes" / "bp.html").exists()  # no inbox of its own
    # bp's messages elsewhere link the Claude Code session mapped to sA's claim row
    bpc = _cards((merged / "inboxes" / "bpc" / "2025-11.html").read_text(encoding="utf-8"))
    link = 'href="../../agents.html#cc-ae4a77f8-aedd-4bc1-888f-c94edc91af04"'
    assert link in bpc[_anchor("bp-telemetry-core", "259")]


def test_a_cached_mail_card_follows_its_ack_state(tmp_path: Path) -> None:
    """The render cache keys a card by what it shows: an ack given between two builds (the
    archive unchanged, only the database) changes the card, as a build without cache shows it."""
    root = tmp_path / "repo"
    root.mkdir()
    repo = GitRepo(root)
    shutil.copytree(REAL / "mcp_mail" / ".mcp_mail", root / ".mcp_mail")
    db = tmp_path / "storage.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE agents (id INTEGER PRIMARY KEY, project_id INT, name TEXT)")
        conn.execute(
            "CREATE TABLE message_recipients (message_id INT, agent_id INT, kind TEXT, "
            "read_ts DATETIME, ack_ts DATETIME)"
        )
        conn.execute("INSERT INTO agents VALUES (2, 1, 'bpc')")
        conn.execute("INSERT INTO message_recipients VALUES (259, 2, 'to', NULL, NULL)")
    repo.write("statusboard.toml", f'[sources]\nagent_mail_db = "{db.as_posix()}"\n')
    repo.commit("archive")
    page = Path("inboxes") / "bpc" / "2025-11.html"
    anchor = _anchor("bp-telemetry-core", "259")

    def card(*extra: str) -> str:
        out = tmp_path / "site"
        assert main(["build", str(root), "-o", str(out), "--now", NOW, "-q", *extra]) in (0, 1)
        return _cards((out / page).read_text(encoding="utf-8"))[anchor]

    before = card()
    assert 'data-sb-msg="waiting"' in before and "bpc: unread" in before
    with sqlite3.connect(db) as conn:  # read, still waiting for the ack: only the state differs
        conn.execute("UPDATE message_recipients SET read_ts = '2025-11-27 06:10:00.000000'")
    read = card()
    assert 'data-sb-msg="waiting"' in read and "bpc: read" in read
    assert read == card("--no-cache")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE message_recipients SET ack_ts = '2025-11-27 06:30:00.000000'")
    after = card()
    assert 'data-sb-msg="done"' in after and "bpc: acked" in after
    assert after == card("--no-cache")
