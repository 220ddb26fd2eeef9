"""Plans as they are published: approved plans without an order, tables
without a № column, several plans in one file, month and day sections,
tables that are not plans.  Every document here is made in the test, a new
member of its class, not a copy of a development document."""

import datetime as dt

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from pipeline.errors import InputError
from pipeline.extract import extract_order
from pipeline.validate import validate

D = dt.date


def _paragraph(document, text, bold=False, align=None):
    p = document.add_paragraph()
    run = p.add_run(text)
    run.bold = bold
    if align is not None:
        p.alignment = align
    return p


def _table(document, header, rows):
    table = document.add_table(rows=1, cols=len(header))
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        if isinstance(row, str):  # a section row merged across the table
            cells[0].merge(cells[-1]).text = row
            continue
        for cell, text in zip(cells, row):
            cell.text = text
    return table


@pytest.fixture
def approved_plan(tmp_path):
    """«УТВЕРЖДАЮ» with the head, the school and a date; the title names a
    school year; month sections; the deadline is the first column, the
    responsible before the activity's result; no № column."""
    document = docx.Document()
    right = WD_ALIGN_PARAGRAPH.RIGHT
    for line in ["УТВЕРЖДАЮ", "Директор МБОУ «Средняя", "общеобразовательная школа № 5»", "____________ О.П. Смирнова", "«29» августа 2024 г."]:
        _paragraph(document, line, align=right)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(document, "ПЛАН МЕРОПРИЯТИЙ", bold=True, align=centre)
    _paragraph(document, "по профилактике дорожно-транспортного травматизма", bold=True, align=centre)
    _paragraph(document, "НА 2024-2025 УЧЕБНЫЙ ГОД", bold=True, align=centre)
    _table(
        document,
        ["Время проведения", "Содержание работы", "Ответственный", "Форма", "Отметка о выполнении"],
        [
            "АВГУСТ",
            ["4 неделя", "Подготовка схемы безопасного маршрута", "Заместитель директора по ВР", "Схема", ""],
            "СЕНТЯБРЬ",
            ["1 неделя", "1. Беседы о правилах дорожного движения", "классные руководители", "Беседа", ""],
            ["в течение месяца", "Встреча с инспектором ГИБДД", "социальный педагог Кравцова Л.И.\nинспектор ОГИБДД Петров А.А.", "Встреча", ""],
            ["15-30 сентября", "Конкурс рисунков «Светофор»", "Педагог-организатор\nСоциальный педагог", "Конкурс", ""],
            "ЯНВАРЬ",
            ["2 половина месяца", "Анализ травматизма за полугодие", "Зам. директора по УВР, ВР", "Справка", ""],
            ["в течение года", "Занятия по программе «Азбука дороги»", "Учителя начальных классов.", "Урок", ""],
        ],
    )
    path = tmp_path / "plan.docx"
    document.save(path)
    return path


def test_approved_plan_without_an_order(approved_plan):
    order = extract_order(approved_plan)
    meta = order.document
    assert meta.kind == "план"
    assert meta.authority == "МБОУ «Средняя общеобразовательная школа № 5»"
    assert (meta.signatory.position, meta.signatory.name) == ("Директор МБОУ «Средняя общеобразовательная школа № 5»", "О.П. Смирнова")
    assert meta.date == D(2024, 8, 29) and meta.number is None
    assert meta.title == "ПЛАН МЕРОПРИЯТИЙ по профилактике дорожно-транспортного травматизма НА 2024-2025 УЧЕБНЫЙ ГОД"
    [roadmap] = order.roadmaps
    assert roadmap.title == meta.title
    assert (roadmap.period.start, roadmap.period.end, roadmap.period.academic) == (D(2024, 9, 1), D(2025, 8, 31), True)
    assert [c.role for c in roadmap.columns] == ["deadline", "activity", "responsible", "description", "note"]
    assert [s.title for s in roadmap.sections] == ["АВГУСТ", "СЕНТЯБРЬ", "ЯНВАРЬ"]
    items = roadmap.items
    assert [(i.number, i.section) for i in items] == [
        (None, "АВГУСТ"), ("1.", "СЕНТЯБРЬ"), (None, "СЕНТЯБРЬ"), (None, "СЕНТЯБРЬ"), (None, "ЯНВАРЬ"), (None, "ЯНВАРЬ"),
    ]
    assert items[1].activity == "Беседы о правилах дорожного движения"
    # Weeks and halves of the section's month; August opening the school year
    # is in its first year; the rest of the year from the plan period.
    assert [(i.deadline.start, i.deadline.end) for i in items] == [
        (D(2024, 8, 22), D(2024, 8, 28)),
        (D(2024, 9, 1), D(2024, 9, 7)),
        (D(2024, 9, 1), D(2024, 9, 30)),
        (D(2024, 9, 15), D(2024, 9, 30)),
        (D(2025, 1, 16), D(2025, 1, 31)),
        (D(2024, 9, 1), D(2025, 8, 31)),
    ]
    assert [p.text for p in items[2].responsibles] == ["социальный педагог Кравцова Л.И.", "инспектор ОГИБДД Петров А.А."]
    assert [p.text for p in items[3].responsibles] == ["Педагог-организатор", "Социальный педагог"]
    assert [p.text for p in items[4].responsibles] == ["Зам. директора по УВР, ВР"]
    assert [p.text for p in items[5].responsibles] == ["Учителя начальных классов"]


