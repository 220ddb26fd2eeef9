"""Names in their dictionary form: the nominative and a canonical key.

«муниципального образовательного центра» → «муниципальный образовательный
центр»: the head noun and the words agreeing with it go to the nominative
(pymorphy3 inflection), the words that depend on it stay as they are
(«органов местного самоуправления, осуществляющих …» → «органы местного
самоуправления, осуществляющие …»).  The key lemmatizes every word, so all
the forms of one name, and its abbreviation once resolved, meet.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.lang.data import load
from pipeline.lang.morph import lemma, parses

_WORD = re.compile(r"[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)*")
_AGREEING = {"ADJF", "PRTF", "NUMR", "ADJS"}


def _match_case(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _head(words: list[re.Match[str]]) -> tuple[int, object] | None:
    """Index and parse of the head noun: the first noun, after the agreeing
    words that open the phrase."""
    for i, m in enumerate(words):
        noun = [p for p in parses(m.group()) if p.tag.POS == "NOUN"]
        if noun:
            return i, noun[0]
        if not any(p.tag.POS in _AGREEING for p in parses(m.group())):
            return None
    return None


def _inflect(word: str, head, pos: set[str], target: str = "nomn") -> str:
    """``word`` agreeing with ``head``, put in the ``target`` case."""
    case, number, gender = head.tag.case, head.tag.number, head.tag.gender
    for p in parses(word):
        if p.tag.POS not in pos or (case and p.tag.case != case) or (number and p.tag.number and p.tag.number != number):
            continue
        if number == "sing" and gender and p.tag.gender and p.tag.gender != gender:
            continue
        grammemes = {target} | ({number} if number == "plur" else set())
        inflected = p.inflect(grammemes)
        if inflected:
            return _match_case(word, inflected.word)
    return word


def _already_in(words: list[re.Match[str]], h: int, case: str) -> bool:
    """The head and the words before it can all be read in ``case`` with one
    number: «образовательные организации» is a nominative already, though
    pymorphy3's first guess for «организации» is the genitive."""
    for number in ("sing", "plur"):
        if all(
            any(p.tag.case == case and p.tag.number == number for p in parses(m.group()))
            for m in words[: h + 1]
        ):
            return True
    return False


@lru_cache(maxsize=8192)
def inflect_phrase(phrase: str, case: str = "nomn", nominative: bool = False) -> str:
    """The phrase with its head noun (and the words agreeing with it) put in
    ``case``; the rest of the phrase as written.  ``nominative``: the phrase
    is known to be a name in the nominative (an abbreviation's expansion as
    a draft gives it), so a head that could also be read in ``case`` already
    («школы») is still inflected from the nominative («школ»)."""
    words = list(_WORD.finditer(phrase))
    found = _head(words)
    if found is None:
        return phrase
    h, head = found
    if not (nominative and _already_in(words, h, "nomn")) and _already_in(words, h, case):
        return phrase
    noun_parses = [p for p in parses(words[h].group()) if p.tag.POS == "NOUN"]
    if case != "nomn":
        # Going from a name (nominative) to another case: read the head as nominative.
        head = next((p for p in noun_parses if p.tag.case == "nomn"), head)
    number = head.tag.number
    replacements: dict[int, str] = {}
    for i in range(h):
        replacements[i] = _inflect(words[i].group(), head, _AGREEING, case)
    inflected = head.inflect({case, number} if number else {case})
    if inflected:
        replacements[h] = _match_case(words[h].group(), inflected.word)
    # A noun joined to the head by «и»/«или» right after it goes with it:
    # «муниципальных районов и городских округов» → «муниципальные районы и
    # городские округа», never half of the pair.
    _inflect_conjunct(phrase, words, h, head, case, replacements)
    # A participle after a comma that agrees with the head («органов …,
    # осуществляющих …») agrees with it in the new case too.
    for i in range(h + 1, len(words)):
        before = phrase[words[i - 1].end() : words[i].start()]
        if "," in before and any(p.tag.POS == "PRTF" and p.tag.case == head.tag.case for p in parses(words[i].group())):
            replacements[i] = _inflect(words[i].group(), head, {"PRTF"}, case)
    out, pos = [], 0
    for i, m in enumerate(words):
        if i in replacements:
            out.append(phrase[pos : m.start()])
            out.append(replacements[i])
            pos = m.end()
    out.append(phrase[pos:])
    return "".join(out)


