"""The read and render caches: a cached build is byte for byte an uncached one — cold, warm, after
a new commit, later in time — and a damaged, foreign or forged cache file is rebuilt, never used."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from generator import pipeline
from generator.cache import (
    Store,
    _code_digest,
    code_version,
    signing_key,
    template_cache,
    user_cache_dir,
)
from generator.cli import main
from generator.config import Config, load_config
from generator.demo.builder import build_demo_repo
from generator.readers import _parse_queue
from generator.readers.read_cache import _decode, _encode, model_matches
from generator.render.fragments import _decode as _decode_fragments
from generator.render.fragments import _encode as _encode_fragments
from generator.render.site import site_files
from generator.timeutil import parse_now
from tests.conftest import GitRepo

NOW = "2026-06-05T12:00Z"
LATER = "2026-06-05T16:45Z"  # ages and overdue flags have moved on: the cards' holes
QUEUE = "docs/ai/sessions/queue/to-sA.md"
CACHE = ".statusboard-cache"


@pytest.fixture
def demo(tmp_path: Path) -> GitRepo:
    """The demo board with a repository URL, so that every card links its source at HEAD."""
    root = build_demo_repo(tmp_path / "demo", parse_now(NOW))
    repo = GitRepo(root)  # `git init` again is harmless: the history stays as it is
    toml = root / "statusboard.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(
        text.replace("[site]\n", '[site]\nrepo_url = "https://github.com/acme/po-platform"\n', 1),
        encoding="utf-8",
    )
    repo.commit("chore: link the sources", at=parse_now("2026-06-05T11:00Z"))
    return repo


def new_message(repo: GitRepo) -> None:
    """One more message to sA, committed the way a session does (HEAD moves)."""
    repo.append(
        QUEUE,
        "\n## 2026-06-05T11:30Z · from:sB · to:sA · type:question · status:sent\n\nOne more?\n",
    )
    repo.commit("[sB] docs(ai-sessions): one more question", at=parse_now("2026-06-05T11:30Z"))


def site_tree(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def cache_files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / CACHE).glob("*-*.*"))}


def compiled_templates() -> list[Path]:
    return sorted((user_cache_dir() / "templates").glob("__jinja2_*.cache"))


def outputs(root: Path, now: str, *, cache: bool = True) -> dict[str, str]:
    """Every page and machine output as `build` makes them (mkdocs aside), with or without the
    caches."""
    config = load_config(root)
    if not cache:
        config = replace(config, cache=replace(config.cache, enabled=False))
    result = pipeline.analyse(pipeline.read(root, config), config, parse_now(now))
    files = site_files(result)
    site, texts = files.site, files.outputs
    return {**site.pages, **texts}


def test_cached_builds_are_byte_identical_to_uncached_ones(demo: GitRepo, tmp_path: Path) -> None:
    def build(name: str, now: str, *flags: str) -> dict[str, str]:
        out = tmp_path / name
        assert main(["build", str(demo.root), "-o", str(out), "--now", now, "-q", *flags]) in (0, 1)
        return site_tree(out)

    plain = build("plain", NOW, "--no-cache")
    assert not (demo.root / CACHE).exists()  # --no-cache reads and writes no cache at all

    assert build("cold", NOW) == plain
    cold = cache_files(demo.root)
    assert {name.split("-")[0] for name in cold} == {"history", "read", "render", "search"}
    assert compiled_templates()  # the user's own folder: compiled templates are code

    assert build("warm", NOW) == plain
    assert cache_files(demo.root) == cold  # every card and queue file came from the cache

    new_message(demo)
    plain_later = build("commit-plain", LATER, "--no-cache")
    assert cache_files(demo.root) == cold  # --no-cache leaves every cache alone
    assert build("commit", LATER) == plain_later
    assert build("commit-again", LATER) == build("commit-plain-again", LATER, "--no-cache")


def test_holes_are_filled_for_each_build(demo: GitRepo) -> None:
    """Cards and waiting rows cached at one time and HEAD, used at another."""
    outputs(demo.root, NOW)
    before = cache_files(demo.root)
    assert outputs(demo.root, LATER) == outputs(demo.root, LATER, cache=False)
    new_message(demo)
    assert outputs(demo.root, LATER) == outputs(demo.root, LATER, cache=False)
    after = cache_files(demo.root)
    # Only the queue file that changed was parsed again.
    read = [n for n in after if n.startswith("read-")]
    assert len(read) > 1 and sum(after[n] != before[n] for n in read) == 1


def test_an_edited_reply_renews_the_card_of_the_message_it_answers(demo: GitRepo) -> None:
    """The question's card shows its replies: their status and text are in its key."""
    path = demo.root / "docs/ai/sessions/queue/to-human.md"
    heading = "## 2026-06-04T11:20Z · from:sB · to:human · type:answer · re:2026-06-04T10:50Z"
    text = path.read_text(encoding="utf-8")
    assert heading + " · status:seen" in text
    outputs(demo.root, NOW)  # the caches, with the reply as it was
    path.write_text(
        text.replace(heading + " · status:seen", heading + " · status:acked", 1), encoding="utf-8"
    )
    demo.commit("[sB] docs(ai-sessions): ack", at=parse_now("2026-06-05T11:40Z"))
    cached = outputs(demo.root, LATER)
    assert cached == outputs(demo.root, LATER, cache=False)
    # The question's page shows the new status of its reply, not only the reply's own page.
    question_pages = [p for p, t in cached.items() if 'id="msg-2026-06-04t10-50z-human"' in t]
    assert question_pages and any("acked" in cached[p] for p in question_pages)


