"""Locations of the things rules point at."""

from __future__ import annotations

from schemas import Clause, Item


def item_at(roadmap: int, index: int, item: Item, column: str | None = None) -> dict:
    return {
        "page": item.location.page,
        "line": item.location.line,
        "row": item.location.row,
        "roadmap": roadmap,
        "item": item.number,
        "item_index": index,
        "column": column,
    }


def clause_at(clause: Clause) -> dict:
    return {"page": clause.location.page, "line": clause.location.line, "clause": clause.number}


def place(location) -> str:
    """Where in the file, as a person finds it: «стр. 3», «строка 28»
    (a text file), «блок 130, строка таблицы 12» (a DOCX)."""
    if location.page:
        return f"стр. {location.page}"
    if location.row:
        return f"блок {location.line}, строка таблицы {location.row}"
    if location.line:
        return f"строка {location.line}"
    return ""


def label(item: Item) -> str:
    """«пункт 16.» for messages; the activity's start when there is no number."""
    if item.number:
        return f"пункт {item.number}"
    return f"пункт «{item.activity[:40]}»"
