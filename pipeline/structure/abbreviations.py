"""The document's own abbreviations and short names.

Two ways orders define them:

* inline: «муниципального образовательного центра (далее - МОЦ)»,
  «приказом Департамента … (далее – Департамент)»;
* a list: «Список сокращений:» followed by «ДОКиС НАО – Департамент …;».

Where an inline definition's full form starts is decided by the short form
itself: an initialism's letters must run through the words in order
(ОМСУ ← «органов местного самоуправления, …»); a short name starts at the
nearest word with its lemma («Совет» ← «Координационного совета …»),
together with the adjectives and coordinated words before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.lang.data import load
from pipeline.lang.morph import lemma, pos
from pipeline.lang.names import is_initialism
from pipeline.lang.words import collapse, join_fragments, repair_inline
from pipeline.layout import Block, Paragraph, Source, Table
from schemas import Abbreviation, Location

_DEFINITION = re.compile(r"\(\s*далее\s*(?:[-–—−]\s*|по\s+тексту\s*[-–—−]?\s*)(?P<short>[^()]+?(?:\([^()]*\)[^()]*?)*)\s*\)", re.I)
_LIST_ENTRY = re.compile(r"^(?P<short>[^\s–—-][^–—]{0,40}?)\s+[-–—]\s+(?P<full>.+?)[;.]?$")
_WORD = re.compile(r"[\w«»\"“”„-]+|[(),;]")
_PERSON_PAREN = re.compile(r"^\([А-ЯЁ][а-яё]+\s[А-ЯЁ]\.\s?[А-ЯЁ]\.?\)$|^\([А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]+\)$")


def _letters(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalpha())


def _tokens(text: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(text))


def _strip_trailing_person(text: str) -> str:
    """Drop «(Кольцова О.С.)» standing between a name and its «(далее …)»."""
    m = re.search(r"\([^()]*\)\s*$", text)
    if m and _PERSON_PAREN.match(m.group(0)):
        return text[: m.start()].rstrip()
    return text


def _initialism_start(before: str, short: str) -> int | None:
    """Start offset in ``before`` of the nearest phrase whose letters contain
    the initialism's letters in order, beginning with its first letter."""
    target = _letters(short)
    words = [m for m in _tokens(before) if m.group(0)[0].isalnum() or m.group(0)[0] in "«\"“„"]
    for k in range(len(words) - 1, -1, -1):
        first = _letters(words[k].group(0))
        if not first or first[0] != target[0]:
            continue
        stream = _letters(before[words[k].start() :])
        it = iter(stream)
        if all(ch in it for ch in target):
            initials = sum(1 for w in words[k:] if _letters(w.group(0))[:1] and _letters(w.group(0))[0] in target)
            if initials >= min(len(target), 2) or len(target) <= 2:
                return words[k].start()
    return None


def _short_name_start(before: str, short: str) -> int | None:
    """Start of «Координационного совета …» for «Совет»: the nearest word with
    the short name's first lemma, extended back over agreeing adjectives and
    «и»-coordinated adjectives («Промежуточный и итоговый отчет»)."""
    head = re.findall(r"[\w-]+", short)
    if not head:
        return None
    target = lemma(head[0].lower())
    tokens = _tokens(before)
    for k in range(len(tokens) - 1, -1, -1):
        word = tokens[k].group(0).strip("«»\"“”„")
        if word and lemma(word.lower()) == target:
            j = k
            while j > 0:
                prev = tokens[j - 1].group(0)
                if pos(prev.lower().strip("«»\"")) in {"ADJF", "PRTF"} or (
                    prev.lower() == "и" and j > 1 and pos(tokens[j - 2].group(0).lower()) == "ADJF"
                ):
                    j -= 1
                else:
                    break
            # Participles before the head belong to the sentence, not the name.
            while j < k and pos(tokens[j].group(0).lower()) == "PRTF":
                j += 1
            return tokens[j].start()
    return None


def _sentence_start(before: str) -> int:
    """After the last sentence or clause boundary."""
    cut = max(before.rfind(". "), before.rfind(": "), before.rfind("; "))
    return cut + 2 if cut >= 0 else 0


def _proper_name_start(before: str) -> int | None:
    """Fallback start: the nearest capitalised word that does not open the
    sentence («… списком Федеральной службы по надзору …» for «Рособрнадзор»)."""
    words = [m for m in re.finditer(r"[«\"“„]?([А-ЯЁA-Z][\w-]*)", before) if m.start() > 0]
    return words[-1].start() if words else None


