"""Build the Word and PDF forms of the seed orders, the way a clerk types them.

For every golden file ``corpus/expected/<stem>.json`` this script writes
``corpus/documents/<stem>.docx`` and (through LibreOffice) ``<stem>.pdf``.
The golden files hold every printed word of an order; the .txt conversions
beside them show how the real documents were laid out.  The two together give
a Word file that prints the golden text exactly, in the shape of the source:

* A4, margins 30/15/20/20 mm, Times New Roman 14 pt, single spacing, direct
  formatting on «Обычный» paragraphs (no heading styles: clerks do not use them);
* the head: the authority (centered bold, one paragraph per printed line), the
  kind of the order, the date left and the number right on one line (a right
  tab stop), the place, the title with its printed line breaks, the preamble
  and the operative word («п р и к а з ы в а ю:») where the source has one;
* the clauses as Word automatic numbering (``numbering.xml``), except where
  the authors' own numbers cannot come from a counter: those are typed;
* the signature: position left, name right on the same line (right tab stop);
* each appendix on a new page: the heading block at the top right, the bold
  title, then paragraphs, plain tables and the roadmap table with a repeated
  header row, section rows merged across the width, parties one per line in
  their cell, and rows that may break across pages.

What differs from one order to the next (line splits, fonts, widths,
orientation) is in the ``LAYOUTS`` table below: this is test-data generation,
not pipeline code, so each choice is written down plainly.  Every line split
is checked against the golden text when the document is built, so the Word
file cannot drift from the golden file.

Usage::

    python corpus/build.py [STEM ...] [--no-pdf] [--jobs N]

The DOCX output is byte-for-byte reproducible (fixed core properties and zip
timestamps).  Each PDF conversion runs ``soffice --headless`` with its own
temporary profile, so several builds may run at once; every output is written
to a temporary name and renamed into place.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

CORPUS = Path(__file__).resolve().parent
EXPECTED = CORPUS / "expected"
DOCUMENTS = CORPUS / "documents"

FONT = "Times New Roman"  # LibreOffice renders it with metric-compatible Liberation Serif
BODY_PT = 14.0
FIRST_LINE_MM = 12.5  # the usual 1.25 cm paragraph indent
PAGE_W_MM, PAGE_H_MM = 210.0, 297.0
MARGINS_MM = {"left": 30.0, "right": 15.0, "top": 20.0, "bottom": 20.0}  # ГОСТ Р 7.0.97: ≥ 20/10/20/20
AUTHOR = "Отдел делопроизводства"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

Align = Literal["left", "center", "right", "justify"]
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


# ---------------------------------------------------------------------------
# Per-document layout choices
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RoadmapLayout:
    """How one roadmap table is set."""

    widths_mm: tuple[float, ...]  # one per column, in the golden column order
    font_pt: float = 12.0
    landscape: bool = False  # the appendix holding it is a landscape section
    number_row: bool = False  # a «1 2 3 4» row under the header, repeated like the header
    section_align: Align = "center"
    table_align: Literal["left", "center"] = "left"
    # Left/right cell margins; None keeps Word's default 1.9 mm.  A dense table gets narrower ones.
    cell_margin_mm: float | None = None
    # (column header, word) pairs allowed to be wider than the column: the renderer
    # breaks such a word between two letters.
    overflow_ok: tuple[tuple[str, str], ...] = ()
    # Activities typed over several lines of their cell, by item number.
    # The lines joined with single spaces must equal the golden activity.
    activity_lines: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class AppendixLayout:
    """How one appendix's heading block and title are set."""

    heading_lines: tuple[str, ...] = ()  # as printed, line by line; () when there is none
    heading_breaks: bool = False  # one paragraph with line breaks instead of one paragraph per line
    heading_indent_mm: float | None = 95.0  # left indent of the block; None: right-aligned lines
    heading_pt: float = BODY_PT
    title_lines: tuple[str, ...] = ()  # bold, centered, split as printed
    title_pt: float = BODY_PT
    # Paragraphs of the content that are bold centered sub-headings («1. Паспорт Программы»).
    subheading: str | None = None
    # «1. …», «2. …» list paragraphs set with Word automatic numbering instead of typed numbers.
    auto_numbered_list: bool = False
    table_widths_mm: tuple[float, ...] = ()  # plain (non-roadmap) tables
    table_pt: float = 12.0


@dataclass(frozen=True)
class Layout:
    """How one order is set: everything the golden file does not say."""

    authority_lines: tuple[str, ...]
    kind_text: str  # as printed: «П Р И К А З» (typed letter-spaced), «Приказ», «РАСПОРЯЖЕНИЕ»
    date_text: str  # left of the tab, as printed («от 10.06.2021»); must contain document.date_text
    number_text: str  # right of the tab, as printed («№ 454 -р»)
    title_lines: tuple[str, ...]
    title_align: Align = "left"
    title_right_indent_mm: float = 0.0  # a left title block narrower than the text width
    operative: str | None = None  # «п р и к а з ы в а ю:»; None when the order has none
    operative_bold: bool = False
    # Clauses from this index on have their numbers typed by hand; None: all automatic.
    typed_clauses_from: int | None = None
    position_lines: tuple[str, ...] = ()
    position_breaks: bool = False  # a multi-line position as one paragraph with line breaks
    position_bold: bool = False
    name_bold: bool = False
    appendices: tuple[AppendixLayout, ...] = ()
    roadmaps: tuple[RoadmapLayout, ...] = ()


