"""Dates and numbers of documents as printed in requisites.

Covers the forms clerks type: «06» 10 2020 г.; « 17 » август 20 21 г. (a year
split by a space); от 10.06.2021; 06.10.20; от 21 мая 2020 г.; 17.03.2020 г.
Month words are recognised through their pymorphy3 lemma, so any case works.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipeline.lang.data import load
from pipeline.lang.morph import lemma

_Q_OPEN = "«\"“„'"
_Q_CLOSE = "»\"”'"
_DAY = rf"[{_Q_OPEN}]?\s*(?P<day>\d{{1,2}})\s*[{_Q_CLOSE}]?"
_YEAR = r"(?P<year>\d{2}\s?\d{2}|\d{2})(?!\d)"
_DATE_PATTERNS = [
    re.compile(rf"(?<!\d){_DAY}\s*[./]\s*(?P<month>\d{{1,2}})\s*[./]\s*{_YEAR}(?:\s*(?:г\.|года|г(?![а-яё])))?", re.I),
    re.compile(rf"(?<!\d){_DAY}\s+(?P<month>\d{{1,2}}|[а-яё]+\.?)\s+{_YEAR}(?:\s*(?:г\.|года|г(?![а-яё])))?", re.I),
    # «24.августа.2019»: a month word between dots.
    re.compile(rf"(?<!\d){_DAY}\s*\.\s*(?P<month>[а-яё]+)\s*\.\s*{_YEAR}(?:\s*(?:г\.|года|г(?![а-яё])))?", re.I),
]
# A blank filled in by typing over it («№_305_от_22_ноября 2021г.»): a single
# underscore between words is a space; runs of them stay blanks.
_TYPED_OVER = re.compile(r"(?<!_)_(?!_)")
# A number after «№» is not a date, whatever it looks like («№ 01.04/81»).
_AFTER_NUMBER_SIGN = re.compile(r"(?:№|N)\s*$")
_BLANK = re.compile(r"_{2,}|\.{4,}|…{2,}")
_NUMBER = re.compile(r"(?:№|N(?=\s*\d))\s*(?P<number>[^\s,;«»()]+(?:\s*[-–/]\s*[^\s,;«»()]+)*)")


@dataclass(frozen=True, slots=True)
class FoundDate:
    date: dt.date
    text: str
    start: int
    end: int


def month_number(word: str) -> int | None:
    """1–12 for a month word in any case or a usual abbreviation, else None."""
    word = word.lower().rstrip(".")
    if not word.isalpha():
        return int(word) if word.isdigit() and 1 <= int(word) <= 12 else None
    data = load("months")
    if word in data["abbreviations"]:
        return data["abbreviations"][word]
    return data["months"].get(lemma(word))


def _year(text: str) -> int:
    digits = text.replace(" ", "")
    year = int(digits)
    return year + 2000 if len(digits) == 2 else year


def find_dates(text: str) -> list[FoundDate]:
    """Every valid date printed in ``text``, in order."""
    found: list[FoundDate] = []
    taken: list[range] = []
    text = _TYPED_OVER.sub(" ", text)
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() in r for r in taken) or _AFTER_NUMBER_SIGN.search(text[: m.start()]):
                continue
            month = month_number(m.group("month"))
            if month is None:
                continue
            try:
                date = dt.date(_year(m.group("year")), month, int(m.group("day")))
            except ValueError:
                continue
            found.append(FoundDate(date, m.group(0).strip(), m.start(), m.end()))
            taken.append(range(m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def find_date(text: str) -> FoundDate | None:
    dates = find_dates(text)
    return dates[0] if dates else None


def clean_number(raw: str) -> str:
    """«454 -р» → «454-р»: spaces around hyphens and slashes dropped."""
    return re.sub(r"\s*([-–/])\s*", r"\1", raw).replace("–", "-").strip(" .")


def find_number(text: str) -> str | None:
    """The document number after «№», cleaned; None when absent or blank."""
    text = _TYPED_OVER.sub(" ", text)
    m = _NUMBER.search(text)
    if not m or _BLANK.search(m.group("number")):
        return None
    return clean_number(m.group("number"))


def has_blank(text: str) -> bool:
    """The text holds a blank to be filled in: «от _____ № _____»."""
    return bool(_BLANK.search(text))


_DAY_MONTH = re.compile(rf"(?<!\d){_DAY}\s*(?:[./]\s*(?P<num>\d{{1,2}})(?!\d)|\s+(?P<word>[а-яё]+))", re.I)


def impossible_date(text: str) -> str | None:
    """The first day-and-month in ``text`` that no calendar has («31 февраля»,
    «30.02.2022», «32 мая»), as printed; None when every one exists.  The
    year is taken as a leap year unless printed: «29 февраля» alone is a day."""
    for m in _DAY_MONTH.finditer(text):
        month = int(m.group("num")) if m.group("num") else month_number(m.group("word"))
        if month is None or not 1 <= month <= 12:
            continue
        tail = text[m.end():]
        year_match = re.match(r"\s*[./]?\s*(\d{4})(?!\d)", tail)
        year = int(year_match.group(1)) if year_match else 2024
        try:
            dt.date(year, month, int(m.group("day")))
        except ValueError:
            return (m.group(0) + (year_match.group(0) if year_match else "")).strip()
    return None

