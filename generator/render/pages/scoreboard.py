"""The claim scoreboard page (scoreboard.md.j2): each claim row with its analysis and links."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from generator.analysis import SessionState
from generator.model import ClaimRow, Finding
from generator.render.activity import activity_context
from generator.render.pages.common import Render, findings_in
from generator.render.pages.inboxes import RecipientView
from generator.render.tasks import TaskPages, row_task_links
from generator.render.timeline import claims_timeline
from generator.result import Result

STANDARD_COLUMNS = ("session", "task", "worktree", "claimed", "presence", "scope")


@dataclass(slots=True)
class SessionView:
    """A claim row with its analysis, overlaps and inbox links."""

    state: SessionState
    label: str
    extras: list[str]  # cell per extra column, aligned with the scoreboard's extra headers
    inboxes: list[RecipientView]
    overlaps: dict[str, list[str]]  # claimed path -> labels of other sessions that overlap it
    findings: list[Finding]

    @property
    def row(self) -> ClaimRow:
        return self.state.row

    @property
    def scope_note(self) -> str:
        """The Scope cell when it says more than the claimed paths shown beside it, else ''."""
        rest = self.row.scope
        for p in self.row.paths:
            rest = rest.replace(f"`{p}`", "")
        return self.row.scope if re.search(r"\w", rest) else ""


def extra_headers(result: Result) -> list[str]:
    """The scoreboard's columns beyond the standard ones, shown as they are."""
    header = result.board.scoreboard.header
    return [h for h in header if h.strip().lower() not in STANDARD_COLUMNS]


def session_views(result: Result, recipients: list[RecipientView]) -> list[SessionView]:
    """Every claim row in file order, with the inboxes of its session."""
    ctx = result.context
    by_session: dict[str, list[RecipientView]] = defaultdict(list)
    for r in recipients:
        if r.session is not None and r.session.id:
            by_session[r.session.id].append(r)
    headers = extra_headers(result)
    views = []
    for state in ctx.sessions:
        row = state.row
        # The scope-overlap rule's pairs: the page shows exactly the overlaps lint reports.
        overlaps: dict[str, list[str]] = {}
        for p, other in ctx.overlaps_of(state):
            overlaps.setdefault(p, []).append(other.row.label)
        cells = {h.strip().lower(): c for h, c in row.cells}
        extras = [cells.get(h.strip().lower(), "") for h in headers]
        line = row.source.line or 0
        views.append(
            SessionView(
                state=state,
                label=row.label,
                extras=extras,
                inboxes=by_session.get(state.id or "", []),
                overlaps=overlaps,
                findings=findings_in(result.findings, row.source.path, line, line),
            )
        )
    return views


def render_scoreboard(
    render: Render,
    result: Result,
    sessions: list[SessionView],
    task_pages: TaskPages,
    md_block: Callable[..., Markup],
) -> None:
    """scoreboard.md: the claim table, its timeline, leases, and the file's prose as written."""
    scoreboard = result.board.scoreboard
    render(
        "scoreboard.md.j2",
        "scoreboard.md",
        scoreboard=scoreboard,
        task_links=row_task_links(result, task_pages),
        sessions=sessions,
        timeline=claims_timeline(result),
        leases=activity_context(result)["leases"],
        extra_headers=extra_headers(result),
        prose=[(blk, md_block(blk.text, heading_offset=1)) for blk in scoreboard.prose],
        unparsed=[
            (
                blk,
                findings_in(
                    result.findings, blk.source.path, blk.source.line or 0, blk.source.line or 0
                ),
            )
            for blk in scoreboard.unparsed
        ],
    )