def inline_definitions(text: str, source: Source) -> list[Abbreviation]:
    found: list[Abbreviation] = []
    for m in _DEFINITION.finditer(text):
        short = collapse(m.group("short")).strip(" .,")
        if not short or len(short) > 120:
            continue
        before = _strip_trailing_person(text[: m.start()].rstrip())
        # Only the same sentence may hold the full form.
        before_sentence = before[_sentence_start(before) :]
        offset = len(before) - len(before_sentence)
        kind = "abbreviation" if is_initialism(short) else "short_name"
        start = _initialism_start(before_sentence, short) if kind == "abbreviation" else None
        if start is None:
            start = _short_name_start(before_sentence, short)
        if start is None:
            start = _proper_name_start(before_sentence) or 0
        full = repair_inline(before[offset + start :]).strip(" ,;:")
        if full:
            found.append(Abbreviation(short=short, full=full, kind=kind, location=_loc(source)))
    return found


def _loc(source: Source) -> Location:
    return Location(page=source.page, line=source.line)


def _is_list_title(text: str) -> bool:
    low = collapse(text).lower().rstrip(":. ")
    return low in load("document")["abbreviation_lists"]


def list_definitions(blocks: list[Block]) -> list[Abbreviation]:
    """Entries that follow a «Список сокращений:» title, one per line, read
    line by line (a PDF may set the title and its entries in one paragraph);
    a line that is no entry but goes on in lower case continues the entry
    above («… «Ненецкий» / «региональный центр …»»)."""
    found: list[Abbreviation] = []
    in_list = False
    current: Abbreviation | None = None
    for block in blocks:
        if isinstance(block, Table):
            if in_list:
                for row in block.rows:
                    texts = [collapse(c.text) for c in row.cells if collapse(c.text)]
                    if len(texts) >= 2 and len(texts[0]) <= 40:
                        found.append(Abbreviation(short=texts[0], full=texts[1].rstrip(";."), kind=_kind(texts[0]), location=_loc(row.source)))
            in_list, current = False, None
            continue
        for line in block.lines:
            text = collapse(line)
            if _is_list_title(text):
                in_list, current = True, None
                continue
            if not in_list or not text:
                continue
            m = _LIST_ENTRY.match(text)
            if m:
                current = Abbreviation(short=m.group("short").strip(), full=m.group("full"), kind=_kind(m.group("short")), location=_loc(block.source))
                found.append(current)
            elif current is not None and (
                text[0].islower() or current.full.count("«") > current.full.count("»") or not current.full.rstrip().endswith((";", "."))
            ):
                current.full = join_fragments(current.full, text)
            else:
                in_list, current = False, None
    for a in found:
        a.full = repair_inline(a.full).rstrip(";.")
    return found


def _kind(short: str) -> str:
    return "abbreviation" if is_initialism(short) else "short_name"


def _texts(blocks: Iterable[Block], skip: set[int]) -> Iterable[tuple[str, Source]]:
    for index, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            yield collapse(block.text), block.source
        elif index not in skip:
            for row in block.rows:
                for cell in row.cells:
                    if "далее" in cell.text:
                        yield collapse(cell.text), row.source


def definitions_in(texts: Iterable[tuple[str, Source]]) -> list[Abbreviation]:
    """Inline definitions in the given texts."""
    found: list[Abbreviation] = []
    for text, source in texts:
        if "далее" in text.lower():
            found.extend(inline_definitions(text, source))
    return found


def find_abbreviations(blocks: list[Block], skip_tables: set[int] = frozenset()) -> list[Abbreviation]:
    """Every definition in the document, in order of appearance; a short form
    defined twice with the same meaning is listed once.  Tables whose block
    index is in ``skip_tables`` are left out (a roadmap's definitions are read
    from its items, after rows cut by page breaks are joined)."""
    found = definitions_in(_texts(blocks, set(skip_tables)))
    found.extend(list_definitions(blocks))
    return unique(found)


def unique(found: list[Abbreviation]) -> list[Abbreviation]:
    unique: list[Abbreviation] = []
    seen: set[tuple[str, str]] = set()
    for a in found:
        key = (a.short, a.full.lower())
        if key not in seen:
            seen.add(key)
            unique.append(a)
    return unique
