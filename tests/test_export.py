"""Spreadsheets: XLSX opens with every item, dates as dates; CSV has a BOM."""

import csv
import datetime as dt
import io

import openpyxl

from pipeline.export.csv import items_csv
from pipeline.export.xlsx import order_xlsx
from pipeline.extract import extract_order
from pipeline.validate import validate
from tests.conftest import CORPUS

DOC = CORPUS / "documents" / "mordovia-bbereznikovsky-prikaz-59-b.docx"


def test_xlsx_holds_every_item_with_excel_dates():
    order = extract_order(DOC)
    workbook = openpyxl.load_workbook(io.BytesIO(order_xlsx(order, validate(order, str(DOC)))))
    plan, timeline, parties, findings = workbook.sheetnames
    assert timeline == "График"
    sheet = workbook[plan]
    assert [c.value for c in sheet[1]][:4] == ["Раздел", "№", "Мероприятие", "Срок (как в документе)"]
    assert all(c.font.bold for c in sheet[1]) and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:H44"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 43 == len(order.roadmaps[0].items)
    assert rows[0][:6] == ("2020 год", "1", order.roadmaps[0].items[0].activity, "май 2020 года", dt.datetime(2020, 5, 1), dt.datetime(2020, 5, 31))
    assert workbook[parties].max_row == 3  # two parties and the header
    assert {r[0] for r in workbook[findings].iter_rows(min_row=2, values_only=True)} >= {"R003", "D004"}


def test_csv_with_bom_for_excel():
    data = items_csv(extract_order(DOC))
    assert data.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][2] == "№" and len(rows) == 44
    assert rows[1][5:7] == ["2020-05-01", "2020-05-31"]
