"""Operative clauses: numbers as printed and their hierarchy.

«1.» is level 1, «3.1.» level 2 under «3», «1)» or «а)» one level below the
clause above it.  Unnumbered paragraphs between clauses belong to the clause
above (the list of what «Утвердить прилагаемые:» approves).  Numbers are kept
as printed, repeats included: finding them is the validator's job.
"""

from __future__ import annotations

import re

from pipeline.lang.words import repair_keeping_lists
from pipeline.layout import Block, Paragraph
from schemas import Clause, Location

_DOTTED = re.compile(r"^(?!\d{1,2}\.\d{1,2}\.\d{2,4}\b)(?P<num>\d+(?:\.\d+)*)(?P<dot>\.?)\s+(?P<text>.*)$", re.S)
_PAREN = re.compile(r"^(?P<num>\d+|[а-яa-z])\)\s+(?P<text>.*)$", re.S)


def split_number(text: str) -> tuple[str | None, str, str | None]:
    """(number as printed, text after it, kind) where kind is «dotted» or «paren»."""
    m = _DOTTED.match(text)
    if m:
        return m.group("num") + m.group("dot"), m.group("text"), "dotted"
    m = _PAREN.match(text)
    if m:
        return m.group("num") + ")", m.group("text"), "paren"
    return None, text, None


def read_clauses(blocks: list[Block]) -> list[Clause]:
    clauses: list[Clause] = []
    last_dotted: Clause | None = None
    for block in blocks:
        if not isinstance(block, Paragraph):
            continue
        location = Location(page=block.source.page, line=block.source.line)
        raw = f"{block.list_label} {block.text}" if block.list_label else block.text
        number, text, kind = split_number(raw.strip())
        text = repair_keeping_lists(text)
        if not text and not number:
            continue
        if kind == "dotted":
            parts = number.rstrip(".").split(".")
            clause = Clause(
                number=number, level=len(parts), parent=".".join(parts[:-1]) or None, text=text, location=location
            )
            last_dotted = clause
        elif kind == "paren":
            parent = last_dotted.number.rstrip(".") if last_dotted else None
            level = last_dotted.level + 1 if last_dotted else 1
            clause = Clause(number=number, level=level, parent=parent, text=text, location=location)
        elif clauses:
            clauses[-1].text = f"{clauses[-1].text}\n{text}"
            continue
        else:
            clause = Clause(number=None, level=1, text=text, location=location)
        clauses.append(clause)
    return clauses
