"""Every configuration value is checked: paths stay inside the repository, rule names exist,
numbers are in range, URLs are http(s). Each bad value is one line naming the key and exit 2."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.config import Config, load_config, parse_config
from generator.exceptions import ConfigError
from generator.readers import read_board
from generator.readers.optional_sources import matching
from tests.conftest import GitRepo

NOW = "2026-05-31T16:00Z"
SCOREBOARD = """# Active sessions

| Session | Task | Worktree | Claimed | Presence | Scope |
|---|---|---|---|---|---|
| sA · Sintra | Riff #412 | worktree `session-sA` → direct-to-main, `[sA]` | 2026-05-31T11:40Z | 2026-05-31T15:50Z · abc1234 | payments: `services/payments/**` |
"""

# (the TOML table as data, the key the message must name, a fragment of the reason)
BAD: list[tuple[dict[str, Any], str, str]] = [
    # paths: absolute, `..`, `.git`, the root where a file or folder is expected
    ({"paths": {"queue_dir": "../x"}}, "[paths].queue_dir", "leave the repository"),
    ({"paths": {"queue_dir": "docs/../../x"}}, "[paths].queue_dir", "leave the repository"),
    ({"paths": {"scoreboard": ".."}}, "[paths].scoreboard", "leave the repository"),
    ({"paths": {"scoreboard": "/etc/passwd"}}, "[paths].scoreboard", "absolute"),
    ({"paths": {"scoreboard": "C:\\board.md"}}, "[paths].scoreboard", "absolute"),
    ({"paths": {"scoreboard": "."}}, "[paths].scoreboard", "repository root itself"),
    ({"paths": {"scoreboard": ""}}, "[paths].scoreboard", "repository root itself"),
    ({"paths": {"queue_dir": "./"}}, "[paths].queue_dir", "repository root itself"),
    ({"paths": {"queue_dir": ".git/queue"}}, "[paths].queue_dir", "`.git`"),
    ({"paths": {"scoreboard": "a\\..\\..\\b.md"}}, "[paths].scoreboard", "leave the repository"),
    ({"paths": {"scoreboard": "a\nb.md"}}, "[paths].scoreboard", "control characters"),
    ({"sources": {"riff": "../riff.json"}}, "[sources].riff", "leave the repository"),
    ({"sources": {"backlog": ".GIT"}}, "[sources].backlog", "`.git`"),
    ({"sources": {"roster": ["/home/me/agents.md"]}}, "[sources].roster", "absolute"),
    # globs: `..`, absolute, also hidden in a brace alternative
    ({"sources": {"playbooks": ["../../**/*.json"]}}, "[sources].playbooks", "leave"),
    ({"sources": {"telegram": ["/**/*.json"]}}, "[sources].telegram", "absolute"),
    ({"sources": {"transcripts": ["{logs,..}/*.jsonl"]}}, "[sources].transcripts", "leave"),
    ({"sources": {"playbooks": [".git/**/*.md"]}}, "[sources].playbooks", "`.git`"),
    # the cache folder
    ({"cache": {"dir": ".git"}}, "[cache].dir", "`.git`"),
    ({"cache": {"dir": ".git/statusboard"}}, "[cache].dir", "`.git`"),
    ({"cache": {"dir": "."}}, "[cache].dir", "repository root itself"),
    ({"cache": {"dir": "/tmp/statusboard-cache"}}, "[cache].dir", "inside your cache directory"),
    ({"cache": {"dir": "../cache"}}, "[cache].dir", "leave the repository"),
    ({"cache": {"dir": "docs/ai/sessions/queue"}}, "[cache].dir", "overlaps paths.queue_dir"),
    ({"cache": {"dir": "docs"}}, "[cache].dir", "overlaps paths.scoreboard"),
    ({"cache": {"dir": "docs/ai/telegram/cache"}}, "[cache].dir", "would read the cache"),
    # rules: unknown names (with a suggestion), codes, bad severities
    ({"rules": {"stale-claimm": "off"}}, "stale-claimm", "did you mean 'stale-claim'?"),
    ({"rules": {"SB101": "off"}}, "SB101", "name the rule"),
    ({"rules": {"no-such-thing-at-all": "off"}}, "no-such-thing-at-all", "statusboard rules"),
    ({"rules": {"stale-claim": "fatal"}}, "rules.stale-claim", "expected error, warning"),
    ({"rules": {"stale-claim": True}}, "rules.stale-claim", "expected error, warning"),
    ({"rules": {"stale-claim": "off", "stale_claim": "error"}}, "stale_claim", "twice"),
    # numbers: ints (not booleans), positive durations, a sane maximum
    ({"thresholds": {"stale_hours": True}}, "[thresholds].stale_hours", "expected int"),
    ({"thresholds": {"stale_hours": 6.5}}, "[thresholds].stale_hours", "expected int"),
    ({"thresholds": {"stale_hours": 0}}, "[thresholds].stale_hours", "1 to 87600 (hours)"),
    ({"thresholds": {"unacked_hours": -2}}, "[thresholds].unacked_hours", "1 to 87600"),
    ({"thresholds": {"live_minutes": 10**20}}, "[thresholds].live_minutes", "out of range"),
    ({"thresholds": {"future_skew_minutes": -1}}, "[thresholds].future_skew_minutes", "0 to"),
    ({"thresholds": {"max_file_bytes": 0}}, "[thresholds].max_file_bytes", "(bytes)"),
    ({"thresholds": {"stale_in_progress_days": 4000}}, "stale_in_progress_days", "1 to 3650"),
    ({"thresholds": {"live_minutes": 600}}, "[thresholds].live_minutes", "stale_hours"),
    ({"site": {"recent_per_inbox": 0}}, "[site].recent_per_inbox", "out of range"),
    ({"agents": {"spawn_small": False}}, "[agents].spawn_small", "expected int"),
    ({"agents": {"spawn_large": -1200}}, "[agents].spawn_large", "(seconds)"),
    ({"cache": {"enabled": 1}}, "[cache].enabled", "expected bool"),
    # strings: URLs are http(s) without credentials, a branch name, a tag
    ({"site": {"repo_url": "javascript:alert(1)"}}, "[site].repo_url", "http(s) URL"),
    ({"site": {"site_url": "ftp://example.org/"}}, "[site].site_url", "http(s) URL"),
    ({"site": {"repo_url": "https://"}}, "[site].repo_url", "http(s) URL"),
    ({"site": {"repo_url": "https://tok:x@github.com/a/b"}}, "[site].repo_url", "credentials"),
    ({"site": {"repo_url": 5}}, "[site].repo_url", "expected a string"),
    ({"site": {"edit_branch": "a..b"}}, "[site].edit_branch", "branch name"),
    ({"site": {"edit_branch": "-rf"}}, "[site].edit_branch", "branch name"),
    ({"project_tag": "p o"}, "project_tag", "short tag"),
    ({"names": ["Sintra", ""]}, "names", "non-empty strings"),
    ({"thresholds": {"stale-hours": 3, "stale_hours": 4}}, "stale_hours", "given twice"),
]


@pytest.mark.parametrize(
    ("data", "key", "reason"), BAD, ids=[f"{b[1]}-{i}" for i, b in enumerate(BAD)]
)
def test_each_bad_value_is_one_line_naming_the_key(
    data: dict[str, Any], key: str, reason: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(data, "statusboard.toml")
    message = str(caught.value)
    assert message.startswith("statusboard.toml"), message
    assert "\n" not in message, message
    assert key in message and reason in message, message


GOOD: list[dict[str, Any]] = [
    {"paths": {"scoreboard": "./coord//claims.md", "queue_dir": "coord/inbox/"}},
    {"sources": {"riff": "", "backlog": "", "playbooks": []}},  # empty: the source is off
    {"sources": {"playbooks": ["docs/{ai,team}/**/*.md", ".github/*.md"]}},
    {"cache": {"dir": "build/.statusboard-cache"}},
    {"cache": {"dir": "docs/ai/cache-not-read"}},  # no source glob matches its .json files
    {"rules": {"stale_claim": "error", "raw-html-in-message": "off"}},
    {"thresholds": {"future_skew_minutes": 0, "stale_hours": 87600, "live_minutes": 60}},
    {"site": {"repo_url": "https://github.com/acme/shop", "site_url": "http://localhost:8000/"}},
    {"site": {"edit_branch": "release/2.1"}},
    {"project_tag": "po-platform"},
]


@pytest.mark.parametrize("data", GOOD)
def test_good_values_pass(data: dict[str, Any]) -> None:
    assert isinstance(parse_config(data, "statusboard.toml"), Config)


def test_rule_names_with_underscores_mean_the_rule() -> None:
    config = parse_config({"rules": {"stale_claim": "off"}})
    assert config.rules == (("stale-claim", "off"),)


def test_an_absolute_cache_folder_only_inside_the_users_cache_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-home"))
    inside = tmp_path / "cache-home" / "statusboard" / "shop"
    assert parse_config({"cache": {"dir": str(inside)}}).cache.dir == str(inside)
    for bad in (tmp_path / "cache-home", tmp_path / "cache-home" / "statusboard", tmp_path / "x"):
        with pytest.raises(ConfigError, match=r"\[cache\]\.dir"):
            parse_config({"cache": {"dir": str(bad)}})
    with pytest.raises(ConfigError, match="inside your cache directory"):
        parse_config({"cache": {"dir": str(tmp_path / "cache-home" / ".." / "elsewhere")}})


def test_pyproject_and_config_file_are_checked_the_same(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.statusboard.paths]\nqueue_dir = "../other"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"pyproject.toml \[tool.statusboard\] \[paths\]"):
        load_config(tmp_path)
    explicit = tmp_path / "board.toml"
    explicit.write_text('[rules]\nstale-claimm = "off"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="did you mean 'stale-claim'"):
        load_config(tmp_path, explicit)


def _board(git_repo: GitRepo) -> Path:
    git_repo.write("docs/ai/sessions/active.md", SCOREBOARD)
    git_repo.commit("[sA] docs(ai-sessions): claim", at=datetime(2026, 5, 31, 15, 0, tzinfo=UTC))
    return git_repo.root


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ('[paths]\nqueue_dir = "../x"\n', "[paths].queue_dir"),
        ('[sources]\nplaybooks = ["../../**/*.json"]\n', "[sources].playbooks"),
        ('[cache]\ndir = ".git"\n', "[cache].dir"),
        ('[rules]\nstale-claimm = "off"\n', "stale-claimm"),
        ("[thresholds]\nstale_hours = true\n", "[thresholds].stale_hours"),
        ("[thresholds]\nlive_minutes = 99999999999999999\n", "[thresholds].live_minutes"),
        ('[site]\nrepo_url = "javascript:alert(1)"\n', "[site].repo_url"),
    ],
)
@pytest.mark.parametrize("where", ["statusboard.toml", "pyproject.toml", "--config"])
def test_the_command_exits_2_with_one_line(
    git_repo: GitRepo,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    toml: str,
    key: str,
    where: str,
) -> None:
    root = _board(git_repo)
    argv = ["lint", str(root), "--now", NOW]
    if where == "statusboard.toml":
        (root / "statusboard.toml").write_text(toml, encoding="utf-8")
    elif where == "pyproject.toml":
        table = toml.replace("[", "[tool.statusboard.", 1) if toml.startswith("[") else toml
        (root / "pyproject.toml").write_text('[project]\nname = "x"\n' + table, encoding="utf-8")
    else:
        (tmp_path / "board.toml").write_text(toml, encoding="utf-8")
        argv += ["--config", str(tmp_path / "board.toml")]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("statusboard: error: ") and "\n" not in err, err
    assert key in err, err


def test_a_glob_never_follows_a_link_out_of_the_repository(
    git_repo: GitRepo, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    call = "sessions_spawn(label='x', runTimeoutSeconds=300)\n"
    (outside / "deep" / "leak.md").write_text(call, encoding="utf-8")
    (outside / "file.md").write_text(call, encoding="utf-8")
    root = _board(git_repo)
    (root / "docs/ai/playbooks").mkdir(parents=True)
    os.symlink(outside, root / "docs/ai/playbooks/linked")
    os.symlink(outside / "file.md", root / "docs/ai/playbooks/file.md")
    # The walk does not enter the linked folder: nothing under it is even listed.
    assert matching(root, ("docs/ai/*/*/*.md", "docs/**/leak.md"), lambda _: False) == []
    board = read_board(root, parse_config({"sources": {"playbooks": ["docs/ai/*/*/*.md"]}}))
    assert not any("leak" in p.source.path for p in board.problems)
    board = read_board(root, Config())
    assert not any("linked" in s or "file.md" in s for s in board.call_sources)
    # The link to a file outside is reported, never read (nothing is silently dropped).
    assert any(
        p.source.path == "docs/ai/playbooks/file.md" and "outside the repository" in p.message
        for p in board.problems
    )


def _plugin_build(folder: Path, plugin: dict[str, object]) -> None:
    """Build a minimal mkdocs site in `folder` with the statusboard plugin."""
    import yaml
    from mkdocs.commands.build import build
    from mkdocs.config import load_config as mkdocs_config

    (folder / "docs").mkdir(exist_ok=True)
    (folder / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    settings = {
        "site_name": "Host",
        "plugins": [{"statusboard": {"now": NOW, **plugin}}],
    }
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    config = mkdocs_config(str(path))
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def test_the_mkdocs_plugin_checks_the_repository_and_the_configuration(
    git_repo: GitRepo, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from mkdocs.exceptions import Abort

    root = _board(git_repo)
    (root / "statusboard.toml").write_text('[rules]\nstale-claimm = "off"\n', encoding="utf-8")
    with pytest.raises(Abort):
        _plugin_build(root, {})
    assert "unknown rule 'stale-claimm' in [rules]; did you mean 'stale-claim'?" in caplog.text
    (root / "statusboard.toml").unlink()
    # From a folder inside the checkout, the plugin reads the checkout's root.
    (root / "site-src").mkdir()
    _plugin_build(root / "site-src", {"repo": "."})
    status = (root / "site-src" / "site" / "board" / "status.json").read_text(encoding="utf-8")
    assert '"id": "sA"' in status  # the root's scoreboard, not an empty subfolder's
    plain = tmp_path / "plain"
    plain.mkdir()
    caplog.clear()
    with pytest.raises(Abort):
        _plugin_build(plain, {})
    assert "is not inside a git repository" in caplog.text
    _plugin_build(plain, {"allow_no_git": True})
    assert "no board sources found" in caplog.text
