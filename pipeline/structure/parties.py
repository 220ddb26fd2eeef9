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
a participle («…, осуществляющих управление …»), a known full name that
holds a comma («Департамент образования, культуры и спорта …»), or a domain
after «по» («Зам. директора по УВР, ВР»: «ВР» alone is no party).  A
coordination with «и» inside one name stays whole («Администрации школ и
детского дома»); «и» splits two complete parties («Зам. директора по УВР и
старший воспитатель»).  A parenthetical note stays with its party
(«… (утверждение)»).

People are written as a position and a name: «социальный педагог Назаренко
Ю.С.», «Педагог-психолог» / «Е.С.Мосиенко» on the next line, «Рук. службы,
психолог Лебедева С.А.» — each one party; two names on one line
(«Григорьев М.В. Прохорова Е.В.») are two.  A full stop between two parties
run together («…по АХЧ. водитель автобуса», «по ВР.Воспитатели») splits
them; the punctuation that ends a party is not part of it, except the dot of
an initial or of a shortened word («Ладилова Л.В.», «и др.»).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from pipeline.lang.morph import best_case, cases, is_known, parses
from pipeline.lang.names import LOOSE_INITIALS, SURNAME
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
    if head is None or any(p.tag.POS == "ADJF" and p.tag.case == "nomn" for p in parses(prev_word.lower())):
        # «старший воспитатель»: an adjective before its noun, not two heads.
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


def _name_and_patronymic(first: str, second: str) -> bool:
    """«Геннадий Гаврилович»: a first name and a patronymic are one person."""
    return any("Name" in p.tag for p in parses(first.lower())[:2]) and any("Patr" in p.tag for p in parses(second.lower())[:2])


def _person_noun(word: str) -> bool:
    """A post or a group of people in the nominative: «Директор», «Воспитатели»."""
    best = parses(word.lower())[0]
    return best.tag.POS == "NOUN" and best.tag.case == "nomn" and best.tag.animacy == "anim"


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


_DOMAIN_END = re.compile(r"\bпо\s+[А-ЯЁA-Z][А-ЯЁA-Z()]+\)?\s*$")


def _continues_domains(before: str, piece: str) -> bool:
    """«Зам. директора по УВР, ВР»: abbreviations after a comma that go on
    with the domains after «по»; alone they name no party."""
    words = piece.split()
    return bool(words) and len(words) <= 2 and all(_is_abbreviation(w.strip("().")) for w in words) and bool(_DOMAIN_END.search(before))


def _split_top_level(text: str, separators: str) -> list[str]:
    pieces, depth, current = [], 0, []
    for k, ch in enumerate(text):
        if ch in "(«“„":
            depth += 1
        elif ch in ")»”" and depth:
            depth -= 1
        between_digits = ch == "," and 0 < k < len(text) - 1 and text[k - 1].isdigit() and text[k + 1].isdigit()
        if ch in separators and depth == 0 and not between_digits:
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
        if merged and (_continues_name(piece) or _continues_domains(merged[-1], piece)):
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
        shortened_before = prev.text.endswith(".") and _shortened(prev.word)
        if tok.depth == 0 and not shortened_before and not _name_and_patronymic(prev.word, tok.word):
            # «ст. воспитатель», «соц. Педагог»: a word cut short qualifies the next.
            word, prev_word = tok.word, prev.word
            prev_closed = prev.text.endswith((")", "»"))
            prev_lower = bool(prev_word) and prev_word[0].islower() and prev_word.lower() not in _FUNCTION_WORDS
            if tok.text[0] not in "(«\"" and _is_title_case(word):
                # «Соц. педагог»: a shortened word opens a party by the noun after it.
                opener = word
                if tok.text.endswith(".") and _shortened(word) and i + 1 < len(tokens):
                    opener = tokens[i + 1].word
                if (prev_lower or prev_closed or _is_abbreviation(prev_word)) and _nominative_start(opener):
                    cut = True
                elif _person_noun(prev_word) and i - party_start == 1 and (_person_noun(opener) or _nominative_start(opener)):
                    # «Директор Заместитель по УВР», «Воспитатели Парикмахер»:
                    # a post right after a post written alone.
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


# Names of persons: a surname and initials either way round, initials with
# or without the last dot.
_NAME_END = r"(?:(?<=\.)|(?![а-яё]))"
_SURNAME_FIRST = re.compile(rf"(?<![А-Яа-яЁё])(?P<surname>{SURNAME})\s?{LOOSE_INITIALS}{_NAME_END}")
_INITIALS_FIRST = re.compile(rf"(?<![А-Яа-яЁё.])(?:{LOOSE_INITIALS})\s?(?P<surname>{SURNAME})(?![а-яё])")


