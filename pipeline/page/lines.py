"""Words into lines, and lines into text with the writer's line breaks.

A word joins the line whose vertical band it overlaps; a line break is kept
where the writer made it — the next line's first word would have fitted in
the room left — and a line that only wrapped is joined with a space
(:func:`line_break`).  Shared by every source of words: a text layer or OCR.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.lang.words import normalize_spaces
from pipeline.page.model import Word
from pipeline.page.settings import DEFAULT_SETTINGS, LayoutSettings


@dataclass(slots=True)
class Line:
    """One printed line: its text (words joined), box, type and its number
    among the page's lines and table rows (1-based, top to bottom)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    # The widest gap between two words: a tab stop's jump is far wider
    # than a space («15.03.2024          № 123-од»).
    widest_gap: float = 0.0
    # Width of the first word: whether it would have fitted on the line above.
    first_word_width: float = 0.0
    # Width of the last word: whether, joined to the next line's first, it
    # would have been too long for any line (then a narrow column cut it).
    last_word_width: float = 0.0
    number: int = 0
    # Mean OCR confidence of the line's words; None for a text layer.
    confidence: float | None = None

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 0.1)


def join_words(words: Sequence[Word], space_gap: float) -> str:
    """Words of one line, left to right: a space where there is a gap.  Words
    that touch were cut apart only by a change of font (a bold letter, a
    superscript) and are one word."""
    parts: list[str] = []
    previous: Word | None = None
    for word in words:
        if previous is not None and word.x0 - previous.x1 > space_gap:
            parts.append(" ")
        parts.append(word.text)
        previous = word
    return "".join(parts)


