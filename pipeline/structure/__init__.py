"""Structure recovery: a :class:`~pipeline.layout.Layout` in, an :class:`~schemas.Order` out.

The order is read top-down: head requisites, preamble, operative clauses,
signature, then the appendices with their roadmap tables.  Abbreviations are
gathered from the whole document first, because splitting the responsibles
of a roadmap needs them.
"""

from __future__ import annotations

from pipeline.errors import InputError
from pipeline.lang.words import collapse, repair_inline
from pipeline.layout import Block, Layout, Paragraph, Table
from pipeline.structure.abbreviations import find_abbreviations
from pipeline.structure.appendices import build_appendix, is_heading_start, looks_like_title, split_appendices
from pipeline.structure.clauses import read_clauses
from pipeline.structure.metadata import MAX_HEAD_BLOCKS, find_signature, read_metadata, segment
from pipeline.structure.roadmap import find_header, grid_texts, read_roadmap
from schemas import Appendix, ContentBlock, DocumentMeta, Order, Roadmap, SourceFile


class _RoadmapReader:
    """Reads roadmap tables with the document-wide knowledge they need."""

    def __init__(self, abbreviations: list[str], names: list[str]):
        self.abbreviations = abbreviations
        self.names = names
        self.roadmaps: list[Roadmap] = []

    def read(self, table: Table, title: str | None, appendix: int | None) -> int | None:
        header = find_header(table)
        if header is None:
            return None
        self.roadmaps.append(read_roadmap(table, header, title, appendix, self.abbreviations, self.names))
        return len(self.roadmaps) - 1


def _table_rows(table: Table) -> list[list[str]]:
    return [[repair_inline(t) for t in grid_texts(r, table.n_columns)] for r in table.rows]


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
    blocks = layout.blocks
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
    if standalone is not None and appendices and meta.title is None:
        meta.title = appendices[0].title

    if meta.kind is None and not reader.roadmaps:
        raise InputError(layout.path, "не похоже на приказ или распоряжение: нет ни вида документа, ни таблицы мероприятий")
    if not any(collapse(b.text) for b in blocks if isinstance(b, Paragraph)) and not reader.roadmaps:
        raise InputError(layout.path, "в документе нет текста")

    return Order(
        source=SourceFile(path=layout.path, format=layout.format, pages=layout.pages),
        document=meta,
        clauses=clauses,
        appendices=appendices,
        abbreviations=abbreviations,
        roadmaps=reader.roadmaps,
    )
