"""What is kept of a page once it is laid out: its lines outside tables and
its tables, top to bottom, each numbered."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from pipeline.page.lines import Line
from pipeline.page.tables import PlacedTable


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
    # Where the words came from: the text layer or OCR of the page image.
    source: str = "text"

    @property
    def lines(self) -> list[Line]:
        return [item for item in self.items if isinstance(item, Line)]
