"""Build ``templates/order.docx``: the docxtpl template of an order.

The template is a Word document built for the purpose, laid out by ГОСТ Р
7.0.97-2025: A4; margins 30 mm left, 15 mm right, 20 mm top and bottom; Times
New Roman 14 pt; page numbers from page 2, centred in the top margin;
requisites in order (authority, kind, date and number, place, title), text
with numbered clauses, the signature (position left, name right); each
appendix on a new page with its heading block at the top right, its title,
its content.  Roadmap and other tables are inserted as docxtpl subdocuments
(``{{p block.table }}``), built by ``pipeline/render/docx.py`` in the styles
defined here, because their columns vary from plan to plan.

Run it after changing the layout:  python templates/make_order_docx.py
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

HERE = Path(__file__).resolve().parent
FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
TEXT_WIDTH = Mm(210 - 30 - 15)
HEADING_INDENT = Cm(9)


def _font(style, size: int, bold: bool = False) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _styles(document: docx.Document) -> None:
    normal = document.styles["Normal"]
    _font(normal, BODY_PT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    for name, size, bold, align in [
        ("Order Authority", BODY_PT, True, WD_ALIGN_PARAGRAPH.CENTER),
        ("Order Kind", 16, True, WD_ALIGN_PARAGRAPH.CENTER),
        ("Order Title", BODY_PT, True, WD_ALIGN_PARAGRAPH.LEFT),
        ("Order Text", BODY_PT, False, WD_ALIGN_PARAGRAPH.JUSTIFY),
        ("Appendix Heading", BODY_PT, False, WD_ALIGN_PARAGRAPH.LEFT),
        ("Appendix Title", BODY_PT, True, WD_ALIGN_PARAGRAPH.CENTER),
        ("Table Text", TABLE_PT, False, WD_ALIGN_PARAGRAPH.LEFT),
        ("Table Header", TABLE_PT, True, WD_ALIGN_PARAGRAPH.CENTER),
    ]:
        style = document.styles.add_style(name, 1)
        style.base_style = normal
        _font(style, size, bold)
        style.paragraph_format.alignment = align
    document.styles["Order Text"].paragraph_format.first_line_indent = Cm(1.25)
    document.styles["Order Title"].paragraph_format.right_indent = Cm(7)
    document.styles["Order Title"].paragraph_format.space_before = Pt(12)
    document.styles["Order Title"].paragraph_format.space_after = Pt(12)
    document.styles["Order Kind"].paragraph_format.space_before = Pt(12)
    document.styles["Order Kind"].paragraph_format.space_after = Pt(12)
    document.styles["Appendix Heading"].paragraph_format.left_indent = HEADING_INDENT
    document.styles["Appendix Title"].paragraph_format.space_before = Pt(12)
    document.styles["Appendix Title"].paragraph_format.space_after = Pt(12)


def _page(document: docx.Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.header_distance = Mm(10)
    # Page numbers from the second page, centred in the top margin.
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    header._p.append(field)
    _font(section.header.paragraphs[0].style, 12)


def _tab_right(paragraph) -> None:
    paragraph.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)


def build(path: Path) -> None:
    document = docx.Document()
    _styles(document)
    _page(document)
    add = document.add_paragraph

    add("{{ authority }}", "Order Authority")
    add("{{ kind }}", "Order Kind")
    _tab_right(add("{{ date }}\t{{ number }}", "Normal"))
    add("{%p if place %}")
    add("{{ place }}", "Order Authority").runs[0].bold = False
    add("{%p endif %}")
    add("{{ title }}", "Order Title")
    add("{%p for paragraph in preamble %}")
    add("{{ paragraph }}", "Order Text")
    add("{%p endfor %}")
    add("{%p if operative %}")
    add("{{ operative }}", "Normal").runs[0].bold = True
    add("{%p endif %}")
    # The last clause keeps with the signature: a signature never stands
    # alone at the top of a page.
    add("{%p for paragraph in clauses_but_last %}")
    add("{{ paragraph }}", "Order Text")
    add("{%p endfor %}")
    add("{%p if last_clause %}")
    add("{{ last_clause }}", "Order Text").paragraph_format.keep_with_next = True
    add("{%p endif %}")
    add("").paragraph_format.keep_with_next = True
    signature = add("{{ signatory_position }}\t{{ signatory_name }}", "Normal")
    _tab_right(signature)
    signature.paragraph_format.space_before = Pt(36)

    add("{%p for appendix in appendices %}")
    first = add("{{ appendix.heading_first }}", "Appendix Heading")
    first.paragraph_format.page_break_before = True
    add("{%p for line in appendix.heading_rest %}")
    add("{{ line }}", "Appendix Heading")
    add("{%p endfor %}")
    add("{%p if appendix.title %}")
    add("{{ appendix.title }}", "Appendix Title")
    add("{%p endif %}")
    add("{%p for block in appendix.blocks %}")
    add("{%p if block.table %}")
    add("{{p block.table }}")
    add("{%p else %}")
    add("{{ block.text }}", "Order Text")
    add("{%p endif %}")
    add("{%p endfor %}")
    add("{%p endfor %}")

    core = document.core_properties
    core.title, core.author = "roadmap-orders: order template", "roadmap-orders"
    document.save(path)


if __name__ == "__main__":
    build(HERE / "order.docx")
    print(HERE / "order.docx")
