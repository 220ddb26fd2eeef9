"""The common layout model between readers and structure recovery.

Every reader (text, DOCX, PDF) turns its input into a :class:`Layout`: a
sequence of blocks in reading order, each a :class:`Paragraph` or a
:class:`Table`, each knowing where it came from.  Later stages see only this
model, so a new input format is a new reader and nothing else.

Text is kept as printed.  Line boundaries inside a paragraph or a cell are
kept as ``"\\n"`` because they carry meaning (parties written one per line,
heading requisites); repairs of conversion scars happen later.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Literal, Union

Alignment = Literal["left", "center", "right", "justify"]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a block came from: page (1-based, when the format has pages),
    line (1-based line of a text file, or the block's index in a DOCX body)
    and, for a table row of a DOCX, the row (1-based, as in the file)."""

    page: int | None = None
    line: int | None = None
    row: int | None = None


@dataclass(slots=True)
class Paragraph:
    text: str
    source: Source = Source()
    bold: bool = False
    align: Alignment | None = None
    # The rendered number of an automatically numbered paragraph (Word's
    # numbering), when the number is not part of ``text``.
    list_label: str | None = None
    # Mean OCR word confidence (0–100) for text read from an image; None otherwise.
    confidence: float | None = None

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


@dataclass(slots=True)
class Cell:
    text: str
    bold: bool = False
    # Columns this cell covers (Word's gridSpan); merged copies are not repeated.
    col_span: int = 1
    # Rows this cell covers from here down (Word's vMerge, a PDF cell with no
    # rule under it).
    row_span: int = 1
    # This grid position lies under a cell merged down from a row above; its
    # text is empty and the text above applies to it.
    covered: bool = False
    # Mean OCR word confidence (0–100) for text read from an image; None otherwise.
    confidence: float | None = None


@dataclass(slots=True)
class Row:
    cells: list[Cell]
    source: Source = Source()
    # The row is the first one after a page break of a table that goes on
    # from the previous page (set by stitching).
    after_page_break: bool = False

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    def is_empty(self) -> bool:
        return all(not c.text.strip() for c in self.cells)


@dataclass(slots=True)
class Table:
    rows: list[Row]
    source: Source = Source()
    # x positions of the column edges, when the reader knows them (PDF);
    # used to decide whether two page fragments belong to one table.
    column_edges: list[float] | None = None

    @property
    def n_columns(self) -> int:
        return max((sum(c.col_span for c in r.cells) for r in self.rows), default=0)


Block = Union[Paragraph, Table]


@dataclass(slots=True)
class Layout:
    """A read document: its blocks in reading order plus what is known of the file."""

    path: str
    format: str
    blocks: list[Block] = field(default_factory=list)
    pages: int | None = None

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


def nfc(layout: Layout) -> Layout:
    """Every text of the layout in Unicode NFC, with symbol-font glyphs as
    what they print.  A text exported on a Mac or by some converters spells
    «й» as «и» + U+0306: it looks the same, but the dictionary does not know
    the word and two spellings of one party do not match; a bullet typed in
    the Symbol font comes out as U+F0B7 («•» on the page).  Neither changes a
    character a reader sees."""
    from pipeline.lang.data import load

    symbols = str.maketrans(load("symbols")["private_use"])

    def norm(text: str | None) -> str | None:
        if not text or text.isascii():
            return text
        return unicodedata.normalize("NFC", text).translate(symbols)

    for block in layout.blocks:
        if isinstance(block, Paragraph):
            block.text = norm(block.text)
            block.list_label = norm(block.list_label)
        else:
            for row in block.rows:
                for cell in row.cells:
                    cell.text = norm(cell.text)
    return layout
