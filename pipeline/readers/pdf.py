"""Reader for PDF files with a text layer.

Two engines read the text layer into one page model: pdfium (pypdfium2, in
C, several times faster) for every page it is known to read exactly, and
pdfplumber (pdfminer) for the rest — a rotated page, an OCR layer over a
scan — and for a file pdfium cannot open, whose errors pdfminer names
(:class:`_Engines`, ``PdfSettings.engine``).  Words, tables and everything
after are the same code for both.

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

Pages are read one at a time, laid out and released, so memory follows
the page, not the document; what is kept of a page is its lines and tables
as text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pdfplumber
import pypdfium2
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.psexceptions import PSEOF
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.errors import InputError, NoTextLayer
from pipeline.lang.morph import is_known
from pipeline.layout import Layout
from pipeline.limits import limits
from pipeline.page.assemble import assemble, layout_page
from pipeline.page.content import PageContent

# The page layout's names, for callers and tests that know them from here.
from pipeline.page.furniture import (  # noqa: E402,F401
    find_furniture,
    is_continuation_caption,
    is_page_number,
)
from pipeline.page.lines import Line, group_lines, line_break, lines_text  # noqa: E402,F401
from pipeline.page.model import Page, Rule, Word
from pipeline.page.paragraphs import TextArea, line_kind, split_paragraphs  # noqa: E402,F401
from pipeline.page.settings import LayoutSettings
from pipeline.progress import report
from pipeline.page.tables import build_grid, cluster, table_rows  # noqa: E402,F401
from pipeline.readers import pdfium_page
from pipeline.readers.glyphs import (  # noqa: F401
    duplicate_glyphs,
    face,
    is_bold_font,
    unique_glyphs,
    words_from_chars,
)

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
    # The engine for pages of text: "pdfium" (fast, in C; pages it is not
    # known to read exactly go to pdfplumber all the same) or "pdfplumber".
    engine: Literal["pdfium", "pdfplumber"] = "pdfium"


DEFAULT_SETTINGS = PdfSettings()

ENCRYPTED = "PDF зашифрован"
SCANNED = "нет текстового слоя: PDF — это скан (нужно распознавание текста)"
UNMAPPED = "текст PDF не читается: у шрифтов нет таблицы символов (нужно распознавание текста)"


# --- The text layer -----------------------------------------------------------

def page_objects(page: Any, settings: PdfSettings) -> Page:
    """One page through pdfplumber (pdfminer): the fallback engine, for the
    pages pdfium is not known to read exactly."""
    chars = page.chars
    for ch in chars:
        ch["fontname"] = face(ch["fontname"])
    chars = unique_glyphs(chars)
    visible = sum(1 for ch in chars if ch["text"].strip())
    unmapped = sum(1 for ch in chars if ch["text"].startswith("(cid:"))
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
        words=words_from_chars(chars, settings),
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


class _Engines:
    """The two engines over one file: pdfium for the pages it reads exactly,
    pdfplumber, opened only when a page needs it, for the rest.  A file
    pdfium cannot open goes to pdfplumber whole, whose errors the user is
    told (:func:`pdf_error`)."""

    def __init__(self, path: Path, settings: PdfSettings) -> None:
        self.path, self.settings = path, settings
        self.pdfium: pypdfium2.PdfDocument | None = None
        self.plumber: Any = None
        self._plumber_pages: list[Any] | None = None
        if settings.engine == "pdfium":
            try:
                self.pdfium = pypdfium2.PdfDocument(str(path))
            except pypdfium2.PdfiumError:
                self.pdfium = None

    def page_count(self) -> int:
        return len(self.pdfium) if self.pdfium is not None else len(self._plumber())

    def read(self, number: int) -> Page:
        page = self._from_pdfium(number) if self.pdfium is not None else None
        if page is not None:
            return page
        plumber_pages = self._plumber()
        if number > len(plumber_pages):
            raise InputError(str(self.path), f"повреждённый PDF: страница {number} не читается")
        plumber_page = plumber_pages[number - 1]
        try:
            return page_objects(plumber_page, self.settings)
        except Exception as exc:
            raise pdf_error(self.path, exc, f"страница {number}: ") from None
        finally:
            plumber_page.close()

    def _from_pdfium(self, number: int) -> Page | None:
        """The page read by pdfium, or None: pdfium cannot load it, or is not
        known to read it exactly."""
        try:
            page = self.pdfium[number - 1]
        except pypdfium2.PdfiumError:
            return None
        try:
            width, height = pdfium_page.page_size(page)
            objects = pdfium_page.PageObjects(page, height)
            if not self._exact(page, objects, width, height):
                return None
            return pdfium_page.read_page(page, number, objects, self.settings)
        except pypdfium2.PdfiumError:
            return None
        finally:
            page.close()

    def _exact(self, page: pypdfium2.PdfPage, objects: pdfium_page.PageObjects, width: float, height: float) -> bool:
        """pdfium reads this page as pdfplumber would: its coordinates are
        pdfplumber's, and the page has no OCR text layer — text drawn
        invisible, or any text over a picture that covers the page — in
        which pdfium's text page drops one-letter words."""
        if not pdfium_page.exact_here(page) or objects.invisible_text:
            return False
        if objects.text_objects and width * height > 0:
            return image_share(Page(number=0, width=width, height=height, images=objects.images)) < self.settings.scan_image_share
        return True

    def _plumber(self) -> list[Any]:
        if self._plumber_pages is None:
            try:
                self.plumber = pdfplumber.open(self.path)
                self._plumber_pages = list(self.plumber.pages)
            except InputError:
                raise
            except Exception as exc:  # pdfminer raises many kinds on a broken file
                raise pdf_error(self.path, exc) from None
        return self._plumber_pages

    def close(self) -> None:
        if self.pdfium is not None:
            self.pdfium.close()
        if self.plumber is not None:
            try:
                self.plumber.close()
            except Exception:  # a damaged file may fail to close; its own error is the one to report
                pass


