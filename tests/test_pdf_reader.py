"""The PDF reader: committed fixture PDFs (made by
``tests/fixtures/pdf/make_fixtures.py`` with LibreOffice) and the reader's
small functions one by one."""

from __future__ import annotations

import importlib.util
import re
import time
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.lang.words import collapse
from pipeline.layout import Paragraph, Row, Table
from pipeline.readers import pdf as pdf_reader
from pipeline.readers.pdf import (
    ENCRYPTED,
    SCANNED,
    Line,
    PageContent,
    PdfSettings,
    TextArea,
    Word,
    build_grid,
    cluster,
    find_furniture,
    group_lines,
    is_bold_font,
    is_continuation_caption,
    is_page_number,
    line_break,
    line_kind,
    lines_text,
    read_pdf,
    split_paragraphs,
    table_rows,
)
from pipeline.stitch import is_column_number_row

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pdf"
ROADMAP = FIXTURES / "roadmap_order.pdf"
CONTINUED = FIXTURES / "continued_table.pdf"


def _fixture_module():
    """The fixture generator, for the texts it typed into the documents."""
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make = _fixture_module()


@pytest.fixture(scope="module")
def roadmap():
    started = time.perf_counter()
    layout = read_pdf(ROADMAP)
    return layout, time.perf_counter() - started


@pytest.fixture(scope="module")
def continued():
    return read_pdf(CONTINUED)


def all_texts(layout) -> list[str]:
    texts = []
    for block in layout.blocks:
        if isinstance(block, Table):
            texts.extend(c.text for r in block.rows for c in r.cells)
        else:
            texts.append(block.text)
    return texts


def typed_items() -> dict[str, tuple[str, ...]]:
    """The texts the fixture maker typed for each item, by item number."""
    typed = {}
    serial = 0
    for title, count in make.SECTIONS:
        for index in range(1, count + 1):
            texts = make.item_texts(int(title.split(".")[0]), index, serial)
            typed[texts[0]] = texts
            serial += 1
    return typed


def the_table(layout) -> Table:
    tables = layout.tables()
    assert len(tables) == 1, [t.source for t in tables]
    return tables[0]


def number_of(row: Row) -> str:
    return collapse(row.cells[0].text)


# --- The long roadmap table -------------------------------------------------


def test_reads_fast_and_counts_pages(roadmap):
    layout, seconds = roadmap
    assert layout.format == "pdf"
    assert layout.pages == 5
    assert seconds < 10


def test_table_over_four_pages_is_one_table(roadmap):
    table = the_table(roadmap[0])
    assert table.source.page == 2
    assert table.n_columns == 5
    assert len(table.column_edges) == 6
    assert {r.source.page for r in table.rows} == {2, 3, 4, 5}


def test_header_and_column_numbers_once(roadmap):
    table = the_table(roadmap[0])
    assert [collapse(t) for t in table.rows[0].texts] == make.ROADMAP_HEADER
    assert all(c.bold for c in table.rows[0].cells)
    assert is_column_number_row(table.rows[1])
    rest = table.rows[2:]
    assert not any(is_column_number_row(r) for r in rest)
    assert not any(len(r.cells) > 1 and collapse(r.texts[1]) == "Мероприятие" for r in rest)


def test_row_count_with_split_rows(roadmap):
    table = the_table(roadmap[0])
    body = table.rows[2:]
    sections = [r for r in body if len(r.cells) == 1]
    items = [r for r in body if len(r.cells) == 5 and number_of(r)]
    pieces = [r for r in body if len(r.cells) == 5 and not number_of(r)]
    assert len(sections) == len(make.SECTIONS)
    assert len(items) == sum(count for _, count in make.SECTIONS)
    # Each of the three page breaks inside the table cut a row in two.
    assert len(pieces) == 3
    assert len(body) == len(sections) + len(items) + len(pieces)


def test_first_row_of_each_later_page_marked(roadmap):
    table = the_table(roadmap[0])
    for page in (3, 4, 5):
        first = next(r for r in table.rows if r.source.page == page)
        assert first.after_page_break, page
        # The row a page break cut: no number, it goes on with the item above.
        assert number_of(first) == ""
    assert sum(r.after_page_break for r in table.rows) == 3


def test_section_rows_span_the_width(roadmap):
    table = the_table(roadmap[0])
    sections = [r for r in table.rows if len(r.cells) == 1]
    assert [collapse(r.cells[0].text) for r in sections] == [title for title, _ in make.SECTIONS]
    assert all(r.cells[0].col_span == 5 and r.cells[0].bold for r in sections)


