"""The text reader: paragraphs, tables, inline HTML and markdown, stitching."""

from pipeline.layout import Paragraph, Table
from pipeline.readers.inline import parse_inline
from pipeline.readers.text import parse_text, read_text


def test_paragraphs_lines_and_list_items():
    layout = parse_text("ДЕПАРТАМЕНТ\nПО ОБРАЗОВАНИЮ\n\n**П Р И К А З**\n\n1. Первое.\n  - 1.1. Второе.\n2. Третье\nпродолжение")
    texts = [b.text for b in layout.blocks]
    assert texts == ["ДЕПАРТАМЕНТ\nПО ОБРАЗОВАНИЮ", "ПРИКАЗ", "1. Первое.", "1.1. Второе.", "2. Третье\nпродолжение"]
    assert layout.blocks[1].bold


def test_table_fragments_are_stitched_and_header_repeats_dropped():
    text = (
        "№\tМероприятие\tСрок\n"
        "1.\tПервое\tмай\n"
        "2.\tВторое очень\tВ течение\n"
        "\n"
        "№\tМероприятие\tСрок\n"
        "\tдлинное\tгода\n"
        "3.\tТретье\tиюнь\n"
    )
    [table] = parse_text(text).blocks
    assert isinstance(table, Table)
    assert [r.texts for r in table.rows] == [
        ["№", "Мероприятие", "Срок"],
        ["1.", "Первое", "май"],
        ["2.", "Второе очень", "В течение"],
        ["", "длинное", "года"],
        ["3.", "Третье", "июнь"],
    ]
    assert [r.after_page_break for r in table.rows] == [False, False, False, True, False]


def test_html_in_cells():
    inline = parse_inline("<p>Муниципальные органы</p><ul><li>первый</li><li>второй &amp; третий</li></ul>")
    assert inline.text == "Муниципальные органы\nпервый\nвторой & третий"
    assert not inline.bold
    assert parse_inline("<b>Организационные меры</b>").bold
    assert parse_inline("**Е.П. Талкина**").text == "Е.П. Талкина"


def test_blanks_are_not_markdown():
    assert parse_inline("от _____ г. № _____").text == "от _____ г. № _____"


def test_bom_and_special_characters_survive(tmp_path):
    path = tmp_path / "order.txt"
    path.write_bytes("\ufeffПРИКАЗ\n\nёлка «ёж» – —\u00a0x".encode("utf-8"))
    layout = read_text(path)
    assert [b.text for b in layout.blocks] == ["ПРИКАЗ", "ёлка «ёж» – — x"]
    assert all(isinstance(b, Paragraph) for b in layout.blocks)


def test_paragraph_cut_by_page_break_is_joined():
    long = "Одним из направлений Программы является внедрение новых механизмов и инструментов, позволяющих работать в"
    layout = parse_text(f"{long}\n\nсложных условиях.\n\nприказываю:")
    assert [b.text for b in layout.blocks] == [f"{long} сложных условиях.", "приказываю:"]


def test_a_blank_requisites_line_still_leads_to_place_and_title():
    from pipeline.normalize import normalize
    from pipeline.structure import recover

    text = (
        "ДЕПАРТАМЕНТ ОБЩЕГО ОБРАЗОВАНИЯ\n\nРАСПОРЯЖЕНИЕ\n\nот ____________ № _______\n\nг. Томск\n\n"
        "Об организации работы со школами\n\n1. Утвердить план.\n"
    )
    order = normalize(recover(parse_text(text, "form.txt")))
    assert (order.document.date, order.document.number) == (None, None)
    assert order.document.place == "г. Томск"
    assert order.document.title == "Об организации работы со школами"
