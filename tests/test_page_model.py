"""The page model and the layout shared by every source: each class of page
the readers meet, made again here — a table cut by a narrow column and
merged down over a page break (a Word table through LibreOffice, and a scan
of it), a scan turned a quarter turn, a PDF whose first page is a scan under
a garbage text layer, a scan under a good OCR layer whose rules are only in
the picture, a table continued with a stray rule."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from pipeline.lang.words import repair_inline
from pipeline.layout import Cell, Row, Table
from pipeline.readers import read_document
from pipeline.stitch import stitch_tables
from tests.accuracy import compare, golden
from tests.conftest import CORPUS

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NARROW = FIXTURES / "pdf" / "narrow_merged.pdf"
NARROW_SCAN = FIXTURES / "scans" / "narrow_merged-scan.pdf"
sys.path.insert(0, str(FIXTURES / "pdf"))
sys.path.insert(0, str(FIXTURES / "scans"))

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs Tesseract")


def _table(path: Path) -> Table:
    [table] = [b for b in read_document(path).blocks if isinstance(b, Table) and len(b.rows) > 3]
    return table


def _check_narrow_and_merged(table: Table, misread: frozenset[str] = frozenset()) -> None:
    from make_fixtures import NARROW_PARTIES, NARROW_STAGES

    items = table.rows[1:]
    parties = {repair_inline(r.cells[3].text) for r in items if not r.after_page_break and r.cells[3].text}
    # Every long word the narrow column cut without a hyphen is whole again
    # (the row a page break cut, «Муницип» / «альные», is joined by the
    # roadmap reader, as any row cut by a break).
    expected = set(NARROW_PARTIES) - misread
    assert expected <= parties and parties - {"Муницип"} - expected <= misread_forms(misread, parties), parties - expected
    # The stage column: one cell merged down over each run of rows, and the
    # run that a page break cut goes on over the break.
    stages = [r.cells[0] for r in items]
    starts = [c.text for c in stages if not c.covered]
    assert starts == [name for name, _ in NARROW_STAGES]
    broken = next(r for r in items if r.after_page_break)
    assert broken.cells[0].covered


def misread_forms(misread: frozenset[str], parties: set[str]) -> set[str]:
    """The forms OCR gave the parties it misread: the one form each, which
    shares the party's first letters."""
    return {p for p in parties for m in misread if p[:4] == m[:4]}


def test_narrow_column_words_and_merged_cells_in_a_pdf():
    _check_narrow_and_merged(_table(NARROW))


@needs_tesseract
def test_narrow_column_words_and_merged_cells_in_a_scan():
    # At 200 dpi, in black and white, Tesseract misreads the short pieces of
    # «Консультанты-наставники» («Консулы анты-настазии ки»): a misreading,
    # not a join; every other cut word is joined as in the PDF.
    _check_narrow_and_merged(_table(NARROW_SCAN), frozenset({"Консультанты-наставники"}))


def test_a_stray_rule_on_a_later_page_keeps_the_tables_columns():
    first = Table(rows=[Row([Cell("№"), Cell("Мероприятие"), Cell("Срок")]), Row([Cell("1."), Cell("Первое"), Cell("май")])],
                  column_edges=[50.0, 80.0, 300.0, 400.0])
    # The next page drew a stray rule through the activity column.
    second = Table(rows=[Row([Cell("2."), Cell("Второе"), Cell("мероприятие"), Cell("июнь")])],
                   column_edges=[50.0, 80.0, 200.0, 300.0, 400.0])
    [table] = stitch_tables([first, second])
    assert [c.text for c in table.rows[-1].cells] == ["2.", "Второе мероприятие", "июнь"]
    assert table.rows[-1].after_page_break


def test_a_different_table_below_is_not_joined():
    first = Table(rows=[Row([Cell("a"), Cell("b"), Cell("c")])], column_edges=[50.0, 80.0, 300.0, 400.0])
    other = Table(rows=[Row([Cell("x"), Cell("y")])], column_edges=[100.0, 250.0, 500.0])
    assert len(stitch_tables([first, other])) == 2


