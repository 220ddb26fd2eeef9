"""Reader for PDF files with a text layer (pdfplumber).

A PDF knows glyphs and rules, not paragraphs and tables; this reader
rebuilds them the way a reader's eye does:

* tables come from ruling lines (pdfplumber's ``find_tables``, lines
  strategy); the cell grid is rebuilt from the cells' edges, so a cell merged
  across columns is one :class:`Cell` with ``col_span``, and a cell with no
  rule under it spans rows (``row_span``, ``covered`` cells below);
* the words outside tables are grouped into lines (words whose boxes overlap
  vertically) and lines into paragraphs: a new paragraph starts at a gap
  clearly larger than the page's line gap, at a first-line indent, at a list
  number («1.», «3.1.», «1)», «- »), at a change of alignment, boldness or
  font size, and after the short last line of a justified paragraph;
* a line break is kept as ``"\n"`` where the writer made it and a wrapped
  line is joined with a space (the next word would not have fitted on the
  line: see :func:`line_break`), so parties typed one per line stay lines
  while a name that merely wrapped stays whole; a line ending in a hyphen
  keeps its ``"\n"`` for the dictionary repair of later stages
  (:func:`pipeline.lang.words.join_fragments`).  ``PdfSettings(line_breaks=
  "printed")`` keeps every printed line instead;
* running headers and footers (blocks set off at the top or bottom edge,
  repeating at one height on most pages, digits aside), page numbers and
  «Продолжение таблицы …» lines are dropped;
* table fragments of consecutive pages are joined and page-broken paragraphs
  rejoined by :mod:`pipeline.stitch`, as for every paged input.

``Source(page, line)``: the page (1-based) and the place on it, counting
lines outside tables and table rows together from the top (1-based); a
table's line is its first row's.

Pages are read one at a time and released (``page.close()``), so memory
follows the page, not the document; what is kept of a page is its lines and
tables as text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.psexceptions import PSEOF
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.errors import InputError, NoTextLayer
from pipeline.lang.morph import is_known
from pipeline.layout import Layout
from pipeline.limits import limits
from pipeline.page.assemble import assemble, layout_page
from pipeline.page.content import PageContent
from pipeline.page.model import Page, Rule, Word
from pipeline.page.settings import LayoutSettings

# The page layout's names, for callers and tests that know them from here.
from pipeline.page.furniture import find_furniture, is_continuation_caption, is_page_number  # noqa: E402,F401
from pipeline.page.lines import Line, group_lines, line_break, lines_text  # noqa: E402,F401
from pipeline.page.paragraphs import TextArea, line_kind, split_paragraphs  # noqa: E402,F401
from pipeline.page.tables import build_grid, cluster, table_rows  # noqa: E402,F401

# pdfminer reports every quirk it recovers from as a log record; without a
# handler Python prints them on stderr (171 lines for one damaged file).
# What matters reaches the user as the reader's own error.
for _name in ("pdfminer", "pdfplumber"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False


@dataclass(frozen=True, slots=True)
class PdfSettings(LayoutSettings):
    """The page layout's tolerances, and what tells a text layer from a scan."""

    # Fewer visible characters per page than this, on average: a scan.
    min_chars_per_page: float = 20.0
    # More than this share of glyphs without a Unicode mapping ("(cid:12)"):
    # the text layer cannot be read.
    max_unmapped_share: float = 0.5
    # A page this much covered by images is a scanned page: its text layer,
    # if any, was made by the scanner's OCR and is trusted only if it reads
    # as Russian — at least this share of its words (of three letters or
    # more) are dictionary words and there are at least this many words.
    scan_image_share: float = 0.5
    min_russian_share: float = 0.75
    min_words_on_scan: int = 5
    # Vector rules at least this long, at least this many, and the page's
    # tables are ruled in its text layer; otherwise, over a scan, the rules
    # are looked for in the image.
    rule_length: float = 20.0
    min_vector_rules: int = 4


DEFAULT_SETTINGS = PdfSettings()

ENCRYPTED = "PDF зашифрован"
SCANNED = "нет текстового слоя: PDF — это скан (нужно распознавание текста)"
UNMAPPED = "текст PDF не читается: у шрифтов нет таблицы символов (нужно распознавание текста)"


# --- The text layer -----------------------------------------------------------

# Subset prefix «ABCDEF+» aside, a bold face says so in its name:
# "TimesNewRomanPS-BoldMT", "LiberationSerif-Bold", "Arial,Bold", "Arial-BoldItalicMT",
# "PTSerif-Bold", "Calibri-Bold", "Verdana-Bold", "MyriadPro-Semibold", "Arial Black".
_BOLD_FACE = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)


def is_bold_font(fontname: str) -> bool:
    return bool(_BOLD_FACE.search(fontname.split("+", 1)[-1]))


