"""Reader for PDF files with a text layer (pdfplumber).

A PDF knows glyphs and rules, not paragraphs and tables; this reader
rebuilds them the way a reader's eye does:

* tables come from ruling lines (pdfplumber's ``find_tables``, lines
  strategy); the cell grid is rebuilt from the cells' edges, so a cell merged
  across columns is one :class:`Cell` with ``col_span``, and a cell with no
  rule under it spans rows (``row_span``, ``covered`` cells below);
* the words outside tables are grouped into lines (words whose boxes overlap
  vertically) and lines into paragraphs: a new paragraph starts at a gap
  clearly larger than the page's line gap, at a first-line indent, at a list
  number («1.», «3.1.», «1)», «- »), at a change of alignment, boldness or
  font size, and after the short last line of a justified paragraph;
* a line break is kept as ``"\n"`` where the writer made it and a wrapped
  line is joined with a space (the next word would not have fitted on the
  line: see :func:`line_break`), so parties typed one per line stay lines
  while a name that merely wrapped stays whole; a line ending in a hyphen
  keeps its ``"\n"`` for the dictionary repair of later stages
  (:func:`pipeline.lang.words.join_fragments`).  ``PdfSettings(line_breaks=
  "printed")`` keeps every printed line instead;
* running headers and footers (blocks set off at the top or bottom edge,
  repeating at one height on most pages, digits aside), page numbers and
  «Продолжение таблицы …» lines are dropped;
* table fragments of consecutive pages are joined and page-broken paragraphs
  rejoined by :mod:`pipeline.stitch`, as for every paged input.

``Source(page, line)``: the page (1-based) and the place on it, counting
lines outside tables and table rows together from the top (1-based); a
table's line is its first row's.

Pages are read one at a time and released (``page.close()``), so memory
follows the page, not the document; what is kept of a page is its lines and
tables as text.
"""

from __future__ import annotations

import logging
import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.psexceptions import PSEOF
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.errors import InputError, NoTextLayer
from pipeline.limits import limits
from pipeline.lang.words import collapse, normalize_spaces
from pipeline.layout import Alignment, Block, Cell, Layout, Paragraph, Row, Source, Table
from pipeline.stitch import join_split_paragraphs, stitch_tables

# pdfminer reports every quirk it recovers from as a log record; without a
# handler Python prints them on stderr (171 lines for one damaged file).
# What matters reaches the user as the reader's own error.
for _name in ("pdfminer", "pdfplumber"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass(frozen=True, slots=True)
class PdfSettings:
    """Tolerances of the reader, in PDF points (1/72 inch) unless told.

    The defaults suit office documents (Word, LibreOffice exports) of
    10–14 pt type; each says what it separates."""

    # -- words and lines --
    # Largest gap between two glyphs of one word.  Word gaps are a space wide
    # (≈ 0.25 em, 2.5–3.5 pt at 10–14 pt); kerning gaps are well under 1 pt.
    x_tolerance: float = 1.5
    # Vertical distance within which glyphs count as one word's line.
    y_tolerance: float = 3.0
    # Words are on one line when their boxes overlap vertically by at least
    # this share of the lower word's height (superscripts still overlap).
    line_overlap: float = 0.5

    # What a line break in a paragraph or a cell stands for: "printed" keeps
    # every printed line ("\n" at each); "typed" keeps only the breaks the
    # writer made (the next word would have fitted on the line) and joins
    # lines that wrapped with a space, as a word processor shows them.
    line_breaks: Literal["printed", "typed"] = "typed"
    # Width of a space, in font sizes (Times ≈ 0.25 em).
    space_width: float = 0.25
    # A next word that would have fitted with less to spare than this is
    # taken not to fit (padding and glyph boxes are measured, not known).
    fit_tolerance: float = 3.0
    # Largest cell padding (Word and LibreOffice: 0.19 cm ≈ 5.4 pt).
    max_cell_padding: float = 6.0

    # -- tables (pdfplumber's ``table_settings``, lines strategy) --
    snap_tolerance: float = 3.0
    join_tolerance: float = 3.0
    intersection_tolerance: float = 3.0
    edge_min_length: float = 3.0
    # Cell edges closer than this are one grid line (double rules, rounding).
    grid_tolerance: float = 2.0
    # A "table" of fewer cells is a frame around text (a box, a page border).
    min_table_cells: int = 2

    # -- paragraphs --
    # A line gap larger than the page's usual line gap by this share of the
    # line height starts a new paragraph (a blank line is ≈ 1.15, spacing of
    # 6 pt after a 14 pt paragraph ≈ 0.43).
    paragraph_gap: float = 0.3
    # Font sizes further apart than this are different paragraphs.
    size_tolerance: float = 1.0
    # A line "touches" the left or right edge of the text area within this.
    edge_tolerance: float = 3.0
    # A line is centered when its middle is this close to the area's middle.
    center_tolerance: float = 6.0
    # A first-line indent is at least this deep and at most ``max_indent``
    # (1.25 cm ≈ 35 pt is the usual one).
    min_indent: float = 8.0
    max_indent: float = 72.0
    # A line starts at the pages' usual first-line indent within this (word
    # processors place it exactly).
    indent_tolerance: float = 1.0
    # A gap between words wider than this many font sizes is a tab stop's
    # jump, not a (stretched) space.
    tab_gap: float = 2.0
    # Lines sharing an x position that make it the text area's edge.
    min_edge_support: int = 2
    # Line gaps a page needs to judge its own line spacing; a page with
    # fewer takes that of all pages of its size.
    min_gap_samples: int = 4
    # Line spacing assumed when nothing shows it (single spacing).
    default_line_gap: float = 0.2

    # -- page furniture --
    # Depth of the strips along the top and bottom edges where running
    # headers, footers and page numbers stand, lines wholly inside (≈ 2 cm:
    # a header sits 1–1.5 cm from the edge, body text starts at the margin,
    # usually 2 cm; absolute, as margins are, whatever the page's size).
    margin_zone: float = 56.0
    # A line in the margin zone that repeats (digits aside) at the same
    # height on at least this share of the pages is a running header/footer.
    repeat_share: float = 0.5
    # "The same height" for a repeated line.
    repeat_position_tolerance: float = 4.0
    # A running header or footer is set off from the page's text by a gap
    # of at least this many line heights (the header distance); lines closer
    # together than that are one block.
    furniture_gap: float = 0.8
    # Longest line that can be a «Продолжение таблицы …» caption.
    max_continuation_caption: int = 80

    # -- scans and unreadable text --
    # Fewer visible characters per page than this, on average: a scan.
    min_chars_per_page: float = 20.0
    # More than this share of glyphs without a Unicode mapping ("(cid:12)"):
    # the text layer cannot be read.
    max_unmapped_share: float = 0.5

    def table_settings(self) -> dict[str, Any]:
        return {
            "vertical_strategy": "lines",
            "horizontal_strategy": "lines",
            "snap_tolerance": self.snap_tolerance,
            "join_tolerance": self.join_tolerance,
            "intersection_tolerance": self.intersection_tolerance,
            "edge_min_length": self.edge_min_length,
        }


DEFAULT_SETTINGS = PdfSettings()

ENCRYPTED = "PDF зашифрован"
SCANNED = "нет текстового слоя: PDF — это скан (нужно распознавание текста)"
UNMAPPED = "текст PDF не читается: у шрифтов нет таблицы символов (нужно распознавание текста)"


# --- Words and lines ----------------------------------------------------------

# Subset prefix «ABCDEF+» aside, a bold face says so in its name:
# "TimesNewRomanPS-BoldMT", "LiberationSerif-Bold", "Arial,Bold", "Arial-BoldItalicMT",
# "PTSerif-Bold", "Calibri-Bold", "Verdana-Bold", "MyriadPro-Semibold", "Arial Black".
_BOLD_FACE = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)


