"""The web page in a real browser: Playwright driving Debian's Chromium.

Every screen a methodologist works in: progress while a scan is read, the
table with findings, editing requisites, a clause and a row, splitting a
wrongly joined row, applying a finding's fix, undo and redo, the changes
view, a multi-file upload with its summary, the timeline of a seed and of a
real document, the draft grid to DOCX.  Screenshots go to
$ROADMAP_SCREENSHOTS (default: a temporary folder), never into the
repository.
"""

import os
import re
import shutil
import threading
from pathlib import Path

import docx
import openpyxl
import pytest

from tests.conftest import CORPUS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PDF = CORPUS / "documents" / "smolensk-prikaz-422-od.pdf"
TOMSK = CORPUS / "documents" / "tomsk-rasporyazhenie-293-r.docx"
SEED = CORPUS / "documents" / "smolensk-prikaz-718-od.docx"
REAL = CORPUS / "real" / "ussuriysk_cssu_plan_kompleksnoy_bezopasnosti_2019_2020.docx"
SCAN = Path(__file__).parent / "fixtures" / "scans" / "smolensk-prikaz-718-od-scan.pdf"


@pytest.fixture(scope="module")
def server():
    from werkzeug.serving import make_server

    from pipeline.web import create_app

    httpd = make_server("127.0.0.1", 0, create_app(), threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    folder = Path(os.environ.get("ROADMAP_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


def open_document(browser, server, path, width=1400, height=900):
    page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True)
    page.goto(server + "/")
    page.set_input_files("#file", str(path))
    page.click("#send")
    page.wait_for_url("**/doc/**", timeout=120_000)
    page.wait_for_selector("#panel-findings")
    return page


def saved(page):
    """Wait for the answer to an edit: the status line says what was done.
    (The page's CSP forbids eval, so waits go through locators, not
    ``wait_for_function``.)"""
    expect = playwright_api.expect
    expect(page.locator("#status")).to_have_class(re.compile(r"^(ok|error)$"))
    text = page.inner_text("#status")
    assert page.get_attribute("#status", "class") == "ok", text
    page.evaluate("() => { document.getElementById('status').className = ''; }")
    return text


def edit_in_place(page, selector: str, text: str) -> None:
    """Click a field, type the new text, press «Сохранить», wait for the answer."""
    field = page.locator(selector)
    field.click()
    field.locator("textarea").fill(text)
    field.locator("button.save").click()
    saved(page)


def test_progress_is_shown_while_a_scan_is_read(server, browser, shots):
    if not shutil.which("tesseract"):
        pytest.skip("Tesseract is not installed")
    page = browser.new_page(viewport={"width": 1200, "height": 700})
    page.goto(server + "/")
    page.screenshot(path=str(shots / "01-upload.png"), full_page=True)
    page.set_input_files("#file", str(SCAN))
    page.click("#send")
    page.wait_for_url("**/batch/**")
    page.wait_for_selector("text=распознавание страниц", timeout=60_000)
    page.wait_for_selector(".progress")
    page.screenshot(path=str(shots / "02-scan-progress.png"), full_page=True)
    assert page.locator("a", has_text="Новый план").is_visible()  # the page stays usable
    page.wait_for_url("**/doc/**", timeout=180_000)  # one document: opened when read
    assert page.locator("tr.item").count() > 30
    page.close()


def test_upload_correct_download(server, browser, shots, tmp_path):
    page = open_document(browser, server, PDF)
    assert page.locator("tr.item").count() == 38
    page.screenshot(path=str(shots / "03-findings.png"), full_page=False)
    page.locator("#roadmap-0").screenshot(path=str(shots / "04-table.png"))

    findings = page.locator('li[data-code="D004"]').count()
    assert findings > 0
    cell = page.locator('td[data-field="deadline"][data-roadmap="0"][data-item="0"]')
    assert cell.inner_text().startswith("Февраль")
    url = page.url
    cell.click()
    cell.locator("textarea").fill("сентябрь 2021 г.")
    cell.locator("button.save").click()
    saved(page)
    assert page.url == url  # no reload
    cell = page.locator('td[data-field="deadline"][data-roadmap="0"][data-item="0"]')
    assert cell.inner_text().startswith("сентябрь 2021 г.")
    assert "01.09.2021 – 30.09.2021" in cell.inner_text()
    assert page.locator('li[data-code="D004"]').count() == findings - 1

    with page.expect_download() as download_info:
        page.click("#download-xlsx")
    assert download_info.value.suggested_filename == "smolensk-prikaz-422-od-данные.xlsx"
    target = tmp_path / "order.xlsx"
    download_info.value.save_as(target)
    workbook = openpyxl.load_workbook(target)
    sheet = workbook[workbook.sheetnames[0]]
    assert sheet.max_row == 39
    assert sheet.cell(row=2, column=4).value == "сентябрь 2021 г."
    with page.expect_download() as docx_info:
        page.click("#download-docx")  # fetched with a busy line, then saved under the server's name
    assert docx_info.value.suggested_filename == "smolensk-prikaz-422-od-очищенный.docx"
    playwright_api.expect(page.locator("#status")).to_have_text("DOCX готов: smolensk-prikaz-422-od-очищенный.docx")
    page.close()


def test_edit_everything_split_fix_undo_and_changes(server, browser, shots, tmp_path):
    page = open_document(browser, server, TOMSK)
    rows = page.locator("tr.item").count()

    # Requisites: the number.
    number = page.locator('dd[data-field="number"]')
    number.click()
    number.locator("textarea").fill("293-р/1")
    number.locator("textarea").press("Enter")
    saved(page)
    assert "№ 293-р/1" in page.inner_text("#doc-title")

    # A clause.
    page.click('[data-tab="clauses"]')
    edit_in_place(page, 'span[data-edit="clause"][data-index="0"]', "Утвердить дорожную карту (приложение) в новой редакции.")
    assert page.inner_text('span[data-edit="clause"][data-index="0"]') == "Утвердить дорожную карту (приложение) в новой редакции."
    page.screenshot(path=str(shots / "05-clauses.png"), full_page=False)

    # A row: its activity.
    page.click('[data-tab="table"]')
    edit_in_place(page, 'td[data-field="activity"][data-item="2"]', "Информирование руководителей муниципальных органов управления образованием")

    # Split a row read as one: item 5 holds two activities.
    page.locator('tr#item-0-4 button[data-action="split"]').click()
    page.wait_for_selector("#split-dialog[open]")
    upper = page.locator('textarea[name="upper-activity"]').input_value()
    page.fill('textarea[name="upper-activity"]', upper.split(":")[0])
    page.fill('textarea[name="lower-activity"]', "Вторая часть строки")
    page.fill('textarea[name="lower-number"]', "5а")
    page.locator("#split-dialog").screenshot(path=str(shots / "06-split.png"))
    page.click("#split-confirm")
    saved(page)
    assert page.locator("tr.item").count() == rows + 1
    assert page.inner_text('tr#item-0-5 td[data-field="number"]') == "5а"

    # Apply a finding's fix: «ДОО ГО» → «ДОО ТО».
    fix = page.locator('button[data-action="fix"]', has_text="ДОО ТО")
    fix.click()
    saved(page)
    assert page.locator('button[data-action="fix"]', has_text="ДОО ТО").count() == 0
    assert "ДОО ТО" in page.inner_text("#panel-roadmaps")

    # Undo the fix, redo it.
    assert "исправление по замечанию" in page.inner_text("#undo")
    page.click("#undo")
    assert "Отменено: исправление по замечанию" in saved(page)
    assert page.locator('button[data-action="fix"]', has_text="ДОО ТО").count() == 1
    page.keyboard.press("Control+y")
    saved(page)
    assert page.locator('button[data-action="fix"]', has_text="ДОО ТО").count() == 0

    # What changed, cell by cell, and the list of corrections.
    page.click('[data-tab="changes"]')
    table = page.inner_text("#changes-table")
    for expected in ("номер", "293-р/1", "пункт 1 документа", "добавлено", "пункт 9\tответственные"):
        assert expected in table, expected
    assert page.locator("#changes-table ins").count() > 0 and page.locator("#changes-table del").count() > 0
    page.screenshot(path=str(shots / "07-changes.png"), full_page=False)
    with page.expect_download() as info:
        page.click("#changes-xlsx")
    assert info.value.suggested_filename == "tomsk-rasporyazhenie-293-r-исправления.xlsx"
    target = tmp_path / "changes.xlsx"
    info.value.save_as(target)
    sheet = openpyxl.load_workbook(target).active
    assert [c.value for c in sheet[1]] == ["Что", "Где", "Поле", "Было", "Стало"]
    assert any(row[3] == "293-р" and row[4] == "293-р/1" for row in sheet.iter_rows(values_only=True))

    # By party: the fixed spelling is one of the parties.
    page.click('[data-tab="parties"]')
    assert "ДОО ТО" in page.inner_text("#panel-parties")
    page.screenshot(path=str(shots / "08-parties.png"), full_page=False)
    page.close()


def test_several_files_at_once(server, browser, shots, tmp_path):
    notes = tmp_path / "заметки.txt"
    notes.write_bytes(b"")
    page = browser.new_page(viewport={"width": 1200, "height": 700})
    page.goto(server + "/")
    page.set_input_files("#file", [str(TOMSK), str(SEED), str(notes)])
    page.click("#send")
    page.wait_for_url("**/batch/**")
    playwright_api.expect(page.locator("#batch-note")).to_have_text("Готово.", timeout=120_000)
    rows = page.locator("#summary tbody tr")
    assert rows.count() == 3
    summary = page.inner_text("#summary")
    assert "tomsk-rasporyazhenie-293-r.docx" in summary and "smolensk-prikaz-718-od.docx" in summary
    assert "заметки.txt" in summary and "файл пуст" in summary
    seed = page.locator("tr", has_text="smolensk-prikaz-718-od.docx")
    assert seed.locator(".items").inner_text() == "39"
    page.screenshot(path=str(shots / "09-summary.png"), full_page=True)
    seed.locator("a", has_text="открыть").click()
    page.wait_for_selector("tr.item")
    assert page.locator("tr.item").count() == 39
    page.close()


@pytest.mark.parametrize("path, name", [(SEED, "10-timeline-seed"), (REAL, "11-timeline-real")])
def test_timeline(server, browser, shots, path, name):
    page = open_document(browser, server, path)
    page.click('[data-tab="timeline"]')
    page.wait_for_selector("#timeline svg")
    bars = page.locator("#timeline svg a").count()
    assert bars >= page.locator("tr.item").count() // 2  # a link per mark
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    page.check('input[name="by"][value="party"]')
    playwright_api.expect(page.locator("#timeline")).to_have_attribute("aria-busy", "false")
    page.screenshot(path=str(shots / f"{name}-party.png"), full_page=True)
    # A mark leads to its row.
    page.locator("#timeline svg a").first.click()
    page.wait_for_selector('[data-pane="table"]:not([hidden])')
    assert page.locator("tr.item.just-edited").count() == 1
    page.close()


def test_draft_grid_to_docx(server, browser, shots, tmp_path):
    page = browser.new_page(viewport={"width": 1200, "height": 1000}, accept_downloads=True, locale="ru-RU")
    page.goto(server + "/draft")
    page.fill("#authority", "ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ ЭНСКОЙ ОБЛАСТИ")
    page.fill("#title", "Об утверждении плана мероприятий на 2021 – 2022 учебный год")
    page.fill("#period", "на 2021 – 2022 учебный год")
    page.fill("#clauses", "Утвердить план мероприятий (Приложение).")
    page.fill("#abbreviations", "МОЦ — муниципальный образовательный центр")
    page.fill('input[name="section_title"]', "Организационные меры")
    rows = page.locator(".draft-row")
    rows.nth(0).locator('textarea[name="item_activity"]').fill("Совещание с руководителями МОЦ")
    rows.nth(0).locator('input[name="item_deadline"]').fill("октябрь")
    rows.nth(0).locator('input[name="item_responsibles"]').fill("МОЦ")
    expect = playwright_api.expect
    expect(rows.nth(0).locator(".hint")).to_have_text("01.10.2021 – 31.10.2021 (месяц)")
    rows.nth(1).locator('textarea[name="item_activity"]').fill("Мониторинг результатов")
    rows.nth(1).locator('input[name="item_deadline"]').fill("31 февраля 2022 г.")
    expect(rows.nth(1).locator(".hint")).to_have_class("hint error")
    page.click("#add-section")
    page.locator('input[name="section_title"]').nth(1).fill("Методическая поддержка")
    page.locator(".draft-section").nth(1).locator('textarea[name="item_activity"]').fill("Семинар для учителей")
    page.locator(".draft-section").nth(1).locator('input[name="item_deadline"]').fill("ежеквартально")
    page.screenshot(path=str(shots / "12-draft-grid.png"), full_page=True)
    # An impossible date is a hard error: the browser will not send it; the server refuses it too.
    page.evaluate("() => { document.getElementById('draft').noValidate = true; }")
    page.click("#make-docx")
    page.wait_for_selector("#draft-error")
    assert "31 февраля" in page.inner_text("#draft-error")
    page.locator(".draft-row").nth(1).locator('input[name="item_deadline"]').fill("февраль 2022 г.")
    expect(page.locator(".draft-row").nth(1).locator(".hint")).to_have_text("01.02.2022 – 28.02.2022 (месяц)")
    page.click("#make-preview")
    page.wait_for_selector("#preview")
    assert "Семинар для учителей" in page.inner_text("#preview")
    page.screenshot(path=str(shots / "13-draft-preview.png"), full_page=True)
    with page.expect_download() as info:
        page.click("#make-docx")
    assert info.value.suggested_filename.endswith(".docx")
    target = tmp_path / "draft.docx"
    info.value.save_as(target)
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "Об утверждении плана мероприятий" in text
    cells = "\n".join(c.text for t in docx.Document(str(target)).tables for row in t.rows for c in row.cells)
    assert "Совещание с руководителями" in cells and "Методическая поддержка" in cells
    assert "руководителями муниципального образовательного центра (далее\xa0–\xa0МОЦ)" in cells  # spelt out in its case
    page.close()


def test_compare_two_editions(server, browser, shots, tmp_path):
    from pipeline.extract import extract_order
    from tests.test_diff import edited

    new, removed = edited(extract_order(SEED))
    edition = tmp_path / "новая-редакция.json"
    edition.write_text(new.model_dump_json(), "utf-8")
    page = browser.new_page(viewport={"width": 1300, "height": 900}, accept_downloads=True)
    page.goto(server + "/compare")
    page.set_input_files("#old", str(SEED))
    page.set_input_files("#new", str(edition))
    page.click("#compare-send")
    page.wait_for_selector("#compare-result", timeout=120_000)
    assert "добавлено 1, удалено 1" in page.inner_text("#compare-counts")
    table = page.inner_text("#compare-table")
    assert "Пункт исключён" in table and removed.activity in table and "Срок перенесён на 3 месяца позже" in table
    page.screenshot(path=str(shots / "14-compare.png"), full_page=False)
    with page.expect_download() as info:
        page.click("#compare-docx")
    assert info.value.suggested_filename == "новая-редакция-сравнение.docx"
    page.close()
