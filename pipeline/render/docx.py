"""An order as a Word document: ``templates/order.docx`` rendered by docxtpl.

Values are data, never template code: docxtpl renders with autoescape, so a
cell holding ``{{ 7*7 }}`` or ``<b>`` prints as written.  Tables are built
here as docxtpl subdocuments (their columns vary from plan to plan): borders
on every cell, the header row marked to repeat on each page, section rows one
cell merged across the width, parties one per line, Times New Roman 12 pt.
"""

from __future__ import annotations

import copy
import io
import re
from functools import lru_cache
from importlib import resources

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm
from docxtpl import DocxTemplate
from lxml import etree

from pipeline.lang.controls import xml_safe
from pipeline.render.context import TableView, order_context
from schemas import Order

FONT = "Times New Roman"
TABLE_PT = (12, 11, 10)  # tried in turn until every word fits its column
TEXT_WIDTH_CM = 16.5  # A4 portrait, margins 30 + 15 mm
LANDSCAPE_WIDTH_CM = 25.7  # A4 landscape, margins 20 + 20 mm (binding margin on top)
CELL_PADDING_CM = 0.5
# Average advance of Times New Roman glyphs, in ems: lower-case Cyrillic and
# Latin, capitals and digits, punctuation.  An estimate is enough to keep
# words from being cut between letters (Word and LibreOffice do not hyphenate
# here); a column gets at least its longest word.
_EM = {"lower": 0.56, "upper": 0.74, "digit": 0.5, "other": 0.4}
# Glyphs far wider than their kind: «№» is nearly a whole em.
_WIDE = {"№": 1.0, "%": 0.83, "—": 1.0, "Ш": 0.95, "Щ": 0.95, "Ж": 0.9, "Ю": 0.95, "М": 0.9, "ш": 0.75, "щ": 0.75, "ж": 0.75, "ю": 0.7, "м": 0.65}


def template() -> DocxTemplate:
    data = resources.files("templates").joinpath("order.docx").read_bytes()
    return DocxTemplate(io.BytesIO(data))


@lru_cache(maxsize=65536)
def _advance_cm(text: str, pt: int) -> float:
    ems = 0.0
    for ch in text:
        if ch in _WIDE:
            ems += _WIDE[ch]
            continue
        kind = "lower" if ch.islower() else "upper" if ch.isupper() else "digit" if ch.isdigit() else "other"
        ems += _EM[kind]
    return ems * pt / 72 * 2.54


def _minimum_widths(columns: list[list[str]], pt: int) -> list[float]:
    """The longest unbreakable piece of each column: a word, or the part of a
    hyphenated word up to its hyphen (lines may break after a hyphen); words
    joined by a no-break space («№ п/п», «30 июня») are one piece."""
    return [
        max((_advance_cm(piece, pt) for text in col for piece in re.findall(r"[^ \t\n-]+-?", text)), default=1.0) + CELL_PADDING_CM
        for col in columns
    ]


def _columns(view: TableView) -> list[list[str]]:
    rows = ([view.headers] if view.headers else []) + [r.cells for r in view.rows if not r.section]
    return [[row[i] for row in rows if i < len(row)] for i in range(len(view.roles))]


def needs_landscape(view: TableView) -> bool:
    """A table whose words do not fit across a portrait page even in the
    smallest table font is printed on a landscape page."""
    return bool(view.roles) and sum(_minimum_widths(_columns(view), TABLE_PT[-1])) > TEXT_WIDTH_CM


def _column_widths(view: TableView, available: float) -> tuple[list[float], int]:
    """Widths (cm) that give each column at least its longest word and share
    the rest by the amount of text; the largest table font that allows it."""
    columns = _columns(view)
    for pt in TABLE_PT:
        minimum = _minimum_widths(columns, pt)
        if sum(minimum) <= available or pt == TABLE_PT[-1]:
            break
    # Parties stand one per line: where the page allows, each on one line,
    # so a reader of the printed page tells two parties from a wrapped name.
    for i, role in enumerate(view.roles):
        if role in {"responsible", "participants"}:
            budget = min(available - (sum(minimum) - minimum[i]), available * 0.4)
            lines = sorted(_advance_cm(line, pt) + CELL_PADDING_CM for text in columns[i] for line in text.split("\n"))
            fitting = [w for w in lines if w <= budget]
            if fitting and fitting[-1] > minimum[i]:
                minimum[i] = fitting[-1]
    text = [sum(len(t) for t in col) or 1 for col in columns]
    spare = max(available - sum(minimum), 0.0)
    # Share the spare width by the square root of the text a column holds,
    # so the activity column is wide and the № column stays narrow.
    weights = [(n ** 0.5) for n in text]
    total = sum(weights)
    widths = [m + spare * w / total for m, w in zip(minimum, weights)]
    scale = available / (sum(widths) or 1.0)
    return [w * scale for w in widths], pt


def _run_properties(pt: int, bold: bool):
    """``<w:rPr>`` of a table run: Times New Roman at ``pt``, bold or not."""
    rpr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), FONT)
    rpr.append(fonts)
    if bold:
        rpr.append(OxmlElement("w:b"))
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), str(pt * 2))
        rpr.append(size)
    return rpr


_P, _R, _T, _PPR, _JC, _TCPR = (qn(t) for t in ("w:p", "w:r", "w:t", "w:pPr", "w:jc", "w:tcPr"))
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _fill(tc, text: str, rpr, center: bool = False) -> None:
    """The cell's paragraphs: one per line of ``text``.  Built as XML, since
    python-docx's run and font properties cost a millisecond each and a plan
    may have ten thousand rows."""
    for old in tc.findall(_P):
        tc.remove(old)
    for line in (text.split("\n") if text else [""]):
        p = etree.SubElement(tc, _P)
        if center:
            jc = etree.SubElement(etree.SubElement(p, _PPR), _JC)
            jc.set(qn("w:val"), "center")
        r = etree.SubElement(p, _R)
        r.append(copy.deepcopy(rpr))
        t = etree.SubElement(r, _T)
        t.set(_SPACE, "preserve")
        t.text = xml_safe(line)


