"""The web page through Flask's test client: upload, findings, edits,
downloads, limits and escaping."""

import io
import re
import time

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


def wait_batch(client, response, seconds: float = 120) -> list[dict]:
    """The jobs of an upload once every one has finished."""
    assert response.status_code in (202, 303), response.data.decode()[:500]
    url = response.json["state"] if response.status_code == 202 else response.headers["Location"] + "/state"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = client.get(url).json
        if state["finished"]:
            return state["jobs"]
        time.sleep(0.1)
    raise AssertionError("the upload did not finish")


def open_document(client, path):
    jobs = wait_batch(client, upload(client, path))
    assert jobs[0]["state"] == "done", jobs
    key = jobs[0]["document"]
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
    assert response.json["ok"] is True and response.json["changes"] == 1
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
    [job] = wait_batch(client, broken)  # read in the background: the summary says why it failed
    assert job["state"] == "failed" and "PDF" in job["error"] and job["document"] is None
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


TOMSK = CORPUS / "documents" / "tomsk-rasporyazhenie-293-r.docx"


def edit(client, key, **body):
    return client.post(f"/doc/{key}/edit", json=body, headers={"Accept": "application/json"})


def test_edits_answer_with_panels_and_undo_redo(client):
    key, _ = open_document(client, TOMSK)
    answer = edit(client, key, op="requisite", field="number", value="№ 293-р/1")
    assert answer.status_code == 200 and set(answer.json["panels"]) >= {"requisites", "findings", "roadmaps", "changes", "toolbar"}
    assert "№ 293-р/1" in answer.json["panels"]["requisites"] and "Отменить: правка реквизитов" in answer.json["panels"]["toolbar"]
    refused = edit(client, key, op="merge-items", roadmap=0, item=26)
    assert refused.status_code == 400 and "последнего пункта" in refused.json["error"]
    undone = client.post(f"/doc/{key}/undo", headers={"Accept": "application/json"})
    assert undone.json["message"] == "Отменено: правка реквизитов." and undone.json["changes"] == 0
    assert client.post(f"/doc/{key}/undo", headers={"Accept": "application/json"}).json["message"] == "Отменять нечего."
    assert client.post(f"/doc/{key}/redo", headers={"Accept": "application/json"}).json["changes"] == 1
    changes = client.get(f"/doc/{key}/changes.csv")
    assert "tomsk-rasporyazhenie-293-r-%D0%B8%D1%81%D0%BF%D1%80%D0%B0%D0%B2%D0%BB%D0%B5%D0%BD%D0%B8%D1%8F.csv" in changes.headers["Content-Disposition"]
    assert "изменено,реквизиты,номер,293-р,293-р/1" in changes.data.decode("utf-8-sig")


def test_several_files_and_refused_ones_in_one_summary(client):
    data = {"document": [(io.BytesIO(TOMSK.read_bytes()), TOMSK.name), (io.BytesIO(b""), "пустой.docx"),
                         (io.BytesIO(b"\x7fELF" + b"\0" * 64), "программа.pdf")]}
    response = client.post("/upload", data=data, content_type="multipart/form-data", headers={"Accept": "application/json"})
    assert response.status_code == 202
    jobs = {job["name"]: job for job in wait_batch(client, response)}
    assert jobs[TOMSK.name]["state"] == "done" and jobs[TOMSK.name]["counts"]["items"] == 27
    assert jobs["пустой.docx"]["error"] == "файл пуст" and "это не документ" in jobs["программа.pdf"]["error"]
    page = client.get(response.json["url"]).data.decode()
    assert page.count('class="job') == 3
    nothing = client.post("/upload", data={}, content_type="multipart/form-data")
    assert nothing.status_code == 400 and "Файл не выбран" in nothing.data.decode()