DAMAGES = (
    "truncate",
    "flip a payload byte",
    "not json",
    "another format",
    "another code version",
    "signed with another key",
    "forged with a valid checksum",
)


def damage(path: Path, how: str) -> None:
    raw = path.read_bytes()
    header_line, _, payload = raw.partition(b"\n")
    header = json.loads(header_line)
    if how == "truncate":
        path.write_bytes(raw[: len(raw) // 2])
    elif how == "flip a payload byte":
        i = len(payload) // 2
        path.write_bytes(
            header_line + b"\n" + payload[:i] + bytes([payload[i] ^ 1]) + payload[i + 1 :]
        )
    elif how == "not json":
        path.write_bytes(b"\x00\x01 garbage")
    elif how == "another format":
        header["format"] = 999
        path.write_bytes(json.dumps(header).encode() + b"\n" + payload)
    elif how == "another code version":
        key = {**header["key"], "code": "0" * 32}
        store = Store(path.parent, header["kind"], key, signing_key(), path.suffix)
        store.save(header["name"], payload)
    elif how == "signed with another key":
        store = Store(path.parent, header["kind"], header["key"], b"f" * 64, path.suffix)
        store.save(header["name"], payload)
    else:  # what anyone could write: well-formed, with a valid checksum, but not what was cached
        if header["kind"] == "render":
            fragments = _decode_fragments(payload)
            for fragment in fragments.values():
                fragment[0] = "<script>x</script>" + fragment[0]
            forged = _encode_fragments(fragments)
        else:
            data = json.loads(payload)
            data["recipient"] = "<script>x</script>"
            forged = json.dumps(data).encode()
        header["sha256"] = hashlib.sha256(forged).hexdigest()
        path.write_bytes(json.dumps(header, sort_keys=True).encode() + b"\n" + forged)


@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_or_forged_cache_is_rebuilt_never_trusted(demo: GitRepo, how: str) -> None:
    expected = outputs(demo.root, NOW, cache=False)
    assert outputs(demo.root, NOW) == expected
    files = sorted(p for p in (demo.root / CACHE).glob("*-*.*") if p.name[:2] in ("re", "te"))
    assert {p.name.split("-")[0] for p in files} == {"read", "render"}
    for path in files:
        damage(path, how)
    damaged = {p.name: p.read_bytes() for p in files}
    assert outputs(demo.root, NOW) == expected
    rewritten = cache_files(demo.root)
    assert all(rewritten[name] != data for name, data in damaged.items())  # none was used
    assert outputs(demo.root, NOW) == expected
    assert cache_files(demo.root) == rewritten  # the rewritten files are good: used as they are
    assert "<script>x" not in "".join(outputs(demo.root, NOW).values())


@pytest.mark.parametrize("how", ["forged with a valid checksum", "signed with another key"])
def test_a_forged_search_text_never_reaches_the_index(
    demo: GitRepo, tmp_path: Path, how: str
) -> None:
    """The search index's text of each page block is cached by the block's HTML; a file anyone
    could write (a valid checksum, another key) is not used, and a used one gives the same index."""

    def build(name: str, *flags: str) -> str:
        out = tmp_path / name
        assert main(["build", str(demo.root), "-o", str(out), "--now", NOW, "-q", *flags]) in (0, 1)
        return (out / "search" / "search_index.json").read_text(encoding="utf-8")

    plain = build("plain", "--no-cache")
    assert build("cold") == plain
    files = sorted((demo.root / CACHE).glob("search-*.json"))
    assert files
    for path in files:
        header_line, _, payload = path.read_bytes().partition(b"\n")
        header = json.loads(header_line)
        texts = _decode_fragments(payload)
        forged = _encode_fragments({key: ["FORGED words"] for key in texts})
        if how == "signed with another key":
            Store(path.parent, "search", header["key"], b"f" * 64, ".json").save(
                header["name"], forged
            )
        else:
            header["sha256"] = hashlib.sha256(forged).hexdigest()
            path.write_bytes(json.dumps(header, sort_keys=True).encode() + b"\n" + forged)
    assert build("forged") == plain
    assert build("warm") == plain  # the files written again are good, and used as they are
    # The control: the same words signed with this user's key are taken (the cache is used).
    for path in files:
        header_line, _, payload = path.read_bytes().partition(b"\n")
        header = json.loads(header_line)
        forged = _encode_fragments({k: ["FORGED words"] for k in _decode_fragments(payload)})
        Store(path.parent, "search", header["key"], signing_key(), ".json").save(
            header["name"], forged
        )
    assert "FORGED words" in build("signed")


def test_a_template_change_invalidates_the_render_cache(
    demo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs(demo.root, NOW)
    before = cache_files(demo.root)
    _code_digest.cache_clear()
    monkeypatch.setattr("generator.cache.__version__", "a newer version")
    try:
        assert outputs(demo.root, NOW) == outputs(demo.root, NOW, cache=False)
        after = cache_files(demo.root)
    finally:
        _code_digest.cache_clear()
    signed = {n for n in after if not n.startswith("history-")}
    assert signed and {n for n in signed if after[n] != before.get(n)} == signed


def test_the_code_version_follows_every_template_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Templates are known by path, size and mtime: a write with another size, or the same size
    at another time, gives another key (a running `serve` must not reuse cards of the old)."""
    page = tmp_path / "templates" / "pages" / "card.html"
    page.parent.mkdir(parents=True)
    page.write_text("one", encoding="utf-8")
    monkeypatch.setattr("generator.cache.templates_dir", lambda: tmp_path / "templates")
    first = code_version()
    assert code_version() == first
    page.write_text("three", encoding="utf-8")
    second = code_version()
    page.write_text("seven", encoding="utf-8")  # the same size: only the time tells
    info = page.stat()
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000))
    assert len({first, second, code_version()}) == 3
    (page.parent / "new.html").write_text("", encoding="utf-8")
    assert code_version() not in {first, second}


def test_the_code_version_does_not_import_jinja2() -> None:
    """`lint` renders nothing: its read cache's key must not cost it the import of jinja2."""
    code = "import sys; from generator.cache import code_version; code_version(); "
    code += "print('jinja2' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"


def test_no_cache_without_a_private_signing_key(
    demo: GitRepo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shared = tmp_path / "shared"
    (shared / "statusboard").mkdir(parents=True)
    key = shared / "statusboard" / "signing-key"
    key.write_text("a" * 64, encoding="ascii")
    key.chmod(0o644)  # readable by others: anyone could sign with it
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared))
    assert outputs(demo.root, NOW) == outputs(demo.root, NOW, cache=False)
    assert not [p for p in (demo.root / CACHE).glob("*-*.*") if not p.name.startswith("history")]
    assert list((demo.root / CACHE).glob("history-*.json"))


def test_the_read_cache_codec_round_trips_every_queue_case(demo: GitRepo) -> None:
    assert model_matches()  # the codec knows every field of the model it writes
    cases = Path(__file__).parent / "readers" / "queue"
    texts = {f"docs/ai/sessions/queue/to-{p.stem}.md": p.read_text() for p in cases.glob("*.md")}
    for p in (demo.root / "docs/ai/sessions/queue").glob("to-*.md"):
        texts[p.relative_to(demo.root).as_posix()] = p.read_text(encoding="utf-8")
    texts[QUEUE + ".secret"] = (
        "## 2026-05-31T10:00Z · from:sB · to:sA · type:info\n\n"
        "token: ghp_abcdefghijklmnopqrstuvwxyz0123456789\n- ack · 2026-05-31T11:00 · sA · seen\n"
    )
    for rel, text in texts.items():
        parsed = _parse_queue(rel, text)
        data = _encode(rel, text, "digest", parsed)
        assert data is not None, rel
        again = _decode(rel, text, json.loads(json.dumps(data, ensure_ascii=False)))
        assert again == parsed, rel
        assert repr(again) == repr(parsed), rel  # the same times, zones included
    assert "[redacted]" in _parse_queue(QUEUE, texts[QUEUE + ".secret"]).text


def test_a_plain_folder_gets_no_cache_folder(tmp_path: Path) -> None:
    (tmp_path / "docs/ai/sessions/queue").mkdir(parents=True)
    (tmp_path / QUEUE).write_text("## 2026-05-31T10:00Z · from:sB · to:sA · type:info\n\nHi.\n")
    config = Config()
    result = pipeline.analyse(pipeline.read(tmp_path, config), config, parse_now(NOW))
    site_files(result)
    assert not (tmp_path / CACHE).exists()


def test_the_history_cache_is_written_again_once_head_is_well_past_it(
    git_repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.readers import history as history_reader
    from generator.readers.history import read_history
    from tests.test_history_cache import board, cache_file, send

    monkeypatch.setattr(history_reader, "REWRITE_AFTER", 3)
    board(git_repo)
    send(git_repo, 5)
    read_history(git_repo.root, Config())
    cached = cache_file(git_repo).read_bytes()
    for minute in (6, 7):  # fewer new commits than REWRITE_AFTER: replayed, the cache kept
        send(git_repo, minute)
        warm = read_history(git_repo.root, Config())
        assert warm == read_history(git_repo.root, Config(), cache=False)
        assert cache_file(git_repo).read_bytes() == cached
    send(git_repo, 8)  # the third: written again at HEAD
    assert read_history(git_repo.root, Config()) == read_history(
        git_repo.root, Config(), cache=False
    )
    assert cache_file(git_repo).read_bytes() != cached


def test_card_keys_name_every_field_of_a_trail_event() -> None:
    """pages.card_key digests a card's trail field by field: a new field must be added there."""
    from dataclasses import fields

    from generator.model import MessageEvent

    names = [f.name for f in fields(MessageEvent)]
    assert names == ["kind", "commit", "state", "before", "by", "at", "detail"]


def test_compiled_templates_live_only_in_a_private_user_folder(
    demo: GitRepo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    expected = outputs(demo.root, NOW, cache=False)
    assert not compiled_templates()  # --no-cache compiles without keeping anything
    assert outputs(demo.root, NOW) == expected
    kept = compiled_templates()
    assert kept and not list((demo.root / CACHE).glob("template*"))
    old = kept[0].with_name("__jinja2_0123_old.cache")  # another version's: pruned
    old.write_bytes(b"stale")
    assert outputs(demo.root, NOW) == expected
    assert compiled_templates() == kept

    (user_cache_dir() / "templates").chmod(0o777)  # anyone could plant code there: not used
    assert template_cache() is None
    assert outputs(demo.root, NOW) == expected
