"""Appendices: the part of an order after the signature.

An appendix starts at a heading block («Приложение № 2 к приказу … от
06.10.20 № 418-ОД», «Утвержден приказом … от ___ № ___»), or — where an
order prints none — at the first block after the signature and at a title
that follows a finished table.  The heading is parsed into the appendix
number and the order it cites (kind, date, number; the «(в ред. …)» amendment
separately; blanks noted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.lang.data import load
from pipeline.lang.dates import find_date, find_number, has_blank
from pipeline.lang.words import collapse, repair_inline
from pipeline.layout import Block, Paragraph, Table
from pipeline.structure.clauses import split_number
from pipeline.structure.metadata import lemma_kind
from schemas import Appendix, Location, OrderReference

_NUMBER = re.compile(r"^приложение\s*(?:№|N|номер)?\s*(?P<num>[\dIVXivx]+(?:\.\d+)?)?", re.I)
_AMENDMENT = re.compile(r"\(\s*в\s+ред(?:\.|акции)\s*(?P<body>[^()]*)\)", re.I)
_AMENDMENT_START = re.compile(r"^\(\s*в\s+ред", re.I)
_CONTINUES_HEADING = re.compile(r"^(?:к\s|от\s|№|\(в\s+ред|приказ|распоряжени|постановлени|решени|[а-яё])", re.I)
MAX_HEADING_LINES = 14
MAX_TITLE_CHARS = 400
MAX_TITLE_PARAGRAPHS = 4


@dataclass(slots=True)
class AppendixBlocks:
    heading: list[Paragraph] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)


def is_heading_start(p: Paragraph) -> bool:
    first = collapse(p.lines[0]).lower()
    return any(first.startswith(w) for w in load("document")["appendix_heading"])


def _is_trailer(p: Paragraph) -> bool:
    low = collapse(p.text).lower().rstrip(":. ")
    return any(low.startswith(t) for t in load("document")["appendix_trailers"])


def looks_like_title(p: Paragraph) -> bool:
    """A paragraph that can open an appendix with no heading: a title, not a
    list item, a sentence going on, or a trailer like «Список сокращений»."""
    text = collapse(p.text)
    if not text or len(text) > MAX_TITLE_CHARS or _is_trailer(p):
        return False
    if split_number(text)[0] is not None or text.startswith(("-", "–", "—", "•", "*")):
        return False
    return text[0].isupper() and not text.endswith((":", ";", ","))


def split_appendices(blocks: list[Block]) -> list[AppendixBlocks]:
    parts: list[AppendixBlocks] = []
    current: AppendixBlocks | None = None
    in_heading = False
    for block in blocks:
        if isinstance(block, Paragraph):
            if is_heading_start(block):
                current = AppendixBlocks(heading=[block])
                parts.append(current)
                in_heading = True
                continue
            if in_heading and current is not None and _continues_heading(current, block):
                current.heading.append(block)
                continue
            in_heading = False
            after_table = current is not None and current.body and isinstance(current.body[-1], Table)
            if current is None or (after_table and looks_like_title(block)):
                current = AppendixBlocks()
                parts.append(current)
        else:
            in_heading = False
            if current is None:
                current = AppendixBlocks()
                parts.append(current)
        current.body.append(block)
    return parts


def _continues_heading(current: AppendixBlocks, p: Paragraph) -> bool:
    lines = sum(len(h.lines) for h in current.heading)
    if lines + len(p.lines) > MAX_HEADING_LINES or p.bold:
        return False
    text = collapse(p.text)
    heading_text = " ".join(collapse(h.text) for h in current.heading)
    own_number = _NUMBER.match(heading_text)
    cited_part = heading_text[own_number.end() :] if own_number else heading_text
    # A heading ends with the cited order's number, or the quoted title or
    # the «(в ред. …)» amendment after it.
    if heading_text.count("«") > heading_text.count("»"):
        return True
    if (find_number(cited_part) or has_blank(cited_part)) and not (text.startswith("«") or _AMENDMENT_START.match(text)):
        return False
    return bool(_CONTINUES_HEADING.match(text)) or (p.align == "right" and current.heading[0].align == "right")


def order_reference(text: str) -> OrderReference | None:
    """The order a heading or stamp cites: kind, date, number, blanks."""
    if not text:
        return None
    kind = None
    for word in re.findall(r"[а-яё]+", text.lower()):
        kind = lemma_kind(word)
        if kind:
            break
    found = find_date(text)
    number = find_number(text)
    ref = OrderReference(
        kind=kind,
        date=found.date if found else None,
        date_text=found.text if found else None,
        number=number,
        blank=has_blank(text),
    )
    return ref if (ref.kind or ref.date or ref.number or ref.blank) else None


def parse_heading(lines: list[str]) -> tuple[str | None, bool, OrderReference | None, OrderReference | None]:
    """(appendix number, is an approval stamp, cited order, amendment)."""
    text = collapse(" ".join(lines))
    m = _NUMBER.match(text)
    number = m.group("num") if m and m.group("num") else None
    if m:
        text = text[m.end() :]
    approval = not lines[0].lower().startswith("приложение")
    amended = None
    am = _AMENDMENT.search(text)
    if am:
        amended = order_reference(am.group("body"))
        text = text[: am.start()] + text[am.end() :]
    # The cited order ends before the quoted title that may follow its number.
    after_number = re.search(r"(?:№|N)\s*\S+", text)
    cut = text.find(" «", after_number.end()) if after_number else -1
    cited_text = text[:cut] if cut >= 0 else text
    return number, approval, order_reference(cited_text), amended


def build_appendix(index: int, part: AppendixBlocks) -> tuple[Appendix, list[Block]]:
    """The appendix without its content, and the body blocks left to read."""
    appendix = Appendix(index=index)
    if part.heading:
        lines = [collapse(line) for h in part.heading for line in h.lines]
        appendix.heading = " ".join(lines)
        appendix.number, appendix.approval, appendix.cites, appendix.amended_by = parse_heading(lines)
        first = part.heading[0].source
    else:
        first = part.body[0].source if part.body else None
    if first is not None:
        appendix.location = Location(page=first.page, line=first.line)
    body = list(part.body)
    if body and isinstance(body[0], Paragraph) and (body[0].bold or looks_like_title(body[0])):
        # A title typed over several bold paragraphs («ПЛАН» / «мероприятий по …»).
        taken = 1
        while (
            body[0].bold
            and taken < MAX_TITLE_PARAGRAPHS
            and taken < len(body)
            and isinstance(body[taken], Paragraph)
            and body[taken].bold
            and split_number(collapse(body[taken].text))[0] is None
        ):
            taken += 1
        appendix.title = repair_inline(" ".join(b.text for b in body[:taken]))
        body = body[taken:]
    return appendix, body
