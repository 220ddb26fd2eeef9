"""Split a responsibles cell into one entry per party.

Parties are separated by commas and semicolons, by line breaks (DOCX, PDF),
and — where a conversion ran separate lines together — by the places where
one name ends and the next begins:

* a capitalised word in the nominative after a lower-case word, a closing
  bracket or an abbreviation («… образованием Образовательные организации …»,
  «ДОО ТО Региональная рабочая группа»);
* an abbreviation after a complete name («… методические службы ТОИПКРО»),
  but not after a single head word («Администрация ОО» is one party);
* between abbreviations the document defines («ДОО ТО ТОИПКРО» →
  «ДОО ТО», «ТОИПКРО»).

A comma does not split when what follows continues the name: «а также …»,
a participle («…, осуществляющих управление …»), or a known full name that
holds a comma («Департамент образования, культуры и спорта …»).  A
coordination with «и» inside one name stays whole, and a parenthetical note
stays with its party («… (утверждение)»).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.lang.morph import best_case, cases, parses
from pipeline.lang.words import collapse, join_fragments, repair_inline

_TOKEN = re.compile(r"[«\"“„(]*[\w.-]+[»\"”)]*[.,;:]?|\S")
_FUNCTION_WORDS = {
    "в", "во", "и", "или", "по", "с", "со", "для", "на", "при", "а", "также", "к", "ко", "от", "из", "за",
    "о", "об", "обо", "под", "над", "между", "через", "без", "до", "у", "не", "их", "его", "её", "ее", "том", "числе",
}
_CONTINUATION_OPENERS = ("а также", "а ", "в том числе", "включая", "и ", "или ", "либо ", "кроме того", "при участии", "совместно с")
_OBLIQUE = {"gent", "datv", "ablt", "loct", "gen2", "loc2"}


@dataclass(slots=True)
class _Token:
    text: str
    start: int
    end: int
    depth: int  # inside brackets or quotes

    @property
    def word(self) -> str:
        return self.text.strip("«»\"“”„().,;:")


def _is_abbreviation(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= max(2, len(letters) - 1)


def _is_title_case(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and any(c.islower() for c in word[1:]) and word[1:2].islower()


def _nominative_start(word: str) -> bool:
    """The word can open a party's name: a nominative not more likely oblique."""
    if "-" in word:
        word = word.split("-")[0]
    return "nomn" in cases(word) and best_case(word) not in _OBLIQUE


def _nominative_noun(word: str):
    best = parses(word.lower())[0]
    return best if best.tag.POS == "NOUN" and best.tag.case == "nomn" else None


def _two_heads(prev_word: str, word: str) -> bool:
    """Two names whose separating line break was lost (a PDF shows a break
    between parties and a wrap alike): «координаторы кураторы», two nouns in
    the nominative side by side; «координатор муниципальный координатор», an
    adjective opening a name after a complete one; «координаторы директора»,
    persons in the nominative plural — a dependent word would be oblique
    («координаторы проекта», «заместитель директора»)."""
    head = _nominative_noun(prev_word)
    if head is None:
        return False
    best = parses(word.lower())[0]
    if best.tag.POS == "ADJF" and best.tag.case == "nomn":
        return True
    if best.tag.POS == "NOUN" and best.tag.case == "nomn":
        return best.tag.number == head.tag.number
    return head.tag.animacy == "anim" and any(
        p.tag.POS == "NOUN" and p.tag.case == "nomn" and p.tag.animacy == "anim" and p.tag.number == head.tag.number
        and p.score >= MIN_NOMINATIVE_SCORE
        for p in parses(word.lower())
    )


def _tokens(text: str) -> list[_Token]:
    """Word tokens with the bracket/quote depth in force before each."""
    tokens: list[_Token] = []
    depth = 0
    for m in _TOKEN.finditer(text):
        t = m.group(0)
        tokens.append(_Token(t, m.start(), m.end(), depth))
        straight = t.count('"')
        opening = sum(t.count(c) for c in "(«“„") + (straight if depth == 0 else 0)
        closing = sum(t.count(c) for c in ")»”") + (straight if depth > 0 else 0)
        depth = max(0, depth + opening - closing)
    return tokens


def _continues_name(piece: str) -> bool:
    """What follows a comma belongs to the name before it."""
    low = piece.lower()
    if low.startswith(_CONTINUATION_OPENERS):
        return True
    first = re.match(r"[\w-]+", piece)
    if not first or not first.group(0)[0].islower():
        return False
    return parses(first.group(0))[0].tag.POS in {"PRTF", "PRTS", "GRND", "PREP", "CONJ"}


def _split_top_level(text: str, separators: str) -> list[str]:
    pieces, depth, current = [], 0, []
    for ch in text:
        if ch in "(«“„":
            depth += 1
        elif ch in ")»”" and depth:
            depth -= 1
        if ch in separators and depth == 0:
            pieces.append("".join(current))
            current = []
        else:
            current.append(ch)
    pieces.append("".join(current))
    return [p.strip() for p in pieces]


def _protected(text: str, names: Iterable[str]) -> list[tuple[int, int]]:
    spans = []
    low = text.lower()
    for name in names:
        if len(name) < 8 or ("," not in name and " " not in name):
            continue
        i = low.find(name.lower())
        while i >= 0:
            spans.append((i, i + len(name)))
            i = low.find(name.lower(), i + 1)
    return spans