def test_split_rows_join_to_the_typed_text(roadmap):
    """Every item, its page-broken pieces joined, reads as typed."""
    table = the_table(roadmap[0])
    joined: list[list[str]] = []
    for row in table.rows[2:]:
        if len(row.cells) == 1:
            continue
        if number_of(row):
            joined.append(list(row.texts))
        else:
            joined[-1] = [f"{a}\n{b}" if b else a for a, b in zip(joined[-1], row.texts)]
    expected = []
    serial = 0
    for title, count in make.SECTIONS:
        for index in range(1, count + 1):
            expected.append(make.item_texts(int(title.split(".")[0]), index, serial))
            serial += 1
    assert [[collapse(t) for t in row] for row in joined] == [[collapse(t) for t in row] for row in expected]


def test_structure_recovery_joins_the_split_rows(roadmap):
    """The later stage joins each page-broken piece to the item above."""
    from pipeline.structure import recover

    order = recover(roadmap[0])
    items = [i for r in order.roadmaps for i in r.items]
    assert len(items) == sum(count for _, count in make.SECTIONS)
    typed = typed_items()
    for item in items:
        number, activity, deadline, parties, result = typed[item.number]
        assert (item.activity, item.deadline.text, item.result) == (activity, deadline, result)
        assert [p.text for p in item.responsibles] == parties.split("\n")


def test_cell_lines_as_typed(roadmap):
    """Lines that only wrapped are joined; lines the writer broke (one party
    per line) stay lines."""
    table = the_table(roadmap[0])
    first_item = table.rows[3]
    assert number_of(first_item) == "1.1."
    assert first_item.cells[1].text == "Мониторинг образовательных результатов обучающихся по итогам оценочных процедур"
    two_parties = [r for r in table.rows if len(r.cells) == 5 and number_of(r) and "ОГАУ ДПО" in r.cells[3].text]
    assert len(two_parties) >= 10
    unsplit = [r for r in two_parties if not r.cells[3].text.startswith("Министерство\n")]
    for row in unsplit:
        assert row.cells[3].text == "\n".join(make.PARTIES[:2])


def test_cells_typed_exactly_where_no_page_break_cuts(roadmap):
    table = the_table(roadmap[0])
    body = [r for r in table.rows[2:] if len(r.cells) == 5]
    expected = typed_items()
    whole = [r for r, nxt in zip(body, body[1:] + [None]) if number_of(r) and (nxt is None or number_of(nxt))]
    assert len(whole) >= 30
    for row in whole:
        assert row.texts == expected[number_of(row)]


def test_printed_lines_on_request():
    layout = read_pdf(ROADMAP, PdfSettings(line_breaks="printed"))
    first_item = the_table(layout).rows[3]
    assert first_item.cells[1].text == "Мониторинг образовательных\nрезультатов обучающихся по итогам\nоценочных процедур"
    clause = next(p for p in layout.paragraphs() if p.text.startswith("1. Утвердить"))
    assert clause.lines == [
        "1. Утвердить прилагаемую «дорожную карту» по повышению качества общего",
        "образования в Тестовой области на 2024–2025 годы (далее – дорожная карта).",
    ]


def test_no_running_header_or_page_numbers(roadmap):
    layout = roadmap[0]
    texts = all_texts(layout)
    assert not any("Тестовая область ·" in t for t in texts)
    assert not any(is_page_number(p.text) for p in layout.paragraphs())
    # Digits alone stand only in the column-number row.
    table = the_table(layout)
    lone_numbers = [r for r in table.rows if any(re.fullmatch(r"\d{1,3}", c.text) for c in r.cells)]
    assert lone_numbers == [table.rows[1]]


def test_heading_paragraphs(roadmap):
    paragraphs = roadmap[0].paragraphs()
    authority, kind = paragraphs[0], paragraphs[1]
    assert authority.text == make.AUTHORITY
    assert (authority.bold, authority.align) == (True, "center")
    assert (kind.text, kind.bold, kind.align) == ("ПРИКАЗ", True, "center")
    assert paragraphs[2].text == "15.03.2024 № 123-од"
    place = next(p for p in paragraphs if p.text == "г. Тестовск")
    assert (place.bold, place.align) == (False, "center")
    title = next(p for p in paragraphs if p.text.startswith("Об утверждении"))
    assert (title.bold, title.align) == (True, "center")
    assert title.lines == ["Об утверждении «дорожной карты» по повышению качества", "общего образования в Тестовой области"]
    assert authority.source.page == 1 and authority.source.line >= 1


