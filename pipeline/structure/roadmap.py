"""Roadmap tables: column roles, section rows, continuation rows, items.

Nothing here is written for one document:

* column roles come from the lemmas of the header words (``columns.toml``);
* a header row or a column-number row repeated inside the table is dropped;
* a row whose number cell is empty goes on with the item above, cell by
  cell, with split words rejoined — unless it is a section row;
* a section row holds one title alone («Организационно-управленческие меры»,
  «1. Организационно-аналитические мероприятия», «2020 год») and becomes the
  ``section`` of the items after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.lang.data import load
from pipeline.lang.morph import lemmas
from pipeline.lang.words import collapse, join_fragments, repair_inline
from pipeline.layout import Cell, Row, Table
from pipeline.stitch import is_column_number_row, same_row
from pipeline.structure.parties import split_parties
from schemas import Column, Deadline, Item, Location, Party, Roadmap, Section

_ITEM_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.?|\d+[а-я]\.?)$")
# «1. Организационно-…», «II. …»; a year («2020 год») is a title, not a number.
_SECTION_NUMBER = re.compile(r"^(?P<num>\d+(?:\.\d+)*\.|[IVXLC]+\.?)\s+(?P<title>\S.*)$")
_ITEM_FIELDS = {"activity", "description", "deadline", "responsible", "result", "number"}
MAX_HEADER_ROWS = 3


def grid_cells(row: Row, width: int) -> list[Cell | None]:
    """The row's cells on the table grid: a cell spanning columns stands in
    its first column, the columns it covers hold None."""
    cells: list[Cell | None] = []
    for cell in row.cells:
        cells.append(cell)
        cells.extend(None for _ in range(cell.col_span - 1))
    return (cells + [None] * width)[:width]


def grid_texts(row: Row, width: int) -> list[str]:
    return [c.text if c is not None else "" for c in grid_cells(row, width)]


def column_role(header: str) -> str | None:
    text = collapse(header).lower()
    if not text:
        return None
    words = set(lemmas(text))
    tokens = set(re.findall(r"[№#]|п/п|\w+", text))
    for rule in load("columns")["roles"]:
        if tokens & set(rule.get("marks", [])) or words & set(rule.get("lemmas", [])):
            return rule["role"]
    return None


def header_roles(texts: list[str]) -> list[str]:
    roles = [column_role(t) or "other" for t in texts]
    # One activity column; a second «содержание» or «наименование» describes it.
    if "activity" not in roles and "description" in roles:
        roles[roles.index("description")] = "activity"
    seen: set[str] = set()
    for i, role in enumerate(roles):
        if role in seen and role in {"activity", "number"}:
            roles[i] = "description" if role == "activity" else "other"
        seen.add(role)
    return roles


def is_roadmap_header(roles: list[str]) -> bool:
    return "activity" in roles and ("deadline" in roles or "responsible" in roles)


@dataclass(slots=True)
class Header:
    """The header of a roadmap table: rows ``start``..``end``-1, one text and
    one role per grid column."""

    start: int
    end: int
    texts: list[str]
    roles: list[str]


def _spread(row: Row, width: int) -> list[str]:
    """Header texts with a cell spanning columns repeated over each of them."""
    texts: list[str] = []
    for cell in row.cells:
        texts.extend([cell.text] * cell.col_span)
    return (texts + [""] * width)[:width]


def _is_subheader(head: Row, below: Row, width: int) -> bool:
    """«Сроки» spanning «начало | окончание»: the row under a header cell that
    spans columns names the columns it spans."""
    spans = [cell.col_span > 1 for cell in head.cells for _ in range(cell.col_span)][:width]
    texts = [collapse(t) for t in grid_texts(below, width)]
    under_spans = [t for t, spanned in zip(texts, spans) if spanned]
    return bool(under_spans) and all(under_spans) and all(len(t) <= 60 for t in texts)


def find_header(table: Table) -> Header | None:
    """The header of the table if the table is a roadmap, else None."""
    width = table.n_columns
    rows = table.rows
    for i, row in enumerate(rows[:MAX_HEADER_ROWS]):
        texts = grid_texts(row, width)
        roles = header_roles(texts)
        if not is_roadmap_header(roles):
            continue
        if i + 1 < len(rows) and _is_subheader(row, rows[i + 1], width):
            below = grid_texts(rows[i + 1], width)
            texts = [collapse(f"{a} {b}") if a != b else collapse(a) for a, b in zip(_spread(row, width), below)]
            header = Header(i, i + 2, texts, header_roles(texts))
        else:
            header = Header(i, i + 1, texts, roles)
        _number_column_by_content(table, header, width)
        return header
    return None


def _number_column_by_content(table: Table, header: Header, width: int) -> None:
    """A first column with an unreadable or blank header (a «№» lost by OCR)
    whose cells are mostly item numbers is the number column."""
    if "number" in header.roles or header.roles[0] != "other" or len(collapse(header.texts[0])) > 3:
        return
    firsts = [collapse(grid_texts(r, width)[0]) for r in table.rows[header.end :]]
    filled = [t for t in firsts if t]
    if filled and sum(1 for t in filled if _ITEM_NUMBER.match(t.strip(" _‚,'`"))) >= 0.6 * len(filled):
        header.roles[0] = "number"


@dataclass(slots=True)
class _Draft:
    """An item being assembled: raw cell texts, joined across continuations."""

    cells: list[str]
    row: Row
    section: str | None
    extra_rows: list[Row] = field(default_factory=list)
    confidence: dict[int, float] = field(default_factory=dict)  # column → lowest OCR confidence


def _is_number(text: str) -> bool:
    return bool(_ITEM_NUMBER.match(collapse(text)))


def _classify(texts: list[str], row: Row, number_col: int | None, prev: _Draft | None, covered: list[bool]) -> str:
    """item, section or continuation."""
    if number_col is not None and covered[number_col] and prev is not None:
        return "continuation"  # the № cell is merged down: still the same item
    filled = [i for i, t in enumerate(texts) if collapse(t)]
    number = collapse(texts[number_col]) if number_col is not None else ""
    if number and _is_number(number):
        return "item"
    distinct = {collapse(texts[i]) for i in filled}
    lone = len(distinct) == 1
    if number and lone:
        return "section"  # «1. Организационно-аналитические мероприятия», «2020 год» in the № column
    if number:
        return "item"
    if not filled:
        return "empty"
    first = filled[0]
    cell = row.cells[first] if first < len(row.cells) else None
    text = collapse(texts[first])
    spans_width = cell is not None and cell.col_span > 1 and cell.col_span >= len(texts) - 1
    if lone and (spans_width or (cell is not None and cell.bold) or first == 0):
        return "section"
    if prev is None:
        return "section" if lone else "item"
    if row.after_page_break or text[:1].islower() or not lone:
        return "continuation"
    prev_text = collapse(prev.cells[first])
    return "continuation" if prev_text and not prev_text.endswith((".", "!", "?")) else "section"


def _note_confidence(draft: _Draft, cells: list[Cell | None]) -> None:
    for col, cell in enumerate(cells):
        if cell is not None and cell.confidence is not None and cell.text.strip():
            draft.confidence[col] = min(draft.confidence.get(col, 100.0), cell.confidence)


def _section(text: str, row: Row) -> Section:
    text = repair_inline(text)
    m = _SECTION_NUMBER.match(text)
    loc = Location(page=row.source.page, line=row.source.line)
    if m:
        return Section(number=m.group("num"), title=m.group("title"), location=loc)
    return Section(number=None, title=text, location=loc)


def _optional(text: str) -> str | None:
    text = repair_inline(text)
    return text or None


def read_roadmap(
    table: Table,
    header: Header,
    title: str | None,
    appendix: int | None,
    known_abbreviations: list[str],
    known_names: list[str],
) -> Roadmap:
    width = table.n_columns
    roles = header.roles
    columns = [Column(index=i, header=repair_inline(h), role=r) for i, (h, r) in enumerate(zip(header.texts, roles))]
    number_col = roles.index("number") if "number" in roles else None
    header_rows = table.rows[header.start : header.end]

    sections: list[Section] = []
    drafts: list[_Draft] = []
    current_section: str | None = None
    merged_down: dict[int, str] = {}  # column → text of a cell merged over the rows below
    for row in table.rows[header.end :]:
        if any(same_row(row, h) for h in header_rows) or is_column_number_row(row):
            continue
        cells = grid_cells(row, width)
        texts = [c.text if c is not None else "" for c in cells]
        covered = [c is not None and c.covered for c in cells]
        for col, cell in enumerate(cells):
            if cell is not None and not cell.covered:
                if cell.row_span > 1:
                    merged_down[col] = cell.text
                else:
                    merged_down.pop(col, None)
        # A section row ends the item above: what follows it starts anew.
        prev = drafts[-1] if drafts and drafts[-1].section == current_section else None
        kind = _classify(texts, row, number_col, prev, covered)
        if kind == "empty":
            continue
        if kind == "section":
            text = next(collapse(t) for t in texts if collapse(t))
            section = _section(text, row)
            sections.append(section)
            current_section = collapse(f"{section.number or ''} {section.title}")
        elif kind == "continuation" and prev is not None:
            prev.cells = [join_fragments(a, b) if collapse(b) else a for a, b in zip(prev.cells, texts)]
            prev.extra_rows.append(row)
            _note_confidence(prev, cells)
        else:
            # A deadline or party written once for a run of items applies to each.
            inherited = [merged_down.get(col, "") if covered[col] else t for col, t in enumerate(texts)]
            drafts.append(_Draft(cells=inherited, row=row, section=current_section))
            _note_confidence(drafts[-1], cells)

    items = [_item(d, roles, columns, known_abbreviations, known_names) for d in drafts]
    loc = Location(page=table.source.page, line=table.source.line)
    return Roadmap(title=title, appendix=appendix, columns=columns, sections=sections, items=items, location=loc)


def _item(d: _Draft, roles: list[str], columns: list[Column], abbreviations: list[str], names: list[str]) -> Item:
    item = Item(section=d.section, location=Location(page=d.row.source.page, line=d.row.source.line))
    for col, value in d.confidence.items():
        role = roles[col] if col < len(roles) else "other"
        item.confidence[role] = round(min(item.confidence.get(role, 100.0), value), 1)
    descriptions, results = [], []
    for text, role, column in zip(d.cells, roles, columns):
        if role == "number":
            item.number = collapse(text) or None
        elif role == "activity":
            item.activity = repair_inline(text)
        elif role == "description":
            descriptions.append(repair_inline(text))
        elif role == "deadline":
            value = repair_inline(text)
            if value:
                item.deadline = Deadline(text=value) if item.deadline is None else Deadline(text=f"{item.deadline.text}; {value}")
        elif role == "responsible":
            item.responsibles.extend(Party(text=p) for p in split_parties(text, abbreviations, names))
        elif role == "result":
            results.append(repair_inline(text))
        elif collapse(text):
            item.extra[column.header or f"column {column.index + 1}"] = repair_inline(text)
    item.description = "\n".join(t for t in descriptions if t) or None
    item.result = "\n".join(t for t in results if t) or None
    return item
