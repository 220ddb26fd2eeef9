"""The ``roadmap`` command."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline import __version__
from pipeline.errors import InputError
from pipeline.fileio import OutputError, write_atomic


def _fail(path: str, reason: str) -> None:
    click.echo(f"roadmap: {path}: {reason}", err=True)
    sys.exit(2)


def _check_output(output: Path | None) -> None:
    """Refuse an output that cannot be written before any work is done."""
    from pipeline.fileio import output_target

    if output is None or str(output) == "-":
        return
    try:
        output_target(output)
    except OutputError as exc:
        _fail(str(output), str(exc))


def _write(output: Path, data: str | bytes) -> None:
    """Write atomically, or one line and exit status 2."""
    try:
        write_atomic(output, data)
    except OutputError as exc:
        _fail(str(output), str(exc))


def _timeout_option(func):
    return click.option(
        "--timeout", type=float, default=None,
        help="Seconds one document may take (default 600, or ROADMAP_TIMEOUT; 0: no limit).",
    )(func)


def _extract(path: Path, debug: bool = False, timeout: float | None = None):
    """The order in ``path``, read in a process of its own under the limits
    (in this process with ``--debug``, so that a traceback can be shown).
    Raises InputError; a bug of ours becomes an InputError too, unless
    debugging."""
    from pipeline.extract import extract_order
    from pipeline.isolate import InternalError, run_isolated

    if debug:
        return extract_order(path)
    try:
        return run_isolated(extract_order, path, path=str(path), timeout=timeout)
    except InternalError as exc:
        raise InputError(str(path), f"внутренняя ошибка разбора ({exc}); запустите с --debug") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="roadmap")
def main() -> None:
    """Orders of education authorities → structured roadmaps (дорожные карты)."""


@main.command()
@click.argument("path", type=click.Path(dir_okay=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here (atomically) instead of stdout.")
@click.option("--format", "fmt", type=click.Choice(["json", "xlsx", "csv"]), default="json", show_default=True)
@click.option("--debug", is_flag=True, help="Show the traceback of an unexpected failure.")
@_timeout_option
def extract(path: Path, output: Path | None, fmt: str, debug: bool, timeout: float | None) -> None:
    """Extract the order in PATH as JSON (or a spreadsheet: xlsx, csv)."""
    from pipeline.extract import extract_output
    from pipeline.isolate import InternalError, run_isolated

    if fmt == "xlsx" and output is None:
        _fail(str(path), "для XLSX укажите файл: -o OUT.xlsx")
    _check_output(output)
    try:
        # The reading process writes the output file itself (atomically):
        # a large order's output never crosses the pipe.
        if debug:
            text = extract_output(path, fmt, output)
        else:
            try:
                text = run_isolated(extract_output, path, fmt, output, path=str(path), timeout=timeout)
            except InternalError as exc:
                raise InputError(str(path), f"внутренняя ошибка разбора ({exc}); запустите с --debug") from None
    except InputError as exc:
        _fail(exc.path, exc.reason)
    except Exception as exc:  # a bug of ours must still not look like a crash to a user
        if debug:
            raise
        _fail(str(path), f"внутренняя ошибка разбора ({type(exc).__name__}: {exc}); запустите с --debug")
    if output is None:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            click.echo(text, nl=False)


@main.command()
@click.argument("path", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def parties(path: Path, fmt: str) -> None:
    """Who does what: each party of PATH with its items and deadlines."""
    import json

    from pipeline.views import parties_view

    try:
        view = parties_view(_extract(path))
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


def _load_order(path: Path):
    """An order from JSON; pydantic's complaints as readable lines."""
    from pydantic import ValidationError

    from schemas import Order

    try:
        text = path.read_text("utf-8-sig")  # a BOM, as Windows editors write it, is not an error
    except FileNotFoundError:
        _fail(str(path), "файл не найден")
    except IsADirectoryError:
        _fail(str(path), "это каталог, а не файл")
    except OSError as exc:
        _fail(str(path), f"файл не читается: {exc.strerror}")
    except UnicodeDecodeError as exc:
        _fail(str(path), f"JSON не в кодировке UTF-8 (байт {exc.start})")
    try:
        return Order.model_validate_json(text)
    except ValidationError as exc:
        lines = [f"{path}: не соответствует схеме ({exc.error_count()} ошибок):"]
        for error in exc.errors()[:20]:
            where = ".".join(str(p) for p in error["loc"]) or "(документ)"
            lines.append(f"  {where}: {error['msg']}")
        click.echo("\n".join(lines), err=True)
        sys.exit(2)


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "to", type=click.Choice(["docx", "html", "md", "pdf"]), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def render(path: Path, to: str, output: Path) -> None:
    """Render an order's JSON (extracted or written by hand) as a clean document."""
    from pipeline.render import render as render_order

    _check_output(output)
    order = _load_order(path)
    try:
        data = render_order(order, to, str(output))
    except InputError as exc:
        _fail(exc.path, exc.reason)
    _write(output, data)


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), help="Also write the draft's JSON here.")
def draft(spec: Path, output: Path, json_out: Path | None) -> None:
    """A standardized plan draft (DOCX, or .html/.md/.pdf by the output's suffix) from a YAML spec."""
    from pipeline.render import render as render_order
    from pipeline.render.draft import SpecError, build_draft
    from pipeline.validate import validate as check
    from pipeline.validate.formats import DocumentReport, render as render_findings

    _check_output(output)
    _check_output(json_out)
    try:
        order = build_draft(spec)
    except SpecError as exc:
        _fail(str(spec), str(exc))
    findings = check(order, str(spec))
    click.echo(render_findings("text", [DocumentReport(str(spec), findings, format="yaml")]), nl=False, err=True)
    to = {".html": "html", ".md": "md", ".pdf": "pdf"}.get(output.suffix.lower(), "docx")
    try:
        data = render_order(order, to, str(output))
    except InputError as exc:
        _fail(exc.path, exc.reason)
    _write(output, data)
    if json_out:
        _write(json_out, order.model_dump_json(indent=2) + "\n")
    if any(f.severity == "error" for f in findings):
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the outputs.")
@click.option("--jobs", type=int, default=0, help="Worker processes (default: one per core).")
@click.option("--format", "formats", default="json", show_default=True, help="Comma-separated: json, xlsx, csv.")
@click.option("--validate", "check", is_flag=True, help="Run the validator on each document.")
@click.option("--force", is_flag=True, help="Convert even documents whose outputs are up to date.")
@_timeout_option
def batch(paths: tuple[Path, ...], out_dir: Path, jobs: int, formats: str, check: bool, force: bool, timeout: float | None) -> None:
    """Convert files and folders of orders in parallel; resumable.

    Exit status 1 if any document failed or had validation errors, else 0.
    """
    import os
    import time

    from pipeline.batch import combined_workbook, run_batch

    wanted = [f.strip().lower() for f in formats.split(",") if f.strip()]
    unknown = set(wanted) - {"json", "xlsx", "csv"}
    if unknown:
        _fail(formats, f"неизвестный формат: {', '.join(sorted(unknown))}")
    fmts = sorted(set(wanted) | {"json"})  # the combined workbook is built from the JSON
    plain = os.environ.get("CI") or not sys.stderr.isatty()
    bar = None
    if not plain:
        from tqdm import tqdm

        bar = tqdm(total=0, unit="док", file=sys.stderr)

    def progress(outcome, done: int, total: int) -> None:
        if bar is not None:
            bar.total = total
            bar.update(1)
            if outcome.status == "failed":
                bar.write(f"roadmap: {outcome.path}: {outcome.error}", file=sys.stderr)
            return
        state = {"ok": f"готово, пунктов: {outcome.items}", "skipped": "пропущен (актуален)", "failed": f"ошибка: {outcome.error}"}[outcome.status]
        click.echo(f"[{done}/{total}] {outcome.path}: {state}", err=True)

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _fail(str(out_dir), f"нельзя создать каталог: {exc.strerror}")
    if not os.access(out_dir, os.W_OK | os.X_OK):
        _fail(str(out_dir), "в каталог нельзя писать")
    start = time.perf_counter()
    outcomes = run_batch(list(paths), out_dir, fmts, jobs, check, force, progress, timeout)
    if bar is not None:
        bar.close()
    try:
        items = combined_workbook(outcomes, out_dir / "combined.xlsx")
    except OutputError as exc:
        _fail(str(out_dir / "combined.xlsx"), str(exc))
    failed = [o for o in outcomes if o.status == "failed"]
    severities = {k: sum(o.findings.get(k, 0) for o in outcomes) for k in ("error", "warning", "info")}
    click.echo(
        f"Документов: {len(outcomes)} (готово {sum(o.status == 'ok' for o in outcomes)}, пропущено "
        f"{sum(o.status == 'skipped' for o in outcomes)}, с ошибкой чтения {len(failed)}); пунктов в сводной книге: {items}; "
        f"замечания: ошибок {severities['error']}, предупреждений {severities['warning']}, сведений {severities['info']}; "
        f"время {time.perf_counter() - start:.1f} с",
        err=True,
    )
    if failed or severities["error"]:
        sys.exit(1)