def test_clauses_are_paragraphs_of_their_own(roadmap):
    paragraphs = roadmap[0].paragraphs()
    starts = [collapse(p.text).split(" ")[0] for p in paragraphs]
    for number in ("1.", "2.", "2.1.", "2.2.", "3."):
        assert starts.count(number) == 1, number
    clause = next(p for p in paragraphs if p.text.startswith("1. Утвердить"))
    assert clause.align == "justify" and not clause.bold
    assert clause.text == make.CLAUSES[0]
    preamble = next(p for p in paragraphs if p.text.startswith("В соответствии"))
    assert preamble.text == make.PREAMBLE


def test_appendix_heading_right_aligned(roadmap):
    heading = next(p for p in roadmap[0].paragraphs() if p.text.startswith("Приложение"))
    assert heading.align == "right"
    assert heading.lines[-1] == "от 15.03.2024 № 123-од"
    assert heading.source.page == 2


def test_blocks_in_page_order(roadmap):
    sources = [(b.source.page, b.source.line) for b in roadmap[0].blocks]
    assert sources == sorted(sources)
    last = roadmap[0].blocks[-1]
    assert isinstance(last, Paragraph) and last.text == "Заместитель министра П.П. Петров"


def test_russian_characters_kept(roadmap):
    text = "\n".join(all_texts(roadmap[0]))
    for ch in "ё«»–—№":
        assert ch in text, ch


# --- A table split by hand, landscape, merged-down cell ----------------------


def test_hand_split_table_is_stitched(continued):
    table = the_table(continued)
    assert continued.pages == 2
    numbers = [number_of(r) for r in table.rows[2:]]
    assert numbers == [f"1.{i}." for i in range(1, 13)]
    page_two = next(r for r in table.rows if r.source.page == 2)
    assert number_of(page_two) == "1.9." and page_two.after_page_break


def test_continuation_caption_and_top_page_number_dropped(continued):
    texts = all_texts(continued)
    assert not any("Продолжение" in t for t in texts)
    assert not any(collapse(p.text) == "2" for p in continued.paragraphs())


def test_cell_merged_down(continued):
    table = the_table(continued)
    rows = {number_of(r): r for r in table.rows}
    origin, below = rows["1.2."].cells[2], rows["1.3."].cells[2]
    assert (origin.text, origin.row_span, origin.covered) == ("в течение 2024 года", 2, False)
    assert (below.text, below.covered) == ("", True)
    assert rows["1.4."].cells[2].text == "декабрь 2025 года"


def test_landscape_heading(continued):
    first, title = continued.paragraphs()[:2]
    assert first.text == "Приложение к распоряжению\nот 01.02.2024 № 45-р" and first.align == "right"
    assert (title.bold, title.align) == (True, "center")


# --- Bad input ----------------------------------------------------------------


def reason(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_pdf(path)
    assert caught.value.path == str(path)
    return caught.value.reason


def test_encrypted():
    assert reason(FIXTURES / "encrypted.pdf") == ENCRYPTED


def test_scan():
    assert reason(FIXTURES / "scan.pdf") == SCANNED


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_truncated(tmp_path: Path, keep: float):
    data = ROADMAP.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: int(len(data) * keep)])
    assert reason(cut).startswith("повреждённый PDF")


def test_end_marker_cut_off(tmp_path: Path):
    data = ROADMAP.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: data.rindex(b"%%EOF") + 3])
    assert reason(cut).startswith("повреждённый PDF: файл обрезан")


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4\n%%EOF\n", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 9 0 R >>\n%%EOF\n", b"%PDF-" + bytes(range(256)) * 4 + b"%%EOF"],
)
def test_garbage(tmp_path: Path, content: bytes):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(content)
    assert reason(bad).startswith("повреждённый PDF")


def test_pages_released(monkeypatch):
    """Each engine lets a page go once it is read: memory follows the page."""
    closed = []
    original = pdf_reader.pdfplumber.page.Page.close

    def close(page):
        closed.append(page.page_number)
        original(page)

    monkeypatch.setattr(pdf_reader.pdfplumber.page.Page, "close", close)
    read_pdf(CONTINUED, PdfSettings(engine="pdfplumber"))
    assert closed[:2] == [1, 2]

    import pypdfium2

    released = []
    pdfium_close = pypdfium2.PdfPage.close

    def close_pdfium(page):
        released.append(page)
        pdfium_close(page)

    monkeypatch.setattr(pypdfium2.PdfPage, "close", close_pdfium)
    layout = read_pdf(CONTINUED)
    assert len(released) >= layout.pages


