"""The ``roadmap`` command."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import click

from pipeline import __version__, clickru
from pipeline.errors import InputError
from pipeline.fileio import OutputError, write_atomic


clickru.install()


class _Command(click.Command):
    def __init__(self, *args, options_metavar: str | None = "[ПАРАМЕТРЫ]", **kwargs):
        super().__init__(*args, options_metavar=options_metavar, **kwargs)


class _Group(click.Group):
    """click's group with Russian placeholders in its usage lines."""

    command_class = _Command

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[ПАРАМЕТРЫ]")
        kwargs.setdefault("subcommand_metavar", "КОМАНДА [АРГУМЕНТЫ]...")
        super().__init__(*args, **kwargs)

# Exit statuses, the same for every command (README, «Коды выхода»).
EXIT_OK = 0  # done; no error among the findings
EXIT_FINDINGS = 1  # errors found in a document (validate, batch --validate, draft)
EXIT_USAGE = 2  # a bad call, configuration or input: a document unread, an output unwritten
EXIT_NOTHING = 3  # nothing to do: no document in the paths given


def _fail(path: str, reason: str) -> None:
    click.echo(f"roadmap: {path}: {reason}", err=True)
    sys.exit(EXIT_USAGE)


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
        "--timeout", type=float, default=None, metavar="СЕКУНДЫ",
        help="Сколько секунд может занять один документ (по умолчанию 600 или ROADMAP_TIMEOUT; 0 — без предела).",
    )(func)


def _debug_option(func):
    return click.option(
        "--debug", is_flag=True,
        help="Читать в этом процессе и показать трассировку неожиданной ошибки (для сообщения разработчикам).",
    )(func)


def _read_isolated(func, path: Path, *args, debug: bool = False, timeout: float | None = None):
    """``func(path, *args)`` in a reading process of its own under the limits
    (in this process with ``--debug``, so that a traceback can be shown).
    Raises InputError; a bug of ours becomes an InputError too, unless
    debugging."""
    from pipeline.isolate import InternalError, run_isolated

    if debug:
        return func(path, *args)
    try:
        return run_isolated(func, path, *args, path=str(path), timeout=timeout)
    except InternalError as exc:
        raise InputError(str(path), f"внутренняя ошибка разбора ({exc}); запустите с --debug") from None


@contextmanager
def _bugs_in_one_line(path: str, debug: bool):
    """A bug of ours met here is one line and exit status 2 for a user, and
    its traceback with ``--debug``."""
    try:
        yield
    except (SystemExit, KeyboardInterrupt, InputError):
        raise
    except Exception as exc:
        if debug:
            raise
        _fail(path, f"внутренняя ошибка ({type(exc).__name__}: {exc}); запустите с --debug")


def _codes(value: str | None) -> list[str] | None:
    return [c.strip() for c in value.split(",") if c.strip()] if value else None


def _selection(config: Path | None, select: str | None, ignore: str | None):
    """The rules to run, or one line and exit status 2 for a configuration,
    a key or a code that means nothing."""
    from pipeline.validate.config import ConfigError, selection_for

    try:
        return selection_for(config, _codes(select), _codes(ignore))
    except ConfigError as exc:
        click.echo(f"roadmap: {exc}", err=True)
        sys.exit(EXIT_USAGE)


def _config_option(func):
    return click.option(
        "--config", type=click.Path(dir_okay=False, path_type=Path), metavar="ФАЙЛ",
        help="Файл настроек (pyproject.toml с [tool.roadmap] или roadmap.toml) вместо найденного от текущего каталога.",
    )(func)


def _check_options(func):
    """--select, --ignore, --config and --exit-zero, the same for validate and batch --validate."""
    func = click.option("--exit-zero", is_flag=True, help="Код выхода 0, даже если найдены ошибки (2 — по-прежнему для непрочитанного).")(func)
    func = _config_option(func)
    func = click.option("--ignore", metavar="КОДЫ", help="Коды или префиксы правил, которые не проверять, через запятую.")(func)
    return click.option("--select", metavar="КОДЫ", help="Коды или префиксы правил через запятую, ALL — все (по умолчанию все или select из настроек).")(func)


def _nothing_found(paths) -> None:
    click.echo(f"roadmap: {', '.join(map(str, paths))}: документов не найдено", err=True)
    sys.exit(EXIT_NOTHING)


