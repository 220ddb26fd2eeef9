"""Reader for scans: PDFs without a text layer, and PNG/JPEG/TIFF pages.

Tesseract reads the text (Debian's ``tesseract-ocr`` with ``tesseract-ocr-rus``,
driven through pytesseract: a thin, maintained wrapper over the command-line
program, no compilation against libtesseract as tesserocr needs; ocrmypdf
would add a text layer to the PDF but give no table structure).  OpenCV finds
the tables: the ruling lines of the page image are opened out with long thin
kernels, their rows and columns read off the line masks; the cells are cut
out and read by Tesseract stacked in one image, so each word belongs to its
cell by construction.  The result is the
same layout model as the other readers — paragraphs and tables with pages —
so stitching across pages, continuation rows and everything after work
unchanged.  Every block and cell carries Tesseract's mean word confidence.

Pages are deskewed first (the angle of their text lines and rules); the lines
are erased before OCR so that Tesseract reads text, not borders.
"""

from __future__ import annotations

import bisect
import os
import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from pipeline.errors import InputError
from pipeline.limits import limits
from pipeline.progress import report
from pipeline.lang.morph import is_known
from pipeline.lang.ocr_text import DocumentWords, fix_confusions, fix_from_document, fix_lookalikes, ocr_typography
from pipeline.lang.words import join_fragments, normalize_spaces, rejoin_split_words
from pipeline.layout import Block, Layout, Table
from pipeline.page.assemble import assemble, layout_page
from pipeline.page.content import PageContent
from pipeline.page.model import Page, Rule
from pipeline.page.model import Word as PageWord
from pipeline.page.settings import LayoutSettings
from pipeline.page.tables import find_table_cells

# The page layout's tolerances for words placed by OCR: positions jitter by a
# pixel or two, so alignments are judged a little more loosely than in a
# text layer (points); every word Tesseract gives is a word of its own, so any
# gap between two is a space.
OCR_LAYOUT = LayoutSettings(x_tolerance=-0.5, edge_tolerance=5.0, center_tolerance=10.0, indent_tolerance=3.0)


@dataclass(frozen=True, slots=True)
class OcrSettings:
    # Pages of a PDF are rendered at this resolution (scans are usually 200–300 dpi).
    dpi: int = 300
    language: str = "rus"
    # A ruling line is at least this share of the page width (horizontal) or
    # height (vertical) long.
    horizontal_line: float = 0.04
    vertical_line: float = 0.026  # longer than a tall letter («ф», «д»), shorter than a row
    # Positions of lines closer than this (pixels) are one line.
    merge_px: int = 12
    # A cell border exists where the vertical line covers this share of the row.
    border_coverage: float = 0.85  # a letter's stroke in a one-line row covers up to ~0.6
    # Largest skew corrected, in degrees.
    max_skew: float = 3.0
    # Specks of ink up to this many pixels (at 300 dpi) are scanner noise: the
    # full stop of 8-point print is about 20 pixels there.
    speck_px: int = 10
    # Coloured ink (max − min of R, G, B over this) in a patch this many
    # pixels (at 300 dpi) long and this wide is a stamp, a pen signature or
    # a handwritten date: print is black, and a printed line of up to 20
    # points is lower.
    mark_chroma: int = 40
    mark_px: int = 120
    mark_width_px: int = 80
    # Strokes of one mark (a signature's letters, a seal's ring and centre)
    # lie closer than this.
    mark_gap_px: int = 25
    # Inside such a mark the two inks are unmixed (black print under a seal
    # stays); what is left paler than this is the mark's halo, made paper.
    mark_halo: int = 200


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def require_tesseract(path: Path, kind: str = "pdf") -> None:
    if not tesseract_available():
        what = "нет текстового слоя: PDF — это скан" if kind == "pdf" else "это изображение страницы"
        raise InputError(
            str(path),
            f"{what}; для распознавания установите Tesseract (apt-get install tesseract-ocr tesseract-ocr-rus)",
        )


# -- images ----------------------------------------------------------------


def _too_large(path: Path, number: int, width: int, height: int) -> InputError:
    limit = limits().max_page_megapixels
    return InputError(
        str(path),
        f"страница {number} слишком велика для распознавания: {width}×{height} пикселей при 300 dpi "
        f"(предел {limit:g} Мп, ROADMAP_MAX_PAGE_MEGAPIXELS)",
    )


def _check_pixels(path: Path, number: int, width: int, height: int) -> None:
    if width * height > limits().max_page_megapixels * 1e6:
        raise _too_large(path, number, width, height)


def page_count(path: Path, kind: str) -> int:
    """Pages of a PDF or frames of an image file, without rendering any."""
    if kind == "pdf":
        import pypdfium2

        try:
            document = pypdfium2.PdfDocument(str(path))
        except pypdfium2.PdfiumError as exc:
            raise InputError(str(path), f"повреждённый PDF: {exc}") from None
        try:
            return len(document)
        finally:
            document.close()
    with _open_image(path) as image:
        return getattr(image, "n_frames", 1)


# A page is rendered in colour when a copy at this resolution shows colour
# (max − min of R, G, B over the threshold; a thin pen stroke is paler there).
COLOUR_PROBE_DPI = 75
COLOUR_PROBE_CHROMA = 20


