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
from pipeline.limits import limits
from pipeline.layout import Block, Cell, Layout, Paragraph, Row, Source, Table
from pipeline.lang.words import join_letter_spaced, normalize_spaces
from pipeline.readers.inline import parse_inline
from pipeline.stitch import join_split_paragraphs, stitch_tables

_LIST_START = re.compile(r"^\s*(?:[-*•–]\s+|(?:\d+(?:\.\d+)*[.)]|[а-яa-z]\))\s)")
_MD_BULLET_BEFORE_NUMBER = re.compile(r"^\s*[-*•]\s+(?=\d+(?:\.\d+)*[.)]\s)")

_BOMS = [
    (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
]
# Single-byte Russian encodings a text conversion may come in; charset-normalizer
# chooses among them by how Russian the decoded text reads.
_RUSSIAN_ENCODINGS = ["cp1251", "koi8_r", "cp866", "mac_cyrillic", "iso8859_5"]


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 written without a BOM: in Russian text every other byte is the
    high byte of a Cyrillic letter (0x04) or of an ASCII one (0x00)."""
    sample = data[: 8192 & ~1]
    if len(sample) < 8:
        return None
    for name, high, low in (("utf-16-le", sample[1::2], sample[0::2]), ("utf-16-be", sample[0::2], sample[1::2])):
        zeros_or_cyrillic = sum(b in (0, 4) for b in high)
        if zeros_or_cyrillic >= 0.9 * len(high) and high.count(0) and low.count(0) <= 0.01 * len(low):
            return name
    return None


def decode(path: Path, data: bytes) -> str:
    """The text of a text file: UTF-8, UTF-16/32 (with a BOM or without one),
    or a single-byte Russian encoding (cp1251, KOI8-R, cp866 …) recognised
    by charset-normalizer."""
    if not data.strip():
        raise InputError(str(path), "файл пуст")
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None) or _utf16_without_bom(data)
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise InputError(str(path), f"текст в кодировке {encoding.upper()} повреждён (байт {exc.start})") from None
        if encoding.startswith("utf-16") or encoding.startswith("utf-32"):
            text = text.lstrip("\ufeff")
        if not text.strip():
            raise InputError(str(path), "файл пуст")
        return text
    if b"\x00" in data[:8192]:
        raise InputError(str(path), "это не текстовый файл (двоичные данные)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        position = exc.start
    # UTF-8 with a few damaged bytes (a bad copy, a cut download) is still
    # UTF-8: the damaged bytes are shown as «�», the rest is kept.  Read in a
    # single-byte code page instead, every Russian letter would be garbage.
    lossy = data.decode("utf-8", errors="replace")
    if lossy.count("\ufffd") <= max(2, len(data) // 1000) and _utf8_share(data) > 0.5:
        return lossy
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_RUSSIAN_ENCODINGS).best()
    if best is not None and _reads_as_text(str(best)):
        return str(best)
    raise InputError(str(path), f"текст не в кодировке UTF-8 и не в одной из русских кодировок (байт {position})")


def _utf8_share(data: bytes) -> float:
    """The share of the non-ASCII bytes that stand in well-formed UTF-8
    sequences."""
    high = sum(b >= 0x80 for b in data)
    if not high:
        return 1.0
    text = data.decode("utf-8", errors="replace")
    good = sum(len(ch.encode("utf-8")) for ch in text if ord(ch) >= 0x80 and ch != "\ufffd")
    return good / high


def _reads_as_text(text: str) -> bool:
    """Letters, digits, spaces and punctuation — not a binary file that
    happens to decode in a single-byte encoding."""
    sample = text[:20000]
    printable = sum(ch.isprintable() or ch in "\n\t\r" for ch in sample)
    return printable >= 0.98 * len(sample)


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
    if len(data) > limits().max_text_mb * 1024 * 1024:
        raise InputError(
            str(path), f"текстовый файл слишком велик: {len(data) / 1048576:.0f} МБ (предел {limits().max_text_mb:g} МБ, ROADMAP_MAX_TEXT_MB)"
        )
    return parse_text(decode(path, data), str(path))
