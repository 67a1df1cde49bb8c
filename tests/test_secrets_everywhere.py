"""No credential reaches any file the tool writes, whatever field of whatever source holds it.

One value of every kind the reader knows is planted in every field of every source (scoreboard
cells, message headings, fields, bodies and ack lines, queue file names, commit subjects and
author names, a tracker export, the roster, a transcript, a chat export) over several commits, so
the history walk sees each in more than one version. The site is built with `--mkdocs-project` and
the caches on, twice (cold, then warm after one more commit); then every file of the site, the
export and the cache folders is searched for each raw value and its distinctive middle.
"""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest

from generator.cli import main
from tests.conftest import GitRepo
from tests.test_secrets_kinds import KINDS, secret_part

NOW = "2026-06-02T12:00Z"
T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
ORDER = sorted(KINDS)
SESSIONS = [f"s{chr(ord('A') + i)}" for i in range(len(ORDER))]
FILE_NAME_KINDS = [k for k in ORDER if "/" not in KINDS[k][0]]
PEM_BODY = ["MIIEpAIBAAKCAQEA" + "q7Zt9" * 10, "Vx3K" * 16, "bW9yZS1rZXk" + "tbWF0ZXJpYWw="]
PEM = "\n".join(
    ["-----BEGIN RSA " + "PRIVATE KEY-----", *PEM_BODY, "-----END RSA PRIVATE KEY-----"]
)


