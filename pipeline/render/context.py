"""What a template needs from an order: the requisites formatted for print,
clause paragraphs, appendix heading lines and content blocks, and roadmap
tables as rows of cells.  Shared by the DOCX, HTML and Markdown renderers so
that they print the same document."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.lang.inflect import inflect_phrase, noun_form, sentence_case
from pipeline.render.typography import date_in_words, typeset
from schemas import Appendix, Item, Order, Roadmap

BLANK_DATE = "«___» __________ 20__ г."
BLANK_NUMBER = "______"
_OPERATIVE = {"приказ": "ПРИКАЗЫВАЮ:", "постановление": "ПОСТАНОВЛЯЮ:"}
_HEADING_BREAKS = re.compile(r"\s+(?=(?:к\s|от\s|\(в\s+ред|приказом|распоряжением|постановлением))", re.I)


@dataclass(slots=True)
class TableRow:
    cells: list[str]
    section: bool = False  # one title merged across the width


@dataclass(slots=True)
class TableView:
    headers: list[str]
    roles: list[str]
    rows: list[TableRow] = field(default_factory=list)
    roadmap: bool = True


@dataclass(slots=True)
class BlockView:
    text: str | None = None
    table: TableView | None = None


@dataclass(slots=True)
class AppendixView:
    heading: list[str]
    title: str | None
    blocks: list[BlockView]


def print_date(order: Order) -> str:
    """The document's date in words («17 августа 2021 г.») when it is known —
    not as the source spelt it («« 17 » август 20 21 г.» from a form with
    blanks); as printed when it could not be read; blanks when absent."""
    doc = order.document
    if doc.date:
        return date_in_words(doc.date)
    return doc.date_text or BLANK_DATE


def _dative(kind: str) -> str:
    return noun_form(kind, "datv")


def default_heading(order: Order, appendix: Appendix) -> list[str]:
    """«Приложение № N» / «к приказу <органа>» / «от <дата> № <номер>» (ГОСТ)."""
    doc = order.document
    label = f"Приложение № {appendix.number or appendix.index}" if len(order.appendices) > 1 or appendix.number else "Приложение"
    lines = [label]
    if doc.kind:
        authority = inflect_phrase(sentence_case(doc.authority), "gent") if doc.authority else ""
        lines.append(f"к {_dative(doc.kind)} {authority}".strip())
    lines.append(f"от {print_date(order)} № {doc.number or BLANK_NUMBER}")
    return lines


def heading_lines(order: Order, appendix: Appendix) -> list[str]:
    if appendix.heading:
        return [line.strip() for line in _HEADING_BREAKS.split(appendix.heading) if line.strip()]
    return default_heading(order, appendix)


def _item_cells(item: Item, roadmap: Roadmap) -> list[str]:
    cells = []
    for column in roadmap.columns:
        role = column.role
        if role == "number":
            cells.append(item.number or "")
        elif role == "activity":
            cells.append(item.activity)
        elif role == "description":
            cells.append(item.description or "")
        elif role == "deadline":
            cells.append(item.deadline.text if item.deadline else "")
        elif role == "responsible":
            cells.append("\n".join(p.text for p in item.responsibles))
        elif role == "result":
            cells.append(item.result or "")
        else:
            cells.append(item.extra.get(column.header, ""))
    return cells


def roadmap_table(roadmap: Roadmap) -> TableView:
    table = TableView(headers=[c.header for c in roadmap.columns], roles=[c.role for c in roadmap.columns])
    section = None
    for item in roadmap.items:
        if item.section != section:
            section = item.section
            if section:
                table.rows.append(TableRow([section], section=True))
        table.rows.append(TableRow(_item_cells(item, roadmap)))
    return table


def plain_table(rows: list[list[str]]) -> TableView:
    width = max((len(r) for r in rows), default=0)
    return TableView(headers=[], roles=["other"] * width, rows=[TableRow(r + [""] * (width - len(r))) for r in rows], roadmap=False)


def appendix_view(order: Order, appendix: Appendix) -> AppendixView:
    blocks: list[BlockView] = []
    for block in appendix.content:
        if block.type == "paragraph" and block.text:
            blocks.append(BlockView(text=block.text))
        elif block.roadmap is not None and block.roadmap < len(order.roadmaps):
            blocks.append(BlockView(table=roadmap_table(order.roadmaps[block.roadmap])))
        elif block.rows:
            blocks.append(BlockView(table=plain_table(block.rows)))
    return AppendixView(heading_lines(order, appendix), appendix.title, blocks)


def clause_paragraphs(order: Order) -> list[str]:
    paragraphs = []
    for clause in order.clauses:
        lines = clause.text.split("\n")
        paragraphs.append(f"{clause.number} {lines[0]}" if clause.number else lines[0])
        paragraphs.extend(lines[1:])
    return paragraphs


def order_context(order: Order) -> dict:
    """The values every template prints, as plain strings and lists, typeset
    (no-break spaces after «№», before «г.», around initials)."""
    doc = order.document
    appendices = [appendix_view(order, a) for a in order.appendices]
    # Roadmaps outside any appendix (in the order's body) are printed as an appendix.
    placed = {b.roadmap for a in order.appendices for b in a.content if b.roadmap is not None}
    for index, roadmap in enumerate(order.roadmaps):
        if index not in placed:
            appendices.append(AppendixView(default_heading(order, Appendix(index=len(appendices) + 1)), roadmap.title, [BlockView(table=roadmap_table(roadmap))]))
    for appendix in appendices:
        _typeset_appendix(appendix)
    clauses = [typeset(p) for p in clause_paragraphs(order)]
    return {
        "authority": doc.authority or "",
        "kind": (doc.kind or "").upper(),
        "date": print_date(order),
        "number": typeset(f"№ {doc.number or BLANK_NUMBER}"),
        "place": typeset(doc.place or ""),
        "title": typeset(doc.title or ""),
        "preamble": [typeset(p) for p in (doc.preamble or "").split("\n") if p],
        "operative": _OPERATIVE.get(doc.kind or "", ""),
        "clauses": clauses,
        "clauses_but_last": clauses[:-1],
        "last_clause": clauses[-1] if clauses else "",
        "signatory_position": typeset(doc.signatory.position or ""),
        "signatory_name": typeset(doc.signatory.name or ""),
        "appendices": appendices,
    }


def _typeset_appendix(appendix: AppendixView) -> None:
    appendix.heading = [typeset(line) for line in appendix.heading]
    appendix.title = typeset(appendix.title) if appendix.title else appendix.title
    for block in appendix.blocks:
        if block.text:
            block.text = typeset(block.text)
        if block.table:
            block.table.headers = [typeset(h) for h in block.table.headers]
            for row in block.table.rows:
                row.cells = [typeset(c) for c in row.cells]