def _inflect_conjunct(phrase: str, words: list[re.Match[str]], h: int, head, case: str, replacements: dict[int, str]) -> None:
    if h + 2 >= len(words) or words[h + 1].group().lower() not in {"и", "или"}:
        return
    if phrase[words[h].end() : words[h + 1].start()].strip() or phrase[words[h + 1].end() : words[h + 2].start()].strip():
        return  # a comma or a bracket between: not a pair of nouns
    j = h + 2
    while j < len(words) and any(p.tag.POS in _AGREEING and p.tag.case == head.tag.case for p in parses(words[j].group())):
        j += 1
    if j >= len(words):
        return
    noun = next((p for p in parses(words[j].group()) if p.tag.POS == "NOUN" and p.tag.case == head.tag.case), None)
    if noun is None:
        return
    number = noun.tag.number
    inflected = noun.inflect({case, number} if number else {case})
    if inflected is None:
        return
    for k in range(h + 2, j):
        replacements[k] = _inflect(words[k].group(), noun, _AGREEING, case)
    replacements[j] = _match_case(words[j].group(), inflected.word)


def noun_form(word: str, case: str, number: str = "sing") -> str:
    """``word`` as a noun in ``case`` and ``number`` («август» → «августа»,
    «приказ» → «приказу»); as given when pymorphy3 has no such form."""
    for p in parses(word):
        if p.tag.POS == "NOUN":
            inflected = p.inflect({case, number})
            if inflected:
                return inflected.word
    return word


def case_at(text: str, start: int, end: int) -> str:
    """The case a word that does not decline (an abbreviation) takes where it
    stands in ``text[start:end]``, read from its neighbours as an order is
    written: at the head of a clause before an infinitive it names who is to
    act, in the dative («ИРО обеспечить» → «институту … обеспечить»); after
    a preposition, the preposition's case; after a noun, the genitive
    («перечня ШНОР»); after a verb, the accusative; else the nominative."""
    before = list(_WORD.finditer(text[:start]))
    after = _WORD.search(text, end)
    prepositions = load("government")
    if before:
        previous = before[-1].group().lower()
        tags = {p.tag.POS for p in parses(previous)}
        gap = text[before[-1].end() : start]
        if previous in prepositions["prepositions"] and not gap.strip():
            if previous in prepositions["direction"] and len(before) > 1 and {"VERB", "INFN"} & {p.tag.POS for p in parses(before[-2].group().lower())}:
                return prepositions["direction"][previous]
            return prepositions["prepositions"][previous]
        if gap.strip() in {"", "«", "»"}:
            if "NOUN" in tags and not {"PREP", "CONJ"} & tags:
                return "gent"
            if tags & {"VERB", "INFN"}:
                return "accs"
    opens_clause = not before or text[before[-1].end() : start].strip()[-1:] in {".", ":", ";"}
    if opens_clause and after is not None and any(p.tag.POS == "INFN" for p in parses(after.group().lower())):
        return "datv"
    return "nomn"


def to_nominative(phrase: str) -> str:
    return inflect_phrase(phrase, "nomn")


def sentence_case(text: str) -> str:
    """«ДЕПАРТАМЕНТ ОБЩЕГО ОБРАЗОВАНИЯ ТОМСКОЙ ОБЛАСТИ» → «Департамент общего
    образования Томской области»: a capital for the first word, for proper
    names pymorphy3 knows («Перми»), and for the «-ский» adjective that opens
    the name of a territory («Томской области», «Ненецкого автономного
    округа»)."""
    if not text.isupper():
        return text
    words = list(_WORD.finditer(text))
    lower = [m.group().lower() for m in words]
    territories = set(load("gazetteer")["territories"])
    capital = {0}
    for i, word in enumerate(lower):
        if {"Geox", "Name", "Surn", "Patr", "Orgn", "Trad"} & set(parses(word)[0].tag.grammemes):
            capital.add(i)
        if lemma(word) in load("gazetteer")["capitalized_territories"]:
            capital.add(i)
        if lemma(word) in territories:
            j = i
            while j > 0 and parses(lower[j - 1])[0].tag.POS == "ADJF":
                j -= 1
            if j < i and lemma(lower[j]).endswith(("ский", "цкий")):
                capital.add(j)
    out, pos = [], 0
    for i, m in enumerate(words):
        word = lower[i]
        out.append(text[pos : m.start()])
        out.append(word[:1].upper() + word[1:] if i in capital else word)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def phrase_key(phrase: str) -> str:
    """Lemmas of the words, lower case, joined: one key for every form of a
    name.  pymorphy3 directly: spaCy's lookup without a tagger gives
    «округа» for «округа»."""
    return " ".join(lemma(m.group().lower()) for m in _WORD.finditer(phrase))

