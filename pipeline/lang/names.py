"""Shapes of names: persons («Е.П. Талкина», «Кольцова О.С.») and
abbreviations («МОЦ», «ГАУ ДПО СОИРО», «ДОКиС НАО»)."""

from __future__ import annotations

import re

_INITIALS = r"[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.)?"
_SURNAME = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
PERSON = re.compile(rf"(?:{_INITIALS}\s?{_SURNAME}|{_SURNAME}\s{_INITIALS})")


def is_person(text: str) -> bool:
    return bool(PERSON.fullmatch(text.strip()))


def is_initialism(short: str) -> bool:
    """Mostly capital letters, at least two: «МОЦ», «ДОКиС НАО», «ГБУ НАО «НРЦРО»»."""
    letters = [c for c in short if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return len(letters) >= 2 and upper >= 2 and upper >= len(letters) / 2
