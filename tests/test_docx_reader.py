"""The DOCX reader: body order, text, formatting, tables, Word's numbering,
and refusal of bad or hostile files.

Fixtures are built in ``tmp_path``: python-docx saves its default template,
then the parts under test (document.xml, numbering.xml, extra styles) are
replaced with hand-written XML, so each test shows exactly the markup it
reads."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest

from pipeline.errors import InputError
from pipeline.layout import Cell, Layout, Paragraph, Table
from pipeline.readers.docx import read_docx
from pipeline.readers.oxml.numbering import format_number

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (
    f'xmlns:w="{W_NS}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


# -- fixture builders ---------------------------------------------------------


def _template_parts(document: docx.document.Document | None = None) -> dict[str, bytes]:
    buffer = io.BytesIO()
    (document or docx.Document()).save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write_zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def build(
    tmp_path: Path,
    body: str | None = None,
    *,
    numbering: str | None = None,
    styles: str = "",
    document: docx.document.Document | None = None,
    name: str = "order.docx",
) -> Path:
    """A .docx from python-docx's template (or ``document``) with the body,
    numbering definitions and extra styles given as XML fragments."""
    parts = _template_parts(document)
    if body is not None:
        parts["word/document.xml"] = f"{XML_DECLARATION}<w:document {NS}><w:body>{body}</w:body></w:document>".encode()
    if numbering is not None:
        parts["word/numbering.xml"] = f"{XML_DECLARATION}<w:numbering {NS}>{numbering}</w:numbering>".encode()
    if styles:
        parts["word/styles.xml"] = parts["word/styles.xml"].replace(b"</w:styles>", styles.encode() + b"</w:styles>")
    return _write_zip(tmp_path / name, parts)


def run(text: str, rpr: str = "") -> str:
    return f'<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def p(*content: str, ppr: str = "") -> str:
    """A paragraph; plain strings become runs, markup (starting with "<") is kept."""
    inner = "".join(c if c.startswith("<") else run(c) for c in content)
    return f"<w:p><w:pPr>{ppr}</w:pPr>{inner}</w:p>"


def num_pr(num_id: int, level: int | None = 0) -> str:
    ilvl = f'<w:ilvl w:val="{level}"/>' if level is not None else ""
    return f'<w:numPr>{ilvl}<w:numId w:val="{num_id}"/></w:numPr>'


def lvl(level: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{level}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>'
    )


def abstract(abstract_id: int, *levels: str, extra: str = "") -> str:
    return f'<w:abstractNum w:abstractNumId="{abstract_id}">{extra}{"".join(levels)}</w:abstractNum>'


def num(num_id: int, abstract_id: int, overrides: str = "") -> str:
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'


def start_override(level: int, value: int) -> str:
    return f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{value}"/></w:lvlOverride>'


def tc(*paragraphs: str, tcpr: str = "") -> str:
    inner = "".join(x if x.startswith("<") else p(x) for x in paragraphs) or "<w:p/>"
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{inner}</w:tc>"


def tr(*cells: str, trpr: str = "") -> str:
    return f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells)}</w:tr>"


def tbl(*rows: str, columns: int = 3) -> str:
    grid = "".join('<w:gridCol w:w="1000"/>' for _ in range(columns))
    return f"<w:tbl><w:tblPr/><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"


def labels(layout: Layout) -> list[tuple[str | None, str]]:
    return [(b.list_label, b.text) for b in layout.paragraphs()]


# -- body and paragraphs -----------------------------------------------------


def test_blocks_in_body_order_with_sources(tmp_path):
    body = p("ПРИКАЗ") + "<w:p/>" + tbl(tr(tc("А"), tc("Б"), tc("В"))) + p("Министр")
    layout = read_docx(build(tmp_path, body))
    assert layout.format == "docx"
    kinds = [type(b).__name__ for b in layout.blocks]
    assert kinds == ["Paragraph", "Table", "Paragraph"]
    # The empty paragraph is dropped but still counted: lines point into the file.
    assert [b.source.line for b in layout.blocks] == [1, 3, 4]
    table = layout.tables()[0]
    assert table.rows[0].texts == ["А", "Б", "В"]
    assert table.rows[0].source.line == 3


def test_content_controls_and_hyperlinks_are_read(tmp_path):
    body = (
        "<w:sdt><w:sdtPr><w:alias w:val='Шапка'/></w:sdtPr><w:sdtContent>"
        + p("Об утверждении дорожной карты")
        + "</w:sdtContent></w:sdt>"
        + p("См. ", '<w:hyperlink r:id="rId99">' + run("сайт") + "</w:hyperlink>")
    )
    layout = read_docx(build(tmp_path, body))
    assert [b.text for b in layout.paragraphs()] == ["Об утверждении дорожной карты", "См. сайт"]


def test_text_breaks_tabs_and_russian_punctuation(tmp_path):
    body = p(
        "<w:r><w:t>Приказ\u00a0№\u00a05</w:t><w:br/><w:t>от «12» мая —</w:t><w:tab/>"
        "<w:t>ещё\u00adодин – текст</w:t><w:cr/><w:t>конец</w:t></w:r>"
    )
    [paragraph] = read_docx(build(tmp_path, body)).paragraphs()
    assert paragraph.text == "Приказ № 5\nот «12» мая — ещёодин – текст\nконец"
    assert paragraph.lines == ["Приказ № 5", "от «12» мая — ещёодин – текст", "конец"]


def test_tracked_changes_fields_notes_and_hidden_text(tmp_path):
    body = p(
        run("Утвердить "),
        '<w:del w:id="1" w:author="a"><w:r><w:delText>старый </w:delText></w:r></w:del>',
        '<w:ins w:id="2" w:author="a">' + run("новый ") + "</w:ins>",
        "<w:r><w:fldChar w:fldCharType='begin'/></w:r>",
        "<w:r><w:instrText> PAGE \\* MERGEFORMAT </w:instrText></w:r>",
        "<w:r><w:fldChar w:fldCharType='separate'/></w:r>",
        run("план"),
        "<w:r><w:fldChar w:fldCharType='end'/></w:r>",
        "<w:r><w:footnoteReference w:id='1'/></w:r>",
        "<w:r><w:commentReference w:id='0'/></w:r>",
        run("скрытое", rpr="<w:vanish/>"),
        "<w:fldSimple w:instr=' DATE '>" + run(" мероприятий") + "</w:fldSimple>",
    )
    [paragraph] = read_docx(build(tmp_path, body)).paragraphs()
    assert paragraph.text == "Утвердить новый план мероприятий"


def test_headers_and_footers_are_not_body_text(tmp_path):
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Верхний колонтитул"
    document.sections[0].footer.paragraphs[0].text = "Нижний колонтитул"
    document.add_paragraph("Текст приказа")
    layout = read_docx(build(tmp_path, document=document))
    assert [b.text for b in layout.blocks] == ["Текст приказа"]


def test_bold_and_alignment_direct_and_from_styles(tmp_path):
    styles = (
        '<w:style w:type="paragraph" w:styleId="Heading9x"><w:name w:val="Заголовок"/>'
        '<w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Heading9xChild"><w:name w:val="Подзаголовок"/>'
        '<w:basedOn w:val="Heading9x"/></w:style>'
        '<w:style w:type="character" w:styleId="Strong9x"><w:name w:val="Жирный"/><w:rPr><w:b/></w:rPr></w:style>'
    )
    body = (
        p(run("ПРИКАЗ", "<w:b/>"), run(" "), run("№ 5", '<w:b w:val="1"/>'), ppr='<w:jc w:val="center"/>')
        + p(run("Полужирный ", "<w:b/>"), run("и обычный"), ppr='<w:jc w:val="both"/>')
        + p("Из стиля", ppr='<w:pStyle w:val="Heading9xChild"/>')
        + p(run("Снято в тексте", '<w:b w:val="0"/>'), ppr='<w:pStyle w:val="Heading9x"/><w:jc w:val="right"/>')
        + p(run("Символьный стиль", '<w:rStyle w:val="Strong9x"/>'))
        + p("Обычный")
    )
    paragraphs = read_docx(build(tmp_path, body, styles=styles)).paragraphs()
    assert [(x.bold, x.align) for x in paragraphs] == [
        (True, "center"),
        (False, "justify"),
        (True, "center"),
        (False, "right"),
        (True, None),
        (False, None),
    ]


def test_python_docx_built_document(tmp_path):
    document = docx.Document()
    heading = document.add_paragraph()
    heading.add_run("РАСПОРЯЖЕНИЕ").bold = True
    heading.alignment = docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "№"
    table.cell(0, 1).text = "Мероприятие"
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = "Совещание"
    document.add_paragraph("Контроль оставляю за собой.")
    layout = read_docx(build(tmp_path, document=document))
    first = layout.blocks[0]
    assert isinstance(first, Paragraph) and (first.text, first.bold, first.align) == ("РАСПОРЯЖЕНИЕ", True, "center")
    assert [r.texts for r in layout.tables()[0].rows] == [["№", "Мероприятие"], ["1", "Совещание"]]
    assert layout.blocks[-1].text == "Контроль оставляю за собой."


def test_text_box_follows_its_anchor(tmp_path):
    box = (
        "<w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><w:txbxContent>"
        + p("Приложение 1")
        + "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>"
        + p("Приложение 1")
        + "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    layout = read_docx(build(tmp_path, p("Якорь", box) + p("Дальше")))
    assert [(b.text, b.source.line) for b in layout.paragraphs()] == [("Якорь", 1), ("Приложение 1", 1), ("Дальше", 2)]


# -- tables -------------------------------------------------------------------


def test_section_row_merged_across_is_one_cell(tmp_path):
    body = tbl(
        tr(*(tc(x) for x in ["№", "Мероприятие", "Срок", "Ответственный", "Результат"])),
        tr(tc("1. Организационные мероприятия", tcpr='<w:gridSpan w:val="5"/>')),
        tr(*(tc(x) for x in ["1.1", "Совещание", "май", "Иванов", "протокол"])),
        columns=5,
    )
    table = read_docx(build(tmp_path, body)).tables()[0]
    assert table.rows[1].cells == [Cell(text="1. Организационные мероприятия", col_span=5)]
    assert table.n_columns == 5


def test_cell_lines_bold_and_tbl_header(tmp_path):
    parties = p("<w:r><w:t>Иванов И.И.</w:t><w:br/><w:t>Петров П.П.</w:t></w:r>") + p("Сидоров С.С.")
    body = tbl(
        tr(tc(p(run("Исполнители", "<w:b/>"))), tc(p(run("Срок", "<w:b/>"))), trpr="<w:tblHeader/>"),
        tr(tc(parties), tc("до 1 июня")),
        columns=2,
    )
    table = read_docx(build(tmp_path, body)).tables()[0]
    assert len(table.rows) == 2
    assert [(c.text, c.bold) for c in table.rows[0].cells] == [("Исполнители", True), ("Срок", True)]
    assert table.rows[1].cells[0].text == "Иванов И.И.\nПетров П.П.\nСидоров С.С."
    assert table.rows[1].cells[0].bold is False


def test_vertical_merge(tmp_path):
    body = tbl(
        tr(tc("1", tcpr='<w:vMerge w:val="restart"/>'), tc("Совещание"), tc("май")),
        tr(tc(tcpr="<w:vMerge/>"), tc("Семинар"), tc("июнь")),
        tr(tc(tcpr='<w:vMerge w:val="continue"/>'), tc("Конференция"), tc("июль")),
        tr(tc("2"), tc("Отчёт"), tc("август")),
    )
    rows = read_docx(build(tmp_path, body)).tables()[0].rows
    assert rows[0].cells[0] == Cell(text="1", row_span=3)
    assert rows[1].cells[0] == Cell(text="", covered=True)
    assert rows[2].cells[0] == Cell(text="", covered=True)
    assert rows[3].cells[0] == Cell(text="2")
    assert rows[1].texts == ["", "Семинар", "июнь"]


def test_grid_before_and_after_keep_positions(tmp_path):
    body = tbl(
        tr(tc("А"), tc("Б"), tc("В")),
        tr(tc("Б2"), trpr='<w:gridBefore w:val="1"/><w:gridAfter w:val="1"/>'),
    )
    rows = read_docx(build(tmp_path, body)).tables()[0].rows
    assert rows[1].texts == ["", "Б2", ""]


def test_legacy_horizontal_merge_and_hostile_grid_counts(tmp_path):
    body = tbl(
        tr(tc("Раздел", tcpr='<w:hMerge w:val="restart"/>'), tc(tcpr="<w:hMerge/>"), tc("В")),
        tr(tc("А"), trpr='<w:gridBefore w:val="1000000000"/>'),
    )
    rows = read_docx(build(tmp_path, body)).tables()[0].rows
    assert rows[0].cells == [Cell(text="Раздел", col_span=2), Cell(text="В")]
    assert len(rows[1].cells) == 64


def test_nested_table_flattened_into_cell(tmp_path):
    nested = tbl(tr(tc("Иванов"), tc("директор")), tr(tc("Петров"), tc("завуч")), columns=2)
    body = tbl(tr(tc("Ответственные"), tc(p("Состав:") + nested)), columns=2)
    table = read_docx(build(tmp_path, body)).tables()[0]
    assert len(table.rows) == 1
    assert table.rows[0].texts == ["Ответственные", "Состав:\nИванов директор\nПетров завуч"]


def test_tracked_deleted_row_is_skipped(tmp_path):
    body = tbl(tr(tc("оставить")), tr(tc("удалить"), trpr='<w:del w:id="3" w:author="a"/>'), columns=1)
    assert [r.texts for r in read_docx(build(tmp_path, body)).tables()[0].rows] == [["оставить"]]


# -- numbering ------------------------------------------------------------------

DECIMAL = abstract(0, lvl(0, "decimal", "%1."), lvl(1, "decimal", "%1.%2."), lvl(2, "decimal", "%1.%2.%3."))


def test_decimal_and_multilevel_numbering(tmp_path):
    items = [(0, "Утвердить"), (1, "план"), (1, "состав"), (0, "Назначить"), (1, "ответственных"), (0, "Контроль")]
    body = p("Преамбула") + "".join(p(text, ppr=num_pr(1, level)) for level, text in items)
    layout = read_docx(build(tmp_path, body, numbering=DECIMAL + num(1, 0)))
    assert labels(layout) == [
        (None, "Преамбула"),
        ("1.", "Утвердить"),
        ("1.1.", "план"),
        ("1.2.", "состав"),
        ("2.", "Назначить"),
        ("2.1.", "ответственных"),
        ("3.", "Контроль"),
    ]


def test_parenthesis_list_under_decimal_list(tmp_path):
    numbering = (
        DECIMAL
        + abstract(1, lvl(0, "decimal", "%1)"))
        + num(1, 0)
        + num(2, 1)
        + num(3, 1, start_override(0, 1))
    )
    body = (
        p("Пункт", ppr=num_pr(1))
        + p("подпункт", ppr=num_pr(2))
        + p("подпункт", ppr=num_pr(2))
        + p("Пункт", ppr=num_pr(1))
        + p("подпункт", ppr=num_pr(3))
    )
    assert [x for x, _ in labels(read_docx(build(tmp_path, body, numbering=numbering)))] == [
        "1.",
        "1)",
        "2)",
        "2.",
        "1)",
    ]


def test_second_level_parenthesis_restarts_under_each_item(tmp_path):
    numbering = abstract(0, lvl(0, "decimal", "%1."), lvl(1, "decimal", "%2)")) + num(1, 0)
    body = "".join(p(t, ppr=num_pr(1, level)) for level, t in [(0, "А"), (1, "а"), (1, "б"), (0, "Б"), (1, "в")])
    assert [x for x, _ in labels(read_docx(build(tmp_path, body, numbering=numbering)))] == ["1.", "1)", "2)", "2.", "1)"]


@pytest.mark.parametrize(
    ("fmt", "template", "expected"),
    [
        ("lowerLetter", "%1)", ["a)", "b)", "c)"]),
        ("upperLetter", "%1.", ["A.", "B.", "C."]),
        ("russianLower", "%1)", ["а)", "б)", "в)"]),
        ("russianUpper", "%1.", ["А.", "Б.", "В."]),
        ("upperRoman", "%1.", ["I.", "II.", "III."]),
        ("lowerRoman", "(%1)", ["(i)", "(ii)", "(iii)"]),
        ("decimalZero", "%1.", ["01.", "02.", "03."]),
        ("bullet", "\uf0b7", [None, None, None]),
        ("none", "", [None, None, None]),
    ],
)
def test_number_formats(tmp_path, fmt, template, expected):
    numbering = abstract(0, lvl(0, fmt, template)) + num(1, 0)
    body = "".join(p(f"пункт {i}", ppr=num_pr(1)) for i in range(3))
    layout = read_docx(build(tmp_path, body, numbering=numbering))
    assert [x for x, _ in labels(layout)] == expected
    assert [t for _, t in labels(layout)] == ["пункт 0", "пункт 1", "пункт 2"]


def test_word_2010_custom_format_falls_back_and_level_override_replaces(tmp_path):
    custom = (
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><mc:AlternateContent><mc:Choice Requires="w14">'
        '<w:numFmt w:val="custom" w:format="001, 002, 003, ..."/></mc:Choice>'
        '<mc:Fallback><w:numFmt w:val="decimalZero"/></mc:Fallback></mc:AlternateContent>'
        '<w:lvlText w:val="%1."/></w:lvl>'
    )
    replaced = f'<w:lvlOverride w:ilvl="0">{lvl(0, "russianLower", "%1)", start=3)}</w:lvlOverride>'
    numbering = abstract(0, custom) + num(1, 0) + abstract(1, lvl(0, "decimal", "%1.")) + num(2, 1, replaced)
    body = p("один", ppr=num_pr(1)) + p("два", ppr=num_pr(2))
    assert [x for x, _ in labels(read_docx(build(tmp_path, body, numbering=numbering)))] == ["01.", "в)"]


def test_format_number_beyond_the_alphabet():
    assert format_number(28, "russianLower") == "я"
    assert format_number(29, "russianLower") == "аа"
    assert format_number(27, "lowerLetter") == "aa"
    assert format_number(1999, "upperRoman") == "MCMXCIX"
    assert format_number(7, "ordinalText") == "7"


def test_start_value_and_start_override_restart(tmp_path):
    numbering = abstract(0, lvl(0, "decimal", "%1.", start=5)) + num(1, 0) + num(2, 0) + num(3, 0, start_override(0, 1))
    body = (
        p("а", ppr=num_pr(1))
        + p("б", ppr=num_pr(1))
        # Another instance of the same definition continues the count …
        + p("в", ppr=num_pr(2))
        # … one with a start override restarts it, once …
        + p("г", ppr=num_pr(3))
        + p("д", ppr=num_pr(3))
        # … and the shared count goes on from there.
        + p("е", ppr=num_pr(1))
    )
    layout = read_docx(build(tmp_path, body, numbering=numbering))
    assert [x for x, _ in labels(layout)] == ["5.", "6.", "7.", "1.", "2.", "3."]


def test_level_restart_and_legal_numbering(tmp_path):
    numbering = (
        abstract(
            0,
            lvl(0, "upperRoman", "%1."),
            lvl(1, "decimal", "%1.%2.", extra='<w:isLgl/>'),
            lvl(2, "decimal", "%3)", extra='<w:lvlRestart w:val="0"/>'),
        )
        + num(1, 0)
    )
    body = "".join(p(t, ppr=num_pr(1, level)) for level, t in [(0, "А"), (1, "а"), (2, "x"), (0, "Б"), (1, "б"), (2, "y")])
    assert [x for x, _ in labels(read_docx(build(tmp_path, body, numbering=numbering)))] == [
        "I.",
        "1.1.",
        "1)",
        "II.",
        "2.1.",
        "2)",
    ]


def test_numbering_inherited_from_paragraph_style(tmp_path):
    styles = (
        '<w:style w:type="paragraph" w:styleId="Punkt"><w:name w:val="Пункт"/>'
        f'<w:pPr>{num_pr(1, None)}</w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Podpunkt"><w:name w:val="Подпункт"/>'
        '<w:basedOn w:val="Punkt"/></w:style>'
    )
    numbering = (
        abstract(
            0,
            lvl(0, "decimal", "%1.", extra='<w:pStyle w:val="Punkt"/>'),
            lvl(1, "decimal", "%1.%2.", extra='<w:pStyle w:val="Podpunkt"/>'),
        )
        + num(1, 0)
    )
    body = (
        p("Первый", ppr='<w:pStyle w:val="Punkt"/>')
        + p("подпункт", ppr='<w:pStyle w:val="Podpunkt"/>')
        + p("Второй", ppr='<w:pStyle w:val="Punkt"/>')
        + p("Без номера", ppr='<w:pStyle w:val="Punkt"/><w:numPr><w:numId w:val="0"/></w:numPr>')
    )
    layout = read_docx(build(tmp_path, body, numbering=numbering, styles=styles))
    assert labels(layout) == [("1.", "Первый"), ("1.1.", "подпункт"), ("2.", "Второй"), (None, "Без номера")]


def test_numbering_through_a_numbering_style(tmp_path):
    styles = (
        '<w:style w:type="numbering" w:styleId="OrderList"><w:name w:val="Список приказа"/>'
        f'<w:pPr>{num_pr(7, None)}</w:pPr></w:style>'
    )
    numbering = (
        abstract(0, lvl(0, "russianLower", "%1)"), extra='<w:styleLink w:val="OrderList"/>')
        + abstract(1, extra='<w:numStyleLink w:val="OrderList"/>')
        + num(7, 0)
        + num(8, 1)
    )
    body = p("один", ppr=num_pr(8)) + p("два", ppr=num_pr(8))
    assert labels(read_docx(build(tmp_path, body, numbering=numbering, styles=styles))) == [("а)", "один"), ("б)", "два")]


def test_labels_fill_the_number_column_of_a_table(tmp_path):
    numbering = abstract(0, lvl(0, "decimal", "%1.")) + num(1, 0)
    body = tbl(
        tr(tc("№"), tc("Мероприятие"), tc("Срок")),
        tr(tc(p(ppr=num_pr(1))), tc("Совещание"), tc("май")),
        tr(tc(p(ppr=num_pr(1))), tc(p("Семинар", ppr=num_pr(1))), tc("июнь")),
    )
    rows = read_docx(build(tmp_path, body, numbering=numbering)).tables()[0].rows
    assert [r.texts for r in rows[1:]] == [["1.", "Совещание", "май"], ["2.", "3. Семинар", "июнь"]]


def test_bullets_of_a_list_in_a_cell_are_drawn_into_its_text(tmp_path):
    # A Word list in a cell: its bullet is part of what the page shows. A
    # Symbol-font bullet (U+F0B7) prints «•»; a private-use code point in a
    # text font has no glyph and prints nothing; an empty item no bullet.
    symbol = lvl(0, "bullet", "\uf0b7", extra='<w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol"/></w:rPr>')
    text_font = lvl(0, "bullet", "\ue83a", extra='<w:rPr><w:rFonts w:ascii="Times New Roman"/></w:rPr>')
    numbering = abstract(0, symbol) + num(1, 0) + abstract(1, text_font) + num(2, 1)
    body = tbl(
        tr(tc("Мероприятие"), tc("Срок")),
        tr(tc("Беседы:", p("«Правила поведения»;", ppr=num_pr(1)), p(ppr=num_pr(1)), p("«Безопасность»", ppr=num_pr(1))), tc("май")),
        tr(tc("Статьи УК РФ:", p("ст. 213 – хулиганство", ppr=num_pr(2))), tc("июнь")),
        columns=2,
    )
    from pipeline.readers import read_document  # the layout as every stage sees it, symbols mapped

    rows = read_document(build(tmp_path, body, numbering=numbering)).tables()[0].rows
    assert [r.texts for r in rows[1:]] == [
        ["Беседы:\n• «Правила поведения»;\n• «Безопасность»", "май"],
        ["Статьи УК РФ:\nст. 213 – хулиганство", "июнь"],
    ]


def test_document_without_numbering_part(tmp_path):
    parts = _template_parts()
    del parts["word/numbering.xml"]
    rels = parts["word/_rels/document.xml.rels"].decode()
    rels = re.sub(r"<Relationship [^>]*relationships/numbering\"[^>]*/>", "", rels)
    assert "relationships/numbering" not in rels
    parts["word/_rels/document.xml.rels"] = rels.encode()
    parts["word/document.xml"] = (
        f"{XML_DECLARATION}<w:document {NS}><w:body>{p('Текст', ppr=num_pr(1))}</w:body></w:document>".encode()
    )
    layout = read_docx(_write_zip(tmp_path / "plain.docx", parts))
    assert labels(layout) == [(None, "Текст")]


# -- bad and hostile input ---------------------------------------------------


def _reason(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_docx(path)
    return caught.value.reason


def test_zip_without_document_xml(tmp_path):
    parts = _template_parts()
    del parts["word/document.xml"]
    assert _reason(_write_zip(tmp_path / "x.docx", parts)) == "это не DOCX: нет word/document.xml"


def test_random_bytes_named_docx(tmp_path):
    path = tmp_path / "random.docx"
    path.write_bytes(bytes(range(256)) * 40)
    assert _reason(path) == "это не DOCX: файл не ZIP-архив"


def test_truncated_zip(tmp_path):
    whole = build(tmp_path, p("Текст")).read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(whole[: len(whole) // 2])
    assert "повреждённый DOCX" in _reason(path)


def test_zip_bomb_refused_before_inflating(tmp_path):
    path = build(tmp_path, p("Текст"))
    # 300 MB of zeros, streamed so the test stays small in memory (~1.3 MB on disk).
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            chunk = bytes(1 << 20)
            for _ in range(300):
                member.write(chunk)
    assert "ZIP-бомба" in _reason(path)


def test_suspicious_compression_ratio_refused(tmp_path):
    parts = _template_parts()
    parts["word/media/zeros.bin"] = bytes(4 << 20)
    assert "ZIP-бомба" in _reason(_write_zip(tmp_path / "ratio.docx", parts))


def test_encrypted_member_refused(tmp_path):
    data = bytearray(build(tmp_path, p("Текст")).read_bytes())
    # Set the "encrypted" flag of every entry in the central directory.
    start = data.find(b"PK\x01\x02")
    while start != -1:
        data[start + 8] |= 0x1
        start = data.find(b"PK\x01\x02", start + 4)
    path = tmp_path / "encrypted.docx"
    path.write_bytes(bytes(data))
    assert _reason(path) == "DOCX зашифрован (защищён паролем)"


XXE_DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    f"<w:document {NS}><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
)


def test_external_entity_refused(tmp_path):
    parts = _template_parts()
    parts["word/document.xml"] = XXE_DOCUMENT.encode()
    path = _write_zip(tmp_path / "xxe.docx", parts)
    with pytest.raises(InputError) as caught:
        read_docx(path)
    assert "DTD" in caught.value.reason
    assert "root:" not in str(caught.value)


def test_the_package_parser_does_not_resolve_entities():
    # The second line of defence: even were the DTD let through, the parser
    # the reader uses leaves the entity unexpanded.
    from pipeline.readers.oxml.package import _parse

    assert "root:" not in "".join(_parse(XXE_DOCUMENT.encode()).getroot().itertext())


def test_entity_expansion_in_another_part_refused(tmp_path):
    parts = _template_parts()
    parts["word/settings.xml"] = (
        '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        f"<w:settings {NS}><w:zoom w:percent='100'/>&lol2;</w:settings>"
    ).encode()
    assert "word/settings.xml объявляет DTD" in _reason(_write_zip(tmp_path / "laughs.docx", parts))


def test_corrupt_xml(tmp_path):
    parts = _template_parts()
    parts["word/document.xml"] = b"<w:document><w:body><w:p>"
    reason = _reason(_write_zip(tmp_path / "broken.docx", parts))
    assert reason == "повреждённый DOCX: испорчен XML в части word/document.xml"


def test_package_pointing_to_a_missing_part(tmp_path):
    parts = _template_parts()
    del parts["word/styles.xml"]
    reason = _reason(_write_zip(tmp_path / "no-styles.docx", parts))
    assert reason == "повреждённый DOCX: нет части word/styles.xml, на которую ссылается пакет"


def test_a_part_without_a_content_type(tmp_path):
    parts = _template_parts()
    types = parts["[Content_Types].xml"].decode()
    types = re.sub(r'<Override PartName="/word/styles.xml"[^>]*/>', "", types)
    parts["[Content_Types].xml"] = re.sub(r'<Default Extension="xml"[^>]*/>', "", types).encode()
    reason = _reason(_write_zip(tmp_path / "untyped.docx", parts))
    assert re.fullmatch(r"повреждённый DOCX: у части \S+\.xml не указан тип содержимого", reason)


def test_parts_found_by_their_relationships_wherever_they_lie(tmp_path):
    # A generator that puts the document under another folder, names its
    # targets from the root («/doc/styles.xml») and writes the strict
    # vocabulary's relationship types: the parts are found by the
    # relationships, not by the usual names.
    strict = "http://purl.oclc.org/ooxml/officeDocument/relationships"
    parts = _template_parts()
    moved = {}
    for name, data in parts.items():
        new = name.replace("word/", "doc/")
        if name.endswith(".rels"):
            data = data.decode().replace("http://schemas.openxmlformats.org/officeDocument/2006/relationships", strict)
            data = data.replace('Target="word/', 'Target="doc/').replace('Target="styles.xml"', 'Target="/doc/styles.xml"').encode()
        if name == "[Content_Types].xml":
            data = data.replace(b'PartName="/word/', b'PartName="/doc/')
        moved[new] = data
    titled = p("Текст", ppr='<w:pStyle w:val="Zagolovok"/>')
    moved["doc/document.xml"] = f"{XML_DECLARATION}<w:document {NS}><w:body>{titled}</w:body></w:document>".encode()
    moved["doc/styles.xml"] = moved["doc/styles.xml"].replace(
        b"</w:styles>",
        b'<w:style w:type="paragraph" w:styleId="Zagolovok"><w:name w:val="Zagolovok"/><w:rPr><w:b/></w:rPr></w:style></w:styles>',
    )
    layout = read_docx(_write_zip(tmp_path / "moved.docx", moved))
    assert [(b.text, b.bold) for b in layout.blocks] == [("Текст", True)]


def test_a_package_without_styles_reads_as_plain_text(tmp_path):
    parts = _template_parts()
    del parts["word/styles.xml"]
    rels = parts["word/_rels/document.xml.rels"].decode()
    parts["word/_rels/document.xml.rels"] = re.sub(r'<Relationship [^>]*relationships/styles"[^>]*/>', "", rels).encode()
    parts["word/document.xml"] = f"{XML_DECLARATION}<w:document {NS}><w:body>{p('Текст')}</w:body></w:document>".encode()
    layout = read_docx(_write_zip(tmp_path / "bare.docx", parts))
    assert [(b.text, b.bold) for b in layout.blocks] == [("Текст", False)]


def test_document_without_text(tmp_path):
    body = p("") + "<w:p/>" + tbl(tr(tc(""), tc(""), tc("")))
    assert _reason(build(tmp_path, body)) == "в документе нет текста"


def test_not_a_word_package(tmp_path):
    parts = _template_parts()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml"
    )
    assert "это не документ DOCX" in _reason(_write_zip(tmp_path / "template.docx", parts))


def test_every_block_is_a_paragraph_or_table(tmp_path):
    body = p("А") + tbl(tr(tc("Б"), tc("В"), tc("Г"))) + p("Д")
    assert all(isinstance(b, (Paragraph, Table)) for b in read_docx(build(tmp_path, body)).blocks)
