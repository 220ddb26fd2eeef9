"""Words agreeing with a number, as a user reads them: «1 ошибка», «2 ошибки»,
«5 ошибок», «21 документ» — pymorphy3's ``make_agree_with_number``, never
endings written by hand.  A word it does not know stays as given."""

from __future__ import annotations

from functools import lru_cache

from pipeline.lang.morph import parses


@lru_cache(maxsize=1024)
def _form(word: str, number: int) -> str:
    nouns = [p for p in parses(word) if p.tag.POS == "NOUN" and p.tag.case == "nomn"]
    chosen = nouns[0] if nouns else (parses(word)[0] if parses(word) else None)
    if chosen is None:
        return word
    agreed = chosen.make_agree_with_number(number)
    return agreed.word if agreed is not None else word


def agree(number: int, phrase: str) -> str:
    """``phrase`` (a noun in the nominative singular, adjectives before it)
    in the form the number takes: ``agree(3, "прочитанный документ")`` →
    «прочитанных документа»."""
    return " ".join(_form(word, abs(number)) for word in phrase.split())


def count(number: int, phrase: str) -> str:
    """«3 ошибки», «1 документ», «0 предупреждений»."""
    return f"{number} {agree(number, phrase)}"