@pytest.fixture
def stamped_by_order(tmp_path):
    """«УТВЕРЖДЕН приказом … от ____ № ____» left blank; a № column left
    empty with the numbers typed in the activity; «I.Раздел» without a
    space; numbering restarting in every section; a plan of calendar years."""
    path = tmp_path / "plan.txt"
    path.write_text(
        "УТВЕРЖДЕН\nприказом управления образования\nот ____________ № ______\n\n"
        "<b>КОМПЛЕКС МЕР</b>\n\n<b>по развитию школьных библиотек на 2025–2027 годы</b>\n\n"
        "№\tМероприятие\tИсполнитель\tСрок\n"
        "I.Организационные меры\t\t\t\n"
        "\t1. Инвентаризация фондов\tЗаведующие библиотеками\tмарт 2025 г.\n"
        "\t2. Обновление положения о библиотеке\tРуководители ОО, методисты\tдо 1 июня 2025 г.\n"
        "II.Кадры\t\t\t\n"
        "\t1. Курсы для библиотекарей\tИРО\tежегодно\n",
        encoding="utf-8",
    )
    return path


def test_plan_approved_by_an_order_with_blanks(stamped_by_order):
    order = extract_order(stamped_by_order)
    meta = order.document
    assert (meta.kind, meta.date, meta.number) == ("комплекс мер", None, None)
    assert meta.title == "КОМПЛЕКС МЕР по развитию школьных библиотек на 2025–2027 годы"
    [appendix] = order.appendices
    assert appendix.approval and appendix.cites.blank
    [roadmap] = order.roadmaps
    assert [(s.number, s.title) for s in roadmap.sections] == [("I.", "Организационные меры"), ("II.", "Кадры")]
    assert [(i.number, i.section, i.activity) for i in roadmap.items] == [
        ("1.", "I. Организационные меры", "Инвентаризация фондов"),
        ("2.", "I. Организационные меры", "Обновление положения о библиотеке"),
        ("1.", "II. Кадры", "Курсы для библиотекарей"),
    ]
    assert (roadmap.items[2].deadline.start, roadmap.items[2].deadline.end) == (D(2025, 1, 1), D(2027, 12, 31))
    # The blank stamp is reported, the plan read.
    assert "R003" in {f.code for f in validate(order, str(order.source.path))}


def test_days_of_a_holiday_plan_and_times(tmp_path):
    """Day sections («24 марта», «25марта») give the day to every time
    («10.00-11.00»), schedule («По доп. графику») and «в течение дня»."""
    path = tmp_path / "holidays.txt"
    path.write_text(
        "<b>Краевое государственное бюджетное учреждение «Социальный центр»</b>\n\n"
        "<b>План мероприятий</b>\n<b>на весенние каникулы 2021 года</b>\n\n"
        "№\tНаименование мероприятия\tВремя проведения\tОтветственные\n"
        "<b>24 марта</b>\t\t\t\n"
        "1\tЭкскурсия в музей\t10.00-11-30\tвоспитатели\n"
        "2\tТурнир по шашкам\tС 15.00-17.00\tКазаков П.Р. Белова Н.Н.\n"
        "<b>25марта</b>\t\t\t\n"
        "1\tЗанятия в бассейне\tПо доп. графику\tИнструктор по плаванию<br>Громов Е.Е.\n"
        "2\tВыставка поделок\tВ течение дня\tДетсовет, Белова Н.Н.\n",
        encoding="utf-8",
    )
    order = extract_order(path)
    assert order.document.kind == "план"
    assert order.document.authority == "Краевое государственное бюджетное учреждение «Социальный центр»"
    [roadmap] = order.roadmaps
    assert (roadmap.period.start, roadmap.period.end) == (D(2021, 1, 1), D(2021, 12, 31))
    assert [(i.section, i.deadline.start, i.deadline.end) for i in roadmap.items] == [
        ("24 марта", D(2021, 3, 24), D(2021, 3, 24)),
        ("24 марта", D(2021, 3, 24), D(2021, 3, 24)),
        ("25марта", D(2021, 3, 25), D(2021, 3, 25)),
        ("25марта", D(2021, 3, 25), D(2021, 3, 25)),
    ]
    assert [p.text for p in roadmap.items[1].responsibles] == ["Казаков П.Р.", "Белова Н.Н."]
    assert [p.text for p in roadmap.items[2].responsibles] == ["Инструктор по плаванию Громов Е.Е."]
    assert [p.text for p in roadmap.items[3].responsibles] == ["Детсовет", "Белова Н.Н."]