def _default_name(source: str, suffix: str) -> Path:
    """An output named for the source, in the working folder: «приказ.pdf»
    → «приказ-данные.xlsx»; never the source's own name."""
    from pipeline.inputs import STDIN, output_stem

    return Path(f"{output_stem('stdin' if source == STDIN else source)}{suffix}")


class _Input:
    """A command's one input: a path, or «-» — standard input saved to a
    temporary file (the readers decide formats by content, so they need a
    file); messages name it «-».  A folder is refused with the command that
    takes folders."""

    def __init__(self, given: Path):
        self.given = given
        self._tmp = None

    def __enter__(self) -> Path:
        from pipeline.inputs import STDIN, read_stdin, stdin_folder

        if str(self.given) == STDIN:
            self._tmp = stdin_folder()
            try:
                return read_stdin(Path(self._tmp.name))
            except InputError as exc:
                self._tmp.cleanup()
                _fail(exc.path, exc.reason)
        if self.given.is_dir():
            _fail(str(self.given), f"это каталог; каталог обрабатывает batch: roadmap batch {self.given} --out ПАПКА")
        return self.given

    def __exit__(self, *exc) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()

    def shown(self, path: str) -> str:
        """``path`` as a message should name it."""
        from pipeline.inputs import STDIN

        return STDIN if self._tmp is not None and path.startswith(self._tmp.name) else path


def _run_reading(func, path: Path, *args, debug: bool, timeout: float | None, shown):
    """:func:`_read_isolated`, with one line and exit status 2 for a bad input."""
    try:
        with _bugs_in_one_line(shown(str(path)), debug):
            return _read_isolated(func, path, *args, debug=debug, timeout=timeout)
    except InputError as exc:
        _fail(shown(exc.path), exc.reason)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="roadmap", message="%(prog)s, версия %(version)s")
def main() -> None:
    """Приказы и планы мероприятий органов образования → структурированные
    дорожные карты: извлечение, проверка, чистые документы.

    Команда и её справка: roadmap КОМАНДА --help. Коды выхода одинаковы для
    всех команд: 0 — готово, ошибок нет; 1 — в документах найдены ошибки;
    2 — неверный вызов, настройка или документ не прочитан; 3 — документов не
    найдено.
    """