def read_pages(path: Path, settings: PdfSettings = DEFAULT_SETTINGS) -> list[PageContent]:
    """Every page's lines and tables.  Each page's words and rules come from
    the source :func:`page_source` names; a page of text is laid out as soon
    as it is read and its words let go, so memory follows the page.  Pages
    whose words or rules are to come from the picture wait for the end: only
    the whole file tells a scan (handed to the scan reader) from a text PDF
    with a scanned page."""
    check_complete(path)
    engines = _Engines(path, settings)
    laid_out: list[PageContent | None] = []
    waiting: list[tuple[Page, PageSource]] = []
    visible = 0
    try:
        count = engines.page_count()
        if not count:
            raise InputError(str(path), "повреждённый PDF: в нём нет страниц")
        check_page_count(path, count)
        for number in range(1, count + 1):
            report("read", number - 1, count)
            page = engines.read(number)
            visible += page.visible_chars
            source = page_source(page, settings)
            if source == "text":
                laid_out.append(_lay_out(path, page, settings))
            else:
                laid_out.append(None)
                waiting.append((page, source))
    finally:
        engines.close()
    report("read", count, count)
    scan = visible < settings.min_chars_per_page * count  # check_text_layer hands it to the scan reader
    for done, (page, source) in enumerate(waiting):
        if not scan and source == "ocr":
            report("ocr", done, len(waiting))
        laid_out[page.number - 1] = _lay_out(path, page if scan else _from_image(path, page, source), settings)
    return [content for content in laid_out if content is not None]


def _from_image(path: Path, page: Page, source: PageSource) -> Page:
    """A page whose text layer is not to be trusted read by OCR; a page whose
    rules are only in the picture given the picture's rules."""
    from pipeline.readers.ocr import ocr_pdf_page, rules_under_text, tesseract_available

    if source == "ocr" and tesseract_available():
        read = ocr_pdf_page(path, page.number - 1)
        read.visible_chars, read.unmapped_chars = page.visible_chars, page.unmapped_chars
        return read
    if source == "text+image rules":
        return rules_under_text(path, page)
    return page


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