def duplicate_glyphs(chars: Sequence[dict[str, Any]], tolerance: float = 1.0) -> set[int]:
    """ids of glyphs printed again over the same glyph (a "bold" made by
    printing twice, a doubled layer): same text, font and size, within
    ``tolerance`` of one kept.  Linear, unlike pdfplumber's ``dedupe_chars``,
    which sorts by ``list.index`` and is quadratic in a page's glyphs."""
    kept: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    duplicates: set[int] = set()
    step = 2 * tolerance
    for ch in chars:
        key = (ch["text"], ch.get("fontname"), round(float(ch.get("size", 0)), 1), ch.get("upright"))
        top, x0 = float(ch["top"]), float(ch["x0"])
        row, column = round(top / step), round(x0 / step)
        if _near_kept(kept, key, row, column, top, x0, tolerance):
            duplicates.add(id(ch))
        else:
            kept.setdefault((key, row, column), []).append(ch)
    return duplicates


def _near_kept(kept: dict, key: tuple, row: int, column: int, top: float, x0: float, tolerance: float) -> bool:
    # Plain loops: a generator over the nine cells cost more than the lookups.
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            for other in kept.get((key, row + dy, column + dx), ()):
                if abs(float(other["top"]) - top) <= tolerance and abs(float(other["x0"]) - x0) <= tolerance:
                    return True
    return False


def page_objects(page: Any, settings: PdfSettings) -> Page:
    """All pdfplumber calls on one page (the only code that parses the page)."""
    duplicates = duplicate_glyphs(page.chars)
    if duplicates:
        page = page.filter(lambda obj: id(obj) not in duplicates)
    chars = page.chars
    visible = sum(1 for ch in chars if ch["text"].strip())
    unmapped = sum(1 for ch in chars if ch["text"].startswith("(cid:"))
    raw_words = page.extract_words(
        x_tolerance=settings.x_tolerance,
        y_tolerance=settings.y_tolerance,
        keep_blank_chars=False,
        use_text_flow=False,
        extra_attrs=["fontname", "size"],
    )
    words = [
        Word(
            text=w["text"],
            x0=float(w["x0"]),
            x1=float(w["x1"]),
            top=float(w["top"]),
            bottom=float(w["bottom"]),
            size=float(w["size"]),
            bold=is_bold_font(w["fontname"]),
        )
        for w in raw_words
    ]
    rules = [
        Rule(float(e["x0"]), float(e["top"]), float(e["x1"]), float(e["bottom"]), e["orientation"])
        for e in page.edges
        if e.get("orientation") in ("h", "v")
    ]
    images = [(float(i["x0"]), float(i["top"]), float(i["x1"]), float(i["bottom"])) for i in page.images]
    return Page(
        number=page.page_number,
        width=float(page.width),
        height=float(page.height),
        words=words,
        rules=rules,
        images=images,
        visible_chars=visible,
        unmapped_chars=unmapped,
    )


# --- The source of each page ----------------------------------------------------

PageSource = Literal["text", "text+image rules", "ocr"]


def image_share(page: Page) -> float:
    """The share of the page covered by images (clipped to the page; the
    largest one, as a scan is one picture of the page)."""
    area = page.width * page.height
    if area <= 0:
        return 0.0
    largest = 0.0
    for x0, top, x1, bottom in page.images:
        w = min(x1, page.width) - max(x0, 0.0)
        h = min(bottom, page.height) - max(top, 0.0)
        largest = max(largest, max(w, 0.0) * max(h, 0.0))
    return largest / area


def russian_share(words: Sequence[Word]) -> tuple[int, float]:
    """How many words of three letters or more the text has, and the share of
    them that are Russian dictionary words."""
    tokens = [t for w in words for t in re.findall(r"[^\W\d_]{3,}", w.text)]
    if not tokens:
        return 0, 0.0
    known = sum(1 for t in tokens if re.fullmatch(r"[а-яёА-ЯЁ]+", t) and is_known(t.lower()))
    return len(tokens), known / len(tokens)


def page_source(page: Page, settings: PdfSettings = DEFAULT_SETTINGS) -> PageSource:
    """Where a page's words and rules are to come from.  A page of text is
    read from its text layer.  A scanned page (one picture covers most of
    it) is read by OCR unless its text layer reads as Russian — a garbage
    layer (mojibake) or a poor one from the scanner's OCR is replaced; a
    good one gives the words, and, when it has no ruling of its own, the
    rules come from the picture."""
    if image_share(page) < settings.scan_image_share:
        return "text"
    count, share = russian_share(page.words)
    if count < settings.min_words_on_scan or share < settings.min_russian_share:
        return "ocr"
    vector = sum(1 for r in page.rules if r.length >= settings.rule_length)
    return "text" if vector >= settings.min_vector_rules else "text+image rules"


# --- Errors -------------------------------------------------------------------

# A complete PDF ends with «%%EOF» (a little junk after it is tolerated).
EOF_SEARCH_BYTES = 2048


def check_complete(path: Path) -> None:
    """Raise InputError for a PDF cut short (an interrupted download)."""
    try:
        with path.open("rb") as fh:
            fh.seek(0, 2)
            size = fh.tell()
            fh.seek(max(0, size - EOF_SEARCH_BYTES))
            tail = fh.read()
    except OSError as exc:
        raise InputError(str(path), f"файл не читается: {exc.strerror}") from None
    if b"%%EOF" not in tail:
        raise InputError(str(path), "повреждённый PDF: файл обрезан (нет метки конца %%EOF)")


