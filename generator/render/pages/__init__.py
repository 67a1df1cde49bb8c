"""The site's pages as {path: markdown} plus a mkdocs nav, built from a pipeline Result.

Pure: nothing here writes (the mkdocs plugin reuses it). Every page is fixed markdown headings
around raw HTML blocks rendered by autoescaping Jinja2 templates, so board text can never be read
as markdown or HTML by Python-Markdown. Each page's view model sits in the module named after its
template: `overview` (index.md.j2), `scoreboard`, `inboxes` (inbox.md.j2, inboxes_index.md.j2),
`lint` (lint.md.j2 and the rule pages); `urls` makes links, `docs_nav` the shipped docs' pages and
nav, and `build` puts the site together. The nav names the inbox index, never each inbox, so no
page's size grows with the recipients.
"""

from generator.render.pages.build import ASSETS, build_pages
from generator.render.pages.common import LIVENESS_ORDER, SEVERITIES, NavItem, Site
from generator.render.pages.docs_nav import docs_nav_file, prefix_nav
from generator.render.pages.inboxes import (
    MessageView,
    RecipientView,
    Step,
    card_key,
    inbox_views,
    newest_first,
    row_key,
)
from generator.render.pages.lint import RuleView
from generator.render.pages.scoreboard import STANDARD_COLUMNS, SessionView
from generator.render.pages.templating import environment
from generator.render.pages.urls import page_url, relative_url, site_repo_url

__all__ = [
    "ASSETS",
    "LIVENESS_ORDER",
    "SEVERITIES",
    "STANDARD_COLUMNS",
    "MessageView",
    "NavItem",
    "RecipientView",
    "RuleView",
    "SessionView",
    "Site",
    "Step",
    "build_pages",
    "card_key",
    "docs_nav_file",
    "environment",
    "inbox_views",
    "newest_first",
    "page_url",
    "prefix_nav",
    "relative_url",
    "row_key",
    "site_repo_url",
]
