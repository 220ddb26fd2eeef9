"""The knobs of the page layout: how close is one line, one column, one
paragraph — one dataclass, as pdfplumber keeps its table settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class LayoutSettings:
    """Tolerances of the page layout, in points (1/72 inch) unless told;
    a page read by OCR is measured in points too.

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
    # Segments shorter than this are no rules at all (dots, glyph strokes).
    rule_min_length_prefilter: float = 1.0
    # Column lines ending at one height, at least this many, with no line
    # across them: a table's open top or bottom, closed.
    min_open_end_columns: int = 3
    # Cell edges closer than this are one grid line (double rules, rounding).
    grid_tolerance: float = 2.0
    # A "table" of fewer cells is a frame around text (a box, a page border).
    min_table_cells: int = 2

    # -- tables not ruled all through (``unruled``) --
    unruled_tables: bool = True
    # A ruled table of at most this many rows may be a header over an
    # unruled body.
    max_ruled_header_rows: int = 3
    # An unruled body (or a table of no rules) has at least this many lines,
    # no gap between them larger than this many line heights, and (no rules)
    # rivers of white space at least this wide (points) down all of them.
    min_unruled_rows: int = 4
    unruled_max_gap: float = 2.5
    min_river: float = 8.0
    # A row of an unruled body starts after a gap larger than the usual gap
    # between lines by this share of a line's height.
    unruled_row_gap: float = 0.5
    # Most lines of a column (this share) start at one x or are centred on one.
    unruled_alignment: float = 0.7

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

    def table_settings(self) -> dict[str, Any]:
        return {
            "vertical_strategy": "lines",
            "horizontal_strategy": "lines",
            "snap_tolerance": self.snap_tolerance,
            "join_tolerance": self.join_tolerance,
            "intersection_tolerance": self.intersection_tolerance,
            "edge_min_length": self.edge_min_length,
        }


DEFAULT_SETTINGS = LayoutSettings()
