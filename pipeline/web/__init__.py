"""A local web page for methodologists: upload an order, check and correct
its roadmap, download the results; make a new plan draft from a form.

Flask with the project's Jinja templates (`templates/web/`), server-rendered,
a little JavaScript for drag-and-drop and in-place editing.  Safety:

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
import unicodedata
from collections import OrderedDict
from importlib import resources
from pathlib import Path
from urllib.parse import quote, urlsplit

from flask import Flask, Response, abort, g, jsonify, redirect, render_template, request, url_for
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from pipeline.errors import InputError
from schemas import Deadline, Order, Party

DEFAULT_MAX_UPLOAD_MB = 20
MAX_DOCUMENTS = 50
ACCEPTED = {"pdf": ".pdf", "zip": ".docx", "odt": ".odt", "ole": ".doc", "rtf": ".rtf", "text": ".txt", "image": ".img"}
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}
# Room for the multipart envelope and the other form fields around the file.
BODY_OVERHEAD = 64 * 1024
EDITABLE = {"number", "activity", "description", "deadline", "responsibles", "result"}
_SAFE_NAME = re.compile(r"[^\w.-]+")


class Store:
    """Orders by id, the oldest dropped beyond ``limit``."""

    def __init__(self, limit: int = MAX_DOCUMENTS):
        self._items: OrderedDict[str, dict] = OrderedDict()
        self._lock = threading.Lock()
        self._limit = limit

    def add(self, name: str, order: Order) -> str:
        key = secrets.token_urlsafe(12)
        with self._lock:
            self._items[key] = {"name": name, "order": order}
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


def _apply_edit(order: Order, roadmap: int, index: int, field: str, value: str) -> None:
    """Change one cell of one item through the models, then normalize again."""
    from pipeline.normalize import normalize

    if not (0 <= roadmap < len(order.roadmaps) and 0 <= index < len(order.roadmaps[roadmap].items)):
        abort(400, "Нет такого пункта.")
    item = order.roadmaps[roadmap].items[index]
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n")).strip()
    if field == "deadline":
        item.deadline = Deadline(text=" ".join(value.split())) if value else None
    elif field == "responsibles":
        item.responsibles = [Party(text=" ".join(line.split())) for line in value.split("\n") if line.strip()]
    elif field == "activity":
        item.activity = " ".join(value.split())
    elif field in {"number", "description", "result"}:
        setattr(item, field, " ".join(value.split()) or None)
    else:
        abort(400, "Это поле не редактируется.")
    normalize(order)


def _download_name(name: str, suffix: str) -> str:
    stem = _SAFE_NAME.sub("_", Path(name).stem).strip("_") or "order"
    return f"{stem}.{suffix}"


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


def create_app(max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB, bound_host: str | None = "127.0.0.1") -> Flask:
    folder = resources.files("templates").joinpath("web")
    app = Flask(__name__, template_folder=str(folder), static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = max_upload_mb * 1024 * 1024 + BODY_OVERHEAD
    app.config["MAX_UPLOAD_MB"] = max_upload_mb
    app.jinja_env.autoescape = True  # every template, whatever its suffix
    store = Store()

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

        return {"csp_nonce": getattr(g, "csp_nonce", ""), "label": label}

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_):
        return render_template("index.html.j2", error=f"Файл больше {max_upload_mb} МБ — такой не принимается.", max_mb=max_upload_mb), 413

    @app.errorhandler(HTTPException)
    def http_error(exc):
        return render_template("error.html.j2", message=exc.description or exc.name, code=exc.code), exc.code

    @app.errorhandler(Exception)
    def unexpected(exc):
        app.logger.exception("unexpected error")
        return render_template("error.html.j2", message=f"Что-то пошло не так ({type(exc).__name__}). Попробуйте ещё раз или сообщите разработчикам.", code=500), 500

    @app.get("/")
    def index():
        return render_template("index.html.j2", error=None, max_mb=max_upload_mb)

    @app.post("/upload")
    def upload():
        from pipeline.extract import extract_order
        from pipeline.isolate import InternalError, run_isolated
        from pipeline.readers import sniff

        file = request.files.get("document")
        if file is None:
            return render_template("index.html.j2", error="Выберите файл приказа.", max_mb=max_upload_mb), 400
        data = file.read()
        name = Path(file.filename or "document").name
        if not data:
            return render_template("index.html.j2", error=f"{name}: файл пуст.", max_mb=max_upload_mb), 400
        kind = sniff(data[:128])
        if kind not in ACCEPTED:
            return render_template("index.html.j2", error=f"{name}: это не документ (PDF, DOCX, DOC, RTF, ODT, текст или изображение страницы).", max_mb=max_upload_mb), 400
        with tempfile.TemporaryDirectory(prefix="roadmap-upload-") as tmp:
            path = Path(tmp) / f"upload{ACCEPTED[kind]}"
            path.write_bytes(data)
            try:
                order = run_isolated(extract_order, path, path=name)
            except InputError as exc:
                return render_template("index.html.j2", error=f"{name}: {exc.reason}", max_mb=max_upload_mb), 400
            except InternalError as exc:
                app.logger.error("extraction failed: %s\n%s", exc, exc.trace)
                return render_template("index.html.j2", error=f"{name}: внутренняя ошибка разбора ({exc}).", max_mb=max_upload_mb), 500
        order.source.path = name
        key = store.add(name, order)
        return redirect(url_for("document", key=key), 303)

    @app.get("/doc/<key>")
    def document(key: str):
        entry = store.get(key)
        order = entry["order"]
        findings = _findings(order, entry["name"])
        from pipeline.render.context import order_context
        from pipeline.render import FORMATS
        from pipeline.readers.office import soffice

        return render_template(
            "document.html.j2",
            key=key, name=entry["name"], order=order, findings=findings, marks=_marks(findings),
            pdf=soffice() is not None, formats=FORMATS, context=order_context(order),
        )

    @app.post("/doc/<key>/edit")
    def edit(key: str):
        entry = store.get(key)
        try:
            roadmap, index = int(request.form["roadmap"]), int(request.form["item"])
        except (KeyError, ValueError):
            abort(400, "Неверный запрос правки.")
        field = request.form.get("field", "")
        if field not in EDITABLE:
            abort(400, "Это поле не редактируется.")
        _apply_edit(entry["order"], roadmap, index, field, request.form.get("value", ""))
        if request.accept_mimetypes.best == "application/json":
            return jsonify(ok=True)
        return redirect(url_for("document", key=key) + f"#item-{roadmap}-{index}", 303)

    @app.post("/doc/<key>/json")
    def replace_json(key: str):
        entry = store.get(key)
        text = request.form.get("json", "")
        try:
            order = Order.model_validate_json(text)
        except ValidationError as exc:
            lines = [f"{'.'.join(map(str, e['loc'])) or '(документ)'}: {e['msg']}" for e in exc.errors()[:20]]
            abort(400, "JSON не соответствует схеме: " + "; ".join(lines))
        from pipeline.normalize import normalize

        entry["order"] = normalize(order)
        return redirect(url_for("document", key=key), 303)

    @app.get("/doc/<key>/download/<fmt>")
    def download(key: str, fmt: str):
        entry = store.get(key)
        order = entry["order"]
        if fmt == "json":
            data, mime = order.model_dump_json(indent=2).encode("utf-8"), "application/json"
        elif fmt == "xlsx":
            from pipeline.export.xlsx import order_xlsx

            data = order_xlsx(order, _findings(order, entry["name"]))
            mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        elif fmt == "csv":
            from pipeline.export.csv import items_csv

            data, mime = items_csv(order), "text/csv; charset=utf-8"
        elif fmt in {"docx", "pdf"}:
            from pipeline.render import render

            try:
                data = render(order, fmt, entry["name"])
            except InputError as exc:
                abort(503, exc.reason)
            mime = "application/pdf" if fmt == "pdf" else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        else:
            abort(404, "Нет такого формата.")
        filename = _download_name(entry["name"], fmt)
        return Response(data, mimetype=mime, headers={"Content-Disposition": content_disposition(filename)})

    @app.get("/draft")
    def draft_form():
        return render_template("draft.html.j2", error=None, findings=None, form={})

    @app.post("/draft")
    def draft_make():
        from pipeline.render import render
        from pipeline.render.draft import SpecError, draft_from_spec
        from pipeline.validate import validate

        form = request.form
        try:
            order = draft_from_spec(spec_from_form(form), "форма")
        except SpecError as exc:
            return render_template("draft.html.j2", error=str(exc), findings=None, form=form), 400
        findings = validate(order, "форма")
        if any(f.severity == "error" for f in findings) or form.get("action") == "check":
            return render_template("draft.html.j2", error=None, findings=findings, form=form), 200
        data = render(order, "docx")
        return Response(
            data,
            mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            headers={"Content-Disposition": content_disposition("draft.docx")},
        )

    return app


def spec_from_form(form) -> dict:
    """The draft spec from the form's fields.  Sections are written as text:
    a line «## Название раздела» opens a section; each following line is an
    item «мероприятие | срок | ответственные через запятую | результат»."""
    def lines(name: str) -> list[str]:
        return [line.strip() for line in form.get(name, "").splitlines() if line.strip()]

    abbreviations = {}
    for line in lines("abbreviations"):
        short, sep, full = line.partition("—") if "—" in line else line.partition("-")
        if sep and short.strip() and full.strip():
            abbreviations[short.strip()] = full.strip()
    sections: list[dict] = []
    for line in lines("sections"):
        if line.startswith("#"):
            sections.append({"title": line.lstrip("#").strip(), "items": []})
            continue
        if not sections:
            sections.append({"title": "Мероприятия", "items": []})
        parts = [p.strip() for p in line.split("|")] + ["", "", "", ""]
        sections[-1]["items"].append(
            {"activity": parts[0], "deadline": parts[1], "responsibles": [p.strip() for p in parts[2].split(",") if p.strip()], "result": parts[3] or None}
        )
    return {
        "authority": form.get("authority", "").strip(),
        "kind": form.get("kind", "приказ"),
        "date": form.get("date") or None,
        "number": form.get("number") or None,
        "place": form.get("place") or None,
        "title": form.get("title", "").strip(),
        "preamble": form.get("preamble") or None,
        "clauses": lines("clauses"),
        "signatory": {"position": form.get("position") or None, "name": form.get("name") or None},
        "plan": {
            "title": form.get("plan_title", "").strip() or form.get("title", "").strip(),
            "period": form.get("period") or None,
            "abbreviations": abbreviations,
            "sections": sections,
        },
    }


def make_server(host: str = "127.0.0.1", port: int = 8000, max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB):
    """The web page's server, bound to its address (``OSError`` when the
    address is taken or not ours); ``.run()`` serves until stopped."""
    from waitress import create_server

    app = create_app(max_upload_mb, bound_host=host)
    # waitress stops reading a body past this size and answers 413 itself.
    limit = app.config["MAX_CONTENT_LENGTH"]
    return create_server(app, host=host, port=port, threads=4, max_request_body_size=limit)


def serve(host: str = "127.0.0.1", port: int = 8000, max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB) -> None:
    make_server(host, port, max_upload_mb).run()