def _codes(value: str | None) -> list[str] | None:
    return [c.strip() for c in value.split(",") if c.strip()] if value else None


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "junit", "github"]), default="text", show_default=True)
@click.option("--select", help="Rule codes or prefixes to run, comma-separated (default: all, or [tool.roadmap] select).")
@click.option("--ignore", help="Rule codes or prefixes to skip, comma-separated.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here (atomically).")
@_timeout_option
def validate(paths: tuple[Path, ...], fmt: str, select: str | None, ignore: str | None, output: Path | None, timeout: float | None) -> None:
    """Check orders: deadlines, parties, numbering, cross-references.

    Exit status: 0 no errors (warnings allowed), 1 an error found, 2 an input
    could not be read (the others are still checked and reported).
    """
    from pipeline.validate import validate as check
    from pipeline.validate.config import ConfigError, load_selection
    from pipeline.validate.formats import DocumentReport, render

    try:
        selection, _ = load_selection()
    except ConfigError as exc:
        click.echo(f"roadmap: {exc}", err=True)
        sys.exit(2)
    if _codes(select):
        selection.select = _codes(select)
    if _codes(ignore):
        selection.ignore = selection.ignore + _codes(ignore)

    _check_output(output)
    reports: list[DocumentReport] = []
    from pipeline.batch import collect

    for path in collect(list(paths)):
        try:
            order = _extract(path, timeout=timeout)
        except InputError as exc:  # one broken document must not hide the others' findings
            click.echo(f"roadmap: {exc.path}: {exc.reason}", err=True)
            reports.append(DocumentReport(str(path), error=exc.reason))
            continue
        reports.append(DocumentReport(str(path), check(order, str(path), selection), format=order.source.format))

    text = render(fmt, reports)
    if output is None:
        click.echo(text, nl=False)
    else:
        _write(output, text)
    if any(r.error for r in reports):
        sys.exit(2)
    if any(f.severity == "error" for r in reports for f in r.findings):
        sys.exit(1)