LAYOUTS: dict[str, Layout] = {
    # 000.  Smolensk № 718-ОД.  Clauses 1.–4.1. come from Word's numbering (the
    # conversion shows them as a list), but the authors typed «4.2.» twice,
    # «4.3.» and «5.» by hand after that: no counter gives «4.2.» twice, so
    # those four are typed (typed_clauses_from=8).
    "smolensk-prikaz-718-od": Layout(
        authority_lines=("ДЕПАРТАМЕНТ СМОЛЕНСКОЙ ОБЛАСТИ", "ПО ОБРАЗОВАНИЮ И НАУКЕ"),
        kind_text="П Р И К А З",
        date_text="« 06 » 10 2020 г.",
        number_text="№ 718-ОД",
        title_lines=(
            "Об организации сопровождения",
            "школ с низкими результатами",
            "обучения на 2020 – 2021 учебный",
            "год",
        ),
        title_align="left",
        title_right_indent_mm=80.0,
        operative="п р и к а з ы в а ю:",
        operative_bold=True,
        typed_clauses_from=8,
        position_lines=("И.о. начальника Департамента",),
        name_bold=True,
        appendices=(
            AppendixLayout(
                heading_lines=(
                    "Приложение № 2",
                    "к приказу Департамента Смоленской",
                    "области по образованию и науке",
                    "от 06.10.20 № 418-ОД",
                ),
                heading_indent_mm=85.0,
                title_lines=("План мероприятий по сопровождению школ", "с низкими результатами обучения"),
            ),
        ),
        roadmaps=(RoadmapLayout(widths_mm=(12, 80, 28, 45)),),
    ),
    # 001.  Smolensk № 422-ОД.  The six-column roadmap sits in a landscape section.
    "smolensk-prikaz-422-od": Layout(
        authority_lines=("ДЕПАРТАМЕНТ СМОЛЕНСКОЙ ОБЛАСТИ", "ПО ОБРАЗОВАНИЮ И НАУКЕ"),
        kind_text="П Р И К А З",
        date_text="« 17 » август 20 21 г.",
        number_text="№ 422-ОД",
        title_lines=(
            "О внесении изменения в план-график («дорожную карту») реализации проекта по "
            "организации методической поддержки общеобразовательных организаций, имеющих "
            "низкие образовательные результаты обучающихся, в Смоленской области",
        ),
        title_align="center",
        operative="п р и к а з ы в а ю:",
        position_lines=("И.о. начальника Департамента",),
        appendices=(
            AppendixLayout(
                heading_lines=(
                    "Приложение к приказу Департамента",
                    "Смоленской области по образованию",
                    "и науке от «16» 03 2021 г. № 189-ОД",
                    "(в ред. от «17» 05 2021 г. № 422-ОД)",
                ),
                heading_indent_mm=160.0,
                title_lines=("План-график («дорожная карта») реализации Проекта «500+»",),
            ),
        ),
        roadmaps=(
            RoadmapLayout(widths_mm=(10, 55, 70, 27, 40, 50), landscape=True, section_align="left"),
        ),
    ),
    # 002.  Bolshebereznikovsky district № 59-б.  A long programme text with a
    # passport table, then the roadmap under an approval stamp; the uppercase
    # titles are 12 pt (at 14 pt their printed lines do not fit the width).
    # Numbered lists inside the programme («1. Информационное, …») are typed.
    "mordovia-bbereznikovsky-prikaz-59-b": Layout(
        authority_lines=("УПРАВЛЕНИЕ", "по социальной работе", "Большеберезниковского муниципального района"),
        kind_text="Приказ",
        date_text="от 10.06.2021",
        number_text="№59-б",
        title_lines=(
            "Об утверждении муниципальной Программы поддержки школ с",
            "низкими результатами обучения и функционирующих в",
            "неблагоприятных условиях в Большеберезниковском муниципальном",
            "районе на 2020 - 2022 годы",
        ),
        title_align="center",
        operative="приказываю:",
        position_lines=("Начальник управления", "по социальной работе"),
        position_breaks=True,
        position_bold=True,
        appendices=(
            AppendixLayout(
                title_lines=(
                    "МУНИЦИПАЛЬНАЯ ПРОГРАММА ПОДДЕРЖКИ ШКОЛ С НИЗКИМИ",
                    "РЕЗУЛЬТАТАМИ ОБУЧЕНИЯ И ШКОЛ, ФУНКЦИОНИРУЮЩИХ В",
                    "НЕБЛАГОПРИЯТНЫХ СОЦИАЛЬНЫХ УСЛОВИЯХ В",
                    "БОЛЬШЕБЕРЕЗНИКОВСКОМ МУНИЦИПАЛЬНОМ РАЙОНЕ РЕСПУБЛИКИ",
                    "МОРДОВИЯ НА 2020 - 2022 ГОДЫ",
                ),
                title_pt=12.0,
                subheading=r"\d\. [^.;:]{5,45} Программы",
                table_widths_mm=(50, 115),
            ),
            AppendixLayout(
                # The approval stamp is typed flush right, line by line.
                heading_lines=("Утвержден", "приказом управления по социальной работе", "от _____ г. № _____"),
                heading_indent_mm=None,
                title_lines=(
                    'ПЛАН МЕРОПРИЯТИЙ ("ДОРОЖНАЯ КАРТА") МУНИЦИПАЛЬНОЙ',
                    "ПРОГРАММЫ ПОДДЕРЖКИ ШКОЛ С НИЗКИМИ РЕЗУЛЬТАТАМИ ОБУЧЕНИЯ",
                    "И ШКОЛ, ФУНКЦИОНИРУЮЩИХ В НЕБЛАГОПРИЯТНЫХ СОЦИАЛЬНЫХ",
                    "УСЛОВИЯХ, В БОЛЬШЕБЕРЕЗНИКОВСКОМ МУНИЦИПАЛЬНОМ РАЙОНЕ",
                    "РЕСПУБЛИКИ МОРДОВИЯ НА 2020 - 2022 ГОДЫ",
                ),
                title_pt=12.0,
            ),
        ),
        roadmaps=(RoadmapLayout(widths_mm=(12, 35, 63, 55), number_row=True),),
    ),
    # 003.  Tomsk № 293-р.  Sub-clauses «1)…4)» under clause 4 come from a «%2)»
    # numbering level.  The roadmap has narrow columns (a 131 mm table) so its
    # cells wrap a lot; lists inside activity cells are typed one per line.
    # The working-group list of appendix 2 uses automatic numbering.
    "tomsk-rasporyazhenie-293-r": Layout(
        authority_lines=("ДЕПАРТАМЕНТ ОБЩЕГО ОБРАЗОВАНИЯ", "ТОМСКОЙ ОБЛАСТИ"),
        kind_text="РАСПОРЯЖЕНИЕ",
        date_text="13.04.2020",
        number_text="№ 293-р",
        title_lines=(
            "Об организации работы со школами с низкими образовательными результатами "
            "на территории Томской области",
        ),
        title_align="left",
        title_right_indent_mm=75.0,
        position_lines=("Начальник Департамента",),
        appendices=(
            AppendixLayout(
                title_lines=(
                    "Дорожная карта комплекса мероприятий по работе со школами с низкими "
                    "образовательными результатами Томской области на 2020 – 2021 год",
                ),
            ),
            AppendixLayout(
                title_lines=(
                    "Состав региональной рабочей группы по работе со школами с низкими "
                    "образовательными результатами",
                ),
                auto_numbered_list=True,
            ),
        ),
        roadmaps=(
            RoadmapLayout(
                widths_mm=(10, 55, 26, 40),
                table_align="center",
                activity_lines={
                    "5": (
                        "Сбор дополнительных сведений о школах на основании списка школ от Рособнадзора:",
                        "- контакты руководства школы;",
                        "- размер и расположение школы;",
                        "- характеристика кадрового состава;",
                        "- характеристика контингента обучающихся;",
                        "- характеристики материально-технической базы и учебно-методического обеспечения;",
                        "- внешние факторы, влияющие на работу школы",
                    ),
                    "6": (
                        "Организация подготовительной работы в каждой школе, включающей:",
                        "- проведение анализа внутренних и внешних причин низких результатов;",
                        "- формирование позиций по целеполаганию в вопросах повышения качества "
                        "образования (реальные цели и задачи, первоочередные мероприятия ближайшего развития);",
                        "- проработка схемы возможной организации дополнительных занятий с обучающимися "
                        "с низким уровнем подготовки;",
                        "- проработка активных форм работы с родительским сообществом и самими учениками "
                        "для создания атмосферы заинтересованности в повышении результатов обучения в "
                        "рамках осознанных реалистичных целей ближайшего развития",
                    ),
                    "25": (
                        "Проведение региональных мониторинговых исследований качества образования и "
                        "всероссийских проверочных работ:",
                        "ВПр – сентябрь 2020",
                        "Региональный мониторинг – декабрь 2020",
                        "ВПр – апрель 2021",
                    ),
                },
            ),
        ),
    ),
    # 004.  Nenets AO № 454-р.  Roadmap in 11 pt with a «1 2 3 4 5» row; the
    # four-line position is four paragraphs; the appendix heading is one 12 pt
    # paragraph with line breaks (the source's lines start with a space).
    "nao-rasporyazhenie-454-r": Layout(
        authority_lines=("Департамент образования, культуры и спорта", "Ненецкого автономного округа"),
        kind_text="РАСПОРЯЖЕНИЕ",
        date_text="от 21 мая 2020 г.",
        number_text="№ 454 -р",
        title_lines=(
            "Об утверждении плана мероприятий",
            "(«дорожной карты») по повышению качества",
            "подготовки обучающихся в школах",
            "с низкими результатами обучения",
            "на 2020-2021 годы",
        ),
        title_align="left",
        title_right_indent_mm=55.0,
        position_lines=(
            "Исполняющий обязанности",
            "руководителя Департамента",
            "образования, культуры и спорта",
            "Ненецкого автономного округа",
        ),
        appendices=(
            AppendixLayout(
                heading_lines=(
                    "Приложение",
                    "к распоряжению Департамента",
                    "образования, культуры и спорта",
                    "Ненецкого автономного округа",
                    "от 21.05.2020 № 454 -р",
                    "«Об утверждении плана мероприятий",
                    "(«дорожной карты») по повышению",
                    "качества подготовки обучающихся",
                    "в школах с низкими результатами",
                    "обучения на 2020-2021 годы»",
                ),
                heading_breaks=True,
                heading_indent_mm=90.0,
                heading_pt=12.0,
                title_lines=(
                    "План мероприятий («дорожная карта»)",
                    "по повышению качества подготовки",
                    "обучающихся в школах с низкими",
                    "результатами обучения на 2020-2021 годы",
                ),
            ),
        ),
        roadmaps=(
            # 1 mm cell margins: at 11 pt with Word's default 1.9 mm no widths fit the
            # longest words of every column.  «школ-тьюторов/консультантов» (50 mm, no
            # break opportunity: LibreOffice does not break at its hyphen or slash) still
            # cannot fit the result column of item 1.7: that one cell breaks mid-word.
            RoadmapLayout(
                widths_mm=(11, 54, 27, 30, 43),
                font_pt=11.0,
                number_row=True,
                cell_margin_mm=1.0,
                overflow_ok=(("Результаты реализации", "школ-тьюторов/консультантов"),),
            ),
        ),
    ),
}


