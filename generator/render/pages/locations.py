"""Where a finding is shown: the message card, scoreboard row or task it is about, else its
source line on the code host. The overview and the lint report link every finding through it."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import Finding
from generator.render.pages.inboxes import RecipientView
from generator.render.pages.scoreboard import SessionView
from generator.render.pages.urls import SourceLinks
from generator.render.tasks import TaskPages


@dataclass(frozen=True, slots=True)
class Where:
    """A finding's place: a page of the site (with an anchor) or a URL on the code host."""

    kind: str  # `message`, `session`, `task`, `source`, or `` (no link)
    page: str | None = None
    anchor: str | None = None
    url: str | None = None


class Locations:
    """Finds the page that shows each finding, by the finding's identity (the same objects the
    views hold), once for the whole site."""

    def __init__(
        self,
        recipients: list[RecipientView],
        sessions: list[SessionView],
        tasks: TaskPages,
        links: SourceLinks,
    ) -> None:
        self.links = links
        self._by: dict[int, Where] = {}
        for r in recipients:
            for v in r.messages:
                for f in v.findings:
                    self._by.setdefault(id(f), Where("message", v.archive, v.anchor))
        for i, s in enumerate(sessions, start=1):
            for f in s.findings:
                self._by.setdefault(id(f), Where("session", "scoreboard.md", f"session-{i}"))
        # Every task of every tracker, a second copy of an id included (its own anchor).
        for tracker in tasks.trackers:
            for tv in tracker.tasks:
                for f in tv.findings:
                    self._by.setdefault(id(f), Where("task", tv.page, tv.anchor))

    def of(self, f: Finding) -> Where:
        found = self._by.get(id(f))
        if found is not None:
            return found
        url = self.links.url(f.path, f.line)
        return Where("source", url=url) if url else Where("")
