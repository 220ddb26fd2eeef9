"""Word's automatic numbering: the numbers Word draws before list paragraphs.

python-docx does not expose them (python-docx issues #92, #1454), so they are
computed here from ``numbering.xml`` the way Word computes them:

* a paragraph names a numbering instance (``w:num``, by ``w:numId``) and a
  level (``w:ilvl``); the instance points at an abstract definition
  (``w:abstractNum``), possibly through a numbering style (``w:numStyleLink``
  → that style's ``w:numId`` → the definition holding the levels);
* each level has a start value, a number format and a template («%1.»,
  «%1.%2.», «%1)»); the instance may override levels (``w:lvlOverride`` with a
  ``w:startOverride`` or a whole ``w:lvl``);
* the running counts belong to the abstract definition, not to the instance:
  instances sharing a definition continue one sequence, and an instance with
  a ``w:startOverride`` on a level restarts the shared count there the first
  time that instance is used at that level (Word's behaviour, as documented
  by renderers that match it: yukiyokotani/office-open-xml-viewer#590,
  nerdy-pro/dxpdf#230);
* using a level restarts the deeper levels, unless their ``w:lvlRestart``
  says otherwise (0 = never; n = only when level n or a higher one is used);
* a level referenced by a template but not used yet shows its start value
  (Word never draws «0.1»), a referenced bullet or «none» level shows nothing,
  and ``w:isLgl`` draws every referenced level in Arabic digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.readers.oxml import Element, StyleSheet, find, int_val, mc, on_off, on_off_attr, val, w

LEVELS = 9
_PLACEHOLDER = re.compile(r"%([1-9])")

_LATIN = "abcdefghijklmnopqrstuvwxyz"
# Word's Russian letter numbering skips ё, й, ъ, ы, ь.
_RUSSIAN = "абвгдежзиклмнопрстуфхцчшщэюя"
_ROMAN = [
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
]  # fmt: skip
_NO_NUMBER = {"bullet", "none"}


def _letters(value: int, alphabet: str) -> str:
    # Word repeats the letter after the alphabet runs out: …, z, aa, bb, cc.
    index, repeat = divmod(value - 1, len(alphabet))
    return alphabet[repeat] * (index + 1)


def _roman(value: int) -> str:
    digits = []
    for amount, symbol in _ROMAN:
        count, value = divmod(value, amount)
        digits.append(symbol * count)
    return "".join(digits)


def format_number(value: int, number_format: str) -> str:
    """One level's number in a ``w:numFmt`` format; formats not listed here
    (rare in Russian documents) fall back to Arabic digits."""
    if number_format in _NO_NUMBER:
        return ""
    if number_format == "decimalZero":
        return f"{value:02d}"
    if value <= 0:
        return str(value)
    if number_format == "lowerLetter":
        return _letters(value, _LATIN)
    if number_format == "upperLetter":
        return _letters(value, _LATIN).upper()
    if number_format == "russianLower":
        return _letters(value, _RUSSIAN)
    if number_format == "russianUpper":
        return _letters(value, _RUSSIAN).upper()
    if number_format == "lowerRoman":
        return _roman(value)
    if number_format == "upperRoman":
        return _roman(value).upper()
    return str(value)


@dataclass(frozen=True, slots=True)
class Level:
    """One ``w:lvl`` of a numbering definition."""

    start: int
    number_format: str
    template: str | None
    # w:lvlRestart: None = restart after any higher level, 0 = never,
    # n = after level n (1-based) or a higher one.
    restart_after: int | None
    legal: bool
    # w:pStyle: the paragraph style this level belongs to.
    style_id: str | None

    def restarts_when(self, own_level: int, used_level: int) -> bool:
        """Whether using ``used_level`` (above this one) restarts this level."""
        restart = self.restart_after
        if restart is None or restart > own_level:  # the spec ignores a restart at a lower level
            return True
        return restart != 0 and used_level < restart


def _number_format(lvl: Element) -> str:
    num_fmt = find(lvl, "numFmt")
    if num_fmt is None:
        # Word 2010's custom formats («001, 002, …») come wrapped in
        # mc:AlternateContent with a plain format as the fallback.
        num_fmt = lvl.find(f"{mc('AlternateContent')}/{mc('Fallback')}/{w('numFmt')}")
    return val(num_fmt) or "decimal"


def _level(lvl: Element) -> Level:
    lvl_text = find(lvl, "lvlText")
    template = None
    if lvl_text is not None:
        template = "" if on_off_attr(lvl_text.get(w("null"))) else val(lvl_text) or ""
    return Level(
        # The spec's default start is 0 (Word always writes w:start).
        start=int_val(find(lvl, "start")) or 0,
        number_format=_number_format(lvl),
        template=template,
        restart_after=int_val(find(lvl, "lvlRestart")),
        legal=bool(on_off(find(lvl, "isLgl"))),
        style_id=val(find(lvl, "pStyle")),
    )


def _levels(container: Element) -> dict[int, Level]:
    levels = {}
    for lvl in container.iterfind(w("lvl")):
        try:
            index = int(lvl.get(w("ilvl"), "0"))
        except ValueError:
            continue
        if 0 <= index < LEVELS:
            levels.setdefault(index, _level(lvl))
    return levels


@dataclass(frozen=True, slots=True)
class Instance:
    """A ``w:num`` resolved: its levels and the sequence it counts in."""

    num_id: int
    # The abstract definition whose running counts this instance shares.
    sequence: str
    levels: dict[int, Level]
    start_overrides: dict[int, int]

    def level_of_style(self, style_id: str | None) -> int:
        """The level a paragraph style is linked to (``w:lvl/w:pStyle``), else 0."""
        for index, level in sorted(self.levels.items()):
            if style_id is not None and level.style_id == style_id:
                return index
        return 0

    def start(self, level: int) -> int:
        return self.start_overrides.get(level, self.levels[level].start if level in self.levels else 0)


class Numbering:
    """The numbering part: instances resolved to their levels on demand."""

    def __init__(self, numbering: Element | None, styles: StyleSheet):
        self._styles = styles
        self._abstracts: dict[str, Element] = {}
        self._nums: dict[int, Element] = {}
        self._instances: dict[int, Instance | None] = {}
        if numbering is None:
            return
        for abstract in numbering.iterfind(w("abstractNum")):
            self._abstracts.setdefault(abstract.get(w("abstractNumId"), ""), abstract)
        for num in numbering.iterfind(w("num")):
            try:
                self._nums.setdefault(int(num.get(w("numId"), "")), num)
            except ValueError:
                continue

    def _abstract(self, num_id: int, seen: frozenset[int] = frozenset()) -> Element | None:
        abstract = self._abstracts.get(val(find(self._nums.get(num_id), "abstractNumId")) or "")
        link = val(find(abstract, "numStyleLink"))
        if link is not None:
            linked_num = self._styles.numbering_style_num_id(link)
            if linked_num is not None and linked_num not in seen | {num_id}:
                linked = self._abstract(linked_num, seen | {num_id})
                if linked is not None:
                    return linked
        return abstract

    def instance(self, num_id: int) -> Instance | None:
        """The instance ``w:numId`` names, or None (0 means "no numbering")."""
        if num_id not in self._instances:
            self._instances[num_id] = self._resolve(num_id)
        return self._instances[num_id]

    def _resolve(self, num_id: int) -> Instance | None:
        num = self._nums.get(num_id)
        abstract = self._abstract(num_id) if num is not None else None
        if num is None or abstract is None:
            return None
        levels = _levels(abstract)
        start_overrides = {}
        for override in num.iterfind(w("lvlOverride")):
            try:
                index = int(override.get(w("ilvl"), ""))
            except ValueError:
                continue
            replacement = find(override, "lvl")
            if replacement is not None and 0 <= index < LEVELS:
                levels[index] = _level(replacement)
            start = int_val(find(override, "startOverride"))
            if start is not None:
                start_overrides[index] = start
        return Instance(num_id, abstract.get(w("abstractNumId"), ""), levels, start_overrides)


class ListCounter:
    """Word's running counts, fed the numbered paragraphs in reading order."""

    def __init__(self, numbering: Numbering):
        self._numbering = numbering
        self._counts: dict[str, list[int | None]] = {}
        self._used: set[tuple[int, int]] = set()

    def next_label(self, num_id: int, level: int | None, style_id: str | None) -> str | None:
        """Count one paragraph of instance ``num_id`` at ``level`` (None: the
        level linked to its style) and return its label, or None for bullets
        and paragraphs without a drawn number."""
        found = self._level(num_id, level, style_id)
        if found is None:
            return None
        instance, level = found
        counts = self._counts.setdefault(instance.sequence, [None] * LEVELS)
        first_use = (num_id, level) not in self._used
        self._used.add((num_id, level))
        if counts[level] is None or (first_use and level in instance.start_overrides):
            counts[level] = instance.start(level)
        else:
            counts[level] += 1
        for deeper in range(level + 1, LEVELS):
            deeper_definition = instance.levels.get(deeper)
            if deeper_definition is None or deeper_definition.restarts_when(deeper, level):
                counts[deeper] = None
        return self._render(instance, level, counts)

    def bullet(self, num_id: int, level: int | None, style_id: str | None) -> str | None:
        """The glyph a bulleted paragraph of ``num_id`` at ``level`` is drawn
        with (as its font spells it: a Symbol bullet is U+F0B7), or None when
        the level is not a bullet."""
        found = self._level(num_id, level, style_id)
        if found is None:
            return None
        instance, level = found
        definition = instance.levels[level]
        if definition.number_format != "bullet":
            return None
        return (definition.template or "").strip() or None

    def _level(self, num_id: int, level: int | None, style_id: str | None) -> tuple[Instance, int] | None:
        """The instance and the level a paragraph is at (None: the level
        linked to its style), if both are defined."""
        instance = self._numbering.instance(num_id)
        if instance is None:
            return None
        if level is None:
            level = instance.level_of_style(style_id)
        return (instance, level) if level in instance.levels else None

    @staticmethod
    def _render(instance: Instance, level: int, counts: list[int | None]) -> str | None:
        definition = instance.levels[level]
        if definition.number_format == "bullet" or not definition.template:
            return None

        def number(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            referenced = instance.levels.get(index)
            if referenced is None or referenced.number_format in _NO_NUMBER:
                return ""
            count = counts[index]
            value = count if count is not None else instance.start(index)
            return format_number(value, "decimal" if definition.legal else referenced.number_format)

        label = _PLACEHOLDER.sub(number, definition.template).strip()
        return label or None