@main.command()
@click.argument("path", metavar="ДОКУМЕНТ", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Куда записать (атомарно); «-» — стандартный вывод. По умолчанию JSON и CSV — в стандартный вывод, XLSX — в ИМЯ-данные.xlsx.")
@click.option("--format", "fmt", type=click.Choice(["json", "xlsx", "csv"]), default="json", show_default=True,
              help="json — весь документ по схеме (roadmap schema); xlsx — книга с планом, участниками и замечаниями; csv — пункты плана.")
@_timeout_option
@_debug_option
def extract(path: Path, output: Path | None, fmt: str, debug: bool, timeout: float | None) -> None:
    """Извлечь ДОКУМЕНТ (файл или «-» — стандартный ввод) в JSON, XLSX или CSV."""
    from pipeline.extract import extract_output

    named_here = fmt == "xlsx" and output is None
    if named_here:
        output = _default_name(str(path), "-данные.xlsx")
    _check_output(output)
    target = None if output is None or str(output) == "-" else output
    source = _Input(path)
    with source as readable:
        # The reading process writes the output file itself (atomically):
        # a large order's output never crosses the pipe.
        text = _run_reading(extract_output, readable, fmt, target, debug=debug, timeout=timeout, shown=source.shown)
    if target is None:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            click.echo(text, nl=False)
    elif named_here:
        click.echo(f"roadmap: записано: {output}", err=True)


@main.command()
@click.argument("path", metavar="ДОКУМЕНТ", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table — для чтения, json — для программ.")
@_timeout_option
@_debug_option
def parties(path: Path, fmt: str, timeout: float | None, debug: bool) -> None:
    """Кто что делает: участники ДОКУМЕНТА с их пунктами и сроками."""
    import json

    from pipeline.extract import extract_order
    from pipeline.lang.labels import label
    from pipeline.lang.numerals import count
    from pipeline.views import parties_view

    source = _Input(path)
    with source as readable:
        order = _run_reading(extract_order, readable, debug=debug, timeout=timeout, shown=source.shown)
    view = parties_view(order)
    if fmt == "json":
        click.echo(json.dumps(view, ensure_ascii=False, indent=2))
        return
    for party in view:
        name = party["name"] or party["abbreviation"] or party["key"]
        extra = f" ({party['abbreviation']})" if party["abbreviation"] and party["name"] else ""
        kind = label("party_kind", party["kind"]) or "вид не определён"
        click.echo(f"{name}{extra} — {kind}, {label('party_basis', party['basis'])}, {count(len(party['items']), 'пункт')}")
        for item in party["items"]:
            deadline = item["deadline"] or "срок не указан"
            when = f" [{item['start'] or '…'} – {item['end'] or '…'}]" if item["start"] or item["end"] else ""
            click.echo(f"    {item['number'] or '—':>6}  {deadline}{when}  {item['activity'][:90]}")


def _order_from(path: Path, debug: bool, timeout: float | None):
    """The order of a document (read in a process of its own) or of its JSON."""
    from pipeline.extract import extract_order

    if path.suffix.lower() == ".json":
        return _load_order(path)
    source = _Input(path)
    with source as readable:
        return _run_reading(extract_order, readable, debug=debug, timeout=timeout, shown=source.shown)


_DIFF_EVENTS = ("added", "removed", "renumbered", "moved", "activity", "deadline-earlier", "deadline-later", "deadline-open",
                "deadline-changed", "parties", "result", "section-renamed", "requisites", "clauses")


@main.command()
@click.argument("old", metavar="СТАРЫЙ", type=click.Path(path_type=Path))
@click.argument("new", metavar="НОВЫЙ", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html", "docx"]), default=None,
              help="text — для человека (в цвете на терминале), json — по схеме diff.schema.json, html — отчёт, "
                   "docx — сравнительная таблица (было / стало / основание). По умолчанию — по окончанию -o, иначе text.")
@click.option("--fail-on", "fail_on", metavar="ВИДЫ",
              help="Выйти с кодом 1, если есть такие изменения (через запятую): " + ", ".join(_DIFF_EVENTS) + ".")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Записать в файл, а не в стандартный вывод.")
@_timeout_option
@_debug_option
def diff(old: Path, new: Path, fmt: str | None, fail_on: str | None, output: Path | None, timeout: float | None, debug: bool) -> None:
    """Что изменилось между двумя редакциями плана: пункты сопоставлены по содержанию (перенумерованный или перенесённый в другой раздел — тот же пункт), для каждого — слова мероприятия, срок и его сдвиг, ответственные, результат.

    СТАРЫЙ и НОВЫЙ — документы в любом читаемом формате или их JSON.
    """
    from pipeline.diff import compare
    from pipeline.diff.text import render

    wanted = [w.strip() for w in (fail_on or "").split(",") if w.strip()]
    unknown = [w for w in wanted if w not in _DIFF_EVENTS]
    if unknown:
        _fail("--fail-on", f"неизвестный вид изменений «{unknown[0]}»; возможны: {', '.join(_DIFF_EVENTS)}")
    by_name = {".json": "json", ".html": "html", ".htm": "html", ".docx": "docx", ".txt": "text"}.get(output.suffix.lower()) if output and str(output) != "-" else None
    if fmt and by_name and fmt != by_name:
        _fail(str(output), f"имя файла говорит {by_name}, а --format {fmt}: исправьте одно из двух")
    fmt = fmt or by_name or "text"
    if fmt == "docx" and (output is None or str(output) == "-") and sys.stdout.isatty():
        _fail("-o", "сравнительная таблица DOCX — двоичный файл: укажите -o ИМЯ.docx")
    _check_output(output)
    before, after = _order_from(old, debug, timeout), _order_from(new, debug, timeout)
    with _bugs_in_one_line(str(new), debug):
        result = compare(before, after, str(old), str(new))
        if fmt == "json":
            text = result.model_dump_json(indent=2) + "\n"
        elif fmt == "html":
            from pipeline.diff.report import html_report

            text = html_report(result, before, after)
        elif fmt == "docx":
            from pipeline.diff.report import docx_table

            text = docx_table(result, before, after)
        else:
            text = render(result, colour=output is None and sys.stdout.isatty())
    if isinstance(text, bytes) and (output is None or str(output) == "-"):
        sys.stdout.buffer.write(text)
    elif output is None:
        click.echo(text, nl=False)
    else:
        _write(output, text)
    if any(result.counts.get(w) for w in wanted):
        sys.exit(EXIT_FINDINGS)


@main.command()
@click.argument("base", metavar="ПРИКАЗ", type=click.Path(path_type=Path))
@click.argument("amendments", metavar="ИЗМЕНЕНИЯ...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Куда записать JSON приказа в новой редакции. По умолчанию ИМЯ-в-редакции.json в текущем каталоге; «-» — стандартный вывод.")
@click.option("--diff", "diff_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Записать и сравнение с исходной редакцией: .docx — сравнительная таблица, .html, .json или .txt.")
@_timeout_option
@_debug_option
def amend(base: Path, amendments: tuple[Path, ...], output: Path | None, diff_out: Path | None, timeout: float | None, debug: bool) -> None:
    """Применить приказы о внесении изменений к ПРИКАЗУ: распознать указания («пункт 3 изложить в следующей редакции», «дополнить строкой …», «в графе «Срок» слова … заменить словами …», «… исключить», «приложение изложить в новой редакции») и получить приказ в новой редакции.

    Что не удалось применить, называется в потоке ошибок, и код выхода — 1; ничего не угадывается.
    """
    from pipeline.amend import apply_amendment
    from pipeline.diff import compare

    named_here = output is None
    if named_here:
        output = _default_name(str(base), "-в-редакции.json")
    _check_output(output)
    diff_format = {".docx": "docx", ".html": "html", ".json": "json", ".txt": "text"}.get(diff_out.suffix.lower()) if diff_out else None
    if diff_out and diff_format is None:
        _fail(str(diff_out), "формат сравнения не ясен из имени: .docx, .html, .json или .txt")
    _check_output(diff_out)
    order = _order_from(base, debug, timeout)
    original = order
    failed = 0
    for path in amendments:
        amending = _order_from(path, debug, timeout)
        with _bugs_in_one_line(str(path), debug):
            result = apply_amendment(order, amending)
        if not result.cites_base:
            click.echo(f"roadmap: {path}: не ссылается на № {order.document.number or '—'} — указания применены, но проверьте, тот ли это приказ", err=True)
            failed += 1
        for outcome in result.outcomes:
            mark = "применено" if outcome.applied else "НЕ ПРИМЕНЕНО"
            click.echo(f"{path}: п. {outcome.instruction.clause} — {mark}: {outcome.message}", err=True)
        failed += len(result.failed)
        if not result.outcomes:
            click.echo(f"roadmap: {path}: указаний об изменениях не найдено", err=True)
            failed += 1
        order = result.order
    changes = compare(original, order, str(base), str(output))
    counts = changes.counts
    if diff_out:
        from pipeline.diff.report import docx_table, html_report
        from pipeline.diff.text import render

        _write(diff_out, {"docx": lambda: docx_table(changes, original, order), "html": lambda: html_report(changes, original, order),
                          "json": lambda: changes.model_dump_json(indent=2) + "\n", "text": lambda: render(changes)}[diff_format]())
    click.echo(f"Итого пунктов плана: изменено {counts.get('changed', 0)}, добавлено {counts.get('added', 0)}, удалено {counts.get('removed', 0)}; "
               f"не применено указаний: {failed}", err=True)
    from pipeline.extract import order_json_bytes

    _emit(output, order_json_bytes(order), named_here)
    if failed:
        sys.exit(EXIT_FINDINGS)


_TIMELINE_SUFFIXES = {".svg": "svg", ".png": "png", ".html": "html", ".htm": "html"}


@main.command()
@click.argument("path", metavar="ДОКУМЕНТ", type=click.Path(path_type=Path))
@click.option("--by", type=click.Choice(["section", "party"]), default="section", show_default=True,
              help="Строки графика: section — по разделам плана, party — по исполнителям.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Куда записать: .svg, .png или .html. По умолчанию ИМЯ-график.svg в текущем каталоге; «-» — стандартный вывод (SVG).")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="Дата отметки «сегодня» (ГГГГ-ММ-ДД); по умолчанию — текущая.")
@_timeout_option
@_debug_option
def timeline(path: Path, by: str, output: Path | None, today, timeout: float | None, debug: bool) -> None:
    """График плана (диаграмма Ганта): полоса — период, ромб — дата, открытые и регулярные сроки, сегодня, пункты с замечаниями.

    ДОКУМЕНТ — приказ или план в любом читаемом формате либо его JSON.
    """
    from pipeline.timeline import build_timeline
    from pipeline.timeline.draw import chart
    from pipeline.validate import validate as check

    named_here = output is None
    if named_here:
        output = _default_name(str(path), "-график.svg")
    fmt = "svg" if str(output) == "-" else _TIMELINE_SUFFIXES.get(output.suffix.lower())
    if fmt is None:
        _fail(str(output), "формат не ясен из имени: дайте файлу окончание .svg, .png или .html")
    _check_output(output)
    order = _order_from(path, debug, timeout)
    if not any(r.items for r in order.roadmaps):
        _fail(str(path), "в документе не найдено мероприятий — графику нечего показать")
    with _bugs_in_one_line(str(path), debug):
        drawn = build_timeline(order, by, check(order, str(path)), today.date() if today else None)
        data = chart(drawn, fmt)
    _emit(output, data, named_here)


def _load_order(path: Path):
    """An order from JSON; the schema's complaints as Russian lines."""
    from pydantic import ValidationError

    from pipeline.lang.numerals import count
    from schemas import Order
    from schemas.errors import describe

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
        lines = [f"roadmap: {path}: не соответствует схеме ({count(exc.error_count(), 'ошибка')}):"]
        for error in exc.errors()[:20]:
            where = ".".join(str(p) for p in error["loc"]) or "(документ)"
            lines.append(f"  {where}: {describe(error)}")
        click.echo("\n".join(lines), err=True)
        sys.exit(EXIT_USAGE)


_RENDER_SUFFIXES = {".docx": "docx", ".html": "html", ".htm": "html", ".md": "md", ".pdf": "pdf"}


def _render_format(output: Path | None, to: str | None) -> str:
    """The format of a rendered document: ``--to``, or the output's suffix;
    the two must agree (a DOCX is never written into «r2.pdf»)."""
    if output is None or str(output) == "-":
        return to or "docx"
    by_name = _RENDER_SUFFIXES.get(output.suffix.lower())
    if to and by_name and to != by_name:
        _fail(str(output), f"имя файла говорит {by_name.upper()}, а --to {to}: исправьте одно из двух")
    if not to and not by_name:
        _fail(str(output), "формат не ясен из имени: дайте файлу окончание .docx, .pdf, .html или .md, или укажите --to")
    return to or by_name


def _render_options(func):
    func = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                        help="Куда записать; формат — по окончанию имени (.docx, .pdf, .html, .md). "
                             "По умолчанию ИМЯ-очищенный.docx в текущем каталоге; «-» — стандартный вывод.")(func)
    return click.option("--to", "to", type=click.Choice(["docx", "html", "md", "pdf"]),
                        help="Формат, если имя файла его не говорит (должен совпадать с окончанием -o).")(func)