def render_pdf_page(path: Path, index: int, dpi: int, colour: bool = True):
    """Page ``index`` (0-based) as an image at ``dpi``: in colour (RGB) when
    ``colour`` and the page shows any, else grey (L); its size is checked
    before a pixel is drawn."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        page = document[index]
        width, height = page.get_size()
        scale = dpi / 72
        _check_pixels(path, index + 1, round(width * scale), round(height * scale))
        # In colour: a stamp or a signature is told from print by its colour.
        # A black-and-white scan is seen to be one on a small copy first.
        if colour:
            probe = np.asarray(page.render(scale=COLOUR_PROBE_DPI / 72).to_pil().convert("RGB"))
            colour = int(_chroma(probe).max()) > COLOUR_PROBE_CHROMA
        image = page.render(scale=scale, grayscale=not colour).to_pil()
        page.close()
        return image.convert("RGB" if colour else "L")
    finally:
        document.close()


# The short side of an A4 page, in inches: an image without a believable
# resolution is taken to be an A4 page.
A4_SHORT_SIDE = 8.27
# A stated resolution is believed while the page it makes is at most A2
# (16.5 × 23.4 in); a phone photo or screenshot «at 72 dpi» would otherwise be
# a poster, and a hostile file can state 1 dpi.
LARGEST_PAGE_INCHES = (16.6, 23.5)


def _open_image(path: Path):
    from PIL import Image

    # Pillow refuses images over its own limit (a decompression bomb) before
    # decoding them; the limit is set from ours, generously for the source.
    Image.MAX_IMAGE_PIXELS = int(limits().max_page_megapixels * 1e6 * 4)
    try:
        return Image.open(path)
    except Image.DecompressionBombError:
        raise InputError(
            str(path), f"изображение слишком велико (предел {limits().max_page_megapixels:g} Мп на страницу, ROADMAP_MAX_PAGE_MEGAPIXELS)"
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(str(path), f"изображение не читается: {exc}") from None


def source_resolution(size: tuple[int, int], stated: float | None) -> float:
    """The resolution of an image page: the stated one when it makes a
    believable page, else the one that makes it A4."""
    short, long = sorted(size)
    if stated and stated > 50 and short / stated <= LARGEST_PAGE_INCHES[0] and long / stated <= LARGEST_PAGE_INCHES[1]:
        return float(stated)
    return short / A4_SHORT_SIDE


_COLOUR_MODES = {"RGB", "RGBA", "RGBX", "P", "PA", "CMYK", "YCbCr", "LAB", "HSV"}


def render_image_page(path: Path, index: int, dpi: int):
    """Frame ``index`` of an image file, brought to ``dpi`` (every size in
    pixels in this reader is set for it)."""
    from PIL import Image

    with _open_image(path) as image:
        try:
            image.seek(index)
        except EOFError:
            raise InputError(str(path), f"в изображении нет кадра {index + 1}") from None
        stated = image.info.get("dpi", (0, 0))[0]
        source = source_resolution(image.size, float(stated) if stated else None)
        factor = dpi / source
        width, height = round(image.width * factor), round(image.height * factor)
        _check_pixels(path, index + 1, width, height)
        try:
            page = image.convert("RGB" if image.mode in _COLOUR_MODES else "L")
        except (OSError, ValueError) as exc:
            raise InputError(str(path), f"кадр {index + 1} не читается: {exc}") from None
    if abs(source - dpi) > dpi * 0.05:
        page = page.resize((width, height), Image.Resampling.LANCZOS)
    return page


def _ink(gray: np.ndarray) -> np.ndarray:
    import cv2

    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return binary


def despeckle(gray: np.ndarray, settings: OcrSettings) -> np.ndarray:
    """Scanner specks removed: Tesseract reads them as «.», «’», «°» or a
    letter tacked onto a word."""
    import cv2

    ink = _ink(gray)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    limit = settings.speck_px * (settings.dpi / 300) ** 2
    specks = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] <= limit)
    specks = specks[specks != 0]  # label 0 is the background
    out = gray.copy()
    is_speck = np.zeros(count, bool)
    is_speck[specks] = True
    out[is_speck[labels]] = 255  # a lookup per pixel; np.isin sorts
    return out


def _line_masks(ink: np.ndarray, settings: OcrSettings) -> tuple[np.ndarray, np.ndarray]:
    import cv2

    height, width = ink.shape
    # Close the small gaps a black-and-white scan leaves in thin vertical
    # lines first (closing along x would weld the letters of a word into a bar).
    along_y = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 9)))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, int(width * settings.horizontal_line)), 1)))
    vertical = cv2.morphologyEx(along_y, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(20, int(height * settings.vertical_line)))))
    # Vertical lines are looked for only inside a table's rows (find_tables),
    # so tall strokes of bold text outside tables never become borders.
    return horizontal, vertical


def skew_angle(gray: np.ndarray, settings: OcrSettings) -> float:
    """Degrees the page is turned, from the bottom edges of its text lines
    and rules: the words of a line are welded into a bar, the bars' lower
    edges voted for by a Hough transform over the angles a scan can be
    turned by (a standard transform limited to ±max_skew, not a
    probabilistic one over every angle: sixty times faster here)."""
    import cv2

    ink = _ink(gray)
    width = ink.shape[1]
    bars = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (41, 1)))
    edges = cv2.subtract(bars, np.roll(bars, 1, axis=0))
    limit = np.radians(settings.max_skew)
    lines = cv2.HoughLines(edges, 1, np.pi / 18000, threshold=width // 5, min_theta=np.pi / 2 - limit, max_theta=np.pi / 2 + limit)
    if lines is None:
        return 0.0
    # The strongest lines first; the normal of a line turned by a is at 90° + a.
    return float(np.degrees(np.median(lines[:15, 0, 1]) - np.pi / 2))


def text_bars(gray: np.ndarray) -> tuple[int, int]:
    """How many word-shaped bars run across and how many run down the page.

    On a quarter-size copy, rules removed, letters are smeared a little along
    each direction: words turn into flat bars along the direction they are
    written in and stay specks across it.  Upright text gives many flat bars
    and few tall ones; a page turned 90° the other way round."""
    import cv2

    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    small = cv2.resize(ink, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    _, small = cv2.threshold(small, 40, 255, cv2.THRESH_BINARY)
    height, width = small.shape
    rules = cv2.bitwise_or(
        cv2.morphologyEx(small, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(width // 8, 1), 1))),
        cv2.morphologyEx(small, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(height // 8, 1)))),
    )
    text = cv2.subtract(small, rules)

    def bars(kernel: tuple[int, int], across: bool) -> int:
        smeared = cv2.morphologyEx(text, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        count, _, stats, _ = cv2.connectedComponentsWithStats(smeared)
        w, h = stats[1:count, 2], stats[1:count, 3]
        if across:
            return int(((w >= 3 * h) & (w >= 12) & (h <= 12)).sum())
        return int(((h >= 3 * w) & (h >= 12) & (w <= 12)).sum())

    return bars((7, 1), True), bars((1, 7), False)


def reading_score(gray: np.ndarray, settings: OcrSettings) -> float:
    """How much of a sample of the page reads as Russian: the share of its
    words of three letters or more that the dictionary knows."""
    import pytesseract

    import cv2

    # Where the ink is (a last page may hold three lines at its top), at most
    # an eighth of a page of it, at half size: enough words to tell, quickly.
    ink = despeckle(gray, settings) < 128
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return 0.0
    top, bottom = rows[0], min(rows[-1] + 1, rows[0] + gray.shape[0] // 8)
    sample = gray[top:bottom, cols[0] : cols[-1] + 1]
    sample = cv2.resize(sample, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    text = pytesseract.image_to_string(tesseract_image(sample), lang=settings.language, config="--psm 6")
    words = re.findall(r"[А-Яа-яЁё]{3,}", text)
    return sum(is_known(w.lower()) for w in words) / len(words) if len(words) >= 5 else 0.0


def quarter_turns(gray: np.ndarray, settings: OcrSettings) -> int:
    """How many quarter turns (counter-clockwise) make the page's text run
    across: a page whose words run down it is tried turned both ways, and
    the turn whose sample reads as Russian wins (Tesseract's orientation
    detection, tried here, told the two pages of one turned scan apart as
    90° and 270°)."""
    across, down = text_bars(gray)
    if down <= across:
        return 0
    # Clearly sideways: one of the two quarter turns.  A page of little text
    # (a last page with a signature) shows little either way: the page as it
    # is competes too.
    turns = (1, 3) if down > 2 * max(across, 5) else (0, 1, 3)
    return max(turns, key=lambda k: reading_score(_turned(gray, k), settings))


def _turned(image: np.ndarray, turns: int) -> np.ndarray:
    return np.ascontiguousarray(np.rot90(image, turns)) if turns else image


def _rotated(image: np.ndarray, angle: float, border: int) -> np.ndarray:
    import cv2

    if abs(angle) < 0.05:
        return image
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    value = (border,) * (image.shape[2] if image.ndim == 3 else 1)
    return cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_CUBIC, borderValue=value)


def upright_page(image, settings: OcrSettings) -> tuple[np.ndarray, np.ndarray | None]:
    """The page's grey image — and its colour image, for a page in colour —
    turned upright and deskewed."""
    colour = np.asarray(image) if image.mode == "RGB" else None
    if colour is None:
        gray = np.asarray(image)
    elif np.array_equal(colour[..., 0], colour[..., 1]) and np.array_equal(colour[..., 1], colour[..., 2]):
        gray, colour = np.ascontiguousarray(colour[..., 0]), None  # a grey page rendered as RGB
    else:
        # pdfium's own grey (30 : 59 : 11, truncated): the grey a page was
        # read from before pages were rendered in colour, to the level.
        wide = colour.astype(np.uint16)
        gray = ((wide[..., 0] * 30 + wide[..., 1] * 59 + wide[..., 2] * 11) // 100).astype(np.uint8)
        if not _may_hold_marks(_chroma(colour), settings):
            colour = None  # nothing coloured the size of a mark: read in grey
    turns = quarter_turns(gray, settings)
    angle = skew_angle(_turned(gray, turns), settings)
    gray = _rotated(_turned(gray, turns), angle, 255)
    if colour is not None:
        colour = _rotated(_turned(colour, turns), angle, 255)
    return gray, colour


def _chroma(colour: np.ndarray) -> np.ndarray:
    """Each pixel's max − min of R, G and B: how far from black, grey or white."""
    import cv2

    r, g, b = cv2.split(colour)
    return cv2.subtract(cv2.max(cv2.max(r, g), b), cv2.min(cv2.min(r, g), b))