def is_bold_font(fontname: str) -> bool:
    return bool(_BOLD_FACE.search(fontname.split("+", 1)[-1]))


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float = 12.0
    bold: bool = False

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 0.1)

    @property
    def center(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.top + self.bottom) / 2


@dataclass(slots=True)
class Line:
    """One printed line: its text (words joined), box, type and its number
    among the page's lines and table rows (1-based, top to bottom)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    # The widest gap between two words: a tab stop's jump is far wider
    # than a space («15.03.2024          № 123-од»).
    widest_gap: float = 0.0
    # Width of the first word: whether it would have fitted on the line above.
    first_word_width: float = 0.0
    number: int = 0

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 0.1)


def join_words(words: Sequence[Word], space_gap: float) -> str:
    """Words of one line, left to right: a space where there is a gap.  Words
    that touch were cut apart only by a change of font (a bold letter, a
    superscript) and are one word."""
    parts: list[str] = []
    previous: Word | None = None
    for word in words:
        if previous is not None and word.x0 - previous.x1 > space_gap:
            parts.append(" ")
        parts.append(word.text)
        previous = word
    return "".join(parts)


def make_line(words: Sequence[Word], space_gap: float) -> Line:
    ordered = sorted(words, key=lambda w: w.x0)
    sizes = sorted(w.size for w in ordered)
    gaps = [b.x0 - a.x1 for a, b in zip(ordered, ordered[1:])]
    return Line(
        text=join_words(ordered, space_gap),
        x0=min(w.x0 for w in ordered),
        x1=max(w.x1 for w in ordered),
        top=min(w.top for w in ordered),
        bottom=max(w.bottom for w in ordered),
        size=sizes[len(sizes) // 2],
        bold=all(w.bold for w in ordered),
        widest_gap=max(gaps, default=0.0),
        first_word_width=first_word_width(ordered),
    )


def first_word_width(words: Sequence[Word]) -> float:
    """Width of the line's first word; words touching it (a change of font
    inside the word) are part of it."""
    end = words[0].x1
    for word in words[1:]:
        if word.x0 - end > 0.5:
            break
        end = word.x1
    return end - words[0].x0


def group_lines(words: Iterable[Word], settings: PdfSettings = DEFAULT_SETTINGS) -> list[Line]:
    """Words → lines, top to bottom: a word joins the line above it when their
    boxes overlap by ``line_overlap`` of the smaller height."""
    bands: list[list[Word]] = []
    band_top = band_bottom = 0.0
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if bands:
            overlap = min(band_bottom, word.bottom) - max(band_top, word.top)
            if overlap >= settings.line_overlap * min(word.height, band_bottom - band_top):
                bands[-1].append(word)
                band_top, band_bottom = min(band_top, word.top), max(band_bottom, word.bottom)
                continue
        bands.append([word])
        band_top, band_bottom = word.top, word.bottom
    return [make_line(band, settings.x_tolerance) for band in bands]


def line_break(line: Line, following: Line, room: float | None, settings: PdfSettings = DEFAULT_SETTINGS) -> str:
    """What stands in the text between two printed lines: "\n" where the
    writer broke the line.  With ``line_breaks="typed"``, a space where the
    line only wrapped — the next word would not have fitted in the ``room``
    left after it — and nothing after a soft hyphen.  A line ending in "-"
    keeps its "\n": a hyphenated word or a compound, for the dictionary
    repair of later stages to decide."""
    if settings.line_breaks == "printed" or room is None:
        return "\n"
    if line.text.endswith("\u00ad"):
        return ""
    if line.text.endswith("-"):
        return "\n"
    needed = settings.space_width * following.size + following.first_word_width
    return " " if needed > room - settings.fit_tolerance else "\n"


def lines_text(lines: Sequence[Line], rooms: Sequence[float] | None = None, settings: PdfSettings = DEFAULT_SETTINGS) -> str:
    """The lines as one text, each break as :func:`line_break` says (all
    "\n" without ``rooms``, the free width after each line)."""
    if not lines:
        return ""
    parts = [lines[0].text]
    for i, following in enumerate(lines[1:]):
        parts.append(line_break(lines[i], following, rooms[i] if rooms is not None else None, settings))
        parts.append(following.text)
    return normalize_spaces("".join(parts)).strip("\n")


# --- Tables -------------------------------------------------------------------


def cluster(values: Iterable[float], tolerance: float) -> list[float]:
    """Sorted values with every run of values closer than ``tolerance`` to
    its neighbour replaced by the run's mean."""
    groups: list[list[float]] = []
    for value in sorted(values):
        if groups and value - groups[-1][-1] <= tolerance:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [sum(g) / len(g) for g in groups]