def test_downloads_are_named_for_what_they_are(client):
    key, _ = open_document(client, TOMSK)
    names = {fmt: client.get(f"/doc/{key}/download/{fmt}").headers["Content-Disposition"] for fmt in ("json", "xlsx", "docx")}
    assert "filename*=UTF-8''tomsk-rasporyazhenie-293-r-%D0%B4%D0%B0%D0%BD%D0%BD%D1%8B%D0%B5.xlsx" in names["xlsx"]  # -данные
    assert "-%D0%BE%D1%87%D0%B8%D1%89%D0%B5%D0%BD%D0%BD%D1%8B%D0%B9.docx" in names["docx"]  # -очищенный
    svg = client.get(f"/doc/{key}/timeline.svg?by=party")
    assert svg.mimetype == "image/svg+xml" and b"#item-0-" in svg.data
    assert client.get(f"/doc/{key}/timeline.gif").status_code == 404


def test_draft_grid_and_deadline_preview(client):
    explain = lambda text: client.post("/draft/deadline", json={"text": text, "period": "на 2021 – 2022 учебный год"}).json  # noqa: E731
    assert explain("октябрь") == {"state": "ok", "text": "01.10.2021 – 31.10.2021 (месяц)"}
    assert explain("31 февраля") == {"state": "error", "text": "даты «31 февраля» не бывает"}
    assert explain("когда-нибудь")["state"] == "warning"
    form = {"authority": "ДЕПАРТАМЕНТ", "kind": "приказ", "title": "Об утверждении плана на 2021 – 2022 учебный год",
            "period": "на 2021 – 2022 учебный год", "section_title": ["Организация", "Мониторинг"],
            "item_section": ["0", "1"], "item_activity": ["Совещание", "Анализ"], "item_deadline": ["октябрь", "30.02.2022"],
            "item_responsibles": ["Отдел", "Отдел"], "item_result": ["Протокол", ""], "action": "docx"}
    refused = client.post("/draft", data=form)
    assert refused.status_code == 400 and "раздел 2, строка 1: срок «30.02.2022» — даты «30.02.2022» не бывает" in refused.data.decode()
    made = client.post("/draft", data={**form, "item_deadline": ["октябрь", "февраль"]})
    assert made.status_code == 200 and made.data[:2] == b"PK"
    preview = client.post("/draft", data={**form, "item_deadline": ["октябрь", "февраль"], "action": "preview"}).data.decode()
    assert 'id="preview"' in preview and "Анализ" in preview and "<script" not in preview.split('id="preview"')[1].split("</div>")[0]


def test_compare_two_editions(client, tmp_path):
    from tests.test_diff import edited

    from pipeline.extract import extract_order

    seed_path = CORPUS / "documents" / "smolensk-prikaz-718-od.docx"
    new, removed = edited(extract_order(seed_path))
    data = {"old": (io.BytesIO(seed_path.read_bytes()), "старая.docx"),
            "new": (io.BytesIO(new.model_dump_json().encode()), "новая.json")}
    response = client.post("/compare", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    batch = response.headers["Location"].rsplit("/", 1)[-1]
    waiting = client.get(response.headers["Location"]).data.decode()
    assert "Обработка документов: 2" in waiting or "Сравнение редакций" in waiting  # progress first, unless already read
    deadline = time.monotonic() + 120
    while not client.get(f"/batch/{batch}/state").json["finished"] and time.monotonic() < deadline:
        time.sleep(0.1)
    page = client.get(response.headers["Location"]).data.decode()
    assert "Пунктов: изменено" in page and "Пункт исключён" in page and removed.activity in page
    docx = client.get(response.headers["Location"] + "/download/docx")
    assert docx.data[:2] == b"PK" and "filename*=UTF-8''" in docx.headers["Content-Disposition"]
    missing = client.post("/compare", data={"old": (io.BytesIO(b""), "a.docx")}, content_type="multipart/form-data")
    assert missing.status_code == 400 and "Не выбран файл" in missing.data.decode()
