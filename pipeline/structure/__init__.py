"""Structure recovery: a :class:`~pipeline.layout.Layout` in, an :class:`~schemas.Order` out.

The order is read top-down: head requisites, preamble, operative clauses,
signature, then the appendices with their roadmap tables.  Abbreviations are
gathered from the whole document first, because splitting the responsibles
of a roadmap needs them.
"""

from __future__ import annotations

from pipeline.errors import InputError
from pipeline.lang.words import collapse, join_fragments, repair_inline
from pipeline.layout import Block, Layout, Paragraph, Source, Table
from pipeline.structure.abbreviations import definitions_in, find_abbreviations, unique
from pipeline.structure.appendices import build_appendix, is_heading_start, looks_like_title, split_appendices
from pipeline.structure.clauses import read_clauses
from pipeline.structure.metadata import MAX_HEAD_BLOCKS, find_signature, read_metadata, segment, split_kind_lines
from pipeline.structure.roadmap import find_header, grid_texts, read_roadmap
from schemas import Abbreviation, Appendix, ContentBlock, DocumentMeta, Order, Roadmap, SourceFile


class _RoadmapReader:
    """Reads roadmap tables with the document-wide knowledge they need."""

    def __init__(self, abbreviations: list[str], names: list[str]):
        self.abbreviations = abbreviations
        self.names = names
        self.roadmaps: list[Roadmap] = []
        self.table_ids: set[int] = set()

    def read(self, table: Table, title: str | None, appendix: int | None) -> int | None:
        header = find_header(table)
        if header is None:
            return None
        self.roadmaps.append(read_roadmap(table, header, title, appendix, self.abbreviations, self.names))
        self.table_ids.add(id(table))
        return len(self.roadmaps) - 1


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


def _fill_content(appendix: Appendix, body: list[Block], reader: _RoadmapReader) -> None:
    previous_title: str | None = None
    for block in body:
        if isinstance(block, Paragraph):
            text = repair_inline(f"{block.list_label} {block.text}" if block.list_label else block.text)
            if text:
                appendix.content.append(ContentBlock(type="paragraph", text=text))
                previous_title = text if (block.bold or looks_like_title(block)) else None
            continue
        title = previous_title or appendix.title
        index = reader.read(block, title, appendix.index)
        if index is None:
            appendix.content.append(ContentBlock(type="table", rows=_table_rows(block)))
        else:
            appendix.content.append(ContentBlock(type="table", roadmap=index))
        previous_title = None


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
    """Where the approval stamp or appendix heading of a document without an
    order head stands, if it opens the document."""
    for i, block in enumerate(blocks[:MAX_HEAD_BLOCKS]):
        if isinstance(block, Table):
            return None
        if is_heading_start(block):
            return i
    return None


def recover(layout: Layout) -> Order:
    """The order in ``layout``, or :class:`InputError` when it is none."""
    blocks = split_kind_lines(layout.blocks)
    seg = segment(blocks)
    meta, _ = read_metadata(blocks, seg)
    tail_start, tail_end = seg.tail_start, len(blocks)
    standalone = _standalone_start(blocks) if seg.kind is None else None
    if standalone is not None:
        # A plan published on its own under its approval stamp: no order head,
        # no clauses; the whole file is the appendix, signed at its end.
        seg.clauses_start = seg.signature = tail_start = standalone
        signed_at, _, signatory = find_signature(blocks, standalone)
        meta = DocumentMeta(signatory=signatory)
        tail_end = signed_at if signed_at is not None else len(blocks)
    elif seg.signature is None:
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
    for block in blocks[: clause_end]:
        if isinstance(block, Table):
            reader.read(block, meta.title, None)

    appendices: list[Appendix] = []
    for index, part in enumerate(split_appendices(blocks[tail_start:tail_end]), start=1):
        appendix, body = build_appendix(index, part)
        _fill_content(appendix, body, reader)
        appendices.append(appendix)
    abbreviations = _final_abbreviations(blocks, reader)
    if standalone is not None and appendices and meta.title is None:
        meta.title = appendices[0].title

    if meta.kind is None and not reader.roadmaps:
        raise InputError(layout.path, "не похоже на приказ или распоряжение: нет ни вида документа, ни таблицы мероприятий")
    if not any(collapse(b.text) for b in blocks if isinstance(b, Paragraph)) and not reader.roadmaps:
        raise InputError(layout.path, "в документе нет текста")

    confidences = [b.confidence for b in blocks if isinstance(b, Paragraph) and b.confidence is not None]
    confidences += [c.confidence for b in blocks if isinstance(b, Table) for r in b.rows for c in r.cells if c.confidence is not None]
    return Order(
        source=SourceFile(
            path=layout.path, format=layout.format, pages=layout.pages, ocr=bool(confidences),
            ocr_confidence=round(sum(confidences) / len(confidences), 1) if confidences else None,
        ),
        document=meta,
        clauses=clauses,
        appendices=appendices,
        abbreviations=abbreviations,
        roadmaps=reader.roadmaps,
    )
