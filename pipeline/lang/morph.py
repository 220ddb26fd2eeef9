"""Russian morphology: pymorphy3 for word knowledge, spaCy for tokens and lemmas.

Both are loaded once per process, on first use.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import pymorphy3


@cache
def analyzer() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


@cache
def nlp():
    """``spacy.blank("ru")`` with the pymorphy3 lemmatizer (no model download)."""
    import spacy

    pipe = spacy.blank("ru")
    pipe.add_pipe("lemmatizer", config={"mode": "pymorphy3"})
    pipe.initialize()
    return pipe


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
    """Lemmas of the word tokens of ``text`` (punctuation dropped), via spaCy."""
    return tuple(t.lemma_.lower() for t in nlp()(text) if not (t.is_punct or t.is_space))


def cases(word: str) -> set[str]:
    """Grammatical cases the word can be in (``nomn``, ``gent`` …)."""
    return {p.tag.case for p in parses(word) if p.tag.case}


def best_case(word: str) -> str | None:
    return parses(word)[0].tag.case


def pos(word: str) -> str | None:
    return parses(word)[0].tag.POS
