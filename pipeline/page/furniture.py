"""Page furniture: running headers and footers, page numbers and
«Продолжение таблицы» captions — what repeats at the page's edges and is not
the document's text."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence

from pipeline.lang.words import collapse
from pipeline.page.content import PageContent
from pipeline.page.lines import Line
from pipeline.page.tables import PlacedTable
from pipeline.page.settings import DEFAULT_SETTINGS, LayoutSettings


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


def is_continuation_caption(text: str, settings: LayoutSettings = DEFAULT_SETTINGS) -> bool:
    """«Продолжение таблицы», «Продолжение приложения № 1»."""
    text = collapse(text)
    return len(text) <= settings.max_continuation_caption and bool(_CONTINUATION.match(text))


def furniture_key(text: str) -> str:
    """The text of a running line with its page-dependent digits masked."""
    return re.sub(r"\d+", "#", collapse(text).lower())


def in_margin_zone(line: Line, page_height: float, settings: LayoutSettings = DEFAULT_SETTINGS) -> bool:
    return line.bottom <= settings.margin_zone or line.top >= page_height - settings.margin_zone


def edge_block(page: PageContent, from_top: bool, settings: LayoutSettings = DEFAULT_SETTINGS) -> list[Line]:
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


def find_furniture(pages: Sequence[PageContent], settings: LayoutSettings = DEFAULT_SETTINGS) -> set[tuple[int, int]]:
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
