"""Repairs of what Tesseract does to Russian print.

Every repair that changes a word is a dictionary decision: a word the
pymorphy3 dictionary does not know becomes the one word it knows (or the one
word the same document prints again and again) that a known OCR confusion
leads to — never a guess among several.  The confusions are data
(``lang/data/ocr.toml``).  The reader (``readers/ocr.py``) calls these on the
words and lines it reads; nothing here knows about images.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from pipeline.lang.data import load
from pipeline.lang.morph import is_known

# Latin letters that OCR puts into Cyrillic words.
_LOOKALIKES = str.maketrans("AaBCcEeHKMOoPpTXxy", "АаВСсЕеНКМОоРрТХху")
# Russian one-letter words a Latin lookalike stands for when alone.
_LONE_LETTERS = {"a": "а", "B": "В", "K": "К", "o": "о", "O": "О", "C": "С", "c": "с", "y": "у"}
# One-letter prepositions OCR runs into the next word («снизкими»).
_PREPOSITIONS = ("с", "в", "к", "о", "у")
# Letters whose small form is the capital made smaller: Tesseract may read a
# word of them in the wrong case («ИЮНЬ», «ВЫСОКИМ»).
_SAME_SHAPE_IN_BOTH_CASES = set("вжзийклмнопстхцчшщъыьэюя")
_WORD_PARTS = re.compile(r"([«(\"„.…]*)([А-Яа-яЁё-]{2,})([»).,;:\"]*)")


@lru_cache(maxsize=1)
def known_abbreviations() -> frozenset[str]:
    return frozenset(load("gazetteer")["abbreviations"])


@lru_cache(maxsize=1)
def confusions() -> dict[str, tuple[str, ...]]:
    """Each letter or letter group Tesseract reads for another, both ways."""
    pairs: dict[str, set[str]] = {}
    for a, b in load("ocr")["confusable"]:
        pairs.setdefault(a, set()).add(b)
        pairs.setdefault(b, set()).add(a)
    return {k: tuple(sorted(v)) for k, v in pairs.items()}


def fix_lookalikes(word: str) -> str:
    """«ОО» read as «00» or with a Latin «O»: inside a word with Cyrillic
    letters (or a run of zeros standing alone), lookalikes become Cyrillic."""
    wrapped = re.fullmatch(r"([«(\"]*)(.+?)([»).,;:\"]*)", word)
    if wrapped and (wrapped.group(1) or wrapped.group(3)):
        head, core, tail = wrapped.groups()
        return head + fix_lookalikes(core) + tail  # «сайты 00)»
    if re.fullmatch(r"0{2,}", word):
        return "О" * len(word)
    if word in _LONE_LETTERS:
        return _LONE_LETTERS[word]  # «школы C низкими»
    latin = word.translate(_LOOKALIKES)
    if 2 <= len(word) <= 4 and latin.upper() != word and latin.upper() in known_abbreviations() and not is_known(latin):
        return latin.upper()  # «оО», «оо», «OO» for «ОО»
    if re.search(r"[А-Яа-яЁё]", word) and not re.search(r"[1-9]", word):
        return latin.replace("0", "О")
    return word


def _variants(word: str) -> set[str]:
    """The word with one confusion undone, at each place it could be (a
    capital stays a capital: «НРИРО» → «НРЦРО»)."""
    table = confusions()
    out = set()
    for i in range(len(word)):
        for size in (1, 2, 3):
            piece = word[i : i + size]
            if len(piece) == size:
                for other in table.get(piece.lower(), ()):
                    out.add(word[:i] + (other.upper() if piece.isupper() else other) + word[i + size :])
    return out


def _with_case_of(fixed: str, model: str) -> str:
    if model.isupper() and len(model) > 1:
        return fixed.upper()
    return fixed[:1].upper() + fixed[1:] if model[:1].isupper() else fixed


def fix_confusions(word: str, document_words: Counter[str] | None = None) -> str:
    """A word the dictionary does not know becomes the one word it knows that
    one confusion away (two if one finds none) leads to: «иснытывающих» →
    «испытывающих», «Повьннение» → «Повышение».  A preposition run into a
    known word is split off («снизкими» → «с низкими»)."""
    core = _WORD_PARTS.fullmatch(word)
    if not core:
        return word
    head, body, tail = core.groups()
    lower = body.lower()
    if body.isupper() or len(body) < 3 or is_known(lower):
        return word
    # A preposition run into a known word changes no letter: tried first.
    preposition = lower[0] in _PREPOSITIONS and len(lower) >= 5
    if preposition and is_known(lower[1:]):
        return f"{head}{body[0]} {body[1:]}{tail}"  # «снизкими» → «с низкими»
    first = _variants(lower)
    found = {v for v in first if is_known(v)}
    if len(found) == 1:
        return head + _with_case_of(found.pop(), body) + tail
    if not found and preposition:
        rest = fix_confusions(body[1:])
        if is_known(rest.lower()):
            return f"{head}{body[0]} {rest}{tail}"  # «слизкими» → «с низкими»
    if not found and len(lower) >= 6:
        found = {w for v in first for w in _variants(v) if is_known(w)}
        if len(found) == 1:
            return head + _with_case_of(found.pop(), body) + tail
    return word


_DOCUMENT_WORD = re.compile(r"[А-Яа-яЁё]{3,}")


class DocumentWords:
    """How often a document prints each word, and the most printed spelling
    of each word regardless of case — counted once per document."""

    def __init__(self, counts: Counter[str]) -> None:
        self.counts = counts
        self.spellings: dict[str, str] = {}
        for form, _ in counts.most_common():
            self.spellings.setdefault(form.lower(), form)

    @classmethod
    def of(cls, texts: list[str]) -> "DocumentWords":
        return cls(Counter(w for text in texts for w in _DOCUMENT_WORD.findall(text)))


def fix_from_document(text: str, words: DocumentWords) -> str:
    """Words the dictionary does not know that one confusion (or one stray
    letter) turns into a word the same document prints at least three times
    as often (and three times at least) become that word: «НРИРО» → «НРЦРО»,
    «ДОКиСс» → «ДОКиС» where the order names them again and again."""
    counts = words.counts

    def repair(m: re.Match[str]) -> str:
        word = m.group()
        spelling = words.spellings.get(word.lower(), word)
        mixed = not word.isupper() and sum(ch.isupper() for ch in word) >= 2
        if mixed and sum(ch.isupper() for ch in spelling) >= 2 and spelling != word and counts[spelling] >= max(3, 3 * counts[word]):
            return spelling  # an abbreviation in the wrong case: «ДОКис» where «ДОКиС» is printed
        if is_known(word.lower()):
            return word
        candidates = _variants(word) | {word[:i] + word[i + 1 :] for i in range(len(word))}
        frequent = {c for c in candidates if c != word and counts[c] >= max(3, 3 * counts[word])}
        return frequent.pop() if len(frequent) == 1 else word

    return _DOCUMENT_WORD.sub(repair, text)


_MONTH_PAIR = re.compile(r"(?<![\w-])([А-Яа-яЁё]{3,})\s+([А-Яа-яЁё]{3,})(?![\w-])")


def _dash_between_months(m: re.Match[str]) -> str:
    """«сентябрь декабрь 2020 г.»: two months side by side are a range whose
    dash OCR lost."""
    from pipeline.lang.dates import month_number

    if month_number(m.group(1)) and month_number(m.group(2)):
        return f"{m.group(1)} – {m.group(2)}"
    return m.group(0)


def ocr_typography(text: str) -> str:
    """What Tesseract's Russian model does to print, undone: «2020 Г.» and
    «2020г.» for «2020 г.»; a hyphen at the start of a word for the en dash
    («(далее -МОЦ)»: a word never starts with a hyphen; a dash standing alone
    the reader tells by its length); braces for parentheses
    (these documents have none); a common word in capitals («ИЮНЬ») inside
    lower-case text, when its letters look alike in both cases."""
    text = re.sub(r"(?<=\d{4}) ?((?:[ГгТт]\.)+)", lambda m: " " + "г." * (len(m.group(1)) // 2), text)  # «2024 г.Г.»
    text = _MONTH_PAIR.sub(_dash_between_months, text)
    text = re.sub(r"(?<=\s)[-–—]{2,}(?=\s)", "–", text)  # «-—»: one dash read twice
    text = re.sub(r"(?<!\S)[-—](?=[^\W\d_])", "–", text)
    text = text.replace("{", "(").replace("}", ")")
    # Initials whose first dot was lost («ТА. Смирнова»): two capitals and a
    # dot before a surname are no abbreviation the documents use.
    text = re.sub(
        r"(?<![\w.])([А-ЯЁ])([А-ЯЁ])\.(?= ?[А-ЯЁ][а-яё]{2,}(?![\w.]))",
        lambda m: m.group() if m.group(1) + m.group(2) in known_abbreviations() else f"{m.group(1)}.{m.group(2)}.",
        text,
    )
    # The Latin «N» of «N 451» (number sign of legal databases) read as «М»:
    # a lone capital «М» before a number is no Russian word.
    text = re.sub(r"(?<!\S)М(?= \d)", "N", text)
    if re.search(r"[а-яё]", text):

        def lower(m: re.Match[str]) -> str:
            word = m.group()
            if word in known_abbreviations() or not is_known(word.lower()) or set(word.lower()) - _SAME_SHAPE_IN_BOTH_CASES:
                return word  # «УПРАВЛЕНИЕ по …»: «Р», «А», «Е» are not misread capitals
            return word.lower()

        text = re.sub(r"(?<![\w«])[А-ЯЁ]{3,}(?![\w»])", lower, text)
    # A one-letter preposition or conjunction read as a capital mid-sentence
    # («школы С низкими», «образования И МКУ»), run into an abbreviation
    # («иМКУ»), or with a speck for a full stop («с. учреждениями»).
    text = re.sub(r"(?<=[а-яё,] )([СВКОУИА])(?= [^\W\d_])", lambda m: m.group(1).lower(), text)
    text = re.sub(r"(?<![^\W\d_])([ивсоку])(?=[А-ЯЁ]{2,}(?![а-яё]))", r"\1 ", text)
    text = re.sub(r"(?<!\S)([свкоу])\.(?= [а-яё])", r"\1", text)  # not «И.о. начальника»
    # «Но» and «По» differ by one stroke; a cell that starts with a word in the
    # dative after it starts with the preposition («По отдельному графику»).
    return re.sub(r"^Но (?=([а-яё]+))", lambda m: "По " if _can_be_dative(m.group(1)) else m.group(0), text, flags=re.M)


def _can_be_dative(word: str) -> bool:
    from pipeline.lang.morph import parses

    return any(p.tag.case == "datv" for p in parses(word))