def test_many_plans_in_one_file_with_their_titles_and_periods(tmp_path):
    """A yearly plan of several tables: each roadmap has the heading above it
    as its title; the period comes from the nearest statement above; a table
    that Word cut in two (another grid, no header) goes on with its roadmap;
    a checklist table is left out; the goals between a heading and its table
    are not the title."""
    document = docx.Document()
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(document, "Утверждаю:", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, "Заведующий МАДОУ «Детский сад № 12»", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, "________ Т.В. Орлова", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, "Годовой план работы", bold=True, align=centre)
    _paragraph(document, "МАДОУ «Детский сад № 12»", bold=True, align=centre)
    _paragraph(document, "Цель работы: создание условий для развития детей на 2022-2023 учебный год.")
    _paragraph(document, "МЕТОДИЧЕСКАЯ РАБОТА", bold=True, align=centre)
    _paragraph(document, "ЗАДАЧИ:")
    _paragraph(document, "- повысить квалификацию педагогов;")
    _table(document, ["Мероприятия", "Срок", "Ответственный"], [["Педсовет «Итоги года»", "май", "Заведующий"]])
    _paragraph(document, "КОНТРОЛЬ ЗА ПИТАНИЕМ", bold=True, align=centre)
    _table(document, ["Показатель", "I", "II", "III"], [["Температура блюд", "-", "+", "+"]])
    _paragraph(document, "РАБОТА С РОДИТЕЛЯМИ", bold=True, align=centre)
    _table(document, ["Содержание", "Сроки", "Ответственные"], [["Родительское собрание", "сентябрь", "Воспитатели"]])
    second = document.add_table(rows=2, cols=4)
    for cells, texts in zip((r.cells for r in second.rows), [["Консультации", "", "октябрь", "Педагог-психолог"], ["Дни открытых дверей", "", "апрель", "Заведующий"]]):
        cells[0].merge(cells[1]).text = texts[0]
        cells[2].text, cells[3].text = texts[2], texts[3]
    path = tmp_path / "year.docx"
    document.save(path)

    order = extract_order(path)
    assert order.document.title == "Годовой план работы МАДОУ «Детский сад № 12»"
    assert [r.title for r in order.roadmaps] == ["МЕТОДИЧЕСКАЯ РАБОТА", "РАБОТА С РОДИТЕЛЯМИ"]
    assert [len(r.items) for r in order.roadmaps] == [1, 3]
    assert [i.activity for i in order.roadmaps[1].items] == ["Родительское собрание", "Консультации", "Дни открытых дверей"]
    for roadmap in order.roadmaps:
        assert (roadmap.period.start, roadmap.period.end) == (D(2022, 9, 1), D(2023, 8, 31))
    assert [(i.deadline.start, i.deadline.end) for i in order.roadmaps[1].items] == [
        (D(2022, 9, 1), D(2022, 9, 30)), (D(2022, 10, 1), D(2022, 10, 31)), (D(2023, 4, 1), D(2023, 4, 30)),
    ]
    assert order.roadmaps[0].items[0].deadline.start == D(2023, 5, 1)


def test_a_programme_without_a_plan_table_is_read_not_refused(tmp_path):
    """A programme whose tables are indicators and funding: the document is
    read with no roadmap (the validator states it), never refused."""
    path = tmp_path / "programme.txt"
    path.write_text(
        "<b>Программа развития</b>\n<b>МБУ ДО «Центр творчества» на 2023-2026 годы</b>\n\n"
        "Показатель\t2023\t2024\t2025\n"
        "Доля детей, %\t40\t45\t50\n\n"
        "Источник финансирования\tВсего\n"
        "Местный бюджет\t1200,0\n",
        encoding="utf-8",
    )
    order = extract_order(path)
    assert (order.document.kind, order.roadmaps) == ("программа", [])
    assert order.document.authority == "МБУ ДО «Центр творчества»"
    assert "C004" in {f.code for f in validate(order, str(order.source.path))}


