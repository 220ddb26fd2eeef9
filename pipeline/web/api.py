"""The HTTP API for portals and CI (``roadmap serve --api``): JSON in and
out under ``/api/v1``, described by ``/api/v1/openapi.json``.

Reading a document is long work (a scan takes a minute), so ``extract`` and
``validate`` answer ``202`` with a job to poll (``Location``), run by the
same background jobs as the web page (:mod:`pipeline.web.jobs`: one process
per document, at most one per core, the same limits); ``?wait=SECONDS``
waits that long and answers ``200`` with the result when it is ready by
then.  Errors are ``{"error": "…"}`` in Russian with the HTTP status that
fits: 400 bad input, 404 unknown job, 409 a job not finished, 413 too large,
422 a document that could not be read.
"""

from __future__ import annotations

import time

from flask import Blueprint, Response, jsonify, request, url_for

from schemas import SCHEMA_VERSION

MAX_WAIT_SECONDS = 60


def _error(message: str, status: int):
    return jsonify(error=message), status


def make_api(store, jobs, read_job, accepted: dict, sniff, findings_of) -> Blueprint:
    api = Blueprint("api", __name__, url_prefix="/api/v1")

    def job_view(job) -> dict:
        view = job.view()
        view["url"] = url_for("api.job", key=job.id, _external=False)
        view["result"] = url_for("api.job_result", key=job.id) if job.state == "done" else None
        return view

    def submit(kind: str):
        file = request.files.get("document")
        data = file.read() if file else request.get_data()
        name = (file.filename if file else request.headers.get("X-File-Name")) or "документ"
        if not data:
            return _error("нет документа: пошлите файл полем «document» (multipart) или телом запроса", 400)
        detected = sniff(data[:128])
        if detected not in accepted:
            return _error(f"{name}: это не документ (PDF, DOCX, DOC, RTF, ODT, текст, изображение страницы или JSON приказа)", 400)
        fmt = request.args.get("format", "json")
        if fmt not in {"json", "sarif"}:
            return _error("format: json или sarif", 400)
        _, [job] = jobs.submit([(name, (name, data, accepted[detected]))], read_job)
        job.kind, job.format = kind, fmt
        wait = min(float(request.args.get("wait", 0) or 0), MAX_WAIT_SECONDS)
        deadline = time.monotonic() + wait
        while wait and job.state in {"waiting", "running"} and time.monotonic() < deadline:
            time.sleep(0.05)
        if job.state == "done" and wait:
            return result(job)
        response = jsonify(job_view(job))
        response.status_code = 202
        response.headers["Location"] = url_for("api.job", key=job.id)
        return response

    def result(job):
        if job.state == "failed":
            return _error(f"{job.name}: {job.error}", 422)
        if job.state != "done":
            return _error("задание ещё выполняется", 409)
        entry = store.get(job.document)
        order = entry["bench"].order
        if job.kind == "extract":
            from pipeline.extract import order_json_bytes

            return Response(order_json_bytes(order), mimetype="application/json")
        from pipeline.validate.formats import DocumentReport, render

        report = DocumentReport(job.name, findings_of(order, job.name), format=order.source.format)
        mime = "application/sarif+json" if job.format == "sarif" else "application/json"
        return Response(render(job.format, [report]), mimetype=mime)

    @api.get("/health")
    def health():
        from pipeline.readers.ocr import tesseract_available
        from pipeline.readers.office import soffice

        return jsonify(status="ok", schema_version=SCHEMA_VERSION, ocr=tesseract_available(), pdf=soffice() is not None)

    @api.get("/schema")
    def schema():
        from schemas import diff_json_schema, order_json_schema

        of = request.args.get("of", "order")
        if of not in {"order", "diff"}:
            return _error("of: order или diff", 400)
        return jsonify(order_json_schema() if of == "order" else diff_json_schema())

    @api.post("/extract")
    def extract():
        return submit("extract")

    @api.post("/validate")
    def validate():
        return submit("validate")

    @api.get("/jobs/<key>")
    def job(key: str):
        found = jobs.get(key)
        if found is None:
            return _error("нет такого задания (возможно, сервер перезапускался)", 404)
        return jsonify(job_view(found))

    @api.get("/jobs/<key>/result")
    def job_result(key: str):
        found = jobs.get(key)
        if found is None:
            return _error("нет такого задания (возможно, сервер перезапускался)", 404)
        return result(found)

    @api.post("/render")
    def render_order():
        from pydantic import ValidationError

        from pipeline.errors import InputError
        from pipeline.normalize import normalize
        from pipeline.render import render
        from schemas import Order
        from schemas.errors import error_lines

        to = request.args.get("to", "docx")
        mimes = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "pdf": "application/pdf",
                 "html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8"}
        if to not in mimes:
            return _error("to: docx, pdf, html или md", 400)
        try:
            order = normalize(Order.model_validate_json(request.get_data()))
        except ValidationError as exc:
            lines = error_lines(exc, 10)
            return _error("JSON не соответствует схеме: " + "; ".join(lines), 400)
        try:
            data = render(order, to)
        except InputError as exc:
            return _error(exc.reason, 503 if to == "pdf" else 400)
        return Response(data, mimetype=mimes[to])

    @api.get("/openapi.json")
    def openapi():
        return jsonify(openapi_document())

    return api


