"""Glyphs → words, shared by the two engines that read a PDF's text layer
(pdfium in :mod:`pipeline.readers.pdfium_page`, pdfplumber in
:mod:`pipeline.readers.pdf`): both hand over pdfplumber's char dicts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pdfplumber.utils.text import WordExtractor

from pipeline.page.model import Word
from pipeline.page.settings import LayoutSettings

# Subset prefix «ABCDEF+» aside, a bold face says so in its name:
# "TimesNewRomanPS-BoldMT", "LiberationSerif-Bold", "Arial,Bold", "Arial-BoldItalicMT",
# "PTSerif-Bold", "Calibri-Bold", "Verdana-Bold", "MyriadPro-Semibold", "Arial Black".
_BOLD_FACE = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)


def is_bold_font(fontname: str) -> bool:
    return bool(_BOLD_FACE.search(face(fontname)))


def face(fontname: str) -> str:
    """The font's face without the subset tag («ABCDEE+Times New Roman CYR»
    → «Times New Roman CYR»): one face in two subsets is one font to the
    reader, and a word is not cut where the subset changes."""
    return fontname.split("+", 1)[-1]


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


def words_from_chars(chars: Sequence[dict[str, Any]], settings: LayoutSettings) -> list[Word]:
    """Glyphs (pdfplumber's char dicts, from either engine) → words, by
    pdfplumber's own word extractor."""
    extractor = WordExtractor(
        x_tolerance=settings.x_tolerance,
        y_tolerance=settings.y_tolerance,
        keep_blank_chars=False,
        use_text_flow=False,
        extra_attrs=["fontname", "size"],
    )
    return [
        Word(
            text=w["text"],
            x0=float(w["x0"]),
            x1=float(w["x1"]),
            top=float(w["top"]),
            bottom=float(w["bottom"]),
            size=float(w["size"]),
            bold=is_bold_font(w["fontname"]),
        )
        for w in extractor.extract_words(chars)
    ]


def unique_glyphs(chars: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The glyphs with those printed twice over themselves left out."""
    duplicates = duplicate_glyphs(chars)
    return [ch for ch in chars if id(ch) not in duplicates] if duplicates else list(chars)
