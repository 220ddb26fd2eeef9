"""Russian morphology: pymorphy3, loaded once per process on first use.

Every word decision goes through it: whether a form is in the dictionary, its
parses, its lemma.  (spaCy was the first design's NLP layer; for Russian it
only wraps this same analyzer: a blank pipeline without a tagger gives a word
pymorphy3's lemma when all its parses agree, as ``lemmas`` below does, at
85 MB and a second of start-up.)
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import pymorphy3


@cache
def analyzer() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=65536)
def is_known(word: str) -> bool:
    """True if the word form is in the dictionary (not merely predicted)."""
    return analyzer().word_is_known(word.lower())


def has_known_word(text: str) -> bool:
    """A word of three letters or more in ``text`` the dictionary knows: not
    the scattered letters OCR reads from a seal, a signature or a coat of
    arms («……В», «(75)Я Г’ут»)."""
    return any(is_known(w) for w in re.findall(r"[А-Яа-яЁё]{3,}", text))


@lru_cache(maxsize=65536)
def parses(word: str):
    return tuple(analyzer().parse(word))


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    return parses(word)[0].normal_form


@lru_cache(maxsize=8192)
def lemmas(text: str) -> tuple[str, ...]:
    """Lemmas of the words of ``text`` (punctuation dropped): a word whose
    parses all share one normal form gets it, an ambiguous word stays as
    written — no context decides between them here («Сроки исполнения» →
    срок, исполнение)."""
    return tuple(_lemma_if_sure(w) for w in re.findall(r"\w+", text))


@lru_cache(maxsize=65536)
def _lemma_if_sure(word: str) -> str:
    forms = {p.normal_form for p in parses(word)}
    return forms.pop() if len(forms) == 1 else word


def cases(word: str) -> set[str]:
    """Grammatical cases the word can be in (``nomn``, ``gent`` …)."""
    return {p.tag.case for p in parses(word) if p.tag.case}


def best_case(word: str) -> str | None:
    return parses(word)[0].tag.case


def pos(word: str) -> str | None:
    return parses(word)[0].tag.POS
