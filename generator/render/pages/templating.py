"""The page templates' Jinja2 environment: autoescaped, strict, with the safe-markdown filters."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

import jinja2
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Expr
from markupsafe import Markup

from generator.render.markdown import escape_text, print_text, render_inline, render_markdown
from generator.resources import templates_dir
from generator.timeutil import human_age, iso, since_age


def _fmt_time(value: datetime | None) -> str:
    # Keyed by the offset too: equal instants in other zones compare equal but print otherwise.
    return _wall_time(value, value.utcoffset()) if value is not None else "—"


@lru_cache(maxsize=1 << 16)  # thousands of cards show the same commit times
def _wall_time(value: datetime, _offset: timedelta | None) -> str:
    if value.year < 1000:  # how strftime pads such a year depends on the platform's C library
        return value.strftime("%Y-%m-%d %H:%M UTC")
    # What strftime writes, at under half its cost: most card times are printed once.
    return f"{value.year}-{value.month:02}-{value.day:02} {value.hour:02}:{value.minute:02} UTC"


def _fmt_iso(value: datetime | None) -> str:
    return iso(value) if value is not None else ""


def _fmt_age(value: timedelta | None) -> str:
    return human_age(value) if value is not None else ""


@lru_cache(maxsize=1 << 10)  # each month names every page of its archive: strptime is slow
def _month_label(month: str) -> str:
    if month == "undated":
        return "Undated"
    return datetime.strptime(month, "%Y-%m").strftime("%B %Y")


@lru_cache(maxsize=1 << 12)  # every card names its queue file, and a board has a few dozen
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


class _PrintCodeGenerator(CodeGenerator):
    """Prints `{{ value }}` as `finalize(value)` where Jinja writes `escape(finalize(value))`.

    The finalize (`print_text`) escapes already: markupsafe's `escape` around it only wrapped its
    result in a second Markup, on each of the hundreds of thousands of values a large board's
    pages print. Only with that finalize, and where autoescaping is on for certain (a template
    that switches it at run time keeps Jinja's code).
    """

    def _direct(self, frame: Frame, finalize: CodeGenerator._FinalizeInfo) -> bool:
        return (
            self.environment.finalize is print_text
            and finalize.src is not None
            and frame.eval_ctx.autoescape
            and not frame.eval_ctx.volatile
        )

    def _output_child_pre(
        self, node: Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo
    ) -> None:
        if self._direct(frame, finalize):
            self.write(str(finalize.src))
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(
        self, node: Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo
    ) -> None:
        if self._direct(frame, finalize):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)


class _Environment(jinja2.Environment):
    code_generator_class = _PrintCodeGenerator


def environment(bytecode_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """The page templates: autoescaped, strict, with the safe-markdown filters."""
    env = _Environment(
        bytecode_cache=bytecode_cache,
        loader=jinja2.FileSystemLoader(str(templates_dir() / "pages")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Every printed value is escaped here (fences included): board text never becomes markup.
        finalize=print_text,
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
