"""Spreadsheets for methodologists: XLSX (openpyxl) and CSV (UTF-8 with BOM,
so that Excel opens Cyrillic correctly).  Read the normalized order only."""

from __future__ import annotations

from schemas import Item, Order

ITEM_HEADERS = ["План", "Раздел", "№", "Мероприятие", "Срок (как в документе)", "Начало", "Окончание", "Ответственные", "Результат"]


def item_row(order: Order, roadmap_index: int, item: Item) -> list:
    """One item as a spreadsheet row; dates as dates, parties one per line."""
    deadline = item.deadline
    title = order.roadmaps[roadmap_index].title or f"План {roadmap_index + 1}"
    return [
        title,
        item.section or "",
        item.number or "",
        item.activity,
        deadline.text if deadline else "",
        deadline.start if deadline and deadline.start else None,
        deadline.end if deadline and deadline.end else None,
        "\n".join(p.name or p.text for p in item.responsibles),
        item.result or "",
    ]


def item_rows(order: Order) -> list[list]:
    return [item_row(order, r, item) for r, roadmap in enumerate(order.roadmaps) for item in roadmap.items]