# ---------------------------------------------------------------------------
# Checks against the golden text
# ---------------------------------------------------------------------------


class LayoutError(ValueError):
    """The layout table does not print the golden text."""


def _same(printed: str, golden: str | None, what: str) -> None:
    if printed != golden:
        raise LayoutError(f"{what}: layout prints {printed!r}, golden has {golden!r}")


def _joined(lines: tuple[str, ...]) -> str:
    return " ".join(line.strip() for line in lines)


def check_layout(golden: dict[str, Any], layout: Layout) -> None:
    """Raise :class:`LayoutError` unless every split of the layout prints the golden text."""
    meta = golden["document"]
    _same(_joined(layout.authority_lines), meta["authority"], "authority")
    _same(_joined(layout.title_lines), meta["title"], "title")
    if meta["date_text"] not in layout.date_text:
        raise LayoutError(f"date: {layout.date_text!r} does not hold {meta['date_text']!r}")
    if re.sub(r"\s", "", layout.number_text) != "№" + meta["number"]:
        raise LayoutError(f"number: {layout.number_text!r} is not № {meta['number']!r}")
    _same(_joined(layout.position_lines), meta["signatory"]["position"], "signatory position")
    if len(layout.appendices) != len(golden["appendices"]):
        raise LayoutError("one AppendixLayout per golden appendix is needed")
    for app, lay in zip(golden["appendices"], layout.appendices):
        _same(_joined(lay.heading_lines) or None, app["heading"], f"appendix {app['index']} heading")
        _same(_joined(lay.title_lines) or None, app["title"], f"appendix {app['index']} title")
    if len(layout.roadmaps) != len(golden["roadmaps"]):
        raise LayoutError("one RoadmapLayout per golden roadmap is needed")
    for roadmap, lay in zip(golden["roadmaps"], layout.roadmaps):
        if len(lay.widths_mm) != len(roadmap["columns"]):
            raise LayoutError(f"roadmap {roadmap['title']!r}: one width per column is needed")
        activities = {item["number"]: item["activity"] for item in roadmap["items"]}
        for number, lines in lay.activity_lines.items():
            _same(_joined(lines), activities.get(number), f"activity of item {number}")
    clauses = golden["clauses"]
    auto = clauses if layout.typed_clauses_from is None else clauses[: layout.typed_clauses_from]
    labels = render_clause_numbers(auto, sub_paren=_sub_paren(clauses))
    for clause, label in zip(auto, labels):
        _same(label, clause["number"], "automatic clause number")


