"""The demo site in a real browser: liveness under a controlled clock, search, permalinks, the
dependency graph, no console errors, and a screenshot of every main page.

Drives Debian's Chromium (or the browser named by STATUSBOARD_CHROMIUM) through Playwright, against
the site served on 127.0.0.1. Skipped, saying why, when there is no browser; with
STATUSBOARD_REQUIRE_BROWSER=1 (CI) a missing browser fails instead. Screenshots go to
test-artifacts/screenshots/ (or STATUSBOARD_SCREENSHOTS).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from generator.cli import main
from generator.serve import SiteServer, bind

ROOT = Path(__file__).resolve().parent.parent
BUILD = datetime(2026, 6, 5, 12, 0, tzinfo=UTC)
BUILD_ARG = "2026-06-05T12:00Z"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MAIN_PAGES = (
    "index.html",
    "scoreboard.html",
    "inboxes/index.html",
    "inboxes/sA.html",
    "inboxes/all.html",
    "lint/index.html",
    "rules/index.html",
    "rules/stale-claim.html",
    "docs/index.html",
    "docs/tutorial/two-sessions.html",
    "docs/reference/rules.html",
    # Pages other issues add; screenshotted and checked when they exist.
    "tasks/index.html",
    "tasks/riff.html",
    "tasks/bass.html",
    "tasks/backlog.html",
    "agents.html",
)


def _chromium() -> str | None:
    candidates = [os.environ.get("STATUSBOARD_CHROMIUM"), "/usr/bin/chromium"]
    candidates += [shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")]
    return next((c for c in candidates if c and Path(c).is_file()), None)


def _unavailable(reason: str) -> None:
    if os.environ.get("STATUSBOARD_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests are required here but cannot run: {reason}")
    pytest.skip(reason)


def _serve(folder: Path) -> tuple[SiteServer, str]:
    """The site on 127.0.0.1, on a free port, by the server `statusboard serve` uses."""
    server = bind(folder, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    assert main(["demo", "-o", str(out), "--now", BUILD_ARG]) == 0
    return out


@pytest.fixture(scope="module")
def base_url(demo_site: Path) -> Iterator[str]:
    server, url = _serve(demo_site)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    if executable is None:
        _unavailable("no Chromium found (/usr/bin/chromium; .ci/run installs Debian's chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=ARGS)
        yield b
        b.close()


@dataclass
class Watched:
    """A page and what went wrong on it: console errors, script errors, failed or foreign requests."""

    page: Any
    problems: list[str] = field(default_factory=list)


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    w = Watched(page)

    def route(r: Any) -> None:
        # A published board talks to nobody but its own host.
        if urlparse(r.request.url).hostname != "127.0.0.1":
            w.problems.append(f"request to a third party: {r.request.url}")
            r.abort()
        else:
            r.continue_()

    context.route("**/*", route)
    page.on(
        "console",
        lambda m: w.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: w.problems.append(f"script error: {e}"))

    def failed(r: Any) -> None:
        # A request the browser cancels because the test navigates on (the search worker still
        # loading from the previous visit) is not a fault of the page; anything else is.
        if r.failure != "net::ERR_ABORTED":
            w.problems.append(f"request failed: {r.url} ({r.failure})")

    page.on("requestfailed", failed)
    page.on(
        "response",
        lambda r: w.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
    )
    yield w
    context.close()


# --- the liveness check, kept separate so the sabotage test can prove it catches a broken page ---


def states_at(page: Any, url: str, when: datetime) -> dict[str, str]:
    """The liveness state the Scoreboard shows per session, with the browser's clock at `when`."""
    page.clock.set_fixed_time(when)
    page.goto(url + "scoreboard.html")
    page.wait_for_load_state("load")
    rows = page.locator("tr[data-sb-liveness]")
    out: dict[str, str] = {}
    for i in range(rows.count()):
        row = rows.nth(i)
        session = row.locator("td strong").first.inner_text().split("·")[0].strip()
        out[session] = row.locator("[data-sb-state]").inner_text().strip().lower()
    return out


def check_liveness(page: Any, url: str, when: datetime, expected: dict[str, str]) -> None:
    actual = states_at(page, url, when)
    assert actual == expected, f"at {when:%Y-%m-%d %H:%M}Z the Scoreboard shows {actual}"


