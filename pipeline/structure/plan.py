"""A plan published on its own: its approval stamp, kind, title and issuer.

A school or an agency publishes its plan without an order around it:

    УТВЕРЖДАЮ                                  УТВЕРЖДЕН
    Директор КГОКУ «Детский дом                приказом министерства …
    г.Уссурийска»                              от 01.09.2021 № 123
    ____ И.А. Жовниренко
    «27» августа 2015 г.
                 ПЛАН МЕРОПРИЯТИЙ
         по … на 2013-2014 учебный год

The stamp («УТВЕРЖДАЮ», «УТВЕРЖДЕН», «СОГЛАСОВАНО» and their forms, in
``document.toml``) gives the head who approves (position and name), the
organisation (the position's words after the post: «КГОКУ «Детский дом
г.Уссурийска»»), the approval date and the approving order when it is cited
(«Приказ № 01.04/81 «27» августа 2019 г.», «от ____ № ____» left blank).  The
title is the heading that opens with a kind of plan («План», «ПЛАН РАБОТЫ»,
«Программа развития», «Комплекс мер», «Дорожная карта»: ``plan_kinds``) and
the heading lines that go on with it.  A borderless table at the top that
only holds the stamp or the title is read as the paragraphs it holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.lang.data import load
from pipeline.lang.dates import FoundDate, find_date, has_blank
from pipeline.lang.morph import has_known_word, lemma, parses
from pipeline.lang.names import PERSON
from pipeline.lang.words import collapse, repair_inline
from pipeline.layout import Block, Paragraph, Table
from pipeline.structure.appendices import order_reference
from pipeline.structure.metadata import MAX_HEAD_BLOCKS, lemma_kind, starts_with_position
from schemas import OrderReference, Signatory

_WORD = re.compile(r"[А-Яа-яЁёA-Za-z]+(?:-[А-Яа-яЁё]+)*")
_NAME_AT_END = re.compile(rf"(?P<before>.*?)[\s_.]*(?P<name>{PERSON.pattern})[\s.]*$")
_SIGN_LINE = re.compile(r"^[\s_./]*$")
_PLACE = re.compile(r"^(?:г\.|город|пос\.|п\.|с\.)\s?[А-ЯЁ][а-яё]+(?:[- ][А-ЯЁ]?[а-яё]+)?$")
MAX_STAMP_LINES = 14
MAX_STAMP_LINE_CHARS = 160
MAX_TITLE_PARAGRAPHS = 6
MAX_BARE_TITLE_WORDS = 3
MAX_TITLE_LINE_CHARS = 300
MAX_TITLE_CHARS = 500


@dataclass(slots=True)
class Stamp:
    """An approval stamp: blocks ``start``..``end``-1 and what they say."""

    start: int
    end: int
    lines: list[str]
    word: str  # «утверждаю», «утвержден», «согласовано» …
    signatory: Signatory = field(default_factory=Signatory)
    authority: str | None = None
    date: FoundDate | None = None
    cites: OrderReference | None = None

    @property
    def approves(self) -> bool:
        return self.word in load("document")["approval"]["approve"]

    @property
    def text(self) -> str:
        return " ".join(collapse(line) for line in self.lines if collapse(line))


def _stamp_word(line: str) -> str | None:
    words = _WORD.findall(line)
    if not words:
        return None
    word = words[0].lower()
    data = load("document")["approval"]
    return word if word in data["approve"] or word in data["agree"] else None


def _letters(text: str) -> bool:
    return bool(re.search(r"[^\W\d_]", text))


def _is_centred_heading(p: Paragraph) -> bool:
    return p.align == "center" and _letters(p.text)


def _stamp_words(line: str) -> list[str]:
    """The stamp words opening a line, «СОГЛАСОВАНО УТВЕРЖДАЮ» side by side."""
    words = []
    for word in _WORD.findall(line):
        if not _stamp_word(word):
            break
        words.append(word.lower())
    return words


def _main_word(words: list[str]) -> str:
    """Of stamps side by side, the approving one: its head is the signatory."""
    approve = load("document")["approval"]["approve"]
    return next((w for w in words if w in approve), words[0])


def find_stamp(blocks: list[Block], start: int = 0, limit: int = MAX_HEAD_BLOCKS) -> Stamp | None:
    """The approval stamp standing at or after ``start`` in the head, also
    when it opens a later line of a paragraph (a date printed above it)."""
    for i in range(start, min(len(blocks), start + limit)):
        block = blocks[i]
        if isinstance(block, Table):
            return None
        for k, line in enumerate(block.lines):
            words = _stamp_words(line)
            if words:
                if k:
                    blocks[i : i + 1] = [
                        Paragraph(text="\n".join(block.lines[:k]), source=block.source, bold=block.bold, align=block.align),
                        Paragraph(text="\n".join(block.lines[k:]), source=block.source, bold=block.bold, align=block.align),
                    ]
                    i += 1
                return read_stamp(blocks, i, _main_word(words))
    return None


def read_stamp(blocks: list[Block], i: int, word: str) -> Stamp:
    lines: list[str] = []
    j = i
    seen_name = seen_date = False
    while j < len(blocks) and isinstance(blocks[j], Paragraph):
        p = blocks[j]
        if j > i and (plan_kind_of(p) or _is_centred_heading(p) or len(collapse(p.text)) > MAX_STAMP_LINE_CHARS * 2):
            break
        if j > i and seen_name and seen_date:
            break
        if j > i and seen_name and not find_date(p.text) and not re.search(r"№|приказ|распоряж|постановл", p.text, re.I):
            break
        if len(lines) + len(p.lines) > MAX_STAMP_LINES:
            break
        for line in p.lines:
            seen_date = seen_date or bool(find_date(line)) or (has_blank(line) and bool(re.search(r"«|\bг\.?\s*$|20", line)))
            seen_name = seen_name or bool(_NAME_AT_END.match(collapse(line)))
        lines.extend(p.lines)
        j += 1
    stamp = Stamp(start=i, end=j, lines=lines, word=word)
    _parse_stamp(stamp)
    return stamp


def _without_stamp_words(line: str) -> str:
    """The line with the stamp words taken off its start («УТВЕРЖДАЮ:»,
    «СОГЛАСОВАНО УТВЕРЖДАЮ»)."""
    rest = line.strip()
    while True:
        m = re.match(r"^[«\"'“]*\s*([А-Яа-яЁё]+)\s*[»\"'”]*\s*[:.]?\s*", rest)
        if not m or not _stamp_word(m.group(1)):
            return rest
        rest = rest[m.end() :]


def _is_reference_line(line: str) -> bool:
    """«Приказ № 01.04/81 «27» августа 2019 г.», «приказом … от ____ № ____»."""
    words = re.findall(r"[а-яё]+", line.lower())
    return any(lemma_kind(w) for w in words[:3]) or bool(re.match(r"^\s*(?:от\b|№)", line))


def _split_reference(line: str) -> list[str]:
    """The line cut before a reference to the approving order that opens
    mid-line: «И.А. Жовниренко Приказ № 37-од от 09.01.2019 г.», as OCR joins
    two lines of a stamp — a kind of document followed by «№» or «от»."""
    for m in re.finditer(r"[А-Яа-яЁё]+", line):
        if m.start() and lemma_kind(m.group()) and re.match(r"\s*(?:№|от\b)", line[m.end() :]):
            head = line[: m.start()].rstrip(" .…,")
            return [head, line[m.start() :]] if head else [line[m.start() :]]
    return [line]


def _is_noise(line: str) -> bool:
    """A stamp line OCR read from a seal or a signature: no word of three
    letters the dictionary knows, no name, no date."""
    return not (find_date(line) or _NAME_AT_END.match(line) or has_blank(line) or _SIGN_LINE.match(line) or has_known_word(line))


def _parse_stamp(stamp: Stamp) -> None:
    lines = [_without_stamp_words(stamp.lines[0]), *stamp.lines[1:]]
    lines = [part for line in lines for part in _split_reference(collapse(line))]
    lines = [line for line in lines if line and not _is_noise(line)]
    # The approving order: the lines from the one naming a kind of document.
    ref_at = next((k for k, line in enumerate(lines) if _is_reference_line(line)), None)
    if ref_at is not None:
        ref_text = " ".join(lines[ref_at:])
        stamp.cites = order_reference(ref_text)
        kind_word = re.search(r"[А-Яа-яЁё]+", ref_text)
        if stamp.cites and stamp.cites.kind and kind_word and lemma_kind(kind_word.group(0)):
            issuer = re.split(r"\s(?:от|№)\s?|№", ref_text[kind_word.end() :], maxsplit=1)[0].strip(" ,")
            stamp.authority = issuer or None
        lines = lines[:ref_at]
    # Dates standing alone («« 25 » августа 2019г.», «15.02.2024 г.»).
    kept = []
    for line in lines:
        found = find_date(line)
        if found and len(collapse(line.replace(found.text, ""))) <= 3:
            stamp.date = stamp.date or found
            continue
        if has_blank(line) and not _letters(line.replace("г.", "").replace("г", "")):
            continue  # ««___» ________ 20__ г.»: a date never filled in
        kept.append(line)
    if stamp.date is None and stamp.cites and stamp.cites.date:
        stamp.date = FoundDate(stamp.cites.date, stamp.cites.date_text or "", 0, 0)
    # Heads and their names: position (or organisation) lines, then a name
    # on its own line or at the end of the last one («…Уссурийска»____И.А. Жовниренко).
    pairs: list[tuple[list[str], str | None]] = []
    current: list[str] = []
    for line in kept:
        if current and starts_with_position(line) and starts_with_position(current[0]):
            # A new post after a complete one: another head.
            pairs.append((current, None))
            current = []
        m = _NAME_AT_END.match(line)
        if m and PERSON.fullmatch(m.group("name")):
            before = m.group("before").strip(" _")
            if before and not _is_noise(before):
                current.append(before)
            pairs.append((current, m.group("name")))
            current = []
        elif not _SIGN_LINE.match(line):
            current.append(line)
    if current:
        pairs.append((current, None))
    if not stamp.approves:
        # «СОГЛАСОВАНО»: who agreed is not who approves or issues the plan.
        return
    named = [p for p in pairs if p[1]] or pairs
    with_post = [p for p in named if p[0] and starts_with_position(p[0][0])]
    chosen = (with_post or named or [([], None)])[-1]
    position_text = repair_inline(" ".join(chosen[0])) or None
    name = chosen[1]
    if position_text and starts_with_position(position_text):
        stamp.signatory = Signatory(position=position_text, name=name)
        stamp.authority = organisation_in(position_text) or stamp.authority
    elif position_text or name:
        stamp.signatory = Signatory(position=None, name=name)
        stamp.authority = position_text or stamp.authority


def organisation_in(position: str) -> str | None:
    """The organisation named in a head's position: from the first word that
    is not part of the post — an abbreviation not after a preposition
    («Директор МУ «Спортивная школа …»»), a quoted name, or a capitalised
    word («Директор Краевого государственного …»)."""
    tokens = list(re.finditer(r"\S+", position))
    for k, tok in enumerate(tokens[1:], start=1):
        word = tok.group(0)
        letters = [c for c in word if c.isalpha()]
        if not letters:
            continue
        prev = tokens[k - 1].group(0).lower().strip(".,")
        after_preposition = prev in {"по", "в", "на", "при", "и"}
        quoted = word[0] in "«\"“"
        abbreviation = len(letters) >= 2 and sum(c.isupper() for c in letters) >= 2
        capital = letters[0].isupper() and word[0].isalpha() and not starts_with_position(word)
        if quoted or ((abbreviation or capital) and not after_preposition):
            return position[tok.start() :].strip() or None
    return None


def plan_kind_of(p: Block) -> str | None:
    """«план», «программа», «комплекс мер», «дорожная карта» when the
    paragraph is a heading that opens with a kind of plan (after at most
    two words that qualify it: «Ведомственная целевая программа»)."""
    if not isinstance(p, Paragraph):
        return None
    text = collapse(p.text)
    if not text or len(text) > MAX_TITLE_CHARS or p.align == "right":
        return None
    if not (p.bold or p.align == "center" or _mostly_capitals(text)) and len(text) > 200:
        return None
    words = [w.lower() for w in _WORD.findall(text)[:5]]
    base = [lemma(w.split("-")[0]) if "-" in w else lemma(w) for w in words]
    for start in range(min(3, len(base))):
        for kind in load("document")["plan_kinds"]:
            phrase = kind["lemmas"]
            if base[start : start + len(phrase)] == phrase and all(_qualifies(w) for w in words[:start]):
                return kind["kind"]
    return None


def _qualifies(word: str) -> bool:
    """An adjective before the kind word: «ведомственная», «целевая»."""
    return any(p.tag.POS in {"ADJF", "PRTF"} for p in parses(word)[:2])


def _mostly_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _continues_title(title: str, p: Paragraph, first: str = "") -> bool:
    """A heading line that goes on with the title above it: it opens in lower
    case, with a quote or an abbreviation, with a word that is not a
    nominative («Негосударственного …», «мероприятий …»), or in capitals under
    a title in capitals."""
    text = collapse(p.text)
    if not text or re.match(r"^(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.)\s", text):
        return False
    # A line set to the right is a stamp or a date, unless it is a bare
    # title's second line a scan's few free lines made look right-aligned.
    if p.align == "right" and (_stamp_words(text) or find_date(text) or p.confidence is None):
        return False
    # A heading, or — under a bare kind word («План», «Программа развития»,
    # read from a scan without its type faces) — a short line.
    bare = len((first or title).split()) <= MAX_BARE_TITLE_WORDS and len(text) <= MAX_TITLE_LINE_CHARS
    if not (p.bold or p.align == "center" or _mostly_capitals(text) or bare):
        return False
    first = text.split()[0]
    letters = [c for c in first if c.isalpha()]
    if not letters:
        return text[0] in "«\"("
    if letters[0].islower() or first[0] in "«\"(":
        return True
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return _mostly_capitals(title) or len(letters) <= 6
    head = first.split("-")[-1].strip(",.").lower()
    return not any(q.tag.case == "nomn" for q in parses(head)[:1])


def read_title(blocks: list[Block], i: int) -> tuple[str, int]:
    """The title opening at block ``i`` and the index after it."""
    parts = [blocks[i].text]
    j = i + 1
    while j < len(blocks) and j - i < MAX_TITLE_PARAGRAPHS and isinstance(blocks[j], Paragraph):
        if not _continues_title(" ".join(parts), blocks[j], parts[0]):
            break
        parts.append(blocks[j].text)
        j += 1
    return repair_inline(" ".join(parts)), j


def find_title(blocks: list[Block], start: int, limit: int = MAX_HEAD_BLOCKS) -> int | None:
    """The first heading from ``start`` that opens with a kind of plan,
    before any table."""
    for i in range(start, min(len(blocks), start + limit)):
        if isinstance(blocks[i], Table):
            return None
        if plan_kind_of(blocks[i]):
            return i
    return None


def unwrap_frames(blocks: list[Block], is_roadmap) -> list[Block]:
    """Borderless tables at the top of the document that hold the stamp or
    the title (a one-column frame, a stamp in a layout cell) become the
    paragraphs of their cells, in reading order."""
    out: list[Block] = []
    for index, block in enumerate(blocks):
        if index >= MAX_HEAD_BLOCKS or not isinstance(block, Table) or is_roadmap(block):
            out.extend(blocks[index:])
            return out
        cells = [c for r in block.rows for c in r.cells if collapse(c.text) and not c.covered]
        columns = {k for r in block.rows for k, c in enumerate(r.cells) if collapse(c.text)}
        if not cells or len(columns) > 2 or sum(len(c.text) for c in cells) > 2000:
            out.extend(blocks[index:])
            return out
        for row in block.rows:
            for cell in row.cells:
                if collapse(cell.text) and not cell.covered:
                    out.append(Paragraph(text=cell.text, source=row.source, bold=cell.bold, confidence=cell.confidence))
    return out


def place_in(blocks: list[Block], end: int) -> str | None:
    """«г. Москва» printed alone in the head."""
    for block in blocks[:end]:
        if isinstance(block, Paragraph):
            for line in block.lines:
                if _PLACE.match(collapse(line)):
                    return collapse(line)
    return None


def _closing_quote(text: str, start: int) -> int | None:
    depth = 0
    for k in range(start, len(text)):
        if text[k] == "«":
            depth += 1
        elif text[k] == "»":
            depth -= 1
            if depth == 0:
                # «…«…»»: a doubled closing quote belongs to the same name.
                return k + 2 if text[k + 1 : k + 2] == "»" else k + 1
    return None


def _is_form(word: str) -> bool:
    data = load("document")
    return word in data["organisation_forms"] or (
        len(word) >= 2 and word.isupper() and word.isalpha() and word.endswith(tuple(data["organisation_endings"]))
    )


def organisation_named(text: str | None) -> str | None:
    """An organisation written by its legal form and quoted name inside a
    title: «… на курсах ГО и ПБ МКУ «Аварийно-спасательная служба
    Северодвинска» на 2022г.» → «МКУ «Аварийно-спасательная служба
    Северодвинска»»."""
    if not text:
        return None
    for m in re.finditer(r"«", text):
        before = text[: m.start()].rstrip().split()
        run = []
        while before and before[-1].isupper() and any(c.isalpha() for c in before[-1]):
            run.insert(0, before.pop())
        while run and not _is_form(run[0]):
            run.pop(0)
        if not run:
            continue
        end = _closing_quote(text, m.start())
        if end is None:
            continue
        start = text.rfind(run[0], 0, m.start())
        return text[start:end].strip()
    return None