def nearest_index(edges: Sequence[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


@dataclass(frozen=True, slots=True)
class GridCell:
    row: int
    col: int
    row_span: int
    col_span: int


@dataclass(frozen=True, slots=True)
class Grid:
    """A table's rows and columns: the edges and the cells placed on them."""

    xs: list[float]
    ys: list[float]
    cells: list[GridCell]

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1

    @property
    def bbox(self) -> BBox:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def owners(self) -> dict[tuple[int, int], int]:
        """Grid position → index of the cell covering it."""
        owner: dict[tuple[int, int], int] = {}
        for index, cell in enumerate(self.cells):
            for r in range(cell.row, cell.row + cell.row_span):
                for c in range(cell.col, cell.col + cell.col_span):
                    owner.setdefault((r, c), index)
        return owner

    def box(self, row: int, col: int, row_span: int = 1, col_span: int = 1) -> BBox:
        return self.xs[col], self.ys[row], self.xs[col + col_span], self.ys[row + row_span]

    def position(self, x: float, y: float) -> tuple[int, int]:
        """The grid position holding the point (clamped to the grid)."""
        row = min(max(bisect_right(self.ys, y) - 1, 0), self.n_rows - 1)
        col = min(max(bisect_right(self.xs, x) - 1, 0), self.n_cols - 1)
        return row, col


def build_grid(cell_boxes: Sequence[BBox], tolerance: float) -> Grid | None:
    """The grid of a table from its cells' boxes (pdfplumber's ``Table.cells``):
    the column edges are the cells' x edges, the row edges their y edges; a
    cell spans the edges between its own."""
    if not cell_boxes:
        return None
    xs = cluster((v for b in cell_boxes for v in (b[0], b[2])), tolerance)
    ys = cluster((v for b in cell_boxes for v in (b[1], b[3])), tolerance)
    if len(xs) < 2 or len(ys) < 2:
        return None
    cells: list[GridCell] = []
    taken: set[tuple[int, int]] = set()
    for x0, top, x1, bottom in sorted(cell_boxes, key=lambda b: (b[1], b[0])):
        c0, c1 = nearest_index(xs, x0), nearest_index(xs, x1)
        r0, r1 = nearest_index(ys, top), nearest_index(ys, bottom)
        if c1 <= c0 or r1 <= r0 or (r0, c0) in taken:
            continue  # a sliver between double rules, or a duplicate
        taken.add((r0, c0))
        cells.append(GridCell(row=r0, col=c0, row_span=r1 - r0, col_span=c1 - c0))
    return Grid(xs=xs, ys=ys, cells=cells) if cells else None


def cell_rooms(lines: Sequence[Line], box: BBox, settings: PdfSettings = DEFAULT_SETTINGS) -> list[float]:
    """Free width after each line of a cell.  The padding is read off the
    text's left edge (no more than ``max_cell_padding``) and taken to be the
    same on the right; centered cell lines are measured by width."""
    if not lines:
        return []
    padding = min(max(min(l.x0 for l in lines) - box[0], 0.0), settings.max_cell_padding)
    left, right = box[0] + padding, box[2] - padding
    middles = [(l.x0 + l.x1) / 2 for l in lines]
    centered = len(lines) > 1 and all(abs(m - (box[0] + box[2]) / 2) <= settings.center_tolerance for m in middles)
    if centered:
        return [(right - left) - (l.x1 - l.x0) for l in lines]
    return [right - l.x1 for l in lines]


def inside(point: tuple[float, float], box: BBox) -> bool:
    x, y = point
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def table_rows(grid: Grid, words: Iterable[Word], settings: PdfSettings = DEFAULT_SETTINGS) -> list[Row]:
    """The rows of a table: every word goes to the cell under its middle.
    A position under a cell merged down from above is a ``covered`` cell; a
    position no cell covers (a missing rule) is an ordinary cell of its own."""
    owner = grid.owners()
    found: dict[tuple[str, int] | tuple[str, int, int], list[Word]] = defaultdict(list)
    for word in words:
        r, c = grid.position(*word.center)
        index = owner.get((r, c))
        found[("cell", index) if index is not None else ("hole", r, c)].append(word)

    def make_cell(key: tuple[str, int] | tuple[str, int, int], box: BBox, **spans: int) -> Cell:
        cell_words = found.get(key, [])
        lines = group_lines(cell_words, settings)
        return Cell(
            text=lines_text(lines, cell_rooms(lines, box, settings), settings),
            bold=bool(cell_words) and all(w.bold for w in cell_words),
            **spans,
        )

    rows: list[Row] = []
    for r in range(grid.n_rows):
        cells: list[Cell] = []
        c = 0
        while c < grid.n_cols:
            index = owner.get((r, c))
            if index is None:
                cells.append(make_cell(("hole", r, c), grid.box(r, c)))
                c += 1
                continue
            cell = grid.cells[index]
            if cell.row == r:
                box = grid.box(r, c, cell.row_span, cell.col_span)
                cells.append(make_cell(("cell", index), box, col_span=cell.col_span, row_span=cell.row_span))
            else:
                cells.append(Cell(text="", col_span=cell.col_span, covered=True))
            c = cell.col + cell.col_span
        rows.append(Row(cells=cells))
    return rows


@dataclass(slots=True)
class PlacedTable:
    """A table on a page and where it stands."""

    table: Table
    top: float
    bottom: float


# --- One page -----------------------------------------------------------------


@dataclass(slots=True)
class PageContent:
    """What is kept of a page after it is released: its lines outside tables
    and its tables, top to bottom."""

    number: int
    width: float
    height: float
    items: list[Union[Line, PlacedTable]] = field(default_factory=list)
    visible_chars: int = 0
    unmapped_chars: int = 0

    @property
    def lines(self) -> list[Line]:
        return [item for item in self.items if isinstance(item, Line)]


@dataclass(slots=True)
class PageObjects:
    """What the reader takes from pdfplumber for one page."""

    width: float
    height: float
    words: list[Word]
    table_cells: list[list[BBox]]
    visible_chars: int
    unmapped_chars: int


def duplicate_glyphs(chars: Sequence[dict[str, Any]], tolerance: float = 1.0) -> set[int]:
    """ids of glyphs printed again over the same glyph (a "bold" made by
    printing twice, a doubled layer): same text, font and size, within
    ``tolerance`` of one kept.  Linear, unlike pdfplumber's ``dedupe_chars``,
    which sorts by ``list.index`` and is quadratic in a page's glyphs."""
    kept: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    duplicates: set[int] = set()
    for ch in chars:
        key = (ch["text"], ch.get("fontname"), round(float(ch.get("size", 0)), 1), ch.get("upright"))
        top, x0 = float(ch["top"]), float(ch["x0"])
        cell = (round(top / (2 * tolerance)), round(x0 / (2 * tolerance)))
        near = (
            other
            for dy in (-1, 0, 1)
            for dx in (-1, 0, 1)
            for other in kept.get((*key, cell[0] + dy, cell[1] + dx), ())
        )
        if any(abs(float(o["top"]) - top) <= tolerance and abs(float(o["x0"]) - x0) <= tolerance for o in near):
            duplicates.add(id(ch))
        else:
            kept[(*key, *cell)].append(ch)
    return duplicates


def page_objects(page: Any, settings: PdfSettings) -> PageObjects:
    """All pdfplumber calls on one page (the only code that parses the page)."""
    duplicates = duplicate_glyphs(page.chars)
    if duplicates:
        page = page.filter(lambda obj: id(obj) not in duplicates)
    chars = page.chars
    visible = sum(1 for ch in chars if ch["text"].strip())
    unmapped = sum(1 for ch in chars if ch["text"].startswith("(cid:"))
    raw_words = page.extract_words(
        x_tolerance=settings.x_tolerance,
        y_tolerance=settings.y_tolerance,
        keep_blank_chars=False,
        use_text_flow=False,
        extra_attrs=["fontname", "size"],
    )
    words = [
        Word(
            text=w["text"],
            x0=float(w["x0"]),
            x1=float(w["x1"]),
            top=float(w["top"]),
            bottom=float(w["bottom"]),
            size=float(w["size"]),
            bold=is_bold_font(w["fontname"]),
        )
        for w in raw_words
    ]
    tables = [
        [tuple(map(float, cell)) for cell in table.cells]
        for table in page.find_tables(settings.table_settings())
    ]
    return PageObjects(
        width=float(page.width),
        height=float(page.height),
        words=words,
        table_cells=tables,  # type: ignore[arg-type]
        visible_chars=visible,
        unmapped_chars=unmapped,
    )


def layout_page(number: int, objects: PageObjects, settings: PdfSettings = DEFAULT_SETTINGS) -> PageContent:
    """A page's lines and tables in vertical order, each numbered."""
    grids = [
        grid
        for cells in objects.table_cells
        if len(cells) >= settings.min_table_cells
        and (grid := build_grid(cells, settings.grid_tolerance)) is not None
        and (grid.n_rows > 1 or grid.n_cols > 1)
    ]
    table_words: list[list[Word]] = [[] for _ in grids]
    free_words: list[Word] = []
    for word in objects.words:
        for i, grid in enumerate(grids):
            if inside(word.center, grid.bbox):
                table_words[i].append(word)
                break
        else:
            free_words.append(word)

    units: list[Union[Line, Grid]] = [*group_lines(free_words, settings), *grids]
    units.sort(key=lambda u: u.top if isinstance(u, Line) else u.ys[0])
    words_of = {id(g): ws for g, ws in zip(grids, table_words)}

    content = PageContent(
        number=number,
        width=objects.width,
        height=objects.height,
        visible_chars=objects.visible_chars,
        unmapped_chars=objects.unmapped_chars,
    )
    counter = 0  # lines and table rows share one numbering
    for unit in units:
        if isinstance(unit, Line):
            counter += 1
            unit.number = counter
            content.items.append(unit)
            continue
        rows = table_rows(unit, words_of[id(unit)], settings)
        for row in rows:
            counter += 1
            row.source = Source(page=number, line=counter)
        table = Table(rows=rows, source=rows[0].source, column_edges=[round(x, 1) for x in unit.xs])
        content.items.append(PlacedTable(table=table, top=unit.ys[0], bottom=unit.ys[-1]))
    return content


# --- Page furniture -----------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?\d{1,4}(?:\s*[-–—])?$"
    r"|^(?:стр\.?|страница|лист)\s*\d{1,4}(?:\s*(?:из|/)\s*\d{1,4})?$"
    r"|^\d{1,4}\s*(?:из|/)\s*\d{1,4}$",
    re.IGNORECASE,
)
_CONTINUATION = re.compile(r"^продолжение\s+(?:таблицы|табл\.|приложения|прил\.)", re.IGNORECASE)


def is_page_number(text: str) -> bool:
    """«2», «- 2 -», «— 2 —», «Стр. 2 из 5», «Страница 2», «2/5»."""
    return bool(_PAGE_NUMBER.match(collapse(text)))


def is_continuation_caption(text: str, settings: PdfSettings = DEFAULT_SETTINGS) -> bool:
    """«Продолжение таблицы», «Продолжение приложения № 1»."""
    text = collapse(text)
    return len(text) <= settings.max_continuation_caption and bool(_CONTINUATION.match(text))


def furniture_key(text: str) -> str:
    """The text of a running line with its page-dependent digits masked."""
    return re.sub(r"\d+", "#", collapse(text).lower())


def in_margin_zone(line: Line, page_height: float, settings: PdfSettings = DEFAULT_SETTINGS) -> bool:
    return line.bottom <= settings.margin_zone or line.top >= page_height - settings.margin_zone


def edge_block(page: PageContent, from_top: bool, settings: PdfSettings = DEFAULT_SETTINGS) -> list[Line]:
    """The closely spaced lines at the very top (or bottom) of a page, in the
    margin zone and set off from what follows by a gap: where a running
    header (footer) stands.  An appendix heading at the top of a page runs
    on into the page's text and is no such block."""
    units = page.items if from_top else page.items[::-1]

    def in_zone(line: Line) -> bool:
        return line.bottom <= settings.margin_zone if from_top else line.top >= page.height - settings.margin_zone

    def gap(a: Line, b: Line | PlacedTable) -> float:
        return b.top - a.bottom if from_top else a.top - b.bottom

    block: list[Line] = []
    for unit in units:
        if not isinstance(unit, Line) or not in_zone(unit):
            break
        if block and gap(block[-1], unit) > settings.furniture_gap * min(unit.height, block[-1].height):
            break
        block.append(unit)
    if not block:
        return []
    after = units[len(block)] if len(block) < len(units) else None
    if after is not None and gap(block[-1], after) <= settings.furniture_gap * block[-1].height:
        return []
    return block if from_top else block[::-1]


def find_furniture(pages: Sequence[PageContent], settings: PdfSettings = DEFAULT_SETTINGS) -> set[tuple[int, int]]:
    """(page, line number) of the lines that are page furniture: running
    headers and footers (edge blocks repeating, digits aside, at the same
    height on most pages), page numbers in the margin zones and «Продолжение
    таблицы» captions anywhere."""
    dropped: set[tuple[int, int]] = set()
    # masked text of a block → (page, top, line numbers) of its occurrences
    seen: dict[tuple[str, ...], list[tuple[int, float, list[int]]]] = defaultdict(list)
    for page in pages:
        for line in page.lines:
            if is_continuation_caption(line.text, settings):
                dropped.add((page.number, line.number))
            elif in_margin_zone(line, page.height, settings) and is_page_number(line.text):
                dropped.add((page.number, line.number))
        for from_top in (True, False):
            block = edge_block(page, from_top, settings)
            if block:
                key = (("top",) if from_top else ("bottom",)) + tuple(furniture_key(l.text) for l in block)
                seen[key].append((page.number, block[0].top, [l.number for l in block]))
    needed = max(2, math.ceil(settings.repeat_share * len(pages)))
    for places in seen.values():
        tops = sorted(top for _, top, _ in places)
        middle = tops[len(tops) // 2]
        steady = [(p, numbers) for p, top, numbers in places if abs(top - middle) <= settings.repeat_position_tolerance]
        if len({p for p, _ in steady}) >= needed:
            dropped.update((p, n) for p, numbers in steady for n in numbers)
    return dropped


# --- Paragraphs ---------------------------------------------------------------

LineKind = Literal["full", "flush", "indent", "center", "right", "other"]
_BODY_KINDS = {"full", "flush", "indent"}

# A line that begins a list item begins a paragraph.
_LIST_START = re.compile(r"^\s*(?:[-–—•*]\s+|(?:\d+(?:\.\d+)*[.)]|[а-яa-z]\))\s)")
_SENTENCE_END = (".", ":", ";", "!", "?")


@dataclass(frozen=True, slots=True)
class TextArea:
    """The left and right edges of the body text on a page, and the usual
    first-line indent when the pages show one."""

    left: float
    right: float
    indent: float | None = None

    @property
    def middle(self) -> float:
        return (self.left + self.right) / 2


def supported_edge(values: Iterable[float], tolerance: float, support: int, lowest: bool) -> float | None:
    """The lowest (or highest) x shared, within ``tolerance``, by at least
    ``support`` lines: the text area's edge that flush lines line up on."""
    groups: list[list[float]] = []
    for value in sorted(values):
        if groups and value - groups[-1][0] <= tolerance:
            groups[-1].append(value)
        else:
            groups.append([value])
    strong = [g for g in groups if len(g) >= support]
    if not strong:
        return None
    chosen = strong[0] if lowest else strong[-1]
    return min(chosen) if lowest else max(chosen)


def text_area(lines: Sequence[Line], settings: PdfSettings = DEFAULT_SETTINGS) -> TextArea | None:
    if not lines:
        return None
    left = supported_edge((l.x0 for l in lines), settings.edge_tolerance, settings.min_edge_support, lowest=True)
    right = supported_edge((l.x1 for l in lines), settings.edge_tolerance, settings.min_edge_support, lowest=False)
    left = min(l.x0 for l in lines) if left is None else left
    right = max(l.x1 for l in lines) if right is None else right
    # Indented lines that run to the right edge are first lines of
    # paragraphs beyond doubt; their common indent tells the short ones.
    indents = [
        l.x0 - left
        for l in lines
        if l.x1 >= right - settings.edge_tolerance and settings.min_indent <= l.x0 - left <= settings.max_indent
    ]
    indent = supported_edge(indents, settings.edge_tolerance, settings.min_edge_support, lowest=True)
    return TextArea(left=left, right=max(right, left + 1), indent=indent)


def line_kind(line: Line, area: TextArea, settings: PdfSettings = DEFAULT_SETTINGS) -> LineKind:
    """Where a line stands in the text area."""
    starts_left = abs(line.x0 - area.left) <= settings.edge_tolerance
    ends_right = line.x1 >= area.right - settings.edge_tolerance
    indent = line.x0 - area.left
    if starts_left:
        return "full" if ends_right else "flush"
    if area.indent is not None and abs(indent - area.indent) <= settings.indent_tolerance:
        return "indent"  # a short first line could pass for centered
    if abs((line.x0 + line.x1) / 2 - area.middle) <= settings.center_tolerance and not ends_right:
        return "center"
    if settings.min_indent <= indent <= settings.max_indent:
        return "indent"
    if ends_right:
        return "right"
    return "other"


def _family(kind: LineKind) -> str:
    return "body" if kind in _BODY_KINDS else kind


def starts_new_paragraph(
    paragraph: Sequence[Line],
    line: Line,
    area: TextArea,
    line_gap: float,
    settings: PdfSettings = DEFAULT_SETTINGS,
) -> bool:
    """Whether ``line`` begins a new paragraph after the lines of ``paragraph``
    (same page, nothing between them).  ``line_gap`` is the page's usual gap
    between lines, in line heights."""
    previous = paragraph[-1]
    height = min(previous.height, line.height)
    if (line.top - previous.bottom) / height > line_gap + settings.paragraph_gap:
        return True
    if _LIST_START.match(line.text):
        return True
    if previous.bold != line.bold or abs(previous.size - line.size) > settings.size_tolerance:
        return True
    kind, previous_kind = line_kind(line, area, settings), line_kind(previous, area, settings)
    family, previous_family = _family(kind), _family(previous_kind)
    if family != previous_family:
        if "body" not in (family, previous_family) and abs(line.x0 - previous.x0) <= settings.edge_tolerance:
            return False  # one block at one x: «Утвержден / приказом … / от …»
        # A long line of a centered title runs from edge to edge (but a line
        # spread by a tab stop, «13.04.2020      № 293-р», is no title line).
        lines = [*paragraph, line]
        kinds = {line_kind(l, area, settings) for l in lines}
        tabbed = any(l.widest_gap > settings.tab_gap * l.size for l in lines)
        return tabbed or not kinds <= {"center", "full"}
    if family == "other":
        return abs(line.x0 - previous.x0) > settings.edge_tolerance  # a block standing elsewhere
    if family != "body":
        return False
    previous_ends_right = previous.x1 >= area.right - settings.edge_tolerance
    if kind == "indent" and line.x0 - previous.x0 > -settings.edge_tolerance:
        # A first-line indent, unless the line above runs on into this one
        # (a hanging indent's continuation).
        runs_on = previous_ends_right and not previous.text.rstrip().endswith(_SENTENCE_END)
        if not runs_on:
            return True
    # The short line after a run of full lines ended a justified paragraph.
    before = paragraph[:-1]
    justified = bool(before) and all(l.x1 >= area.right - settings.edge_tolerance for l in before)
    return justified and not previous_ends_right


def line_gaps(lines: Sequence[Line]) -> list[float]:
    """Gaps between consecutive lines, in line heights (overlaps and page-size
    jumps left out)."""
    gaps = ((b.top - a.bottom) / min(a.height, b.height) for a, b in zip(lines, lines[1:]))
    return [g for g in gaps if -0.5 < g < 3]


def paragraph_rooms(lines: Sequence[Line], area: TextArea, settings: PdfSettings = DEFAULT_SETTINGS) -> list[float]:
    """Free width after each line of a paragraph: to the area's right edge,
    or, for centered and right-aligned lines, the area's width less the
    line's."""
    rooms = []
    for line in lines:
        if line_kind(line, area, settings) in ("center", "right"):
            rooms.append((area.right - area.left) - (line.x1 - line.x0))
        else:
            rooms.append(area.right - line.x1)
    return rooms


def usual_line_gap(gaps: Sequence[float], min_samples: int = 1) -> float | None:
    """The usual gap between lines: a low quantile, since most consecutive
    lines are lines of one paragraph; None when there are too few gaps."""
    if len(gaps) < max(min_samples, 1):
        return None
    return sorted(gaps)[len(gaps) // 4]


def split_paragraphs(
    lines: Sequence[Line], area: TextArea, line_gap: float, settings: PdfSettings = DEFAULT_SETTINGS
) -> list[list[Line]]:
    paragraphs: list[list[Line]] = []
    for line in lines:
        if paragraphs and not starts_new_paragraph(paragraphs[-1], line, area, line_gap, settings):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return paragraphs


def paragraph_alignment(lines: Sequence[Line], area: TextArea, settings: PdfSettings = DEFAULT_SETTINGS) -> Alignment | None:
    """The alignment the lines show, or None when they do not tell (one body
    line that does not reach the right edge: left and justified look alike)."""
    kinds = [line_kind(l, area, settings) for l in lines]
    if all(k == "center" for k in kinds):
        return "center"
    if all(k in ("right", "full") or (k == "indent" and l.x1 >= area.right - settings.edge_tolerance) for k, l in zip(kinds, lines)) and "right" in kinds:
        return "right"
    if all(k in _BODY_KINDS for k in kinds):
        reach = [l.x1 >= area.right - settings.edge_tolerance for l in lines]
        if len(lines) >= 2:
            return "justify" if all(reach[:-1]) else "left"
        return "justify" if reach[0] else None
    if "center" in kinds and all(k in ("center", "full") for k in kinds):
        return "center"
    return "left"


# --- The document -------------------------------------------------------------


def _page_group(page: PageContent) -> tuple[int, int]:
    """Pages of one size and orientation share a text area."""
    return round(page.width), round(page.height)


@dataclass(slots=True)
class _Draft:
    """A block on its way out, with what its alignment is judged from."""

    block: Block
    group: tuple[int, int]
    lines: list[Line] = field(default_factory=list)
    area: TextArea | None = None
    opens_page: bool = False


def _page_drafts(
    page: PageContent,
    furniture: set[tuple[int, int]],
    area: TextArea | None,
    line_gap: float,
    settings: PdfSettings,
) -> list[_Draft]:
    group = _page_group(page)
    drafts: list[_Draft] = []
    run: list[Line] = []

    def flush() -> None:
        if area is not None:
            for lines in split_paragraphs(run, area, line_gap, settings):
                text = lines_text(lines, paragraph_rooms(lines, area, settings), settings)
                if text:
                    source = Source(page=page.number, line=lines[0].number)
                    paragraph = Paragraph(text=text, source=source, bold=all(l.bold for l in lines))
                    drafts.append(_Draft(paragraph, group, lines, area))
        run.clear()

    for item in page.items:
        if isinstance(item, PlacedTable):
            flush()
            drafts.append(_Draft(item.table, group))
        elif (page.number, item.number) in furniture:
            flush()  # nothing joins across a dropped line
        else:
            run.append(item)
    flush()
    if drafts:
        drafts[0].opens_page = True
    return drafts


def _align(drafts: Sequence[_Draft], settings: PdfSettings) -> None:
    """Set each paragraph's alignment from its lines.  One body line that
    does not reach the right edge does not tell left from justified: it
    stays None, except at the top of a page, where it may end a paragraph
    from the page before and takes the alignment most body paragraphs of
    its pages show (so that the two parts can be joined)."""
    judged: list[Alignment | None] = []
    votes: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    for draft in drafts:
        align = paragraph_alignment(draft.lines, draft.area, settings) if draft.lines and draft.area else None
        judged.append(align)
        if align in ("left", "justify") and len(draft.lines) >= 2:
            votes[draft.group][align] += 1
    for draft, align in zip(drafts, judged):
        if not isinstance(draft.block, Paragraph):
            continue
        if align is None and draft.opens_page and votes[draft.group]:
            align = votes[draft.group].most_common(1)[0][0]  # type: ignore[assignment]
        draft.block.align = align


def assemble(pages: Sequence[PageContent], settings: PdfSettings = DEFAULT_SETTINGS) -> list[Block]:
    """The blocks of the read pages, furniture dropped, fragments stitched."""
    furniture = find_furniture(pages, settings)
    kept = {page.number: [l for l in page.lines if (page.number, l.number) not in furniture] for page in pages}

    group_lines_: dict[tuple[int, int], list[Line]] = defaultdict(list)
    group_gaps: dict[tuple[int, int], list[float]] = defaultdict(list)
    for page in pages:
        group_lines_[_page_group(page)].extend(kept[page.number])
        group_gaps[_page_group(page)].extend(line_gaps(kept[page.number]))
    areas = {group: text_area(lines, settings) for group, lines in group_lines_.items()}

    drafts: list[_Draft] = []
    for page in pages:
        group = _page_group(page)
        # A page of few lines does not show its spacing; its size's pages do.
        line_gap = usual_line_gap(line_gaps(kept[page.number]), settings.min_gap_samples)
        if line_gap is None:
            line_gap = usual_line_gap(group_gaps[group])
        if line_gap is None:
            line_gap = settings.default_line_gap
        drafts.extend(_page_drafts(page, furniture, areas[group], line_gap, settings))
    _align(drafts, settings)
    return join_split_paragraphs(stitch_tables([d.block for d in drafts]))


# --- Errors -------------------------------------------------------------------

# A complete PDF ends with «%%EOF» (a little junk after it is tolerated).
EOF_SEARCH_BYTES = 2048


def check_complete(path: Path) -> None:
    """Raise InputError for a PDF cut short (an interrupted download)."""
    try:
        with path.open("rb") as fh:
            fh.seek(0, 2)
            size = fh.tell()
            fh.seek(max(0, size - EOF_SEARCH_BYTES))
            tail = fh.read()
    except OSError as exc:
        raise InputError(str(path), f"файл не читается: {exc.strerror}") from None
    if b"%%EOF" not in tail:
        raise InputError(str(path), "повреждённый PDF: файл обрезан (нет метки конца %%EOF)")


def _cause(exc: BaseException) -> BaseException:
    while isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], BaseException):
        exc = exc.args[0]
    return exc


def pdf_error(path: Path, exc: BaseException, where: str = "") -> InputError:
    """The user's one line for an exception raised while parsing a PDF."""
    cause = _cause(exc)
    if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
        return InputError(str(path), ENCRYPTED)
    if isinstance(cause, PSEOF):
        detail = "неожиданный конец данных (файл обрезан?)"
    else:
        message = str(cause).strip()
        detail = f"{type(cause).__name__}: {message[:120]}" if message else type(cause).__name__
    return InputError(str(path), f"повреждённый PDF: {where}{detail}")


def check_text_layer(path: Path, pages: Sequence[PageContent], settings: PdfSettings) -> None:
    visible = sum(p.visible_chars for p in pages)
    if visible < settings.min_chars_per_page * len(pages):
        raise NoTextLayer(str(path), SCANNED)
    unmapped = sum(p.unmapped_chars for p in pages)
    if unmapped > settings.max_unmapped_share * visible:
        raise InputError(str(path), UNMAPPED)


def read_pages(path: Path, settings: PdfSettings = DEFAULT_SETTINGS) -> list[PageContent]:
    """Every page's lines and tables; each page is released once read."""
    check_complete(path)
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many kinds on a broken file
        raise pdf_error(path, exc) from None
    pages: list[PageContent] = []
    try:
        try:
            plumber_pages = pdf.pages
        except Exception as exc:
            raise pdf_error(path, exc) from None
        if not plumber_pages:
            raise InputError(str(path), "повреждённый PDF: в нём нет страниц")
        check_page_count(path, len(plumber_pages))
        for number, page in enumerate(plumber_pages, start=1):
            try:
                objects = page_objects(page, settings)
            except Exception as exc:
                raise pdf_error(path, exc, f"страница {number}: ") from None
            finally:
                page.close()
            pages.append(layout_page(number, objects, settings))
    finally:
        try:
            pdf.close()
        except Exception:  # a damaged file may fail to close; its own error is the one to report
            pass
    return pages


def check_text_elsewhere(path: Path, settings: PdfSettings = DEFAULT_SETTINGS) -> None:
    """Raise InputError if pdfium reads a text layer that pdfminer could not."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:
        return
    try:
        count = len(document)
        chars = 0
        for index in range(count):
            page = document[index]
            text = page.get_textpage()
            chars += text.count_chars()
            text.close()
            page.close()
    finally:
        document.close()
    if count and chars >= settings.min_chars_per_page * count:
        raise InputError(
            str(path), "повреждённый PDF: его текстовый слой не читается (нарушена структура файла); пересохраните PDF"
        )


def check_page_count(path: Path, count: int, limit: int | None = None) -> None:
    limit = limits().max_pages if limit is None else limit
    if count > limit:
        raise InputError(str(path), f"слишком много страниц: {count} (предел {limit}, ROADMAP_MAX_PAGES)")


def read_pdf(path: Path, settings: PdfSettings = DEFAULT_SETTINGS) -> Layout:
    """Read a PDF with a text layer into a layout, or raise :class:`InputError`."""
    path = Path(path)
    pages = read_pages(path, settings)
    check_text_layer(path, pages, settings)
    return Layout(path=str(path), format="pdf", blocks=assemble(pages, settings), pages=len(pages))
