"""Every count and timestamp the site shows agrees with status.json (one source: status_document)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main

NOW = "2026-06-05T12:00Z"


class _Collector(HTMLParser):
    """The overview cards, the scoreboard rows, and every message article with its first time."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: dict[str, str] = {}
        self.last_seen: list[str] = []
        self.articles: dict[str, str | None] = {}
        self._field: str | None = None
        self._label: str | None = None
        self._article: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if "sb-card__label" in classes:
            self._field = "label"
        elif "sb-card__value" in classes:
            self._field = "value"
        if tag == "tr" and "data-last-seen" in a:
            self.last_seen.append(a["data-last-seen"] or "")
        if tag == "article" and "sb-msg" in classes and a.get("id"):
            self._article = a["id"]
            self.articles[self._article] = None
        if tag == "time" and self._article and self.articles[self._article] is None:
            self.articles[self._article] = a.get("datetime")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._article = None

    def handle_data(self, data: str) -> None:
        if self._field == "label":
            self._label = data.strip().lower()
        elif self._field == "value" and self._label:
            self.cards[self._label] = data.strip()
        self._field = None


def _collect(page: Path) -> _Collector:
    parser = _Collector()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("agree") / "site"
    assert main(["demo", "-o", str(out), "--now", NOW]) == 0
    return out, json.loads((out / "status.json").read_text(encoding="utf-8"))


def test_overview_counts_are_status_counts(site: tuple[Path, dict[str, Any]]) -> None:
    out, status = site
    cards = _collect(out / "index.html").cards
    assert cards["sessions"] == str(status["counts"]["sessions"]["total"])
    assert cards["waiting for an ack"] == str(status["counts"]["messages"]["waiting"])
    assert cards["lint findings"] == str(status["findings"]["total"])
    assert cards["tasks"] == str(len(status["tasks"]))


def test_scoreboard_last_seen_is_status_last_seen(site: tuple[Path, dict[str, Any]]) -> None:
    out, status = site
    shown = _collect(out / "scoreboard.html").last_seen
    assert sorted(shown) == sorted(s["last_seen"] for s in status["sessions"] if s["last_seen"])


def test_every_message_on_its_permanent_page_with_its_time(
    site: tuple[Path, dict[str, Any]],
) -> None:
    out, status = site
    pages: dict[Path, _Collector] = {}
    for message in status["messages"]:
        month = message["at"][:7] if message["at"] else "undated"
        page = out / "inboxes" / message["queue"] / f"{month}.html"
        assert page.is_file(), (message["id"], page)
        collected = pages.setdefault(page, _collect(page))
        anchor = message["anchor"]
        assert anchor in collected.articles, (message["id"], page.name)
        if message["at"]:
            assert collected.articles[anchor] == message["at"], message["id"]
    total = sum(len(c.articles) for c in pages.values())
    assert total == len(status["messages"])  # each message exactly once on the archive pages


def test_lint_page_lists_every_finding(site: tuple[Path, dict[str, Any]]) -> None:
    out, _ = site
    lint = json.loads((out / "lint.json").read_text(encoding="utf-8"))
    page = (out / "lint" / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", page)
    for finding in lint:
        assert finding["rule"] in page
        if finding["line"] is not None:
            assert f"{finding['path']}:{finding['line']}" in text, finding