def _marks_at(coloured: np.ndarray, settings: OcrSettings, scale: float = 1.0):
    """Patches of coloured strokes (``coloured``: a 0/1 mask at ``scale`` of
    the page) large enough to be a mark: their labels, stats and indexes."""
    import cv2

    gap = max(3, round(settings.mark_gap_px * settings.dpi / 300 * scale))
    patches = cv2.dilate(coloured, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (gap, gap)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(patches, connectivity=8)
    long, wide = (settings.mark_px * settings.dpi / 300 * scale, settings.mark_width_px * settings.dpi / 300 * scale)
    sizes = np.maximum(stats[:, 2], stats[:, 3]), np.minimum(stats[:, 2], stats[:, 3])
    candidates = [k for k in range(1, count) if sizes[0][k] >= long and sizes[1][k] >= wide]
    return labels, stats, candidates


# Marks are looked for first on a copy of the page this many times smaller:
# a page without one is then read in grey, at no further cost.
MARK_SEARCH_SHRINK = 4


def _may_hold_marks(chroma: np.ndarray, settings: OcrSettings) -> bool:
    """Whether anything coloured on the page is the size of a mark, judged on
    the quarter-size copy (a patch there is never smaller than at full size,
    the table rules not yet known are not left out: never a mark missed)."""
    import cv2

    coloured = (chroma > settings.mark_chroma).astype(np.uint8)
    small = cv2.resize(coloured, None, fx=1 / MARK_SEARCH_SHRINK, fy=1 / MARK_SEARCH_SHRINK, interpolation=cv2.INTER_AREA)
    # A cell of the copy is coloured when any pixel of it is (INTER_AREA
    # averages: any share above nothing).
    _, _, candidates = _marks_at((small > 0).astype(np.uint8), settings, 1 / MARK_SEARCH_SHRINK)
    return bool(candidates)


def _reads_as_print(words: list[str]) -> bool:
    """Most letters read belong to dictionary words, two at least: print.  A
    seal's ring or a signature reads as scattered letters and signs."""
    letters = [re.sub(r"[^А-Яа-яЁё]", "", w) for w in words]
    known = [x for x in letters if len(x) >= 3 and is_known(x.lower())]
    return len(known) >= 2 and sum(map(len, known)) >= 0.5 * sum(map(len, letters))


def drop_marks(gray: np.ndarray, colour: np.ndarray, grid: np.ndarray, settings: OcrSettings) -> np.ndarray:
    """The page with its stamps, pen signatures and handwriting made paper.

    A seal over an approval block («УТВЕРЖДАЮ / Директор … / И.А. Иванов»)
    or a signature across a name turns the black print under it into noise
    for Tesseract.  Coloured ink (a table's tinted rules aside) is gathered
    into patches of strokes near one another; a patch larger than a printed
    line that does not read as words on its own is a mark.  Coloured print
    (a heading in blue) reads as words and stays.  Inside a mark the two
    inks are unmixed: each pixel's optical density is split into a neutral
    part (black print) and a part along the mark's own ink colour (colour
    deconvolution, as stains are told apart in microscopy), and only the
    black part is kept — print under a seal stays whole."""
    import cv2

    chroma = _chroma(colour)
    lines = cv2.dilate(grid, np.ones((5, 5), np.uint8)) > 0
    coloured = ((chroma > settings.mark_chroma) & (gray < 235) & ~lines).astype(np.uint8)
    if not coloured.any():
        return gray
    labels, stats, candidates = _marks_at(coloured, settings)
    if not candidates:
        return gray
    # Each patch's coloured ink alone, read: print gives words.
    patch_ink = []
    for k in candidates:
        x, y, w, h = stats[k, :4]
        region = (slice(y, y + h), slice(x, x + w))
        patch_ink.append((region, (labels[region] == k) & (coloured[region] > 0)))
    read = _read_mosaic([np.where(ink, gray[region], 255).astype(np.uint8) for region, ink in patch_ink], settings)
    out = gray.copy()
    for index, (region, ink) in enumerate(patch_ink):
        if _reads_as_print([w.text for w in read.get(index, [])]):
            continue
        # The whole box: the paler, duller parts of a seal lie farther from
        # its coloured strokes than the gap, and print is kept by unmixing.
        black = _black_part(colour[region], ink)
        black[black >= settings.mark_halo] = 255
        keep = lines[region]
        black[keep] = out[region][keep]
        out[region] = black
    return out


def _black_part(rgb: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    """The grey image of the neutral (black) ink of an RGB patch holding two
    inks: the other ink's colour is the typical colour of ``seeds``."""
    density = -np.log(np.maximum(rgb, 1).astype(np.float32) / 255)
    strength = np.linalg.norm(density, axis=2)
    pure = seeds & (strength > 0.1)
    if not pure.any():
        return np.asarray(255 * np.exp(-density.mean(axis=2)), dtype=np.uint8)
    ink = np.median(density[pure] / strength[pure][:, None], axis=0)
    ink /= np.linalg.norm(ink)
    neutral = np.full(3, 1 / np.sqrt(3), np.float32)
    unmix = np.linalg.pinv(np.stack([neutral, ink], axis=1).astype(np.float32))  # 2 × 3
    black = np.maximum(density @ unmix[0], 0) / np.sqrt(3)  # density per channel
    return np.clip(255 * np.exp(-black), 0, 255).astype(np.uint8)


# -- tables ----------------------------------------------------------------


def _positions(profile: np.ndarray, minimum: float, merge: int) -> list[int]:
    """Centres of the runs of ``profile`` above ``minimum``, runs closer than
    ``merge`` joined."""
    hits = np.flatnonzero(profile >= minimum)
    if hits.size == 0:
        return []
    groups, start, last = [], hits[0], hits[0]
    for value in hits[1:]:
        if value - last > merge:
            groups.append((start + last) // 2)
            start = value
        last = value
    groups.append((start + last) // 2)
    return [int(g) for g in groups]


@dataclass(slots=True)
class TableGrid:
    box: tuple[int, int, int, int]  # x0, y0, x1, y1
    rows: list[int]  # y of every horizontal line of the table
    columns: list[int]  # x of every vertical line
    # For each row band, the column line indexes that are real borders there.
    borders: list[list[int]]
    # For each row line, the column band indexes it runs through (a line
    # stops short where a cell is merged down over it).
    across: list[list[int]]


# The thickest ruling line, at 300 dpi (a 1.5 pt rule is 6 px; a scan blurs it).
RULE_MAX_PX = 16


def _segments(horizontal: np.ndarray, min_width: int) -> list[tuple[int, int, int]]:
    """(y, x0, x1) of each horizontal ruling line at least ``min_width`` long."""
    import cv2

    count, _, stats, _ = cv2.connectedComponentsWithStats(horizontal, connectivity=8)
    # A rule is thin; a word whose letters the welding joined is a letter high.
    pieces = sorted((int(y + h // 2), int(x), int(x + w)) for x, y, w, h, _area in stats[1:count] if w >= 40 and h <= RULE_MAX_PX)
    # Pieces of one rule broken by the scan (same height, small gaps) are one rule.
    merged: list[list[int]] = []
    for y, x0, x1 in pieces:
        for rule_ in merged:
            if abs(rule_[0] - y) <= 4 and x0 <= rule_[2] + 80 and x1 >= rule_[1] - 80:
                rule_[1], rule_[2] = min(rule_[1], x0), max(rule_[2], x1)
                break
        else:
            merged.append([y, x0, x1])
    return sorted((y, x0, x1) for y, x0, x1 in merged if x1 - x0 >= min_width)


# A table's horizontal lines: the longest at least this share of the page's
# width; shorter ones (a line stopping at a cell merged down) at least this
# many pixels, and within the table's width.
TABLE_MIN_WIDTH = 0.3
PARTIAL_RULE_PX = 60
# A horizontal line runs through a column band where it covers this share of it.
ACROSS_COVERAGE = 0.6
# A column line stands where the vertical mask keeps at least this share of
# the table's height: faint, broken lines of a poor scan keep little of it,
# and text never makes a vertical run of a line's length at all.
COLUMN_SUPPORT = 0.15


def find_tables(ink: np.ndarray, settings: OcrSettings) -> tuple[list[TableGrid], np.ndarray]:
    """The ruled tables of a page and the mask of all their lines.

    A table is a run of horizontal lines one above another that overlap
    across; the longest of them spans most of it.  Its columns are where
    vertical lines stand within it.  In each row band a column border is
    present where the page has ink along it for most of the band's height
    (so a short row, or a cell merged across columns, is read right even
    where the vertical mask lost a short segment); along each horizontal line
    the line is present in the column bands it covers (so a cell merged down
    over rows, whose line stops short, is one cell)."""
    import cv2

    horizontal, vertical = _line_masks(ink, settings)
    height, width = ink.shape
    # Gaps of a few pixels the scan's threshold left in the rules are welded
    # for finding rows — narrower than a space, so words never weld into a line.
    welded = cv2.morphologyEx(
        cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (7, 1))),
        cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, int(width * settings.horizontal_line)), 1)),
    )
    # Lines one above another that overlap across form one table; pieces at
    # one height are one line.
    groups: list[list[list[int]]] = []  # per table, its lines [y, x0, x1]
    # Long lines from the welded mask; shorter ones (a line stopping at a
    # cell merged down) only from the unwelded one, where a long word's
    # letters never join into a bar.
    long_lines = _segments(welded, int(width * TABLE_MIN_WIDTH))
    short_lines = [
        seg for seg in _segments(horizontal, PARTIAL_RULE_PX)
        if not any(abs(seg[0] - y) <= settings.merge_px and seg[1] < x1 and seg[2] > x0 for y, x0, x1 in long_lines)
    ]
    for y, x0, x1 in sorted(long_lines + short_lines):
        placed = False
        for group in reversed(groups):
            last = group[-1]
            if y - last[0] > height * 0.5:
                continue
            gx0, gx1 = min(l[1] for l in group), max(l[2] for l in group)
            overlap = min(x1, gx1) - max(x0, gx0)
            if overlap < 0.5 * (x1 - x0):
                continue
            if y - last[0] <= settings.merge_px:
                last[1], last[2] = min(last[1], x0), max(last[2], x1)
            else:
                group.append([y, x0, x1])
            placed = True
            break
        if not placed:
            groups.append([[y, x0, x1]])
    tables: list[TableGrid] = []
    mask = np.zeros_like(ink)
    for group in groups:
        if len(group) < 2 or max(l[2] - l[1] for l in group) < width * TABLE_MIN_WIDTH:
            continue
        longest = max(group, key=lambda l: l[2] - l[1])
        x0, x1 = longest[1], longest[2]
        lines = [l for l in group if l[1] >= x0 - 25 and l[2] <= x1 + 25]
        rows = [l[0] for l in lines]
        top, bottom = rows[0], rows[-1]
        inner = vertical[top:bottom, x0 : x1 + 1]
        columns = sorted(set([x0, x1] + [x0 + c for c in _positions((inner > 0).sum(axis=0), (bottom - top) * COLUMN_SUPPORT, settings.merge_px)]))
        columns = [c for i, c in enumerate(columns) if i == 0 or c - columns[i - 1] > settings.merge_px]
        borders = []
        for a, b in zip(rows, rows[1:]):
            band = ink[a + 4 : max(a + 5, b - 3)]
            present = [
                i for i, cx in enumerate(columns)
                if i in (0, len(columns) - 1) or (band[:, max(cx - 6, 0) : cx + 7].max(axis=1) > 0).mean() >= settings.border_coverage
            ]
            borders.append(present)
        across = []
        for y in rows:
            strip = welded[max(y - 5, 0) : y + 6].max(axis=0) > 0
            across.append([
                i for i, (a, b) in enumerate(zip(columns, columns[1:]))
                if strip[a + 6 : max(a + 7, b - 6)].mean() >= ACROSS_COVERAGE
            ])
        tables.append(TableGrid((x0, top, x1, bottom), rows, columns, borders, across))
        # The lines to erase: the rules found, drawn a little thicker than printed,
        # each only where it stands (not through a title merged across the
        # table, nor through a cell merged down).
        for y, bands in zip(rows, across):
            for i in bands:
                mask[max(y - 5, 0) : y + 6, max(columns[i] - 4, 0) : columns[i + 1] + 5] = 255
        for (a, b), present in zip(zip(rows, rows[1:]), borders):
            for i in present:
                mask[a : b + 1, max(columns[i] - 6, 0) : columns[i] + 7] = 255
    tables.sort(key=lambda t: t.box[1])
    return tables, mask


# -- words -----------------------------------------------------------------


@dataclass(slots=True)
class Word:
    text: str
    left: int
    top: int
    right: int
    bottom: int
    confidence: float
    line: tuple[int, int, int]

    @property
    def cx(self) -> float:
        return (self.left + self.right) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


def tesseract_image(pixels: np.ndarray):
    """An image for pytesseract to hand Tesseract as an uncompressed TIFF:
    its default, PNG, spent a sixth of a scanned page's CPU in deflate for a
    file read once; the pixels Tesseract reads are the same.  (PGM and BMP,
    tried, made Tesseract itself slower by a fifth and a tenth.)"""
    from PIL import Image

    image = Image.fromarray(pixels)
    image.format = "TIFF"
    return image


def ocr_words(gray: np.ndarray, settings: OcrSettings) -> list[Word]:
    import pytesseract

    data = pytesseract.image_to_data(tesseract_image(gray), lang=settings.language, config="--psm 3", output_type=pytesseract.Output.DICT)
    return _words(data)


# Ink the page read left unread: a blob at least this big (pixels at 300 dpi),
# grouped with the ink around it within this gap, is read again.
MISSED_INK_MIN_AREA = 60
MISSED_INK_GAP = 25
MISSED_INK_CONFIDENCE = 60.0
MISSED_INK_MAX_ASPECT = 4
_MISSED_NUMBER = re.compile(r"№|\d{1,3}(?:\.\d{1,3})*[.)]?")


def read_missed_ink(gray: np.ndarray, words: list[Word], settings: OcrSettings) -> list[Word]:
    """Numbers for the ink that Tesseract's page read skipped.  Its page
    segmentation drops short words standing alone — the «1.», «2.» of a
    number column with no rules around it — so the short pieces of ink no
    word box covers are cut out and read in one mosaic; what reads as a
    number with confidence is kept."""
    import cv2

    ink = (gray < 128).astype(np.uint8)
    covered = np.zeros_like(ink)
    for w in words:
        covered[max(w.top - 4, 0) : w.bottom + 5, max(w.left - 4, 0) : w.right + 5] = 1
    missed = ink & (1 - covered)
    count, _, stats, _ = cv2.connectedComponentsWithStats(missed, connectivity=8)
    blobs = [tuple(stats[i, :4]) for i in range(1, count) if stats[i, cv2.CC_STAT_AREA] >= MISSED_INK_MIN_AREA // 4]
    if not blobs:
        return []
    # Blobs near one another on one line are one word (or a few).
    mask = np.zeros_like(ink)
    for x, y, w, h in blobs:
        if h <= 120:  # not a rule, not a picture
            mask[y : y + h, x : x + w] = 1
    joined = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (MISSED_INK_GAP, 3)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    boxes = []
    for i in range(1, count):
        x, y, w, h, area = stats[i]
        # Short words standing alone are what the page read drops; longer
        # unread ink is a stamp, a signature, a picture.
        if 12 <= h <= 120 and 8 <= w <= MISSED_INK_MAX_ASPECT * h and (missed[y : y + h, x : x + w]).sum() >= MISSED_INK_MIN_AREA:
            boxes.append((int(x), int(y), int(x + w), int(y + h)))
    if not boxes:
        return []
    crops = [gray[max(y0 - 4, 0) : y1 + 4, max(x0 - 4, 0) : x1 + 4] for x0, y0, x1, y1 in boxes]
    found: list[Word] = []
    for index, read in _read_mosaic(crops, settings).items():
        x0, y0, _, _ = boxes[index]
        # Numbers read with confidence: what a number column holds.  Words
        # of a stamp or a signature the page read garbled are not helped by
        # reading their pieces again.
        if not all(_MISSED_NUMBER.fullmatch(w.text) for w in read) or min(w.confidence for w in read) < MISSED_INK_CONFIDENCE:
            continue
        for word in read:
            word.left, word.right = word.left + max(x0 - 4, 0), word.right + max(x0 - 4, 0)
            word.top, word.bottom = word.top + max(y0 - 4, 0), word.bottom + max(y0 - 4, 0)
            word.line = (-1, index, 0)
            found.append(word)
    return found


def _words(data: dict, dx: int = 0, dy: int = 0) -> list[Word]:
    """Tesseract's word table as words, moved by (dx, dy) when it read a crop;
    its rows without a confidence are layout rows, not words."""
    words = []
    for i, text in enumerate(data["text"]):
        confidence = float(data["conf"][i])
        if confidence < 0 or not text.strip():
            continue
        left, top = data["left"][i] + dx, data["top"][i] + dy
        words.append(
            Word(text, left, top, left + data["width"][i], top + data["height"][i], confidence,
                 (data["block_num"][i], data["par_num"][i], data["line_num"][i]))
        )
    return words


# What is left of an erased ruling line, read as a «word».
_BORDER_REMNANT = re.compile(r"^[|_.,:;'\"`‘’‚=~\[\]{}()!›‹]{1,2}$")
_EDGE_JUNK = "|_‘’‚`=~›‹"
_INITIALS = re.compile(r"^(?:[А-ЯЁ]\.){1,2}$")
_FUNCTION_LETTERS = {"в", "и", "с", "о", "к", "у", "а", "я"}


def _join_wrap(text: str, line: str) -> str:
    """A wrapped line joined on; a word cut by the wrap whose second half OCR
    misread («консуль» + «гангов») is joined when undoing a confusion in the
    whole makes a dictionary word («консультантов»)."""
    head = re.search(r"[А-Яа-яЁё]{2,}$", text)
    tail = re.match(r"[а-яё]{2,}", line)
    if head and tail and not is_known(head.group().lower()):
        whole = head.group() + tail.group()
        fixed = fix_confusions(whole)
        if fixed != whole and " " not in fixed:
            return text[: head.start()] + fixed + line[tail.end() :]
    return join_fragments(text, line)


def clean_words(words: list[Word], cell: bool) -> list[Word]:
    """A cell's (or the free text's) words as print: remnants of erased rules
    dropped, Latin lookalikes made Cyrillic, confusions undone by the
    dictionary; in a cell, a one-letter preposition read without confidence
    at its very end is a speck (read with confidence it is a row that goes on
    over a page break: «Отдел по работе с»)."""
    words = [w for w in words if not _BORDER_REMNANT.match(w.text)]
    for w in words:
        w.text = fix_lookalikes(w.text.strip(_EDGE_JUNK))
        w.text = re.sub(r"(?<=\d)\.\.$", ".", w.text)  # «5..»
    words = [w for w in words if w.text]
    ordered = sorted(words, key=lambda w: (round(w.cy / max(8, (w.bottom - w.top) * 0.6)), w.left))
    previous = ""
    for w in ordered:
        # A surname after initials («Е.П. Талкина») is a name, not a misread word.
        if not _INITIALS.match(previous):
            w.text = fix_confusions(w.text)
        previous = w.text
    if cell and ordered:
        last = max(ordered, key=lambda w: (w.bottom, w.right))
        if last.text in _FUNCTION_LETTERS and last.confidence < SURE_SHORT_WORD:
            ordered.remove(last)
    return ordered


def ocr_text_repair(text: str) -> str:
    """What a cell's or paragraph's text needs once its lines are joined: a
    word cut by a wrap whose halves the dictionary knows only together
    («образова ния», «консуль гангов»), and Tesseract's typography."""
    text = rejoin_misread_wraps(rejoin_split_words(text))
    return normalize_spaces(ocr_typography(text))


def rejoin_misread_wraps(text: str) -> str:
    """«консуль гангов» → «консультантов», «необходимо-» + «ети» →
    «необходимости»: two pieces of one word, one of them misread, joined when
    undoing a confusion in the whole makes a dictionary word and a piece is
    none."""
    def joined(head: str, tail: str) -> str | None:
        whole = head + tail
        fixed = fix_confusions(whole)
        return fixed if fixed != whole and " " not in fixed else None

    def at_space(m: re.Match[str]) -> str:
        head, tail = m.group(1), m.group(2)
        return (None if is_known(head.lower()) else joined(head, tail)) or m.group(0)

    def at_hyphen(m: re.Match[str]) -> str:
        head, tail = m.group(1), m.group(2)
        return (None if is_known(f"{head}-{tail}".lower()) else joined(head, tail)) or m.group(0)

    text = re.sub(r"(?<![А-Яа-яЁё])([А-Яа-яЁё]{2,}) ([а-яё]{2,})(?![А-Яа-яЁё])", at_space, text)
    return re.sub(r"(?<![А-Яа-яЁё])([А-Яа-яЁё]{2,})-\n([а-яё]{2,})(?![А-Яа-яЁё])", at_hyphen, text)


# A «word» touching a ruling line that is no more than a mark, or a lone
# letter read without confidence, is what is left of the line (a stub read as
# «—», «о», «.»), not text; «г.» or «ОО» set close to a border are text.
BORDER_TOUCH_PX = 14
SURE_SHORT_WORD = 75.0


def _touches_rule(word: Word, box: tuple[int, int, int, int]) -> bool:
    alnum = sum(ch.isalnum() for ch in word.text)
    if alnum > 1 or any(ch.isdigit() for ch in word.text):
        return False  # «г.», «ОО»; «1» in a narrow № column is a number
    if alnum == 1 and word.confidence >= SURE_SHORT_WORD:
        return False  # «и» at the end of a line, read with confidence
    left, top, right, bottom = box
    near_column = min(abs(word.left - left), abs(word.right - right)) < BORDER_TOUCH_PX
    near_row = min(abs(word.top - top), abs(word.bottom - bottom)) < BORDER_TOUCH_PX // 2
    return near_column or near_row


# Cells are cut out of the page and stacked one under another with white
# space between them, and the stack is read by Tesseract at once as a block of
# lines: a line can then never run on into the next column (as a page read
# does, «ОО» then comes out as «9.0)» under the neighbour's «(»), and one call
# costs about what one page read does.
MOSAIC_GAP = 50
MOSAIC_PAD = 30


CellBox = tuple[int, int, int, int]  # left, top, right, bottom, in pixels


def cell_words(clean: np.ndarray, boxes: list[CellBox], settings: OcrSettings) -> dict[int, list[Word]]:
    """The words of each cell (by its index in ``boxes``), in page
    coordinates, read from a mosaic of the cells (unsure ones are read again
    by the caller, with the rest of the page's)."""
    crops: list[tuple[int, np.ndarray, int, int]] = []
    for index, (x0, y0, x1, y1) in enumerate(boxes):
        # Inside the borders, clear of what erasing them left.
        left, top, right, bottom = x0 + 6, y0 + 5, x1 - 5, y1 - 4
        crop = clean[top:bottom, left:right]
        if crop.size == 0 or crop.min() > 128:
            continue  # an empty cell
        ys, xs = np.nonzero(crop < 128)
        crop = crop[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
        crops.append((index, crop, left + int(xs.min()), top + int(ys.min())))
    out: dict[int, list[Word]] = {}
    for i, words in _read_mosaic([crop for _, crop, _, _ in crops], settings).items():
        index, _, left, top = crops[i]
        for word in words:
            word.left, word.right, word.top, word.bottom = word.left + left, word.right + left, word.top + top, word.bottom + top
        out[index] = words
    return out


# Tesseract refuses an image taller than 32 767 pixels («Image too large»):
# a long stack of cells is read in parts below that.
MOSAIC_MAX_HEIGHT = 30000


def _read_mosaic(crops: list[np.ndarray], settings: OcrSettings, config: str = "--psm 6") -> dict[int, list[Word]]:
    """Crops stacked one under another with white space between them, read by
    Tesseract at once as a block of lines (in parts, if the stack would be
    too tall for it); the words of each crop in the crop's own coordinates."""
    out: dict[int, list[Word]] = {}
    start, height = 0, MOSAIC_GAP
    for index, crop in enumerate(crops):
        if index > start and height + crop.shape[0] + MOSAIC_GAP > MOSAIC_MAX_HEIGHT:
            out.update(_read_stack(crops, start, index, settings, config))
            start, height = index, MOSAIC_GAP
        height += crop.shape[0] + MOSAIC_GAP
    out.update(_read_stack(crops, start, len(crops), settings, config))
    return out


def _read_stack(crops: list[np.ndarray], first: int, end: int, settings: OcrSettings, config: str = "--psm 6") -> dict[int, list[Word]]:
    import pytesseract

    part = [c[: MOSAIC_MAX_HEIGHT - 2 * MOSAIC_GAP] for c in crops[first:end]]
    if not part:
        return {}
    width = max(crop.shape[1] for crop in part) + 2 * MOSAIC_PAD
    height = sum(crop.shape[0] + MOSAIC_GAP for crop in part) + MOSAIC_GAP
    mosaic = np.full((height, width), 255, np.uint8)
    tops = []
    y = MOSAIC_GAP
    for crop in part:
        h, w = crop.shape
        mosaic[y : y + h, MOSAIC_PAD : MOSAIC_PAD + w] = crop
        tops.append(y)
        y += h + MOSAIC_GAP
    data = pytesseract.image_to_data(tesseract_image(mosaic), lang=settings.language, config=config, output_type=pytesseract.Output.DICT)
    out: dict[int, list[Word]] = {}
    for word in _words(data):
        i = max(bisect.bisect_right(tops, word.cy + MOSAIC_GAP // 2) - 1, 0)
        top, bottom = tops[i], tops[i] + part[i].shape[0]
        if not top - MOSAIC_GAP // 2 <= word.cy <= bottom + MOSAIC_GAP // 2:
            continue
        word.left, word.right = word.left - MOSAIC_PAD, word.right - MOSAIC_PAD
        word.top, word.bottom = word.top - top, word.bottom - top
        out.setdefault(first + i, []).append(word)
    return out


# A word read with less confidence than this is read again alone, cut tight
# out of the page, at several sizes, and the reading most of them agree on is
# kept: Tesseract's reading of a short word («ОО» as «[@/о)», «ДОКиС» as
# «ДОКиСс») swings with what stands around it and with its size in pixels.
WORD_REREAD_BELOW = 75.0
# Abbreviations and other words the dictionary does not know are read again
# unless Tesseract is quite sure of them («РИШ» for «РПШ», «ДП» for «ДПП»).
UNKNOWN_REREAD_BELOW = 93.0


def _dictionary_word(text: str) -> bool:
    letters = re.sub(r"[^А-Яа-яЁё-]", "", text)
    return bool(letters) and is_known(letters.lower())
WORD_MARGIN = 4
REREAD_SCALES = (1.0, 1.25, 1.5, 1.75, 2.0)


# Pieces of one line closer than this share of their height are one word that
# Tesseract cut in two («ОО» read as «С» + «и,»): they are read again as one.
SPLIT_WORD_GAP = 0.2


def _units(words: list[Word]) -> list[list[Word]]:
    """The words of a cell, pieces of one word kept together."""
    units: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.line, w.left)):
        last = units[-1][-1] if units else None
        if last is not None and last.line == word.line and word.left - last.right < SPLIT_WORD_GAP * max(word.bottom - word.top, last.bottom - last.top):
            units[-1].append(word)
        else:
            units.append([word])
    return units


def _unsure(word: Word) -> bool:
    return word.confidence < WORD_REREAD_BELOW or (word.confidence < UNKNOWN_REREAD_BELOW and not _dictionary_word(word.text))


# Outside tables, a word read with less confidence than this that fewer than
# three of its six readings agree on is not print — a date or number written
# in by pen, a signature — and is shown as a blank «……», never as a guess.
UNREADABLE_BELOW = 60.0
UNREADABLE_AGREEMENT = 3
UNREAD = "……"


def reread_unsure_words(
    clean: np.ndarray, groups: dict[object, list[Word]], settings: OcrSettings, mark_unreadable: frozenset = frozenset()
) -> None:
    """Unsure words (with any piece of them Tesseract cut off) read again at
    several sizes; the reading most sizes agree on replaces them.  ``groups``:
    the words of each cell or text area; in the groups named in
    ``mark_unreadable`` a word no three readings agree on becomes a blank.
    All of a page in one Tesseract call."""
    import cv2

    unsure = [(group, unit) for group, words in groups.items() for unit in _units(words) if any(_unsure(w) for w in unit)]
    if not unsure:
        return
    boxes = [
        (min(w.left for w in unit), min(w.top for w in unit), max(w.right for w in unit), max(w.bottom for w in unit))
        for _, unit in unsure
    ]
    crops = []
    for scale in REREAD_SCALES:
        for left, top, right, bottom in boxes:
            crop = clean[max(top - WORD_MARGIN, 0) : bottom + WORD_MARGIN, max(left - WORD_MARGIN, 0) : right + WORD_MARGIN]
            crops.append(crop if scale == 1.0 else cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC))
    again = _read_mosaic(crops, settings)
    for i, (group, unit) in enumerate(unsure):
        original = fix_lookalikes("".join(w.text for w in unit).strip(_EDGE_JUNK))
        readings = [(original, float(np.mean([w.confidence for w in unit])))]
        for k in range(len(REREAD_SCALES)):
            found = again.get(k * len(unsure) + i, [])
            if found:
                readings.append((fix_lookalikes("".join(w.text for w in found).strip(_EDGE_JUNK)), float(np.mean([w.confidence for w in found]))))
        votes: dict[str, list[float]] = {}
        forms: dict[str, list[str]] = {}
        for text, confidence in readings:
            # Readings that differ only in case agree: a larger size is
            # often read in capitals.
            votes.setdefault(text.lower(), []).append(confidence)
            forms.setdefault(text.lower(), []).append(text)
        best, confidences = max(votes.items(), key=lambda v: (len(v[1]), sum(v[1])))
        decided = False  # taken without the agreement of two readings
        if (
            group in mark_unreadable and len(confidences) < UNREADABLE_AGREEMENT and readings[0][1] < UNREADABLE_BELOW
            and any(ch.isalnum() for ch in original) and not _dictionary_word(fix_confusions(original))
        ):
            # No agreement: a reading the dictionary knows once its
            # confusions are undone («Дирэктор») beats a blank.
            known = [v for v in votes.items() if len(re.sub(r"[^а-яё]", "", v[0])) >= 3 and _dictionary_word(fix_confusions(v[0]))]
            if known:
                best, confidences = max(known, key=lambda v: (len(v[1]), sum(v[1])))
            else:
                best, confidences = UNREAD, [0.0]
                forms[best] = [UNREAD]
            decided = True
        if not best or (len(confidences) < 2 and not decided) or (len(unit) > 1 and best == original.lower()):
            continue  # no agreement; or the pieces read the same together
        # The line's own reading knows the case better (it sees the sentence).
        text = original if original.lower() == best else max(forms[best], key=forms[best].count)
        if original[:1].isupper() and text[:1].islower():
            text = text[:1].upper() + text[1:]
        first = unit[0]
        first.text, first.confidence = text, float(np.mean(confidences))
        first.left, first.top, first.right, first.bottom = boxes[i]
        for piece in unit[1:]:
            groups[group].remove(piece)


# A first column this narrow (share of the table's width), or one whose cells
# mostly read as numbers, is a № column.
NUMBER_COLUMN_WIDTH = 0.16


def narrow_number_cells(clean: np.ndarray, boxes: list[CellBox], words: dict[int, list[Word]], settings: OcrSettings) -> dict[int, tuple[str, float]]:
    """Numbers in a № column («2.13.») that the mosaic read missed or misread
    as letters («Е.» for «1.») — Tesseract may drop a short word alone, or
    read it as a word — read again cell by cell as digits and dots.
    ``boxes``: one table's cells."""

    if not boxes:
        return {}
    x0, x1 = min(b[0] for b in boxes), max(b[2] for b in boxes)
    first = [i for i, (left, _, right, _) in enumerate(boxes) if left - x0 <= 10 and right < x1 - 10]
    if not first:
        return {}
    texts = {i: " ".join(w.text for w in sorted(words.get(i, []), key=lambda w: (w.top, w.left))) for i in first}
    digits = [i for i in first if any(ch.isdigit() for ch in texts[i])]
    narrow = max(boxes[i][2] - boxes[i][0] for i in first) <= (x1 - x0) * NUMBER_COLUMN_WIDTH
    if not narrow and len(digits) < 0.5 * len([i for i in first if words.get(i)]):
        return {}
    # A number as the column writes it: with its final dot when most have one
    # («5» among «4.», «6.» is a misreading as much as «Е.» is).
    dotted = sum(texts[i].endswith(".") for i in digits) > 0.5 * len(digits)
    number = re.compile(r"\d+(?:\.\d+)*\." if dotted else r"\d+(?:\.\d+)*\.?")
    wanted: list[tuple[int, np.ndarray]] = []
    for index in first:
        # Only what can be a misread number: a cell that holds words (a
        # first column merged with the next where a rule broke) is not one.
        if number.fullmatch(texts[index]) or len(texts[index].replace(" ", "")) > 6:
            continue
        left, top, right, bottom = boxes[index]
        # The whole cell: a number stands at the middle of a tall row as
        # often as at its top.
        crop = clean[top + 6 : bottom - 6, left + 7 : right - 6]
        if crop.size == 0 or crop.min() > 128:
            continue
        ys, xs = np.nonzero(crop < 128)
        wanted.append((index, crop[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]))
    if not wanted:
        return {}
    # Tesseract reads a lone number unsteadily («7.» as «Т.», «.» or nothing,
    # by size and mode): every cell at several sizes, digits only, all of
    # them in one mosaic per size; the reading most sizes agree on wins.
    import cv2

    votes: dict[int, list[tuple[str, float]]] = {}
    font = float(np.median(heights)) if (heights := [w.bottom - w.top for ws in words.values() for w in ws if len(w.text) > 2]) else None
    counted = set()
    for i, (index, crop) in enumerate(wanted):
        if (ones := _strokes(crop, "1", font)) is not None and number.fullmatch(ones):
            votes[index] = [(ones, 90.0)] * 2
            counted.add(i)
    for scale in NUMBER_REREAD_SCALES:
        crops = [crop if scale == 1 else cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC) for _, crop in wanted]
        for i, found in _read_mosaic(crops, settings, NUMBER_CONFIG).items():
            if i in counted:
                continue
            text = "".join(w.text for w in found).strip()
            if re.fullmatch(r"\d+(?:\.\d+)*\.?", text):
                votes.setdefault(wanted[i][0], []).append((text, float(np.mean([w.confidence for w in found]))))
    out: dict[int, tuple[str, float]] = {}
    unsure: list[tuple[int, list[tuple[int, int, str]]]] = []
    for i, (index, crop) in enumerate(wanted):
        readings = votes.get(index, [])
        texts = [t for t, _ in readings if number.fullmatch(t)]
        glyphs = _digit_glyphs(crop, font)
        figures = sum(kind != "." for _, _, kind in glyphs)
        # A reading with as many figures as the ink has glyphs is trusted
        # more than one that lost a glyph (a figure one whose flag the
        # threshold took off, read as nothing).
        fitting = [t for t in texts if sum(ch.isdigit() for ch in t) == figures]
        best = max(set(fitting or texts), key=lambda t: ((fitting or texts).count(t), len(t))) if texts else None
        if best is not None and (fitting or texts.count(best) >= 2 or len(NUMBER_REREAD_SCALES) == 1):
            out[index] = (best, float(np.mean([c for t, c in readings if t == best])))
        elif glyphs and i not in counted:
            unsure.append((index, glyphs))
    # What no reading of the whole cell gave, its glyphs one by one do.
    singles = [crop[:, a:b] for index, crop in wanted for j, glyphs in unsure if j == index for a, b, kind in glyphs if kind == "?"]
    read = iter(_read_glyphs(singles, settings))
    for index, glyphs in unsure:
        text = "".join(next(read) if kind == "?" else kind for _, _, kind in glyphs)
        if number.fullmatch(text):
            out[index] = (text, 60.0)
    return out


Glyph = tuple[int, int, str]  # the columns of a glyph's ink, and its kind


def _glyph_row(crop: np.ndarray, font: float | None = None) -> list[Glyph]:
    """The glyphs of a short line of ink (a number, a numeral), left to
    right: pieces whose columns overlap are one glyph (a «2» the threshold
    broke), each told by its shape — «.» a dot on the baseline, «|» a bare
    upright stroke, «?» another glyph of full height, «,» any smaller mark.
    Empty when there is no ink, or when ``font`` (the height of the page's
    letters) is given and the row is far from it (a remnant of a rule)."""
    import cv2

    count, _, stats, _ = cv2.connectedComponentsWithStats((crop < 128).astype(np.uint8), connectivity=8)
    parts = sorted((tuple(int(v) for v in stats[i, :4]) for i in range(1, count) if stats[i, cv2.CC_STAT_AREA] >= 6), key=lambda p: p[0])
    spans: list[list[int]] = []
    for x, y, w, h in parts:
        if spans and x < spans[-1][1] - 1:
            spans[-1][1] = max(spans[-1][1], x + w)
            spans[-1][2], spans[-1][3] = min(spans[-1][2], y), max(spans[-1][3], y + h)
        else:
            spans.append([x, x + w, y, y + h])
    if not spans:
        return []
    tall = max(y1 - y0 for _, _, y0, y1 in spans)
    if font is not None and not 0.6 * font <= tall <= 1.6 * font:
        return []
    bottom = max(y1 for *_, y1 in spans)
    glyphs = []
    for x0, x1, y0, y1 in spans:
        width, height = x1 - x0, y1 - y0
        if height <= 0.35 * tall and width <= 0.5 * tall and y1 >= bottom - 0.25 * tall:
            glyphs.append((x0, x1, "."))
        elif height >= 0.7 * tall and width <= 0.35 * height:
            glyphs.append((x0, x1, "|"))
        elif height >= 0.6 * tall:
            glyphs.append((x0, x1, "?"))
        else:
            glyphs.append((x0, x1, ","))
    return glyphs


def _digit_glyphs(crop: np.ndarray, font: float | None) -> list[Glyph]:
    """The glyphs of a number: «1» for a bare stroke (a figure one whose flag
    the threshold took off), «.», and «?» for a figure to be read (its
    columns widened a little for the read).  Empty when the ink is not a row
    of such glyphs."""
    glyphs = _glyph_row(crop, font)
    if any(kind == "," for *_, kind in glyphs):
        return []
    return [(x0, x1, "1") if kind == "|" else (max(x0 - 2, 0), x1 + 2, "?") if kind == "?" else (x0, x1, kind) for x0, x1, kind in glyphs]


def _read_glyphs(crops: list[np.ndarray], settings: OcrSettings) -> list[str]:
    """Each crop read as one figure («?» where Tesseract reads none), in one
    Tesseract run over a list of images (one model load for them all)."""
    import subprocess
    import tempfile

    import cv2
    import pytesseract

    if not crops:
        return []
    with tempfile.TemporaryDirectory(prefix="roadmap-glyphs-") as folder:
        paths = []
        for i, crop in enumerate(crops):
            image = cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
            image = cv2.copyMakeBorder(image, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255)
            paths.append(str(Path(folder) / f"{i}.png"))
            cv2.imwrite(paths[-1], image)
        listing = Path(folder) / "list.txt"
        listing.write_text("\n".join(paths) + "\n")
        done = subprocess.run(
            [pytesseract.pytesseract.tesseract_cmd, str(listing), "stdout", "-l", settings.language, "--psm", "10",
             "-c", "tessedit_char_whitelist=0123456789", "tsv"],
            capture_output=True, text=True, check=False,
        )
    found: dict[int, str] = {}
    for line in done.stdout.splitlines()[1:]:
        fields = line.split("\t")
        if len(fields) == 12 and fields[0] == "5" and fields[11].strip():
            found[int(fields[1]) - 1] = found.get(int(fields[1]) - 1, "") + fields[11].strip()
    return [found.get(i, "?") if len(found.get(i, "")) == 1 else "?" for i in range(len(crops))]


# A section row's number in Roman numerals, italic as often as not, is the
# hardest thing on the page for Tesseract's Russian model («I.» as «|.» or
# nothing, «VI.» as «М1.», «VII.» as «МИ.»): read again in Latin, numerals
# only, at several sizes, and voted.
ROMAN_CONFIG = "--psm 6 -c tessedit_char_whitelist=IVX."
# A Roman number of a section: I … XXXIX.
_ROMAN_NUMBER = re.compile(r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})\.", re.ASCII)
# What a misread numeral leaves before the title: no Cyrillic word in it.
_NUMERAL_JUNK = re.compile(r"^([^А-Яа-яЁё]{0,5}?|[IVXLCГУМИПНШТХ|\\/1l]{1,5})\.(?=[А-ЯЁ]|$)")


def reread_section_numerals(clean: np.ndarray, boxes: list[CellBox], cells: dict[int, list[Word]], settings: OcrSettings) -> None:
    """The numbers of a table's section rows (one cell across the table)
    read again where the mosaic left something that is no Roman numeral
    before the title, or nothing where ink stands before it."""
    if not boxes:
        return
    import cv2

    x0, x1 = min(b[0] for b in boxes), max(b[2] for b in boxes)
    wanted: list[tuple[Word, np.ndarray, str]] = []
    for index, words in cells.items():
        left, _, right, _ = boxes[index]
        if right - left < 0.9 * (x1 - x0) or not words:
            continue
        top_line = min(w.top for w in words)
        first = min((w for w in words if w.top - top_line < 0.5 * (w.bottom - w.top)), key=lambda w: w.left)
        height = first.bottom - first.top
        m = _NUMERAL_JUNK.match(first.text)
        if m is not None:
            if _ROMAN_NUMBER.fullmatch(m.group(1) + "."):
                continue
            junk = m.group(0)
        elif first.text[:1].isupper():
            junk = ""  # nothing before the title, but maybe ink there
        else:
            continue
        # The numeral's ink: from a numeral's width before the word (a
        # numeral read as nothing leaves its dot, or not even that) to the
        # dot that ends it.
        start = max(first.left - 3 * height, left + 6)
        end = first.right if junk == first.text else first.left + int(0.7 * height * max(len(junk), 1)) + height
        if not junk:
            end = first.left - 2
        crop = clean[max(first.top - 4, 0) : first.bottom + 4, start:end]
        if crop.size == 0 or crop.min() >= 128:
            continue
        crop = _through_dot(crop)
        _, xs = np.nonzero(crop < 128)
        if not len(xs):
            continue
        wanted.append((first, crop[:, max(xs.min() - 2, 0) : xs.max() + 3], junk))
    if not wanted:
        return
    votes: dict[int, list[str]] = {}
    for i, (_, crop, _) in enumerate(wanted):
        # Strokes alone («III.») Tesseract reads as nothing: they are counted.
        strokes = _strokes(crop)
        if strokes:
            votes[i] = [strokes, strokes]
    to_read = [i for i in range(len(wanted)) if i not in votes]
    for scale in NUMBER_REREAD_SCALES if to_read else ():
        crops = [wanted[i][1] if scale == 1 else cv2.resize(wanted[i][1], None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC) for i in to_read]
        for k, found in _read_mosaic(crops, replace(settings, language="eng"), ROMAN_CONFIG).items():
            text = "".join(w.text for w in found).strip().rstrip(".") + "."
            if _ROMAN_NUMBER.fullmatch(text):
                votes.setdefault(to_read[k], []).append(text)
    for i, readings in votes.items():
        # Each numeral is a glyph of its own: a reading with as many letters
        # as the ink has glyphs outvotes the others.
        glyphs = _glyph_count(wanted[i][1])
        fitting = [r for r in readings if len(r) - 1 == glyphs]
        best = max(set(fitting or readings), key=(fitting or readings).count)
        if fitting or readings.count(best) >= 2:
            word, _, junk = wanted[i]
            rest = word.text[len(junk):]
            word.text = best if not rest else f"{best} {rest}"


def _through_dot(crop: np.ndarray) -> np.ndarray:
    """The crop up to the first full stop on the line after taller ink; the
    title's first letter after it cut off."""
    seen_tall = False
    for _, x1, kind in _glyph_row(crop):
        if kind in "|?":
            seen_tall = True
        elif seen_tall and kind == ".":
            return crop[:, : x1 + 1]
    return crop


def _glyph_count(crop: np.ndarray) -> int:
    """How many glyphs of full height (not dots, not marks) the crop holds."""
    return sum(kind in "|?" for *_, kind in _glyph_row(crop))


def _strokes(crop: np.ndarray, stroke: str = "I", font: float | None = None) -> str | None:
    """A number of upright strokes and a dot, counted: «I.», «II.», «III.»,
    or «1.», «11.» in a scan whose threshold took the figure one's flag and
    serif off (Tesseract reads a lone such stroke as nothing, «|» or «.»)."""
    kinds = "".join(kind for *_, kind in _glyph_row(crop, font))
    m = re.fullmatch(r"(\|{1,3})(\.?)", kinds)
    if m is None:
        return None
    return stroke * len(m.group(1)) + ("." if m.group(2) or stroke == "I" else "")


NUMBER_CONFIG = "--psm 6 -c tessedit_char_whitelist=0123456789."
NUMBER_REREAD_SCALES = (1.0, 2.0, 3.0)


# A dash standing alone is told by its length against the height of the words
# on its line (Tesseract reads «-», «–» and «—» alike): a hyphen is about a
# third of an em, an en dash half, an em dash a whole one.
HYPHEN_BELOW = 0.45
EN_DASH_BELOW = 0.95


def _dash_ink_width(clean: np.ndarray, word: Word) -> int | None:
    """Width of the dash itself: the flat blob of ink nearest the middle of
    the word's box (the box may take in an edge of the letters beside it)."""
    import cv2

    crop = clean[max(word.top - 2, 0) : word.bottom + 2, max(word.left - 2, 0) : word.right + 2]
    if crop.size == 0:
        return None
    count, _, stats, centroids = cv2.connectedComponentsWithStats((crop < 128).astype(np.uint8), connectivity=8)
    flat = [i for i in range(1, count) if stats[i, cv2.CC_STAT_WIDTH] >= 2 * stats[i, cv2.CC_STAT_HEIGHT]]
    if not flat:
        return None
    middle = np.array([crop.shape[1] / 2, crop.shape[0] / 2])
    nearest = min(flat, key=lambda i: float(np.linalg.norm(centroids[i] - middle)))
    return int(stats[nearest, cv2.CC_STAT_WIDTH])


def font_height(words: list[Word]) -> float | None:
    """The page's usual word height: a word of four letters or more nearly
    always reaches above or below the x-height, so its box is about the
    font's height."""
    heights = [w.bottom - w.top for w in words if sum(ch.isalnum() for ch in w.text) >= 4]
    return float(np.median(heights)) if heights else None


def classify_dashes(clean: np.ndarray, words: list[Word], font: float | None) -> None:
    if not font:
        return
    for word in words:
        if word.text not in ("-", "–", "—"):
            continue
        width = _dash_ink_width(clean, word)
        if width is not None:
            share = width / font
            word.text = "-" if share < HYPHEN_BELOW else "–" if share < EN_DASH_BELOW else "—"


# A word box is about 0.9 of the font's size (cap height and descender).
BOX_TO_FONT = 0.9


def _to_page_word(word: Word, scale: float, size: float) -> PageWord:
    return PageWord(
        text=word.text, x0=word.left * scale, x1=word.right * scale, top=word.top * scale, bottom=word.bottom * scale,
        size=size, confidence=word.confidence,
    )


# Letters that reach below the baseline; a word without them stands on it.
_DESCENDERS = set("рудфщцзgjpqy,;()[]{}")
# A line of type as a text layer gives it: from the ascent above the baseline
# to the descent below it, in font sizes.
ASCENT, DESCENT = 0.78, 0.22


def set_on_baselines(words: list[PageWord]) -> list[PageWord]:
    """Every word's box set to its line's font box (ascent to descent around
    the baseline), as a text layer gives it.  OCR boxes hug the ink, so a
    line of x-height letters looks shorter than one with «б» and «р», and the
    gaps between lines, which tell paragraphs apart, would vary with the
    letters rather than the spacing."""
    bands: list[list[PageWord]] = []
    for word in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        middle = (word.top + word.bottom) / 2
        if bands and abs(middle - sum((w.top + w.bottom) / 2 for w in bands[-1]) / len(bands[-1])) <= max(2.0, word.height * 0.6):
            bands[-1].append(word)
        else:
            bands.append([word])
    out: list[PageWord] = []
    for band in bands:
        flat = sorted(w.bottom for w in band if not (_DESCENDERS & set(w.text)))
        bottoms = flat or sorted(w.bottom - DESCENT * w.size for w in band)
        baseline = bottoms[len(bottoms) // 2]
        out.extend(replace(w, top=baseline - ASCENT * w.size, bottom=baseline + DESCENT * w.size) for w in band)
    return out


def table_rules(table: TableGrid, scale: float) -> list[Rule]:
    """The ruling segments the image shows for one table, in points: each
    horizontal line through the column bands it runs through, and each
    column line in the rows where it stands (so a cell merged across
    columns has none through it, and one merged down none across it)."""
    rules = []
    for y, bands in zip(table.rows, table.across):
        for i in bands:
            rules.append(Rule(table.columns[i] * scale, y * scale, table.columns[i + 1] * scale, y * scale, "h"))
    for (a, b), present in zip(zip(table.rows, table.rows[1:]), table.borders):
        for i in present:
            x = table.columns[i] * scale
            rules.append(Rule(x, a * scale, x, b * scale, "v"))
    return rules


def scan_page(image, number: int, settings: OcrSettings) -> Page:
    """One page image as the page model: its words read by Tesseract (cells
    through the mosaic, the rest in one page read), each with its
    confidence, and the rules found in the image — all in points.  The cells
    are the shared layout's, found from those rules, so that each word is
    read inside the cell the layout will put it in."""
    import cv2

    gray, colour = upright_page(image, settings)
    ink = _ink(gray)
    tables, grid = find_tables(ink, settings)
    # Erase the ruling lines so that Tesseract reads text, not borders.
    clean = gray.copy()
    clean[cv2.dilate(grid, np.ones((3, 3), np.uint8)) > 0] = 255
    if colour is not None:
        clean = drop_marks(clean, colour, grid, settings)
    clean = despeckle(clean, settings)
    scale = 72 / settings.dpi
    rules = [rule for table in tables for rule in table_rules(table, scale)]
    cell_tables = [
        [(int(round(x0 / scale)), int(round(y0 / scale)), int(round(x1 / scale)), int(round(y1 / scale))) for x0, y0, x1, y1 in cells]
        for cells in find_table_cells(rules, OCR_LAYOUT)
    ]
    outside = clean.copy()
    read: list[tuple[list[CellBox], dict[int, list[Word]]]] = []
    for boxes in cell_tables:
        read.append((boxes, cell_words(clean, boxes, settings)))
        x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
        x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
        outside[max(y0 - 6, 0) : y1 + 7, max(x0 - 6, 0) : x1 + 7] = 255
    free = ocr_words(outside, settings)
    free += read_missed_ink(outside, free, settings)
    groups: dict[object, list[Word]] = {("table", t, cell): words for t, (_, cells) in enumerate(read) for cell, words in cells.items()}
    groups["outside"] = free
    reread_unsure_words(clean, groups, settings, mark_unreadable=frozenset({"outside"}))
    everything = free + [w for _, cells in read for ws in cells.values() for w in ws]
    font = font_height(everything)
    classify_dashes(clean, everything, font)
    size = (font or 40.0) * scale / BOX_TO_FONT
    words: list[PageWord] = []
    for boxes, cells in read:
        # A narrow first column holds numbers: where the mosaic read none
        # there (nothing, or letters for digits: «Е.» for «1.»), the cell
        # read again as digits gives it.
        numbers = narrow_number_cells(clean, boxes, cells, settings)
        reread_section_numerals(clean, boxes, cells, settings)
        for index, cell in cells.items():
            if index in numbers:
                continue
            kept = clean_words([w for w in cell if not _touches_rule(w, boxes[index])], cell=True)
            words.extend(_to_page_word(w, scale, size) for w in kept)
        for index, (text, confidence) in numbers.items():
            left, top, right, bottom = boxes[index]
            words.append(PageWord(text=text, x0=(left + 8) * scale, x1=(right - 8) * scale, top=(top + 8) * scale,
                                  bottom=min(bottom - 8, top + 40) * scale, size=size, confidence=confidence))
    words.extend(set_on_baselines([_to_page_word(w, scale, size) for w in clean_words(free, cell=False)]))
    height, width = gray.shape
    return Page(number=number, width=width * scale, height=height * scale, words=words, rules=rules, source="ocr")


def _repair_from_document(blocks: list[Block]) -> None:
    """Words misread once are put right by the words the document prints
    again and again (its own abbreviations, above all)."""
    cells = [cell for b in blocks if isinstance(b, Table) for row in b.rows for cell in row.cells]
    paragraphs = [b for b in blocks if not isinstance(b, Table)]
    words = DocumentWords.of([c.text for c in cells] + [p.text for p in paragraphs])
    for item in [*cells, *paragraphs]:
        item.text = fix_from_document(item.text, words)


def rules_under_text(path: Path, page: Page, settings: OcrSettings = OcrSettings()) -> Page:
    """A page whose words are in a text layer (an OCR layer over a scan) but
    whose table rules are only in the picture: the rules found in the page
    image.  The picture is deskewed to find them, and the layer's words,
    which stand on the turned lines of the picture, are turned with it."""
    import cv2

    gray = np.asarray(render_pdf_page(path, page.number - 1, settings.dpi, colour=False))
    angle = skew_angle(gray, settings)
    scale = 72 / settings.dpi
    words = page.words
    if abs(angle) >= 0.05:
        height, width = gray.shape
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
        gray = cv2.warpAffine(gray, matrix, (width, height), flags=cv2.INTER_CUBIC, borderValue=255)
        moved = []
        for w in words:
            cx, cy = (w.x0 + w.x1) / 2 / scale, (w.top + w.bottom) / 2 / scale
            nx, ny = matrix @ np.array([cx, cy, 1.0])
            dx, dy = nx * scale - (w.x0 + w.x1) / 2, ny * scale - (w.top + w.bottom) / 2
            moved.append(replace(w, x0=w.x0 + dx, x1=w.x1 + dx, top=w.top + dy, bottom=w.bottom + dy))
        words = moved
    tables, _ = find_tables(_ink(gray), settings)
    rules = [rule for table in tables for rule in table_rules(table, scale)]
    return replace(page, words=words, rules=rules)


def _one_thread_a_page() -> None:
    """Tesseract's OpenMP threads and OpenCV's pool fight each other and the
    pages read in parallel: one thread each.  Tesseract reads a page about
    six times faster so; OpenCV's filters give the same pixels on one thread
    for a tenth less CPU."""
    import cv2

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    cv2.setNumThreads(1)


def ocr_pdf_page(path: Path, index: int, settings: OcrSettings = OcrSettings()) -> Page:
    """PDF page ``index`` (0-based) read by OCR, as the page model."""
    _one_thread_a_page()
    return scan_page(render_pdf_page(path, index, settings.dpi), index + 1, settings)


def read_page(path: Path, kind: str, index: int, settings: OcrSettings) -> PageContent:
    """One page, rendered, read and laid out where it is read (in a worker),
    so that memory holds the pages being read, not the whole document."""
    _one_thread_a_page()
    image = render_pdf_page(path, index, settings.dpi) if kind == "pdf" else render_image_page(path, index, settings.dpi)
    return layout_page(index + 1, scan_page(image, index + 1, settings), OCR_LAYOUT)


def read_scan(path: Path, kind: str, settings: OcrSettings = OcrSettings()) -> Layout:
    """A scanned PDF (``kind`` "pdf") or image file read by OCR."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    count = page_count(path, kind)
    limit = limits().max_scan_pages
    if count > limit:
        raise InputError(str(path), f"слишком много страниц для распознавания: {count} (предел {limit}, ROADMAP_MAX_SCAN_PAGES)")
    if count == 0:
        raise InputError(str(path), "в файле нет страниц")
    require_tesseract(path, kind)
    # Tesseract is the slow part: pages are read in parallel, one per core.
    workers = min(os.cpu_count() or 1, count) or 1
    report("ocr", 0, count)
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(read_page, path, kind, index, settings) for index in range(count)]
            for done, _ in enumerate(as_completed(futures), 1):
                report("ocr", done, count)
            per_page = [future.result() for future in futures]
    else:
        per_page = []
        for index in range(count):
            per_page.append(read_page(path, kind, index, settings))
            report("ocr", index + 1, count)
    blocks = assemble(per_page, OCR_LAYOUT, repair=ocr_text_repair)
    _repair_from_document(blocks)
    if not any(isinstance(b, Table) or b.text.strip() for b in blocks):
        raise InputError(str(path), "на изображениях страниц не распознан текст")
    return Layout(path=str(path), format="scan", blocks=blocks, pages=count)
