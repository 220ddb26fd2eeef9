"""Stitch tables that a page break cut into fragments.

Readers of paged input (PDF, and text converted from paged documents) emit one
table fragment per page.  Two fragments are one table when nothing but page
furniture stands between them (a page number, «Продолжение таблицы»), and
they have the same columns: the same number and, when known, the same
column edges — or, when a page lost a rule or gained a stray one, the same
outer edges and most inner edges in common; the later fragment's cells are
then put on the first fragment's columns (the columns are agreed across the
whole table, not page by page).
On joining, the repeated header rows and column-number rows («1 2 3 4 5») at
the top of the later fragment are dropped, and its first row is marked
``after_page_break`` so that structure recovery can decide whether it goes on
with the item above (a row whose number cell is empty).  A cell merged down
over rows that a page break cut goes on in the empty cell at the top of the
next page: that cell is marked ``covered``, so the text above applies to it.

Nothing here knows about roadmaps; this is layout only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.lang.words import collapse, join_fragments, join_letter_spaced
from pipeline.layout import Block, Cell, Paragraph, Row, Table


@dataclass(frozen=True, slots=True)
class StitchSettings:
    # Largest difference, in points, between matching column edges of two
    # fragments for them to count as one table.
    edge_tolerance: float = 6.0
    # Header rows looked at on the first fragment (a header and a
    # column-number row).
    max_header_rows: int = 2
    # A later fragment whose outer edges match and whose inner edges are
    # all, but for this many, among the table's (or the other way round) is
    # the same table with a rule lost or a stray one drawn.
    max_odd_edges: int = 2


_FURNITURE = re.compile(
    r"^(?:[-–—]?\s*\d{1,4}\s*[-–—]?|(?:стр\.?|страница)\s*\d+(?:\s*(?:из|/)\s*\d+)?"
    r"|продолжение(?:\s+(?:таблицы|приложения|табл\.))?.*)$",
    re.IGNORECASE,
)


def is_page_furniture(paragraph: Paragraph) -> bool:
    """A page number or a «Продолжение таблицы …» line between fragments."""
    text = collapse(paragraph.text)
    return not text or bool(_FURNITURE.match(text))


def row_key(row: Row) -> tuple[str, ...]:
    return tuple(collapse(c.text).lower() for c in row.cells)


def _letters(row: Row) -> str:
    return "".join(ch for c in row.cells for ch in c.text.lower() if ch.isalpha())


# Rows as alike as this (rapidfuzz ratio over their letters) are the same row
# printed again: OCR reads a repeated header a little differently each page.
SAME_ROW_RATIO = 90.0


def same_row(a: Row, b: Row) -> bool:
    """The same header row, letter for letter, or nearly so when read by OCR."""
    if row_key(a) == row_key(b):
        return True
    if not any(c.confidence is not None for c in [*a.cells, *b.cells]):
        return False
    from rapidfuzz import fuzz

    left, right = _letters(a), _letters(b)
    return bool(left) and fuzz.ratio(left, right) >= SAME_ROW_RATIO


def is_column_number_row(row: Row) -> bool:
    """«1 | 2 | 3 | 4 | 5»: the numbers of the columns, in order (the first
    may be missing: OCR drops a lone «1» in a narrow cell)."""
    texts = [collapse(c.text).rstrip(".") for c in row.cells]
    if len(texts) >= 3 and texts[0] == "" and texts[1] == "2":
        texts[0] = "1"
    if len(texts) < 2 or not all(t.isdigit() for t in texts):
        return False
    return [int(t) for t in texts] == list(range(int(texts[0]), int(texts[0]) + len(texts)))


def _columns(table: Table) -> int:
    if table.column_edges:
        return len(table.column_edges) - 1
    return table.n_columns


def _near(x: float, edges: list[float], tolerance: float) -> bool:
    return any(abs(x - e) <= tolerance for e in edges)


def _grid_relation(a: Table, b: Table, settings: StitchSettings, a_columns: int | None = None) -> str | None:
    """"same" when ``b`` has ``a``'s columns, "remap" when it has the same
    outer edges and all but a few of its inner edges in common (a rule lost
    or a stray one), None when it is another table.  ``a_columns``: ``a``'s
    column count when the caller knows it (a table growing page by page is
    not counted again over all its rows at each page)."""
    if not (a.column_edges and b.column_edges):
        return "same" if (a_columns if a_columns is not None else _columns(a)) == b.n_columns else None
    ea, eb = a.column_edges, b.column_edges
    tol = settings.edge_tolerance
    if len(ea) == len(eb) and all(abs(x - y) <= tol for x, y in zip(ea, eb)):
        return "same"
    if abs(ea[0] - eb[0]) > tol or abs(ea[-1] - eb[-1]) > tol:
        return None
    stray = sum(not _near(x, ea, tol) for x in eb[1:-1])
    lost = sum(not _near(x, eb, tol) for x in ea[1:-1])
    if stray + lost == 0 or stray > settings.max_odd_edges or lost > settings.max_odd_edges:
        return None
    # Most columns must be shared, or these are two tables that merely share a width.
    shared = len(ea) - 2 - lost
    return "remap" if shared >= max(1, (len(ea) - 2) // 2) else None


def _remap(fragment: Table, edges: list[float]) -> None:
    """Put the fragment's cells on the table's columns: a cell covers the
    columns whose middles fall within it; cells that a stray rule cut out of
    one column are joined back into one."""
    source = fragment.column_edges or []
    middles = [(a + b) / 2 for a, b in zip(edges, edges[1:])]
    for row in fragment.rows:
        placed: list[tuple[int, int, Cell]] = []  # first column, span, cell
        col = 0
        for cell in row.cells:
            x0, x1 = source[col], source[min(col + cell.col_span, len(source) - 1)]
            col += cell.col_span
            inside = [i for i, m in enumerate(middles) if x0 <= m <= x1]
            if not inside:  # a sliver of a column: it belongs to the nearest one
                centre = (x0 + x1) / 2
                inside = [min(range(len(middles)), key=lambda i: abs(middles[i] - centre))]
            first, span = inside[0], inside[-1] - inside[0] + 1
            if placed and placed[-1][0] + placed[-1][1] > first:
                previous = placed[-1][2]
                text = " ".join(t for t in (previous.text, cell.text) if t)
                previous.text = text
                previous.covered = previous.covered and cell.covered
                continue
            cell.col_span = span
            placed.append((first, span, cell))
        cells: list[Cell] = []
        at = 0
        for first, span, cell in placed:
            cells.extend(Cell(text="") for _ in range(first - at))
            cells.append(cell)
            at = first + span
        cells.extend(Cell(text="") for _ in range(len(middles) - at))
        row.cells = cells
    fragment.column_edges = list(edges)


# Rows above a page break looked at for cells merged down.
MERGE_LOOKBACK_ROWS = 60


def _merging_columns(table: Table) -> set[int]:
    """Grid columns holding a cell merged down over rows (among the last rows
    before the break, so that a long table is not read again at each page)."""
    columns: set[int] = set()
    for row in table.rows[-MERGE_LOOKBACK_ROWS:]:
        col = 0
        for cell in row.cells:
            if cell.row_span > 1 or cell.covered:
                columns.add(col)
            col += cell.col_span
    return columns


def _continue_merged_cells(table: Table, first: Row, merging: set[int]) -> None:
    """An empty cell at the top of a new page, in a column whose cells are
    merged down over rows, goes on with the cell above the page break."""
    if not any(c.text.strip() for c in first.cells):
        return
    col = 0
    for cell in first.cells:
        if col in merging and not cell.text.strip() and not cell.covered and cell.col_span == 1:
            cell.covered = True
        col += cell.col_span


def _append_fragment(table: Table, fragment: Table, settings: StitchSettings, relation: str = "same") -> None:
    if relation == "remap" and table.column_edges:
        _remap(fragment, table.column_edges)
    headers = table.rows[: settings.max_header_rows]
    rows = list(fragment.rows)
    while rows and (any(same_row(rows[0], h) for h in headers) or is_column_number_row(rows[0])):
        rows.pop(0)
    if rows:
        rows[0].after_page_break = True
        _continue_merged_cells(table, rows[0], _merging_columns(table))
    table.rows.extend(rows)


def stitch_tables(blocks: list[Block], settings: StitchSettings = StitchSettings()) -> list[Block]:
    """The blocks with every run of page fragments of one table joined."""
    out: list[Block] = []
    pending: list[Paragraph] = []  # furniture seen since the last table
    # The column count of the table at the end of ``out``: a fragment joined
    # to it has the same count, so it is counted once, when the table starts.
    last_columns: int | None = None
    for block in blocks:
        if isinstance(block, Paragraph):
            if out and isinstance(out[-1], Table) and is_page_furniture(block):
                pending.append(block)
                continue
            out.extend(pending)
            pending = []
            out.append(block)
            continue
        last = out[-1] if out else None
        relation = _grid_relation(last, block, settings, last_columns) if isinstance(last, Table) else None
        if relation is not None:
            _append_fragment(last, block, settings, relation)
        else:
            out.extend(pending)
            out.append(block)
            last_columns = _columns(block)
        pending = []
    out.extend(p for p in pending if collapse(p.text))
    return out


# A paragraph cut by a page break ran to the page's end: it is body text,
# longer than requisites like «Приказ» or «УПРАВЛЕНИЕ …».
MIN_BROKEN_PARAGRAPH = 80
_LIST_ITEM = re.compile(r"^\s*(?:[-–—•*]\s|\d+(?:\.\d+)*[.)]\s|[а-яa-z]\)\s)")


def _across_page_break(prev: Paragraph, block: Paragraph) -> bool:
    """Where pages are known, only a page break cuts a paragraph in two;
    without pages (text conversions) any blank line may be one."""
    if prev.source.page is None or block.source.page is None:
        return True
    return block.source.page > prev.source.page


def join_split_paragraphs(blocks: list[Block]) -> list[Block]:
    """Join a paragraph that a page break cut in two: the first part is body
    text (not a short heading line like «Приказ») ending without closing
    punctuation, and the second starts in lower case."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (
            isinstance(block, Paragraph)
            and isinstance(prev, Paragraph)
            and block.text[:1].islower()
            and " " in join_letter_spaced(block.text.strip())  # a lone word is a label («п р и к а з ы в а ю:»)
            and _across_page_break(prev, block)
            and len(prev.text) >= MIN_BROKEN_PARAGRAPH
            and not _LIST_ITEM.match(block.text)
            and not prev.text.rstrip().endswith((".", ":", ";", "!", "?", "»", ")"))
            and not prev.bold
            and not block.bold
            and prev.align == block.align
        ):
            prev.text = join_fragments(prev.text, block.text)
            continue
        out.append(block)
    return out