def stamp(minutes: int) -> str:
    return (T0 + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%MZ")


def value(kind: str) -> str:
    return KINDS[kind][0]


def scoreboard() -> str:
    rows = [
        f"| {sid} · Name{i} | Riff #4{i:02d} {value(k)} | `session-{sid}` → direct-to-main, "
        f"`[{sid}]` {value(k)} | {stamp(i)} | {stamp(i + 60)} · {value(k)} | `src/{i}/**` {value(k)} |"
        for i, (sid, k) in enumerate(zip(SESSIONS, ORDER, strict=True))
    ]
    return "\n".join(
        [
            "# Active sessions",
            "",
            "| Session | Task | Worktree | Claimed | Presence | Scope |",
            "|---|---|---|---|---|---|",
            *rows,
            "",
            "Deploy key for the runners:",
            "",
            PEM,
            "",
        ]
    )


def messages(acked: bool) -> str:
    out = ["# Queue for sA", ""]
    for i, k in enumerate(ORDER):
        status = "seen" if acked else "sent"
        out += [
            f"## {stamp(i)} · from:sB · to:sA · type:info · ref:{value(k)} · note:{value(k)} · "
            f"status:{status}",
            "",
            f"The {k} is {value(k)} for the import.",
            "",
        ]
        if acked:
            out += [f"- ack · {stamp(i + 30)} · sA · seen · got {value(k)}", ""]
    out += [f"## {stamp(200)} · from:sB · to:sA · type:info · status:sent", "", PEM, ""]
    return "\n".join(out)


def riff() -> str:
    tasks = [
        {
            "id": str(400 + i),
            "title": f"Rotate {value(k)}",
            "status": "open",
            "assignee": "Name0",
            "labels": ["to:po", value(k)],
            "description": f"the value {value(k)} leaked",
            "created_at": "2026-06-01T08:00:00Z",
            "updated_at": "2026-06-01T09:00:00Z",
        }
        for i, k in enumerate(ORDER)
    ]
    return json.dumps(tasks, indent=1) + "\n"


def roster() -> str:
    rows = [
        f'| `agent{i}` | Named (Agent {i}) | `sessions_send(sessionKey="agent:agent{i}:main")` '
        f"{value(k)} |"
        for i, k in enumerate(ORDER)
    ]
    header = ["# Agent directory", "", "| Agent ID | Type | How to reach |", "|---|---|---|"]
    return "\n".join([*header, *rows, "", PEM, ""])


def transcript() -> str:
    lines = [
        {
            "ts": f"2026-06-02T09:{i:02d}:00Z",
            "type": "tool_call",
            "id": f"c{i}",
            "tool": "sessions_send",
            "arguments": {
                "sessionKey": f"agent:agent{i}:main",
                "message": f"use {value(k)} now",
                "timeoutSeconds": 0,
            },
        }
        for i, k in enumerate(ORDER)
    ]
    return "\n".join(json.dumps(x) for x in lines) + "\n"


def telegram() -> str:
    msgs = [
        {
            "id": 100 + i,
            "type": "message",
            "date": f"2026-06-02T10:{i:02d}:00",
            "date_unixtime": str(int(datetime(2026, 6, 2, 9, i, tzinfo=UTC).timestamp())),
            "from": "Dana",
            "from_id": "user5550001",
            "text": f"sA the key is {value(k)}",
            "text_entities": [{"type": "plain", "text": f"sA the key is {value(k)}"}],
        }
        for i, k in enumerate(ORDER)
    ]
    return json.dumps({"name": "bridge", "type": "private_group", "id": 1, "messages": msgs}) + "\n"


def plant(repo: GitRepo) -> None:
    """The board over several commits: every kind in each commit's subject and author too."""
    repo.write("docs/ai/sessions/active.md", scoreboard())
    repo.write("docs/ai/sessions/queue/to-sA.md", messages(acked=False))
    for i, k in enumerate(FILE_NAME_KINDS):
        repo.write(
            f"docs/ai/sessions/queue/to-s{chr(ord('A') + i)}-{value(k)}.md",
            f"## {stamp(i)} · from:sB · to:sA · type:info · status:sent\n\nHello.\n",
        )
    repo.write("docs/ai/tracker/riff.json", riff())
    repo.write("docs/ai/agents.md", roster())
    repo.write("docs/ai/transcripts/2026-06-02.jsonl", transcript())
    repo.write(f"docs/ai/transcripts/{value('GitHub token')}.jsonl", transcript())
    repo.write("docs/ai/telegram/2026-06/result.json", telegram())
    repo.commit("[sB] board", at=T0)
    for i, k in enumerate(ORDER):
        repo.append("docs/ai/sessions/queue/to-sA.md", f"\nnote {i}\n")
        repo.commit(f"[sB] note {value(k)}", at=T0 + timedelta(minutes=i + 1), author=f"Bot {i}")
    for i, k in enumerate(ORDER):  # the author's name holds it (committed without paths)
        repo.commit(f"[sA] beat {i}", at=T0 + timedelta(minutes=40 + i), author=f"Bot {value(k)}")
    repo.write("docs/ai/sessions/queue/to-sA.md", messages(acked=True))
    repo.commit("[sA] ack all", at=T0 + timedelta(hours=2))
    # A message deleted later: its earlier versions live only in the history (and its cache).
    text = messages(acked=True)
    repo.write("docs/ai/sessions/queue/to-sA.md", text[: text.index(f"## {stamp(1)} ")])
    repo.commit("[sA] drop the rest", at=T0 + timedelta(hours=3))
    repo._git("checkout", "-q", "-b", f"fix/{value('GitHub token')}")  # the site names the branch


def needles(kind: str) -> set[str]:
    """What must appear nowhere: the value, its secret part (a webhook's host and path are not
    secret) and that part's middle, plain and escaped as an HTML page or a URL would hold them."""
    raw = value(kind)
    secret = secret_part(raw)
    plain = {raw, secret, secret[len(secret) // 3 : 2 * len(secret) // 3]}
    return plain | {html.escape(s) for s in plain} | {quote(s, safe="") for s in plain}


def written(*folders: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for f in folders if f.exists() for p in f.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[Path, bytes]]:
    base = tmp_path_factory.mktemp("secrets-everywhere")
    (base / "repo").mkdir()
    repo = GitRepo(base / "repo")
    plant(repo)
    site, project = base / "site", base / "project"
    args = ["build", str(repo.root), "-o", str(site), "--now", NOW, "-q"]
    assert main([*args, "--mkdocs-project", str(project)]) == 1
    repo.write("docs/ai/sessions/queue/to-sA.md", messages(acked=True))
    repo.commit(f"[sA] restore {value('AWS access key')}", at=T0 + timedelta(hours=4))
    warm_site, warm_project = base / "site-warm", base / "project-warm"
    assert main([*args[:3], str(warm_site), *args[4:], "--mkdocs-project", str(warm_project)]) == 1
    cache = repo.root / ".statusboard-cache"
    assert any(cache.rglob("*")), "the build wrote no cache: the test would prove nothing of it"
    files = written(site, project, warm_site, warm_project, cache)
    return warm_site, files


@pytest.mark.parametrize("kind", ORDER)
def test_no_value_reaches_any_written_file(
    kind: str, built: tuple[Path, dict[Path, bytes]]
) -> None:
    _, files = built
    assert len(files) > 50  # a whole site, an export and a cache
    for needle in sorted(needles(kind)):
        data = needle.encode("utf-8")
        leaked = sorted(str(p) for p, body in files.items() if data in body)
        assert not leaked, f"{kind}: {needle!r} is in {leaked[:5]}"


def test_private_key_reaches_no_written_file(built: tuple[Path, dict[Path, bytes]]) -> None:
    _, files = built
    for line in PEM_BODY:
        assert not [p for p, body in files.items() if line.encode() in body], line


def findings(site: Path) -> list[dict[str, object]]:
    data = json.loads((site / "lint.json").read_text(encoding="utf-8"))
    items = data["findings"] if isinstance(data, dict) else data
    return [f for f in items if f["rule"] == "secret-in-board"]


@pytest.mark.parametrize("kind", ORDER)
def test_every_kind_is_reported_with_a_masked_prefix(
    kind: str, built: tuple[Path, dict[Path, bytes]]
) -> None:
    site, _ = built
    shown = KINDS[kind][1]
    where = {
        str(f["path"])
        for f in findings(site)
        if f"{kind} `{shown}`" in str(f["message"]) and "file's name" not in str(f["message"])
    }
    # In every source that holds it: scoreboard, queue, tracker, roster, transcript, chat.
    assert {
        "docs/ai/sessions/active.md",
        "docs/ai/sessions/queue/to-sA.md",
        "docs/ai/tracker/riff.json",
        "docs/ai/agents.md",
        "docs/ai/transcripts/2026-06-02.jsonl",
        "docs/ai/telegram/2026-06/result.json",
    } <= where, where


@pytest.mark.parametrize("kind", FILE_NAME_KINDS)
def test_a_value_in_a_file_name_is_reported(
    kind: str, built: tuple[Path, dict[Path, bytes]]
) -> None:
    site, _ = built
    shown = KINDS[kind][1]
    named = [
        f
        for f in findings(site)
        if f"{kind} `{shown}` in the file's name" in str(f["message"])
        and str(f["path"]).startswith("docs/ai/sessions/queue/to-")
    ]
    assert named and all("[redacted]" in str(f["path"]) for f in named)


def test_commits_holding_a_value_are_reported(built: tuple[Path, dict[Path, bytes]]) -> None:
    site, _ = built
    commits = [f for f in findings(site) if f.get("commit")]
    subjects = [f for f in commits if "in its subject" in str(f["message"])]
    authors = [f for f in commits if "in its author" in str(f["message"])]
    assert len(subjects) >= len(ORDER) and len(authors) >= len(ORDER)