def _comma_pieces(text: str, names: Iterable[str]) -> list[str]:
    spans = _protected(text, names)
    masked = list(text)
    for a, b in spans:
        for k in range(a, b):
            if masked[k] in ",;":
                masked[k] = "\0"
    pieces = _split_top_level("".join(masked), ",;")
    merged: list[str] = []
    for piece in pieces:
        piece = piece.replace("\0", ",")
        if not piece:
            continue
        if merged and _continues_name(piece):
            merged[-1] = f"{merged[-1]}, {piece}"
        else:
            merged.append(piece)
    return merged


def _segment_abbreviations(words: list[str], known: set[str]) -> list[int]:
    """Cut points inside a run of abbreviation tokens, at known abbreviations."""
    cuts: set[int] = set()
    i = 0
    while i < len(words):
        match = 0
        for j in range(len(words), i, -1):
            if " ".join(words[i:j]) in known:
                match = j - i
                break
        if match:
            cuts.update({i, i + match})
            i += match
        else:
            i += 1
    return sorted(c for c in cuts if 0 < c < len(words))


def _run_together(piece: str, known: set[str]) -> list[str]:
    tokens = _tokens(piece)
    if len(tokens) < 2:
        return [piece]
    cuts: list[int] = []
    party_start = 0
    i = 1
    while i < len(tokens):
        prev, tok = tokens[i - 1], tokens[i]
        cut = False
        if tok.depth == 0:
            word, prev_word = tok.word, prev.word
            prev_closed = prev.text.endswith((")", "»"))
            prev_lower = bool(prev_word) and prev_word[0].islower() and prev_word.lower() not in _FUNCTION_WORDS
            if tok.text[0] not in "(«\"" and _is_title_case(word):
                if (prev_lower or prev_closed or _is_abbreviation(prev_word)) and _nominative_start(word):
                    cut = True
            elif tok.text[0] not in "(" and _is_abbreviation(word) and not _is_abbreviation(prev_word):
                words_before = i - party_start
                if prev_lower and (words_before >= 3 or best_case(prev_word) in {"ablt", "datv", "loct"}):
                    cut = True
                elif prev_closed and words_before >= 2:
                    cut = True
            elif word[:1].islower() and prev_lower and _two_heads(prev_word, word):
                cut = True
        if cut:
            cuts.append(i)
            party_start = i
        i += 1
    # Inside runs of abbreviations, cut at the document's own abbreviations.
    bounds = [0, *cuts, len(tokens)]
    extra: list[int] = []
    for a, b in zip(bounds, bounds[1:]):
        seg = tokens[a:b]
        if all(_is_abbreviation(t.word) or t.depth > 0 for t in seg) and len(seg) > 1:
            extra.extend(a + c for c in _segment_abbreviations([t.text for t in seg], known))
        else:
            # A leading run of abbreviations followed by other words.
            run = 0
            while run < len(seg) and _is_abbreviation(seg[run].word) and seg[run].depth == 0:
                run += 1
            if run > 1:
                extra.extend(a + c for c in _segment_abbreviations([t.text for t in seg[:run]], known))
    cuts = sorted(set(cuts) | set(extra))
    bounds = [0, *cuts, len(tokens)]
    return [piece[tokens[a].start : tokens[b - 1].end].strip() for a, b in zip(bounds, bounds[1:]) if a < b]


# A lower-case line opens a party of its own when its first word can be a
# nominative this often (pymorphy3's score): «кураторы», «директора» (0.20)
# yes; «образования» (0.06), «администрации» (0.06) go on with the line above.
MIN_NOMINATIVE_SCORE = 0.15


def _opens_party(line: str) -> bool:
    first = re.match(r"[\w-]+", line)
    if not first:
        return False
    word = first.group(0)
    if word[0].isupper():
        return True
    return any(p.tag.case == "nomn" and p.score >= MIN_NOMINATIVE_SCORE for p in parses(word.lower()))


def _merge_wrapped_lines(lines: list[str]) -> list[str]:
    """Lines of one cell that are one wrapped name are joined back: this line
    ends with a hyphen, a function word or an open bracket or quote, or the
    next line cannot open a party («образования администрации района»)."""
    out: list[str] = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out:
            last_word = out[-1].rsplit(" ", 1)[-1].lower()
            if (
                not _opens_party(line)
                or out[-1].endswith(("-", "(", "«"))
                or last_word in _FUNCTION_WORDS
                or out[-1].count("(") > out[-1].count(")")
                or out[-1].count("«") > out[-1].count("»")
            ):
                out[-1] = join_fragments(out[-1], line)
                continue
        out.append(line)
    return out


def split_parties(cell_text: str, known_abbreviations: Iterable[str] = (), known_names: Iterable[str] = ()) -> list[str]:
    """The parties of a responsibles cell, as printed, one per entry."""
    known = {collapse(a) for a in known_abbreviations}
    names = list(known_names)
    parties: list[str] = []
    for line in _merge_wrapped_lines(cell_text.split("\n")):
        line = repair_inline(line)
        for piece in _comma_pieces(line, names):
            parties.extend(p.strip(" ,;.") if not p.endswith(")") else p.strip(" ,;") for p in _run_together(piece, known))
    return [p for p in parties if p]