def _repeat_header(tr) -> None:
    tr_pr = tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def build_table(subdoc, view: TableView, available: float = TEXT_WIDTH_CM) -> None:
    width = len(view.roles)
    if width == 0:
        return  # a roadmap whose columns were not recognised: nothing to lay out
    rows = ([view.headers] if view.headers else []) + [r.cells for r in view.rows]
    table = subdoc.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    table.autofit = False
    widths, pt = _column_widths(view, available)
    tbl = table._tbl
    for grid_col, cm in zip(tbl.tblGrid.gridCol_lst, widths):
        grid_col.w = Cm(cm)
    trs = tbl.tr_lst
    for tr in trs:
        for tc, cm in zip(tr.tc_lst, widths):
            tc.width = Cm(cm)
    plain, bold = _run_properties(pt, False), _run_properties(pt, True)
    offset = 0
    if view.headers:
        for tc, text in zip(trs[0].tc_lst, view.headers):
            _fill(tc, text, bold, center=True)
        _repeat_header(trs[0])
        offset = 1
    numbers = [role == "number" for role in view.roles]
    for row_view, tr in zip(view.rows, trs[offset:]):
        tcs = tr.tc_lst
        if row_view.section:
            # One cell across the width: the first spans the grid, the rest go
            # (python-docx's merge looks each row up in the whole table).
            first = tcs[0]
            for extra in tcs[1:]:
                tr.remove(extra)
            if width > 1:
                first.width = Cm(sum(widths))
                first.get_or_add_tcPr().grid_span = width
            _fill(first, row_view.cells[0], bold, center=True)
            continue
        for tc, text, center in zip(tcs, row_view.cells, numbers):
            _fill(tc, text, plain, center=center)


def _strings_xml_safe(value):
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, dict):
        return {k: _strings_xml_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strings_xml_safe(v) for v in value]
    return value


def render_docx(order: Order) -> bytes:
    # Control characters cannot stand in the XML of a DOCX: shown, not lost.
    order = Order.model_validate(_strings_xml_safe(order.model_dump()))
    tpl = template()
    context = order_context(order)
    appendices = []
    landscape: list[bool] = []
    for appendix in context["appendices"]:
        blocks = []
        wide = any(b.table is not None and needs_landscape(b.table) for b in appendix.blocks)
        landscape.append(wide)
        for block in appendix.blocks:
            if block.table is not None:
                subdoc = tpl.new_subdoc()
                build_table(subdoc, block.table, LANDSCAPE_WIDTH_CM if wide else TEXT_WIDTH_CM)
                blocks.append({"table": subdoc, "text": None})
            else:
                blocks.append({"table": None, "text": block.text})
        appendices.append(
            {"heading_first": appendix.heading[0], "heading_rest": appendix.heading[1:], "title": appendix.title, "blocks": blocks}
        )
    context["appendices"] = appendices
    tpl.render(context, autoescape=True)
    if any(landscape):
        _turn_pages(tpl.docx, landscape)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def _section_break(paragraph, template_sectpr, landscape: bool) -> None:
    """End a section at ``paragraph`` with the page setup of the template,
    turned to landscape when asked (the binding margin goes to the top)."""
    sectpr = copy.deepcopy(template_sectpr)
    size, margins = sectpr.find(qn("w:pgSz")), sectpr.find(qn("w:pgMar"))
    if landscape:
        size.set(qn("w:w"), str(int(Mm(297).twips)))
        size.set(qn("w:h"), str(int(Mm(210).twips)))
        size.set(qn("w:orient"), "landscape")
        for side, mm in (("top", 30), ("bottom", 15), ("left", 20), ("right", 20)):
            margins.set(qn(f"w:{side}"), str(int(Mm(mm).twips)))
    title_page = sectpr.find(qn("w:titlePg"))
    if title_page is not None:  # page numbers on every page after the first section
        sectpr.remove(title_page)
    sectpr.find(qn("w:type")) is not None or sectpr.insert(0, OxmlElement("w:type"))
    sectpr.find(qn("w:type")).set(qn("w:val"), "nextPage")
    paragraph._p.get_or_add_pPr().append(sectpr)


def _turn_pages(document, landscape: list[bool]) -> None:
    """Put each appendix whose table is too wide for a portrait page on
    landscape pages of its own section."""
    body_sectpr = document.element.body.find(qn("w:sectPr"))
    starts = [p for p in document.paragraphs if p.style.name == "Appendix Heading" and p.paragraph_format.page_break_before]
    for index, (start, wide) in enumerate(zip(starts, landscape)):
        if not wide:
            continue
        # The paragraph before the appendix ends the portrait section above it.
        previous = start._p.getprevious()
        while previous is not None and previous.tag != qn("w:p"):
            previous = previous.getprevious()
        if previous is not None:
            from docx.text.paragraph import Paragraph

            _section_break(Paragraph(previous, start._parent), body_sectpr, landscape=False)
        start.paragraph_format.page_break_before = False
        # A paragraph after the appendix's last block ends its landscape section.
        end = starts[index + 1]._p if index + 1 < len(starts) else None
        anchor = document.add_paragraph() if end is None else None
        if end is not None:
            marker = OxmlElement("w:p")
            end.addprevious(marker)
            from docx.text.paragraph import Paragraph

            anchor = Paragraph(marker, start._parent)
            starts[index + 1].paragraph_format.page_break_before = False
        _section_break(anchor, body_sectpr, landscape=True)