def make_line(words: Sequence[Word], space_gap: float) -> Line:
    ordered = sorted(words, key=lambda w: w.x0)
    sizes = sorted(w.size for w in ordered)
    gaps = [b.x0 - a.x1 for a, b in zip(ordered, ordered[1:])]
    return Line(
        text=join_words(ordered, space_gap),
        x0=min(w.x0 for w in ordered),
        x1=max(w.x1 for w in ordered),
        top=min(w.top for w in ordered),
        bottom=max(w.bottom for w in ordered),
        size=sizes[len(sizes) // 2],
        bold=all(w.bold for w in ordered),
        widest_gap=max(gaps, default=0.0),
        first_word_width=first_word_width(ordered),
        last_word_width=first_word_width(ordered[::-1], backwards=True),
        confidence=mean_confidence(ordered),
    )


def mean_confidence(words: Sequence[Word]) -> float | None:
    """The mean OCR confidence of the words that have one."""
    known = [w.confidence for w in words if w.confidence is not None]
    return sum(known) / len(known) if known else None


def first_word_width(words: Sequence[Word], backwards: bool = False) -> float:
    """Width of the line's first word (``backwards``: of its last, the words
    given right to left); words touching it (a change of font inside the
    word) are part of it."""
    if backwards:
        start = words[0].x0
        for word in words[1:]:
            if start - word.x1 > 0.5:
                break
            start = word.x0
        return words[0].x1 - start
    end = words[0].x1
    for word in words[1:]:
        if word.x0 - end > 0.5:
            break
        end = word.x1
    return end - words[0].x0


def word_bands(words: Iterable[Word], settings: LayoutSettings = DEFAULT_SETTINGS) -> list[list[Word]]:
    """Words in lines, top to bottom, each line's words in the order found: a
    word joins the line above it when their boxes overlap by
    ``line_overlap`` of the smaller height."""
    bands: list[list[Word]] = []
    band_top = band_bottom = 0.0
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if bands:
            overlap = min(band_bottom, word.bottom) - max(band_top, word.top)
            if overlap >= settings.line_overlap * min(word.height, band_bottom - band_top):
                bands[-1].append(word)
                band_top, band_bottom = min(band_top, word.top), max(band_bottom, word.bottom)
                continue
        bands.append([word])
        band_top, band_bottom = word.top, word.bottom
    return bands


def group_lines(words: Iterable[Word], settings: LayoutSettings = DEFAULT_SETTINGS) -> list[Line]:
    """Words → lines, top to bottom (``word_bands``)."""
    return [make_line(band, settings.x_tolerance) for band in word_bands(words, settings)]


def line_break(line: Line, following: Line, room: float | None, settings: LayoutSettings = DEFAULT_SETTINGS) -> str:
    """What stands in the text between two printed lines: "\n" where the
    writer broke the line.  With ``line_breaks="typed"``, a space where the
    line only wrapped — the next word would not have fitted in the ``room``
    left after it — and nothing after a soft hyphen.  A line ending in "-"
    keeps its "\n": a hyphenated word or a compound, for the dictionary
    repair of later stages to decide."""
    if settings.line_breaks == "printed" or room is None:
        return "\n"
    if line.text.endswith("\u00ad"):
        return ""
    if line.text.endswith("-"):
        return "\n"
    if cut_in_a_narrow_column(line, following, room, settings):
        return ""
    needed = settings.space_width * following.size + following.first_word_width
    return " " if needed > room - settings.fit_tolerance else "\n"


_LETTERS_END = re.compile(r"([^\W\d_]+)$")
_LETTERS_START = re.compile(r"^([^\W\d_]+)")


def cut_in_a_narrow_column(line: Line, following: Line, room: float, settings: LayoutSettings = DEFAULT_SETTINGS) -> bool:
    """A word processor cuts a word without a hyphen only when the word is
    longer than the whole line (a narrow column: «регионально» / «го»,
    «координатор» / «а»).  So the line's last word and the next line's
    first are one word when together they would not fit on any line of the
    column, the line runs to its right edge, and the dictionary knows the
    whole word; two real words are never glued by width alone."""
    head, tail = _LETTERS_END.search(line.text), _LETTERS_START.match(following.text)
    if head is None or tail is None or not _lower_piece(tail.group(1), following):
        return False
    capacity = (line.x1 - line.x0) + room
    if room > settings.fit_tolerance + settings.space_width * line.size:
        return False  # the line stopped short of the edge: a word ended there
    if line.last_word_width + following.first_word_width <= capacity - settings.fit_tolerance:
        return False  # the whole would have fitted on a line of its own
    from pipeline.lang.morph import is_known

    return is_known((head.group(1) + tail.group(1)).lower())


# Letters whose capital is the small letter drawn larger: OCR of a short
# piece of a word, with nothing around to tell its size by, reads them in
# either case («ьный» as «ЬНЫЙ»).
_SAME_SHAPE = set("вгжзийклмнопстушхцчшщъыьэюяё")


def _lower_piece(piece: str, line: Line) -> bool:
    """The piece starts in lower case — or, read by OCR, is in capitals whose
    shapes are those of its small letters."""
    if piece.islower():
        return True
    return line.confidence is not None and all(ch.islower() or ch.lower() in _SAME_SHAPE for ch in piece)


def _lowered(text: str) -> str:
    """The first word of a line joined to a cut word, in lower case."""
    m = _LETTERS_START.match(text)
    return m.group(1).lower() + text[m.end():] if m else text


def lines_text(lines: Sequence[Line], rooms: Sequence[float] | None = None, settings: LayoutSettings = DEFAULT_SETTINGS) -> str:
    """The lines as one text, each break as :func:`line_break` says (all
    "\n" without ``rooms``, the free width after each line)."""
    if not lines:
        return ""
    breaks = [line_break(lines[i], following, rooms[i] if rooms is not None else None, settings) for i, following in enumerate(lines[1:])]
    if rooms is not None and settings.line_breaks == "typed":
        _join_long_word_chains(lines, rooms, breaks, settings)
    parts = [lines[0].text]
    for following, joint in zip(lines[1:], breaks):
        parts.append(joint)
        parts.append(_lowered(following.text) if joint == "" and following.confidence is not None else following.text)
    return normalize_spaces("".join(parts)).strip("\n")


def _join_long_word_chains(lines: Sequence[Line], rooms: Sequence[float], breaks: list[str], settings: LayoutSettings) -> None:
    """A word longer than two lines of a narrow column is cut twice or more
    («общеобра» / «зовательн» / «ых»): the pieces between are lines of one
    piece each, filling their line; the chain is one word when the
    dictionary knows the whole."""
    from pipeline.lang.morph import is_known

    i = 0
    while i < len(lines) - 2:
        head = _LETTERS_END.search(lines[i].text)
        if head is None or breaks[i] == "" or rooms[i] > settings.fit_tolerance + settings.space_width * lines[i].size:
            i += 1
            continue
        word, j = head.group(1), i + 1
        while j < len(lines) - 1 and _LETTERS_START.fullmatch(lines[j].text) and lines[j].text.islower() \
                and rooms[j] <= settings.fit_tolerance + settings.space_width * lines[j].size:
            word += lines[j].text
            tail = _LETTERS_START.match(lines[j + 1].text)
            if tail and tail.group(1).islower() and is_known((word + tail.group(1)).lower()):
                for k in range(i, j + 1):
                    breaks[k] = ""
                i = j
                break
            j += 1
        i += 1
