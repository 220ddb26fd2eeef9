"""Reader for scans: PDFs without a text layer, and PNG/JPEG/TIFF pages.

Tesseract reads the text (Debian's ``tesseract-ocr`` with ``tesseract-ocr-rus``,
driven through pytesseract: a thin, maintained wrapper over the command-line
program, no compilation against libtesseract as tesserocr needs; ocrmypdf
would add a text layer to the PDF but give no table structure).  OpenCV finds
the tables: the ruling lines of the page image are opened out with long thin
kernels, their rows and columns read off the line masks, and each word that
Tesseract finds is placed in the cell under its centre.  The result is the
same layout model as the other readers — paragraphs and tables with pages —
so stitching across pages, continuation rows and everything after work
unchanged.  Every block and cell carries Tesseract's mean word confidence.

Pages are deskewed first (the angle of the longest ruling lines); the lines
are erased before OCR so that Tesseract reads text, not borders.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.errors import InputError
from pipeline.lang.words import join_fragments, normalize_spaces
from pipeline.layout import Block, Cell, Layout, Paragraph, Row, Source, Table
from pipeline.stitch import join_split_paragraphs, stitch_tables


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
    border_coverage: float = 0.6
    # Largest skew corrected, in degrees.
    max_skew: float = 3.0


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def require_tesseract(path: Path) -> None:
    if not tesseract_available():
        raise InputError(
            str(path),
            "нет текстового слоя: PDF — это скан; для распознавания установите Tesseract "
            "(apt-get install tesseract-ocr tesseract-ocr-rus)",
        )


# -- images ----------------------------------------------------------------


def pdf_pages(path: Path, dpi: int):
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        for page in document:
            image = page.render(scale=dpi / 72, grayscale=True).to_pil()
            page.close()
            yield image.convert("L")
    finally:
        document.close()


def image_pages(path: Path):
    from PIL import Image, ImageSequence

    with Image.open(path) as image:
        for frame in ImageSequence.Iterator(image):
            yield frame.convert("L")


def _ink(gray: np.ndarray) -> np.ndarray:
    import cv2

    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return binary


def _line_masks(ink: np.ndarray, settings: OcrSettings) -> tuple[np.ndarray, np.ndarray]:
    import cv2

    height, width = ink.shape
    # Close the small gaps a black-and-white scan leaves in thin vertical
    # lines first (closing along x would weld the letters of a word into a bar).
    along_y = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 9)))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, int(width * settings.horizontal_line)), 1)))
    vertical = cv2.morphologyEx(along_y, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(20, int(height * settings.vertical_line)))))
    # Vertical lines count only between the horizontal lines of a table: tall
    # strokes of bold text on consecutive lines must not become borders.
    stacked = cv2.dilate(horizontal, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(40, height // 12))))
    contours, _ = cv2.findContours(stacked, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    inside = np.zeros_like(vertical)
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        lines = _positions((horizontal[y : y + h, x : x + w] > 0).sum(axis=1), w * 0.5, settings.merge_px)
        if w >= width * 0.3 and len(lines) >= 2:
            inside[y : y + h, x : x + w] = 255
    return horizontal, cv2.bitwise_and(vertical, inside)


def skew_angle(gray: np.ndarray, settings: OcrSettings) -> float:
    """Degrees the page is turned, from its long horizontal ruling lines (or
    from its text lines' bounding rectangle when there are none)."""
    import cv2

    ink = _ink(gray)
    height, width = ink.shape
    lines = cv2.HoughLinesP(ink, 1, np.pi / 1800, threshold=200, minLineLength=width // 4, maxLineGap=10)
    angles = []
    if lines is not None:
        for x1, y1, x2, y2 in lines.reshape(-1, 4):
            if x2 != x1:
                angle = np.degrees(np.arctan2(y2 - y1, x2 - x1))
                if abs(angle) <= settings.max_skew:
                    angles.append(angle)
    return float(np.median(angles)) if angles else 0.0


def deskew(gray: np.ndarray, settings: OcrSettings) -> np.ndarray:
    import cv2

    angle = skew_angle(gray, settings)
    if abs(angle) < 0.05:
        return gray
    height, width = gray.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(gray, matrix, (width, height), flags=cv2.INTER_CUBIC, borderValue=255)


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
    rows: list[int]  # y of horizontal lines
    columns: list[int]  # x of vertical lines
    # For each row band, the column line indexes that are real borders there.
    borders: list[list[int]]


def _segments(horizontal: np.ndarray, min_width: int) -> list[tuple[int, int, int]]:
    """(y, x0, x1) of each horizontal ruling line at least ``min_width`` long."""
    import cv2

    count, _, stats, _ = cv2.connectedComponentsWithStats(horizontal, connectivity=8)
    out = []
    for x, y, w, h, _area in stats[1:count]:
        if w >= min_width:
            out.append((int(y + h // 2), int(x), int(x + w)))
    return sorted(out)


def find_tables(ink: np.ndarray, settings: OcrSettings) -> tuple[list[TableGrid], np.ndarray]:
    """The ruled tables of a page and the mask of all their lines.

    A table is a run of long horizontal lines with the same left and right
    ends; its columns are where vertical lines stand within it; in each row a
    column border is present where the page has ink along it for most of the
    row's height (so a short row, or a cell merged across columns, is read
    right even where the vertical mask lost a short segment)."""
    import cv2

    horizontal, vertical = _line_masks(ink, settings)
    height, width = ink.shape
    # Gaps of a few pixels the scan's threshold left in the rules are welded
    # for finding rows — narrower than a space, so words never weld into a line.
    welded = cv2.morphologyEx(
        cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (7, 1))),
        cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, int(width * settings.horizontal_line)), 1)),
    )
    groups: list[list[tuple[int, int, int]]] = []
    for segment in _segments(welded, int(width * 0.3)):
        y, x0, x1 = segment
        group = next(
            (g for g in groups if abs(g[-1][1] - x0) <= 25 and abs(g[-1][2] - x1) <= 25 and y - g[-1][0] <= height * 0.5),
            None,
        )
        if group is None:
            groups.append([segment])
        elif y - group[-1][0] > settings.merge_px:
            group.append(segment)
    tables: list[TableGrid] = []
    mask = np.zeros_like(ink)
    for group in groups:
        if len(group) < 2:
            continue
        rows = [y for y, _, _ in group]
        x0, x1 = min(s[1] for s in group), max(s[2] for s in group)
        top, bottom = rows[0], rows[-1]
        inner = vertical[top:bottom, x0 : x1 + 1]
        columns = sorted(set([x0, x1] + [x0 + c for c in _positions((inner > 0).sum(axis=0), (bottom - top) * 0.25, settings.merge_px)]))
        columns = [c for i, c in enumerate(columns) if i == 0 or c - columns[i - 1] > settings.merge_px]
        borders = []
        for a, b in zip(rows, rows[1:]):
            band = ink[a + 4 : max(a + 5, b - 3)]
            present = [
                i for i, cx in enumerate(columns)
                if i in (0, len(columns) - 1) or (band[:, max(cx - 6, 0) : cx + 7].max(axis=1) > 0).mean() >= settings.border_coverage
            ]
            borders.append(present)
        tables.append(TableGrid((x0, top, x1, bottom), rows, columns, borders))
        # The lines to erase: the rules found, drawn a little thicker than printed.
        for y in rows:
            mask[max(y - 5, 0) : y + 6, x0 - 4 : x1 + 5] = 255
        for cx in columns:
            mask[top - 4 : bottom + 5, max(cx - 6, 0) : cx + 7] = 255
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


