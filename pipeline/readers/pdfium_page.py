"""A text PDF page's glyphs, rules and images from pdfium (pypdfium2).

pdfium parses a page in C several times faster than pdfminer does in Python
(a 300-page order's 533 000 glyphs and its rules: 2.4 s of CPU against
pdfplumber's 15 s, both through Python), so a
page of text is read here and only the pages pdfium is not known to read
exactly go to pdfplumber (:func:`exact_here`).  What comes out is the same
page model pdfplumber's reader makes, so everything after is shared:

* glyphs → words by pdfplumber's own ``WordExtractor`` (the same tolerances
  as the pdfplumber path, so the same words); coordinates rounded to a
  thousandth of a point (pdfium's are single-precision);
* a glyph's box: from its origin to its advance across (pdfium's loose box,
  as pdfminer's), and its font size up from the baseline less the font's
  descent — pdfminer takes the descent from the font descriptor, which many
  writers leave at 0, pdfium from the font itself, so a word stands at most
  a third of its size lower than in pdfplumber, on the glyphs' real bottom;
* rules: every painted path's straight segments, as pdfplumber's edges (a
  rectangle's four sides, a line, a polyline's pieces), in page space
  through the object's matrix — not the object's bounds, which grow by the
  stroke's width;
* images: their boxes.

A page is read here only when pdfium is known to give what pdfplumber would
(``_Engines._exact`` in :mod:`pipeline.readers.pdf`): no rotation and a page
box at the origin (pdfium reports unrotated page space), and no OCR text
layer — text drawn invisible, or text over a picture that covers the page —
in which pdfium's text page drops one-letter words.  pdfium's text page
leaves out a text object printed again over itself (a faked bold), which
the pdfplumber path does with :func:`~pipeline.readers.glyphs.duplicate_glyphs`.
"""

from __future__ import annotations

import ctypes
import math
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium_c

from pipeline.page.model import Page, Rule
from pipeline.page.settings import LayoutSettings
from pipeline.readers.glyphs import face, words_from_chars

# pdfium gives a hyphen it takes to end a line (a «-» or a soft hyphen, the
# two it looks for) a code point of its own instead of the glyph's — U+0002
# one glyph at a time, the noncharacter U+FFFE in a page's text; a line-end
# hyphen is what the later stages look for, so it becomes «-».
_PDFIUM_HYPHENS = ("\x02", "\ufffe")
# A segment is horizontal or vertical when its ends differ by less than this
# across (pdfium's points are single-precision floats).
_AXIS_TOLERANCE = 0.01
# pdfium's coordinates are single-precision: 57.6 comes back as 57.59998.
# Rounded to this many decimals (a thousandth of a point), the ends of rules
# that meet are equal again, as they are in the file.
_DECIMALS = 3
_OBJ_TEXT, _OBJ_PATH, _OBJ_IMAGE, _OBJ_FORM = (
    pdfium_c.FPDF_PAGEOBJ_TEXT,
    pdfium_c.FPDF_PAGEOBJ_PATH,
    pdfium_c.FPDF_PAGEOBJ_IMAGE,
    pdfium_c.FPDF_PAGEOBJ_FORM,
)
Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _matrix(obj: Any) -> Matrix:
    fs = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(fs)):
        return _IDENTITY
    return (fs.a, fs.b, fs.c, fs.d, fs.e, fs.f)


