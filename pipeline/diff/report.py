"""A diff as documents: an HTML report (the web page shows the same) and
the «сравнительная таблица» Russian bodies attach to an amendment — «Было»
(the text in force), «Стало» (the new text), «Основание» (what changed and
why it is listed) — as DOCX, landscape A4, Times New Roman.

Rows are the items added, removed or changed (renumbering alone is left out
of the table and counted under it), then the requisites and clauses."""

from __future__ import annotations

import io
from dataclasses import dataclass

from pipeline.lang.numerals import count
from schemas import Order
from schemas.diff import ItemDiff, OrderDiff

EVENT_WORDS = {
    "renumbered": "изменён номер",
    "moved": "перенесён в другой раздел",
    "activity": "изменена формулировка",
    "result": "изменён результат",
    "parties": "изменены ответственные",
}


@dataclass
class TableRow:
    number: str
    before: str
    after: str
    basis: str


def _item_text(order: Order, ref) -> str:
    item = order.roadmaps[ref.roadmap].items[ref.index]
    lines = [f"{item.number or ''} {item.activity}".strip()]
    if item.deadline:
        lines.append(f"Срок: {item.deadline.text}")
    if item.responsibles:
        lines.append("Ответственные: " + ", ".join(p.text for p in item.responsibles))
    if item.result:
        lines.append(f"Результат: {item.result}")
    return "\n".join(lines)


def _basis(item: ItemDiff) -> str:
    if item.kind == "added":
        return "Пункт добавлен" + (f" в раздел «{item.new.section}»" if item.new.section else "")
    if item.kind == "removed":
        return "Пункт исключён"
    parts = [EVENT_WORDS[e] for e in item.events if e in EVENT_WORDS and e not in {"parties", "moved"}]  # named below
    if "moved" in item.events and item.new.section:
        parts.append(f"перенесён в раздел «{item.new.section}»")
    if item.deadline:
        summary = item.deadline.summary
        parts.append(summary if summary.startswith("срок") else f"срок {summary}")
    parts += [f"добавлен ответственный: {p.name}" for p in item.parties_added]
    parts += [f"исключён ответственный: {p.name}" for p in item.parties_removed]
    text = "; ".join(dict.fromkeys(parts))
    return text[:1].upper() + text[1:]


def table_rows(diff: OrderDiff, old: Order, new: Order) -> tuple[list[TableRow], int]:
    """The rows of the comparative table, and how many items were only renumbered."""
    rows: list[TableRow] = []
    renumbered = 0
    for item in diff.items:
        if item.kind == "unchanged":
            continue
        if item.events == ["renumbered"]:
            renumbered += 1
            continue
        before = _item_text(old, item.old) if item.old else "—"
        after = _item_text(new, item.new) if item.new else "Исключить"
        rows.append(TableRow("", before, after, _basis(item)))
    for change in diff.requisites:
        rows.append(TableRow("", f"{change.label}: {change.before or '—'}", f"{change.label}: {change.after or '—'}", "Изменены реквизиты"))
    for change in diff.clauses:
        rows.append(TableRow("", change.before or "—", change.after or "Исключить", change.label))
    for k, row in enumerate(rows, 1):
        row.number = f"{k}."
    return rows, renumbered


def _title(diff: OrderDiff) -> str:
    side = diff.new
    what = f"{side.kind or 'документ'}"
    if side.number:
        what += f" № {side.number}"
    if side.date:
        what += f" от {side.date:%d.%m.%Y}"
    return what


def html_report(diff: OrderDiff, old: Order, new: Order) -> str:
    from pipeline.render.text import environment

    rows, renumbered = table_rows(diff, old, new)
    template = environment().get_template("diff.html.j2")  # autoescaped: document text is data
    return template.render(diff=diff, rows=rows, renumbered=count(renumbered, "пункт") if renumbered else None, title=_title(diff))


def docx_table(diff: OrderDiff, old: Order, new: Order) -> bytes:
    """The comparative table as a Word document."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    from pipeline.lang.controls import xml_safe

    rows, renumbered = table_rows(diff, old, new)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    # ГОСТ Р 7.0.97: margins at least 20 mm, the binding side 30 mm (the top of a landscape page).
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(30), Mm(20), Mm(20), Mm(20)
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(12)
    style.element.rPr.rFonts.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", "Times New Roman")
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run("СРАВНИТЕЛЬНАЯ ТАБЛИЦА")
    run.bold, run.font.size = True, Pt(14)
    sub = document.add_paragraph(xml_safe(f"изменений: {diff.old.path} → {diff.new.path} ({_title(diff)})"))
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.autofit = False
    widths = (Mm(14), Mm(95), Mm(95), Mm(53))  # 257 mm: the text width of landscape A4
    for column, width in zip(table.columns, widths):
        column.width = width  # the grid: LibreOffice lays out by it
    for cell, text, width in zip(table.rows[0].cells, ("№\u00a0п/п", "Было (действующая редакция)", "Стало (новая редакция)", "Основание"), widths):
        cell.width = width
        cell.paragraphs[0].add_run(text).bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    header = table.rows[0]._tr.get_or_add_trPr()
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    for row in rows:
        cells = table.add_row().cells
        for cell, text, width in zip(cells, (row.number, row.before, row.after, row.basis), widths):
            cell.width = width
            lines = xml_safe(text).split("\n")
            cell.paragraphs[0].add_run(lines[0])
            for line in lines[1:]:
                cell.add_paragraph(line)
    if renumbered:
        document.add_paragraph(f"Кроме того, перенумерованы без других изменений: {count(renumbered, 'пункт')}.")
    if not rows:
        document.add_paragraph("Редакции совпадают: изменений нет.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
