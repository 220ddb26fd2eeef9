"""Reader for text conversions of orders (the seeds' format).

The format, as converters leave it:

* paragraphs separated by blank lines; consecutive lines are one paragraph
  with line breaks, except that a line starting a list item («1.», «3.1.»,
  «1)», «- …») starts a new paragraph;
* table rows are lines with tab-separated cells; a blank line inside a run of
  rows is a page break of the original, so each run is a table fragment and
  fragments are stitched as a PDF's pages are;
* HTML fragments and markdown bold inside lines and cells.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.errors import InputError
from pipeline.layout import Block, Cell, Layout, Paragraph, Row, Source, Table
from pipeline.lang.words import join_letter_spaced, normalize_spaces
from pipeline.readers.inline import parse_inline
from pipeline.stitch import join_split_paragraphs, stitch_tables

_LIST_START = re.compile(r"^\s*(?:[-*•–]\s+|(?:\d+(?:\.\d+)*[.)]|[а-яa-z]\))\s)")
_MD_BULLET_BEFORE_NUMBER = re.compile(r"^\s*[-*•]\s+(?=\d+(?:\.\d+)*[.)]\s)")

MAX_TEXT_BYTES = 50 * 1024 * 1024


def decode(path: Path, data: bytes) -> str:
    if not data.strip():
        raise InputError(str(path), "файл пуст")
    if b"\x00" in data[:8192]:
        raise InputError(str(path), "это не текстовый файл (двоичные данные)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"текст не в кодировке UTF-8 (байт {exc.start})") from None


def _clean(fragment: str) -> tuple[str, bool]:
    inline = parse_inline(fragment)
    return join_letter_spaced(normalize_spaces(inline.text)), inline.bold


def _paragraph(lines: list[tuple[int, str]]) -> Paragraph:
    first_line = lines[0][0]
    raw = "\n".join(_MD_BULLET_BEFORE_NUMBER.sub("", text) if i == 0 else text for i, (_, text) in enumerate(lines))
    text, bold = _clean(raw)
    return Paragraph(text=text, bold=bold, source=Source(line=first_line))


def _row(number: int, line: str) -> Row:
    cells = []
    for fragment in line.split("\t"):
        text, bold = _clean(fragment)
        cells.append(Cell(text=text, bold=bold))
    return Row(cells=cells, source=Source(line=number))


def parse_text(text: str, path: str = "<text>") -> Layout:
    """The layout of a text conversion (already decoded)."""
    blocks: list[Block] = []
    para: list[tuple[int, str]] = []
    rows: list[Row] = []

    def flush_paragraph() -> None:
        if para:
            p = _paragraph(para)
            if p.text:
                blocks.append(p)
            para.clear()

    def flush_table() -> None:
        if rows:
            width = max(len(r.cells) for r in rows)
            for r in rows:
                r.cells.extend(Cell(text="") for _ in range(width - len(r.cells)))
            blocks.append(Table(rows=list(rows), source=rows[0].source))
            rows.clear()

    for number, line in enumerate(text.splitlines(), start=1):
        if "\t" in line:
            flush_paragraph()
            rows.append(_row(number, line))
        elif not line.strip():
            flush_paragraph()
            flush_table()
        else:
            flush_table()
            if _LIST_START.match(line):
                flush_paragraph()
            para.append((number, line))
    flush_paragraph()
    flush_table()
    return Layout(path=path, format="text", blocks=join_split_paragraphs(stitch_tables(blocks)))


def read_text(path: Path) -> Layout:
    data = path.read_bytes()
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(str(path), f"файл слишком велик ({len(data) // 1048576} МБ)")
    return parse_text(decode(path, data), str(path))
