"""The ``roadmap`` command."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline import __version__
from pipeline.errors import InputError
from pipeline.fileio import write_atomic


def _fail(path: str, reason: str) -> None:
    click.echo(f"roadmap: {path}: {reason}", err=True)
    sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="roadmap")
def main() -> None:
    """Orders of education authorities → structured roadmaps (дорожные карты)."""


@main.command()
@click.argument("path", type=click.Path(dir_okay=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write JSON here (atomically) instead of stdout.")
@click.option("--debug", is_flag=True, help="Show the traceback of an unexpected failure.")
def extract(path: Path, output: Path | None, debug: bool) -> None:
    """Extract the order in PATH as JSON."""
    from pipeline.extract import extract_order, order_json

    try:
        text = order_json(extract_order(path))
    except InputError as exc:
        _fail(exc.path, exc.reason)
    except Exception as exc:  # a bug of ours must still not look like a crash to a user
        if debug:
            raise
        _fail(str(path), f"внутренняя ошибка разбора ({type(exc).__name__}: {exc}); запустите с --debug")
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        write_atomic(output, text)
    except OSError as exc:
        _fail(str(output), f"не удалось записать: {exc.strerror}")


@main.command()
@click.argument("path", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def parties(path: Path, fmt: str) -> None:
    """Who does what: each party of PATH with its items and deadlines."""
    import json

    from pipeline.extract import extract_order
    from pipeline.views import parties_view

    try:
        view = parties_view(extract_order(path))
    except InputError as exc:
        _fail(exc.path, exc.reason)
    if fmt == "json":
        click.echo(json.dumps(view, ensure_ascii=False, indent=2))
        return
    for party in view:
        label = party["name"] or party["abbreviation"] or party["key"]
        extra = f" ({party['abbreviation']})" if party["abbreviation"] and party["name"] else ""
        click.echo(f"{label}{extra} — {party['kind'] or 'вид не определён'}, {party['basis']}, пунктов: {len(party['items'])}")
        for item in party["items"]:
            deadline = item["deadline"] or "срок не указан"
            when = f" [{item['start'] or '…'} – {item['end'] or '…'}]" if item["start"] or item["end"] else ""
            click.echo(f"    {item['number'] or '—':>6}  {deadline}{when}  {item['activity'][:90]}")


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the schema here instead of stdout.")
def schema(output: Path | None) -> None:
    """Print the JSON Schema of the extract output."""
    from schemas import order_json_schema_text

    text = order_json_schema_text()
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
