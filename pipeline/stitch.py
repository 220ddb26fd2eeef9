"""Stitch tables that a page break cut into fragments.

Readers of paged input (PDF, and text converted from paged documents) emit one
table fragment per page.  Two fragments are one table when nothing but page
furniture stands between them (a page number, «Продолжение таблицы»), they
have the same number of columns and, when known, the same column edges.
On joining, the repeated header rows and column-number rows («1 2 3 4 5») at
the top of the later fragment are dropped, and its first row is marked
``after_page_break`` so that structure recovery can decide whether it goes on
with the item above (a row whose number cell is empty).

Nothing here knows about roadmaps; this is layout only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.layout import Block, Paragraph, Row, Table
from pipeline.lang.words import collapse, join_fragments, join_letter_spaced


@dataclass(frozen=True, slots=True)
class StitchSettings:
    # Largest difference, in points, between matching column edges of two
    # fragments for them to count as one table.
    edge_tolerance: float = 6.0
    # Header rows looked at on the first fragment (a header and a
    # column-number row).
    max_header_rows: int = 2


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


def _same_grid(a: Table, b: Table, settings: StitchSettings) -> bool:
    if a.n_columns != b.n_columns:
        return False
    if a.column_edges and b.column_edges:
        if len(a.column_edges) != len(b.column_edges):
            return False
        return all(abs(x - y) <= settings.edge_tolerance for x, y in zip(a.column_edges, b.column_edges))
    return True


def _append_fragment(table: Table, fragment: Table, settings: StitchSettings) -> None:
    headers = table.rows[: settings.max_header_rows]
    rows = list(fragment.rows)
    while rows and (any(same_row(rows[0], h) for h in headers) or is_column_number_row(rows[0])):
        rows.pop(0)
    if rows:
        rows[0].after_page_break = True
    table.rows.extend(rows)


def stitch_tables(blocks: list[Block], settings: StitchSettings = StitchSettings()) -> list[Block]:
    """The blocks with every run of page fragments of one table joined."""
    out: list[Block] = []
    pending: list[Paragraph] = []  # furniture seen since the last table
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
        if isinstance(last, Table) and _same_grid(last, block, settings):
            _append_fragment(last, block, settings)
        else:
            out.extend(pending)
            out.append(block)
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
