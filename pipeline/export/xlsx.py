"""The order as an Excel workbook: a sheet per roadmap (section, №, activity,
deadline as printed, start and end as Excel dates, responsibles, result), a
sheet of parties and a sheet of findings; bold frozen header, sensible widths,
wrapped text, autofilter."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from pipeline.export import item_row
from pipeline.lang.controls import xml_safe
from pipeline.views import parties_view
from schemas import Finding, Order

ROADMAP_HEADERS = ["Раздел", "№", "Мероприятие", "Срок (как в документе)", "Начало", "Окончание", "Ответственные", "Результат"]
ROADMAP_WIDTHS = [28, 7, 60, 24, 12, 12, 36, 40]
PARTY_HEADERS = ["Участник", "Сокращение", "Вид", "Основание", "Пунктов", "Пункты"]
FINDING_HEADERS = ["Код", "Правило", "Уровень", "Сообщение", "Страница", "Строка", "Пункт", "Столбец", "Исправление"]
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub(" ", xml_safe(title)).strip()[:28] or "План"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]} {n}", n + 1
    used.add(name)
    return name


def _table(sheet, headers: list[str], rows: list[list], widths: list[int]) -> None:
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        # A cell of a workbook is XML: a control character is shown, not lost.
        sheet.append([xml_safe(v) if isinstance(v, str) else v for v in row])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
            if hasattr(cell.value, "year"):
                cell.number_format = "DD.MM.YYYY"
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"


def fill_workbook(workbook: Workbook, order: Order, findings: list[Finding] | None = None, prefix: str = "") -> None:
    used = set(workbook.sheetnames)
    for r, roadmap in enumerate(order.roadmaps):
        sheet = workbook.create_sheet(_sheet_title(prefix + (roadmap.title or f"План {r + 1}"), used))
        rows = [item_row(order, r, item)[1:] for item in roadmap.items]
        _table(sheet, ROADMAP_HEADERS, rows, ROADMAP_WIDTHS)
    parties = workbook.create_sheet(_sheet_title(prefix + "Участники", used))
    party_rows = [
        [p["name"] or p["abbreviation"] or p["key"], p["abbreviation"] or "", p["kind"] or "", p["basis"] or "", len(p["items"]),
         ", ".join(i["number"] or "—" for i in p["items"])]
        for p in parties_view(order)
    ]
    _table(parties, PARTY_HEADERS, party_rows, [50, 14, 14, 12, 9, 40])
    notes = workbook.create_sheet(_sheet_title(prefix + "Замечания", used))
    finding_rows = [
        [f.code, f.rule, f.severity, f.message, f.location.page, f.location.line, f.location.item or f.location.clause, f.location.column, f.fix]
        for f in findings or []
    ]
    _table(notes, FINDING_HEADERS, finding_rows, [7, 26, 12, 70, 9, 8, 9, 12, 16])


def order_xlsx(order: Order, findings: list[Finding] | None = None) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    fill_workbook(workbook, order, findings)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