def _emit(output: Path, data: str | bytes, named_here: bool) -> None:
    if str(output) == "-":
        sys.stdout.buffer.write(data.encode("utf-8") if isinstance(data, str) else data)
        return
    _write(output, data)
    if named_here:
        click.echo(f"roadmap: записано: {output}", err=True)


@main.command()
@click.argument("path", metavar="JSON", type=click.Path(dir_okay=False, path_type=Path))
@_render_options
@_debug_option
def render(path: Path, to: str | None, output: Path | None, debug: bool) -> None:
    """Чистый документ (DOCX, PDF, HTML, Markdown) по JSON документа — извлечённому или написанному вручную."""
    from pipeline.render import render as render_order

    fmt = _render_format(output, to)
    named_here = output is None
    if named_here:
        output = _default_name(str(path), f"-очищенный.{fmt}")
    _check_output(output)
    order = _load_order(path)
    try:
        with _bugs_in_one_line(str(path), debug):
            data = render_order(order, fmt, str(output))
    except InputError as exc:
        _fail(exc.path, exc.reason)
    _emit(output, data, named_here)


@main.command()
@click.argument("spec", metavar="ОПИСАНИЕ.yaml", type=click.Path(dir_okay=False, path_type=Path))
@_render_options
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), help="Записать сюда и JSON черновика.")
@_debug_option
def draft(spec: Path, to: str | None, output: Path | None, json_out: Path | None, debug: bool) -> None:
    """Типовой проект плана (DOCX, PDF, HTML, Markdown) по описанию в YAML; замечания проверки — в поток ошибок."""
    from pipeline.render import render as render_order
    from pipeline.render.draft import SpecError, build_draft
    from pipeline.validate import validate as check
    from pipeline.validate.formats.text import render as render_findings
    from pipeline.validate.formats import DocumentReport

    fmt = _render_format(output, to)
    named_here = output is None
    if named_here:
        output = _default_name(str(spec), f".{fmt}")
    _check_output(output)
    _check_output(json_out)
    try:
        with _bugs_in_one_line(str(spec), debug):
            order = build_draft(spec)
    except SpecError as exc:
        _fail(str(spec), str(exc))
    findings = check(order, str(spec))
    click.echo(render_findings([DocumentReport(str(spec), findings, format="yaml")]), nl=False, err=True)
    try:
        with _bugs_in_one_line(str(spec), debug):
            data = render_order(order, fmt, str(output))
    except InputError as exc:
        _fail(exc.path, exc.reason)
    _emit(output, data, named_here)
    if json_out:
        _write(json_out, order.model_dump_json(indent=2) + "\n")
    if any(f.severity == "error" for f in findings):
        sys.exit(EXIT_FINDINGS)


