"""Tables that are not ruled all through: a header boxed in rules over a body
set apart by space alone, or no rules at all.

Where the rules stop, the text's own alignment goes on telling the columns:

* **a ruled header over an unruled body** — the lines below a ruled table of
  one to three rows whose words all stand inside its columns, none across a
  column line, belong to it; the columns are the header's;
* **no rules at all** — a run of lines with at least two rivers of white
  space down all of them (x ranges no word of any line covers) is a table;
  the columns are between the rivers.  A paragraph's lines run across the
  page and stop a run; a numbered list has one river, not two.

Rows start where a new number stands in the first column, when that column
holds numbers; otherwise where the space above a line is clearly larger
than the space between the lines of one cell.  The result is a
:class:`~pipeline.page.tables.Grid` like a ruled table's, so cells, spans
and text are made by the same code.  Knobs in
:class:`~pipeline.page.settings.LayoutSettings`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.page.lines import word_bands
from pipeline.page.model import Word
from pipeline.page.settings import DEFAULT_SETTINGS, LayoutSettings
from pipeline.page.tables import Grid, GridCell

_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")


def _bands(words: Sequence[Word], settings: LayoutSettings) -> list[list[Word]]:
    """Words into lines (as ``group_lines`` does), keeping the words."""
    bands = word_bands(words, settings)
    return [sorted(b, key=lambda w: w.x0) for b in bands]


def _top(band: list[Word]) -> float:
    return min(w.top for w in band)


def _bottom(band: list[Word]) -> float:
    return max(w.bottom for w in band)


def _height(band: list[Word]) -> float:
    return _bottom(band) - _top(band)


def _fits(band: list[Word], xs: Sequence[float], tolerance: float) -> bool:
    """Every word of the line inside the columns, none across a column line."""
    for w in band:
        if w.x0 < xs[0] - tolerance or w.x1 > xs[-1] + tolerance:
            return False
        if any(w.x0 < x - tolerance and w.x1 > x + tolerance for x in xs[1:-1]):
            return False
    return True


def _column(word: Word, xs: Sequence[float]) -> int:
    middle = (word.x0 + word.x1) / 2
    for i in range(len(xs) - 1):
        if middle < xs[i + 1]:
            return i
    return len(xs) - 2


def _row_starts(bands: list[list[Word]], xs: Sequence[float], settings: LayoutSettings) -> list[int]:
    """Indexes of the lines that start a row."""
    firsts = [[w for w in band if _column(w, xs) == 0] for band in bands]
    filled = [i for i, f in enumerate(firsts) if f]
    numbered = [i for i in filled if _NUMBER.match(firsts[i][0].text)]
    if len(numbered) >= 2 and len(numbered) >= 0.5 * len(filled):
        return sorted({0, *numbered})
    gaps = [_top(b) - _bottom(a) for a, b in zip(bands, bands[1:])]
    usual = sorted(gaps)[len(gaps) // 3] if gaps else 0.0
    starts = [0]
    for i, gap in enumerate(gaps, start=1):
        if gap > usual + settings.unruled_row_gap * _height(bands[i]):
            starts.append(i)
    return starts


def _starts_under_header_line(bands: list[list[Word]], xs: Sequence[float], settings: LayoutSettings) -> list[int]:
    """Row starts of a table with no ruled head: its first line is the header row."""
    starts = _row_starts(bands, xs, settings)
    return sorted({*starts, 1}) if len(bands) > 1 else starts


def _body_grid(
    bands: list[list[Word]], xs: list[float], settings: LayoutSettings, head: Grid | None = None, starts: list[int] | None = None
) -> Grid:
    """The grid of the body lines on the columns ``xs`` (under ``head``; with
    no ruled head, the first line is the header row)."""
    if starts is None:
        starts = _row_starts(bands, xs, settings) if head else _starts_under_header_line(bands, xs, settings)
    ys = list(head.ys) if head else [_top(bands[0]) - 1.0]
    cells = list(head.cells) if head else []
    first_row = len(ys) - 1
    bounds = [*starts, len(bands)]
    for r, (a, b) in enumerate(zip(bounds, bounds[1:])):
        if r + 1 < len(starts):
            ys.append((_bottom(bands[b - 1]) + _top(bands[b])) / 2)
        else:
            ys.append(_bottom(bands[b - 1]) + 1.0)
        cells.extend(GridCell(row=first_row + r, col=c, row_span=1, col_span=1) for c in range(len(xs) - 1))
    return Grid(xs=list(xs), ys=ys, cells=cells)


def extend_ruled_headers(grids: list[Grid], words: list[Word], settings: LayoutSettings = DEFAULT_SETTINGS) -> list[Grid]:
    """Each ruled table of a few rows, grown down over the unruled lines
    below it that keep to its columns."""
    out: list[Grid] = []
    tops = sorted(g.ys[0] for g in grids)
    for grid in grids:
        if grid.n_rows > settings.max_ruled_header_rows or grid.n_cols < 2:
            out.append(grid)
            continue
        below = [w for w in words if w.top >= grid.ys[-1] - 1.0]
        limit = next((t for t in tops if t > grid.ys[-1] + 1.0), None)
        if limit is not None:
            below = [w for w in below if w.bottom <= limit]
        body: list[list[Word]] = []
        for band in _bands(below, settings):
            previous = body[-1] if body else None
            last = _bottom(previous) if previous else grid.ys[-1]
            if _top(band) - last > settings.unruled_max_gap * _height(band):
                break
            if not _fits(band, grid.xs, settings.edge_tolerance):
                break
            body.append(band)
        if len(body) < settings.min_unruled_rows:
            out.append(grid)
            continue
        out.append(_body_grid(body, grid.xs, settings, head=grid))
    return out


def _rivers(bands: list[list[Word]], min_width: float) -> list[tuple[float, float]]:
    """x ranges at least ``min_width`` wide, between the lines' first and last
    words, that no word of the lines covers."""
    spans = sorted((w.x0, w.x1) for band in bands for w in band)
    rivers: list[tuple[float, float]] = []
    reach = spans[0][0] if spans else 0.0
    for x0, x1 in spans:
        if x0 - reach >= min_width:
            rivers.append((reach, x0))
        reach = max(reach, x1)
    return rivers


def _aligned(run: list[list[Word]], xs: Sequence[float], settings: LayoutSettings) -> bool:
    """Each column's text starts at one x (or is centred on one) in most of
    its lines, as a table's cells do; the words after a wide gap of a
    justified paragraph start anywhere."""
    for col in range(1, len(xs) - 1):
        starts, middles = [], []
        for band in run:
            cell = [w for w in band if _column(w, xs) == col]
            if cell:
                starts.append(cell[0].x0)
                middles.append((cell[0].x0 + cell[-1].x1) / 2)
        if len(starts) < 2:
            continue
        for values in (starts, middles):
            values.sort()
            modal = max(values, key=lambda v: sum(abs(v - u) <= settings.edge_tolerance for u in values))
            if sum(abs(v - modal) <= settings.edge_tolerance for v in values) >= settings.unruled_alignment * len(values):
                break
        else:
            return False
    return True


def _header_columns(run: list[list[Word]], xs: list[float]) -> list[float]:
    """A header word centred over a column of its own while the column's
    entries stand to one side («№» over «1.», «2.»): the river between them
    is no column line.  A column only the first line uses, beside one the
    first line leaves empty, is one column with it."""
    changed = True
    while changed and len(xs) > 3:
        changed = False
        users = [{k for k, band in enumerate(run) for w in band if _column(w, xs) == c} for c in range(len(xs) - 1)]
        for c in range(len(xs) - 2):
            a, b = users[c], users[c + 1]
            if (a == {0} and 0 not in b and b) or (b == {0} and 0 not in a and a):
                xs = [*xs[: c + 1], *xs[c + 2 :]]
                changed = True
                break
    return xs


def _justified(run: list[list[Word]], xs: Sequence[float]) -> bool:
    """Lines whose gaps between columns are no wider than their gaps between
    words: a justified paragraph's spaces, stretched alike along each line,
    lining up by chance."""
    alike = 0
    judged = 0
    for band in run:
        gaps_across, gaps_within = [], []
        for a, b in zip(band, band[1:]):
            (gaps_across if _column(a, xs) != _column(b, xs) else gaps_within).append(b.x0 - a.x1)
        if gaps_across and gaps_within:
            judged += 1
            within = sorted(gaps_within)[len(gaps_within) // 2]
            if min(gaps_across) < 2.5 * within:
                alike += 1
    return judged > 0 and alike > 0.5 * judged


def find_unruled(words: list[Word], settings: LayoutSettings = DEFAULT_SETTINGS) -> list[Grid]:
    """Tables of no rules at all: runs of lines with two rivers or more."""
    bands = _bands(words, settings)
    grids: list[Grid] = []
    i = 0
    while i < len(bands):
        run = [bands[i]]
        j = i + 1
        while j < len(bands):
            if _top(bands[j]) - _bottom(run[-1]) > settings.unruled_max_gap * _height(bands[j]):
                break
            trial = [*run, bands[j]]
            if len(_rivers(trial, settings.min_river)) < 2:
                break
            run = trial
            j += 1
        left = min(w.x0 for b in run for w in b)
        right = max(w.x1 for b in run for w in b)
        rivers = _rivers(run, settings.min_river)
        if len(run) >= settings.min_unruled_rows and len(rivers) >= 2:
            xs = _header_columns(run, [left - 1.0, *[(a + b) / 2 for a, b in rivers], right + 1.0])
            if len({_column(w, xs) for w in run[0]}) < 2:
                i += 1  # a title above, not the table's first row
                continue
            starts = _starts_under_header_line(run, xs, settings)
            rows = [run[a:b] for a, b in zip(starts, [*starts[1:], len(run)])]
            # Most rows fill two columns or more: a table, not a few lines
            # that happen to line up.
            used = [len({_column(w, xs) for band in row for w in band}) for row in rows]
            if (
                len(rows) >= 2 and sum(u >= 2 for u in used) >= 0.6 * len(rows)
                and _aligned(run, xs, settings) and not _justified(run, xs)
            ):
                grids.append(_body_grid(run, xs, settings, starts=starts))
                i = j
                continue
        i += 1
    return grids
