"""An order as HTML (print CSS for A4) or Markdown, from Jinja templates.

The HTML environment escapes every value; in Markdown every value is escaped
too — HTML (a Markdown viewer renders raw HTML, so a cell holding
``<script>`` would run), emphasis and link characters, control characters —
and in a table cell also pipes and line breaks.  Values are data:
Jinja never evaluates what a document says, so «{{ 7*7 }}» prints as written.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import re

from jinja2 import Environment, FunctionLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from pipeline.lang.controls import terminal_safe
from pipeline.render.context import order_context
from schemas import Order

_MD_SPECIAL = re.compile(r"([\\`*_\[\]])")


def _load(name: str) -> str:
    return resources.files("templates").joinpath(name).read_text("utf-8")


def _markdown_text(value) -> str:
    """A value as literal Markdown text: HTML escaped as entities, Markdown's
    own characters escaped with a backslash, control characters shown."""
    if isinstance(value, Markup) or value is None:
        return "" if value is None else value
    text = terminal_safe(str(value)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def _markdown_cell(value) -> Markup:
    text = _markdown_text(value).replace("|", "\\|")
    return Markup(text.replace("\n", "<br>"))


@cache
def environment() -> Environment:
    return Environment(
        loader=FunctionLoader(_load),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


@cache
def markdown_environment() -> Environment:
    env = Environment(
        loader=FunctionLoader(_load), autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True,
        finalize=_markdown_text,
    )
    env.filters["cell"] = _markdown_cell
    env.filters["cells"] = lambda values: Markup(" | ".join(_markdown_cell(v) for v in values))
    return env


def render_html(order: Order) -> str:
    return environment().get_template("order.html.j2").render(**order_context(order))


def render_markdown(order: Order) -> str:
    return markdown_environment().get_template("order.md.j2").render(**order_context(order))
