"""Roadmap recovery on tables laid out differently from the seeds."""

import pytest

from pipeline.layout import Cell, Row, Table
from pipeline.structure.roadmap import column_role, find_header, read_roadmap


@pytest.mark.parametrize(
    "header,role",
    [
        ("№ п/п", "number"),
        ("N", "number"),
        ("Наименование мероприятия", "activity"),
        ("Мероприятия/ события", "activity"),
        ("Содержание работы", "description"),
        ("Сроки исполнения", "deadline"),
        ("Период реализации отдельного действия", "deadline"),
        ("Срок", "deadline"),
        ("Дата проведения", "deadline"),
        ("Ответственные исполнители", "responsible"),
        ("Ответственный", "responsible"),
        ("Исполнители", "responsible"),
        ("Участники", "participants"),
        ("Ожидаемые результаты", "result"),
        ("Региональный показатель результативности", "result"),
        ("Нормативный правовой акт", "document"),
        ("Источник финансирования", "funding"),
        ("Примечание", "note"),
        ("Фото", None),
    ],
)
def test_column_roles_from_header_words(header, role):
    assert column_role(header) == role


def table(*rows, breaks=()):
    out = []
    for i, r in enumerate(rows):
        cells = [c if isinstance(c, Cell) else Cell(text=c) for c in r]
        out.append(Row(cells=cells, after_page_break=i in breaks))
    return Table(rows=out)


def roadmap_of(t: Table, abbreviations=()):
    return read_roadmap(t, find_header(t), "План", None, list(abbreviations), [])


def test_columns_in_any_order_with_extra_columns():
    t = table(
        ["Ответственный", "Срок", "Мероприятие", "№", "Источник финансирования"],
        ["МОЦ", "октябрь", "Совещание", "1.", "областной бюджет"],
    )
    item = roadmap_of(t).items[0]
    assert (item.number, item.activity, item.deadline.text) == ("1.", "Совещание", "октябрь")
    assert [p.text for p in item.responsibles] == ["МОЦ"]
    assert item.extra == {"Источник финансирования": "областной бюджет"}


def test_merged_section_row_and_roman_sections():
    t = table(
        ["№", "Мероприятия", "Сроки", "Исполнители"],
        [Cell(text="I. Организационные меры", col_span=4, bold=True)],
        ["1", "Первое", "май", "ОО"],
        [Cell(text="II. Кадры", col_span=4)],
        ["1", "Второе", "июнь", "ОО"],
    )
    r = roadmap_of(t)
    assert [(s.number, s.title) for s in r.sections] == [("I.", "Организационные меры"), ("II.", "Кадры")]
    assert [(i.number, i.section) for i in r.items] == [("1", "I. Организационные меры"), ("1", "II. Кадры")]


def test_continuation_row_after_page_break_joins_cells_and_words():
    t = table(
        ["№", "Наименование мероприятия", "Сроки исполнения", "Ответственные"],
        ["16.", "Разработка программы адресных мероприятий и", "По потребност", "СОИРО"],
        ["", "коуч-практик по вопросам качества", "и ОО", ""],
        ["17.", "Организация участия", "В течение года", "СОИРО, МОЦ"],
        breaks={2},
    )
    items = roadmap_of(t).items
    assert len(items) == 2
    assert items[0].activity == "Разработка программы адресных мероприятий и коуч-практик по вопросам качества"
    assert items[0].deadline.text == "По потребности ОО"


def test_repeated_header_and_column_number_rows_are_dropped():
    t = table(
        ["№", "Мероприятия", "Сроки", "Ответственные", "Результаты"],
        ["1", "2", "3", "4", "5"],
        ["1.1.", "Создание совета", "сентябрь 2020 г.", "ДОКиС НАО", "Состав утвержден"],
        ["№", "Мероприятия", "Сроки", "Ответственные", "Результаты"],
        ["1", "2", "3", "4", "5"],
        ["1.2.", "Работа совета", "ежеквартально", "ДОКиС НАО", "Заседания"],
    )
    assert [i.number for i in roadmap_of(t).items] == ["1.1.", "1.2."]


def test_vertically_merged_deadline_applies_to_every_item():
    t = table(
        ["№", "Мероприятие", "Срок", "Ответственный"],
        ["1.", "Первое", Cell(text="в течение года", row_span=3), "ОО"],
        ["2.", "Второе", Cell(text="", covered=True), "МОЦ"],
        ["3.", "Третье", Cell(text="", covered=True), "ОО"],
        ["4.", "Четвертое", "май", "ОО"],
    )
    assert [i.deadline.text for i in roadmap_of(t).items] == ["в течение года"] * 3 + ["май"]


def test_parties_on_separate_lines_and_run_together_abbreviations():
    t = table(
        ["№", "Мероприятие", "Срок", "Ответственные"],
        ["1", "Совещание", "май", "Региональный координатор\nМуниципальные координаторы"],
        ["2", "Семинар", "июнь", "ДОО ТО ТОИПКРО"],
    )
    items = roadmap_of(t, ["ТОИПКРО"]).items
    assert [p.text for p in items[0].responsibles] == ["Региональный координатор", "Муниципальные координаторы"]
    assert [p.text for p in items[1].responsibles] == ["ДОО ТО", "ТОИПКРО"]


def test_table_without_roadmap_columns_is_not_a_roadmap():
    t = table(["Наименование программы", "Муниципальная программа"], ["Разработчик", "Отдел"])
    assert find_header(t) is None


def test_two_row_header():
    t = table(
        ["№", "Мероприятие", Cell(text="Сроки", col_span=2), "Исполнитель"],
        ["", "", "начало", "окончание", ""],
        ["1.", "Семинар", "май 2021", "июнь 2021", "ОО"],
    )
    r = roadmap_of(t)
    assert [c.header for c in r.columns] == ["№", "Мероприятие", "Сроки начало", "Сроки окончание", "Исполнитель"]
    assert [c.role for c in r.columns] == ["number", "activity", "deadline", "deadline", "responsible"]
    assert len(r.items) == 1 and r.items[0].deadline.text == "май 2021; июнь 2021"