# --- Small functions ------------------------------------------------------------


@pytest.mark.parametrize(
    "name,bold",
    [
        ("TimesNewRomanPS-BoldMT", True),
        ("ABCDEF+LiberationSerif-Bold", True),
        ("Arial,Bold", True),
        ("Arial-BoldItalicMT", True),
        ("MyriadPro-Semibold", True),
        ("TimesNewRomanPSMT", False),
        ("BAAAAA+LiberationSerif", False),
        ("Arial-ItalicMT", False),
    ],
)
def test_bold_font(name: str, bold: bool):
    assert is_bold_font(name) is bold


@pytest.mark.parametrize("text", ["2", "- 2 -", "— 12 —", "Стр. 2 из 5", "страница 3", "2/5", "2 из 5"])
def test_page_numbers(text: str):
    assert is_page_number(text)


@pytest.mark.parametrize("text", ["2020 год", "1. Утвердить", "№ 2", "Приложение 2"])
def test_not_page_numbers(text: str):
    assert not is_page_number(text)


def test_continuation_caption():
    assert is_continuation_caption("Продолжение таблицы")
    assert is_continuation_caption("Продолжение приложения № 1")
    assert not is_continuation_caption("Продолжение работы по проекту в 2021 году обеспечивается …")
    assert not is_continuation_caption("продолжение " + "очень длинного текста " * 5)


def word(text: str, x0: float, top: float, width: float = 30, size: float = 12, bold: bool = False) -> Word:
    return Word(text=text, x0=x0, x1=x0 + width, top=top, bottom=top + size, size=size, bold=bold)


def test_words_to_lines():
    words = [
        word("второй", 10, 30.4),
        word("первой", 45, 10),
        word("Начало", 10, 10.3),
        word("1", 75.5, 8, width=4, size=7),  # a superscript touching the word before
    ]
    lines = group_lines(words)
    assert [l.text for l in lines] == ["Начало первой1", "второй"]


def test_cluster():
    assert cluster([10.0, 10.5, 30.0, 11.0, 29.5], 1.0) == [10.5, 29.75]


def test_grid_with_spans():
    # 3 columns × 3 rows: a section row across the width, a cell merged down.
    boxes = [
        (0, 0, 90, 10),  # row 0, spans 3 columns
        (0, 10, 30, 20), (30, 10, 60, 30), (60, 10, 90, 20),  # (1,1) spans 2 rows
        (0, 20, 30, 30), (60, 20, 90, 30),
    ]
    grid = build_grid(boxes, tolerance=1.0)
    assert grid.xs == [0, 30, 60, 90] and grid.ys == [0, 10, 20, 30]
    words = [word("Раздел", 20, 1, size=8), word("срок", 35, 15, width=10, size=4), word("а", 5, 11, size=8), word("б", 5, 21, size=8)]
    rows = table_rows(grid, words)
    assert [len(r.cells) for r in rows] == [1, 3, 3]
    assert (rows[0].cells[0].text, rows[0].cells[0].col_span) == ("Раздел", 3)
    assert (rows[1].cells[1].text, rows[1].cells[1].row_span) == ("срок", 2)
    assert rows[2].cells[1].covered and rows[2].cells[1].text == ""
    assert [c.text for c in rows[2].cells] == ["б", "", ""]


def line(text: str, x0: float, x1: float, top: float, bold: bool = False, size: float = 12) -> Line:
    return Line(text=text, x0=x0, x1=x1, top=top, bottom=top + size, size=size, bold=bold)


AREA = TextArea(left=80, right=550, indent=35)


def test_line_kinds():
    assert line_kind(line("x", 80, 550, 0), AREA) == "full"
    assert line_kind(line("x", 80, 300, 0), AREA) == "flush"
    assert line_kind(line("x", 115, 550, 0), AREA) == "indent"
    assert line_kind(line("x", 115, 515, 0), AREA) == "indent"  # at the usual indent, though centered
    assert line_kind(line("x", 250, 380, 0), AREA) == "center"
    assert line_kind(line("x", 400, 550, 0), AREA) == "right"
    assert line_kind(line("x", 350, 500, 0), AREA) == "other"


