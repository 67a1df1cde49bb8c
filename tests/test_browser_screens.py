"""The first screen in a real browser: screenshots of the demo board and of an empty board, and
the overview's first 900 pixels holding what waits on the person, the stale session and the top
error; the lint table's filters and the inbox filter working without a server.

Screenshots of the overview, scoreboard, an inbox and the lint report — desktop 1440×900 and
phone 390×844, light and dark — go to test-artifacts/screenshots/first-screen/ (or under
STATUSBOARD_SCREENSHOTS). Skipped, saying why, without Chromium or Playwright; with
STATUSBOARD_REQUIRE_BROWSER=1 (CI) that fails instead.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.timeutil import parse_now
from tests.conftest import GitRepo

ROOT = Path(__file__).resolve().parent.parent
BUILD = "2026-06-05T12:00Z"
SEEN_AT = parse_now(BUILD) + timedelta(minutes=1)
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
VIEWPORTS = {"desktop": (1440, 900), "phone": (390, 844)}
SCHEMES = ("light", "dark")
PAGES = {
    "demo": ("index.html", "scoreboard.html", "inboxes/sA.html", "lint/index.html"),
    "empty": ("index.html", "scoreboard.html", "inboxes/index.html", "lint/index.html"),
}


def _chromium() -> str | None:
    candidates = [os.environ.get("STATUSBOARD_CHROMIUM"), "/usr/bin/chromium"]
    candidates += [shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")]
    return next((c for c in candidates if c and Path(c).is_file()), None)


def _unavailable(reason: str) -> None:
    if os.environ.get("STATUSBOARD_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests are required here but cannot run: {reason}")
    pytest.skip(reason)


def _shots() -> Path:
    base = os.environ.get("STATUSBOARD_SCREENSHOTS") or ROOT / "test-artifacts" / "screenshots"
    folder = Path(base) / "first-screen"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    if executable is None:
        _unavailable("no Chromium found (/usr/bin/chromium; apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The demo board and an empty board (a repository with no blackboard), each served."""
    base = tmp_path_factory.mktemp("first-screen")
    demo = base / "demo"
    assert main(["demo", "-o", str(demo), "--now", BUILD]) == 0
    (base / "repo").mkdir()
    repo = GitRepo(base / "repo")
    repo.write("README.md", "# app\n")
    repo.commit("init", at=parse_now("2026-06-05T09:00Z"))
    empty = base / "empty"
    assert main(["build", str(repo.root), "-o", str(empty), "--now", BUILD, "-q"]) == 0
    servers, urls = [], {}
    for name, folder in (("demo", demo), ("empty", empty)):
        handler = functools.partial(_Quiet, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        urls[name] = f"http://127.0.0.1:{server.server_port}/"
    yield urls
    for server in servers:
        server.shutdown()
        server.server_close()


def _page(browser: Any, viewport: str, scheme: str) -> Any:
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    page = context.new_page()
    page.clock.set_fixed_time(SEEN_AT)
    return page


@pytest.mark.parametrize("board", sorted(PAGES))
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("scheme", SCHEMES)
def test_screenshots(
    browser: Any, sites: dict[str, str], board: str, viewport: str, scheme: str
) -> None:
    page = _page(browser, viewport, scheme)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        for path in PAGES[board]:
            page.goto(sites[board] + path)
            page.wait_for_load_state("load")
            name = path.removesuffix(".html").replace("/", "-")
            page.screenshot(path=str(_shots() / f"{board}-{name}-{viewport}-{scheme}.png"))
            # Readable on a phone: nothing wider than the screen but the tables' own scrollers.
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= VIEWPORTS[viewport][0], (path, overflow)
    finally:
        page.context.close()
    assert errors == []


def _bottom(page: Any, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return float(box["y"] + box["height"])


def test_the_first_900_pixels_hold_the_waiting_items_the_stale_session_and_the_top_error(
    browser: Any, sites: dict[str, str]
) -> None:
    page = _page(browser, "desktop", "light")
    try:
        page.goto(sites["demo"] + "index.html")
        page.wait_for_load_state("load")
        needs = page.locator("[data-sb-need]")
        assert needs.count() >= 3
        for i in range(needs.count()):
            box = needs.nth(i).bounding_box()
            assert box is not None and box["y"] + box["height"] <= 900, (i, box)
        assert _bottom(page, 'tr[data-sb-liveness][data-state="stale"]') <= 900
        assert _bottom(page, '[data-sb-finding="error"]') <= 900
        page.screenshot(path=str(_shots() / "demo-overview-first-screen.png"))
    finally:
        page.context.close()


def test_the_browser_reorders_sessions_and_recounts_who_needs_you(
    browser: Any, sites: dict[str, str]
) -> None:
    page = _page(browser, "desktop", "light")
    try:
        page.goto(sites["demo"] + "index.html")
        page.wait_for_load_state("load")
        items = page.locator("[data-sb-need]").count()
        assert page.title().startswith(f"({items + 1}) Overview")  # one stale session
        page.clock.set_fixed_time(SEEN_AT + timedelta(days=1))  # a day on: all three stale
        page.reload()
        page.wait_for_load_state("load")
        assert page.title().startswith(f"({items + 3}) Overview")
        states = page.locator("tbody[data-sb-sort-sessions] tr").evaluate_all(
            "rows => rows.map(r => r.getAttribute('data-state'))"
        )
        assert states == ["stale"] * 3
        assert page.locator("[data-sb-needs-count]").inner_text() == str(items + 3)
    finally:
        page.context.close()


def test_the_lint_table_filters_by_severity_and_groups_by_file(
    browser: Any, sites: dict[str, str]
) -> None:
    page = _page(browser, "desktop", "light")
    try:
        page.goto(sites["demo"] + "lint/index.html")
        page.wait_for_load_state("load")
        errors = page.locator('tr[data-sb-finding][data-severity="error"]')
        assert errors.count() > 0 and errors.first.is_visible()
        page.locator('input[name="severity"][value="error"]').uncheck()
        assert not any(errors.nth(i).is_visible() for i in range(errors.count()))
        page.locator('input[name="group"][value="file"]').check()
        assert page.locator('tr.sb-grouprow[id^="file-"]:visible').count() > 0
        assert page.locator('tr.sb-grouprow[id^="rule-"]:visible').count() == 0
    finally:
        page.context.close()


def test_the_waiting_banner_filters_the_inbox(browser: Any, sites: dict[str, str]) -> None:
    page = _page(browser, "desktop", "light")
    try:
        page.goto(sites["demo"] + "inboxes/sA.html")
        page.wait_for_load_state("load")
        page.locator("[data-sb-show]").click()
        shown = page.locator("article[data-sb-msg]:visible")
        states = shown.evaluate_all("cards => cards.map(c => c.getAttribute('data-sb-msg'))")
        assert states and set(states) == {"waiting"}
        assert page.title().startswith("Inbox of sA")
    finally:
        page.context.close()
