"""Roadmap tables: column roles, section rows, continuation rows, items.

Nothing here is written for one document:

* column roles come from the lemmas of the header words (``columns.toml``);
  a column is a header cell, whatever grid columns it spans, and a cell of a
  row belongs to the column its left edge falls in, so rows whose cells are
  cut differently from the header's (Word tables with drifting borders) are
  still read by column;
* a header row or a column-number row repeated inside the table is dropped;
* a row is an item when it starts one: a number in the № column, else a new
  text in the activity column, whatever the order of the columns; a number
  typed at the start of the activity («1. Провести …») is the item's number;
* a row whose number and activity cells are empty, or whose activity goes on
  from the row above (a page break, a row the writer wrapped), goes on with
  the item above, cell by cell, with split words rejoined;
* a section row holds one title alone («Организационно-управленческие меры»,
  «I.Организационные мероприятия», «1.» with a title spanning the row, a month
  «Сентябрь», a day «25 марта», «ОРГАНИЗАЦИОННАЯ РАБОТА» with its «Цель: …»)
  and becomes the ``section`` of the items after it;
* a table with no header of its own that follows a roadmap table directly
  goes on with it (a Word table that a converter cut in two).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.lang.data import load
from pipeline.lang.morph import lemmas, parses
from pipeline.lang.words import collapse, join_fragments, repair_inline
from pipeline.layout import Cell, Row, Table
from pipeline.stitch import is_column_number_row, same_row
from pipeline.structure.parties import split_parties
from schemas import Column, Deadline, Item, Location, Party, Roadmap, Section

_ITEM_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.?|\d+[а-я]\.?)$")
# «1. Организационно-…», «II. …», «I.Организационные …» (a capital after the
# dot needs no space); a year («2020 год») is a title, not a number.
_SECTION_NUMBER = re.compile(
    r"^(?P<num>(?:\d+(?:\.\d+)*|[IVXLC]+)\.)(?:\s+(?P<title>\S.*)|(?P<tight>[«\"A-ZА-ЯЁ].*))$", re.S
)
# A number typed at the start of an activity: «1. Провести», «1.Совершенствование»,
# «2) Анализ» — not a date «25.03.2019», not «8 Марта».
_TYPED_NUMBER = re.compile(r"^(?P<num>\d{1,3}(?:\.\d{1,3})*\.|\d{1,3}(?:\.\d{1,3})+|\d{1,3}\))\s*(?=[^\s\d.,)])")
_DATE_START = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}")
# A line that labels what follows («Цель:», «Задачи:») or a list line.
_LABEL_LINE = re.compile(r"^(?:[А-ЯЁа-яё]+(?:\s+[а-яё]+)?\s*:|[-–—•*])")
_TERMINAL = (".", "!", "?", "»", '"', ")", ";")
MAX_HEADER_ROWS = 3
MAX_HEADER_CHARS = 80


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


def _rule_for(header: str):
    text = collapse(header).lower()
    if not text:
        return None
    words = set(lemmas(text))
    tokens = set(re.findall(r"[№#]|п/п|\w+", text))
    for rule in load("columns")["roles"]:
        if tokens & set(rule.get("marks", [])) or words & set(rule.get("lemmas", [])):
            return rule
    return None


def _names_people(header: str) -> bool:
    """«Воспитатель», «Педагоги», «Докладчик»: a header that is one animate
    noun names who does the work."""
    words = re.findall(r"[А-Яа-яЁё-]+", header)
    if len(words) != 1:
        return False
    best = parses(words[0].lower())[0]
    return best.tag.POS == "NOUN" and best.tag.animacy == "anim" and best.tag.case == "nomn"


def column_role(header: str) -> str | None:
    rule = _rule_for(header)
    if rule is not None:
        return rule["role"]
    return "responsible" if _names_people(header) else None


def header_roles(texts: list[str]) -> list[str]:
    # A long cell is a value, not a header («Разработчик | Отдел по работе с
    # учреждениями образования …» in a passport table); a header naming people
    # is a responsible column only in a table of three columns or more.
    roles = [
        (column_role(t) if len(t) <= MAX_HEADER_CHARS and (len(texts) > 2 or _rule_for(t)) else None) or "other"
        for t in texts
    ]
    data = load("columns")
    # One activity column; where none is named, the description column that
    # holds the content («Содержание работы» beside «Виды деятельности»)
    # is the activity.
    if "activity" not in roles and "description" in roles:
        fallback = set(data["activity_fallback"])
        candidates = [i for i, r in enumerate(roles) if r == "description"]
        best = next((i for i in candidates if set(lemmas(collapse(texts[i]).lower())) & fallback), candidates[0])
        roles[best] = "activity"
    seen: set[str] = set()
    completion = set(data["completion"])
    for i, role in enumerate(roles):
        if role in seen and role in {"activity", "number", "description"}:
            # A second description («Форма» beside «Цель и задачи») is other.
            roles[i] = "description" if role == "activity" and "description" not in seen else "other"
        elif role == "deadline" and "deadline" in seen and set(lemmas(collapse(texts[i]).lower())) & completion:
            # «Дата выполнения» beside «Сроки»: when it was done, a note.
            roles[i] = "note"
        seen.add(roles[i])
    return roles


def is_roadmap_header(roles: list[str]) -> bool:
    return "activity" in roles and ("deadline" in roles or "responsible" in roles)


@dataclass(slots=True)
class Header:
    """The header of a roadmap table: rows ``start``..``end``-1, and per
    column its text, its role and the grid columns it spans."""

    start: int
    end: int
    texts: list[str]
    roles: list[str]
    spans: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.spans:
            self.spans = [(i, i + 1) for i in range(len(self.texts))]


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


def _header_cells(row: Row, width: int) -> tuple[list[str], list[tuple[int, int]]]:
    texts, spans, pos = [], [], 0
    for cell in row.cells:
        texts.append(cell.text)
        spans.append((pos, pos + cell.col_span))
        pos += cell.col_span
    if pos < width:
        texts.append("")
        spans.append((pos, width))
    return texts, spans


def find_header(table: Table) -> Header | None:
    """The header of the table if the table is a roadmap, else None."""
    width = table.n_columns
    rows = table.rows
    for i, row in enumerate(rows[:MAX_HEADER_ROWS]):
        texts, spans = _header_cells(row, width)
        roles = header_roles(texts)
        if not is_roadmap_header(roles):
            continue
        if i + 1 < len(rows) and _is_subheader(row, rows[i + 1], width):
            below = grid_texts(rows[i + 1], width)
            texts = [collapse(f"{a} {b}") if a != b else collapse(a) for a, b in zip(_spread(row, width), below)]
            header = Header(i, i + 2, texts, header_roles(texts))
        else:
            header = Header(i, i + 1, texts, roles, spans)
        _number_column_by_content(table, header)
        return header
    return None


def _number_column_by_content(table: Table, header: Header) -> None:
    """A first column with an unreadable or blank header (a «№» lost by OCR)
    whose cells are mostly item numbers is the number column."""
    if "number" in header.roles or header.roles[0] != "other" or len(collapse(header.texts[0])) > 3:
        return
    firsts = [collapse(_RowView.of(r, header.spans).texts[0]) for r in table.rows[header.end :]]
    filled = [t for t in firsts if t]
    if filled and sum(1 for t in filled if _ITEM_NUMBER.match(t.strip(" _‚,'`"))) >= 0.6 * len(filled):
        header.roles[0] = "number"


@dataclass(slots=True)
class _RowView:
    """A row read by the header's columns: per column the text of the cells
    that fall in it, the first such cell, whether it lies under a cell merged
    down, and how many columns that cell covers."""

    texts: list[str]
    cells: list[Cell | None]
    covered: list[bool]
    widths: list[int]

    @classmethod
    def of(cls, row: Row, spans: list[tuple[int, int]], roles: list[str] | None = None) -> "_RowView":
        n = len(spans)
        texts: list[list[str]] = [[] for _ in range(n)]
        cells: list[Cell | None] = [None] * n
        covered = [False] * n
        widths = [0] * n
        pos = 0
        # A row cut into as many cells as the header is read cell by cell,
        # whatever its borders (Word rows whose cells drift from the header's).
        by_order = len(row.cells) == n
        for k, cell in enumerate(row.cells):
            if by_order:
                col, width = min(k, n - 1), 1
            else:
                col = next((c for c, (a, b) in enumerate(spans) if a <= pos < b), n - 1)
                covers = [c for c, (a, _) in enumerate(spans) if pos <= a < pos + cell.col_span]
                width = max(1, len(covers))
                if roles and len(covers) > 1 and roles[col] == "number":
                    # «1. Соблюдение режима дня» over the № and activity
                    # columns: the activity, its number typed in it.
                    col = next((c for c in covers if roles[c] == "activity"), col)
            if cells[col] is None:
                cells[col], covered[col], widths[col] = cell, cell.covered, width
            elif not cell.covered:
                covered[col] = False
            if collapse(cell.text):
                texts[col].append(cell.text)
            pos += cell.col_span
        return cls(["\n".join(t) for t in texts], cells, covered, widths)


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


def typed_number(text: str) -> tuple[str | None, str]:
    """(«1.», the rest) for an activity that opens with its own number;
    (None, text) otherwise, and for a cell listing several numbered points
    («1. О готовности …» / «2. О плане …»), whose numbers are the points'."""
    stripped = text.strip()
    m = _TYPED_NUMBER.match(stripped)
    if not m or _DATE_START.match(stripped):
        return None, text
    later = [line for line in stripped.split("\n")[1:] if _TYPED_NUMBER.match(line.strip())]
    if later or re.search(r"\s\d{1,3}\.\s+[А-ЯЁ]", collapse(stripped[m.end() :])):
        return None, text
    return m.group("num"), stripped[m.end() :]