@main.command()
@click.argument("paths", metavar="ДОКУМЕНТЫ...", nargs=-1, required=True)
@click.option("--out", "out_dir", required=True, metavar="КАТАЛОГ",
              help="Каталог или адрес (s3://…, file://…) для результатов (ИМЯ.json и др., сводная книга combined.xlsx).")
@click.option("--jobs", type=int, default=None, metavar="N", help="Сколько документов читать одновременно (по умолчанию — по числу ядер).")
@click.option("--scheduler", metavar="АДРЕС",
              help="Отдать документы кластеру Dask: адрес его планировщика, например tcp://УЗЕЛ:8786 (см. README).")
@click.option("--format", "formats", default="json", show_default=True, metavar="ФОРМАТЫ", help="Форматы через запятую: json, xlsx, csv (JSON пишется всегда).")
@click.option("--validate", "check", is_flag=True, help="Проверить каждый документ; при повторном запуске проверяются и пропущенные.")
@_check_options
@click.option("--force", is_flag=True, help="Обработать и документы, результаты которых новее их самих.")
@click.option("-q", "--quiet", is_flag=True, help="Без хода работы и итоговой строки; только сообщения об ошибках.")
@_timeout_option
@_debug_option
def batch(paths: tuple[str, ...], out_dir: str, jobs: int | None, scheduler: str | None, formats: str, check: bool,
          select: str | None, ignore: str | None, config: Path | None, exit_zero: bool, force: bool, quiet: bool,
          timeout: float | None, debug: bool) -> None:
    """Обработать файлы и каталоги документов параллельно; повторный запуск
    продолжает с того, что не готово.

    В каталогах документы выбираются по содержимому (PDF, DOCX, DOC, RTF,
    ODT, изображения страниц; текст — с окончанием .txt или .md). Документы
    и каталог результатов — пути или адреса (s3://…, file://…). Коды
    выхода — как у всех команд: 1 — в документах найдены ошибки, 2 — документ
    не прочитан, 3 — документов не найдено.
    """
    import os
    import time

    from pipeline import storage
    from pipeline.batch import combined_workbook, run_batch
    from pipeline.inputs import collect_documents
    from pipeline.lang.numerals import count

    if scheduler is not None and jobs is not None:
        _fail(scheduler, "--jobs не действует с --scheduler: сколько документов читать одновременно, решают рабочие процессы кластера")
    if scheduler is not None and debug:
        _fail(scheduler, "--debug читает документы в этом процессе и с --scheduler не сочетается")

    wanted = [f.strip().lower() for f in formats.split(",") if f.strip()]
    unknown = set(wanted) - {"json", "xlsx", "csv"}
    if unknown:
        _fail(formats, f"неизвестный формат: {', '.join(sorted(unknown))} (есть json, xlsx, csv)")
    fmts = sorted(set(wanted) | {"json"})  # the combined workbook is built from the JSON
    selection = _selection(config, select, ignore) if check else None
    try:
        collected = collect_documents([p if storage.is_url(p) else Path(p) for p in paths])
    except OSError as exc:
        _fail(" ".join(paths), str(exc))
    if not collected.documents:
        _nothing_found(paths)
    destination = out_dir if storage.is_url(out_dir) else Path(out_dir)
    plain = os.environ.get("CI") or not sys.stderr.isatty()
    bar = None
    if not plain and not quiet:
        from tqdm import tqdm

        bar = tqdm(total=0, unit="док", file=sys.stderr)

    def progress(outcome, done: int, total: int) -> None:
        if bar is not None:
            bar.total = total
            bar.update(1)
            if outcome.status == "failed":
                bar.write(f"roadmap: {outcome.path}: {outcome.error}", file=sys.stderr)
            return
        if quiet:
            if outcome.status == "failed":
                click.echo(f"roadmap: {outcome.path}: {outcome.error}", err=True)
            return
        state = {"ok": f"готово, {count(outcome.items, 'пункт')}", "skipped": "пропущен (актуален)", "failed": f"не прочитан: {outcome.error}"}[outcome.status]
        click.echo(f"[{done}/{total}] {outcome.path}: {state}", err=True)

    if isinstance(destination, Path):
        try:
            destination.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            _fail(out_dir, f"нельзя создать каталог: {exc.strerror}")
        if not destination.is_dir():
            _fail(out_dir, "это не каталог")
        if not os.access(destination, os.W_OK | os.X_OK):
            _fail(out_dir, "в каталог нельзя писать")
    start = time.perf_counter()
    from pipeline.cluster import ClusterError

    try:
        outcomes = run_batch(collected.documents, destination, fmts, jobs or 0, check, force, progress, timeout, selection,
                             debug, scheduler)
    except ClusterError as exc:
        if bar is not None:
            bar.close()
        _fail(scheduler, str(exc))
    if bar is not None:
        bar.close()
    workbook = storage.join(destination, "combined.xlsx")
    try:
        items = combined_workbook(outcomes, workbook, checked=check)
    except OutputError as exc:
        _fail(str(workbook), str(exc))
    failed = [o for o in outcomes if o.status == "failed"]
    with_errors = [o for o in outcomes if o.findings.get("error")]
    if not quiet:
        severities = {k: sum(o.findings.get(k, 0) for o in outcomes) for k in ("error", "warning", "info")}
        line = (
            f"Документов: {len(outcomes)} (готово {sum(o.status == 'ok' for o in outcomes)}, пропущено "
            f"{sum(o.status == 'skipped' for o in outcomes)}, не прочитано {len(failed)}); пунктов в сводной книге: {items}"
        )
        if check:
            line += (f"; замечания: {count(severities['error'], 'ошибка')}, {count(severities['warning'], 'предупреждение')}, "
                     f"{count(severities['info'], 'примечание')}")
        line += f"; время {time.perf_counter() - start:.1f} с"
        click.echo(line, err=True)
        if collected.passed_over:
            click.echo(f"В каталогах оставлено {count(len(collected.passed_over), 'файл')} — не документы (таблицы, архивы, программы).", err=True)
        for o in with_errors:
            click.echo(f"  ошибки: {o.path} — {count(o.findings['error'], 'ошибка')}", err=True)
        for o in failed:
            click.echo(f"  не прочитан: {o.path} — {o.error}", err=True)
    if failed:
        sys.exit(EXIT_USAGE)
    if with_errors and not exit_zero:
        sys.exit(EXIT_FINDINGS)