def _build_states(site: Path) -> dict[str, str]:
    status = json.loads((site / "status.json").read_text(encoding="utf-8"))
    return {s["id"]: s["liveness"] for s in status["sessions"]}


def test_scoreboard_shows_the_builds_states_at_build_time(
    watched: Watched, base_url: str, demo_site: Path
) -> None:
    expected = _build_states(demo_site)
    assert sorted(expected.values()) == ["idle", "live", "stale"]
    check_liveness(watched.page, base_url, BUILD + timedelta(minutes=1), expected)
    assert watched.problems == []


def test_scoreboard_recomputes_liveness_hours_after_the_build(
    watched: Watched, base_url: str, demo_site: Path
) -> None:
    build_states = _build_states(demo_site)
    live = next(s for s, state in build_states.items() if state == "live")
    idle = next(s for s, state in build_states.items() if state == "idle")
    # Three hours on, the live session (seen 11:41) is idle and the idle one (08:55) is stale.
    later = {**build_states, live: "idle", idle: "stale"}
    check_liveness(watched.page, base_url, BUILD + timedelta(hours=3), later)
    # A day on, everyone is stale; the ages say so too.
    check_liveness(
        watched.page, base_url, BUILD + timedelta(days=1), dict.fromkeys(build_states, "stale")
    )
    ages = watched.page.locator("tr[data-sb-liveness] [data-sb-age]").all_inner_texts()
    assert ages and all(" d " in a or a.endswith(" d ago") for a in ages), ages
    assert watched.problems == []


def test_an_open_page_refreshes_itself_as_time_passes(watched: Watched, base_url: str) -> None:
    page = watched.page
    page.clock.install(time=BUILD)
    page.goto(base_url + "scoreboard.html")
    live_row = page.locator("tr[data-state='live']")
    assert live_row.count() == 1
    page.clock.fast_forward("02:00:00")  # the 30 s refresh fires: nobody is live two hours on
    page.wait_for_function("document.querySelectorAll(\"tr[data-state='live']\").length === 0")
    assert watched.problems == []


def test_without_javascript_the_builds_states_remain(
    browser: Any, base_url: str, demo_site: Path
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + "scoreboard.html")
        shown = page.locator("tr[data-sb-liveness] [data-sb-state]").all_inner_texts()
        assert sorted(s.strip().lower() for s in shown) == sorted(_build_states(demo_site).values())
    finally:
        context.close()


def test_search_finds_a_message(watched: Watched, base_url: str) -> None:
    page = watched.page
    page.goto(base_url + "index.html")
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("standup")  # typed, as Material's search listens to key events
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15000)
    hrefs = [
        results.nth(i).locator("a").first.get_attribute("href") or ""
        for i in range(results.count())
    ]
    assert any("inboxes/" in h for h in hrefs), hrefs
    assert "standup" in page.locator(".md-search-result").inner_text().lower()
    assert watched.problems == []