def test_paragraph_breaks():
    lines = [
        line("Первый абзац начинается", 115, 550, 0),
        line("и кончается здесь.", 80, 300, 14),
        line("Второй абзац без отступа и без", 80, 550, 28),  # after a justified paragraph's short line
        line("интервала.", 80, 200, 42),
        line("1. Пункт", 80, 550, 56),  # a list number
        line("продолжение пункта", 80, 250, 70),
        line("ПРИКАЗЫВАЮ", 80, 200, 84, bold=True),  # boldness changes
        line("После пустой строки", 80, 300, 112),  # a gap
    ]
    paragraphs = split_paragraphs(lines, AREA, line_gap=0.15)
    assert [[l.text for l in p] for p in paragraphs] == [
        ["Первый абзац начинается", "и кончается здесь."],
        ["Второй абзац без отступа и без", "интервала."],
        ["1. Пункт", "продолжение пункта"],
        ["ПРИКАЗЫВАЮ"],
        ["После пустой строки"],
    ]


def page_with(number: int, *lines: Line, height: float = 842) -> PageContent:
    page = PageContent(number=number, width=595, height=height)
    for i, l in enumerate(lines, start=1):
        l.number = i
        page.items.append(l)
    return page


def test_running_header_found_by_repetition():
    pages = [
        page_with(n, line(f"Приказ № 12 от 0{n}.03.2024", 200, 400, 30), line("Текст страницы", 80, 550, 100 + n), line(f"- {n} -", 290, 310, 800))
        for n in (1, 2, 3)
    ]
    # A body line repeating at a different height is not furniture.
    pages[1].items.append(line("Приказ № 12 от 02.03.2024", 200, 400, 400))
    pages[1].items[-1].number = 4
    dropped = find_furniture(pages)
    assert dropped == {(n, i) for n in (1, 2, 3) for i in (1, 3)}


def test_line_breaks_typed():
    typed = PdfSettings(line_breaks="typed")
    full = line("Министерство образования и науки", 0, 100, 0)
    following = line("Тестовой области", 0, 60, 14)
    following.first_word_width = 40  # «Тестовой»: 3 pt of space + 40 pt
    assert line_break(full, following, room=20, settings=typed) == " "  # it wrapped
    assert line_break(full, following, room=80, settings=typed) == "\n"  # it would have fitted
    assert line_break(full, following, room=80, settings=PdfSettings(line_breaks="printed")) == "\n"
    hyphen = line("психолого-", 0, 100, 0)
    assert line_break(hyphen, following, room=0, settings=typed) == "\n"
    soft = line("образова\u00ad", 0, 100, 0)
    assert lines_text([soft, line("ния", 0, 20, 14)], rooms=[0], settings=typed) == "образования"


def test_two_line_running_header_dropped_whole():
    pages = [
        page_with(
            n,
            line("Министерство образования", 200, 400, 20, size=9),
            line(f"Приказ № 12, стр. {n}", 200, 400, 30, size=9),
            line("Текст страницы", 80, 550, 70),
        )
        for n in (1, 2, 3)
    ]
    assert find_furniture(pages) == {(n, i) for n in (1, 2, 3) for i in (1, 2)}


def test_appendix_headings_at_page_tops_kept():
    """«Приложение № N» opening several pages runs on into the page's text:
    it is no running header, though it repeats, digits aside, at one height."""
    pages = [
        page_with(n, line(f"Приложение № {n}", 400, 550, 40), line("к приказу от 01.02.2024 № 45-р", 350, 550, 54), line("Текст", 80, 550, 90))
        for n in (1, 2, 3)
    ]
    assert find_furniture(pages) == set()


def test_duplicate_glyphs():
    def char(text: str, x0: float, top: float) -> dict:
        return {"text": text, "x0": x0, "top": top, "fontname": "F", "size": 12.0, "upright": True}

    chars = [char("П", 10, 10), char("П", 10.3, 10.2), char("П", 30, 10), char("р", 10.2, 10)]
    assert pdf_reader.duplicate_glyphs(chars) == {id(chars[1])}


@pytest.mark.parametrize("path", [ROADMAP, CONTINUED], ids=lambda p: p.name)
def test_every_glyph_reaches_a_line_or_a_cell(path: Path):
    """Before furniture and repeated header rows are dropped, the pages'
    lines and cells hold exactly the PDF's glyphs."""
    from collections import Counter

    import pdfplumber

    read = Counter()
    for page in pdf_reader.read_pages(path):
        for item in page.items:
            texts = [item.text] if isinstance(item, Line) else [c.text for r in item.table.rows for c in r.cells]
            read.update(ch for text in texts for ch in text if not ch.isspace())
    printed = Counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            printed.update(ch["text"] for ch in page.chars if not ch["text"].isspace())
    assert read == printed
