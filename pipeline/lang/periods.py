"""Plan periods as printed in titles, headings and sentences.

«на 2020 – 2021 учебный год», «на 2018/2019 учебный год», «на 2019-2020 уч.
год», «на 2015–2030 годы», «на 2020 год», «на 2022г.», «весенние каникулы 2019
года», «на 2024 – 2027 гг.».  Academic years (and the words that say so, in
``deadlines.toml``) run 1 September – 31 August; calendar years 1 January –
31 December.  A year that is part of a date («от 16.03.2021 г.», «17 мая 2021
года») is not a period.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipeline.lang.data import load
from pipeline.lang.dates import month_number
from pipeline.lang.morph import lemma

_YEAR_WORD = r"(?:годы|годов|году|года|год|гг\.?|г\.?)(?![а-яё])"
_PERIOD = re.compile(
    rf"(?P<y1>(?:19|20)\d{{2}})(?:\s*(?:гг?\.?)?\s*(?:[-–—/]|по)\s*(?P<y2>(?:19|20)\d{{2}}))?\s*"
    rf"(?:(?P<word>[а-яё]+\.?)\s*)?{_YEAR_WORD}",
    re.I,
)
# What may stand before the years of a period in running text: «на 2019 год».
_FOR = re.compile(r"(?:^|\s)на\s+$", re.I)


@dataclass(frozen=True, slots=True)
class Period:
    """A plan period: a calendar year or years, or an academic year."""

    start: dt.date
    end: dt.date
    academic: bool = False

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _academic_word(word: str | None) -> bool:
    if not word:
        return False
    data = load("deadlines")["period"]
    word = word.lower().rstrip(".")
    return word in data["academic_abbreviations"] or lemma(word) in data["academic"]


def _in_date(text: str, start: int) -> bool:
    """The year at ``start`` ends a date: «16.03.2021», «17 мая 2021», «« 17 » 05 2021»."""
    before = text[:start].rstrip()
    if re.search(r"\d[./]$", text[:start]) or re.search(r"\d\s*[»\"]?\s*\d{1,2}$", before):
        return True
    word = re.search(r"([а-яё]+)\.?$", before, re.I)
    return bool(word) and month_number(word.group(1)) is not None and bool(re.search(r"\d\s*[»\"']?\s*[а-яё]+\.?$", before, re.I))


def _matches(text: str):
    for m in _PERIOD.finditer(text):
        if _in_date(text, m.start()):
            continue
        yield m


def _period(m: re.Match) -> Period | None:
    y1 = int(m.group("y1"))
    y2 = int(m.group("y2")) if m.group("y2") else y1
    if y2 < y1 or y2 - y1 > 30:
        return None
    if _academic_word(m.group("word")):
        return Period(dt.date(y1, 9, 1), dt.date(max(y2, y1 + 1), 8, 31), academic=True)
    return Period(dt.date(y1, 1, 1), dt.date(y2, 12, 31))


def _first(text: str | None, accept) -> Period | None:
    if not text:
        return None
    for m in _matches(text):
        period = _period(m)
        if period and accept(period, m):
            return period
    return None


def parse_period(text: str | None) -> Period | None:
    """«на 2020 – 2021 учебный год» → 2020-09-01 … 2021-08-31; «на 2020-2022
    годы» → 2020-01-01 … 2022-12-31; «2021 год» → that year."""
    return _first(text, lambda period, m: True)


def stated_period(text: str | None) -> Period | None:
    """The period a sentence of running text states for the plan: one it is
    «на» («… на 2013-2014 учебный год»), or a school year («в 2013-2014
    учебном году»); not the year of one task («в 2014 году»)."""
    return _first(text, lambda period, m: period.academic or bool(_FOR.search(text[: m.start()])))