def _cause(exc: BaseException) -> BaseException:
    while isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], BaseException):
        exc = exc.args[0]
    return exc


def pdf_error(path: Path, exc: BaseException, where: str = "") -> InputError:
    """The user's one line for an exception raised while parsing a PDF."""
    cause = _cause(exc)
    if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
        return InputError(str(path), ENCRYPTED)
    if isinstance(cause, PSEOF):
        detail = "неожиданный конец данных (файл обрезан?)"
    else:
        message = str(cause).strip()
        detail = f"{type(cause).__name__}: {message[:120]}" if message else type(cause).__name__
    return InputError(str(path), f"повреждённый PDF: {where}{detail}")


def check_text_layer(path: Path, pages: Sequence[PageContent], settings: PdfSettings) -> None:
    visible = sum(p.visible_chars for p in pages)
    if visible < settings.min_chars_per_page * len(pages):
        raise NoTextLayer(str(path), SCANNED)
    unmapped = sum(p.unmapped_chars for p in pages)
    if unmapped > settings.max_unmapped_share * visible:
        raise InputError(str(path), UNMAPPED)


def read_pages(path: Path, settings: PdfSettings = DEFAULT_SETTINGS) -> list[PageContent]:
    """Every page's lines and tables; each page is released once read.  Each
    page's words and rules come from the source :func:`page_source` names."""
    check_complete(path)
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many kinds on a broken file
        raise pdf_error(path, exc) from None
    pages: list[Page] = []
    try:
        try:
            plumber_pages = pdf.pages
        except Exception as exc:
            raise pdf_error(path, exc) from None
        if not plumber_pages:
            raise InputError(str(path), "повреждённый PDF: в нём нет страниц")
        check_page_count(path, len(plumber_pages))
        for number, page in enumerate(plumber_pages, start=1):
            try:
                pages.append(page_objects(page, settings))
            except Exception as exc:
                raise pdf_error(path, exc, f"страница {number}: ") from None
            finally:
                page.close()
    finally:
        try:
            pdf.close()
        except Exception:  # a damaged file may fail to close; its own error is the one to report
            pass
    return [_lay_out(path, page, settings) for page in _from_images(path, pages, settings)]


def _from_images(path: Path, pages: list[Page], settings: PdfSettings) -> list[Page]:
    """Pages whose text layer is not to be trusted read by OCR; pages whose
    rules are only in the picture given the picture's rules.  A document with
    no text layer at all is left to the scan reader (NoTextLayer)."""
    sources = [page_source(p, settings) for p in pages]
    if all(s == "text" for s in sources):
        return pages
    visible = sum(p.visible_chars for p in pages)
    if visible < settings.min_chars_per_page * len(pages):
        return pages  # a scan: check_text_layer hands it to the scan reader
    from pipeline.readers.ocr import ocr_pdf_page, rules_under_text, tesseract_available

    out = []
    for page, source in zip(pages, sources):
        if source == "ocr" and tesseract_available():
            read = ocr_pdf_page(path, page.number - 1)
            read.visible_chars, read.unmapped_chars = page.visible_chars, page.unmapped_chars
            out.append(read)
        elif source == "text+image rules":
            out.append(rules_under_text(path, page))
        else:
            out.append(page)
    return out


def _lay_out(path: Path, page: Page, settings: PdfSettings) -> PageContent:
    if page.source == "ocr":
        from pipeline.readers.ocr import OCR_LAYOUT

        return layout_page(page.number, page, OCR_LAYOUT)
    return layout_page(page.number, page, settings)


def check_text_elsewhere(path: Path, settings: PdfSettings = DEFAULT_SETTINGS) -> None:
    """Raise InputError if pdfium reads a text layer that pdfminer could not."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:
        return
    try:
        count = len(document)
        chars = 0
        for index in range(count):
            page = document[index]
            text = page.get_textpage()
            chars += text.count_chars()
            text.close()
            page.close()
    finally:
        document.close()
    if count and chars >= settings.min_chars_per_page * count:
        raise InputError(
            str(path), "повреждённый PDF: его текстовый слой не читается (нарушена структура файла); пересохраните PDF"
        )


def check_page_count(path: Path, count: int, limit: int | None = None) -> None:
    limit = limits().max_pages if limit is None else limit
    if count > limit:
        raise InputError(str(path), f"слишком много страниц: {count} (предел {limit}, ROADMAP_MAX_PAGES)")


def read_pdf(path: Path, settings: PdfSettings = DEFAULT_SETTINGS) -> Layout:
    """Read a PDF with a text layer into a layout, or raise :class:`InputError`."""
    path = Path(path)
    pages = read_pages(path, settings)
    check_text_layer(path, pages, settings)
    repair = None
    if any(p.source == "ocr" for p in pages):
        from pipeline.readers.ocr import ocr_text_repair as repair
    return Layout(path=str(path), format="pdf", blocks=assemble(pages, settings, repair=repair), pages=len(pages))
