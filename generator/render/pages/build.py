"""`build_pages`: every page of the site, its assets and its nav, from one Result."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from generator.render.activity import activity_context, coding_links
from generator.render.fragments import FragmentCache
from generator.render.markdown import render_inline, render_markdown
from generator.render.outputs import status_document
from generator.render.pages.common import LIVENESS_ORDER, SEVERITIES, FindingIndex, NavItem, Site
from generator.render.pages.docs_nav import shipped_docs
from generator.render.pages.inboxes import (
    INDEX,
    Fragments,
    RecipientView,
    newest_first,
    recipient_views,
    render_inboxes,
    waiting_messages,
)
from generator.render.pages.lint import render_lint, rule_views
from generator.render.pages.locations import Locations
from generator.render.pages.overview import render_overview
from generator.render.pages.scoreboard import render_scoreboard, session_views
from generator.render.pages.templating import ago_plain, ago_text, environment
from generator.render.pages.urls import root_file, source_links, url_from
from generator.render.repo_docs import with_repo_docs
from generator.render.tasks import build_task_pages, page_context, ref_links
from generator.resources import docs_dir, templates_dir
from generator.result import Result

ASSETS = ("statusboard.css", "statusboard.js")
TUTORIAL = "docs/tutorial/two-sessions.md"
ONBOARD = "docs/how-to/onboard.md"


def build_pages(
    result: Result,
    *,
    directory_urls: bool = False,
    include_docs: bool = True,
    fragments: FragmentCache | None = None,
    status: dict[str, Any] | None = None,
    keep: Callable[[str, str], str] | None = None,
    views: list[RecipientView] | None = None,
) -> Site:
    """Every page of the site, its assets and its nav, from one Result. Writes nothing but the
    render cache: message cards come from and go to `fragments`, each page's saved and let go as
    soon as the page is rendered (the caller saves the rest).

    `status` is `status_document(result)` when the caller has it already. `keep(path, text)`,
    when given, is what the site keeps of each generated page, as soon as it is rendered (the
    build holds its HTML back on disk: not every page's HTML in memory at once). `views` is
    `inbox_views(result)` when the caller has it already (the build shares it with the feeds).
    """
    links = source_links(result)
    recipients = (
        views
        if views is not None
        else recipient_views(result, links.repo, FindingIndex(result.findings))
    )
    messages = [m for r in recipients for m in r.messages]
    sessions = session_views(result, recipients)
    env = environment(fragments.templates if fragments is not None else None)
    md_block, md_inline = render_markdown, render_inline
    if fragments is not None:  # rule docs and findings, the same text from build to build
        markdown = fragments.markdown()
        md_block, md_inline = markdown.block, markdown.inline
        env.filters.update(md=md_block, md_inline=md_inline)
    if status is None:
        status = status_document(result)
    pages: dict[str, str] = {}
    board = result.board
    show_tasks = bool(board.trackers)
    show_agents = bool(
        board.agents
        or board.roster_path
        or board.call_sources
        or board.chats
        or board.claude_sessions
        or board.mail is not None
        # beads agent beads (`issue_type: agent`) are agents of their own
        or any(t.type == "agent" for tr in board.trackers if tr.kind == "beads" for t in tr.tasks)
    )
    common: dict[str, Any] = {
        "show_tasks": show_tasks,
        # The shipped guides an empty state links (none when the docs are left out).
        "guides": {"tutorial": TUTORIAL, "onboard": ONBOARD} if include_docs else {},
        "show_agents": show_agents,
        "now": result.now,
        "site": result.config.site,
        "thresholds": result.config.thresholds,
        "repo": links.repo,
        "liveness_order": [s.value for s in LIVENESS_ORDER],
        "severities": [s.value for s in SEVERITIES],
        "source_url": links.url,
        "ago_text": partial(ago_text, result.now),
        "ago_plain": partial(ago_plain, result.now),
        "newest_first": newest_first,
        # Claude Code sessions working for each claim row (scoreboard rows and inboxes link them)
        "coding_links": coding_links(result.board),
    }
    # Trackers, roster and agent calls: the Tasks and Agents pages, and links into them.
    task_pages = build_task_pages(result, messages)
    common["ref_tasks"] = ref_links(task_pages)

    def render(template: str, path: str, **context: Any) -> None:
        url: Callable[..., str] = partial(url_from, path, directory_urls)
        root: Callable[[str], str] = partial(root_file, path, directory_urls)
        text = env.get_template(template).render(
            **common, **context, page=path, url=url, root_file=root
        )
        pages[path] = text if keep is None else keep(path, text)
        if fragments is not None:  # its cards are in the page now
            fragments.release(path)

    def cached(path: str) -> Fragments:
        url: Callable[..., str] = partial(url_from, path, directory_urls)
        page = fragments.page(path) if fragments is not None else None
        thresholds = result.config.thresholds
        return Fragments(
            links, thresholds, env, path, url, directory_urls, common["ref_tasks"], page
        )

    waiting = waiting_messages(messages, result.now)
    locations = Locations(recipients, sessions, task_pages, links)
    render_overview(
        render,
        result,
        status,
        links.repo,
        sessions,
        recipients,
        waiting,
        task_pages,
        locations,
        include_docs,
    )
    render_scoreboard(render, result, sessions, task_pages, md_block)
    render_inboxes(render, result, recipients, waiting, cached)

    # A tab only for sources the repository has: a young board shows no empty Tasks or Agents.
    task_context = page_context(result, task_pages)
    if show_tasks:
        counts = status["counts"]["tasks"]
        render("tasks.md.j2", "tasks/index.md", task_counts=counts, **task_context)
        for tracker in task_pages.trackers:
            render("tracker.md.j2", tracker.page, tv=tracker)
    if show_agents:
        render("agents.md.j2", "agents.md", **task_context, **activity_context(result))

    rules = rule_views(result)
    onboard = "docs/how-to/onboard.md" if include_docs else None
    render_lint(render, result, rules, status, locations, md_block, md_inline, onboard)

    files = {f"assets/{name}": (templates_dir() / "assets" / name).read_bytes() for name in ASSETS}
    nav: list[NavItem] = [
        {"Overview": "index.md"},
        {"Scoreboard": "scoreboard.md"},
        # The index only: a nav listing every inbox would be on every page, so the site would
        # grow with the square of the number of recipients. The index links each inbox, and each
        # inbox its monthly archives.
        {"Inboxes": [INDEX]},
        *(
            [{"Tasks": ["tasks/index.md", *({t.title: t.page} for t in task_pages.trackers)]}]
            if show_tasks
            else []
        ),
        *([{"Agents": "agents.md"}] if show_agents else []),
        {
            "Lint": [
                "lint/index.md",
                {"Rules": ["rules/index.md", *({rv.rule.name: rv.page} for rv in rules)]},
            ]
        },
    ]
    if include_docs:
        # The repository's own Diátaxis documents beside (or instead of) the shipped ones.
        doc_pages, doc_files, doc_nav = with_repo_docs(
            result, shipped_docs(docs_dir()), directory_urls
        )
        pages.update(doc_pages)
        files.update(doc_files)
        if doc_nav:
            nav.append({"Docs": doc_nav})
    return Site(pages, files, nav)