@needs_tesseract
def test_a_scan_turned_a_quarter_turn_reads_like_an_upright_one(tmp_path):
    from make_scans import scan_pdf

    from pipeline.extract import extract_order

    turned = scan_pdf(CORPUS / "documents" / "nao-rasporyazhenie-454-r.pdf", tmp_path / "turned.pdf", turn=90)
    result = compare(json.loads(extract_order(turned).model_dump_json()), golden("nao-rasporyazhenie-454-r"))
    assert result.found == result.items and result.share >= 0.95, result.differences[:5]
    assert not result.document_fields_wrong


@needs_tesseract
def test_a_first_page_scanned_under_a_garbage_layer_is_read_by_ocr(tmp_path):
    from make_scans import mixed

    from pipeline.extract import extract_order

    path = mixed(CORPUS / "documents" / "nao-rasporyazhenie-454-r.pdf", tmp_path / "mixed.pdf")
    order = extract_order(path)
    result = compare(json.loads(order.model_dump_json()), golden("nao-rasporyazhenie-454-r"))
    assert order.source.format == "pdf" and order.source.ocr  # page 1 by OCR, the rest from the text layer
    assert not result.document_fields_wrong  # the requisites stand on the scanned page
    assert result.exact == result.items


def test_a_good_ocr_layer_gives_the_words_and_the_picture_the_rules(tmp_path):
    from make_scans import ocr_layer

    from pipeline.extract import extract_order

    path = ocr_layer(CORPUS / "documents" / "nao-rasporyazhenie-454-r.pdf", tmp_path / "layer.pdf")
    order = extract_order(path)
    result = compare(json.loads(order.model_dump_json()), golden("nao-rasporyazhenie-454-r"))
    assert not order.source.ocr  # no page needed Tesseract
    assert result.exact == result.items, result.differences[:5]


def test_symbol_font_bullets_are_bullets(tmp_path):
    source = tmp_path / "bullets.txt"
    text = (CORPUS / "documents" / "nao-rasporyazhenie-454-r.txt").read_text("utf-8")
    source.write_text(text.replace("Создание Координационного", "\uf0b7 Создание Координационного", 1), "utf-8")
    cells = [c.text for b in read_document(source).blocks if isinstance(b, Table) for r in b.rows for c in r.cells]
    assert any(c.startswith("• Создание Координационного") for c in cells)
    assert not any("\uf0b7" in c for c in cells)


def test_a_table_continued_without_its_top_rule_keeps_its_first_row():
    """A page that goes on with a table whose cells were merged down is often
    drawn without the table's top line: the column lines stop at one height,
    and that height closes the first row."""
    from pipeline.page.model import Rule
    from pipeline.page.tables import find_table_cells

    xs, ys = [50.0, 150.0, 400.0, 500.0], [60.0, 120.0, 180.0]
    rules = [Rule(x, ys[0], x, ys[-1], "v") for x in xs]
    rules += [Rule(xs[0], y, xs[-1], y, "h") for y in ys[1:]]  # no line at the top
    [cells] = find_table_cells(rules)
    assert sorted({c[1] for c in cells}) == [60.0, 120.0]  # two rows, the first closed at 60


def test_a_new_activity_at_the_top_of_a_page_is_an_item_in_a_table_without_numbers(tmp_path):
    """No № column, a page break between two rows: the row on the new page
    has its own party in capitals — a new item, not the rest of the last."""
    from pipeline.extract import extract_order

    source = tmp_path / "plan.txt"
    source.write_text(
        "УТВЕРЖДАЮ\nДиректор МБОУ «Школа № 1»\n__________ И.И. Иванов\n«01» сентября 2023 г.\n\n"
        "ПЛАН МЕРОПРИЯТИЙ ПО ПРОФИЛАКТИКЕ ПРАВОНАРУШЕНИЙ НА 2023-2024 УЧЕБНЫЙ ГОД\n\n"
        "Мероприятие\tСрок\tОтветственный\n"
        "Проведение классных часов о правах ребёнка\tсентябрь\tКлассные руководители\n"
        "Встреча с инспектором по делам несовершеннолетних\tоктябрь\tСоциальный педагог\n"
        "\n"
        "Родительское собрание о безопасности детей\tноябрь\tЗаместитель директора по ВР\n"
        "Анкетирование учащихся по вопросам здорового образа жизни\tдекабрь\tПедагог-психолог\n",
        "utf-8",
    )
    order = extract_order(source)
    activities = [i.activity for r in order.roadmaps for i in r.items]
    assert activities == [
        "Проведение классных часов о правах ребёнка",
        "Встреча с инспектором по делам несовершеннолетних",
        "Родительское собрание о безопасности детей",
        "Анкетирование учащихся по вопросам здорового образа жизни",
    ]