@main.command()
@click.argument("paths", metavar="ДОКУМЕНТЫ...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "junit", "github"]), default="text", show_default=True,
              help="Вид отчёта: text — для человека, json, sarif (просмотр в GitHub), junit, github (аннотации Actions).")
@_check_options
@click.option("--statistics", is_flag=True, help="Вместо замечаний — их число по каждому правилу (text или json).")
@click.option("-q", "--quiet", is_flag=True, help="Только замечания, без итоговой строки.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Записать отчёт в файл (атомарно), а не в стандартный вывод.")
@_timeout_option
@_debug_option
def validate(paths: tuple[Path, ...], fmt: str, select: str | None, ignore: str | None, config: Path | None, statistics: bool,
             exit_zero: bool, quiet: bool, output: Path | None, timeout: float | None, debug: bool) -> None:
    """Проверить документы: сроки, участники, нумерация, ссылки.

    ДОКУМЕНТЫ — файлы, каталоги (документы в них выбираются по содержимому) или
    «-» для стандартного ввода. Коды выхода — в README («Коды выхода»).
    """
    from pipeline.extract import extract_order
    from pipeline.inputs import STDIN, collect_documents, read_stdin, stdin_folder
    from pipeline.validate import validate as check
    from pipeline.validate.formats import DocumentReport, render

    if statistics and fmt not in {"text", "json"}:
        _fail("--statistics", "сводка по правилам выводится только в форматах text и json")
    selection = _selection(config, select, ignore)
    _check_output(output)
    to_terminal = fmt == "text" and output is None
    reports: list[DocumentReport] = []
    with stdin_folder() as tmp:
        named = [Path(p) for p in paths if str(p) != STDIN]
        documents = collect_documents(named).paths
        if any(str(p) == STDIN for p in paths):
            try:
                documents.insert(0, read_stdin(Path(tmp)))
            except InputError as exc:
                _fail(exc.path, exc.reason)
        if not documents:
            _nothing_found(paths)
        for path in documents:
            shown = STDIN if path.parent == Path(tmp) else str(path)
            try:
                order = _read_isolated(extract_order, path, debug=debug, timeout=timeout)
            except InputError as exc:  # one broken document must not hide the others' findings
                reason = exc.reason
                if not to_terminal:  # the text report on the terminal says it already
                    click.echo(f"roadmap: {shown}: {reason}", err=True)
                reports.append(DocumentReport(shown, error=reason))
                continue
            reports.append(DocumentReport(shown, check(order, shown, selection), format=order.source.format))

    if statistics:
        from pipeline.validate.formats.text import statistics as count_by_rule

        text = count_by_rule(reports) if fmt == "text" else _statistics_json(reports)
    elif fmt == "text":
        from pipeline.validate.formats.text import render as render_text

        text = render_text(reports, summary=not quiet)
    else:
        text = render(fmt, reports)
    if output is None:
        click.echo(text, nl=False)
    else:
        _write(output, text)
    sys.exit(_validation_status(reports, exit_zero))


