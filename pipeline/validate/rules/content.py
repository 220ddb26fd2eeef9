"""C — content of roadmaps and tables."""

from __future__ import annotations

import re

from pipeline.lang.words import collapse
from pipeline.validate.registry import Hit, rule
from pipeline.validate.rules._where import item_at
from schemas import Order

_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?$")


@rule("C001", "activity-empty", "error", "У пункта есть номер, но не указано мероприятие.")
def activity_empty(order: Order):
    """Строка плана с номером, но с пустой ячейкой мероприятия.

    Почему: текст строки потерян — часто его ячейку объединили со строкой выше.

    Плохо:  | 12. |  | октябрь | ОО |
    Хорошо: | 12. | Организация диагностических работ | октябрь | ОО |
    """
    for r, roadmap in enumerate(order.roadmaps):
        for i, item in enumerate(roadmap.items):
            if not item.activity.strip():
                yield Hit(f"пункт {item.number or i + 1}: не указано мероприятие", item_at(r, i, item, "activity"))


@rule("C002", "item-duplicate", "warning", "Одно и то же мероприятие с тем же сроком дважды встречается в одном разделе.")
def item_duplicate(order: Order):
    """Две строки с одинаковыми мероприятием, сроком и разделом.

    Почему: строку вставили дважды, и в плане она учтена два раза.

    Плохо:  «12. Публикации в СМИ | В течение года» дважды в разделе «2021 год»
    Хорошо: по одному разу в разделе каждого года
    """
    for r, roadmap in enumerate(order.roadmaps):
        seen: dict[tuple, str | None] = {}
        for i, item in enumerate(roadmap.items):
            key = (item.section, collapse(item.activity).lower(), item.deadline.text if item.deadline else None)
            if not item.activity:
                continue
            if key in seen:
                yield Hit(f"пункт {item.number}: повторяет пункт {seen[key]}", item_at(r, i, item, "activity"))
            else:
                seen[key] = item.number


@rule("C003", "table-without-roadmap-columns", "warning", "В таблице с нумерованными строками не найдены столбцы плана мероприятий.")
def table_without_columns(order: Order):
    """Таблица, строки которой пронумерованы как пункты плана, но в шапке нет
    столбцов мероприятия, срока или ответственного.

    Почему: такую таблицу нельзя прочитать как план мероприятий; вероятно, шапки
    у неё нет или столбцы названы непривычно.

    Плохо:  | № | Что делаем | Когда | Кто |
    Хорошо: | № | Мероприятие | Срок | Ответственный |
    """
    for appendix in order.appendices:
        for block in appendix.content:
            if block.type != "table" or block.roadmap is not None or not block.rows:
                continue
            rows = block.rows
            if len(rows) < 3 or max(len(r) for r in rows) < 3:
                continue
            numbered = sum(1 for row in rows[1:] if row and _NUMBER.match(row[0].strip()))
            if numbered >= (len(rows) - 1) / 2:
                yield Hit(
                    f"приложение {appendix.number or appendix.index}: таблица с нумерованными строками без столбцов «мероприятие», «срок», «ответственный»",
                    {"appendix": appendix.index, "page": appendix.location.page, "line": appendix.location.line},
                )


@rule("C004", "roadmap-missing", "error", "В документе нет таблицы мероприятий (дорожной карты).")
def roadmap_missing(order: Order):
    """Ни одна таблица документа не распознана как план мероприятий.

    Почему: загружен не тот файл, план вставлен в документ изображением или шапка
    его таблицы не распознана (см. C003).

    Плохо:  приказ, в приложении к которому план — отсканированное изображение
    Хорошо: план в виде таблицы «№ | Мероприятие | Срок | Ответственный»
    """
    if not order.roadmaps:
        tables = sum(1 for a in order.appendices for b in a.content if b.type == "table")
        if tables:
            # A plan or programme whose tables are indicators, funding, a
            # schedule of courses: read, with its tables left out.
            yield Hit(
                f"в документе нет таблицы мероприятий (дорожной карты): таблиц {tables}, ни в одной нет столбцов "
                "«мероприятие» и «срок» или «ответственный»",
                {},
            )
        else:
            yield Hit("в документе нет таблицы мероприятий (дорожной карты)", {})
