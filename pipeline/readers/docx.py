"""Reader for Word documents (DOCX).

The package is checked and its parts found first
(:func:`~pipeline.readers.oxml.package.open_package`: ZIP bombs, encryption,
DTDs, broken XML, missing parts; main document, styles, numbering).  The body
is walked as XML rather than through python-docx's paragraph API, because
that API drops what an order needs: runs inside tracked insertions and
content controls, field results, Word's automatic numbers.

What the layout gets:

* blocks in document order: each ``w:p`` a :class:`Paragraph`, each ``w:tbl`` a
  :class:`Table`, also inside content controls (``w:sdt``) and custom XML;
  paragraphs without text are dropped; headers, footers, footnotes and
  comments live in other parts and are never read;
* ``Source.line`` is the 1-based index of the block among the body's ``w:p``
  and ``w:tbl`` elements, dropped empty paragraphs included, so it points into
  the file.  All rows of a table carry the table's line; the content of a text
  box follows its anchoring paragraph and carries that paragraph's line;
* paragraph text: runs in order; line and carriage-return breaks are "\\n",
  tabs a space; tracked deletions, field codes, hidden (``w:vanish``) runs and
  note/comment reference marks are skipped; insertions and field results are
  kept;
* ``bold`` when every non-space character is bold, resolved as Word does: the
  run, its character style chain, the paragraph style chain, the document
  defaults (toggle properties are not XOR-ed across style levels);
* ``align`` from ``w:jc``, inherited through the paragraph style chain;
* ``list_label``: Word's automatic number (:mod:`~pipeline.readers.oxml.numbering`);
  in table cells, which have no label field, it is prepended to the paragraph,
  and so is a bulleted paragraph's bullet (as its font spells it; the layout
  maps a Symbol bullet to «•»);
* tables: one :class:`Row` per ``w:tr`` (tracked-deleted rows skipped), one
  :class:`Cell` per ``w:tc`` with ``col_span`` from ``w:gridSpan``;
  ``w:vMerge`` gives the top cell its ``row_span`` and the cells under it
  ``covered=True`` with no text; ``w:gridBefore``/``w:gridAfter`` become empty
  cells, one per grid column, so grid positions stay aligned; a cell's text
  is its paragraphs joined by "\\n", a nested table adding one line per row.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError
from pipeline.lang.words import normalize_spaces
from pipeline.layout import Alignment, Block, Cell, Layout, Paragraph, Row, Source, Table
from pipeline.readers.oxml import Element, StyleSheet, find, int_val, m, mc, on_off, val, w
from pipeline.readers.oxml.numbering import LEVELS, ListCounter, Numbering
from pipeline.readers.oxml.package import open_package

_ALIGNMENTS: dict[str, Alignment] = {
    "left": "left",
    "start": "left",
    "center": "center",
    "right": "right",
    "end": "right",
    "both": "justify",
    "distribute": "justify",
    "lowKashida": "justify",
    "mediumKashida": "justify",
    "highKashida": "justify",
    "thaiDistribute": "justify",
}

# Subtrees that hold no visible body text: tracked deletions and moves away,
# field codes, properties.
_SKIPPED = {
    w("del"),
    w("moveFrom"),
    w("instrText"),
    w("delInstrText"),
    w("pPr"),
    w("rPr"),
    w("sdtPr"),
    w("sdtEndPr"),
}
_TEXT = {w("t"), m("t")}
_SPACE = {w("tab"), w("ptab")}
_LINE_BREAK = {w("br"), w("cr")}
_BLOCKS = frozenset({w("p"), w("tbl")})
_ROWS = frozenset({w("tr")})
_CELLS = frozenset({w("tc")})
_PRIVATE_USE = range(0xE000, 0xF900)
# Word's own limit on table columns; also bounds hostile spans and grid gaps.
MAX_GRID_COLUMNS = 63


@dataclass
class _Inline:
    """The text of one paragraph as it is collected."""

    parts: list[str] = field(default_factory=list)
    # Whether every non-space character so far is bold, and whether there is any.
    all_bold: bool = True
    any_text: bool = False
    # Text box contents (w:txbxContent) met inside the paragraph.
    boxes: list[Element] = field(default_factory=list)

    def add(self, text: str, bold: bool) -> None:
        self.parts.append(text)
        if text.strip():
            self.any_text = True
            self.all_bold = self.all_bold and bold


@dataclass(frozen=True, slots=True)
class _ParagraphContent:
    text: str
    bold: bool
    align: Alignment | None
    label: str | None
    bullet: str | None
    boxes: list[Element]


def _printed(glyph: str) -> bool:
    """Whether a bullet's glyph prints: a private-use code point prints only
    as a symbol font's glyph the symbol table knows (U+F0B7 the Symbol
    bullet); in a text font (a bullet U+E83A in Times New Roman) it draws
    nothing."""
    from pipeline.lang.data import load

    known = load("symbols")["private_use"]
    return all(ord(ch) not in _PRIVATE_USE or ch in known for ch in glyph)


def _clean(text: str) -> str:
    return normalize_spaces(text).strip("\n")


def _grid_count(element: Element | None) -> int:
    """A ``w:gridBefore``/``w:gridAfter`` count, bounded."""
    return min(max(int_val(element) or 0, 0), MAX_GRID_COLUMNS)


def _children(container: Element | None, tags: frozenset[str]) -> Iterator[Element]:
    """Children named in ``tags``, in order, looking through content controls
    and custom XML, which may wrap blocks, rows and cells alike."""
    if container is None:
        return
    for child in container:
        if child.tag in tags:
            yield child
        elif child.tag == w("sdt"):
            yield from _children(find(child, "sdtContent"), tags)
        elif child.tag == w("customXml"):
            yield from _children(child, tags)


class _BodyReader:
    def __init__(self, styles: StyleSheet, numbering: Numbering):
        self._styles = styles
        self._counter = ListCounter(numbering)

    # -- paragraphs --------------------------------------------------------

    def _run_bold(self, run: Element | None, paragraph_style: str | None) -> bool:
        if run is None:
            return False
        direct = on_off(find(run, "rPr", "b"))
        if direct is not None:
            return direct
        character_style = val(find(run, "rPr", "rStyle"))
        for inherited in (
            self._styles.inherited(character_style, "rPr", "b"),
            self._styles.inherited(paragraph_style, "rPr", "b"),
            self._styles.run_default("b"),
        ):
            if inherited is not None:
                return bool(on_off(inherited))
        return False

    def _collect(self, element: Element, run: Element | None, style: str | None, out: _Inline) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED:  # comments, processing instructions
                continue
            if tag == w("r"):
                if not on_off(find(child, "rPr", "vanish")):
                    self._collect(child, child, style, out)
            elif tag in _TEXT:
                out.add(child.text or "", self._run_bold(run, style))
            elif tag in _SPACE:
                out.add(" ", self._run_bold(run, style))
            elif tag in _LINE_BREAK:
                out.add("\n", False)
            elif tag == w("noBreakHyphen"):
                out.add("-", self._run_bold(run, style))
            elif tag == w("sym"):
                self._add_symbol(child, run, style, out)
            elif tag == w("txbxContent"):
                out.boxes.append(child)
            elif tag == mc("AlternateContent"):
                # Alternatives hold the same content (a text box as a shape and
                # as VML): read one, the first choice.
                chosen = child.find(mc("Choice"))
                if chosen is None:
                    chosen = child.find(mc("Fallback"))
                if chosen is not None:
                    self._collect(chosen, run, style, out)
            else:
                # Hyperlinks, insertions, field results, content controls,
                # drawings (which may hold text boxes), math, smart tags.
                self._collect(child, run, style, out)

    def _add_symbol(self, sym: Element, run: Element | None, style: str | None, out: _Inline) -> None:
        # Symbol-font characters sit in the private use area and are not text.
        try:
            code = int(sym.get(w("char"), ""), 16)
        except ValueError:
            return
        if code not in _PRIVATE_USE and 0 < code < 0x110000:
            out.add(chr(code), self._run_bold(run, style))

    def _alignment(self, p_pr: Element | None, style: str | None) -> Alignment | None:
        jc = find(p_pr, "jc")
        if jc is None:
            jc = self._styles.inherited(style, "pPr", "jc")
        return _ALIGNMENTS.get(val(jc) or "")

    def _list_label(self, p_pr: Element | None, style: str | None) -> tuple[str | None, str | None]:
        """The paragraph's list number (counted) and, for a bulleted one, its
        bullet."""
        # numId and ilvl are inherited separately: a style may set only one.
        num_pr = find(p_pr, "numPr")
        num_id = int_val(find(num_pr, "numId"))
        if num_id is None:
            num_id = int_val(self._styles.inherited(style, "pPr", "numPr", "numId"))
        level = int_val(find(num_pr, "ilvl"))
        if level is None:
            level = int_val(self._styles.inherited(style, "pPr", "numPr", "ilvl"))
        if not num_id or (level is not None and not 0 <= level < LEVELS):
            return None, None
        label = self._counter.next_label(num_id, level, style)
        if label:
            return normalize_spaces(label), None
        return None, self._counter.bullet(num_id, level, style)  # a bullet level has no label

    def _paragraph(self, p: Element) -> _ParagraphContent:
        p_pr = find(p, "pPr")
        style = self._styles.paragraph_style_id(p_pr)
        # Counted before the text is known: Word numbers empty items too.
        label, bullet = self._list_label(p_pr, style)
        if bullet and not _printed(bullet):
            bullet = None
        inline = _Inline()
        self._collect(p, None, style, inline)
        return _ParagraphContent(
            text=_clean("".join(inline.parts)),
            bold=inline.any_text and inline.all_bold,
            align=self._alignment(p_pr, style),
            label=label,
            bullet=bullet,
            boxes=inline.boxes,
        )

    # -- blocks ------------------------------------------------------------

    def blocks(self, container: Element | None, line: int | None = None) -> list[Block]:
        """The blocks of a body (``line`` None: numbered from 1) or of a text
        box (every block carries its anchor's ``line``)."""
        blocks: list[Block] = []
        for index, element in enumerate(_children(container, _BLOCKS), start=1):
            source = Source(line=line if line is not None else index)
            if element.tag == w("tbl"):
                table = self._table(element, source)
                if table.rows:
                    blocks.append(table)
                continue
            content = self._paragraph(element)
            if content.text:
                blocks.append(
                    Paragraph(
                        text=content.text,
                        source=source,
                        bold=content.bold,
                        align=content.align,
                        list_label=content.label,
                    )
                )
            for box in content.boxes:
                blocks.extend(self.blocks(box, source.line))
        return blocks

    # -- tables ------------------------------------------------------------

    def _cell_content(self, container: Element) -> tuple[str, bool]:
        """A cell's (or text box's) text, one line per paragraph and per nested
        table row, and whether all of it is bold."""
        pieces: list[tuple[str, bool]] = []
        for element in _children(container, _BLOCKS):
            if element.tag == w("tbl"):
                for row in self._table(element, Source()).rows:
                    texts = [c.text.replace("\n", " ") for c in row.cells if c.text]
                    if texts:
                        pieces.append((" ".join(texts), all(c.bold for c in row.cells if c.text)))
                continue
            content = self._paragraph(element)
            # A cell has no list field: its numbers and bullets are drawn
            # into its text, as the page shows them.
            mark = content.label or (content.bullet if content.text else None)
            text = f"{mark} {content.text}".strip() if mark else content.text
            if text:
                pieces.append((text, content.bold))
            for box in content.boxes:
                box_text, box_bold = self._cell_content(box)
                if box_text:
                    pieces.append((box_text, box_bold))
        text = _clean("\n".join(text for text, _ in pieces))
        return text, bool(pieces) and all(bold for _, bold in pieces)

    def _table(self, tbl: Element, source: Source) -> Table:
        rows: list[Row] = []
        # Grid column → the cell a vertical merge there started from.
        merges: dict[int, Cell] = {}
        for number, tr in enumerate(_children(tbl, _ROWS), start=1):
            tr_pr = find(tr, "trPr")
            if find(tr_pr, "del") is not None:
                continue
            cells = [Cell(text="") for _ in range(_grid_count(find(tr_pr, "gridBefore")))]
            column = len(cells)
            row_merges: dict[int, Cell] = {}
            for tc in _children(tr, _CELLS):
                tc_pr = find(tc, "tcPr")
                span = min(max(int_val(find(tc_pr, "gridSpan")) or 1, 1), MAX_GRID_COLUMNS)
                h_merge = find(tc_pr, "hMerge")
                if h_merge is not None and val(h_merge) != "restart" and cells:
                    # Legacy horizontal merge: this cell widens the one before.
                    cells[-1].col_span += span
                    column += span
                    continue
                v_merge = find(tc_pr, "vMerge")
                # An absent w:val means "continue" the merge from the row above.
                if v_merge is not None and val(v_merge) != "restart" and column in merges:
                    merges[column].row_span += 1
                    row_merges[column] = merges[column]
                    cells.append(Cell(text="", col_span=span, covered=True))
                else:
                    text, bold = self._cell_content(tc)
                    cell = Cell(text=text, bold=bold, col_span=span)
                    cells.append(cell)
                    if v_merge is not None:
                        row_merges[column] = cell
                column += span
            cells.extend(Cell(text="") for _ in range(_grid_count(find(tr_pr, "gridAfter"))))
            merges = row_merges
            rows.append(Row(cells=cells, source=Source(page=source.page, line=source.line, row=number if source.line else None)))
        return Table(rows=rows, source=source)


def _has_text(blocks: list[Block]) -> bool:
    for block in blocks:
        if isinstance(block, Paragraph):
            if block.text.strip():
                return True
        elif any(not row.is_empty() for row in block.rows):
            return True
    return False


def read_docx(path: Path) -> Layout:
    """The layout of a DOCX file, or :class:`InputError` saying why not."""
    package = open_package(path)
    styles = StyleSheet(package.styles)
    reader = _BodyReader(styles, Numbering(package.numbering, styles))
    blocks = reader.blocks(find(package.document, "body"))
    if not _has_text(blocks):
        raise InputError(str(path), "в документе нет текста")
    return Layout(path=str(path), format="docx", blocks=blocks)