class PageObjects:
    """The page's painted paths as edges, its images as boxes, and its text
    objects counted (all, and those drawn invisible) — one walk over the
    objects, forms opened."""

    def __init__(self, page: pypdfium2.PdfPage, height: float) -> None:
        self.height = height
        self.rules: list[Rule] = []
        self.images: list[tuple[float, float, float, float]] = []
        self.text_objects = 0
        # Text objects drawn invisible: an OCR layer over a scan.
        self.invisible_text = 0
        raw = page.raw
        self._walk([pdfium_c.FPDFPage_GetObject(raw, i) for i in range(pdfium_c.FPDFPage_CountObjects(raw))])

    def _walk(self, objects: list[Any]) -> None:
        # A stack, not recursion: a file may nest forms as deep as it likes.
        pending: list[tuple[Any, Matrix | None]] = [(obj, None) for obj in reversed(objects)]
        while pending:
            obj, outer = pending.pop()
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == _OBJ_FORM:
                # A form's objects have their matrices in the form's space.
                m = _matrix(obj) if outer is None else _compose(_matrix(obj), outer)
                count = pdfium_c.FPDFFormObj_CountObjects(obj)
                pending.extend((pdfium_c.FPDFFormObj_GetObject(obj, i), m) for i in reversed(range(count)))
            elif kind == _OBJ_PATH:
                self._path(obj, outer)
            elif kind == _OBJ_IMAGE:
                self._image(obj, outer)
            elif kind == _OBJ_TEXT:
                self.text_objects += 1
                if pdfium_c.FPDFTextObj_GetTextRenderMode(obj) == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE:
                    self.invisible_text += 1

    def _path(self, obj: Any, outer: Matrix | None) -> None:
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
            return
        if fill.value == pdfium_c.FPDF_FILLMODE_NONE and not stroke.value:
            return  # ended without painting (a clip): pdfminer does not see it either
        m = _matrix(obj)
        if outer is not None:
            m = _compose(m, outer)
        x, y = ctypes.c_float(), ctypes.c_float()
        start = current = None
        for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
            segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
            pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
            point = _apply(m, x.value, y.value)
            kind = pdfium_c.FPDFPathSegment_GetType(segment)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = current = point
                continue
            if kind == pdfium_c.FPDF_SEGMENT_LINETO and current is not None:
                self._edge(current, point)
            current = point  # a Bézier's points move the pen and draw no rule
            if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
                self._edge(current, start)
                current = start

    def _edge(self, p: tuple[float, float], q: tuple[float, float]) -> None:
        (x0, y0), (x1, y1) = p, q
        if abs(y0 - y1) < _AXIS_TOLERANCE and abs(x0 - x1) < _AXIS_TOLERANCE:
            return  # a rectangle's closing move back to where it started
        if abs(y0 - y1) < _AXIS_TOLERANCE:
            orientation = "h"
            y1 = y0
        elif abs(x0 - x1) < _AXIS_TOLERANCE:
            orientation = "v"
            x1 = x0
        else:
            return
        top, bottom = round(self.height - max(y0, y1), _DECIMALS), round(self.height - min(y0, y1), _DECIMALS)
        self.rules.append(Rule(round(min(x0, x1), _DECIMALS), top, round(max(x0, x1), _DECIMALS), bottom, orientation))

    def _image(self, obj: Any, outer: Matrix | None) -> None:
        m = _matrix(obj)
        if outer is not None:
            m = _compose(m, outer)
        # An image is the unit square under its matrix.
        xs, ys = zip(*(_apply(m, u, v) for u, v in ((0, 0), (1, 0), (0, 1), (1, 1))))
        box = (min(xs), self.height - max(ys), max(xs), self.height - min(ys))
        self.images.append(tuple(round(v, _DECIMALS) for v in box))


def page_size(page: pypdfium2.PdfPage) -> tuple[float, float]:
    width, height = page.get_size()
    return round(width, _DECIMALS), round(height, _DECIMALS)


def exact_here(page: pypdfium2.PdfPage) -> bool:
    """Whether pdfium reports this page in the coordinates pdfplumber does:
    no rotation, the page box at the origin."""
    if page.get_rotation() % 360:
        return False
    left, bottom, _right, _top = page.get_mediabox()
    crop = page.get_cropbox()
    return abs(left) < 0.01 and abs(bottom) < 0.01 and all(abs(a - b) < 0.01 for a, b in zip(crop, page.get_mediabox()))