def _starts_lower(text: str) -> bool:
    first = re.search(r"[^\W\d_]", text)
    return bool(first) and first.group(0).islower() and not re.match(r"^[\"«(]", text.strip())


class _Reader:
    """Reads the rows of one roadmap, from one table or from several that
    continue each other."""

    def __init__(self, header: Header, abbreviations: list[str], names: list[str]):
        self.header = header
        self.roles = header.roles
        self.columns = [
            Column(index=i, header=repair_inline(h), role=r) for i, (h, r) in enumerate(zip(header.texts, header.roles))
        ]
        self.number_col = self.roles.index("number") if "number" in self.roles else None
        self.activity_col = self.roles.index("activity") if "activity" in self.roles else None
        # Columns with neither a header nor a role (a phantom grid column
        # beyond the printed table) do not decide what a row is.
        self.phantom = {i for i, (t, r) in enumerate(zip(header.texts, self.roles)) if not collapse(t) and r == "other"}
        self.live = len(self.roles) - len(self.phantom)
        self.abbreviations = abbreviations
        self.names = names
        self.sections: list[Section] = []
        self.drafts: list[_Draft] = []
        self.current_section: str | None = None
        self.merged_down: dict[int, str] = {}  # column → text of a cell merged over the rows below

    def feed(self, table: Table, start: int, header_rows: list[Row], by_order: bool = False) -> None:
        # A continuing table of another grid: the roadmap's columns laid over
        # its width in proportion (a row of as many cells is read in order).
        spans = _scaled([(i, i + 1) for i in range(len(self.roles))], table.n_columns) if by_order else self.header.spans
        for row in table.rows[start:]:
            if any(same_row(row, h) for h in header_rows) or is_column_number_row(row):
                continue
            self._row(row, _RowView.of(row, spans, roles=self.roles))

    def _row(self, row: Row, view: _RowView) -> None:
        texts, covered = view.texts, view.covered
        for col, cell in enumerate(view.cells):
            if cell is not None and not cell.covered:
                if cell.row_span > 1:
                    self.merged_down[col] = cell.text
                else:
                    self.merged_down.pop(col, None)
        # A section row ends the item above: what follows it starts anew.
        prev = self.drafts[-1] if self.drafts and self.drafts[-1].section == self.current_section else None
        kind = self._classify(row, view, prev)
        if kind == "empty":
            return
        if kind == "section":
            if self.number_col is not None and collapse(texts[self.number_col]) and _is_number(texts[self.number_col]):
                rest = next(texts[i] for i in range(len(texts)) if i != self.number_col and collapse(texts[i]))
                section = _section(rest, row, number=collapse(texts[self.number_col]))
            else:
                raw = next(t for t in texts if collapse(t))
                section = _section(raw, row)
            self.sections.append(section)
            self.current_section = collapse(f"{section.number or ''} {section.title}")
        elif kind == "continuation" and prev is not None:
            prev.cells = [join_fragments(a, b) if collapse(b) else a for a, b in zip(prev.cells, texts)]
            prev.extra_rows.append(row)
            _note_confidence(prev, view)
        else:
            # A deadline or party written once for a run of items applies to each.
            inherited = [self.merged_down.get(col, "") if covered[col] else t for col, t in enumerate(texts)]
            self.drafts.append(_Draft(cells=inherited, row=row, section=self.current_section))
            _note_confidence(self.drafts[-1], view)

    def _classify(self, row: Row, view: _RowView, prev: _Draft | None) -> str:
        """item, section, continuation or empty."""
        texts, covered = view.texts, view.covered
        number_col, activity_col = self.number_col, self.activity_col
        if number_col is not None and covered[number_col] and prev is not None:
            return "continuation"  # the № cell is merged down: still the same item
        filled = [i for i, t in enumerate(texts) if collapse(t) and i not in self.phantom]
        if not filled:
            return "empty"
        number = collapse(texts[number_col]) if number_col is not None else ""
        lone = len({collapse(texts[i]) for i in filled}) == 1
        if number and _is_number(number):
            others = [i for i in filled if i != number_col]
            # «1.» and one title spanning the rest of the row: a numbered section.
            if len(others) == 1 and view.widths[others[0]] >= max(2, self.live - 1):
                return "section"
            return "item"
        if number:
            # «1. Организационно-аналитические мероприятия», «2020 год» in the № column
            return "section" if lone else "item"
        first = filled[0]
        cell = view.cells[first]
        # Where there is no № column, the activity cell alone is an item
        # whose other cells are empty, not a heading.
        may_head = number_col is not None or first != activity_col
        spans_width = cell is not None and view.widths[first] > 1 and view.widths[first] >= self.live - 1
        bold = cell is not None and cell.bold
        if lone and (spans_width or (may_head and (bold or first == 0))):
            return "section"
        if prev is None:
            return "item" if not lone or not may_head else "section"
        activity = texts[activity_col] if activity_col is not None else ""
        if activity_col is None or covered[activity_col] or not collapse(activity):
            return "continuation"
        if typed_number(activity)[0] is not None:
            return "item"
        prev_activity = collapse(prev.cells[activity_col])
        ended = not prev_activity or prev_activity.endswith(_TERMINAL)
        if number_col is not None:
            # An empty № cell: a page break or a wrapped row goes on; a new
            # activity with its own deadline or party after a finished one is
            # an item of its own.
            if row.after_page_break or _starts_lower(activity):
                return "continuation"
            if lone:
                return "section" if ended else "continuation"
            own = any(collapse(texts[i]) for i, r in enumerate(self.roles) if r in {"deadline", "responsible"})
            return "item" if ended and own else "continuation"
        if not ended and _starts_lower(activity):
            return "continuation"
        if not ended and row.after_page_break:
            # A row a page break cut goes on in lower case, or with nothing of
            # its own beside it; a new activity with its own party or
            # deadline, in capitals, is an item even at the top of a page.
            own = any(
                collapse(texts[i]) and not covered[i] and not _starts_lower(texts[i])
                for i, r in enumerate(self.roles) if r in {"deadline", "responsible"}
            )
            return "item" if own else "continuation"
        return "item"

    def roadmap(self, title: str | None, appendix: int | None, table: Table) -> Roadmap:
        items = [_item(d, self.roles, self.columns, self.abbreviations, self.names) for d in self.drafts]
        loc = Location(page=table.source.page, line=table.source.line)
        return Roadmap(title=title, appendix=appendix, columns=self.columns, sections=self.sections, items=items, location=loc)


