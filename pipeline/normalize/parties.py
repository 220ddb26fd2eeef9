"""Responsible parties as resolved entities.

A party's full name comes, in this order, from the document's own
abbreviations («(далее – МОЦ)», «Список сокращений»), from the gazetteer of
common education bodies (``lang/data/gazetteer.toml``), or is inferred from a
phrase of the document whose initials spell the abbreviation («ДОО ТО» ←
«Департамент общего образования Томской области»).  Names are given in the
nominative, and a key made of lemmas joins every form of one party:
«Муниципальный образовательный центр», «муниципального образовательного
центра» and «МОЦ» share one key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from pipeline.lang.data import load
from pipeline.lang.inflect import inflect_phrase, phrase_key, sentence_case, to_nominative
from pipeline.lang.morph import parses
from pipeline.lang.names import is_initialism, is_person
from pipeline.lang.words import collapse
from schemas import Abbreviation, Order, Party

_DEFINITION = re.compile(r"\s*\(\s*далее\s*[-–—−]?\s*(?P<short>[^()]+?)\s*\)\s*")
_NOTE = re.compile(r"\s*\((?P<note>[^()]+)\)\s*$")
_WORD = re.compile(r"[«\"(]*[\w-]+[»\")]*")
_SKIPPED_IN_INITIALS = {"по", "и", "в", "во", "с", "со", "на", "для", "при", "к", "о", "об", "от", "из"}
MAX_NAME_WORDS = 9


def _strip_quotes(name: str) -> str:
    name = name.strip()
    if name.startswith("«") and name.endswith("»") and name.count("«") == 1:
        return name[1:-1].strip()
    return name.strip("«»() ").strip() if name.count("«") != name.count("»") else name


def _letters(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalpha())


def _initials(words: list[str]) -> str:
    return "".join(w.strip("«»\"()")[:1].lower() for w in words if w.strip("«»\"()").lower() not in _SKIPPED_IN_INITIALS)


@dataclass(slots=True)
class Resolution:
    name: str
    basis: str
    kind: str | None = None


@dataclass
class PartyDirectory:
    """What one document knows of names."""

    defined: dict[str, Abbreviation]
    phrases: list[list[str]] = field(default_factory=list)  # word windows of the document's text

    @classmethod
    def of(cls, order: Order) -> "PartyDirectory":
        defined: dict[str, Abbreviation] = {}
        for a in order.abbreviations:
            defined.setdefault(collapse(a.short), a)
        texts = [order.document.authority or "", order.document.title or "", order.document.preamble or ""]
        texts += [c.text for c in order.clauses]
        texts += [a.full for a in order.abbreviations]
        for appendix in order.appendices:
            texts += [b.text for b in appendix.content if b.text]
        # All-capital headings («ДЕПАРТАМЕНТ ОБЩЕГО ОБРАЗОВАНИЯ …») in sentence case,
        # so their words are words, not abbreviations.
        phrases = [[m.group() for m in _WORD.finditer(sentence_case(collapse(t)))] for t in texts if t]
        return cls(defined, phrases)

    @cached_property
    def gazetteer(self) -> dict[str, dict]:
        return {collapse(k): v for k, v in load("gazetteer")["abbreviations"].items()}

    def infer(self, short: str) -> str | None:
        """A phrase of the document whose initials spell ``short``; it must
        open with a capital or be the authority, so that ordinary words do not
        make accidental initials."""
        target = _letters(short)
        if len(target) < 2:
            return None
        for words in self.phrases:
            for i, first in enumerate(words):
                bare = first.strip("«\"(")
                if not bare or not bare[0].isupper() or _letters(bare)[:1] != target[0] or is_initialism(bare):
                    continue
                for j in range(i + 1, min(i + MAX_NAME_WORDS, len(words)) + 1):
                    window = words[i:j]
                    initials = _initials(window)
                    if initials == target:
                        return _strip_quotes(" ".join(window).rstrip(",;:."))
                    if not target.startswith(initials):
                        break
        return None

    def resolve(self, short: str) -> Resolution | None:
        short = collapse(short)
        if short in self.defined:
            full = self.defined[short].full
            return Resolution(_strip_quotes(sentence_case(to_nominative(full))), "document")
        if short in self.gazetteer:
            entry = self.gazetteer[short]
            return Resolution(entry["full"], "gazetteer", entry.get("kind"))
        inferred = self.infer(short)
        if inferred:
            return Resolution(_strip_quotes(sentence_case(to_nominative(inferred))), "inferred")
        return None


def party_kind(name: str) -> str | None:
    """organisation, body, role, person or group, from the head noun."""
    if is_person(name):
        return "person"
    kinds = load("gazetteer")["kinds"]
    for m in _WORD.finditer(name):
        word = m.group().strip("«»\"()").lower()
        noun = [p for p in parses(word) if p.tag.POS == "NOUN"]
        if not noun:
            continue
        head = noun[0].normal_form
        for kind, heads in kinds.items():
            if head in heads:
                return kind
        return None
    return None


def normalize_party(party: Party, directory: PartyDirectory) -> Party:
    text = collapse(party.text)
    core = text
    abbreviation = None
    definition = _DEFINITION.search(core)
    if definition:
        abbreviation = collapse(definition.group("short"))
        core = (core[: definition.start()] + " " + core[definition.end() :]).strip()
    note = None
    m = _NOTE.search(core)
    if m and core[: m.start()].strip():
        note = m.group("note").strip()
        core = core[: m.start()].strip()
    party.note = note

    if definition and abbreviation in directory.defined:
        # «Руководители органов … (далее – ОМСУ)»: the abbreviation may name
        # only a part of the party; it is the party's own when the names meet.
        defined = directory.defined[abbreviation].full
        if phrase_key(to_nominative(defined)) != phrase_key(to_nominative(core)):
            abbreviation = None

    first, _, rest = core.partition(" ")
    resolution: Resolution | None = None
    if is_initialism(core) or core in directory.defined or core in directory.gazetteer:
        resolution = directory.resolve(core)
        abbreviation = abbreviation or core
    elif is_initialism(first) and rest and rest[:1].islower():
        # «ОО района»: an abbreviation with words depending on it.
        head = directory.resolve(first)
        if head:
            resolution = Resolution(f"{head.name} {rest}", head.basis, head.kind)
        abbreviation = abbreviation or first

    if resolution is None and not is_initialism(first):
        resolution = _expand_inner(core, directory)
    if resolution is None and abbreviation and abbreviation == core:
        party.name, party.basis, party.abbreviation, party.kind = None, "unresolved", abbreviation, None
        party.key = abbreviation
        return party
    if resolution is None:
        name = to_nominative(core) if core[:1].islower() else core
        resolution = Resolution(name, "text")
        if abbreviation is None:
            abbreviation = _abbreviation_for(name, directory)
    party.name = resolution.name if resolution.basis == "text" else _capitalized(resolution.name)
    party.abbreviation = abbreviation
    party.basis = resolution.basis
    party.kind = resolution.kind if resolution.kind in {"organisation", "body", "role", "group", "person"} else party_kind(resolution.name)
    party.key = phrase_key(resolution.name)
    return party


def _capitalized(name: str) -> str:
    return name[:1].upper() + name[1:]


def _expand_inner(core: str, directory: PartyDirectory) -> Resolution | None:
    """«Администрация ОО» → «Администрация образовательных организаций»: an
    abbreviation depending on a head word, expanded in the genitive."""
    words = core.split(" ")
    if len(words) < 2 or not is_initialism(words[-1]) or any(is_initialism(w) for w in words[:-1]):
        return None
    inner = directory.resolve(words[-1])
    if inner is None:
        return None
    return Resolution(f"{' '.join(words[:-1])} {inflect_phrase(inner.name, 'gent')}", inner.basis)


def _abbreviation_for(name: str, directory: PartyDirectory) -> str | None:
    """The document's abbreviation of a name written in full, if it has one."""
    key = phrase_key(name)
    for short, definition in directory.defined.items():
        if definition.kind == "abbreviation" and phrase_key(to_nominative(definition.full)) == key:
            return short
    return None

