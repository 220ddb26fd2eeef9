"""The order as an Excel workbook: a sheet per roadmap (section, №, activity,
deadline as printed, start and end as Excel dates, responsibles, result), a
sheet of parties and a sheet of findings; bold frozen header, sensible widths,
wrapped text, autofilter."""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import datetime, timezone

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from pipeline.export import item_row
from pipeline.lang.controls import xml_safe
from pipeline.lang.labels import label
from pipeline.lang.months import months_between
from pipeline.timeline import Timeline, build_timeline
from pipeline.timeline.model import NO_SECTION
from pipeline.views import parties_view
from schemas import Finding, Order

ROADMAP_HEADERS = ["Раздел", "№", "Мероприятие", "Срок (как в документе)", "Начало", "Окончание", "Ответственные", "Результат"]
ROADMAP_WIDTHS = [28, 7, 60, 24, 12, 12, 36, 40]
PARTY_HEADERS = ["Участник", "Сокращение", "Вид", "Основание", "Пунктов", "Пункты"]
FINDING_HEADERS = ["Код", "Правило", "Уровень", "Сообщение", "Пункт", "Место в файле", "Столбец", "Исправление"]
FINDING_WIDTHS = [7, 26, 14, 70, 12, 30, 14, 16]
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
    if any(r.items for r in order.roadmaps):
        timeline_sheet(workbook.create_sheet(_sheet_title(prefix + "График", used)), build_timeline(order, "section", findings))
    parties = workbook.create_sheet(_sheet_title(prefix + "Участники", used))
    party_rows = [
        [p["name"] or p["abbreviation"] or p["key"], p["abbreviation"] or "", label("party_kind", p["kind"]), label("party_basis", p["basis"]), len(p["items"]),
         ", ".join(i["number"] or "—" for i in p["items"])]
        for p in parties_view(order)
    ]
    _table(parties, PARTY_HEADERS, party_rows, [50, 14, 14, 12, 9, 40])
    notes = workbook.create_sheet(_sheet_title(prefix + "Замечания", used))
    _table(notes, FINDING_HEADERS, [finding_row(f) for f in findings or []], FINDING_WIDTHS)


TIMELINE_FILL = {"bar": "2E6DA4", "diamond": "2E6DA4", "band": "9FD0B5", "open-start": "B7CDE3", "open-end": "B7CDE3"}


def timeline_sheet(sheet, timeline: Timeline) -> None:
    """The plan as a month grid, the way planners draw a Gantt chart in a
    spreadsheet: a row per item, a column per month, the months of its
    deadline filled («◆» a single day, «…» an open edge, «↻» a recurrence)."""
    from openpyxl.styles import PatternFill

    from pipeline.lang.data import load

    names = load("months")["axis"]["names"]
    first = timeline.start.replace(day=1)
    months = months_between(first, timeline.end) + 1
    headers = ["№", "Мероприятие", "Срок (как в документе)"] + [
        f"{names[(first.month - 1 + k) % 12]} {first.year + (first.month - 1 + k) // 12}" for k in range(months)
    ]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="center")
    sheet.column_dimensions["A"].width = 7
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 24
    for k in range(months):
        sheet.column_dimensions[get_column_letter(4 + k)].width = 6
    fills = {shape: PatternFill("solid", start_color=colour) for shape, colour in TIMELINE_FILL.items()}
    lanes = [lane for lane in timeline.lanes if len(timeline.lanes) > 1 or lane.title != NO_SECTION]
    for lane in timeline.lanes:
        if lane in lanes:
            sheet.append(["", xml_safe(lane.title)])
            sheet.cell(row=sheet.max_row, column=2).font = Font(bold=True)
        for row in lane.rows:
            sheet.append([row.number, xml_safe(row.activity), xml_safe(row.deadline or row.note or "")])
            at = sheet.max_row
            sheet.cell(row=at, column=2).alignment = Alignment(wrap_text=True, vertical="top")
            if row.severity in {"error", "warning"}:
                sheet.cell(row=at, column=1).font = Font(bold=True, color="C0392B" if row.severity == "error" else "B9770E")
            for mark in row.marks:
                lo, hi = months_between(first, mark.start), months_between(first, mark.end)
                for k in range(max(lo, 0), min(hi, months - 1) + 1):
                    cell = sheet.cell(row=at, column=4 + k)
                    cell.fill = fills[mark.shape]
                    cell.alignment = Alignment(horizontal="center")
                if mark.shape == "diamond" and 0 <= lo < months:
                    sheet.cell(row=at, column=4 + lo).value = "◆"
                    sheet.cell(row=at, column=4 + lo).font = Font(color="FFFFFF")
                edge = lo if mark.shape == "open-start" else hi if mark.shape == "open-end" else None
                if edge is not None and 0 <= edge < months:
                    sheet.cell(row=at, column=4 + edge).value = "…"
                for tick in mark.ticks:
                    k = months_between(first, tick)
                    if 0 <= k < months:
                        sheet.cell(row=at, column=4 + k).value = "↻"
    sheet.freeze_panes = "D2"


def finding_row(f: Finding) -> list:
    """A finding as a row: the item by its number (or its place in the plan
    when it has none), the place in the file, Russian words for the codes."""
    from pipeline.lang.labels import label
    from pipeline.validate.rules._where import place

    loc = f.location
    if loc.item:
        item = loc.item
    elif loc.item_index is not None:
        item = f"{loc.item_index + 1}-й по порядку"
    elif loc.clause:
        item = f"п. {loc.clause} приказа"
    elif loc.appendix:
        item = f"приложение {loc.appendix}"
    else:
        item = ""
    return [f.code, f.rule, label("severity", f.severity), f.message, item, place(loc), label("column_role", loc.column), f.fix]


def order_xlsx(order: Order, findings: list[Finding] | None = None) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    fill_workbook(workbook, order, findings)
    return workbook_bytes(workbook)


def rows_xlsx(title: str, headers: list[str], rows: list[dict], widths: list[int]) -> bytes:
    """Any table of dicts as a one-sheet workbook (a list of corrections)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title, set())
    _table(sheet, headers, [[row.get(h) for h in headers] for row in rows], widths)
    return workbook_bytes(workbook)


_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as bytes that depend on its content only: openpyxl
    stamps the saving time into the file's properties and every ZIP member,
    so the same order saved twice — by the pool and by a cluster, today and
    on a rerun — would differ.  The stamp is ``SOURCE_DATE_EPOCH`` when set
    (the reproducible-builds convention), else the ZIP format's first day."""
    saved = io.BytesIO()
    workbook.save(saved)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    when = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit() else datetime(1980, 1, 1, tzinfo=timezone.utc)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "docProps/core.xml":
                data = _STAMP.sub(lambda m: m.group(1) + stamp + m.group(2), data)
            info = zipfile.ZipInfo(member.filename, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = member.external_attr
            target.writestr(info, data)
    return out.getvalue()
