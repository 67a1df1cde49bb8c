"""The page templates' Jinja2 environment: autoescaped, strict, with the safe-markdown filters."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

import jinja2
from markupsafe import Markup

from generator.render.markdown import escape_text, render_inline, render_markdown
from generator.resources import templates_dir
from generator.timeutil import human_age, iso, since_age


def _fmt_time(value: datetime | None) -> str:
    # Keyed by the offset too: equal instants in other zones compare equal but print otherwise.
    return _wall_time(value, value.utcoffset()) if value is not None else "—"


@lru_cache(maxsize=1 << 16)  # thousands of cards show the same commit times
def _wall_time(value: datetime, _offset: timedelta | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC")


def _fmt_iso(value: datetime | None) -> str:
    return iso(value) if value is not None else ""


def _fmt_age(value: timedelta | None) -> str:
    return human_age(value) if value is not None else ""


def _month_label(month: str) -> str:
    if month == "undated":
        return "Undated"
    return datetime.strptime(month, "%Y-%m").strftime("%B %Y")


def _path_break(path: str) -> Markup:
    """A path that may wrap after each `/`, never inside a name."""
    return Markup("/<wbr>").join(escape_text(part) for part in str(path).split("/"))


def ago_text(now: datetime, then: datetime) -> str:
    """`3h ago`, or `in 2h` for a time after `now`."""
    delta = now - then
    return f"in {human_age(-delta)}" if delta.total_seconds() < 0 else f"{human_age(delta)} ago"


def ago_plain(now: datetime, then: datetime | None) -> str:
    """`3h` since `then`, `in the future (2 h ahead)` after now; '' when unknown."""
    return since_age(now - then) if then is not None else ""


def environment(bytecode_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """The page templates: autoescaped, strict, with the safe-markdown filters."""
    env = jinja2.Environment(
        bytecode_cache=bytecode_cache,
        loader=jinja2.FileSystemLoader(str(templates_dir() / "pages")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Every printed value is escaped here (fences included): board text never becomes markup.
        finalize=escape_text,
    )
    env.filters.update(
        md=render_markdown,
        md_inline=render_inline,
        time=_fmt_time,
        iso=_fmt_iso,
        age=_fmt_age,
        month_label=_month_label,
        path_break=_path_break,
    )
    return env