def _scaled(spans: list[tuple[int, int]], width: int) -> list[tuple[int, int]]:
    """The columns of a roadmap laid over a continuing table of another grid
    width, in proportion."""
    total = spans[-1][1] if spans else 1
    out = []
    for a, b in spans:
        out.append((round(a * width / total), max(round(a * width / total) + 1, round(b * width / total))))
    return out


def _note_confidence(draft: _Draft, view: _RowView) -> None:
    for col, (cell, text) in enumerate(zip(view.cells, view.texts)):
        if cell is not None and cell.confidence is not None and text.strip():
            draft.confidence[col] = min(draft.confidence.get(col, 100.0), cell.confidence)


def section_title(text: str) -> str:
    """The heading of a section row: its lines up to a label («Цель:») or a
    list line that describes the section."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    kept: list[str] = []
    for line in lines:
        if kept and _LABEL_LINE.match(line):
            break
        kept.append(line)
    return repair_inline("\n".join(kept))


def _section(text: str, row: Row, number: str | None = None) -> Section:
    loc = Location(page=row.source.page, line=row.source.line, row=row.source.row)
    title = section_title(text)
    if number is not None:
        return Section(number=number, title=title, location=loc)
    m = _SECTION_NUMBER.match(title)
    if m:
        return Section(number=m.group("num"), title=(m.group("title") or m.group("tight")).strip(), location=loc)
    return Section(number=None, title=title, location=loc)


class RoadmapTable:
    """One roadmap being read: started from a table with a header, fed with
    the tables that go on with it."""

    def __init__(self, table: Table, header: Header, abbreviations: list[str], names: list[str]):
        self.first = table
        self.reader = _Reader(header, abbreviations, names)
        self.header_rows = table.rows[header.start : header.end]
        self.reader.feed(table, header.end, self.header_rows)

    def continue_with(self, table: Table) -> None:
        """A table with no header of its own, right after this one."""
        self.reader.feed(table, 0, self.header_rows, by_order=table.n_columns != sum(b - a for a, b in self.reader.header.spans))

    def roadmap(self, title: str | None, appendix: int | None) -> Roadmap:
        return self.reader.roadmap(title, appendix, self.first)


def read_roadmap(
    table: Table,
    header: Header,
    title: str | None,
    appendix: int | None,
    known_abbreviations: list[str],
    known_names: list[str],
) -> Roadmap:
    return RoadmapTable(table, header, known_abbreviations, known_names).roadmap(title, appendix)


def _item(d: _Draft, roles: list[str], columns: list[Column], abbreviations: list[str], names: list[str]) -> Item:
    item = Item(section=d.section, location=Location(page=d.row.source.page, line=d.row.source.line, row=d.row.source.row))
    for col, value in d.confidence.items():
        role = roles[col] if col < len(roles) else "other"
        item.confidence[role] = round(min(item.confidence.get(role, 100.0), value), 1)
    descriptions, results = [], []
    for text, role, column in zip(d.cells, roles, columns):
        if role == "number":
            item.number = collapse(text) or None
        elif role == "activity":
            item.activity = text
        elif role == "description":
            descriptions.append(repair_inline(text))
        elif role == "deadline":
            value = repair_inline(text)
            if value:
                item.deadline = Deadline(text=value) if item.deadline is None else Deadline(text=f"{item.deadline.text}; {value}")
        elif role == "responsible":
            for party in split_parties(text, abbreviations, names):
                if party not in [p.text for p in item.responsibles]:
                    item.responsibles.append(Party(text=party))
        elif role == "result":
            results.append(repair_inline(text))
        elif collapse(text):
            item.extra[column.header or f"column {column.index + 1}"] = repair_inline(text)
    if item.number is None:
        number, rest = typed_number(item.activity)
        if number is not None:
            item.number, item.activity = number, rest
    item.activity = repair_inline(item.activity)
    item.description = "\n".join(t for t in descriptions if t) or None
    item.result = "\n".join(t for t in results if t) or None
    return item
