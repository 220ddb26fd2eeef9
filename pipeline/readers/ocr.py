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
    pieces = sorted((int(y + h // 2), int(x), int(x + w)) for x, y, w, h, _area in stats[1:count] if w >= 40)
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
        # A column rule only in the rows where it stands (not through a title
        # merged across the table).
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


def ocr_words(gray: np.ndarray, settings: OcrSettings) -> list[Word]:
    import pytesseract
    from PIL import Image

    data = pytesseract.image_to_data(Image.fromarray(gray), lang=settings.language, config="--psm 3", output_type=pytesseract.Output.DICT)
    return _words(data)


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
# Latin letters that OCR puts into Cyrillic words.
_LOOKALIKES = str.maketrans("AaBCcEeHKMOoPpTXxy", "АаВСсЕеНКМОоРрТХху")


def _confusable_pairs() -> dict[str, set[str]]:
    from pipeline.lang.data import load

    pairs: dict[str, set[str]] = {}
    for a, b in load("ocr")["confusable"]:
        pairs.setdefault(a, set()).add(b)
        pairs.setdefault(b, set()).add(a)
    return pairs


def fix_confusions(word: str) -> str:
    """A word the dictionary does not know, one confusable letter away from
    exactly one word it knows, becomes that word (case kept)."""
    from pipeline.lang.morph import is_known

    core = re.fullmatch(r"([«(\"]*)([А-Яа-яЁё-]{3,})([»).,;:\"]*)", word)
    if not core:
        return word
    head, body, tail = core.groups()
    if body.isupper() or is_known(body.lower()):
        return word
    pairs = _confusable_pairs()
    lower = body.lower()
    found = set()
    for i, ch in enumerate(lower):
        for other in pairs.get(ch, ()):
            candidate = lower[:i] + other + lower[i + 1 :]
            if is_known(candidate):
                found.add(candidate)
    if len(found) != 1:
        return word
    fixed = found.pop()
    fixed = "".join(c.upper() if o.isupper() else c for c, o in zip(fixed, body))
    return head + fixed + tail


def _is_word(word: str) -> bool:
    from pipeline.lang.morph import is_known

    return is_known(word.lower())


def ocr_typography(text: str) -> str:
    """What Tesseract's Russian model does to print, undone: «2020 Г.» and
    «2020г.» for «2020 г.»; an em dash for the en dash of ranges and
    definitions («июнь – июль», «(далее – МОЦ)», the usual dash of these
    documents); a common word in capitals («ИЮНЬ») inside lower-case text."""
    text = re.sub(r"(?<=\d{4}) ?[ГгТт]\.", " г.", text)
    text = _MONTH_PAIR.sub(_dash_between_months, text)
    text = re.sub(r"(?<=\s)[-–—]{2,}(?=\s)", "–", text)  # «-—»: one dash read twice
    text = text.replace(" — ", " – ")
    # A one-letter preposition read as a capital mid-sentence («школы С низкими»).
    text = re.sub(r"(?<=[а-яё,] )([СВКОУИА])(?= [а-яё])", lambda m: m.group(1).lower(), text)
    if re.search(r"[а-яё]", text):
        from pipeline.lang.morph import is_known

        def lower(m: re.Match[str]) -> str:
            word = m.group()
            return word.lower() if is_known(word.lower()) and word not in _KNOWN_ABBREVIATIONS() else word

        text = re.sub(r"(?<![\w«])[А-ЯЁ]{3,}(?![\w»])", lower, text)
    return text


_MONTH_PAIR = re.compile(r"(?<![\w-])([А-Яа-яЁё]{3,})\s+([А-Яа-яЁё]{3,})(?![\w-])")


def _dash_between_months(m: re.Match[str]) -> str:
    """«сентябрь декабрь 2020 г.»: two months side by side are a range whose
    dash OCR lost."""
    from pipeline.lang.dates import month_number

    if month_number(m.group(1)) and month_number(m.group(2)):
        return f"{m.group(1)} – {m.group(2)}"
    return m.group(0)


def _KNOWN_ABBREVIATIONS() -> set[str]:
    from pipeline.lang.data import load

    return set(load("gazetteer")["abbreviations"])


def fix_lookalikes(word: str) -> str:
    """«ОО» read as «00» or with a Latin «O»: inside a word with Cyrillic
    letters (or a run of zeros standing alone), lookalikes become Cyrillic."""
    if re.fullmatch(r"0{2,}", word):
        return "О" * len(word)
    if 2 <= len(word) <= 4 and word.upper() != word and word.upper() in _KNOWN_ABBREVIATIONS() and not _is_word(word):
        return word.upper()  # «оО», «оо» for «ОО»
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
        w.text = re.sub(r"(?<=\d)\.\.$", ".", w.text)  # «5..»
    words = [w for w in words if w.text]
    previous = ""
    for w in sorted(words, key=lambda w: (w.cy // 20, w.left)):
        # A surname after initials («Е.П. Талкина») is a name, not a misread word.
        if not _INITIALS.match(previous):
            w.text = fix_confusions(w.text)
        previous = w.text
    # A one-letter preposition or conjunction cannot end a cell: a speckle.
    while words and max(words, key=lambda w: (w.cy // 20, w.left)).text in _FUNCTION_LETTERS:
        words.remove(max(words, key=lambda w: (w.cy // 20, w.left)))
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
    text = ocr_typography(text)
    return normalize_spaces(text), float(np.mean([w.confidence for w in words]))


# A «word» of one or two characters touching a ruling line is what is left of
# the line (a speckle, a stub read as «—», «о», «.»), not text.
BORDER_TOUCH_PX = 14
SURE_SHORT_WORD = 75.0


def _touches_rule(word: Word, grid: TableGrid) -> bool:
    if len(word.text) > 2 or any(ch.isdigit() for ch in word.text):
        return False  # «1» in a narrow № column is a number
    if word.text.isalpha() and word.confidence >= SURE_SHORT_WORD:
        return False  # «на», «и» at the end of a line, read with confidence
    near_column = any(abs(word.left - x) < BORDER_TOUCH_PX or abs(word.right - x) < BORDER_TOUCH_PX for x in grid.columns)
    near_row = any(abs(word.top - y) < BORDER_TOUCH_PX // 2 or abs(word.bottom - y) < BORDER_TOUCH_PX // 2 for y in grid.rows)
    return near_column or near_row


def merged_row_texts(clean: np.ndarray, grid: TableGrid, settings: OcrSettings) -> dict[int, tuple[str, float]]:
    """Rows that are one cell across the table (section titles, often bold)
    read again on their own: Tesseract reads them better alone."""
    import pytesseract
    from PIL import Image

    out: dict[int, tuple[str, float]] = {}
    x0, _, x1, _ = grid.box
    for r, borders in enumerate(grid.borders):
        if len(borders) != 2 or len(grid.columns) <= 2:
            continue
        top, bottom = grid.rows[r] + 6, grid.rows[r + 1] - 6
        if bottom - top < 20:
            continue
        crop = Image.fromarray(clean[top:bottom, x0 + 8 : x1 - 8])
        data = pytesseract.image_to_data(crop, lang=settings.language, config="--psm 6", output_type=pytesseract.Output.DICT)
        words = [(t, float(c)) for t, c in zip(data["text"], data["conf"]) if t.strip() and float(c) >= 0]
        if words:
            text = " ".join(fix_lookalikes(t.strip(_EDGE_JUNK)) for t, _ in words if not _BORDER_REMNANT.match(t))
            out[r] = (normalize_spaces(text), float(np.mean([c for _, c in words])))
    return out


def narrow_number_cells(clean: np.ndarray, grid: TableGrid, words: list[Word], settings: OcrSettings) -> dict[int, tuple[str, float]]:
    """Numbers in a narrow first column («2.13.») that the page read missed —
    Tesseract drops short text in narrow cells — read again cell by cell as
    digits and dots."""
    import pytesseract
    from PIL import Image

    x0, _, x1, _ = grid.box
    if len(grid.columns) < 3 or grid.columns[1] - grid.columns[0] > (x1 - x0) * 0.12:
        return {}
    out: dict[int, tuple[str, float]] = {}
    for r, borders in enumerate(grid.borders):
        if len(borders) < 3 or borders[1] != 1:
            continue
        top, bottom = grid.rows[r], grid.rows[r + 1]
        left, right = grid.columns[0], grid.columns[1]
        if any(left <= w.cx < right and top <= w.cy < bottom and any(ch.isdigit() for ch in w.text) for w in words):
            continue
        crop = clean[top + 6 : min(bottom - 6, top + 90), left + 7 : right - 6]
        if crop.size == 0 or crop.min() > 128:
            continue
        data = pytesseract.image_to_data(
            Image.fromarray(crop), lang=settings.language, config="--psm 7 -c tessedit_char_whitelist=0123456789.",
            output_type=pytesseract.Output.DICT,
        )
        found = [(t.strip(), float(c)) for t, c in zip(data["text"], data["conf"]) if t.strip() and float(c) >= 0]
        if found and re.fullmatch(r"\d+(?:\.\d+)*\.?", found[0][0]):
            out[r] = found[0]
    return out


# A cell read with less mean confidence than this is read again on its own.
REREAD_BELOW = 88.0


def reread_cell(clean: np.ndarray, box: tuple[int, int, int, int], settings: OcrSettings) -> tuple[str, float] | None:
    """A cell read again on its own (Tesseract sees its lines without the
    neighbours'), with lines kept where the writer broke them."""
    import pytesseract
    from PIL import Image

    left, top, right, bottom = box
    crop = clean[top + 5 : bottom - 4, left + 6 : right - 5]
    if crop.size == 0 or crop.min() > 128:
        return None
    data = pytesseract.image_to_data(Image.fromarray(crop), lang=settings.language, config="--psm 6", output_type=pytesseract.Output.DICT)
    words = _words(data, dx=left + 6, dy=top + 5)
    text, confidence = _lines_text(words, right=right - 8)
    return (text, confidence) if text and confidence is not None else None


def table_block(
    grid: TableGrid, words: list[Word], page: int,
    merged: dict[int, tuple[str, float]] | None = None, numbers: dict[int, tuple[str, float]] | None = None,
    clean: np.ndarray | None = None, settings: OcrSettings | None = None,
) -> Table:
    rows: list[Row] = []
    cells_words: dict[tuple[int, int], list[Word]] = {}
    for word in words:
        if _touches_rule(word, grid):
            continue
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
            if c == 0 and numbers and r in numbers and not text:
                text, confidence = numbers[r]
            elif clean is not None and text and confidence is not None and confidence < REREAD_BELOW and len(borders) > 2:
                again = reread_cell(clean, (grid.columns[a], grid.rows[r], grid.columns[b], grid.rows[r + 1]), settings)
                if again and again[1] > confidence:
                    text, confidence = again
            own_number = merged and r in merged and re.match(r"^(\d+(?:\.\d+)*\.|[IVX]+\.)\s", merged[r][0])
            if merged and r in merged and (merged[r][1] >= (confidence or 0) or (own_number and not re.match(r"^\d", text))):
                number = re.match(r"^(\d+(?:\.\d+)*\.|[IVX]+\.)\s", text)
                text, confidence = merged[r]
                if number and not text.startswith(number.group(1)):
                    text = f"{number.group(1)} {text}"  # a section number the single-line read dropped
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
        placed.append((
            table.box[1],
            table_block(
                table, inside, page, merged_row_texts(clean, table, settings), narrow_number_cells(clean, table, inside, settings),
                clean, settings,
            ),
        ))
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
