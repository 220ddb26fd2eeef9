"""Russian typesetting for the documents the project writes (ГОСТ Р 7.0.97
and the usual rules of Russian typography): no-break spaces where a line
must not break, dates written as words.  Applied to printed text only; the
JSON keeps the document's own spaces."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from pipeline.lang.data import load
from pipeline.lang.inflect import noun_form

NBSP = "\u00a0"

_RULES: list[tuple[re.Pattern[str], str]] = [
    # «№ 123», «№123-ОД» — the sign never ends a line.
    (re.compile(r"№\s*(?=[\w«])"), "№" + NBSP),
    # «2021 г.», «2020–2022 гг.», «1 января 2021 года» — the year and its word together.
    (re.compile(r"(\d)\s+(гг?\.|года?\b|году\b)"), r"\1" + NBSP + r"\2"),
    # «г. Энск», «ул. Ленина», «п. 3», «ст. 5», «пп. 2» — the short word with what it names.
    (re.compile(r"(?<![\w.])(г|ул|д|п|пп|ст|ч|рис|табл|с|т)\.\s+(?=[\w«])"), r"\1." + NBSP),
    # Initials and surname: «И.И. Иванов», «Иванов И.И.», «И. И. Иванов».
    (re.compile(r"(?<![\w.])([А-ЯЁ]\.)\s+(?=[А-ЯЁ]\.)"), r"\1" + NBSP),
    (re.compile(r"(?<![\w.])([А-ЯЁ]\.[А-ЯЁ]?\.?)\s+(?=[А-ЯЁ][а-яё])"), r"\1" + NBSP),
    (re.compile(r"([А-ЯЁ][а-яё]+)\s+(?=[А-ЯЁ]\.\s?[А-ЯЁ]\.)"), r"\1" + NBSP),
    # A hyphen typed for a dash between words is a dash: «школы - участники».
    (re.compile(r"(?<=[\w»)]) - (?=[\w«(])"), " – "),
    # «2021года» typed together: the year and its word apart, unbroken.
    (re.compile(r"(\d{4})(гг?\.|года?\b|году\b)"), r"\1" + NBSP + r"\2"),
    # «(далее – ИРО)» never parts: the definition stays with what it defines.
    (re.compile(r"(\(далее)\s+([–—-])\s*(?=[^()]{1,20}\))"), r"\1" + NBSP + r"\2" + NBSP),
    # A dash between words does not start a line.
    (re.compile(r"[ \t]+([–—])[ \t]"), NBSP + r"\1 "),
    # «17 августа»: the day with its month.
    (re.compile(r"\b(\d{1,2})\s+(января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)\b"), r"\1" + NBSP + r"\2"),
    # «10 %», «5 млн».
    (re.compile(r"(\d)\s+(%|‰|млн|млрд|тыс\.)"), r"\1" + NBSP + r"\2"),
]


def typeset(text: str) -> str:
    """``text`` with no-break spaces where Russian typesetting wants them."""
    if not text:
        return text
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


@lru_cache(maxsize=12)
def _genitive_month(number: int) -> str:
    return noun_form(next(k for k, v in load("months")["months"].items() if v == number), "gent")


def date_in_words(day: dt.date) -> str:
    """«17 августа 2021 г.», as ГОСТ Р 7.0.97 allows a document's date to be
    written, with no-break spaces."""
    return f"{day.day}{NBSP}{_genitive_month(day.month)} {day.year}{NBSP}г."
