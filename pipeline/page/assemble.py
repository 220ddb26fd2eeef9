"""Pages into the document's blocks: each page's lines and tables in
vertical order, furniture dropped, paragraphs split and aligned, table
fragments and page-broken paragraphs joined (:mod:`pipeline.stitch`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Union

from pipeline.layout import Alignment, Block, Paragraph, Source, Table
from pipeline.page.content import PageContent
from pipeline.page.furniture import find_furniture
from pipeline.page.lines import Line, group_lines, lines_text
from pipeline.page.model import Page, Word
from pipeline.page.paragraphs import TextArea, line_gaps, paragraph_alignment, paragraph_rooms, split_paragraphs, text_area, usual_line_gap
from pipeline.page.settings import DEFAULT_SETTINGS, LayoutSettings
from pipeline.page.tables import Grid, PlacedTable, build_grid, find_table_cells, inside, table_rows
from pipeline.page.unruled import extend_ruled_headers, find_unruled
from pipeline.stitch import join_split_paragraphs, stitch_tables


def layout_page(number: int, objects: Page, settings: LayoutSettings = DEFAULT_SETTINGS) -> PageContent:
    """A page's lines and tables in vertical order, each numbered."""
    grids = [
        grid
        for cells in (objects.table_cells or find_table_cells(objects.rules, settings))
        if len(cells) >= settings.min_table_cells
        and (grid := build_grid(cells, settings.grid_tolerance)) is not None
        and (grid.n_rows > 1 or grid.n_cols > 1)
    ]
    if settings.unruled_tables:
        # Where the rules stop, the alignment of the words goes on.
        outside = [w for w in objects.words if not any(inside(w.center, g.bbox) for g in grids)]
        grids = extend_ruled_headers(grids, outside, settings)
        outside = [w for w in objects.words if not any(inside(w.center, g.bbox) for g in grids)]
        grids = sorted([*grids, *find_unruled(outside, settings)], key=lambda g: g.ys[0])
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
        source=objects.source,
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
    source: str = "text"


def _page_drafts(
    page: PageContent,
    furniture: set[tuple[int, int]],
    area: TextArea | None,
    line_gap: float,
    settings: LayoutSettings,
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
                    known = [l.confidence for l in lines if l.confidence is not None]
                    confidence = sum(known) / len(known) if known else None
                    paragraph = Paragraph(text=text, source=source, bold=all(l.bold for l in lines), confidence=confidence)
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
    for draft in drafts:
        draft.source = page.source
    return drafts


def _align(drafts: Sequence[_Draft], settings: LayoutSettings) -> None:
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


def _repair_texts(block: Block, repair: Callable[[str], str]) -> None:
    if isinstance(block, Paragraph):
        block.text = repair(block.text)
        return
    for row in block.rows:
        for cell in row.cells:
            if cell.text:
                cell.text = repair(cell.text)


def assemble(
    pages: Sequence[PageContent], settings: LayoutSettings = DEFAULT_SETTINGS, repair: Callable[[str], str] | None = None
) -> list[Block]:
    """The blocks of the read pages, furniture dropped, fragments stitched.
    ``repair``: what text read by OCR needs before the blocks are compared
    and joined (the typography Tesseract gets wrong); applied to the blocks
    of pages whose words came from OCR."""
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
    if repair is not None:
        for draft in drafts:
            if draft.source == "ocr":
                _repair_texts(draft.block, repair)
    return join_split_paragraphs(stitch_tables([d.block for d in drafts]))