@main.command()
@click.option("--code", help="Show one rule only.")
def rules(code: str | None) -> None:
    """List the validation rules with their documentation."""
    from pipeline.validate import all_rules

    for r in all_rules():
        if code and r.code != code.upper():
            continue
        click.echo(f"{r.code} {r.name} [{r.severity}]\n    {r.summary}")
        if code:
            click.echo("\n" + r.doc)
        click.echo()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--max-upload-mb", default=20, show_default=True, type=int, help="Largest accepted upload.")
def serve(host: str, port: int, max_upload_mb: int) -> None:
    """A local web page: upload an order, check and correct it, download results."""
    from pipeline.web import serve as run

    click.echo(f"roadmap: http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    run(host, port, max_upload_mb)


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the schema here instead of stdout.")
def schema(output: Path | None) -> None:
    """Print the JSON Schema of the extract output."""
    from schemas import order_json_schema_text

    _check_output(output)
    text = order_json_schema_text()
    if output is None:
        click.echo(text, nl=False)
    else:
        _write(output, text)


def run() -> None:
    """The ``roadmap`` command: :func:`main`, then out of the process without
    the interpreter's teardown.  Freeing every object and module at exit cost
    about 50 ms of CPU per command — as much as reading a short order — and
    gains nothing once the outputs are written and closed (they are: every
    output goes through ``write_atomic``, which syncs and closes it).  With
    child processes still running (the web server stopped), the normal exit
    waits for them."""
    import multiprocessing
    import os

    try:
        main()
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    if multiprocessing.active_children():
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass  # a reader that closed the pipe has what it wanted
    os._exit(code)
