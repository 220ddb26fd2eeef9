"""The HTTP API (`roadmap serve --api`): extract, validate (JSON and SARIF),
render, schema, health, a job for a scan, the limits — through Flask's test
client, as a portal or a CI job would call it."""

import io
import json
import shutil
import time

import jsonschema
import pytest

from pipeline.web import create_app
from schemas import order_json_schema
from tests.conftest import CORPUS

DOCX = CORPUS / "documents" / "smolensk-prikaz-718-od.docx"
SCAN = CORPUS.parent / "tests" / "fixtures" / "scans" / "nao-rasporyazhenie-454-r-scan.pdf"


@pytest.fixture
def client():
    app = create_app(max_upload_mb=2, api=True)
    return app.test_client()


def send(client, path, endpoint="extract", query=""):
    data = {"document": (io.BytesIO(path.read_bytes()), path.name)}
    return client.post(f"/api/v1/{endpoint}{query}", data=data, content_type="multipart/form-data")


def finished(client, answer, seconds=180):
    assert answer.status_code == 202 and answer.headers["Location"].startswith("/api/v1/jobs/")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = client.get(answer.headers["Location"]).json
        if job["state"] in {"done", "failed"}:
            return job
        time.sleep(0.1)
    raise AssertionError("the job did not finish")


def test_extract_as_a_job_and_with_wait(client):
    job = finished(client, send(client, DOCX))
    assert job["state"] == "done" and job["counts"]["items"] == 39
    order = client.get(job["result"]).json
    jsonschema.Draft202012Validator(order_json_schema()).validate(order)
    assert order["document"]["number"] == "718-ОД"
    waited = send(client, DOCX, query="?wait=30")
    assert waited.status_code == 200 and waited.json["document"]["number"] == "718-ОД"


def test_validate_json_and_sarif(client):
    findings = send(client, DOCX, "validate", "?wait=30")
    assert findings.status_code == 200
    # The same shapes as `roadmap validate --format json`: a list of findings.
    assert {f["code"] for f in findings.json} >= {"R001", "N002"}
    assert all(set(f) == {"code", "rule", "severity", "message", "location", "fix", "replaces"} for f in findings.json)
    sarif = send(client, DOCX, "validate", "?wait=30&format=sarif")
    assert sarif.mimetype == "application/sarif+json" and sarif.json["version"] == "2.1.0"
    assert any(r["ruleId"] == "R001" for r in sarif.json["runs"][0]["results"])


def test_render_schema_health_openapi(client):
    order = client.post("/api/v1/extract?wait=30", data=DOCX.read_bytes(), headers={"X-File-Name": DOCX.name}).data
    docx = client.post("/api/v1/render?to=docx", data=order, content_type="application/json")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    html = client.post("/api/v1/render?to=html", data=order, content_type="application/json")
    assert "718-ОД" in html.data.decode()
    bad = client.post("/api/v1/render", data=b'{"roadmaps": 5}', content_type="application/json")
    assert bad.status_code == 400 and "не соответствует схеме" in bad.json["error"]
    assert client.get("/api/v1/schema").json["title"] == "Order"
    assert client.get("/api/v1/schema?of=diff").json["title"] == "OrderDiff"
    assert client.get("/api/v1/health").json["status"] == "ok"
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"] == "3.1.0" and {"/api/v1/extract", "/api/v1/validate", "/api/v1/render", "/api/v1/jobs/{key}"} <= set(spec["paths"])


def test_limits_and_errors_are_json(client):
    big = client.post("/api/v1/extract", data=b"x" * (3 * 1024 * 1024), headers={"X-File-Name": "big.txt"})
    assert big.status_code == 413 and "больше 2 МБ" in big.json["error"]
    program = client.post("/api/v1/extract", data=b"\x7fELF" + b"\0" * 64)
    assert program.status_code == 400 and "это не документ" in program.json["error"]
    assert client.post("/api/v1/extract", data=b"").status_code == 400
    broken = finished(client, client.post("/api/v1/extract", data=b"%PDF-1.7 broken", headers={"X-File-Name": "a.pdf"}))
    assert broken["state"] == "failed"
    assert client.get(broken["url"] + "/result").status_code == 422
    assert client.get("/api/v1/jobs/nonexistent").status_code == 404
    assert client.get("/api/v1/jobs/nonexistent").json["error"].startswith("нет такого задания")
    assert client.get("/api/v1/nothing-here").is_json


def test_the_api_is_off_without_the_option():
    assert create_app().test_client().get("/api/v1/health").status_code == 404


@pytest.mark.skipif(not shutil.which("tesseract"), reason="Tesseract is not installed")
def test_a_scan_is_a_job_with_progress(client):
    answer = send(client, SCAN)
    assert answer.status_code == 202
    seen = set()
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        job = client.get(answer.headers["Location"]).json
        seen.add(job["step"].split(":")[0])
        if job["state"] in {"done", "failed"}:
            break
        time.sleep(0.1)
    assert job["state"] == "done" and "распознавание страниц" in seen
    assert json.loads(client.get(job["result"]).data)["source"]["ocr"] is True