CELL_MARGIN_MM = 1.9  # Word's default left/right cell margin (0.19 cm)
_FONT_FILES = {
    False: Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
    True: Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf"),
}


def _measurer() -> Any:
    """A function (text, pt, bold) -> width in mm, from Liberation Serif metrics; None without Pillow."""
    try:
        from PIL import ImageFont
    except ImportError:
        return None
    if not all(path.exists() for path in _FONT_FILES.values()):
        return None
    fonts = {bold: ImageFont.truetype(str(path), 1000) for bold, path in _FONT_FILES.items()}

    def width(text: str, pt: float, bold: bool = False) -> float:
        return fonts[bold].getlength(text) / 1000 * pt * 25.4 / 72

    return width


def check_word_fit(golden: dict[str, Any], layout: Layout) -> None:
    """Raise :class:`LayoutError` if a word is wider than its roadmap column.

    A word wider than its cell is broken between two letters by the renderer
    («ежеквартальн» / «о»); nothing could bring the golden word back from the
    PDF, so the column widths must leave room for the longest word of every
    cell.  Lines break after spaces and after hyphens, except in a word
    holding a slash («школ-тьюторов/консультантов» is one unit to
    LibreOffice).  Words listed in ``overflow_ok`` are let through.  Skipped
    when Pillow or the Liberation fonts are missing.
    """
    width = _measurer()
    if width is None:
        return
    for roadmap, lay in zip(golden["roadmaps"], layout.roadmaps):
        rows: list[tuple[list[list[str]], bool]] = [([[c["header"]] for c in roadmap["columns"]], True)]
        for item in roadmap["items"]:
            rows.append(([cell_lines(item, column, lay) for column in roadmap["columns"]], False))
        for cells, bold in rows:
            for column, lines, column_mm in zip(roadmap["columns"], cells, lay.widths_mm):
                margin = CELL_MARGIN_MM if lay.cell_margin_mm is None else lay.cell_margin_mm
                room = column_mm - 2 * margin
                for line in lines:
                    for token in line.split():
                        if any(header == column["header"] and token.startswith(word)
                               for header, word in lay.overflow_ok):
                            continue
                        units = [token] if "/" in token else re.findall(r"[^-]+-?|-", token)
                        for word in units:
                            if width(word, lay.font_pt, bold) <= room:
                                continue
                            raise LayoutError(
                                f"{word!r} ({width(word, lay.font_pt, bold):.1f} mm) does not fit column "
                                f"{column['header']!r} ({room:.1f} mm inside) of {roadmap['title'][:40]!r}…"
                            )


def _sub_paren(clauses: list[dict[str, Any]]) -> bool:
    """True when level-2 clauses are printed «1)» rather than «3.1.»."""
    return any(c["level"] == 2 and re.fullmatch(r"\d+\)", c["number"] or "") for c in clauses)


def render_clause_numbers(clauses: list[dict[str, Any]], *, sub_paren: bool) -> list[str]:
    """The labels Word's counters give these clauses (levels 1–2, lower level restarts)."""
    counters = [0, 0]
    labels = []
    for clause in clauses:
        level = clause["level"] - 1
        counters[level] += 1
        if level == 0:
            counters[1] = 0
            labels.append(f"{counters[0]}.")
        else:
            labels.append(f"{counters[1]})" if sub_paren else f"{counters[0]}.{counters[1]}.")
    return labels


# ---------------------------------------------------------------------------
# Low-level Word helpers
# ---------------------------------------------------------------------------


def _twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


