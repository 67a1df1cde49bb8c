"""`statusboard org`: one site over three real small repositories, one of them only a status.json."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.cli import main
from generator.exceptions import ConfigError
from generator.org import check_status, load_org_config
from tests.conftest import GitRepo

NOW = "2026-06-01T12:00Z"
HEADER = "| Session | Task | Worktree | Claimed | Presence | Scope |\n|---|---|---|---|---|---|\n"


def _row(sid: str, name: str, presence: str) -> str:
    return (
        f"| {sid} · {name} | Riff #1 | worktree `session-{sid}` → direct-to-main, `[{sid}]` "
        f"| {presence} | {presence} · | src/ |\n"
    )


def _message(at: str, sender: str, to: str, kind: str = "question", status: str = "sent") -> str:
    return f"## {at} · from:{sender} · to:{to} · type:{kind} · status:{status}\n\nPlease look.\n\n"


def _repo(root: Path, name: str, tag: str, rows: str, queues: dict[str, str]) -> GitRepo:
    (root / name).mkdir()
    repo = GitRepo(root / name)
    repo.write("statusboard.toml", f'project_tag = "{tag}"\n')
    repo.write("docs/ai/sessions/active.md", HEADER + rows)
    for rel, text in queues.items():
        repo.write(f"docs/ai/sessions/queue/{rel}", text)
    repo.commit("board")
    return repo


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("org")
    _repo(
        root,
        "shop",
        "shop",
        _row("sA", "Sintra", "2026-06-01T11:50Z") + _row("sB", "Porto", "2026-05-31T01:00Z"),
        {
            # written in shop, addressed to billing's sA by qualified handle
            "to-sA.md": "# to sA\n\n"
            + _message("2026-06-01T10:00Z", "sB", "sA")
            + _message("2026-06-01T10:05Z", "sA", "bill:sA"),
        },
    )
    _repo(
        root,
        "billing",
        "bill",
        _row("sA", "Lagos", "2026-06-01T11:55Z"),
        {"to-sA.md": "# to sA\n\n" + _message("2026-06-01T09:00Z", "human", "shop:*", "info")},
    )
    # the third is only its published status.json: built elsewhere, the checkout gone
    ledger = _repo(root, "ledger", "led", _row("sC", "Faro", "2026-06-01T11:00Z"), {})
    site = root / "ledger-site"
    assert main(["build", str(ledger.root), "-o", str(site), "--now", NOW, "-q"]) in (0, 1)
    published = root / "published" / "ledger"
    published.mkdir(parents=True)
    (published / "status.json").write_bytes((site / "status.json").read_bytes())
    (root / "org.toml").write_text(
        'title = "Acme boards"\n'
        '[[repo]]\npath = "shop"\nsite_url = "https://acme.github.io/shop/"\n'
        '[[repo]]\nname = "billing"\npath = "billing"\n'
        '[[repo]]\nstatus = "published/ledger/status.json"\ntag = "led"\n'
        'site_url = "https://acme.github.io/ledger/"\n',
        encoding="utf-8",
    )
    out = root / "org-site"
    assert main(["org", "--config", str(root / "org.toml"), "-o", str(out), "--now", NOW]) == 0
    return root, out


def test_org_json_has_a_row_per_repository(org: tuple[Path, Path]) -> None:
    _root, out = org
    doc = json.loads((out / "org.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in doc["repos"]] == ["shop", "billing", "ledger"]
    shop, billing, ledger = doc["repos"]
    assert (shop["from"], billing["from"], ledger["from"]) == ("path", "path", "status")
    assert shop["sessions"]["total"] == 2 and shop["sessions"]["live"] == 1
    assert shop["sessions"]["stale"] == 1
    assert billing["tag"] == "bill" and ledger["tag"] == "led"
    assert ledger["sessions"]["total"] == 1 and ledger["built_at"] == "2026-06-01T12:00:00Z"
    assert shop["site_url"] == "https://acme.github.io/shop/"
    assert {(s["repo"], s["id"]) for s in doc["sessions"]} == {
        ("shop", "sA"),
        ("shop", "sB"),
        ("billing", "sA"),
        ("ledger", "sC"),
    }
    crossing = {(c["from_repo"], c["to_repo"], c["recipient"]) for c in doc["cross_messages"]}
    assert crossing == {("shop", "billing", "sA"), ("billing", "shop", "*")}
    assert billing["incoming"] == 1 and ledger["incoming"] == 0


def test_the_site_shows_every_session_and_the_cross_message(org: tuple[Path, Path]) -> None:
    _root, out = org
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in ("shop", "billing", "ledger"):
        assert f'data-sb-repo="{name}"' in index
    assert 'href="https://acme.github.io/ledger/"' in index
    sessions = (out / "sessions.html").read_text(encoding="utf-8")
    assert sessions.count("<tr data-sb-repo=") == 4
    assert "<code>bill:sA</code>" in sessions and "<code>led:sC</code>" in sessions
    inboxes = (out / "inboxes.html").read_text(encoding="utf-8")
    billing = inboxes[
        inboxes.index('data-sb-inbox="billing"') : inboxes.index('data-sb-inbox="ledger"')
    ]
    # shop's message to bill:sA shows in billing's inbox, marked as coming from shop
    assert 'data-sb-cross="shop"' in billing and "<code>sA</code>" in billing
    shop = inboxes[inboxes.index('data-sb-inbox="shop"') : inboxes.index('data-sb-inbox="billing"')]
    assert 'data-sb-cross="billing"' in shop  # billing's broadcast to shop:*
    assert re.search(r'id="inbox-billing"', inboxes)
    assert (out / "assets" / "statusboard.css").is_file()


def test_rebuild_is_byte_identical(org: tuple[Path, Path], tmp_path: Path) -> None:
    root, out = org
    again = tmp_path / "again"
    assert main(["org", "--config", str(root / "org.toml"), "-o", str(again), "--now", NOW]) == 0
    for name in ("org.json", "index.html", "sessions.html", "inboxes.html"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[repo]]\nname = 'x'\n", "exactly one of path"),
        ("[[repo]]\npath = 'a'\nstatus = 'b'\n", "exactly one of path"),
        ("[[repo]]\npath = 'a'\ncolour = 1\n", "unknown key 'colour'"),
        ("[[repo]]\nstatus = 'https://x.org/status.json'\n", "download it first"),
        ("[[repo]]\npath = 'a'\nname = 'n'\n[[repo]]\npath = 'b'\nname = 'n'\n", "taken"),
        ("[[repo]]\npath = 'a'\ntag = 't'\n[[repo]]\npath = 'b'\ntag = 't'\n", "own"),
        ("[[repo]]\npath = 'a'\nsite_url = 'javascript:x'\n", "http"),
        ("title = 'x'\n", "at least one"),
    ],
)
def test_org_file_mistakes_are_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "org.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_org_config(path)


def test_a_bad_status_file_names_its_entry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "s.json").write_text('{"schema_version": 1, "sessions": []}', encoding="utf-8")
    (tmp_path / "org.toml").write_text(
        "[[repo]]\nname = 'ops'\nstatus = 's.json'\n", encoding="utf-8"
    )
    code = main(["org", "--config", str(tmp_path / "org.toml"), "-o", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "[[repo]] #1 (ops)" in err and "generated_at" in err
    assert len(err.strip().splitlines()) == 1
    with pytest.raises(ConfigError, match="liveness"):
        check_status(
            {
                "schema_version": 1,
                "generated_at": NOW,
                "source": {},
                "sessions": [{"liveness": "asleep"}],
                "messages": [],
            },
            "x",
        )


def _org_site(tmp_path: Path, org_toml: str) -> dict[str, object]:
    (tmp_path / "org.toml").write_text(org_toml, encoding="utf-8")
    out = tmp_path / "site"
    assert main(["org", "--config", str(tmp_path / "org.toml"), "-o", str(out), "--now", NOW]) == 0
    doc: dict[str, object] = json.loads((out / "org.json").read_text(encoding="utf-8"))
    return doc


def test_a_status_file_without_tag_takes_its_project_tag(
    org: tuple[Path, Path], tmp_path: Path
) -> None:
    root, _out = org
    published = root / "published" / "ledger" / "status.json"
    assert json.loads(published.read_text(encoding="utf-8"))["source"]["project_tag"] == "led"
    ops = _repo(
        tmp_path,
        "ops",
        "ops",
        _row("sD", "Braga", "2026-06-01T11:58Z"),
        {"to-sD.md": "# to sD\n\n" + _message("2026-06-01T11:00Z", "sD", "led:Faro")},
    )
    doc = _org_site(
        tmp_path,
        f"[[repo]]\npath = {str(ops.root)!r}\n[[repo]]\nstatus = {str(published)!r}\n",
    )
    repos = doc["repos"]
    assert isinstance(repos, list)
    assert [(r["name"], r["tag"]) for r in repos] == [("ops", "ops"), ("ledger", "led")]
    crossing = doc["cross_messages"]
    assert isinstance(crossing, list)
    # addressed by display name through the tag the status.json carries
    assert [(c["from_repo"], c["to_repo"], c["recipient"]) for c in crossing] == [
        ("ops", "ledger", "sC")
    ]


def test_an_older_status_file_without_the_key_has_no_tag(
    org: tuple[Path, Path], tmp_path: Path
) -> None:
    root, _out = org
    doc = json.loads((root / "published" / "ledger" / "status.json").read_text(encoding="utf-8"))
    del doc["source"]["project_tag"]
    (tmp_path / "old.json").write_text(json.dumps(doc), encoding="utf-8")
    site = _org_site(tmp_path, "[[repo]]\nname = 'ledger'\nstatus = 'old.json'\n")
    repos = site["repos"]
    assert isinstance(repos, list) and repos[0]["tag"] is None


def test_a_status_tag_is_checked_like_the_org_files(
    org: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, _out = org
    published = root / "published" / "ledger" / "status.json"
    doc = json.loads(published.read_text(encoding="utf-8"))
    doc["source"]["project_tag"] = "<b>"
    with pytest.raises(ConfigError, match=re.escape("source.project_tag is '<b>'")):
        check_status(doc, "x")
    # billing's checkout says `bill`; so does the org file for the status.json: one must yield
    (tmp_path / "org.toml").write_text(
        f"[[repo]]\npath = {str(root / 'billing')!r}\n"
        f"[[repo]]\nstatus = {str(published)!r}\ntag = 'bill'\n",
        encoding="utf-8",
    )
    code = main(["org", "--config", str(tmp_path / "org.toml"), "-o", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "[[repo]] #2 (ledger)" in err and "'billing'" in err
