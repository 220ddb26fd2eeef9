"""Headings above a table: the roadmap's title, and the plan period stated
nearest above it.

A roadmap's title is the heading printed just above its table — the
paragraphs of one heading joined («ПЕДАГОГИЧЕСКИЕ СОВЕТЫ» / «I.»,
«Внутренний контроль над работой воспитателей» / «и изучение …»).  Where
running text stands between the table and its heading (goals, tasks, a list
of directions), the heading above that text is the title; a numbered heading
whose section a later number has closed («1. Приоритетные задачи …» above
«2. Показатели …») is not.  The plan period comes from the nearest
statement above the table: a heading in any form («… каникул 2019 года»), a
sentence only when it says what the plan is for («… на 2013-2014 учебный
год»).
"""

from __future__ import annotations

import re

from pipeline.lang.periods import Period, parse_period, stated_period
from pipeline.lang.words import collapse, repair_inline
from pipeline.layout import Block, Paragraph, Table

MAX_HEADING_CHARS = 300
_NUMBERED = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.)(?:\s|(?=[А-ЯЁA-Z«]))")
_BULLET = re.compile(r"^[-–—•*\uf0b7\uf0a7\uf0d8\uf0f1\uf076]")
_LABEL = re.compile(r"^[А-ЯЁа-яё]+(?:\s+[А-ЯЁа-яё]+){0,5}\s*:")


def _text(p: Paragraph) -> str:
    return collapse(f"{p.list_label} {p.text}" if p.list_label else p.text)


def _has_letters(text: str) -> bool:
    return bool(re.search(r"[^\W\d_]", text))


def is_heading(p: Paragraph) -> bool:
    """A heading line: bold or centred, short, not a bulleted line or a
    signature block standing right."""
    text = _text(p)
    if not _has_letters(text) or len(text) > MAX_HEADING_CHARS or p.align == "right":
        return False
    if _BULLET.match(text):
        return False
    return p.bold or p.align == "center"


def _numbered(p: Paragraph) -> bool:
    return bool(p.list_label) or bool(_NUMBERED.match(collapse(p.text)))


def _ends_heading(p: Paragraph) -> bool:
    return _text(p).endswith((".", ":", ";"))


def _heading_group(blocks: list[Block], j: int) -> str:
    """The heading at ``j`` with the heading lines above it that it goes on
    from: same alignment, the line above not closed by a full stop."""
    group = [blocks[j]]
    k = j - 1
    while k >= 0:
        above = blocks[k]
        if not isinstance(above, Paragraph) or not _has_letters(above.text):
            if isinstance(above, Paragraph) and not collapse(above.text):
                k -= 1
                continue
            break
        if not is_heading(above) or above.align != blocks[j].align or _ends_heading(above):
            break
        group.insert(0, above)
        k -= 1
    return repair_inline(" ".join(_text(p) for p in group))


def title_above(blocks: list[Block], index: int, start: int = 0) -> str | None:
    """The title of the table at ``index`` from the headings in
    ``blocks[start:index]``; None when there is none."""
    j = index - 1
    passed_number = False
    direct = True
    while j >= start:
        block = blocks[j]
        if isinstance(block, Table):
            return None
        if not _has_letters(block.text):
            j -= 1
            continue
        if is_heading(block) and (direct or not (_text(block).endswith(":") or _LABEL.match(_text(block)))):
            if direct or not (passed_number and _numbered(block)):
                return _heading_group(blocks, j)
        passed_number = passed_number or _numbered(block)
        direct = False
        j -= 1
    return None


def period_above(blocks: list[Block], index: int) -> Period | None:
    """The plan period stated nearest above block ``index``: in a heading in
    any form, in running text only as what the plan is for."""
    for j in range(index - 1, -1, -1):
        block = blocks[j]
        if not isinstance(block, Paragraph):
            continue
        text = _text(block)
        period = parse_period(text) if is_heading(block) else stated_period(text)
        if period:
            return period
    return None