def set_defaults(document: DocxDocument) -> None:
    """Times New Roman 14 pt, Russian, single spacing, no space after: a clerk's «Обычный»."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(r_pr):
        r_pr.remove(child)
    r_pr.append(
        parse_xml(
            f'<w:rFonts {nsdecls("w")} w:ascii="{FONT}" w:hAnsi="{FONT}" '
            f'w:eastAsia="{FONT}" w:cs="{FONT}"/>'
        )
    )
    r_pr.append(parse_xml(f'<w:sz {nsdecls("w")} w:val="{int(BODY_PT * 2)}"/>'))
    r_pr.append(parse_xml(f'<w:szCs {nsdecls("w")} w:val="{int(BODY_PT * 2)}"/>'))
    r_pr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="ru-RU" w:eastAsia="ru-RU" w:bidi="ar-SA"/>'))
    p_pr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for child in list(p_pr):
        p_pr.remove(child)
    p_pr.append(parse_xml(f'<w:spacing {nsdecls("w")} w:after="0" w:line="240" w:lineRule="auto"/>'))
    # The template's Normal style has no font of its own; make sure nothing overrides the defaults.
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:cs"), FONT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def set_page(section, *, landscape: bool) -> None:
    """A4 with the order's margins, portrait or landscape."""
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(PAGE_H_MM), Mm(PAGE_W_MM)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE_W_MM), Mm(PAGE_H_MM)
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.header_distance = Mm(12.5)
    section.footer_distance = Mm(12.5)


def text_width_mm(landscape: bool) -> float:
    return (PAGE_H_MM if landscape else PAGE_W_MM) - MARGINS_MM["left"] - MARGINS_MM["right"]


def add_run(paragraph: Paragraph, text: str, *, bold: bool = False, size_pt: float | None = None) -> None:
    """Add ``text`` as one run; ``"\\n"`` becomes a line break (Shift+Enter), ``"\\t"`` a tab."""
    run = paragraph.add_run(text)  # python-docx writes "\n" as <w:br/> and "\t" as <w:tab/>
    if bold:
        run.bold = True
    if size_pt is not None and size_pt != BODY_PT:
        run.font.size = Pt(size_pt)


def format_paragraph(
    paragraph: Paragraph,
    *,
    align: Align | None = None,
    first_line_mm: float | None = None,
    left_mm: float | None = None,
    right_mm: float | None = None,
    keep_with_next: bool = False,
) -> Paragraph:
    fmt = paragraph.paragraph_format
    if align is not None:
        fmt.alignment = _ALIGN[align]
    if first_line_mm is not None:
        fmt.first_line_indent = Mm(first_line_mm)
    if left_mm is not None:
        fmt.left_indent = Mm(left_mm)
    if right_mm is not None:
        fmt.right_indent = Mm(right_mm)
    if keep_with_next:
        fmt.keep_with_next = True
    return paragraph


def add_paragraph(
    container: Any,
    text: str = "",
    *,
    bold: bool = False,
    size_pt: float | None = None,
    **fmt: Any,
) -> Paragraph:
    """A paragraph of the body or of a cell, with direct formatting."""
    paragraph = container.add_paragraph()
    if text:
        add_run(paragraph, text, bold=bold, size_pt=size_pt)
    return format_paragraph(paragraph, **fmt)


def add_right_tab(paragraph: Paragraph, landscape: bool = False) -> None:
    """A right tab stop at the right margin: «date … № number», «position … name»."""
    paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(text_width_mm(landscape)), WD_TAB_ALIGNMENT.RIGHT)


# ---------------------------------------------------------------------------
# Automatic numbering (python-docx has no API for it: write numbering.xml)
# ---------------------------------------------------------------------------


class Numbering:
    """Adds abstract numberings and their instances to the document's numbering part."""

    def __init__(self, document: DocxDocument) -> None:
        self.root = document.part.numbering_part.element
        used_abstract = [int(a.get(qn("w:abstractNumId"))) for a in self.root.findall(qn("w:abstractNum"))]
        used_num = [int(n.get(qn("w:numId"))) for n in self.root.findall(qn("w:num"))]
        self._next_abstract = max(used_abstract, default=-1) + 1
        self._next_num = max(used_num, default=0) + 1

    def add(self, levels: list[tuple[str, float]], *, nsid: str) -> int:
        """Add a multilevel decimal list; ``levels`` are (lvlText, left indent mm). Returns its numId.

        Each level prints its label at the 1.25 cm first-line indent, followed by a
        space, the way Russian orders are set; lower levels restart after a higher one.
        """
        abstract_id, num_id = self._next_abstract, self._next_num
        self._next_abstract += 1
        self._next_num += 1
        lvls = []
        for ilvl, (text, left_mm) in enumerate(levels):
            lvls.append(
                f'<w:lvl w:ilvl="{ilvl}">'
                f'<w:start w:val="1"/><w:numFmt w:val="decimal"/>'
                f'<w:suff w:val="space"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="{_twips(left_mm)}" w:firstLine="{_twips(FIRST_LINE_MM)}"/></w:pPr>'
                f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"/></w:rPr>'
                f"</w:lvl>"
            )
        kind = "singleLevel" if len(levels) == 1 else "multilevel"
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            f'<w:nsid w:val="{nsid}"/><w:multiLevelType w:val="{kind}"/>'
            + "".join(lvls)
            + "</w:abstractNum>"
        )
        # All abstractNum elements must come before the first num element.
        first_num = self.root.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self.root.append(abstract)
        self.root.append(
            parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
        )
        return num_id


