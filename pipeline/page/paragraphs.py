"""Lines outside tables into paragraphs: a new paragraph at a gap larger
than the page's line gap, at a first-line indent, at a list number, at a
change of alignment, weight or size, after the short last line of a
justified paragraph."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from pipeline.layout import Alignment
from pipeline.page.lines import Line
from pipeline.page.settings import DEFAULT_SETTINGS, LayoutSettings


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


def text_area(lines: Sequence[Line], settings: LayoutSettings = DEFAULT_SETTINGS) -> TextArea | None:
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


def line_kind(line: Line, area: TextArea, settings: LayoutSettings = DEFAULT_SETTINGS) -> LineKind:
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
    settings: LayoutSettings = DEFAULT_SETTINGS,
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


def paragraph_rooms(lines: Sequence[Line], area: TextArea, settings: LayoutSettings = DEFAULT_SETTINGS) -> list[float]:
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
    lines: Sequence[Line], area: TextArea, line_gap: float, settings: LayoutSettings = DEFAULT_SETTINGS
) -> list[list[Line]]:
    paragraphs: list[list[Line]] = []
    for line in lines:
        if paragraphs and not starts_new_paragraph(paragraphs[-1], line, area, line_gap, settings):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return paragraphs


def paragraph_alignment(lines: Sequence[Line], area: TextArea, settings: LayoutSettings = DEFAULT_SETTINGS) -> Alignment | None:
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
