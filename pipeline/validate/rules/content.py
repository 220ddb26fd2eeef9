"""C — content of roadmaps and tables."""

from __future__ import annotations

import re

from pipeline.lang.words import collapse
from pipeline.validate.registry import Hit, rule
from pipeline.validate.rules._where import item_at
from schemas import Order

_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?$")


@rule("C001", "activity-empty", "error", "An item has a number but no activity.")
def activity_empty(order: Order):
    """A numbered row with an empty activity cell.

    Why: a lost row text, often a cell merged into the row above.

    Bad:  | 12. |  | октябрь | ОО |
    Good: | 12. | Организация диагностических работ | октябрь | ОО |
    """
    for r, roadmap in enumerate(order.roadmaps):
        for i, item in enumerate(roadmap.items):
            if not item.activity.strip():
                yield Hit(f"пункт {item.number or i + 1}: не указано мероприятие", item_at(r, i, item, "activity"))


@rule("C002", "item-duplicate", "warning", "The same activity appears twice in one section with the same deadline.")
def item_duplicate(order: Order):
    """Two rows with the same activity, deadline and section.

    Why: a row pasted twice; the plan counts it double.

    Bad:  «12. Публикации в СМИ | В течение года» twice in «2021 год»
    Good: once per year section
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


@rule("C003", "table-without-roadmap-columns", "warning", "A numbered table has no recognisable roadmap columns.")
def table_without_columns(order: Order):
    """A table whose rows are numbered like a plan's, but whose header names no
    activity, deadline or responsible column.

    Why: the plan cannot be read as a roadmap; its header is probably missing
    or worded unusually.

    Bad:  | № | Что делаем | Когда | Кто |
    Good: | № | Мероприятие | Срок | Ответственный |
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


@rule("C004", "roadmap-missing", "error", "The document holds no roadmap table.")
def roadmap_missing(order: Order):
    """No table of the document was recognised as a roadmap.

    Why: the upload is the wrong file, or the plan is an image, or its table
    header is unrecognisable (see C003).

    Bad:  an order whose appendix plan is a scanned image
    Good: the plan as a table with «№ | Мероприятие | Срок | Ответственный»
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