def _could_be_surname(word: str) -> bool:
    """Not a common word of the dictionary: «Директор А.С. Комаров» is a post
    and a name, «Роговая И.Г.» a name."""
    best = parses(word.lower())[:3]
    return any({"Surn", "Name", "Patr"} & set(str(p.tag).replace(" ", ",").split(",")) for p in best) or not is_known(word)


def person_spans(line: str) -> list[tuple[int, int]]:
    """Where the names of persons stand in a line, read so that as many names
    as possible are whole («Роговая И.Г. Инютина В.С.», «Е.П. Талкина Н.В.
    Шелабина», «Свиридова Е.В. И.О.Коснырева»)."""
    found = [(m.start(), m.end(), _could_be_surname(m.group("surname"))) for m in _SURNAME_FIRST.finditer(line)]
    found += [(m.start(), m.end(), True) for m in _INITIALS_FIRST.finditer(line)]
    # Overlapping readings: the largest set of names that do not overlap,
    # preferring readings whose surname is not a common word.
    found.sort(key=lambda f: (f[1], f[0]))
    best: dict[int, tuple[int, int, list]] = {-1: (0, 0, [])}
    ends = [-1]
    for k, (a, b, plausible) in enumerate(found):
        prior = max((i for i in ends if i == -1 or found[i][1] <= a), key=lambda i: best[i][:2])
        count, score, chosen = best[prior]
        best[k] = (count + 1, score + plausible, chosen + [(a, b)])
        ends.append(k)
    count, score, chosen = max(best.values(), key=lambda v: v[:2])
    return sorted(chosen)


def _strip_name_punctuation(text: str) -> str:
    return text.strip(" ,;:")


def _is_bare_name(text: str) -> bool:
    text = _strip_name_punctuation(text).rstrip(".")
    spans = person_spans(text)
    return len(spans) == 1 and spans[0] == (0, len(text))


def _name_segments(lines: list[str]) -> list[tuple[str, bool]]:
    """The cell as pieces that each end with a person's name (a post and
    its name) or hold none; a post on its own line followed by a name alone
    on the next («Педагог-психолог» / «Е.С.Мосиенко») is one piece."""
    pieces: list[tuple[str, bool]] = []
    for line in lines:
        at = 0
        for a, b in person_spans(line):
            # Dots left after the name («Т.Г..») belong to it.
            while b < len(line) and line[b] == ".":
                b += 1
            pieces.append((line[at:b], True))
            at = b
        if line[at:].strip(" ,;"):
            pieces.append((line[at:], False))
    merged: list[tuple[str, bool]] = []
    for text, named in pieces:
        before = merged[-1][0].rstrip() if merged and not merged[-1][1] else None
        if named and before is not None and (
            (_is_bare_name(text) and not before.endswith((",", ";")))
            # «Руководитель службы,» / «психолог Лебедева С.А.»: one person's posts.
            or (before.endswith(",") and text.strip()[:1].islower())
        ):
            merged[-1] = (f"{before} {text.strip()}", True)
        else:
            merged.append((text, named))
        # «Руководитель службы,» / «психолог» / «Лебедева С.А.»: the posts of
        # one person listed before the name.
        while (
            len(merged) >= 2 and merged[-1][1] and not merged[-2][1]
            and merged[-2][0].rstrip().endswith(",") and merged[-1][0].strip()[:1].islower()
        ):
            merged[-2:] = [(f"{merged[-2][0].rstrip()} {merged[-1][0].strip()}", True)]
    return merged


def _named_pieces(text: str) -> list[str]:
    """A post with a name is one party even with a comma in the post («Рук.
    службы, психолог Лебедева С.А.»); a comma before a name alone parts two
    («Детсовет, Аксёнова О.М.»)."""
    pieces = _split_top_level(text, ",;")
    if len(pieces) > 1 and _is_bare_name(pieces[-1]) and any(p.strip() for p in pieces[:-1]):
        return [", ".join(pieces[:-1]), pieces[-1]]
    return [text]


_SHORT_WORD_CHARS = 4


def _shortened(word: str) -> bool:
    """«зам», «соц», «мед», «ст», «доп», «г»: a word cut short before a dot."""
    return 0 < len(word) <= _SHORT_WORD_CHARS and word[0].isalpha() and not word.isupper() or (len(word) == 1 and word.isalpha())


