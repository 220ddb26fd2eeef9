"""Structure recovery: a :class:`~pipeline.layout.Layout` in, an :class:`~schemas.Order` out.

An order is read top-down: head requisites, preamble, operative clauses,
signature, then the appendices with their roadmap tables.  A plan published
on its own (no order head: an approval stamp «УТВЕРЖДАЮ …», an appendix
heading, or a title «ПЛАН …» opening the document) is read as its stamp,
title and one appendix holding the rest (``plan.py``).  Abbreviations are
gathered from the whole document first, because splitting the responsibles
of a roadmap needs them.
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline.errors import InputError
from pipeline.lang.periods import Period, parse_period
from pipeline.lang.words import collapse, join_fragments, repair_inline
from pipeline.layout import Block, Layout, Paragraph, Source, Table
from pipeline.structure.abbreviations import definitions_in, find_abbreviations, unique
from pipeline.structure.appendices import build_appendix, is_heading_start, parse_heading, split_appendices
from pipeline.structure.clauses import read_clauses
from pipeline.structure.headings import period_above, title_above
from pipeline.structure.metadata import MAX_HEAD_BLOCKS, find_signature, is_operative, read_metadata, segment, split_kind_lines
from pipeline.structure.plan import (
    find_stamp,
    find_title,
    organisation_named,
    place_in,
    plan_kind_of,
    read_title,
    unwrap_frames,
)
from pipeline.structure.roadmap import RoadmapTable, find_header, grid_texts
from schemas import Abbreviation, Appendix, ContentBlock, DocumentMeta, Order, PlanPeriod, Roadmap, SourceFile


class _RoadmapReader:
    """Reads roadmap tables with the document-wide knowledge they need."""

    def __init__(self, abbreviations: list[str], names: list[str]):
        self.abbreviations = abbreviations
        self.names = names
        self.roadmaps: list[Roadmap] = []  # built by finish()
        self.table_ids: set[int] = set()
        # Each roadmap's table reader with its title, appendix and the period
        # stated above it; a continuing table is fed to the last one.
        self._tables: list[tuple[RoadmapTable, str | None, int | None, Period | None]] = []
        self._open: RoadmapTable | None = None

    def read(self, table: Table, title: str | None, appendix: int | None, period_above: Callable[[], Period | None],
             after_roadmap: bool = False) -> int | None:
        """The index of the roadmap the table belongs to, or None.  A table
        with no header of its own right after a roadmap table goes on with
        it.  ``period_above`` is asked only for a table that starts a roadmap."""
        header = find_header(table)
        if header is None:
            if after_roadmap and self._open is not None and table.rows:
                self._open.continue_with(table)
                self.table_ids.add(id(table))
                return len(self._tables) - 1
            self._open = None
            return None
        self._open = RoadmapTable(table, header, self.abbreviations, self.names)
        self._tables.append((self._open, title, appendix, period_above()))
        self.table_ids.add(id(table))
        return len(self._tables) - 1

    def finish(self) -> list[Roadmap]:
        self.roadmaps = []
        for reader, title, appendix, period in self._tables:
            roadmap = reader.roadmap(title, appendix)
            if period is not None:
                roadmap.period = PlanPeriod(start=period.start, end=period.end, academic=period.academic)
            self.roadmaps.append(roadmap)
        return self.roadmaps


def _table_rows(table: Table) -> list[list[str]]:
    """The texts of a table that is not a roadmap; a row cut by a page break
    (its first cell empty) is joined to the row above, cell by cell."""
    rows: list[list[str]] = []
    for row in table.rows:
        texts = grid_texts(row, table.n_columns)
        if rows and row.after_page_break and not collapse(texts[0]):
            rows[-1] = [join_fragments(a, b) if collapse(b) else a for a, b in zip(rows[-1], texts)]
        else:
            rows.append(texts)
    return [[repair_inline(t) for t in row] for row in rows]


def _fill_content(appendix: Appendix, body: list[Block], reader: _RoadmapReader, above: list[Block]) -> None:
    """The appendix's paragraphs and tables; ``above`` is what the document
    holds before the body (for the plan period stated above a table)."""
    after_roadmap = False
    for index, block in enumerate(body):
        if isinstance(block, Paragraph):
            text = repair_inline(f"{block.list_label} {block.text}" if block.list_label else block.text)
            if text:
                appendix.content.append(ContentBlock(type="paragraph", text=text))
                after_roadmap = False
            continue
        title = title_above(body, index) or appendix.title
        period = lambda: parse_period(title) or period_above(body, index) or period_above(above, len(above))  # noqa: E731
        roadmap = reader.read(block, title, appendix.index, period, after_roadmap=after_roadmap)
        if roadmap is None:
            appendix.content.append(ContentBlock(type="table", rows=_table_rows(block)))
        else:
            appendix.content.append(ContentBlock(type="table", roadmap=roadmap))
        after_roadmap = roadmap is not None


def _item_texts(roadmap: Roadmap):
    for item in roadmap.items:
        source = Source(page=item.location.page, line=item.location.line)
        texts = [item.activity, item.description, item.result, *(p.text for p in item.responsibles), *item.extra.values()]
        for text in texts:
            if text:
                yield text, source


def _final_abbreviations(blocks: list[Block], reader: "_RoadmapReader") -> list[Abbreviation]:
    """The document's definitions, those of roadmaps read from their items."""
    roadmap_tables = {i for i, b in enumerate(blocks) if isinstance(b, Table) and id(b) in reader.table_ids}
    found = find_abbreviations(blocks, skip_tables=roadmap_tables)
    for roadmap in reader.roadmaps:
        found.extend(definitions_in(_item_texts(roadmap)))
    found.sort(key=lambda a: (a.location.page or 0, a.location.line or 0))
    return unique(found)