def _unruled_items(path: Path) -> list[tuple]:
    from pipeline.extract import extract_order

    order = extract_order(path)
    return [(i.number, i.activity, i.deadline.text if i.deadline else None, [p.text for p in i.responsibles]) for r in order.roadmaps for i in r.items]


def _expected_unruled() -> list[tuple]:
    from make_fixtures import UNRULED_ITEMS

    return [(f"{copy * len(UNRULED_ITEMS) + i}.", a, d, [p]) for copy in range(4) for i, (a, d, p) in enumerate(UNRULED_ITEMS, start=1)]


@pytest.mark.parametrize("name", ["header_ruled", "unruled"])
def test_tables_ruled_around_the_header_only_or_not_at_all(name):
    """Rows set apart by space alone, under a boxed header or under no
    rules at all; the header repeated on the second page."""
    assert _unruled_items(FIXTURES / "pdf" / f"{name}.pdf") == _expected_unruled()


@needs_tesseract
@pytest.mark.parametrize("name", ["header_ruled", "unruled"])
def test_scanned_tables_ruled_around_the_header_only_or_not_at_all(name):
    got = _unruled_items(FIXTURES / "scans" / f"{name}-scan.pdf")
    want = _expected_unruled()
    assert [g[0] for g in got] == [w[0] for w in want]  # every row found, in order, numbers read
    exact = sum(g == w for g, w in zip(got, want))
    assert exact >= 0.9 * len(want), [(g, w) for g, w in zip(got, want) if g != w][:3]


def test_justified_paragraphs_are_not_tables():
    """Wide spaces of justified lines may line up by chance over a few
    lines; they are not columns."""
    from pipeline.page.model import Word
    from pipeline.page.unruled import find_unruled

    # Four runs of two words start at the same x on every line, so white
    # rivers run down all six lines; but the gap across a river is no wider
    # than a space between two words of a run: stretched spaces.
    words = []
    for line in range(6):
        for k in range(4):
            x = 50.0 + 80 * k
            first = 28.0 + (k * 5 + line * 3) % 8
            second = 30.0 + (k * 3 + line * 5) % 6
            words.append(Word("слово", x, x + first, 100 + line * 14, 110 + line * 14))
            words.append(Word("слово", x + first + 6, x + first + 6 + second, 100 + line * 14, 110 + line * 14))
    assert find_unruled(words) == []


def _roman_sections(path: Path) -> None:
    from make_fixtures import ROMAN_SECTIONS

    from pipeline.extract import extract_order

    [roadmap] = extract_order(path).roadmaps
    sections = list(dict.fromkeys(item.section for item in roadmap.items))
    assert [s.split()[0] for s in sections] == [s.split()[0] for s in ROMAN_SECTIONS], path.name
    assert len(roadmap.items) == 2 * len(ROMAN_SECTIONS)


def test_roman_numbers_of_section_rows_in_a_pdf():
    _roman_sections(FIXTURES / "pdf" / "roman_sections.pdf")


@needs_tesseract
def test_roman_numbers_of_section_rows_in_a_scan():
    # Bold italic Roman numerals Tesseract's Russian model reads as Cyrillic
    # look-alikes («Г.», «П.», «ГУ.», «УП.») or as nothing: read again.
    _roman_sections(FIXTURES / "scans" / "roman_sections-scan.pdf")


