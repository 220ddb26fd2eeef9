"""An order as HTML (print CSS for A4) or Markdown, from Jinja templates.

The HTML environment escapes every value; in Markdown a value is escaped for
the place it stands (a table cell: pipes and line breaks).  Values are data:
Jinja never evaluates what a document says, so «{{ 7*7 }}» prints as written.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from jinja2 import Environment, FunctionLoader, StrictUndefined, select_autoescape

from pipeline.render.context import order_context
from schemas import Order


def _load(name: str) -> str:
    return resources.files("templates").joinpath(name).read_text("utf-8")


def _markdown_cell(value: str) -> str:
    text = str(value).replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("\n", "<br>")


@cache
def environment() -> Environment:
    env = Environment(
        loader=FunctionLoader(_load),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["cell"] = _markdown_cell
    return env


def render_html(order: Order) -> str:
    return environment().get_template("order.html.j2").render(**order_context(order))


def render_markdown(order: Order) -> str:
    return environment().get_template("order.md.j2").render(**order_context(order))
