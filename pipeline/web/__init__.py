"""A local web page for methodologists: upload orders (one or a folder),
watch them read, check and correct everything a reader can get wrong
(requisites, clauses, sections, rows: edit, add, delete, split, merge, move;
apply a finding's fix; undo and redo), see what changed against what was
read, view the plan by party and as a timeline, download the results; make
a new plan draft in a grid.

Flask with the project's Jinja templates (`templates/web/`), server-rendered:
an edit is posted as JSON and answered with the page's panels rendered
again, which the page's script puts in place — no reload, one renderer.
Uploads are read in the background (:mod:`pipeline.web.jobs`) and their
progress polled.  Safety:

* uploads are capped (``MAX_UPLOAD_MB``, 20 by default) and accepted by
  content, not by name; they are read in a temporary directory under a name
  of our own, which is removed afterwards — no path from the client is ever
  used as a file path;
* the upload limit is enforced while the body is read (waitress stops
  reading past it), not after a gigabyte has been spooled;
* a document is read in a process of its own under the time and memory
  limits (:mod:`pipeline.isolate`): a hostile file cannot take the server;
* every document text is escaped in HTML (autoescape on for all templates);
  scripts run only with the page's nonce (Content-Security-Policy), and the
  page may not be framed or sniffed as another type;
* a POST is accepted only from the page itself (its ``Origin`` or
  ``Referer``) and, on a loopback server, only under a loopback ``Host`` —
  no cross-site form can post to it and no rebound DNS name can reach it;
* an edit changes the order through the schema's models and a corrected JSON
  is validated by the schema before it is accepted; indices outside the
  document are refused;
* errors are shown as a readable message, never a stack trace.

Documents live in memory, under unguessable ids, for the life of the process.
"""

from __future__ import annotations

import re
import secrets
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import quote, urlsplit