class Glyphs:
    """The text page's glyphs as pdfplumber's char dicts (the keys its word
    extractor reads)."""

    def __init__(self, page: pypdfium2.PdfPage, height: float) -> None:
        self.chars: list[dict[str, Any]] = []
        self.unmapped = 0
        text_page = page.get_textpage()
        try:
            self._read(text_page.raw, height)
        finally:
            text_page.close()

    def _read(self, raw: Any, height: float) -> None:
        count = pdfium_c.FPDFText_CountChars(raw)
        text = _all_text(raw, count)
        box = pdfium_c.FS_RECTF()
        box_ref = ctypes.byref(box)
        name_buffer = ctypes.create_string_buffer(256)
        fonts: dict[int, str] = {}
        # What a text object knows once for all its glyphs: font, size, upright.
        object_address, object_state = None, ("", 0.0, True)
        is_generated, map_error, loose_box = (
            pdfium_c.FPDFText_IsGenerated,
            pdfium_c.FPDFText_HasUnicodeMapError,
            pdfium_c.FPDFText_GetLooseCharBox,
        )
        append = self.chars.append
        for i in range(count):
            ch = text[i] if text is not None else chr(pdfium_c.FPDFText_GetUnicode(raw, i))
            if ch in " \r\n" and is_generated(raw, i) == 1:
                continue  # a space or line break pdfium made up; pdfminer has none
            address = _text_object_address(raw, i)
            if address != object_address:
                object_address = address
                object_state = self._object_state(pdfium_c.FPDFText_GetTextObject(raw, i), raw, i, fonts, name_buffer)
            name, size, upright = object_state
            if map_error(raw, i) == 1:
                self.unmapped += 1
                ch = "\ufffd"
            elif ch in _PDFIUM_HYPHENS:
                ch = "-"
            elif ch == "\x00":
                ch = ""
            loose_box(raw, i, box_ref)
            if upright:
                # The loose box's bottom is the baseline less the font's
                # descent; up from it the font size, as pdfminer's box.
                bottom = round(height - box.bottom, _DECIMALS)
                top = round(bottom - size, _DECIMALS)
            else:
                top, bottom = round(height - box.top, _DECIMALS), round(height - box.bottom, _DECIMALS)
            append(
                {
                    "text": ch,
                    "x0": round(box.left, _DECIMALS),
                    "x1": round(box.right, _DECIMALS),
                    "top": top,
                    "bottom": bottom,
                    "doctop": top,
                    "upright": upright,
                    "fontname": name,
                    "size": size,
                }
            )

    @staticmethod
    def _object_state(obj: Any, raw: Any, index: int, fonts: dict[int, str], name_buffer: Any) -> tuple[str, float, bool]:
        font = pdfium_c.FPDFTextObj_GetFont(obj) if obj else None
        font_address = ctypes.cast(font, ctypes.c_void_p).value or 0
        if font_address not in fonts:
            length = pdfium_c.FPDFFont_GetBaseFontName(font, name_buffer, len(name_buffer)) if font else 0
            if length > len(name_buffer):  # a name longer than the buffer: read it again whole
                name_buffer = ctypes.create_string_buffer(length)
                pdfium_c.FPDFFont_GetBaseFontName(font, name_buffer, length)
            fonts[font_address] = face(name_buffer.raw[: max(length - 1, 0)].decode("utf-8", "replace"))
        fs = pdfium_c.FS_MATRIX()
        pdfium_c.FPDFText_GetMatrix(raw, index, ctypes.byref(fs))
        upright = fs.a * fs.d > 0 and fs.b * fs.c <= 0
        # pdfium's size is the one the text operator set («Tf»); a writer
        # may set 1 and scale the text by its matrix, and the printed size
        # (pdfminer's, the one the layout compares) is the two together.
        size = pdfium_c.FPDFText_GetFontSize(raw, index) * math.hypot(fs.c, fs.d)
        return fonts[font_address], round(size, _DECIMALS), upright


# The glyph's text object as a plain address, to tell when the next object
# starts without building a pointer object per glyph.
_text_object_address = ctypes.cast(
    pdfium_c.FPDFText_GetTextObject, ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
)


def _all_text(raw: Any, count: int) -> str | None:
    """The text page's characters in one call, one per glyph — or None when
    a character outside the Basic Multilingual Plane takes two UTF-16 units
    and the indices would not line up."""
    if count <= 0:
        return ""
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    written = pdfium_c.FPDFText_GetText(raw, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: 2 * max(written - 1, 0)].decode("utf-16-le", "surrogatepass")
    if len(text) != count or any("\ud800" <= c <= "\udfff" for c in text):
        return None
    return text


def read_page(page: pypdfium2.PdfPage, number: int, objects: PageObjects, settings: LayoutSettings) -> Page:
    """The page model of one page of text (``objects`` walked already: they
    decided the page is read here)."""
    width, height = page_size(page)
    glyphs = Glyphs(page, height)
    # pdfium's text page already leaves out a text object printed again over
    # itself (a faked bold, a doubled layer): no duplicate filter here.
    chars = glyphs.chars
    return Page(
        number=number,
        width=float(width),
        height=float(height),
        words=words_from_chars(chars, settings),
        rules=objects.rules,
        images=objects.images,
        visible_chars=sum(1 for ch in chars if ch["text"].strip()),
        unmapped_chars=glyphs.unmapped,
    )
