"""The web page through Flask's test client: upload, findings, edits,
downloads, limits and escaping."""

import io
import re

import openpyxl
import pytest

from pipeline.web import create_app
from tests.conftest import CORPUS

PDF = CORPUS / "documents" / "smolensk-prikaz-422-od.pdf"


@pytest.fixture
def client():
    app = create_app(max_upload_mb=1)
    app.testing = False  # errors as the user sees them
    return app.test_client()


def upload(client, path, name=None):
    data = {"document": (io.BytesIO(path.read_bytes() if hasattr(path, "read_bytes") else path), name or path.name)}
    return client.post("/upload", data=data, content_type="multipart/form-data")


def open_document(client, path):
    response = upload(client, path)
    assert response.status_code == 303, response.data.decode()[:500]
    key = response.headers["Location"].rsplit("/", 1)[-1]
    return key, client.get(f"/doc/{key}").data.decode()


def test_upload_shows_every_item_and_findings(client):
    key, page = open_document(client, PDF)
    assert page.count('class="item') == 38
    assert "R002" in page and "ШНРО" in page
    assert 'title="Департамент Смоленской области по образованию и науке"' in page  # full name on hover
    assert "2021-" not in page and "01.02.2021 – 28.02.2021" in page  # the interval beside the printed deadline


def test_edit_deadline_renormalizes_and_rechecks(client):
    key, page = open_document(client, PDF)
    before = len(re.findall(r'data-code="D004"', page))
    response = client.post(f"/doc/{key}/edit", data={"roadmap": 0, "item": 0, "field": "deadline", "value": "сентябрь 2021 г."}, headers={"Accept": "application/json"})
    assert response.json == {"ok": True}
    page = client.get(f"/doc/{key}").data.decode()
    assert len(re.findall(r'data-code="D004"', page)) == before - 1
    assert "01.09.2021 – 30.09.2021" in page


def test_downloads(client):
    key, _ = open_document(client, PDF)
    xlsx = client.get(f"/doc/{key}/download/xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.data))
    assert workbook[workbook.sheetnames[0]].max_row == 39
    assert client.get(f"/doc/{key}/download/json").json["document"]["number"] == "422-ОД"
    assert client.get(f"/doc/{key}/download/docx").data[:2] == b"PK"
    assert client.get(f"/doc/{key}/download/csv").data.startswith("\ufeff".encode())


def test_limits_and_types(client):
    big = upload(client, b"x" * (2 * 1024 * 1024), "big.txt")
    assert big.status_code == 413 and "больше 1 МБ" in big.data.decode()
    program = upload(client, b"\x7fELF" + b"\0" * 100, "order.pdf")
    assert program.status_code == 400 and "это не документ" in program.data.decode()
    broken = upload(client, b"%PDF-1.7 broken", "order.pdf")
    assert broken.status_code == 400 and "PDF" in broken.data.decode()
    assert client.get("/doc/nonexistent").status_code == 404
    assert "Traceback" not in big.data.decode() + program.data.decode() + broken.data.decode()


def test_document_text_is_escaped(client):
    key, _ = open_document(client, PDF)
    hostile = '<img src=x onerror="alert(1)"> {{ 7*7 }}'
    client.post(f"/doc/{key}/edit", data={"roadmap": 0, "item": 1, "field": "activity", "value": hostile})
    page = client.get(f"/doc/{key}").data.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; {{ 7*7 }}" in page


def test_corrected_json_is_validated(client):
    key, _ = open_document(client, PDF)
    bad = client.post(f"/doc/{key}/json", data={"json": '{"roadmaps": 5}'})
    assert bad.status_code == 400 and "не соответствует схеме" in bad.data.decode()


def test_draft_form(client):
    form = {
        "authority": "ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ", "kind": "приказ", "title": "Об утверждении плана на 2021 – 2022 учебный год",
        "period": "на 2021 – 2022 учебный год", "clauses": "Утвердить план (Приложение).",
        "abbreviations": "МОЦ — муниципальный образовательный центр",
        "sections": "## Организационные меры\nСовещание | октябрь | МОЦ | Протокол",
        "position": "Начальник", "name": "И.И. Иванов", "action": "make",
    }
    response = client.post("/draft", data=form)
    assert response.status_code == 200 and response.data[:2] == b"PK"
    checked = client.post("/draft", data={**form, "action": "check"})
    assert "Проверка черновика" in checked.data.decode()
    missing = client.post("/draft", data={**form, "period": "", "title": "Без периода"})
    assert missing.status_code == 400 and "период плана" in missing.data.decode()
