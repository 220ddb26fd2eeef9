"""Document requisites: kind, authority, date, number, place, title,
preamble and signatory, and where the head, the clauses and the signature
stand in the block sequence."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.lang.data import load
from pipeline.lang.dates import find_date, find_number, has_blank
from pipeline.lang.morph import has_known_word, lemma, parses, pos
from pipeline.lang.names import PERSON
from pipeline.lang.words import collapse, join_letter_spaced, repair_inline
from pipeline.layout import Block, Paragraph
from schemas import DocumentMeta, Signatory

_NAME_LINE = re.compile(rf"^(?P<before>.*?)\s*(?P<name>{PERSON.pattern})\s*$")
# «1. », «3.1. », «1) », «а) » — not a date «13.04.2020 ».
_CLAUSE_START = re.compile(r"^(?!\d{1,2}\.\d{1,2}\.\d{2,4}\b)(?:\d+(?:\.\d+)*\.?|\d+\)|[а-я]\))\s")
_PLACE = re.compile(r"^(?:(?:г|с|п|пгт|д|ст)\.\s?)?[А-ЯЁ][а-яё]+(?:[- ][А-ЯЁ]?[а-яё]+){0,2}$")
MAX_HEAD_BLOCKS = 25


def words_of(text: str) -> str:
    """Lower-case letters and spaces of ``text`` with letter-spacing undone."""
    return collapse(re.sub(r"[^\w\s.]", " ", join_letter_spaced(text))).lower()


def kind_of(text: str) -> str | None:
    """The document kind if ``text`` is just a kind word («П Р И К А З», «Приказ»)."""
    words = words_of(text).replace(" ", "")
    kinds = load("document")["kinds"]
    return words if words in kinds else None


def split_kind_lines(blocks: list[Block]) -> list[Block]:
    """A head paragraph whose first line is the kind word and whose other lines
    are the requisites («ПРИКАЗ» / «« 06 » 10 2020 г. № 718-ОД»), as OCR and
    PDF line grouping may set them, becomes two paragraphs."""
    out: list[Block] = []
    for index, block in enumerate(blocks):
        if index < MAX_HEAD_BLOCKS and isinstance(block, Paragraph) and len(block.lines) > 1 and kind_of(block.lines[0]):
            out.append(replace(block, text=block.lines[0]))
            out.append(replace(block, text="\n".join(block.lines[1:]), bold=False))
        else:
            out.append(block)
    return out


def is_operative(text: str) -> bool:
    """«приказываю:», «п р и к а з ы в а ю:», «ПОСТАНОВЛЯЮ:»."""
    words = words_of(text).replace(" ", "").rstrip(".")
    return words in load("document")["operative"]


def starts_with_date(text: str) -> bool:
    """«21 мая 2020 г. № 454-р», «13.04.2020»: a date line, not a clause «21 …»."""
    found = find_date(text[:40])
    return found is not None and found.start == 0


def is_clause_start(p: Paragraph) -> bool:
    return bool(p.list_label) or (bool(_CLAUSE_START.match(p.text)) and not starts_with_date(p.text))


def starts_with_position(line: str) -> bool:
    low = line.strip().lower()
    return any(low.startswith(w) for w in load("document")["positions"])


@dataclass(slots=True)
class Segments:
    """Indexes into the block list."""

    kind: int | None
    body_start: int  # first block after the head (title, preamble)
    clauses_start: int  # first clause block
    signature: int | None  # first block of the signature
    tail_start: int  # first block after the signature (appendices)
    signatory: Signatory


def _signature_at(blocks: list[Block], i: int) -> tuple[Signatory, int] | None:
    """A signature block starting at ``i``: a position line and a name, in the
    same paragraph or within the next three paragraphs."""
    first = blocks[i]
    if not isinstance(first, Paragraph) or not starts_with_position(first.lines[0]):
        return None
    if len(first.text) > 250 or first.text.rstrip().endswith((";", ":")):
        return None
    position_lines = list(first.lines)
    m = _NAME_LINE.match(position_lines[-1])
    if m and m.group("before"):
        position_lines[-1] = m.group("before")
        return Signatory(position=collapse(" ".join(position_lines)), name=m.group("name")), i + 1
    for j in range(i + 1, min(i + 4, len(blocks))):
        nxt = blocks[j]
        if not isinstance(nxt, Paragraph):
            return None
        text = collapse(nxt.text)
        if PERSON.fullmatch(text):
            return Signatory(position=collapse(" ".join(position_lines)), name=text), j + 1
        m = _NAME_LINE.match(collapse(nxt.lines[-1]))
        if m and m.group("before") and len(nxt.lines) == 1 and len(text) <= 120:
            # «Ненецкого автономного округа<TAB>А.Г. Пустовалов»: the last line
            # of the position and the name on one line.
            position_lines.append(m.group("before"))
            return Signatory(position=collapse(" ".join(position_lines)), name=m.group("name")), j + 1
        if starts_with_position(nxt.lines[0]) or len(text) > 80:
            return None
        position_lines.extend(nxt.lines)
    return None


def segment(blocks: list[Block]) -> Segments:
    kind_at = next(
        (i for i, b in enumerate(blocks[:MAX_HEAD_BLOCKS]) if isinstance(b, Paragraph) and kind_of(b.text)), None
    )
    start = (kind_at + 1) if kind_at is not None else 0
    operative = next((i for i in range(start, len(blocks)) if isinstance(blocks[i], Paragraph) and is_operative(blocks[i].text)), None)
    if operative is not None:
        clauses_start = operative + 1
    else:
        clauses_start = next(
            (i for i in range(start, len(blocks)) if isinstance(blocks[i], Paragraph) and is_clause_start(blocks[i])),
            len(blocks),
        )
    signature, tail_start, signatory = find_signature(blocks, clauses_start)
    return Segments(kind_at, start, clauses_start, signature, tail_start, signatory)


def find_signature(blocks: list[Block], start: int) -> tuple[int | None, int, Signatory]:
    """(first block of the first signature at or after ``start``, the block
    after it, the signatory); (None, len(blocks), empty) when there is none."""
    for i in range(start, len(blocks)):
        found = _signature_at(blocks, i)
        if found:
            return i, found[1], found[0]
    return None, len(blocks), Signatory()


def _looks_like_place(line: str) -> bool:
    """«Томск», «г. Нарьян-Мар»: a short proper name, not the start of a title
    («Об организации …» opens with a preposition)."""
    text = collapse(line)
    if not _PLACE.match(text) or kind_of(text) or len(text) > 40:
        return False
    return pos(text.split()[0].lower()) not in {"PREP", "CONJ", "PRCL"}


MAX_ISSUER_CHARS = 150


def names_issuer(p: Block) -> bool:
    """A head line naming who issues the document in the genitive, under the
    kind word: «ПОСТАНОВЛЕНИЕ / АДМИНИСТРАЦИИ / Рыбинского муниципального
    района», «ПРИКАЗ / министерства образования …» — not the title («О …»),
    not the requisites («от …», a date, a number)."""
    if not isinstance(p, Paragraph):
        return False
    text = collapse(p.text)
    words = re.findall(r"[А-Яа-яЁё]+", text)
    if not words or len(text) > MAX_ISSUER_CHARS or find_date(text) or find_number(text) or "№" in text:
        return False
    first = parses(words[0].lower())[:3]
    if any(q.tag.POS in {"PREP", "CONJ", "PRCL"} for q in first[:1]):
        return False
    return any(q.tag.POS in {"NOUN", "ADJF"} and q.tag.case == "gent" for q in first)


def _opens_title(text: str) -> bool:
    """«О внесении изменений в постановление … от 15.03.2017 № 477»: a title
    citing another act's date and number opens with a preposition (not
    «от»), a requisites line never does."""
    first = re.match(r"\s*([А-Яа-яЁё]+)", text)
    return bool(first) and first.group(1).lower() != "от" and pos(first.group(1).lower()) == "PREP"


def read_metadata(blocks: list[Block], seg: Segments) -> tuple[DocumentMeta, int]:
    """The requisites and the index of the first block after the title."""
    meta = DocumentMeta(signatory=seg.signatory)
    i = seg.body_start
    if seg.kind is not None:
        kind_block = blocks[seg.kind]
        meta.kind = kind_of(kind_block.text)
        authority = [collapse(" ".join(b.lines)) for b in blocks[: seg.kind] if isinstance(b, Paragraph) and has_known_word(b.text)]
        issuer = []
        while i < min(seg.clauses_start, len(blocks)) and names_issuer(blocks[i]):
            issuer.append(collapse(" ".join(blocks[i].lines)))
            i += 1
        # «ПОСТАНОВЛЕНИЕ АДМИНИСТРАЦИИ …»: the issuer under the kind word is
        # the authority; the lines above it are a higher level's letterhead.
        meta.authority = " ".join(issuer or [a for a in authority if a]) or None
    limit = min(seg.clauses_start, len(blocks))
    # A requisites line whose date and number are blanks («от ____ № ____»,
    # or written in by hand and not read) is still the requisites line.
    blank_requisites = False
    while i < limit:
        block = blocks[i]
        if not isinstance(block, Paragraph):
            break
        consumed = False
        if _opens_title(block.text):
            break
        for line in block.lines:
            found = find_date(line)
            number = find_number(line)
            if found and meta.date is None:
                meta.date, meta.date_text, consumed = found.date, found.text, True
            if number and meta.number is None:
                meta.number, consumed = number, True
            if not found and not number and has_blank(line) and re.search(r"№|^\s*от\b", line):
                blank_requisites = consumed = True
                continue
            if not found and not number and _looks_like_place(line) and meta.place is None and (meta.date or meta.number or blank_requisites):
                meta.place, consumed = collapse(line), True
        if not consumed:
            break
        i += 1
    # The title: the first paragraph after the requisites, unless it is
    # already the preamble or a clause.
    if i < limit and isinstance(blocks[i], Paragraph) and not is_operative(blocks[i].text):
        meta.title = repair_inline(blocks[i].text)
        i += 1
    preamble = [
        repair_inline(b.text)
        for b in blocks[i:limit]
        if isinstance(b, Paragraph) and not is_operative(b.text) and not is_clause_start(b)
    ]
    meta.preamble = "\n".join(p for p in preamble if p) or None
    return meta, i


def lemma_kind(word: str) -> str | None:
    """«приказу», «распоряжением» → their kind, or None."""
    base = lemma(word.lower())
    return base if base in load("document")["kinds"] else None