def set_numbered(paragraph: Paragraph, num_id: int, ilvl: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------


def new_table(
    document: DocxDocument,
    widths_mm: tuple[float, ...],
    *,
    align: str = "left",
    cell_margin_mm: float | None = None,
) -> Table:
    """An empty bordered table (single lines on every cell) with fixed column widths."""
    table = document.add_table(rows=0, cols=len(widths_mm))
    table.style = document.styles["Table Grid"]
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER if align == "center" else WD_TABLE_ALIGNMENT.LEFT
    tbl_pr = table._tbl.tblPr
    total = sum(_twips(w) for w in widths_mm)
    for tag in ("w:tblW", "w:tblLayout", "w:tblBorders"):
        old = tbl_pr.find(qn(tag))
        if old is not None:
            tbl_pr.remove(old)
    tbl_pr.append(parse_xml(f'<w:tblW {nsdecls("w")} w:w="{total}" w:type="dxa"/>'))
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    tbl_pr.append(parse_xml(f'<w:tblBorders {nsdecls("w")}>{borders}</w:tblBorders>'))
    tbl_pr.append(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
    if cell_margin_mm is not None:
        for old in tbl_pr.findall(qn("w:tblCellMar")):
            tbl_pr.remove(old)
        margin = _twips(cell_margin_mm)
        tbl_pr.append(
            parse_xml(
                f'<w:tblCellMar {nsdecls("w")}><w:top w:w="0" w:type="dxa"/>'
                f'<w:left w:w="{margin}" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
                f'<w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar>'
            )
        )
    _order_tbl_pr(tbl_pr)
    for grid_col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm):
        grid_col.set(qn("w:w"), str(_twips(width)))
    return table


_TBL_PR_ORDER = [
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
]


def _order_tbl_pr(tbl_pr) -> None:
    """Put tblPr children in schema order (Word is strict about it)."""
    rank = {qn(tag): i for i, tag in enumerate(_TBL_PR_ORDER)}
    children = sorted(list(tbl_pr), key=lambda el: rank.get(el.tag, len(rank)))
    for child in children:
        tbl_pr.remove(child)
        tbl_pr.append(child)


def add_row(table: Table, widths_mm: tuple[float, ...], *, header: bool = False):
    """A new row; ``header`` marks it to repeat at the top of every page (w:tblHeader)."""
    row = table.add_row()
    for cell, width in zip(row.cells, widths_mm):
        cell.width = Mm(width)
    if header:
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    return row


def fill_cell(
    cell: _Cell,
    lines: list[str],
    *,
    size_pt: float,
    bold: bool = False,
    align: Align = "left",
) -> None:
    """Write ``lines`` into ``cell``, one paragraph per line (parties one per line)."""
    lines = lines or [""]
    first = cell.paragraphs[0]
    for index, line in enumerate(lines):
        paragraph = first if index == 0 else cell.add_paragraph()
        format_paragraph(paragraph, align=align)
        if line:
            add_run(paragraph, line, bold=bold, size_pt=size_pt)
        else:
            # An empty cell keeps the table's font size on its paragraph mark, as Word does;
            # otherwise the empty line would be 14 pt high.
            _mark_size(paragraph, size_pt)


def _mark_size(paragraph: Paragraph, size_pt: float) -> None:
    """Set the size of the paragraph mark (w:pPr/w:rPr), which sets an empty line's height."""
    half_points = int(size_pt * 2)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:rPr {nsdecls("w")}><w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>')
    )


def merge_row(row) -> _Cell:
    """Merge a row into one cell spanning the whole width (w:gridSpan)."""
    cells = row.cells
    merged = cells[0].merge(cells[-1])
    return merged


# ---------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------


def cell_lines(item: dict[str, Any], column: dict[str, Any], lay: RoadmapLayout) -> list[str]:
    """What a roadmap item prints in one column, line by line."""
    role = column["role"]
    if role == "number":
        return [item["number"] or ""]
    if role == "activity":
        return list(lay.activity_lines.get(item["number"], (item["activity"],)))
    if role == "description":
        return [item["description"] or ""]
    if role == "deadline":
        return [item["deadline"]["text"] if item["deadline"] else ""]
    if role == "responsible":
        return [party["text"] for party in item["responsibles"]]
    if role == "result":
        return [item["result"] or ""]
    return [item["extra"].get(column["header"], "")]


def add_roadmap(document: DocxDocument, roadmap: dict[str, Any], lay: RoadmapLayout) -> None:
    """The roadmap table: repeated header (and column-number row), merged section rows, items."""
    columns = roadmap["columns"]
    widths = lay.widths_mm
    size = lay.font_pt
    table = new_table(document, widths, align=lay.table_align, cell_margin_mm=lay.cell_margin_mm)

    header = add_row(table, widths, header=True)
    for cell, column in zip(header.cells, columns):
        fill_cell(cell, [column["header"]], size_pt=size, bold=True, align="center")
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if lay.number_row:
        numbers = add_row(table, widths, header=True)
        for index, cell in enumerate(numbers.cells, start=1):
            fill_cell(cell, [str(index)], size_pt=size, align="center")

    sections = {s["title"]: s for s in roadmap["sections"]}
    current: str | None = None
    for item in roadmap["items"]:
        if item["section"] != current:
            current = item["section"]
            if current is not None:
                section = sections.get(current) or next(
                    s for s in roadmap["sections"] if f"{s['number']} {s['title']}" == current
                )
                printed = f"{section['number']} {section['title']}" if section["number"] else section["title"]
                row = add_row(table, widths)
                merged = merge_row(row)
                fill_cell(merged, [printed], size_pt=size, bold=True, align=lay.section_align)
        row = add_row(table, widths)
        for cell, column in zip(row.cells, columns):
            align: Align = "center" if column["role"] in ("number", "deadline") else "left"
            fill_cell(cell, cell_lines(item, column, lay), size_pt=size, align=align)


def add_plain_table(document: DocxDocument, rows: list[list[str]], lay: AppendixLayout) -> None:
    """A plain bordered table (002's passport of the programme)."""
    widths = lay.table_widths_mm
    table = new_table(document, widths)
    for values in rows:
        row = add_row(table, widths)
        for cell, value in zip(row.cells, values):
            fill_cell(cell, [value], size_pt=lay.table_pt)


def add_heading_block(document: DocxDocument, lay: AppendixLayout) -> None:
    """The appendix heading at the top right, split into its printed lines."""
    if not lay.heading_lines:
        return
    fmt: dict[str, Any] = (
        {"left_mm": lay.heading_indent_mm, "align": "left"}
        if lay.heading_indent_mm is not None
        else {"align": "right"}
    )
    if lay.heading_breaks:
        add_paragraph(document, "\n".join(lay.heading_lines), size_pt=lay.heading_pt, **fmt)
    else:
        for line in lay.heading_lines:
            add_paragraph(document, line, size_pt=lay.heading_pt, **fmt)
    add_paragraph(document)