def test_figure_ones_without_their_flag_are_counted_not_read():
    # A scan's threshold takes the flag and serif off «1»: bare strokes,
    # which Tesseract reads as nothing; counted as figures, with the dot.
    import numpy as np

    from pipeline.readers.ocr import _digit_glyphs

    crop = np.full((40, 60), 255, np.uint8)
    crop[5:35, 5:9] = 0  # 1
    crop[5:35, 18:22] = 0  # 1
    crop[31:35, 28:32] = 0  # .
    assert [kind for *_, kind in _digit_glyphs(crop, 30.0)] == ["1", "1", "."]
    # A figure of another shape is left to be read; a rule's remnant, far
    # taller than the page's letters, is no number at all.
    crop[5:35, 40:56] = 0
    assert [kind for *_, kind in _digit_glyphs(crop, 30.0)] == ["1", "1", ".", "?"]
    assert _digit_glyphs(crop, 12.0) == []


@needs_tesseract
@pytest.mark.parametrize("heading", [(0, 0, 0), (30, 60, 190)], ids=["black", "blue-heading"])
def test_a_seal_and_a_signature_over_the_approval_block_of_a_colour_scan(tmp_path, heading):
    """A blue seal over «Директор …» and a pen signature across the name:
    the marks are made paper, the black print under them kept whole; a
    heading printed in blue is print, not a mark, and stays."""
    from make_scans import stamped_plan

    from pipeline.extract import extract_order

    order = extract_order(stamped_plan(tmp_path / "plan.jpg", heading_colour=heading))
    meta = order.document
    assert (meta.signatory.position, meta.signatory.name) == ("Директор МБОУ «Школа № 12»", "Н.В. Соколова")
    assert meta.authority == "МБОУ «Школа № 12»"
    assert meta.date is not None and meta.date.isoformat() == "2023-08-30"
    assert meta.title == "ПЛАН МЕРОПРИЯТИЙ по профилактике правонарушений на 2023-2024 учебный год"
    assert [i.activity for r in order.roadmaps for i in r.items] == [
        "Классные часы о правах ребёнка", "Встреча с инспектором ПДН", "Родительское собрание",
    ]


def test_black_print_under_a_coloured_mark_is_unmixed_from_it():
    """Colour deconvolution: a pixel where black print and blue ink overlap
    keeps the black; blue ink alone becomes paper."""
    import numpy as np

    from pipeline.readers.ocr import _black_part

    blue = np.array([70, 90, 200], np.float32) / 255
    grey = np.float32(0.25)  # black print, a quarter of the light left
    rgb = np.full((2, 2, 3), 255, np.uint8)
    rgb[0, 0] = (255 * blue).astype(np.uint8)  # the seal alone
    rgb[0, 1] = (255 * blue * grey).astype(np.uint8)  # print under the seal
    rgb[1, 0] = (255 * grey,) * 3  # print alone
    seeds = np.zeros((2, 2), bool)
    seeds[0, 0] = True
    black = _black_part(rgb, seeds)
    assert black[0, 0] >= 250 and black[1, 1] >= 250
    assert abs(int(black[0, 1]) - 64) <= 6 and abs(int(black[1, 0]) - 64) <= 6


def test_a_page_is_read_in_colour_only_when_it_shows_colour(tmp_path):
    """A black-and-white scan is rendered in grey as it always was; a colour
    scan with a seal in colour, for its marks to be told from print."""
    from PIL import Image
    from make_scans import stamped_plan

    from pipeline.readers.ocr import render_pdf_page

    assert render_pdf_page(FIXTURES / "scans" / "smolensk-prikaz-718-od-scan.pdf", 0, 150).mode == "L"
    colour = tmp_path / "stamped.pdf"
    Image.open(stamped_plan(tmp_path / "stamped.jpg")).save(colour, "PDF", resolution=300)
    assert render_pdf_page(colour, 0, 150).mode == "RGB"
    assert render_pdf_page(colour, 0, 150, colour=False).mode == "L"