def openapi_document() -> dict:
    """The API described in OpenAPI 3.1 (the order's schema by reference to ``/api/v1/schema``)."""
    error = {"description": "ошибка", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    upload = {
        "required": True,
        "content": {
            "multipart/form-data": {"schema": {"type": "object", "properties": {"document": {"type": "string", "format": "binary"}}}},
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        },
    }
    wait = {"name": "wait", "in": "query", "schema": {"type": "number", "maximum": MAX_WAIT_SECONDS},
            "description": "ждать результата до стольких секунд; готовый результат — 200, иначе 202 с заданием"}
    accepted = {"description": "задание принято", "headers": {"Location": {"schema": {"type": "string"}}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Job"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "roadmap-orders", "version": SCHEMA_VERSION,
                 "description": "Приказы и планы мероприятий: извлечение, проверка, оформление."},
        "paths": {
            "/api/v1/health": {"get": {"summary": "Состояние сервера", "responses": {"200": {"description": "работает"}}}},
            "/api/v1/schema": {"get": {"summary": "JSON Schema приказа (of=order) или сравнения (of=diff)",
                                       "parameters": [{"name": "of", "in": "query", "schema": {"enum": ["order", "diff"]}}],
                                       "responses": {"200": {"description": "схема"}, "400": error}}},
            "/api/v1/extract": {"post": {"summary": "Документ → JSON приказа", "requestBody": upload, "parameters": [wait],
                                         "responses": {"200": {"description": "JSON приказа"}, "202": accepted, "400": error, "413": error, "422": error}}},
            "/api/v1/validate": {"post": {"summary": "Документ → замечания (как roadmap validate --format json или sarif)",
                                          "requestBody": upload,
                                          "parameters": [wait, {"name": "format", "in": "query", "schema": {"enum": ["json", "sarif"]}}],
                                          "responses": {"200": {"description": "замечания"}, "202": accepted, "400": error, "413": error, "422": error}}},
            "/api/v1/jobs/{key}": {"get": {"summary": "Состояние задания", "parameters": [{"name": "key", "in": "path", "required": True, "schema": {"type": "string"}}],
                                           "responses": {"200": {"description": "задание", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Job"}}}}, "404": error}}},
            "/api/v1/jobs/{key}/result": {"get": {"summary": "Результат задания", "parameters": [{"name": "key", "in": "path", "required": True, "schema": {"type": "string"}}],
                                                  "responses": {"200": {"description": "результат"}, "404": error, "409": error, "422": error}}},
            "/api/v1/render": {"post": {"summary": "JSON приказа → документ", "parameters": [{"name": "to", "in": "query", "schema": {"enum": ["docx", "pdf", "html", "md"]}}],
                                        "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "/api/v1/schema"}}}},
                                        "responses": {"200": {"description": "документ"}, "400": error, "503": error}}},
        },
        "components": {"schemas": {
            "Error": {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]},
            "Job": {"type": "object", "properties": {
                "id": {"type": "string"}, "name": {"type": "string"}, "state": {"enum": ["waiting", "running", "done", "failed"]},
                "step": {"type": "string"}, "done": {"type": "integer"}, "total": {"type": "integer"},
                "error": {"type": ["string", "null"]}, "url": {"type": "string"}, "result": {"type": ["string", "null"]}}},
        }},
    }