def _standalone_start(blocks: list[Block]) -> int | None:
    """Where the appendix heading («Приложение …») of a document without an
    order head stands, if it opens the document (its approval stamp, when it
    has one, was looked for first)."""
    for i, block in enumerate(blocks[:MAX_HEAD_BLOCKS]):
        if isinstance(block, Table):
            return None
        if is_heading_start(block):
            return i
    return None


def _source(layout: Layout, blocks: list[Block]) -> SourceFile:
    confidences = [b.confidence for b in blocks if isinstance(b, Paragraph) and b.confidence is not None]
    confidences += [c.confidence for b in blocks if isinstance(b, Table) for r in b.rows for c in r.cells if c.confidence is not None]
    return SourceFile(
        path=layout.path, format=layout.format, pages=layout.pages, ocr=bool(confidences),
        ocr_confidence=round(sum(confidences) / len(confidences), 1) if confidences else None,
    )


def _refuse_if_empty(layout: Layout, blocks: list[Block], meta: DocumentMeta, reader: _RoadmapReader) -> None:
    if meta.kind is None and not reader.roadmaps:
        raise InputError(layout.path, "не похоже на приказ, распоряжение или план: нет ни вида документа, ни таблицы мероприятий")
    if not any(collapse(b.text) for b in blocks if isinstance(b, Paragraph)) and not reader.roadmaps:
        raise InputError(layout.path, "в документе нет текста")


def _last_table(blocks: list[Block]) -> int | None:
    return next((i for i in range(len(blocks) - 1, -1, -1) if isinstance(blocks[i], Table)), None)


