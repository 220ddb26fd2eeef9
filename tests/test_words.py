"""Repairs of conversion scars, decided by the pymorphy3 dictionary."""

import pytest

from pipeline.lang.words import (
    close_wrap_hyphens,
    collapse,
    join_fragments,
    join_letter_spaced,
    normalize_spaces,
    rejoin_split_words,
    repair_inline,
)


@pytest.mark.parametrize(
    "first,second,joined",
    [
        ("По потребност", "и ОО", "По потребности ОО"),  # a word cut by a page break
        ("образова-", "ния", "образования"),  # a soft line-wrap hyphen
        ("психолого-", "педагогической", "психолого-педагогической"),  # a real hyphen
        ("Май -", "август", "Май - август"),  # a dash, not a hyphen
        ("В течение", "года", "В течение года"),
        ("", "года", "года"),
        ("октябрь", "", "октябрь"),
    ],
)
def test_join_fragments(first, second, joined):
    assert join_fragments(first, second) == joined


def test_split_word_rejoined_only_when_parts_are_not_words():
    assert rejoin_split_words("уровень удовлетворенност и не ниже") == "уровень удовлетворенности не ниже"
    # «само» and «диагностики» are words: the author's spelling stays.
    assert rejoin_split_words("результатов само диагностики") == "результатов само диагностики"
    # Abbreviations are never glued to the next word.
    assert rejoin_split_words("СОИРО и МОЦ") == "СОИРО и МОЦ"


def test_wrap_hyphens_closed_but_suspended_hyphens_kept():
    assert close_wrap_hyphens("школ- участников") == "школ-участников"
    assert close_wrap_hyphens("Июнь- ноябрь") == "Июнь-ноябрь"
    assert close_wrap_hyphens("школ - участников") == "школ - участников"
    assert close_wrap_hyphens("внутри- и межшкольный") == "внутри- и межшкольный"


def test_letter_spacing():
    assert join_letter_spaced("П Р И К А З") == "ПРИКАЗ"
    assert join_letter_spaced("п р и к а з ы в а ю:") == "приказываю:"
    assert join_letter_spaced("в и с") == "в и с"  # three one-letter words stay
    assert join_letter_spaced("П р и к а з") == "П р и к а з"  # mixed case is not letter-spacing


def test_spaces_normalized_without_losing_text():
    text = "ё\u00a0«500+»\u00ad – —\u200b"
    assert normalize_spaces(text) == "ё «500+» – —"
    assert collapse("a\n  b\t c") == "a b c"


def test_repair_inline_joins_cell_lines():
    assert repair_inline("По потребност\nи ОО") == "По потребности ОО"
    assert repair_inline("Отчет (уровень удовлетворенност и\nне ниже 80 %)") == "Отчет (уровень удовлетворенности не ниже 80 %)"
