"""The web page in a real browser: Playwright driving Debian's Chromium.

Upload a corpus PDF, see every row, correct a deadline and see its finding go,
download the XLSX and open it.  Screenshots of the upload page, the table with
findings and the draft form go to $ROADMAP_SCREENSHOTS (default: a temporary
folder), never into the repository.
"""

import os
import re
import shutil
import threading
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import CORPUS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PDF = CORPUS / "documents" / "smolensk-prikaz-422-od.pdf"


@pytest.fixture(scope="module")
def server():
    from werkzeug.serving import make_server

    from pipeline.web import create_app

    httpd = make_server("127.0.0.1", 0, create_app())
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


def test_upload_correct_download(server, browser, shots, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page.goto(server + "/")
    page.screenshot(path=str(shots / "1-upload.png"), full_page=True)
    page.set_input_files("#file", str(PDF))
    page.click("#send")
    page.wait_for_selector("table.roadmap")
    assert page.locator("tr.item").count() == 38
    page.screenshot(path=str(shots / "2-findings.png"), full_page=False)
    page.locator("#roadmap-0").screenshot(path=str(shots / "2b-table.png"))

    findings = page.locator('li[data-code="D004"]').count()
    assert findings > 0
    cell = page.locator('td[data-field="deadline"][data-roadmap="0"][data-item="0"]')
    assert cell.inner_text().startswith("Февраль")
    cell.click()
    cell.locator("textarea").fill("сентябрь 2021 г.")
    with page.expect_navigation():
        cell.locator("button.save").click()
    page.wait_for_selector("table.roadmap")
    cell = page.locator('td[data-field="deadline"][data-roadmap="0"][data-item="0"]')
    assert cell.inner_text().startswith("сентябрь 2021 г.")
    assert "01.09.2021 – 30.09.2021" in cell.inner_text()
    assert page.locator('li[data-code="D004"]').count() == findings - 1

    with page.expect_download() as download_info:
        page.click("#download-xlsx")
    target = tmp_path / "order.xlsx"
    download_info.value.save_as(target)
    workbook = openpyxl.load_workbook(target)
    sheet = workbook[workbook.sheetnames[0]]
    assert sheet.max_row == 39
    assert sheet.cell(row=2, column=4).value == "сентябрь 2021 г."
    page.close()


def test_draft_form(server, browser, shots):
    page = browser.new_page(viewport={"width": 1200, "height": 1000})
    page.goto(server + "/draft")
    page.fill("#authority", "ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ ЭНСКОЙ ОБЛАСТИ")
    page.fill("#title", "Об утверждении плана мероприятий на 2021 – 2022 учебный год")
    page.fill("#period", "на 2021 – 2022 учебный год")
    page.fill("#clauses", "Утвердить план мероприятий (Приложение).")
    page.fill("#abbreviations", "МОЦ — муниципальный образовательный центр")
    page.fill("#sections", "## Организационные меры\nСовещание с руководителями | октябрь | МОЦ | Протокол")
    page.screenshot(path=str(shots / "3-draft-form.png"), full_page=True)
    page.click("button[value=check]")
    page.wait_for_selector("#findings")
    assert re.search(r"Проверка черновика: \d+ замечаний", page.inner_text("#findings"))
    page.close()