def _read_plan(layout: Layout, blocks: list[Block]) -> Order | None:
    """A plan published on its own, or None when the document does not open
    like one (no stamp, no appendix heading, no plan title in its head)."""
    blocks = unwrap_frames(blocks, lambda table: find_header(table) is not None)
    stamp = find_stamp(blocks)
    heading_at = _standalone_start(blocks) if stamp is None else None
    heading_end = None
    heading_lines: list[str] = []
    if heading_at is not None:
        part = split_appendices(blocks[heading_at:])[0]
        heading_end = heading_at + len(part.heading)
        heading_lines = [collapse(line) for h in part.heading for line in h.lines]
    after = stamp.end if stamp else (heading_end if heading_end is not None else 0)
    title_at = find_title(blocks, after)
    if stamp is None and heading_at is None and title_at is None:
        return None

    meta = DocumentMeta()
    appendix = Appendix(index=1)
    if stamp is not None:
        appendix.heading, appendix.approval, appendix.cites = stamp.text, True, stamp.cites
        first = blocks[stamp.start].source
    elif heading_at is not None:
        appendix.heading = " ".join(heading_lines)
        appendix.number, appendix.approval, appendix.cites, appendix.amended_by = parse_heading(heading_lines)
        first = blocks[heading_at].source
    else:
        first = blocks[title_at].source
    appendix.location.page, appendix.location.line = first.page, first.line

    if title_at is not None:
        meta.title, body_start = read_title(blocks, title_at)
        meta.kind = plan_kind_of(blocks[title_at])
    else:
        body_start = after
    appendix.title = meta.title

    # The issuer: the head in the stamp, else the lines above the stamp or
    # the title (the organisation's name on a title page), else one the
    # title names.
    head_end = stamp.start if stamp else (heading_at if heading_at is not None else (title_at or 0))
    above = [
        collapse(b.text) for b in blocks[:head_end]
        if isinstance(b, Paragraph) and collapse(b.text) and not place_in([b], 1)
        and not any(ch.isdigit() for ch in b.text)
    ]
    meta.authority = (stamp.authority if stamp else None) or (" ".join(above) if above else None) or organisation_named(meta.title)
    if stamp is not None and stamp.date is not None:
        meta.date, meta.date_text = stamp.date.date, stamp.date.text or None
    cites = appendix.cites
    if cites is not None:
        meta.number = cites.number
        if meta.date is None and cites.date is not None:
            meta.date, meta.date_text = cites.date, cites.date_text
    meta.place = place_in(blocks, title_at if title_at is not None else head_end)

    # The signature closing the plan, after its last table.
    last = _last_table(blocks)
    signed_at, _, signatory = find_signature(blocks, max(body_start, (last or 0) + 1))
    body_end = signed_at if signed_at is not None else len(blocks)
    if stamp is not None and (stamp.signatory.name or stamp.signatory.position):
        meta.signatory = stamp.signatory
    else:
        meta.signatory = signatory

    abbreviations = find_abbreviations(blocks)
    names = [a.full for a in abbreviations] + ([meta.authority] if meta.authority else [])
    reader = _RoadmapReader([a.short for a in abbreviations], names)
    parts = split_appendices(blocks[body_start:body_end])
    appendices: list[Appendix] = []
    done = body_start
    for k, part in enumerate(parts):
        if k == 0 and not part.heading:
            _fill_content(appendix, part.body, reader, blocks[:body_start])
            appendices.append(appendix)
        else:
            if k == 0:
                appendices.append(appendix)
            extra, body = build_appendix(len(appendices) + 1, part)
            _fill_content(extra, body, reader, blocks[:done])
            appendices.append(extra)
        done += len(part.heading) + len(part.body)
    if not appendices:
        appendices.append(appendix)
    roadmaps = reader.finish()
    _refuse_if_empty(layout, blocks, meta, reader)
    return Order(
        source=_source(layout, blocks),
        document=meta,
        clauses=[],
        appendices=appendices,
        abbreviations=_final_abbreviations(blocks, reader),
        roadmaps=roadmaps,
    )


def recover(layout: Layout) -> Order:
    """The order or plan in ``layout``, or :class:`InputError` when it is none."""
    blocks = split_kind_lines(layout.blocks)
    seg = segment(blocks)
    if seg.kind is None and not any(isinstance(b, Paragraph) and is_operative(b.text) for b in blocks):
        # No kind word and no «приказываю»: a plan published on its own, if it
        # opens like one.
        plan = _read_plan(layout, blocks)
        if plan is not None:
            return plan
    meta, _ = read_metadata(blocks, seg)
    tail_start, tail_end = seg.tail_start, len(blocks)
    if seg.signature is None:
        # No signature found: appendices start at the first appendix heading.
        tail_start = next(
            (i for i in range(seg.clauses_start, len(blocks)) if isinstance(blocks[i], Paragraph) and is_heading_start(blocks[i])),
            len(blocks),
        )
    clause_end = seg.signature if seg.signature is not None else tail_start
    clauses = read_clauses(blocks[seg.clauses_start : clause_end])

    # Definitions in raw cells help split the parties of the roadmaps; the
    # roadmaps' own definitions are then read again from their joined items.
    abbreviations = find_abbreviations(blocks)
    names = [a.full for a in abbreviations] + ([meta.authority] if meta.authority else [])
    reader = _RoadmapReader([a.short for a in abbreviations], names)

    # Roadmaps standing in the order's own body, before the signature.
    previous_roadmap = False
    for index, block in enumerate(blocks[:clause_end]):
        if isinstance(block, Table):
            period = lambda: parse_period(meta.title) or period_above(blocks, index)  # noqa: E731
            found = reader.read(block, meta.title, None, period, after_roadmap=previous_roadmap)
            previous_roadmap = found is not None
        elif collapse(block.text):
            previous_roadmap = False

    appendices: list[Appendix] = []
    offset = tail_start
    for index, part in enumerate(split_appendices(blocks[tail_start:tail_end]), start=1):
        appendix, body = build_appendix(index, part)
        _fill_content(appendix, body, reader, blocks[: offset + len(part.heading) + len(part.body) - len(body)])
        appendices.append(appendix)
        offset += len(part.heading) + len(part.body)
    roadmaps = reader.finish()
    abbreviations = _final_abbreviations(blocks, reader)
    _refuse_if_empty(layout, blocks, meta, reader)
    return Order(
        source=_source(layout, blocks),
        document=meta,
        clauses=clauses,
        appendices=appendices,
        abbreviations=abbreviations,
        roadmaps=roadmaps,
    )
