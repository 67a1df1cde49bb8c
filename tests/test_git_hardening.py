"""The history read is immune to git configuration. A real repository gets a setting in its own
`.git/config` (or an attributes file) and must give the same history, the same findings and the
same number of blobs read as without it.

Measured without the pinned options (generator/readers/history.py `GIT_OPTIONS`, `_LOG_FLAGS`):
`diff.noprefix`, `i18n.logOutputEncoding`, `log.showRoot=false` and `log.showSignature` (on signed
commits) gave a wrong history; `core.bigFileThreshold`, `diff.interHunkContext` and a `-diff` /
`binary` / textconv attribute in the user's attributes file made git print diffs the reader cannot
apply, so it read every version's blob instead (right, but many times slower). The other settings
here were already pinned and stay tested so that they stay pinned.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from generator.cli import main
from generator.config import Config
from generator.model import History
from generator.readers import history as history_reader
from generator.readers.history import read_history
from tests.conftest import GitRepo

T0 = datetime(2026, 5, 31, 9, 0, tzinfo=UTC)
NOW = "2026-05-31T12:00Z"
BOARD = "docs/ai/sessions/active.md"
QUEUE = "docs/ai/sessions/queue/to-sA.md"
ODD_QUEUE = "docs/ai/sessions/queue/to-Ünïcode.md"  # quoted by git unless core.quotePath=false
HEADER = "| Session | Task | Worktree | Claimed | Presence | Scope |\n|---|---|---|---|---|---|\n"


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def stamp(minutes: int) -> str:
    return at(minutes).strftime("%Y-%m-%dT%H:%MZ")


def row(sid: str, name: str, presence: int) -> str:
    return (
        f"| {sid} · {name} | Riff #1 | `session-{sid}` → PR, `[{sid}]` | {stamp(0)} "
        f"| {stamp(presence)} · | `{sid.lower()}/**` |\n"
    )


def message(minutes: int, sender: str, status: str, body: str) -> str:
    head = f"## {stamp(minutes)} · from:{sender} · to:sA · type:info · status:{status}"
    return f"{head}\n\n{body}\n\n"


def build(repo: GitRepo) -> None:
    """A board history that exercises every path of the diff reader: a root commit holding the
    board, a big queue file, two edits a few lines apart in one commit, a non-ASCII file name and
    subject, a queue file renamed, and commits by several sessions."""
    filler = "".join(message(1 + i % 50, "sB", "sent", f"Note {i}. " + "x" * 80) for i in range(30))
    repo.write(BOARD, HEADER + row("sA", "Sintra", 0) + row("sB", "Porto", 0))
    repo.write(QUEUE, message(0, "sB", "sent", "First.") + filler + message(0, "sB", "sent", "Z."))
    repo.commit("[sA] docs(ai-sessions): claim and first message", at=at(0))
    text = (repo.root / QUEUE).read_text(encoding="utf-8")
    # Two changes three lines apart: with diff.interHunkContext they become one hunk.
    text = text.replace("status:sent", "status:seen", 1).replace("First.", "First, edited.", 1)
    repo.write(QUEUE, text.replace("Z.", "Zed."))
    repo.commit("[sA] docs(ai-sessions): café ack", at=at(10), author="Zoë")
    repo.write(ODD_QUEUE, message(20, "sB", "sent", "Odd file."))
    repo.write(BOARD, HEADER + row("sA", "Sintra", 20) + row("sB", "Porto", 20))
    repo.commit("[sB] docs(ai-sessions): heartbeat and odd queue", at=at(20))
    (repo.root / ODD_QUEUE).rename(repo.root / "docs/ai/sessions/queue/to-sB.md")
    repo.commit("[sB] docs(ai-sessions): rename the odd queue", at=at(30))
    repo.write("sa/x.py", "x = 1\n")
    repo.commit("[sA] feat: x", at=at(40))


FETCHED: list[str] = []  # the blobs the last run() read (each is a version git did not diff)


def run(repo: GitRepo) -> tuple[History, str, int]:
    """The history as read, the findings of `statusboard lint --format json` and the number of
    blobs the history read fetched because a diff could not be applied."""
    FETCHED.clear()
    history = read_history(repo.root, Config(), cache=False)
    fetched = len(FETCHED)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["lint", str(repo.root), "--now", NOW, "--format", "json", "--no-cache"])
    assert code in (0, 1)
    return history, out.getvalue(), fetched


@pytest.fixture(autouse=True)
def _count_fetches(monkeypatch: pytest.MonkeyPatch) -> None:
    real = history_reader._object

    def spy(handle: object, ref: str) -> bytes | None:
        FETCHED.append(ref)
        return real(handle, ref)  # type: ignore[arg-type]

    monkeypatch.setattr(history_reader, "_object", spy)


class SignedRepo(GitRepo):
    """Every commit signed (`commit -S`; the fixture's `-c commit.gpgsign=false` is outranked)."""

    def _git(self, *args: str, at: datetime | None = None, author: str = "Dev") -> str:
        if args[:1] == ("commit",):
            args = ("commit", "-S", *args[1:])
        return super()._git(*args, at=at, author=author)


@pytest.fixture
def repo(git_repo: GitRepo) -> GitRepo:
    build(git_repo)
    return git_repo


@pytest.fixture
def baseline(repo: GitRepo) -> tuple[History, str, int]:
    history, findings, fetched = run(repo)
    assert len(history.commits) == 5 and history.trails and history.claims
    assert {t.path for t in history.trails} >= {QUEUE, "docs/ai/sessions/queue/to-sB.md"}
    return history, findings, fetched


def script(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text("#!/bin/sh\n" + text, encoding="utf-8")
    path.chmod(0o755)
    return str(path)


SETTINGS: dict[str, list[tuple[str, str]]] = {
    "core.bigFileThreshold": [("core.bigFileThreshold", "1k")],
    "color.ui": [("color.ui", "always"), ("color.diff", "always")],
    "diff.noprefix": [("diff.noprefix", "true")],
    "diff.renames": [("diff.renames", "copies")],
    "diff.interHunkContext": [("diff.interHunkContext", "10")],
    "core.quotePath": [("core.quotePath", "false")],
    "i18n.logOutputEncoding": [("i18n.logOutputEncoding", "ISO-8859-1")],
    "log.showRoot": [("log.showRoot", "false")],
}


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_a_setting_in_the_repository_changes_nothing(
    repo: GitRepo, baseline: tuple[History, str, int], name: str
) -> None:
    for key, value in SETTINGS[name]:
        repo._git("config", key, value)
    assert run(repo) == baseline


def test_an_external_diff_and_a_textconv_driver_are_not_run(
    repo: GitRepo, baseline: tuple[History, str, int], tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    ext = script(tmp_path, "ext", f"echo '+## forged' ; touch {marker}\n")
    conv = script(tmp_path, "conv", f'touch {marker}; tr a-z A-Z < "$1"\n')
    repo._git("config", "diff.external", ext)
    repo._git("config", "diff.upper.textconv", conv)
    repo.write(".git/info/attributes", "*.md diff=upper\n")
    assert run(repo) == baseline
    assert not marker.exists()


@pytest.mark.parametrize("attributes", ["*.md -diff\n", "*.md binary\n", "*.md diff=upper\n"])
def test_attributes_in_the_user_file_or_the_tree_change_nothing(
    repo: GitRepo, baseline: tuple[History, str, int], tmp_path: Path, attributes: str
) -> None:
    user = tmp_path / "attributes"
    user.write_text(attributes, encoding="utf-8")
    repo._git("config", "core.attributesFile", str(user))
    repo._git("config", "diff.upper.textconv", "tr a-z A-Z <")
    assert run(repo) == baseline
    repo.write(".gitattributes", attributes)  # checked in: read from each commit's tree
    repo.commit("chore: attributes", at=at(50))
    history, findings, _fetched = run(repo)  # git is told not to diff: the blobs are read
    assert history.trails == baseline[0].trails and history.claims == baseline[0].claims
    assert findings == baseline[1]


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen to sign")
def test_signed_commits_with_log_show_signature(git_repo: GitRepo, tmp_path: Path) -> None:
    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    signed = SignedRepo(git_repo.root)
    signed._git("config", "gpg.format", "ssh")
    signed._git("config", "user.signingKey", f"{key}.pub")
    build(signed)
    assert "gpgsig" in signed._git("cat-file", "commit", "HEAD")
    unsigned = run(signed)
    assert len(unsigned[0].commits) == 5
    signed._git("config", "log.showSignature", "true")
    assert run(signed) == unsigned


def test_status_json_is_the_same_with_hostile_settings(
    repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["build", str(repo.root), "-o", str(tmp_path / "plain"), "--now", NOW, "--no-cache"])
    for settings in SETTINGS.values():
        for key, value in settings:
            repo._git("config", key, value)
    main(["build", str(repo.root), "-o", str(tmp_path / "hostile"), "--now", NOW, "--no-cache"])
    plain = json.loads((tmp_path / "plain" / "status.json").read_text(encoding="utf-8"))
    hostile = json.loads((tmp_path / "hostile" / "status.json").read_text(encoding="utf-8"))
    assert plain == hostile and plain["counts"]["commits"] == 5
