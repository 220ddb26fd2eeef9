"""Items of two versions of a plan matched by what they say, not where they
stand: a row renumbered, or moved to another section, is the same row.

The activity is compared as lemmas (pymorphy3), so «Проведение семинара» and
«Провести семинары» are close; rapidfuzz's ``token_sort_ratio`` scores the
pairs (0–100) in one C call for the whole matrix.  The deadline's words, the
parties' keys and the same number in the same section add a little, to tell
apart rows that say nearly the same thing («Совещание … (1 квартал)», «… (2
квартал)»).  Pairs are then taken greedily, best first: an item is matched
at most once, and a pair below ``MatchSettings.threshold`` is no match (the
old row was removed, the new one added).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas import Item

_WORD = re.compile(r"[а-яёa-z0-9]+", re.I)


@dataclass(frozen=True)
class MatchSettings:
    threshold: float = 62.0  # a pair scoring below this is two different items
    deadline_weight: float = 0.08  # share of the score from the deadline's words
    parties_weight: float = 0.08  # share from the parties' keys (Jaccard)
    same_place_bonus: float = 6.0  # the same number in the same section
    position_weight: float = 0.5  # a tie-breaker: nearer in the list first


DEFAULT = MatchSettings()


def lemma_text(text: str) -> str:
    from pipeline.lang.morph import lemma

    return " ".join(lemma(w.lower().replace("ё", "е")) for w in _WORD.findall(text or ""))


def _parties(item: Item) -> set[str]:
    return {p.key or p.text.lower() for p in item.responsibles}


def _jaccard(a: set, b: set) -> float:
    return 100.0 * len(a & b) / len(a | b) if a or b else 100.0


def scores(old: list[Item], new: list[Item], settings: MatchSettings = DEFAULT):
    """The matrix of pair scores (0–100), rows old, columns new."""
    from rapidfuzz import fuzz, process

    activity = process.cdist([lemma_text(i.activity) for i in old], [lemma_text(i.activity) for i in new],
                             scorer=fuzz.token_sort_ratio, workers=1)
    deadline = process.cdist([lemma_text(i.deadline.text if i.deadline else "") for i in old],
                             [lemma_text(i.deadline.text if i.deadline else "") for i in new], scorer=fuzz.ratio, workers=1)
    own = 1.0 - settings.deadline_weight - settings.parties_weight
    matrix = activity * own + deadline * settings.deadline_weight
    old_parties = [_parties(i) for i in old]
    new_parties = [_parties(i) for i in new]
    for r, a in enumerate(old_parties):
        for c, b in enumerate(new_parties):
            matrix[r, c] += _jaccard(a, b) * settings.parties_weight
            if old[r].number and old[r].number == new[c].number and old[r].section == new[c].section:
                matrix[r, c] += settings.same_place_bonus
    return matrix


def match_items(old: list[Item], new: list[Item], settings: MatchSettings = DEFAULT) -> list[tuple[int, int, float]]:
    """(old index, new index, score) of the matched pairs, in the new order."""
    if not old or not new:
        return []
    matrix = scores(old, new, settings)
    scale = max(len(old), len(new))
    pairs = sorted(
        ((float(matrix[r, c]), -abs(r / len(old) - c / len(new)) * scale * settings.position_weight, r, c)
         for r in range(len(old)) for c in range(len(new)) if matrix[r, c] >= settings.threshold),
        reverse=True,
    )
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    matched = []
    for score, _, r, c in pairs:
        if r in taken_old or c in taken_new:
            continue
        taken_old.add(r)
        taken_new.add(c)
        matched.append((r, c, min(score, 100.0)))
    return sorted(matched, key=lambda m: m[1])