def test_a_report_of_measures_taken_is_refused(tmp_path):
    """Neither an order nor a plan: a report listing what was done."""
    path = tmp_path / "report.txt"
    path.write_text(
        "<b>Отчет</b>\n\n<b>об устранении замечаний проверки</b>\n\n"
        "Замечание\tПринятые меры\n"
        "Нет стенда\tСтенд оформлен\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="не похоже на приказ"):
        extract_order(path)


@pytest.mark.parametrize(
    "header,role",
    [
        ("Время проведения", "deadline"),
        ("Содержание работы", "description"),
        ("Цель и задачи", "description"),
        ("Форма", "description"),
        ("Виды деятельности", "description"),
        ("Отметка о выполнении", "note"),
        ("Выход", "result"),
        ("Участники", "participants"),
        ("Месяц", "deadline"),
        ("Обсуждаемые вопросы", "activity"),
        ("Кто осуществляет контроль", "responsible"),
        ("Воспитатель", "responsible"),
    ],
)
def test_column_roles_of_published_plans(header, role):
    from pipeline.structure.roadmap import column_role

    assert column_role(header) == role


def test_one_description_and_the_content_column_as_activity():
    from pipeline.structure.roadmap import header_roles

    assert header_roles(["Виды деятельности", "Содержание работы", "Сроки", "Ответственные"]) == [
        "description", "activity", "deadline", "responsible",
    ]
    assert header_roles(["Сроки", "Мероприятия", "Цель и задачи работы", "Форма", "Ответственный", "Дата выполнения"]) == [
        "deadline", "activity", "description", "other", "responsible", "note",
    ]


def test_a_municipal_resolution_names_its_issuer_under_the_kind_word(tmp_path):
    """«ПОСТАНОВЛЕНИЕ / АДМИНИСТРАЦИИ / … района»: the issuer in the genitive
    under the kind word is the authority; the title that cites another act's
    date and number («О внесении изменений в постановление … от … № …») is
    the title, not the requisites; a date and number written in by hand and
    not read stay null."""
    document = docx.Document()
    centre = WD_ALIGN_PARAGRAPH.CENTER
    for line in ["ПОСТАНОВЛЕНИЕ", "АДМИНИСТРАЦИИ", "Энского муниципального района"]:
        _paragraph(document, line, bold=True, align=centre)
    _paragraph(document, "от ____________ № ______")
    _paragraph(document, "О внесении изменений в постановление администрации Энского муниципального района от 11.02.2019 № 215")
    _paragraph(document, "В целях уточнения объёмов финансирования администрация Энского муниципального района")
    _paragraph(document, "ПОСТАНОВЛЯЕТ:")
    _paragraph(document, "1. Внести изменения в муниципальную программу.")
    _paragraph(document, "2. Постановление вступает в силу с момента подписания.")
    _paragraph(document, "Глава Энского муниципального района\tП.С. Громов")
    path = tmp_path / "resolution.docx"
    document.save(path)
    meta = extract_order(path).document
    assert meta.kind == "постановление"
    assert meta.authority == "АДМИНИСТРАЦИИ Энского муниципального района"
    assert meta.title == "О внесении изменений в постановление администрации Энского муниципального района от 11.02.2019 № 215"
    assert meta.date is None and meta.number is None
    assert (meta.signatory.position, meta.signatory.name) == ("Глава Энского муниципального района", "П.С. Громов")


def test_an_approval_stamp_read_through_a_seal_keeps_its_head_and_order(tmp_path):
    """What OCR leaves of a stamp under a seal: lines of scattered letters,
    a fragment before the name, the approving order run onto the name's
    line.  The noise is no part of the post; the order is still cited."""
    source = tmp_path / "plan.txt"
    source.write_text(
        "УТВЕРЖДАЮ\nДиректор КГКУ «Центр содействия»\n$ а\nир И.В. Петров Приказ № 12-од от 01.09.2023 г.\n(75)Я Г’ут м3...С 2023 г.\n\n"
        "План мероприятий\nпо профилактике правонарушений на 2023-2024 учебный год\n\n"
        "№\tМероприятие\tСрок\tОтветственный\n"
        "1.\tКлассные часы о правах ребёнка\tсентябрь\tКлассные руководители\n"
        "2.\tВстреча с инспектором ПДН\tоктябрь\tСоциальный педагог\n",
        "utf-8",
    )
    meta = extract_order(source).document
    assert (meta.signatory.position, meta.signatory.name) == ("Директор КГКУ «Центр содействия»", "И.В. Петров")
    assert meta.authority == "КГКУ «Центр содействия»"
    assert meta.date == D(2023, 9, 1) and meta.number == "12-од"