def test_a_message_permalink_lands_on_the_message(
    watched: Watched, base_url: str, demo_site: Path
) -> None:
    status = json.loads((demo_site / "status.json").read_text(encoding="utf-8"))
    june = [
        m for m in status["messages"] if m["queue"] == "sA" and (m["at"] or "")[:7] == "2026-06"
    ]
    target = june[len(june) // 2]  # mid-page: reaching it takes a scroll
    page = watched.page
    page.goto(f"{base_url}inboxes/sA/2026-06.html#{target['anchor']}")
    element = page.locator(f"#{target['anchor']}")
    assert element.count() == 1
    box = element.evaluate(
        "e => { const r = e.getBoundingClientRect(); return [r.top, window.innerHeight, scrollY]; }"
    )
    top, height, scrolled = box
    assert scrolled > 0, "the page did not scroll to the message"
    assert 0 <= top < height / 3, f"the message is not at the top of the view (top {top})"
    # The card's own permalink is the same anchor.
    assert (
        element.locator(f"a[href='#{target['anchor']}']").count() >= 1
        or page.locator(f"a[href='#{target['anchor']}']").count() >= 1
    )
    assert watched.problems == []


def test_dependency_graph_renders(watched: Watched, base_url: str, demo_site: Path) -> None:
    graphs = [
        p
        for p in sorted(demo_site.rglob("*.html"))
        if re.search(r'class="(?:sb-graph|mermaid)"', p.read_text(encoding="utf-8"))
    ]
    if not graphs:
        pytest.skip("no page with a dependency graph yet (the Tasks pages of issue 4)")
    page = watched.page
    for graph_page in graphs:
        page.goto(base_url + graph_page.relative_to(demo_site).as_posix())
        svg = page.locator(".sb-graph svg, .mermaid svg").first
        svg.wait_for(timeout=15000)  # inline SVG at once; mermaid once its script has drawn it
        svg.scroll_into_view_if_needed()
        box = svg.bounding_box()
        assert box is not None and box["width"] > 50 and box["height"] > 20, graph_page.name
        assert svg.locator("path, line, polyline").count() > 0, f"{graph_page.name}: no edges"
        assert svg.locator("text").count() > 0, f"{graph_page.name}: no labels"
    assert watched.problems == []


def _screenshot_dir() -> Path:
    folder = Path(
        os.environ.get("STATUSBOARD_SCREENSHOTS") or ROOT / "test-artifacts" / "screenshots"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("page_path", MAIN_PAGES)
def test_main_page_has_no_errors_and_is_screenshotted(
    watched: Watched, base_url: str, demo_site: Path, page_path: str
) -> None:
    if not (demo_site / page_path).is_file():
        pytest.skip(f"{page_path} is not part of the site (yet)")
    page = watched.page
    page.clock.set_fixed_time(BUILD + timedelta(minutes=5))
    page.goto(base_url + page_path)
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").count() >= 1
    shot = _screenshot_dir() / (page_path.replace("/", "_").removesuffix(".html") + ".png")
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    assert watched.problems == [], watched.problems


# --- proof that the checks above catch a broken page ---------------------------------------------


@pytest.fixture
def sabotaged(demo_site: Path, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    copy = tmp_path / "site"
    shutil.copytree(demo_site, copy)
    server, url = _serve(copy)
    yield copy, url
    server.shutdown()
    server.server_close()


def test_the_liveness_check_fails_when_the_script_is_broken(
    watched: Watched, sabotaged: tuple[Path, str], demo_site: Path
) -> None:
    copy, url = sabotaged
    build_states = _build_states(demo_site)
    later = {s: ("idle" if v == "live" else "stale") for s, v in build_states.items()}
    check_liveness(watched.page, url, BUILD + timedelta(hours=3), later)  # intact: passes
    # Sabotage: the script never recomputes, so the page keeps the build's states forever.
    (copy / "assets" / "statusboard.js").write_text("/* broken */\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="the Scoreboard shows"):
        check_liveness(watched.page, url, BUILD + timedelta(hours=3), later)


def test_the_error_check_fails_when_a_script_throws(
    watched: Watched, sabotaged: tuple[Path, str]
) -> None:
    copy, url = sabotaged
    script = copy / "assets" / "statusboard.js"
    script.write_text(
        script.read_text(encoding="utf-8").replace(
            "function update() {", "function update() { null.x;"
        ),
        encoding="utf-8",
    )
    watched.page.goto(url + "scoreboard.html")
    watched.page.wait_for_load_state("networkidle")
    assert any(p.startswith("script error") for p in watched.problems), watched.problems


# --- no third-party request, and hostile text stays text (issue 8) -------------------------------

# The pages a reader opens, on a demo board with a repository URL configured and a message whose
# body embeds an external image: none may make a request beyond the site's own host.
PRIVATE_PAGES = (
    "index.html",
    "scoreboard.html",
    "inboxes/sA.html",
    "tasks/index.html",
    "agents.html",
    "lint/index.html",
    "docs/index.html",
    "rules/stale-claim.html",
)
PIXEL = "https://tracker.example/pixel.gif"


@pytest.fixture(scope="module")
def private_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    from generator.demo.builder import build_demo_repo
    from tests.conftest import GitRepo

    root = tmp_path_factory.mktemp("private")
    repo_root = build_demo_repo(root / "repo", BUILD)
    repo = GitRepo(repo_root)  # (re-initialising a repository keeps its history)
    config = (repo_root / "statusboard.toml").read_text(encoding="utf-8")
    assert "[site]\n" in config
    repo.write(
        "statusboard.toml",
        config.replace("[site]\n", '[site]\nrepo_url = "https://github.com/acme/po-platform"\n'),
    )
    repo.append(
        "docs/ai/sessions/queue/to-sA.md",
        "\n## 2026-06-05T11:30Z · from:sB · to:sA · type:info · status:sent\n\n"
        f"The chart: ![build times]({PIXEL})\n",
    )
    repo.commit("[sB] a message with an image", at=BUILD - timedelta(minutes=20), author="sB")
    out = root / "site"
    assert main(["build", str(repo_root), "-o", str(out), "--now", BUILD_ARG]) in (0, 1)
    server, url = _serve(out)
    yield out, url
    server.shutdown()
    server.server_close()


def requests_of(context: Any, url: str, pages: tuple[str, ...]) -> dict[str, list[str]]:
    """Every request each page makes (load, scripts, network idle), by page."""
    seen: dict[str, list[str]] = {}
    for path in pages:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r, into=requests: into.append(r.url))
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)  # a widget may ask for its data only after load
        page.close()
        seen[path] = requests
    return seen


def _foreign(seen: dict[str, list[str]]) -> list[str]:
    return [
        f"{path}: {u}"
        for path, urls in seen.items()
        for u in urls
        if urlparse(u).scheme not in ("data", "blob") and urlparse(u).hostname != "127.0.0.1"
    ]


def _offline_context(browser: Any) -> Any:
    """A context in which a request to another host is recorded but never leaves the machine."""
    context = browser.new_context()
    context.route(
        "**/*",
        lambda r: r.continue_() if urlparse(r.request.url).hostname == "127.0.0.1" else r.abort(),
    )
    return context


def test_no_page_makes_a_third_party_request(browser: Any, private_site: tuple[Path, str]) -> None:
    site, url = private_site
    inbox = (site / "inboxes" / "sA.html").read_text(encoding="utf-8")
    assert PIXEL in inbox, "the message with the image is not on the inbox page"
    assert "github.com/acme/po-platform" in (site / "index.html").read_text(encoding="utf-8")
    context = _offline_context(browser)
    try:
        seen = requests_of(context, url, PRIVATE_PAGES)
    finally:
        context.close()
    assert all(seen[p] for p in PRIVATE_PAGES), "a page made no request at all: nothing recorded"
    assert _foreign(seen) == []


def test_the_request_check_catches_an_embedded_image(
    browser: Any, private_site: tuple[Path, str], tmp_path: Path
) -> None:
    site, _ = private_site
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    page = copy / "inboxes" / "sA.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("</article>", f'<img src="{PIXEL}"></article>', 1), "utf-8")
    server, url = _serve(copy)
    context = _offline_context(browser)
    try:
        assert _foreign(requests_of(context, url, ("inboxes/sA.html",))) == [
            f"inboxes/sA.html: {PIXEL}"
        ]
    finally:
        context.close()
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.conftest import GitRepo
    from tests.test_text_safety import write_hostile_board

    root = tmp_path_factory.mktemp("hostile-browser")
    (root / "repo").mkdir()
    repo = GitRepo(root / "repo")
    write_hostile_board(repo, samples=False)
    out = root / "site"
    assert main(["build", str(repo.root), "-o", str(out), "--now", BUILD_ARG]) in (0, 1)
    server, url = _serve(out)
    yield url
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "page_path", ["index.html", "scoreboard.html", "inboxes/sA.html", "lint/index.html", "404.html"]
)
def test_hostile_text_never_runs(browser: Any, hostile_site: str, page_path: str) -> None:
    from tests.test_text_safety import TITLE

    context = _offline_context(browser)
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    try:
        page = context.new_page()
        page.on("dialog", on_dialog)
        page.goto(hostile_site + page_path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("typeof window.sbPwned") == "undefined"
        assert page.locator("sbevil").count() == 0
        assert page.locator("img[src='x']").count() == 0
        # The title is there, as text: in the tab and in the header.
        assert "<script>window.sbPwned=1;alert(1)</script>" in page.title()
        assert "<sbevil>x</sbevil>" in page.locator(".md-header__topic").first.inner_text()
        assert TITLE.splitlines()[0][:30] in page.title()
    finally:
        context.close()
    assert dialogs == []
