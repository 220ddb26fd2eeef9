"""Ruled tables: cells from the ruling segments, the grid of rows and
columns from the cells' edges (a cell spanning the edges between its own),
and every word in the cell under its middle.

The segments come from wherever the page has them — a PDF's vector paths or
the lines found in a scanned page's image — and are turned into cells by
pdfplumber's own table algorithm (Nurminen's: snap and join the segments,
find their intersections, take the smallest rectangles whose four sides are
ruled, group touching rectangles into tables), called as the plain
functions of ``pdfplumber.table`` so that it serves every source.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.layout import Cell, Row, Table
from pipeline.page.lines import Line, group_lines, lines_text, mean_confidence
from pipeline.page.model import BBox, Rule, Word
from pipeline.page.settings import DEFAULT_SETTINGS, LayoutSettings


def _edge(rule: Rule) -> dict:
    """A rule as pdfplumber's edge dictionary."""
    return {
        "x0": rule.x0, "x1": rule.x1, "top": rule.top, "bottom": rule.bottom,
        "width": rule.x1 - rule.x0, "height": rule.bottom - rule.top, "orientation": rule.orientation,
    }


def close_open_ends(rules: Sequence[Rule], settings: LayoutSettings = DEFAULT_SETTINGS) -> list[Rule]:
    """Rules closing a table whose top or bottom is not ruled: column lines
    that all stop at one height with no line across them there.  A table
    continued from the page before is often drawn without its top line (the
    row goes on from there), and one cut at the page's end without its
    bottom one; without the line its first or last row would be no cell."""
    vertical = [r for r in rules if not r.horizontal and r.length >= settings.edge_min_length]
    horizontal = [r for r in rules if r.horizontal]
    tol = settings.snap_tolerance
    added: list[Rule] = []
    for end in ("top", "bottom"):
        by_height: dict[int, list[Rule]] = defaultdict(list)
        for r in vertical:
            by_height[round(getattr(r, end) / tol)].append(r)
        for group in by_height.values():
            xs = sorted({round(r.x0, 1) for r in group})
            if len(xs) < settings.min_open_end_columns:
                continue
            y = sum(getattr(r, end) for r in group) / len(group)
            x0, x1 = xs[0], xs[-1]
            covered = sum(
                max(0.0, min(h.x1, x1) - max(h.x0, x0)) for h in horizontal if abs(h.top - y) <= tol
            )
            if covered < 0.5 * (x1 - x0):
                added.append(Rule(x0, y, x1, y, "h"))
    return [*rules, *added]


def find_table_cells(rules: Sequence[Rule], settings: LayoutSettings = DEFAULT_SETTINGS) -> list[list[BBox]]:
    """The cells of each ruled table the segments make, as boxes."""
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    rules = close_open_ends(rules, settings)
    edges = [_edge(r) for r in rules if r.length >= settings.rule_min_length_prefilter]
    if not edges:
        return []
    edges = merge_edges(
        edges,
        snap_x_tolerance=settings.snap_tolerance, snap_y_tolerance=settings.snap_tolerance,
        join_x_tolerance=settings.join_tolerance, join_y_tolerance=settings.join_tolerance,
    )
    edges = [e for e in edges if (e["width"] if e["orientation"] == "h" else e["height"]) >= settings.edge_min_length]
    intersections = edges_to_intersections(edges, settings.intersection_tolerance, settings.intersection_tolerance)
    cells = intersections_to_cells(intersections)
    return [[tuple(map(float, cell)) for cell in table] for table in cells_to_tables(cells)]  # type: ignore[misc]


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


def cell_rooms(lines: Sequence[Line], box: BBox, settings: LayoutSettings = DEFAULT_SETTINGS) -> list[float]:
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


def table_rows(grid: Grid, words: Iterable[Word], settings: LayoutSettings = DEFAULT_SETTINGS) -> list[Row]:
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
            confidence=mean_confidence(cell_words),
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