def add_appendix(
    document: DocxDocument,
    golden: dict[str, Any],
    appendix: dict[str, Any],
    lay: AppendixLayout,
    roadmap_layouts: tuple[RoadmapLayout, ...],
    numbering: Numbering,
) -> None:
    """One appendix: heading, bold title, then its content in order."""
    add_heading_block(document, lay)
    if lay.title_lines:
        add_paragraph(
            document, "\n".join(lay.title_lines), bold=True, size_pt=lay.title_pt, align="center",
            keep_with_next=True,
        )
        add_paragraph(document)
    list_id: int | None = None
    if lay.auto_numbered_list:
        list_id = numbering.add([("%1.", 0.0)], nsid=f"{0x5A000000 + appendix['index']:08X}")
    expected_label = 1
    for block in appendix["content"]:
        if block["type"] == "table" and block["roadmap"] is not None:
            index = block["roadmap"]
            add_roadmap(document, golden["roadmaps"][index], roadmap_layouts[index])
            add_paragraph(document)
        elif block["type"] == "table":
            add_plain_table(document, block["rows"], lay)
            add_paragraph(document)
        else:
            text: str = block["text"]
            if lay.subheading and re.fullmatch(lay.subheading, text):
                add_paragraph(document, text, bold=True, align="center", keep_with_next=True)
                continue
            numbered = re.match(r"(\d+)\. ", text)
            if list_id is not None and numbered:
                if int(numbered.group(1)) != expected_label:
                    raise LayoutError(f"list label {numbered.group(1)} where {expected_label} was expected")
                expected_label += 1
                paragraph = add_paragraph(document, text[numbered.end():], align="justify")
                set_numbered(paragraph, list_id, 0)
            else:
                add_paragraph(document, text, align="justify", first_line_mm=FIRST_LINE_MM)


def add_head(document: DocxDocument, golden: dict[str, Any], layout: Layout) -> None:
    """Authority, kind, date and number, place, title, preamble, operative word."""
    meta = golden["document"]
    for line in layout.authority_lines:
        add_paragraph(document, line, bold=True, align="center")
    add_paragraph(document)
    add_paragraph(document, layout.kind_text, bold=True, size_pt=16.0, align="center")
    add_paragraph(document)
    dateline = add_paragraph(document, f"{layout.date_text}\t{layout.number_text}")
    add_right_tab(dateline)
    if meta["place"]:
        add_paragraph(document, meta["place"], align="center")
    add_paragraph(document)
    title = add_paragraph(
        document,
        "\n".join(layout.title_lines),
        bold=True,
        align=layout.title_align,
        right_mm=layout.title_right_indent_mm or None,
    )
    title.paragraph_format.keep_with_next = True
    add_paragraph(document)
    if meta["preamble"]:
        add_paragraph(document, meta["preamble"], align="justify", first_line_mm=FIRST_LINE_MM)
    if layout.operative:
        add_paragraph(document)
        add_paragraph(document, layout.operative, bold=layout.operative_bold)
    add_paragraph(document)


def add_clauses(document: DocxDocument, golden: dict[str, Any], layout: Layout, numbering: Numbering) -> None:
    """The operative clauses: Word numbering, typed numbers where the authors typed them."""
    clauses = golden["clauses"]
    sub = "%2)" if _sub_paren(clauses) else "%1.%2."
    num_id = numbering.add([("%1.", 0.0), (sub, 0.0)], nsid="4F524431")
    for index, clause in enumerate(clauses):
        first, *rest = clause["text"].split("\n")
        typed = layout.typed_clauses_from is not None and index >= layout.typed_clauses_from
        if typed:
            paragraph = add_paragraph(
                document, f"{clause['number']} {first}", align="justify", first_line_mm=FIRST_LINE_MM
            )
        else:
            paragraph = add_paragraph(document, first, align="justify")
            set_numbered(paragraph, num_id, clause["level"] - 1)
        for extra in rest:
            add_paragraph(document, extra, align="justify", first_line_mm=FIRST_LINE_MM)


def add_signature(document: DocxDocument, golden: dict[str, Any], layout: Layout) -> None:
    """Position left, name right on the last line of the position (a right tab stop)."""
    name = golden["document"]["signatory"]["name"]
    add_paragraph(document)
    add_paragraph(document)
    lines = list(layout.position_lines)
    if layout.position_breaks:
        paragraph = add_paragraph(document, "\n".join(lines), bold=layout.position_bold)
    else:
        for line in lines[:-1]:
            add_paragraph(document, line, bold=layout.position_bold)
        paragraph = add_paragraph(document, lines[-1], bold=layout.position_bold)
    add_run(paragraph, "\t")
    add_run(paragraph, name, bold=layout.name_bold)
    add_right_tab(paragraph)


def set_core_properties(document: DocxDocument, golden: dict[str, Any]) -> None:
    """Fixed metadata, so a rebuild gives the same file."""
    date = dt.date.fromisoformat(golden["document"]["date"])
    stamp = dt.datetime(date.year, date.month, date.day, 9, 0, 0)
    core = document.core_properties
    core.author = AUTHOR
    core.last_modified_by = AUTHOR
    core.created = stamp
    core.modified = stamp
    core.last_printed = stamp
    core.revision = 1
    core.title = ""
    core.subject = ""
    core.keywords = ""
    core.comments = ""
    core.category = ""


