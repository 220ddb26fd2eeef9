"""Layouts unlike the seeds: a plan published on its own under its approval
stamp, with other header words, roman sections, parties one per line and a
deadline merged down over two items."""

import datetime as dt

import docx
import pytest

from pipeline.extract import extract_order


@pytest.fixture
def standalone_plan(tmp_path):
    document = docx.Document()
    for line in ["УТВЕРЖДЕН", "приказом министерства образования", "Пермского края", "от 01.09.2021 № 123"]:
        document.add_paragraph(line).alignment = 2
    document.add_paragraph().add_run("ПЛАН").bold = True
    document.add_paragraph().add_run("мероприятий по поддержке школ на 2021/2022 учебный год").bold = True
    table = document.add_table(rows=1, cols=5)
    headers = ["№ п/п", "Содержание мероприятия", "Срок исполнения", "Ответственный исполнитель", "Ожидаемый результат"]
    for cell, header in zip(table.rows[0].cells, headers):
        cell.text = header

    def row(*values):
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = value
        return cells

    def section(title):
        cells = table.add_row().cells
        cells[0].merge(cells[4]).text = title

    section("I. Организационные мероприятия")
    row("1.", "Совещание с руководителями", "сентябрь", "Отдел общего образования\nЦентр оценки качества", "Протокол")
    first = row("2.", "Мониторинг", "в течение учебного года", "ЦОКО", "Справка")
    second = row("3.", "Анализ", "", "ЦОКО", "Отчет")
    first[2].merge(second[2])
    section("II. Кадры")
    row("1.", "Курсы", "до 1 декабря 2021 г.", "ИРО", "Удостоверения")
    document.add_paragraph("Министр образования\tР.А. Кассина")
    path = tmp_path / "plan.docx"
    document.save(path)
    return path


def test_standalone_plan(standalone_plan):
    order = extract_order(standalone_plan)
    assert order.document.title == "ПЛАН мероприятий по поддержке школ на 2021/2022 учебный год"
    assert (order.document.signatory.position, order.document.signatory.name) == ("Министр образования", "Р.А. Кассина")
    assert order.clauses == []
    [appendix] = order.appendices
    assert appendix.approval and (appendix.cites.date, appendix.cites.number) == (dt.date(2021, 9, 1), "123")
    [roadmap] = order.roadmaps
    assert [c.role for c in roadmap.columns] == ["number", "activity", "deadline", "responsible", "result"]
    assert [(s.number, s.title) for s in roadmap.sections] == [("I.", "Организационные мероприятия"), ("II.", "Кадры")]
    items = roadmap.items
    assert [(i.number, i.section) for i in items] == [
        ("1.", "I. Организационные мероприятия"),
        ("2.", "I. Организационные мероприятия"),
        ("3.", "I. Организационные мероприятия"),
        ("1.", "II. Кадры"),
    ]
    assert [p.text for p in items[0].responsibles] == ["Отдел общего образования", "Центр оценки качества"]
    # The merged deadline applies to both items it spans; years come from the plan period.
    assert [(i.deadline.text, i.deadline.start, i.deadline.end) for i in items[1:3]] == [
        ("в течение учебного года", dt.date(2021, 9, 1), dt.date(2022, 8, 31))
    ] * 2
    assert (items[0].deadline.start, items[0].deadline.basis) == (dt.date(2021, 9, 1), "inferred")
    assert (items[3].deadline.kind, items[3].deadline.end) == ("until", dt.date(2021, 12, 1))
    assert items[1].responsibles[0].name == "Центр оценки качества образования"
