"""Shapes of names: persons («Е.П. Талкина», «Кольцова О.С.») and
abbreviations («МОЦ», «ГАУ ДПО СОИРО», «ДОКиС НАО»)."""

from __future__ import annotations

import re

_INITIALS = r"[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.)?"
SURNAME = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
# Initials as people type them in a list of parties: the last dot, or more
# than one, and a third letter («Морозов А.П», «Масягина Т.Г..», «Кушаева О.В.Г.»).
LOOSE_INITIALS = r"[А-ЯЁ]\.(?:\s?[А-ЯЁ](?![а-яё])\.*)?(?:[А-ЯЁ](?![а-яё])\.+)?"
PERSON = re.compile(rf"(?:{_INITIALS}\s?{SURNAME}|{SURNAME}\s{_INITIALS})")


def is_person(text: str) -> bool:
    return bool(PERSON.fullmatch(text.strip()))


def is_initialism(short: str) -> bool:
    """Mostly capital letters, at least two: «МОЦ», «ДОКиС НАО», «ГБУ НАО «НРЦРО»»."""
    letters = [c for c in short if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return len(letters) >= 2 and upper >= 2 and upper >= len(letters) / 2