def ocr_words(gray: np.ndarray, settings: OcrSettings) -> list[Word]:
    import pytesseract
    from PIL import Image

    data = pytesseract.image_to_data(Image.fromarray(gray), lang=settings.language, config="--psm 3", output_type=pytesseract.Output.DICT)
    words = []
    for i, text in enumerate(data["text"]):
        confidence = float(data["conf"][i])
        if confidence < 0 or not text.strip():
            continue
        left, top = data["left"][i], data["top"][i]
        words.append(
            Word(text, left, top, left + data["width"][i], top + data["height"][i], confidence,
                 (data["block_num"][i], data["par_num"][i], data["line_num"][i]))
        )
    return words


# What is left of an erased ruling line, read as a «word».
_BORDER_REMNANT = re.compile(r"^[|_.,:;'\"`‘’‚=~\[\]{}()!›‹]{1,2}$")
_EDGE_JUNK = "|_‘’‚`=~›‹"
# Latin letters that OCR puts into Cyrillic words.
_LOOKALIKES = str.maketrans("AaBCcEeHKMOoPpTXxy", "АаВСсЕеНКМОоРрТХху")


def fix_lookalikes(word: str) -> str:
    """«ОО» read as «00» or with a Latin «O»: inside a word with Cyrillic
    letters (or a run of zeros standing alone), lookalikes become Cyrillic."""
    if re.fullmatch(r"0{2,}", word):
        return "О" * len(word)
    if re.search(r"[А-Яа-яЁё]", word) and not re.search(r"[1-9]", word):
        return word.translate(_LOOKALIKES).replace("0", "О")
    return word


def _lines_text(words: list[Word], right: float | None = None) -> tuple[str, float | None]:
    """Words grouped into lines by position (Tesseract's own lines may run
    across cells); a line break kept where the writer made it; the mean
    confidence of the words."""
    words = [w for w in words if not _BORDER_REMNANT.match(w.text)]
    for w in words:
        w.text = fix_lookalikes(w.text.strip(_EDGE_JUNK))
    words = [w for w in words if w.text]
    if not words:
        return "", None
    ordered = sorted(words, key=lambda w: w.cy)
    lines: list[list[Word]] = []
    for word in ordered:
        if lines and abs(word.cy - np.mean([w.cy for w in lines[-1]])) <= max(8, (word.bottom - word.top) * 0.6):
            lines[-1].append(word)
        else:
            lines.append([word])
    ordered_lines = [sorted(line, key=lambda w: w.left) for line in lines]
    text = " ".join(w.text for w in ordered_lines[0])
    for previous, line in zip(ordered_lines, ordered_lines[1:]):
        # A break is the writer's where the next line's first word would have
        # fitted after this line inside the cell; otherwise the line wrapped.
        first = line[0]
        room = right - previous[-1].right if right is not None else 0
        gap = (first.bottom - first.top) * 0.35
        # Outside tables lines stay lines, as the PDF reader keeps them.
        hard = right is None or (first.right - first.left) + gap < room - gap
        text = f"{text}\n{' '.join(w.text for w in line)}" if hard else join_fragments(text, " ".join(w.text for w in line))
    return normalize_spaces(text), float(np.mean([w.confidence for w in words]))