def _sentence_cuts(piece: str) -> list[str]:
    """Two parties run together after a full stop: «…по АХЧ. водитель
    автобуса», «Зам директора по ВР.Воспитатели»; not «Мед. сестра»,
    «Ст.воспитатель», «г.Уссурийска»."""
    out, start = [], 0
    for m in re.finditer(r"(?P<word>[А-Яа-яЁёA-Za-z]+)\.\s*(?=(?P<next>[А-Яа-яЁё]+))", piece):
        word, nxt = m.group("word"), m.group("next")
        if _shortened(word) and not word.isupper():
            continue
        if not (_is_abbreviation(word) or (len(word) > _SHORT_WORD_CHARS and is_known(word))):
            continue
        if not _opens_party(nxt) or not any(p.tag.case == "nomn" and p.score >= MIN_NOMINATIVE_SCORE for p in parses(nxt.lower())):
            continue
        out.append(piece[start : m.end()].strip())
        start = m.end()
    out.append(piece[start:].strip())
    return [p for p in out if p]


def _person_head(words: list[str]) -> bool:
    """The phrase names a person or people: a nominative animate noun among
    its first two words («старший воспитатель», «воспитатели»)."""
    for word in words[:2]:
        if any(p.tag.POS == "NOUN" and p.tag.case == "nomn" and p.tag.animacy == "anim" for p in parses(word.lower())[:2]):
            return True
    return False


def _and_cuts(piece: str) -> list[str]:
    """«и» between two parties each complete on its own: «Зам. директора по
    УВР и старший воспитатель»; not «Администрации школ и детского дома».
    Only a lower-case person after «и» opens a party here; an organisation
    after «и» goes on with the name («… образования и МКУ «ЦИМО МОУ» …»)."""
    parts = re.split(r"\s+и\s+", piece)
    if len(parts) != 2:
        return [piece]
    left, right = parts
    right_words = re.findall(r"[А-Яа-яЁё-]+", right)
    left_words = re.findall(r"[А-Яа-яЁё.-]+", left)
    if not right_words or not left_words or not right_words[0][0].islower():
        return [piece]
    if left_words[-1].lower() in _FUNCTION_WORDS or not _person_head(right_words):
        return [piece]
    if not any(_person_head([w.split(".")[-1] or w]) for w in left_words):
        return [piece]
    return [left.strip(), right.strip()]


def _ends_with_kept_dot(text: str) -> bool:
    """«Ладилова Л.В.», «и др.»: the final dot is an initial's or a shortened
    word's, not the end of the cell."""
    m = re.search(r"([А-Яа-яЁёA-Za-z]+)\.$", text)
    if not m:
        return False
    word = m.group(1)
    if len(word) == 1 and word.isupper():
        return True
    best = parses(word.lower())[0]
    return word.islower() and len(word) <= 3 and ("Abbr" in best.tag or not is_known(word))


def _clean(party: str) -> str:
    """The party without the punctuation that only ends it: «Директор .» →
    «Директор», «воспитатели.» → «воспитатели», «Масягина Т.Г..» →
    «Масягина Т.Г.»; a bracket closing a note stays."""
    party = party.strip().lstrip(",;: ").rstrip(" ,;")
    while party.endswith("..") :
        party = party[:-1]
    if party.endswith(".") and not _ends_with_kept_dot(party):
        party = party[:-1].rstrip(" ,;")
    return party


@lru_cache(maxsize=32)
def _collapsed(abbreviations: tuple[str, ...]) -> frozenset[str]:
    # The document's abbreviations, collapsed once for all its cells.
    return frozenset(collapse(a) for a in abbreviations)


def split_parties(cell_text: str, known_abbreviations: Iterable[str] = (), known_names: Iterable[str] = ()) -> list[str]:
    """The parties of a responsibles cell, as printed, one per entry."""
    known = _collapsed(tuple(known_abbreviations))
    names = list(known_names)
    parties: list[str] = []
    lines = [repair_inline(line) for line in _merge_wrapped_lines(cell_text.split("\n"))]
    for text, named in _name_segments([line for line in lines if line]):
        if named:
            parties.extend(_named_pieces(text))
            continue
        for piece in _comma_pieces(text, names):
            for sentence in _sentence_cuts(piece):
                for part in _and_cuts(sentence):
                    parties.extend(_run_together(part, known))
    return [p for p in (_clean(p) for p in parties) if p]
