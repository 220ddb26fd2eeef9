"""The page model every reader fills: words with their boxes, font size,
weight and (for OCR) confidence; ruling segments; the areas of images.

Coordinates are points (1/72 inch) from the page's top-left corner,
whatever the source: a text layer gives them so, an OCR reader converts its
pixels.  Everything after this — lines, paragraphs, furniture, table grids,
cells and spans — is one piece of code for every source (``pipeline.page``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float = 12.0
    bold: bool = False
    # Mean OCR confidence (0–100) of a word read from an image; None for a text layer.
    confidence: float | None = None

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 0.1)

    @property
    def center(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.top + self.bottom) / 2




@dataclass(frozen=True, slots=True)
class Rule:
    """A ruling segment: a vector line or rectangle edge, or a line found in
    the page image.  A horizontal rule has ``top == bottom``, a vertical one
    ``x0 == x1``."""

    x0: float
    top: float
    x1: float
    bottom: float
    orientation: Literal["h", "v"]

    @property
    def horizontal(self) -> bool:
        return self.orientation == "h"

    @property
    def length(self) -> float:
        return self.x1 - self.x0 if self.horizontal else self.bottom - self.top


@dataclass(slots=True)
class Page:
    """One page as a reader saw it."""

    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    # Table cells as boxes, one list per table, when the source found them.
    table_cells: list[list[BBox]] = field(default_factory=list)
    images: list[BBox] = field(default_factory=list)
    source: Literal["text", "ocr"] = "text"
    # Of a text layer: glyphs that print something, and glyphs without a
    # Unicode mapping («(cid:12)»).
    visible_chars: int = 0
    unmapped_chars: int = 0