def _statistics_json(reports) -> str:
    import json

    from pipeline.validate.formats import rule_counts

    rows = [{"code": code, "name": name, "count": n} for n, code, name, _ in rule_counts(reports)]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def _validation_status(reports, exit_zero: bool) -> int:
    if any(r.error for r in reports):
        return EXIT_USAGE
    if not exit_zero and any(f.severity == "error" for r in reports for f in r.findings):
        return EXIT_FINDINGS
    return EXIT_OK


@main.command()
@click.argument("selectors", metavar="[КОДЫ]...", nargs=-1)
@click.option("--code", metavar="КОД", help="Одно правило (код или префикс) — с полной документацией.")
def rules(selectors: tuple[str, ...], code: str | None) -> None:
    """Правила проверки: все кратко или выбранные КОДЫ (D, P003) с полной документацией."""
    from pipeline.validate import all_rules
    from pipeline.validate.registry import SelectorError, check_selectors, matches

    wanted = list(selectors) + ([code] if code else [])
    try:
        patterns = check_selectors(wanted, "roadmap rules") if wanted else ["ALL"]
    except SelectorError as exc:
        click.echo(f"roadmap: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    chosen = [r for r in all_rules() if matches(r.code, patterns)]
    full = bool(wanted)
    from pipeline.lang.labels import label

    for r in chosen:
        click.echo(f"{r.code} {r.name} [{label('severity', r.severity)}]\n    {r.summary}")
        if full:
            click.echo("\n" + r.doc)
        click.echo()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, metavar="АДРЕС", help="Адрес, на котором слушать (по умолчанию только этот компьютер).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), metavar="ПОРТ", help="Порт (0 — любой свободный).")
@click.option("--max-upload-mb", default=20, show_default=True, type=int, metavar="МБ", help="Наибольший принимаемый файл, МБ.")
@click.option("--api", is_flag=True, help="Включить и программный интерфейс для порталов и систем проверки: /api/v1 (описание — /api/v1/openapi.json).")
def serve(host: str, port: int, max_upload_mb: int, api: bool) -> None:
    """Веб-страница: загрузить документ, проверить и исправить его, скачать результаты; с --api — и программный интерфейс."""
    import errno

    from pipeline.web import make_server

    try:
        server = make_server(host, port, max_upload_mb, api=api)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            _fail(f"{host}:{port}", "адрес занят другой программой; укажите другой порт: roadmap serve --port 8001")
        if exc.errno == errno.EADDRNOTAVAIL:
            _fail(host, "такого адреса у этого компьютера нет")
        _fail(f"{host}:{port}", f"нельзя слушать: {exc.strerror or exc}")
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"roadmap: http://{shown}:{getattr(server, 'effective_port', port)}/ (остановить: Ctrl+C)", err=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Записать схему в файл, а не в стандартный вывод.")
@click.option("--of", "of", type=click.Choice(["order", "diff"]), default="order", show_default=True,
              help="order — результат extract, diff — результат diff --format json.")
def schema(output: Path | None, of: str) -> None:
    """JSON Schema результата extract или diff (для проверки и редакторов)."""
    from schemas import diff_json_schema_text, order_json_schema_text

    _check_output(output)
    text = order_json_schema_text() if of == "order" else diff_json_schema_text()
    if output is None or str(output) == "-":
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
        main(prog_name="roadmap")
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