from flask import (
    Flask,
    Response,
    abort,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from pipeline.errors import InputError
from schemas import Order

DEFAULT_MAX_UPLOAD_MB = 20
MAX_DOCUMENTS = 50
MAX_FILES = 200  # files in one upload (a folder dropped on the page)
ACCEPTED = {"pdf": ".pdf", "zip": ".docx", "odt": ".odt", "ole": ".doc", "rtf": ".rtf", "text": ".txt", "image": ".img"}
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}
# Room for the multipart envelope and the other form fields around the file.
BODY_OVERHEAD = 64 * 1024
_SAFE_NAME = re.compile(r"[^\w.-]+")
# What each download is called, after the source's name: never the source's own name.
DOWNLOADS = {
    "json": ("-данные.json", "application/json"),
    "xlsx": ("-данные.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": ("-данные.csv", "text/csv; charset=utf-8"),
    "docx": ("-очищенный.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": ("-очищенный.pdf", "application/pdf"),
}
# The undo button names an edit by its kind.
EDIT_NAMES = {
    "requisite": "правка реквизитов", "clause": "правка пункта документа", "add-clause": "новый пункт документа",
    "delete-clause": "удаление пункта документа", "cell": "правка ячейки", "section": "переименование раздела",
    "add-item": "новая строка", "delete-item": "удаление строки", "split-item": "разделение строки",
    "merge-items": "объединение строк", "move-item": "перемещение строки", "fix": "исправление по замечанию",
}
PANELS = ("requisites", "findings", "clauses", "roadmaps", "parties", "changes", "toolbar")


class Store:
    """Correction sessions by id, the oldest dropped beyond ``limit``."""

    def __init__(self, limit: int = MAX_DOCUMENTS):
        self._items: OrderedDict[str, dict] = OrderedDict()
        self._lock = threading.Lock()
        self._limit = limit

    def add(self, name: str, order: Order) -> str:
        from pipeline.corrections import Workbench

        key = secrets.token_urlsafe(12)
        with self._lock:
            self._items[key] = {"name": name, "bench": Workbench.of(order), "lock": threading.Lock()}
            while len(self._items) > self._limit:
                self._items.popitem(last=False)
        return key

    def get(self, key: str) -> dict:
        with self._lock:
            entry = self._items.get(key)
        if entry is None:
            abort(404, "Документ не найден: возможно, сервер перезапускался. Загрузите его снова.")
        return entry


def _findings(order: Order, name: str):
    from pipeline.validate import validate

    return validate(order, name)


def _marks(findings) -> dict:
    """(roadmap, item index) → findings, and (roadmap, item, column) → findings."""
    rows: dict[tuple, list] = {}
    cells: dict[tuple, list] = {}
    for f in findings:
        loc = f.location
        if loc.roadmap is not None and loc.item_index is not None:
            rows.setdefault((loc.roadmap, loc.item_index), []).append(f)
            if loc.column:
                cells.setdefault((loc.roadmap, loc.item_index, loc.column), []).append(f)
    return {"rows": rows, "cells": cells}


def _shown_columns(roadmap) -> list[str]:
    """The item fields worth a column: an empty «Результат» takes no width.
    The activity always shows; a column can be filled from the row's menu."""
    fields = ["number", "activity", "description", "deadline", "responsibles", "result"]
    from pipeline.corrections.edits import item_field_text

    return [f for f in fields if f == "activity" or any(item_field_text(item, f) for item in roadmap.items)]


def _download_stem(name: str) -> str:
    from pipeline.inputs import output_stem

    return _SAFE_NAME.sub("_", output_stem(name)).strip("_") or "документ"


def _download_name(name: str, suffix: str) -> str:
    return _download_stem(name) + suffix


def content_disposition(filename: str) -> str:
    """``attachment`` with the name in RFC 6266/5987 form: an ASCII fallback
    for old clients and the UTF-8 name («Приказ.docx») for every browser.
    A header is Latin-1; a Cyrillic name written into it raw fails."""
    fallback = filename.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "_").replace("\\", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _same_origin(host: str) -> bool:
    """The POST comes from a page of this server (or from no browser)."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source:
        return True  # not a browser (curl, a script): cross-site forgery needs one
    if source == "null":
        return False
    return urlsplit(source).netloc.lower() == host.lower()


def _host_allowed(host: str, bound: str | None) -> bool:
    """On a loopback server only loopback names are answered: a page on an
    attacker's domain rebound to 127.0.0.1 sends its own name as Host."""
    if bound is None or bound not in LOOPBACK_NAMES:
        return True
    name = urlsplit(f"//{host}").hostname or ""
    return name.lower() in LOOPBACK_NAMES | {"::1"}


def _ru_date(value) -> str:
    """A date (or an ISO date string) as people write it: 01.02.2021."""
    import datetime as dt

    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value.strftime("%d.%m.%Y") if value else "…"


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _order_json(job, name: str, data: bytes) -> Order | None:
    """An uploaded order JSON, validated by the schema and normalized; a
    schema complaint fails the job with Russian lines."""
    from pipeline.normalize import normalize
    from schemas.errors import error_lines

    try:
        order = Order.model_validate_json(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        job.state, job.error = "failed", "JSON не в кодировке UTF-8"
        return None
    except ValidationError as exc:
        lines = error_lines(exc, 5)
        job.state, job.error = "failed", "JSON не соответствует схеме: " + "; ".join(lines)
        return None
    order.source.path = name
    return normalize(order)


def _read_upload(path: Path, name: str, job) -> Order:
    """One uploaded file read in its own process, its progress told to the job."""
    from pipeline.extract import extract_order
    from pipeline.isolate import run_isolated

    order = run_isolated(extract_order, path, path=name, on_progress=job.progress)
    order.source.path = name
    return order


def _api_request() -> bool:
    return request.path.startswith("/api/")


def create_app(max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB, bound_host: str | None = "127.0.0.1", api: bool = False) -> Flask:
    from pipeline.web.jobs import Jobs

    folder = resources.files("templates").joinpath("web")
    app = Flask(__name__, template_folder=str(folder), static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = max_upload_mb * 1024 * 1024 + BODY_OVERHEAD
    app.config["MAX_UPLOAD_MB"] = max_upload_mb
    app.jinja_env.autoescape = True  # every template, whatever its suffix
    app.jinja_env.filters["ru_date"] = _ru_date
    store = Store()
    jobs = Jobs()
    app.extensions["roadmap_jobs"] = jobs

    @app.before_request
    def guard():
        g.csp_nonce = secrets.token_urlsafe(16)
        if not _host_allowed(request.host, bound_host):
            abort(400, "Неизвестное имя сервера в запросе.")
        if request.method == "POST" and not _same_origin(request.host):
            abort(403, "Запрос пришёл не со страницы этого сервера.")

    @app.after_request
    def security_headers(response):
        nonce = getattr(g, "csp_nonce", "")
        response.headers["Content-Security-Policy"] = (
            f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.context_processor
    def nonce():
        from pipeline.lang.labels import label
        from pipeline.lang.numerals import count

        return {"csp_nonce": getattr(g, "csp_nonce", ""), "label": label, "count": count}

    def upload_error(message: str, status: int):
        if _wants_json() or _api_request():
            return jsonify(error=message), status
        return render_template("index.html.j2", error=message, max_mb=max_upload_mb), status

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_):
        return upload_error(f"Загрузка больше {max_upload_mb} МБ — такая не принимается (предел задаёт --max-upload-mb).", 413)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if _wants_json() or request.is_json or _api_request():
            return jsonify(error=exc.description or exc.name), exc.code
        return render_template("error.html.j2", message=exc.description or exc.name, code=exc.code), exc.code

    @app.errorhandler(Exception)
    def unexpected(exc):
        app.logger.exception("unexpected error")
        message = f"Что-то пошло не так ({type(exc).__name__}). Попробуйте ещё раз или сообщите разработчикам."
        if _wants_json() or request.is_json or _api_request():
            return jsonify(error=message), 500
        return render_template("error.html.j2", message=message, code=500), 500

    def read_job(job, item: tuple[str, bytes, str]) -> None:
        """One uploaded file read for its job: the document stored, its counts told."""
        from pipeline.isolate import InternalError

        name, data, suffix = item
        if suffix == ".txt" and data.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"{"):
            order = _order_json(job, name, data)  # an order's JSON (as extract writes it), not a document
        else:
            with tempfile.TemporaryDirectory(prefix="roadmap-upload-") as tmp:
                path = Path(tmp) / f"upload{suffix}"
                path.write_bytes(data)
                try:
                    order = _read_upload(path, name, job)
                except InputError as exc:
                    job.state, job.error = "failed", exc.reason
                    return
                except InternalError as exc:
                    app.logger.error("extraction failed: %s\n%s", exc, exc.trace)
                    job.state, job.error = "failed", f"внутренняя ошибка разбора ({exc})"
                    return
        if order is None:
            return
        job.progress("check", 0, 1)
        findings = _findings(order, name)
        job.counts = {
            "items": sum(len(r.items) for r in order.roadmaps),
            "errors": sum(f.severity == "error" for f in findings),
            "warnings": sum(f.severity == "warning" for f in findings),
        }
        job.document = store.add(name, order)

    if api:
        from pipeline.readers import sniff
        from pipeline.web.api import make_api

        app.register_blueprint(make_api(store, jobs, read_job, ACCEPTED, sniff, _findings))

    @app.get("/")
    def index():
        return render_template("index.html.j2", error=None, max_mb=max_upload_mb)

    @app.post("/upload")
    def upload():
        from pipeline.readers import sniff

        files = [f for f in request.files.getlist("document") if f and (f.filename or f.content_length)]
        if not files:
            return upload_error("Файл не выбран: выберите приказ или перетащите его в рамку.", 400)
        if len(files) > MAX_FILES:
            return upload_error(f"За один раз принимается не больше {MAX_FILES} файлов, а выбрано {len(files)}.", 400)
        accepted: list[tuple[str, bytes, str]] = []
        refused: list[tuple[str, str]] = []
        for file in files:
            name = Path((file.filename or "документ").replace("\\", "/")).name or "документ"
            data = file.read()
            kind = sniff(data[:128]) if data else None
            if not data:
                refused.append((name, "файл пуст"))
            elif kind not in ACCEPTED:
                refused.append((name, "это не документ (PDF, DOCX, DOC, RTF, ODT, текст или изображение страницы)"))
            else:
                accepted.append((name, data, ACCEPTED[kind]))
        if not accepted and len(refused) == 1:
            return upload_error(f"{refused[0][0]}: {refused[0][1]}.", 400)

        batch, _ = jobs.submit([(name, (name, data, suffix)) for name, data, suffix in accepted], read_job, refused)
        if _wants_json():
            return jsonify(batch=batch, url=url_for("batch_page", batch=batch), state=url_for("batch_state", batch=batch)), 202
        return redirect(url_for("batch_page", batch=batch), 303)

    @app.get("/batch/<batch>")
    def batch_page(batch: str):
        entries = jobs.batch(batch)
        if not entries:
            abort(404, "Загрузка не найдена: возможно, сервер перезапускался.")
        return render_template("batch.html.j2", batch=batch, jobs=[j.view() for j in entries], on_done="open")

    @app.get("/batch/<batch>/state")
    def batch_state(batch: str):
        entries = jobs.batch(batch)
        if not entries:
            abort(404, "Загрузка не найдена.")
        views = [j.view() for j in entries]
        for v in views:
            v["url"] = url_for("document", key=v["document"]) if v["document"] else None
        return jsonify(jobs=views, finished=all(j.state in {"done", "failed"} for j in entries))

    def page_context(key: str, entry: dict) -> dict:
        from pipeline.corrections.changes import word_diff
        from pipeline.readers.office import soffice
        from pipeline.views import parties_view

        bench = entry["bench"]
        order = bench.order
        findings = _findings(order, entry["name"])
        return {
            "key": key, "name": entry["name"], "order": order, "findings": findings, "marks": _marks(findings),
            "pdf": soffice() is not None, "columns": [_shown_columns(r) for r in order.roadmaps],
            "parties": parties_view(order), "changes": bench.changes(), "word_diff": word_diff,
            "undo": bench.next_undo, "redo": bench.next_redo, "stem": _download_stem(entry["name"]),
        }

    def panels(key: str, entry: dict, message: str) -> Response:
        context = page_context(key, entry)
        html = {name: render_template(f"_{name}.html.j2", **context) for name in PANELS}
        return jsonify(ok=True, message=message, panels=html, changes=len(context["changes"]),
                       findings=len(context["findings"]))

    @app.get("/doc/<key>")
    def document(key: str):
        entry = store.get(key)
        return render_template("document.html.j2", **page_context(key, entry))

    @app.post("/doc/<key>/edit")
    def edit(key: str):
        from pydantic import ValidationError as EditShape

        from pipeline.corrections import EDIT, EditError

        entry = store.get(key)
        body = request.get_json(silent=True)
        if body is None:  # a plain form (no script): one cell
            body = {"op": "cell", **{k: request.form.get(k) for k in ("roadmap", "item", "field", "value")}}
            if body["field"] == "responsible":
                body["field"] = "responsibles"
        try:
            edit = EDIT.validate_python(body)
        except EditShape:
            abort(400, "Неверный запрос правки.")
        with entry["lock"]:
            bench = entry["bench"]
            findings = _findings(bench.order, entry["name"]) if edit.op == "fix" else None
            try:
                bench.apply(edit, EDIT_NAMES[edit.op], findings)
            except EditError as exc:
                abort(400, str(exc))
        if _wants_json():
            return panels(key, entry, f"Сделано: {EDIT_NAMES[edit.op]}.")
        return redirect(url_for("document", key=key), 303)

    @app.post("/doc/<key>/<direction>")
    def undo_redo(key: str, direction: str):
        entry = store.get(key)
        if direction not in {"undo", "redo"}:
            abort(404, "Нет такого действия.")
        with entry["lock"]:
            bench = entry["bench"]
            what = bench.undo() if direction == "undo" else bench.redo()
        if what is None:
            message = "Отменять нечего." if direction == "undo" else "Возвращать нечего."
        else:
            message = f"{'Отменено' if direction == 'undo' else 'Возвращено'}: {what}."
        if _wants_json():
            return panels(key, entry, message)
        return redirect(url_for("document", key=key), 303)

    @app.post("/doc/<key>/json")
    def replace_json(key: str):
        from schemas.errors import error_lines

        entry = store.get(key)
        text = request.form.get("json", "")
        try:
            order = Order.model_validate_json(text)
        except ValidationError as exc:
            lines = error_lines(exc, 20)
            abort(400, "JSON не соответствует схеме: " + "; ".join(lines))
        from pipeline.normalize import normalize

        with entry["lock"]:
            entry["bench"].replace(normalize(order), "загрузка исправленного JSON")
        return redirect(url_for("document", key=key), 303)

    @app.get("/doc/<key>/download/<fmt>")
    def download(key: str, fmt: str):
        entry = store.get(key)
        order = entry["bench"].order
        if fmt not in DOWNLOADS:
            abort(404, "Нет такого формата.")
        suffix, mime = DOWNLOADS[fmt]
        if fmt == "json":
            from pipeline.extract import order_json_bytes

            data = order_json_bytes(order)
        elif fmt == "xlsx":
            from pipeline.export.xlsx import order_xlsx

            data = order_xlsx(order, _findings(order, entry["name"]))
        elif fmt == "csv":
            from pipeline.export.csv import items_csv

            data = items_csv(order)
        else:
            from pipeline.render import render

            try:
                data = render(order, fmt, entry["name"])
            except InputError as exc:
                abort(503, exc.reason)
        filename = _download_name(entry["name"], suffix)
        return Response(data, mimetype=mime, headers={"Content-Disposition": content_disposition(filename)})

    @app.get("/doc/<key>/changes.<fmt>")
    def changes_download(key: str, fmt: str):
        from pipeline.export.csv import rows_csv
        from pipeline.export.xlsx import rows_xlsx

        entry = store.get(key)
        rows = [c.as_row() for c in entry["bench"].changes()]
        headers = ["Что", "Где", "Поле", "Было", "Стало"]
        if fmt == "csv":
            data, mime = rows_csv(headers, rows), "text/csv; charset=utf-8"
        elif fmt == "xlsx":
            data, mime = rows_xlsx("Исправления", headers, rows, [12, 24, 18, 60, 60]), DOWNLOADS["xlsx"][1]
        else:
            abort(404, "Нет такого формата.")
        filename = _download_name(entry["name"], f"-исправления.{fmt}")
        return Response(data, mimetype=mime, headers={"Content-Disposition": content_disposition(filename)})

    @app.get("/doc/<key>/timeline.<fmt>")
    def timeline(key: str, fmt: str):
        from pipeline.timeline import build_timeline
        from pipeline.timeline.draw import chart

        entry = store.get(key)
        by = request.args.get("by", "section")
        if fmt not in {"svg", "png"} or by not in {"section", "party"}:
            abort(404, "Нет такого графика.")
        order = entry["bench"].order
        if not any(r.items for r in order.roadmaps):
            abort(404, "В документе нет мероприятий — графику нечего показать.")
        data = chart(build_timeline(order, by, _findings(order, entry["name"])), fmt)
        headers = {}
        if request.args.get("download"):
            headers["Content-Disposition"] = content_disposition(_download_name(entry["name"], f"-график.{fmt}"))
        return Response(data, mimetype="image/svg+xml" if fmt == "svg" else "image/png", headers=headers)

    @app.get("/compare")
    def compare_form():
        return render_template("compare.html.j2", error=None, max_mb=max_upload_mb)

    @app.post("/compare")
    def compare_upload():
        from pipeline.readers import sniff

        given = []
        for field_name, title in (("old", "старая редакция"), ("new", "новая редакция")):
            file = request.files.get(field_name)
            data = file.read() if file else b""
            name = Path((file.filename or title) if file else title).name
            if not data:
                return render_template("compare.html.j2", error=f"Не выбран файл: {title}.", max_mb=max_upload_mb), 400
            kind = sniff(data[:128])
            if kind not in ACCEPTED:
                return render_template("compare.html.j2", error=f"{name}: это не документ.", max_mb=max_upload_mb), 400
            given.append((name, data, ACCEPTED[kind]))
        batch, _ = jobs.submit([(name, item) for name, item in zip([g[0] for g in given], given)], read_job)
        return redirect(url_for("compare_page", batch=batch), 303)

    def comparison(batch: str):
        """The two editions of a compare batch, read, and their diff; a
        page to show instead while they are read or when one failed."""
        from pipeline.diff import compare

        entries = jobs.batch(batch)
        if len(entries) != 2:
            abort(404, "Сравнение не найдено: возможно, сервер перезапускался.")
        if not all(j.state in {"done", "failed"} for j in entries):
            return None, render_template("batch.html.j2", batch=batch, jobs=[j.view() for j in entries], on_done="reload")
        failed = [j for j in entries if j.state == "failed"]
        if failed:
            message = "; ".join(f"{j.name}: {j.error}" for j in failed)
            return None, (render_template("compare.html.j2", error=message, max_mb=max_upload_mb), 400)
        old, new = (store.get(j.document)["bench"].order for j in entries)
        return (entries, old, new, compare(old, new, entries[0].name, entries[1].name)), None

    @app.get("/compare/<batch>")
    def compare_page(batch: str):
        from pipeline.diff.report import table_rows

        done, page = comparison(batch)
        if done is None:
            return page
        entries, old, new, result = done
        rows, renumbered = table_rows(result, old, new)
        return render_template("compare_result.html.j2", diff=result, rows=rows, renumbered=renumbered, batch=batch,
                               old_key=entries[0].document, new_key=entries[1].document)

    @app.get("/compare/<batch>/download/<fmt>")
    def compare_download(batch: str, fmt: str):
        from pipeline.diff.report import docx_table, html_report

        if fmt not in {"docx", "html", "json"}:
            abort(404, "Нет такого формата.")
        done, _ = comparison(batch)
        if done is None:
            abort(409, "Сравнение не готово или одна из редакций не прочитана.")
        entries, old, new, result = done
        if fmt == "docx":
            data, mime = docx_table(result, old, new), DOWNLOADS["docx"][1]
        elif fmt == "html":
            data, mime = html_report(result, old, new).encode("utf-8"), "text/html; charset=utf-8"
        else:
            data, mime = (result.model_dump_json(indent=2) + "\n").encode("utf-8"), "application/json"
        filename = f"{_download_stem(entries[1].name)}-сравнение.{fmt}"
        return Response(data, mimetype=mime, headers={"Content-Disposition": content_disposition(filename)})

    @app.get("/draft")
    def draft_form():
        return render_template("draft.html.j2", error=None, findings=None, form=DraftForm.empty(), preview=None)

    @app.post("/draft/deadline")
    def draft_deadline():
        """What a deadline typed in the grid means, as the draft will read it."""
        from pipeline.lang.dates import impossible_date
        from pipeline.lang.labels import label
        from pipeline.lang.periods import parse_period
        from pipeline.normalize.deadlines import DeadlineContext, normalize_deadline

        body = request.get_json(silent=True) or {}
        text = " ".join(str(body.get("text", "")).split())
        period = parse_period(str(body.get("period", ""))) or parse_period(str(body.get("title", "")))
        if not text:
            return jsonify(state="empty", text="")
        if (wrong := impossible_date(text)) is not None:
            return jsonify(state="error", text=f"даты «{wrong}» не бывает")
        if period is None:
            return jsonify(state="warning", text="укажите период плана — срок будет понят в нём")
        deadline = normalize_deadline(text, DeadlineContext(period, None))
        if deadline.kind in (None, "unknown"):
            return jsonify(state="warning", text="срок не понят")
        if deadline.kind == "schedule":
            return jsonify(state="ok", text="по графику — без дат")
        shown = label("deadline_kind", deadline.kind)
        if deadline.start or deadline.end:
            start = deadline.start.strftime("%d.%m.%Y") if deadline.start else "…"
            end = deadline.end.strftime("%d.%m.%Y") if deadline.end else "…"
            shown = f"{start} – {end} ({shown})"
        return jsonify(state="ok", text=shown)

    @app.post("/draft")
    def draft_make():
        from pipeline.render import render
        from pipeline.render.draft import SpecError, draft_from_spec
        from pipeline.validate import validate

        form = DraftForm.of(request.form)
        action = request.form.get("action", "docx")
        try:
            order = draft_from_spec(form.spec(), "форма")
        except SpecError as exc:
            return render_template("draft.html.j2", error=str(exc), findings=None, form=form, preview=None), 400
        findings = validate(order, "форма")
        if any(f.severity == "error" for f in findings) or action in {"check", "preview"}:
            preview = _preview_body(render(order, "html").decode("utf-8")) if action == "preview" else None
            return render_template("draft.html.j2", error=None, findings=findings, form=form, preview=preview), 200
        fmt = "pdf" if action == "pdf" else "docx"
        try:
            data = render(order, fmt)
        except InputError as exc:
            return render_template("draft.html.j2", error=exc.reason, findings=findings, form=form, preview=None), 503
        stem = _SAFE_NAME.sub("_", form.title)[:60].strip("_") or "проект"
        return Response(data, mimetype=DOWNLOADS[fmt][1],
                        headers={"Content-Disposition": content_disposition(f"проект-{stem}.{fmt}")})

    return app


def _preview_body(html: str) -> Markup:
    """The body of the draft as the HTML render makes it (our own template,
    which escapes every text of the document), to show inside the page."""
    match = re.search(r"<body[^>]*>(.*)</body>", html, re.DOTALL)
    style = re.search(r"<style[^>]*>(.*?)</style>", html, re.DOTALL)
    scoped = ""
    if style:  # the render's styles, kept inside the preview box
        scoped = re.sub(r"(^|})\s*([^{}@]+)\{", lambda m: f"{m.group(1)} " + ", ".join(f"#preview {s.strip()}" for s in m.group(2).split(",")) + " {", style.group(1))
    return Markup(f"<style>{scoped}</style>" if scoped else "") + Markup(match.group(1) if match else html)


@dataclass
class DraftRow:
    activity: str = ""
    deadline: str = ""
    responsibles: str = ""  # comma-separated, as typed
    result: str = ""


@dataclass
class DraftSection:
    title: str = ""
    rows: list[DraftRow] = field(default_factory=list)


@dataclass
class DraftForm:
    """The draft form's fields: requisites, and the plan as a grid of
    sections and rows (``section_title``; ``item_section``, ``item_activity``,
    ``item_deadline``, ``item_responsibles``, ``item_result`` as parallel
    lists).  A script may still send the plan as text in ``sections``: a line
    «## Раздел» opens a section, each line after it is «мероприятие | срок |
    ответственные через запятую | результат»."""

    fields: dict[str, str]
    sections: list[DraftSection]

    TEXT = ("authority", "kind", "date", "number", "place", "period", "title", "plan_title", "preamble",
            "clauses", "position", "name", "abbreviations")

    @classmethod
    def empty(cls) -> DraftForm:
        return cls({"kind": "приказ"}, [DraftSection("", [DraftRow(), DraftRow(), DraftRow()])])

    @classmethod
    def of(cls, form) -> DraftForm:
        fields = {name: str(form.get(name, "")).strip() for name in cls.TEXT}
        titles = form.getlist("section_title")
        sections = [DraftSection(t.strip()) for t in titles]
        columns = [form.getlist(f"item_{name}") for name in ("section", "activity", "deadline", "responsibles", "result")]
        for index, activity, deadline, responsibles, result in zip(*columns):
            try:
                section = sections[int(index)]
            except (ValueError, IndexError):
                continue
            section.rows.append(DraftRow(activity.strip(), deadline.strip(), responsibles.strip(), result.strip()))
        if not titles and form.get("sections"):
            sections = cls._from_text(str(form.get("sections")))
        return cls(fields, sections)

    @staticmethod
    def _from_text(text: str) -> list[DraftSection]:
        sections: list[DraftSection] = []
        for line in (line.strip() for line in text.splitlines()):
            if not line:
                continue
            if line.startswith("#"):
                sections.append(DraftSection(line.lstrip("#").strip()))
                continue
            if not sections:
                sections.append(DraftSection("Мероприятия"))
            parts = [p.strip() for p in line.split("|")] + ["", "", "", ""]
            sections[-1].rows.append(DraftRow(*parts[:4]))
        return sections

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name) or default

    @property
    def title(self) -> str:
        return self.get("plan_title") or self.get("title")

    def spec(self) -> dict:
        """The draft spec (as ``roadmap draft`` reads from YAML)."""
        from pipeline.render.draft import SpecError

        def lines(name: str) -> list[str]:
            return [line.strip() for line in self.get(name).splitlines() if line.strip()]

        abbreviations = {}
        for line in lines("abbreviations"):
            short, sep, full = line.partition("—") if "—" in line else line.partition(" - ") if " - " in line else line.partition("-")
            if sep and short.strip() and full.strip():
                abbreviations[short.strip()] = full.strip()
        sections = []
        for s, section in enumerate(self.sections, 1):
            rows = [r for r in section.rows if r.activity or r.deadline or r.responsibles or r.result]
            for k, row in enumerate(rows, 1):
                if not row.activity:
                    raise SpecError(f"раздел {s}, строка {k}: не указано мероприятие")
            if rows or section.title:
                sections.append({
                    "title": section.title or "Мероприятия",
                    "items": [{"activity": r.activity, "deadline": r.deadline,
                               "responsibles": [p.strip() for p in r.responsibles.split(",") if p.strip()],
                               "result": r.result or None} for r in rows],
                })
        signatory = {"position": self.get("position") or None, "name": self.get("name") or None}
        return {
            "authority": self.get("authority"),
            "kind": self.get("kind", "приказ"),
            "date": self.get("date") or None,
            "number": self.get("number") or None,
            "place": self.get("place") or None,
            "title": self.get("title"),
            "preamble": self.get("preamble") or None,
            "clauses": lines("clauses"),
            "signatory": signatory,
            "plan": {"title": self.title, "period": self.get("period") or None,
                     "abbreviations": abbreviations, "sections": sections},
        }


def make_server(host: str = "127.0.0.1", port: int = 8000, max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB, api: bool = False):
    """The web page's server, bound to its address (``OSError`` when the
    address is taken or not ours); ``.run()`` serves until stopped."""
    from waitress import create_server

    app = create_app(max_upload_mb, bound_host=host, api=api)
    # waitress stops reading a body past this size and answers 413 itself.
    limit = app.config["MAX_CONTENT_LENGTH"]
    return create_server(app, host=host, port=port, threads=8, max_request_body_size=limit)


def serve(host: str = "127.0.0.1", port: int = 8000, max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB) -> None:
    make_server(host, port, max_upload_mb).run()