def table_block(grid: TableGrid, words: list[Word], page: int) -> Table:
    rows: list[Row] = []
    cells_words: dict[tuple[int, int], list[Word]] = {}
    for word in words:
        r = next((i for i, (a, b) in enumerate(zip(grid.rows, grid.rows[1:])) if a <= word.cy < b), None)
        if r is None:
            continue
        borders = grid.borders[r]
        c = next((j for j, (a, b) in enumerate(zip(borders, borders[1:])) if grid.columns[a] <= word.cx < grid.columns[b]), None)
        if c is not None:
            cells_words.setdefault((r, c), []).append(word)
    for r, borders in enumerate(grid.borders):
        cells = []
        for c, (a, b) in enumerate(zip(borders, borders[1:])):
            text, confidence = _lines_text(cells_words.get((r, c), []), right=grid.columns[b] - 8)
            cells.append(Cell(text=text, col_span=b - a, confidence=confidence))
        rows.append(Row(cells=cells, source=Source(page=page, line=r + 1)))
    x0, _, x1, _ = grid.box
    return Table(rows=rows, source=Source(page=page, line=None), column_edges=[float(x) for x in grid.columns])


# -- paragraphs --------------------------------------------------------------


def paragraph_blocks(words: list[Word], page_width: int, page: int) -> list[tuple[int, Paragraph]]:
    """(top, paragraph) for text outside tables, by Tesseract's paragraphs."""
    groups: dict[tuple[int, int], list[Word]] = {}
    for word in words:
        groups.setdefault(word.line[:2], []).append(word)
    out = []
    text_left = min((w.left for w in words), default=0)
    text_right = max((w.right for w in words), default=page_width)
    for key, members in groups.items():
        text, confidence = _lines_text(members)
        if not text:
            continue
        left, right = min(w.left for w in members), max(w.right for w in members)
        margin_left, margin_right = left - text_left, text_right - right
        width = text_right - text_left
        align = None
        if margin_left > width * 0.35 and margin_right < width * 0.1:
            align = "right"
        elif margin_left > width * 0.08 and abs(margin_left - margin_right) < width * 0.08:
            align = "center"
        top = min(w.top for w in members)
        out.append((top, Paragraph(text=text, source=Source(page=page, line=len(out) + 1), align=align, confidence=confidence)))
    return out


def page_blocks(image, page: int, settings: OcrSettings) -> list[Block]:
    import cv2

    gray = deskew(np.asarray(image), settings)
    ink = _ink(gray)
    tables, grid = find_tables(ink, settings)
    # Erase the ruling lines so that Tesseract reads text, not borders.
    clean = gray.copy()
    clean[cv2.dilate(grid, np.ones((3, 3), np.uint8)) > 0] = 255
    words = ocr_words(clean, settings)
    placed: list[tuple[int, Block]] = []
    free: list[Word] = []
    for word in words:
        table = next((t for t in tables if t.box[0] <= word.cx <= t.box[2] and t.box[1] <= word.cy <= t.box[3]), None)
        if table is None:
            free.append(word)
    for table in tables:
        inside = [w for w in words if table.box[0] <= w.cx <= table.box[2] and table.box[1] <= w.cy <= table.box[3]]
        placed.append((table.box[1], table_block(table, inside, page)))
    placed.extend(paragraph_blocks(free, gray.shape[1], page))
    placed.sort(key=lambda p: p[0])
    return [block for _, block in placed]


def read_scan(path: Path, kind: str, settings: OcrSettings = OcrSettings()) -> Layout:
    """A scanned PDF (``kind`` "pdf") or image file read by OCR."""
    import os
    from concurrent.futures import ProcessPoolExecutor

    require_tesseract(path)
    pages = list(pdf_pages(path, settings.dpi) if kind == "pdf" else image_pages(path))
    count = len(pages)
    # Tesseract is the slow part: pages are read in parallel, one per core.
    workers = min(os.cpu_count() or 1, count) or 1
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            per_page = list(pool.map(page_blocks, pages, range(1, count + 1), [settings] * count))
    else:
        per_page = [page_blocks(image, 1, settings) for image in pages]
    blocks: list[Block] = [block for page in per_page for block in page]
    if not any(isinstance(b, Table) or b.text.strip() for b in blocks):
        raise InputError(str(path), "на изображениях страниц не распознан текст")
    layout = Layout(path=str(path), format="scan", blocks=join_split_paragraphs(stitch_tables(blocks)), pages=count)
    return layout
