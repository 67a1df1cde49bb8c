"""The demo board: it builds, is reproducible, looks like a real team's board, and its planted
violations are exactly the listed ones (checked here by hand, independently of the readers)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from generator.demo import DEMO_SESSIONS, HUMAN, PLANTED_RULES, DemoFacts, build_demo_repo
from generator.demo import demo_facts as compute_facts

NOW = datetime(2026, 6, 5, 15, 7, tzinfo=UTC)
QUEUE_DIR = "docs/ai/sessions/queue"
SCOREBOARD = "docs/ai/sessions/active.md"
CANONICAL = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$")
HEADING = re.compile(r"^(?P<ts>\S+)(?: · [a-z]+:\S+)+$")
ACK = re.compile(r"^- ack · (?P<ts>\S+) · (?P<by>\S+) · (?P<state>[a-z]+)(?: · (?P<note>.*))?$")
STATES = ("sent", "seen", "answered", "accepted", "declined", "done")
TYPES = ("question", "answer", "handoff", "claim", "release", "relay", "info")
LIVE, STALE, UNACKED = timedelta(minutes=30), timedelta(hours=6), timedelta(hours=2)
NAMES = {s.name: s.id for s in DEMO_SESSIONS}


def git(repo: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    out = subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    )
    return out.stdout


def stamp(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


# --- a small reading of the board, written for these tests only --------------------------------


@dataclass
class Block:
    path: str
    line: int
    heading: str
    body_lines: list[str] = field(default_factory=list)

    @property
    def parsed(self) -> bool:
        return bool(HEADING.match(self.heading)) and {"from", "to", "type"} <= self.fields.keys()

    @property
    def ts(self) -> str:
        return self.heading.split(" · ")[0]

    @property
    def at(self) -> datetime:
        return stamp(self.ts)

    @property
    def fields(self) -> dict[str, str]:
        pairs = (f.partition(":") for f in self.heading.split(" · ")[1:])
        return {k: v for k, _, v in pairs}

    @property
    def status(self) -> str:
        return self.fields.get("status", "sent")

    @property
    def acks(self) -> list[re.Match[str]]:
        return [m for m in map(ACK.match, self.body_lines) if m]

    @property
    def body(self) -> str:
        return "\n".join(line for line in self.body_lines if not ACK.match(line)).strip()

    @property
    def queue(self) -> str:
        return self.path.rsplit("/to-", 1)[1].removesuffix(".md")

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.path, self.ts, self.fields.get("from", ""))


def parse_queue(path: str, text: str) -> list[Block]:
    blocks: list[Block] = []
    fenced = False
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            blocks.append(Block(path, number, line[3:]))
        elif blocks:
            blocks[-1].body_lines.append(line)
    return blocks


@dataclass
class Row:
    line: int
    session: str
    task: str
    claimed: str
    presence: str
    scope: str

    @property
    def paths(self) -> list[str]:
        return [p for p in re.findall(r"`([^`]+)`", self.scope) if "/" in p or "." in p]


def parse_rows(text: str) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for number, line in enumerate(text.split("\n"), 1):
        if re.match(r"^\| s[A-Z] · ", line):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            rows[cells[0].split(" · ")[0]] = Row(number, cells[0], cells[1], *cells[3:6])
    return rows


def resolve(address: str) -> str:
    """An address as the demo writes it (`sA`, `Sintra`, `po:sA`, `all`, `human`) to an id."""
    address = address.removeprefix("po:")
    return NAMES.get(address, address)


def in_scope(path: str, patterns: list[str]) -> bool:
    return any(path.startswith(p[:-2]) if p.endswith("/**") else path == p for p in patterns)


@dataclass
class Commit:
    sha: str
    at: datetime
    author: str
    subject: str
    paths: list[str]

    @property
    def session(self) -> str | None:
        m = re.match(r"^\[(s[A-Z])\] ", self.subject)
        return m.group(1) if m else None


@dataclass
class Demo:
    root: Path
    facts: DemoFacts
    files: dict[str, str]
    commits: list[Commit]  # oldest first

    @property
    def blocks(self) -> list[Block]:
        return [
            b
            for path, text in sorted(self.files.items())
            if path.startswith(QUEUE_DIR)
            for b in parse_queue(path, text)
        ]

    @property
    def rows(self) -> dict[str, Row]:
        return parse_rows(self.files[SCOREBOARD])

    def signs_of_life(self, session: str) -> list[datetime]:
        times = [c.at for c in self.commits if c.session == session]
        row = self.rows.get(session)
        if row is not None:
            times += [stamp(row.claimed), stamp(row.presence.split(" · ")[0])]
        return sorted(times)

    def versions(self, path: str) -> Iterator[tuple[Commit, str, str]]:
        """(commit, text before, text after) for every commit that touched `path`."""
        touching = [c for c in self.commits if path in c.paths]
        specs = "".join(f"{c.sha}:{path}\n" for c in touching).encode()
        out = subprocess.run(
            ["git", "cat-file", "--batch"],
            cwd=self.root,
            input=specs,
            capture_output=True,
            check=True,
        ).stdout
        before = ""
        for commit in touching:
            header, _, out = out.partition(b"\n")
            after = ""
            if not header.endswith(b" missing"):  # the commit deleted the file
                size = int(header.split()[2])
                after, out = out[:size].decode("utf-8"), out[size + 1 :]
            yield commit, before, after
            before = after


def read_demo(root: Path, facts: DemoFacts) -> Demo:
    files = {
        str(p.relative_to(root)): p.read_text(encoding="utf-8")
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }
    log = git(root, "log", "--reverse", "--format=%x00%H%x09%aI%x09%an%x09%s", "--name-only")
    commits = []
    for chunk in log.split("\x00")[1:]:
        head, *paths = chunk.strip("\n").split("\n")
        sha, at, author, subject = head.split("\t", 3)
        commits.append(Commit(sha, stamp(at), author, subject, [p for p in paths if p]))
    return Demo(root, facts, files, commits)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    root = build_demo_repo(tmp_path_factory.mktemp("demo") / "po-platform", NOW)
    return read_demo(root, compute_facts(NOW))


# --- builds, reproducibly -----------------------------------------------------------------------


def test_builds_a_clean_repository(demo: Demo) -> None:
    assert git(demo.root, "status", "--porcelain") == ""
    assert git(demo.root, "rev-parse", "HEAD").strip() == demo.facts.head
    assert demo.facts.commit_count == len(demo.commits) > 100
    assert sorted(demo.files) == list(demo.facts.files)
    assert {SCOREBOARD, "statusboard.toml", "services/payments/retry.py", "web/app.tsx"} <= set(
        demo.files
    )


def test_same_now_same_bytes(tmp_path: Path, demo: Demo) -> None:
    # Seconds in now are floored away: a build a few seconds later is the same board.
    again = build_demo_repo(tmp_path / "again", NOW + timedelta(seconds=42))
    assert git(again, "rev-parse", "HEAD").strip() == demo.facts.head
    later = compute_facts(NOW + timedelta(days=1))
    assert later.head != demo.facts.head
    assert later.message_count == demo.facts.message_count
    assert [p.line for p in later.planted] == [p.line for p in demo.facts.planted]


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        compute_facts(datetime(2026, 6, 5, 15, 7))


# --- what the board holds -----------------------------------------------------------------------


def test_many_messages_of_every_kind(demo: Demo) -> None:
    blocks = demo.blocks
    assert len(blocks) >= 40
    assert len(blocks) == demo.facts.message_count
    queues = {b.queue for b in blocks}
    assert queues == {"all", "human", "sA", "sB", "sC", "sD"}
    parsed = [b for b in blocks if b.parsed]
    assert {b.fields["type"] for b in parsed} == set(TYPES)
    assert {b.status for b in parsed} >= {"sent", "seen", "answered", "accepted", "done"}
    assert sum(1 for b in parsed if "re" in b.fields) >= 8
    assert any(b.fields["type"] == "handoff" and b.fields.get("ref") == "Riff#412" for b in parsed)
    assert sum(1 for b in parsed if b.fields.get("via") == "telegram") >= 2
    assert sum(1 for b in parsed if b.fields["from"] == "human") >= 8
    # Every broadcast but the planted one carries ack lines, and some acks carry notes.
    assert all(b.acks for b in parsed if b.queue == "all" and b.at < NOW - UNACKED)
    assert any(m["note"] for b in parsed for m in b.acks)


def test_fenced_headings_are_body_text(demo: Demo) -> None:
    inside = []
    for path, text in demo.files.items():
        if path.startswith(QUEUE_DIR):
            fenced = False
            for line in text.split("\n"):
                if line.startswith("```"):
                    fenced = not fenced
                elif fenced and line.startswith("## "):
                    inside.append(line)
    assert len(inside) >= 2
    naive = sum(
        1
        for path, text in demo.files.items()
        if path.startswith(QUEUE_DIR)
        for line in text.split("\n")
        if line.startswith("## ")
    )
    assert naive == len(demo.blocks) + len(inside)


def test_sessions_are_live_idle_and_stale_at_now(demo: Demo) -> None:
    rows = demo.rows
    assert sorted(rows) == ["sA", "sB", "sC"]
    assert {r.session for r in rows.values()} == {"sA · Sintra", "sB · Porto", "sC · Lagos"}
    expected = {s.id: s.state for s in DEMO_SESSIONS}
    for sid, row in rows.items():
        presence = stamp(row.presence.split(" · ")[0])
        newest = max(c.at for c in demo.commits if c.session == sid)
        last_seen = max(presence, newest)
        assert last_seen == demo.facts.seen(sid)
        assert presence <= newest  # the heartbeat commit is the newest sign of life
        age = NOW - last_seen
        state = "live" if age <= LIVE else "idle" if age <= STALE else "stale"
        assert state == expected[sid], (sid, age)
    assert timedelta(hours=2) < NOW - demo.facts.seen("sB") < timedelta(hours=4)
    assert timedelta(hours=8) < NOW - demo.facts.seen("sC") < timedelta(hours=10)


def test_a_session_claimed_and_released_earlier(demo: Demo) -> None:
    subjects = [c.subject for c in demo.commits if c.session == "sD"]
    assert subjects[0].startswith("[sD] docs(ai-sessions): claim sD at ")
    assert subjects[-1] == "[sD] docs(ai-sessions): release sD"
    assert next(s.state for s in DEMO_SESSIONS if s.id == "sD") == "released"
    history = list(demo.versions(SCOREBOARD))
    assert any("sD" in parse_rows(after) for _, _, after in history)
    assert "sD" not in demo.rows


def test_several_days_of_history_before_now(demo: Demo) -> None:
    first, last = demo.commits[0].at, demo.commits[-1].at
    assert first == demo.facts.first_commit_at
    assert NOW - first >= timedelta(days=4)
    assert last <= NOW
    assert [c.at for c in demo.commits] == sorted(c.at for c in demo.commits)
    assert len({c.at.date() for c in demo.commits}) >= 5


def test_commit_authors_and_prefixes(demo: Demo) -> None:
    authors = {s.id: s.author for s in DEMO_SESSIONS}
    for c in demo.commits:
        if c.session is None:
            assert c.author == HUMAN.name, c.subject
        else:
            assert c.author == authors[c.session], c.subject
            assert re.match(r"^\[s[A-D]\] [a-z]+\([a-z-]+\): ", c.subject), c.subject
    assert sum(1 for c in demo.commits if c.session is None) >= 5
    assert f'human_commit_authors = ["{HUMAN.name}"]' in demo.files["statusboard.toml"]
    heartbeats = [c for c in demo.commits if "chore(ai-sessions): heartbeat" in c.subject]
    assert len(heartbeats) >= 20


def test_heartbeats_name_a_real_commit(demo: Demo) -> None:
    shas = {c.sha[:7] for c in demo.commits}
    for row in demo.rows.values():
        detail = row.presence.split(" · ")[1]
        assert detail in shas


def test_planted_facts_point_at_the_right_lines(demo: Demo) -> None:
    assert sorted(p.rule for p in demo.facts.planted) == sorted(PLANTED_RULES)
    for p in demo.facts.planted:
        lines = demo.files[p.path].split("\n")
        if p.heading_line is None and p.path == SCOREBOARD:
            assert lines[p.line - 1].startswith(f"| {p.concerns} |")
        elif p.heading_line is None:  # trackers, transcripts, playbooks, chats
            assert p.concerns in lines[p.line - 1]
            assert sum(p.concerns in line for line in lines) == 1, p.concerns
        else:
            assert lines[p.heading_line - 1] == f"## {p.concerns}"
            assert p.heading_line <= p.line


# --- the planted violations, found by hand ------------------------------------------------------


def planted_where_reported(demo: Demo) -> set[tuple[str, str, int | None]]:
    """Where each planted violation must be reported: its row, heading or offending line."""
    return {(p.rule, p.path, p.line) for p in demo.facts.planted}


def lint_by_hand(demo: Demo) -> set[tuple[str, str, int | None]]:
    """The demo's violations of the spec's rules, computed directly from the files and history."""
    found: set[tuple[str, str, int | None]] = set()
    blocks = demo.blocks
    parsed = [b for b in blocks if b.parsed]
    sends = {b.at for b in parsed}

    def present(sid: str, start: datetime, end: datetime) -> bool:
        return any(start - STALE <= t <= end for t in demo.signs_of_life(sid))

    def live(sid: str, moment: datetime) -> bool:
        return any(moment - LIVE <= t <= moment for t in demo.signs_of_life(sid))

    for b in blocks:
        if not b.parsed:
            found.add(("message-parse", b.path, b.line))
            continue
        f = b.fields
        if f["type"] not in TYPES or b.status not in STATES:
            found.add(("message-parse", b.path, b.line))
        stamps = [b.ts, *(m["ts"] for m in b.acks), *([f["re"]] if "re" in f else [])]
        if not all(CANONICAL.match(s) for s in stamps):
            found.add(("non-canonical-timestamp", b.path, b.line))
        if stamp(b.ts) > NOW or any(stamp(m["ts"]) > NOW for m in b.acks):
            found.add(("future-timestamp", b.path, b.line))
        if f["type"] in ("handoff", "claim") and "ref" not in f:
            found.add(("handoff-without-ref", b.path, b.line))
        if f["type"] == "relay" and "via" not in f:
            found.add(("relay-without-source", b.path, b.line))
        if "re" in f and stamp(f["re"]) not in sends:
            found.add(("dangling-reply", b.path, b.line))
        if resolve(f["to"]) != b.queue:
            found.add(("misfiled-message", b.path, b.line))
        for offset, line in enumerate(b.body_lines, 1):
            if re.search(r"<[A-Za-z/!]", line):
                found.add(("raw-html-in-message", b.path, b.line + offset))
        for by in {m["by"] for m in b.acks}:
            own = [STATES.index(m["state"]) for m in b.acks if m["by"] == by]
            if own != sorted(own):
                found.add(("illegal-ack-transition", b.path, b.line))
        if b.queue == "all":
            if b.at < NOW - UNACKED:
                acked = {m["by"] for m in b.acks}
                for s in DEMO_SESSIONS:
                    if s.id != f["from"] and s.id not in acked and live(s.id, b.at):
                        found.add(("broadcast-unacked", b.path, b.line))
            continue
        if b.acks and b.acks[-1]["state"] != b.status:
            found.add(("ack-status-mismatch", b.path, b.line))
        recipient = resolve(f["to"])
        waiting = b.status == "sent" and b.at < NOW - UNACKED
        if waiting and recipient in NAMES.values() and present(recipient, b.at, NOW):
            found.add(("unacked-message", b.path, b.line))

    for path, text in demo.files.items():
        if path == SCOREBOARD or path.startswith(QUEUE_DIR):
            for number, line in enumerate(text.split("\n"), 1):
                if re.search(r"(?i)(api_?key|token|secret|passw\w*)\s*[=:]\s*\S{8,}", line):
                    found.add(("secret-in-board", path, number))
                if re.search(r"\b(ghp_|github_pat_|AKIA|sk-|bass_live_)\w+", line):
                    found.add(("secret-in-board", path, number))

    for sid, row in demo.rows.items():
        seen = max(demo.signs_of_life(sid))
        if NOW - seen > STALE:
            found.add(("stale-claim", SCOREBOARD, row.line))
        if row.task == "(Riff TBD)" and NOW - stamp(row.claimed) > UNACKED:
            found.add(("task-placeholder", SCOREBOARD, row.line))
        presence = row.presence.split(" · ")[0]
        if not all(CANONICAL.match(s) for s in (row.claimed, presence)):
            found.add(("non-canonical-timestamp", SCOREBOARD, row.line))
        if stamp(presence) <= stamp(row.claimed):
            found.add(("missing-heartbeat", SCOREBOARD, row.line))
        for other, theirs in demo.rows.items():
            fresh = NOW - max(demo.signs_of_life(other)) <= STALE and NOW - seen <= STALE
            overlap = any(in_scope(p, theirs.paths) for p in row.paths) or any(
                in_scope(p, row.paths) for p in theirs.paths
            )
            if other != sid and fresh and theirs.paths and overlap:
                found.add(("scope-overlap", SCOREBOARD, row.line))
    return found | lint_history_by_hand(demo) | lint_fleet_by_hand(demo)


def lint_history_by_hand(demo: Demo) -> set[tuple[str, str, int | None]]:
    """Git-discipline and ack-chain rules, replayed over every version of the board files."""
    found: set[tuple[str, str, int | None]] = set()
    rows_after: dict[str, dict[str, Row]] = {}
    rows: dict[str, Row] = {}
    for commit, _before, after in demo.versions(SCOREBOARD):
        rows_after[commit.sha] = parse_rows(after)
    for c in demo.commits:
        previous, rows = rows, rows_after.get(c.sha, rows)
        board = [p for p in c.paths if p.startswith("docs/ai/sessions/")]
        if c.session is None:
            if board and c.author != HUMAN.name:
                found.add(("commit-prefix-missing", c.sha, None))
            continue
        if c.session not in previous and c.session not in rows:
            found.add(("ghost-session-commit", c.sha, None))
        code = [p for p in c.paths if p not in board]
        if code and board:
            found.add(("claim-not-committed-atomically", c.sha, None))
        for p in code:
            own = rows.get(c.session)
            if own is None or not in_scope(p, own.paths):
                found.add(("outside-own-scope", c.sha, None))
            if any(in_scope(p, r.paths) for sid, r in rows.items() if sid != c.session):
                found.add(("trespass", c.sha, None))

    for path in sorted(p for p in demo.files if p.startswith(QUEUE_DIR)):
        first: dict[tuple[str, str, str], tuple[str, str]] = {}
        for commit, before, after in demo.versions(path):
            old = {b.key: b for b in parse_queue(path, before) if b.parsed}
            for b in parse_queue(path, after):
                if not b.parsed:
                    continue
                fixed = (re.sub(r" · status:\w+$", "", b.heading), b.body)
                if first.setdefault(b.key, fixed) != fixed:
                    found.add(("message-rewritten", path, b.line))
                was = old.get(b.key)
                by = commit.session or "human"
                new_acks = b.acks[len(was.acks) :] if was else b.acks
                if any(m["by"] != by for m in new_acks):
                    found.add(("ack-by-wrong-party", path, b.line))
                if was is not None and was.status != b.status:
                    if resolve(b.fields["to"]) != by:
                        found.add(("ack-by-wrong-party", path, b.line))
                    if STATES.index(b.status) < STATES.index(was.status):
                        found.add(("illegal-ack-transition", path, b.line))
                if was is None and b.fields["from"] != by:
                    found.add(("sent-by-someone-else", path, b.line))
            if set(old) - {b.key for b in parse_queue(path, after) if b.parsed}:
                found.add(("message-deleted", path, None))
    return found


TABLE = {
    ("todo", "in_progress"),
    ("in_progress", "review"),
    ("in_progress", "done"),
    ("review", "done"),
}
SIGNOFF = {"main", "Tila", "human", "Dana Human"}
WORKERS = {"dev", "research"}
NAMED = {"main", "Tila", "frankel", "Frankel", "vinyl", "Vinyl", "openclaw-support", "Claw"}
LISBON = ZoneInfo("Europe/Lisbon")


def _line_with(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


def _calls(line: str) -> list[tuple[str, dict[str, object]]]:
    """(tool, arguments) of the toolCall items of one transcript line."""
    obj = json.loads(line)
    content = obj.get("message", {}).get("content", []) if obj.get("type") == "message" else []
    return [(c["name"], c["arguments"]) for c in content if c.get("type") == "toolCall"]


def lint_fleet_by_hand(demo: Demo) -> set[tuple[str, str, int | None]]:
    """The tracker, agent-call and bridge rules, read straight from the demo's files."""
    found: set[tuple[str, str, int | None]] = set()
    files = demo.files
    bass = json.loads(files["docs/ai/tracker/bass.json"])
    riff = json.loads(files["docs/ai/tracker/riff.json"])["tasks"]
    tasks = {t["id"]: t for t in bass["tasks"]}
    left: dict[str, str] = {}  # where each task's log left it: one activity row per change
    for row in sorted(bass["activity"], key=lambda r: stamp(r["at"])):
        n = _line_with(files["docs/ai/tracker/bass.json"], json.dumps(row, ensure_ascii=False))
        if left.get(row["task_id"], row["from"]) != row["from"]:
            found.add(("bass-illegal-transition", "docs/ai/tracker/bass.json", n))
        left[row["task_id"]] = row["to"]
    for t in bass["tasks"]:
        if left.get(t["id"], t["status"]) != t["status"]:
            n = _line_with(files["docs/ai/tracker/bass.json"], f'"id": "{t["id"]}"')
            found.add(("bass-illegal-transition", "docs/ai/tracker/bass.json", n))
    for row in bass["activity"]:
        n = _line_with(files["docs/ai/tracker/bass.json"], json.dumps(row, ensure_ascii=False))
        pair, task = (row["from"], row["to"]), tasks[row["task_id"]]
        where = ("docs/ai/tracker/bass.json", n)
        if pair not in TABLE and "blocked" not in pair:
            found.add(("bass-illegal-transition", *where))
        if pair == ("in_progress", "done") and task["project"] not in ("ops", "infra"):
            found.add(("bass-review-bypass", *where))
        if pair == ("review", "done") and row["agent"] not in SIGNOFF:
            found.add(("bass-unauthorised-signoff", *where))
        if row["agent"] in WORKERS:
            found.add(("subagent-updates-tracker", *where))
    for t in [*bass["tasks"], *riff]:
        if t["status"] in ("in_progress", "in progress"):
            assert NOW - stamp(t["updated_at"]) < timedelta(days=3), t["id"]
        assert t["status"] != "blocked" or t["blocker"], t["id"]
    ids = {t["id"] for t in riff}
    assert all(d in ids for t in riff for d in t["deps"])
    titles = {t["title"].lower() for t in [*riff, *bass["tasks"]]}
    bodies = " ".join(t["body"] for t in riff)
    for path, text in files.items():
        if path.startswith("backlog/tasks/"):
            title = re.search(r"^title: (.*)$", text, re.M).group(1)  # type: ignore[union-attr]
            task_id = re.search(r"^id: (.*)$", text, re.M).group(1)  # type: ignore[union-attr]
            if title.lower() not in titles and f"({task_id})" not in bodies:
                found.add(("bridge-not-reconciled", path, _line_with(text, "id: ")))
    rows = demo.rows
    for t in riff:
        owner = NAMES.get(t["assignee"] or "", t["assignee"])
        for sid, row in rows.items():
            if row.task == f"Riff #{t['id']}" and owner != sid:
                found.add(("assignee-mismatch", SCOREBOARD, row.line))
    for path, text in files.items():
        if path.endswith(".jsonl"):
            checks: list[tuple[datetime, str]] = []
            for n, line in enumerate(text.strip().split("\n"), 1):
                at = stamp(json.loads(line)["timestamp"])
                for tool, args in _calls(line):
                    if tool == "sessions_send" and args.get("timeoutSeconds") != 0:
                        found.add(("send-without-timeout-zero", path, n))
                    if tool == "sessions_spawn":
                        assert {"label", "runTimeoutSeconds", "task"} <= args.keys()
                        assert args.get("cleanup") == "keep" and "Write results to" in str(
                            args["task"]
                        )
                        deadline = at + timedelta(seconds=int(str(args["runTimeoutSeconds"])) + 120)
                        checks.append((deadline, str(args["label"])))
                    if tool == "sessions_history":
                        assert all(at >= deadline for deadline, _ in checks)
        elif path.startswith("docs/ai/") and path.endswith(".md"):
            for m in re.finditer(r"sessions_(?:send|spawn)\(", text):
                n = text.count("\n", 0, m.start()) + 1
                end = re.compile(r"\)\s*(?:#.*)?$", re.M).search(text, m.start())
                call = text[m.start() : end.end() if end else len(text)]
                if "..." in call:
                    continue  # a template or a sketch
                if call.startswith("sessions_spawn") and 'cleanup="keep"' not in call:
                    found.add(("spawn-cleanup-not-keep", path, n))
                if call.startswith("sessions_send") and "timeoutSeconds=0" not in call:
                    found.add(("send-without-timeout-zero", path, n))
    queue_times = [(b.at, b.fields["to"], b.fields["from"]) for b in demo.blocks if b.parsed]
    for path, text in files.items():
        if not path.startswith("docs/ai/telegram/"):
            continue
        for m in json.loads(text)["messages"]:
            at = datetime.fromtimestamp(int(m["date_unixtime"]), UTC)
            said = m["text"]
            words = said if isinstance(said, str) else "".join(piece["text"] for piece in said)
            if m["from"] in NAMED and 3 <= at.astimezone(LISBON).hour < 8:
                found.add(("dnd-announcement", path, _line_with(text, f'"id": {m["id"]},')))
            if m["from"] != HUMAN.name:
                continue
            for name, sid in NAMES.items():
                if sid not in rows or not re.search(rf"\b{name}\b", words):
                    continue
                relayed = any(
                    at - timedelta(minutes=1) <= when <= at + timedelta(minutes=30)
                    and (resolve(to) in (sid, "all") or resolve(sender) == sid)
                    for when, to, sender in queue_times
                )
                if not relayed:
                    found.add(("telegram-as-bus", path, _line_with(text, f'"id": {m["id"]},')))
    return found


def test_exactly_the_planted_violations_by_hand(demo: Demo) -> None:
    assert lint_by_hand(demo) == planted_where_reported(demo)


# --- the real pipeline, where it exists ---------------------------------------------------------


def pipeline_findings(demo: Demo) -> set[tuple[str, str, int | None]]:
    readers = pytest.importorskip("generator.readers")
    analysis = pytest.importorskip("generator.analysis")
    rules = pytest.importorskip("generator.rules")
    config = pytest.importorskip("generator.config").load_config(demo.root)
    board = readers.read_board(demo.root, config)
    context = analysis.build_context(board, config, NOW)
    return {(f.rule, f.path, f.line) for f in analysis.run_rules(context, rules.RULES)}


def test_pipeline_reports_every_planted_violation(demo: Demo) -> None:
    assert planted_where_reported(demo) <= pipeline_findings(demo)


def test_pipeline_reports_nothing_else(demo: Demo) -> None:
    assert pipeline_findings(demo) == planted_where_reported(demo)
