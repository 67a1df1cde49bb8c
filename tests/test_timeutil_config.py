"""Timestamps as the board writes them, and the configuration file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from generator.config import Config, load_config, parse_config
from generator.exceptions import ConfigError
from generator.model import Severity
from generator.timeutil import canonical, human_age, iso, parse_now, parse_stamp


@pytest.mark.parametrize(
    ("text", "expected", "is_canonical", "had_zone"),
    [
        ("2026-05-31T11:40Z", datetime(2026, 5, 31, 11, 40, tzinfo=UTC), True, True),
        ("2026-05-31T15:00:12+01:00", datetime(2026, 5, 31, 14, 0, 12, tzinfo=UTC), False, True),
        ("2026-05-31T15:00-0230", datetime(2026, 5, 31, 17, 30, tzinfo=UTC), False, True),
        ("2026-05-31 09:05", datetime(2026, 5, 31, 9, 5, tzinfo=UTC), False, False),
        ("2026-05-31T09:05:00.250Z", datetime(2026, 5, 31, 9, 5, tzinfo=UTC), False, True),
        (" 2026-05-31T11:40Z ", datetime(2026, 5, 31, 11, 40, tzinfo=UTC), True, True),
        ("2024-02-29T00:00Z", datetime(2024, 2, 29, tzinfo=UTC), True, True),
        # Digits beyond ASCII are digits to the general path: the canonical one's fast read
        # leaves them to it.
        ("２０２６-05-31T11:40Z", datetime(2026, 5, 31, 11, 40, tzinfo=UTC), True, True),
    ],
)
def test_parse_stamp_variants(
    text: str, expected: datetime, is_canonical: bool, had_zone: bool
) -> None:
    stamp = parse_stamp(text)
    assert stamp is not None
    assert stamp.value == expected
    assert stamp.canonical is is_canonical
    assert stamp.had_zone is had_zone


@pytest.mark.parametrize(
    "text",
    [
        "",
        "yesterday",
        "2026-13-01T10:00Z",
        "2026-05-31T25:00Z",
        "2026-05-31",
        "11:40Z",
        "2026-02-29T10:00Z",  # not a leap year
        "2026-05-31T24:00Z",
        "2026-05-31T10:60Z",
        # Never raises: an offset of a day or more, or a time out of datetime's range in UTC.
        "2026-05-31T10:00+25:00",
        "0001-01-01T00:00+01:00",
        "9999-12-31T23:59-01:00",
    ],
)
def test_parse_stamp_rejects(text: str) -> None:
    assert parse_stamp(text) is None


def test_parse_stamp_canonical_agrees_with_offset_form() -> None:
    """The canonical form's fast read gives what the general path gives for the same time."""
    fast, general = parse_stamp("2026-05-31T11:40Z"), parse_stamp("2026-05-31T11:40+00:00")
    assert fast is not None and general is not None
    assert fast.value == general.value
    assert fast.value.tzinfo is general.value.tzinfo is UTC


def test_now_and_forms() -> None:
    now = parse_now("2026-05-31T11:40Z")
    assert iso(now) == "2026-05-31T11:40:00Z"
    assert canonical(now) == "2026-05-31T11:40Z"
    with pytest.raises(ValueError, match="not a timestamp"):
        parse_now("soon")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (5, "5 s"),
        (600, "10 min"),
        (3 * 3600, "3 h"),
        (3 * 3600 + 300, "3 h 5 min"),
        (50 * 3600, "2 d 2 h"),
        (-120, "-2 min"),
    ],
)
def test_human_age(seconds: int, text: str) -> None:
    assert human_age(timedelta(seconds=seconds)) == text


def test_defaults_without_file(tmp_path: Path) -> None:
    assert load_config(tmp_path) == Config()


def test_statusboard_toml(tmp_path: Path) -> None:
    (tmp_path / "statusboard.toml").write_text(
        '[paths]\nqueue_dir = "coord/queue"\n[thresholds]\nstale_hours = 12\n'
        '[rules]\nstale-claim = "error"\nraw-html-in-message = "off"\n'
        'names = ["Sintra"]\n',
        encoding="utf-8",
    )
    # `names` after a table header belongs to [rules]; written here on purpose to catch that.
    with pytest.raises(ConfigError, match=r"rules\.names"):
        load_config(tmp_path)
    (tmp_path / "statusboard.toml").write_text(
        'names = ["Sintra"]\n[paths]\nqueue_dir = "coord/queue"\n[thresholds]\nstale_hours = 12\n'
        '[rules]\nstale-claim = "error"\nraw-html-in-message = "off"\n',
        encoding="utf-8",
    )
    config = load_config(tmp_path)
    assert config.paths.queue_dir == "coord/queue"
    assert config.paths.scoreboard == "docs/ai/sessions/active.md"
    assert config.thresholds.stale_hours == 12
    assert config.severity_for("stale-claim", Severity.WARNING) is Severity.ERROR
    assert config.severity_for("raw-html-in-message", Severity.INFO) is None
    assert config.severity_for("future-timestamp", Severity.WARNING) is Severity.WARNING
    assert config.names == ("Sintra",)


def test_pyproject_tool_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.statusboard.site]\ntitle = "Ops board"\n', encoding="utf-8"
    )
    assert load_config(tmp_path).site.title == "Ops board"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"thresholds": {"stale_hour": 3}}, "unknown key 'stale_hour'"),
        ({"thresholds": {"stale_hours": "6"}}, "expected int"),
        ({"rules": {"stale-claim": "fatal"}}, "expected error, warning, info or off"),
        ({"colour": "blue"}, "unknown key 'colour'"),
        ({"names": "Sintra"}, "names must be a list"),
    ],
)
def test_bad_config_is_a_clear_error(data: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config(data, "statusboard.toml")


def test_bad_toml(tmp_path: Path) -> None:
    bad = tmp_path / "board.toml"
    bad.write_text("[paths\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(tmp_path, bad)
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config(tmp_path, tmp_path / "missing.toml")