def replicate(golden: dict[str, Any], copies: int) -> dict[str, Any]:
    """The order with its first roadmap's sections repeated ``copies`` times
    («Повтор 2. Организационно-управленческие меры» …), for benchmarks: every
    row a real row of the seed, numbers as printed within each section."""
    big = json.loads(json.dumps(golden))
    roadmap = big["roadmaps"][0]
    items, sections = [], list(roadmap["sections"])
    for copy in range(2, copies + 1):
        for section in golden["roadmaps"][0]["sections"]:
            printed = f"{section['number']} {section['title']}" if section["number"] else section["title"]
            sections.append({**section, "number": None, "title": f"Повтор {copy}. {printed}"})
    for copy in range(1, copies + 1):
        for item in golden["roadmaps"][0]["items"]:
            clone = json.loads(json.dumps(item))
            if copy > 1 and item["section"]:
                clone["section"] = f"Повтор {copy}. {item['section']}"
            items.append(clone)
    roadmap["items"], roadmap["sections"] = items, sections
    return big


def build_docx(stem: str, golden: dict[str, Any] | None = None) -> bytes:
    """The Word file of one order, as bytes (``golden`` replaces the expected
    JSON, e.g. a :func:`replicate` d one)."""
    golden = golden or json.loads((EXPECTED / f"{stem}.json").read_text(encoding="utf-8"))
    layout = LAYOUTS[stem]
    check_layout(golden, layout)
    check_word_fit(golden, layout)

    document = docx.Document()
    set_defaults(document)
    set_page(document.sections[0], landscape=False)
    set_core_properties(document, golden)
    numbering = Numbering(document)

    add_head(document, golden, layout)
    add_clauses(document, golden, layout, numbering)
    add_signature(document, golden, layout)

    for appendix, lay in zip(golden["appendices"], layout.appendices):
        roadmaps = [b["roadmap"] for b in appendix["content"] if b["roadmap"] is not None]
        landscape = any(layout.roadmaps[i].landscape for i in roadmaps)
        current_landscape = document.sections[-1].orientation == WD_ORIENT.LANDSCAPE
        if landscape != current_landscape:
            section = document.add_section(WD_SECTION.NEW_PAGE)
            set_page(section, landscape=landscape)
        else:
            document.add_page_break()  # Ctrl+Enter: a paragraph holding a page break
        add_appendix(document, golden, appendix, lay, layout.roadmaps, numbering)

    # Drop the trailing empty paragraph after the last table or text.
    body = document.element.body
    last = body[-2] if body[-1].tag == qn("w:sectPr") else body[-1]
    if last.tag == qn("w:p") and not "".join(last.itertext()).strip() and last.getprevious() is not None:
        body.remove(last)

    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue())


def normalize_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed entry timestamps, so rebuilding gives identical bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary name in the same folder, then rename into place."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


SOFFICE_NAMES = ("soffice", "libreoffice")
SOFFICE_PLACES = ("/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice")


def find_soffice() -> str:
    """The LibreOffice binary (on PATH or in its usual places), or a clear error."""
    found = next((path for name in SOFFICE_NAMES if (path := shutil.which(name))), None)
    found = found or next((place for place in SOFFICE_PLACES if os.access(place, os.X_OK)), None)
    if not found:
        raise SystemExit(
            "build.py: LibreOffice (soffice) is not installed or not on PATH; it is needed for the PDFs.\n"
            "Install it (e.g. apt-get install libreoffice-writer fonts-liberation2) or pass --no-pdf."
        )
    return found


def convert_to_pdf(soffice: str, stem: str, docx_bytes: bytes, timeout: float = 300.0) -> bytes:
    """Convert one Word file to PDF with a private LibreOffice profile; return the PDF bytes."""
    with tempfile.TemporaryDirectory(prefix=f"roadmap-build-{stem}-") as tmp:
        work = Path(tmp)
        source = work / f"{stem}.docx"
        source.write_bytes(docx_bytes)
        outdir = work / "out"
        outdir.mkdir()
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(outdir),
            str(source),
        ]
        # Own process group, so a hung soffice.bin (a child of the soffice script) can be
        # stopped together with the script on timeout.
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=work,
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise RuntimeError(f"soffice did not convert {stem} within {timeout:.0f} s") from None
        produced = outdir / f"{stem}.pdf"
        if process.returncode != 0 or not produced.exists():
            raise RuntimeError(f"soffice failed for {stem} (exit {process.returncode}):\n{stdout}\n{stderr}")
        return produced.read_bytes()


def all_stems() -> list[str]:
    return sorted(p.stem for p in EXPECTED.glob("*.json"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stems", nargs="*", metavar="STEM", help="documents to build (default: all)")
    parser.add_argument("--no-pdf", action="store_true", help="write the .docx files only")
    parser.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1), help="parallel PDF conversions")
    args = parser.parse_args(argv)

    known = all_stems()
    stems = args.stems or known
    unknown = [s for s in stems if s not in known or s not in LAYOUTS]
    if unknown:
        parser.error(f"unknown stem(s): {', '.join(unknown)}; known: {', '.join(known)}")
    soffice = None if args.no_pdf else find_soffice()

    started = time.monotonic()
    # Build every file before writing any, so a layout error leaves the folder as it was.
    built = {stem: build_docx(stem) for stem in stems}
    for stem, data in built.items():
        write_atomically(DOCUMENTS / f"{stem}.docx", data)
        print(f"{stem}.docx  {len(data) / 1024:7.1f} KB")
    docx_done = time.monotonic()

    if soffice:
        def convert(stem: str) -> tuple[str, int, float]:
            t0 = time.monotonic()
            pdf = convert_to_pdf(soffice, stem, built[stem])
            write_atomically(DOCUMENTS / f"{stem}.pdf", pdf)
            return stem, len(pdf), time.monotonic() - t0

        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for stem, size, seconds in pool.map(convert, stems):
                print(f"{stem}.pdf   {size / 1024:7.1f} KB  ({seconds:.1f} s)")
    total = time.monotonic() - started
    print(f"built {len(stems)} document(s): docx {docx_done - started:.1f} s, total {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
