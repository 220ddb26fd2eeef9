"""How close an extraction of a real document is to its hand-checked answer.

The answers are ``corpus/real/expected/*.json`` (made as
``corpus/real/EXPECTED.md`` says).  Real plans often have no numbers, or
numbers that repeat in every section, so items are not matched by number:
the expected and the extracted items of the whole document, each in reading
order, are aligned by the similarity of their activity text (an alignment
that keeps the order, as ``diff`` does); an expected item is *found* when its
partner's activity is at least ``MATCH`` similar.

Scored per found item: number, section, activity, description, deadline text,
deadline dates (start and end), responsibles (their texts, in order), result.
A row is *exact* when every one of them is right.  Metadata: each field of
``document`` the answer gives.  Used by ``bench/real_accuracy.py`` and the
ratchet test.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "corpus" / "real"
EXPECTED = REAL / "expected"
FIELDS = ("number", "section", "activity", "description", "deadline_text", "deadline_dates", "responsibles", "result")
MATCH = 0.6
DOCUMENT_FIELDS = ("kind", "authority", "date", "number", "place", "title", "signatory.position", "signatory.name")


def documents() -> list[Path]:
    """The real documents that have an expected file, by name."""
    return sorted(p for p in REAL.iterdir() if p.is_file() and (EXPECTED / f"{p.stem}.json").exists())


def expected(path: Path) -> dict:
    return json.loads((EXPECTED / f"{path.stem}.json").read_text("utf-8"))


def _value(item: dict, name: str):
    deadline = item.get("deadline") or None
    if name == "deadline_text":
        return deadline["text"] if deadline else None
    if name == "deadline_dates":
        return (deadline.get("start"), deadline.get("end")) if deadline else (None, None)
    if name == "responsibles":
        return [p["text"] for p in item.get("responsibles") or []]
    return item.get(name)


def _document_value(document: dict, name: str):
    value = document
    for part in name.split("."):
        value = (value or {}).get(part)
    return value


def _align(want: list[str], got: list[str]) -> list[int | None]:
    """For each expected activity, the index of its partner among the
    extracted ones (order kept), or None."""
    from rapidfuzz.distance import Indel
    from rapidfuzz.process import cdist

    if not want or not got:
        return [None] * len(want)
    similarity = cdist(want, got, scorer=Indel.normalized_similarity, workers=1)
    n, m = len(want), len(got)
    # Longest-path alignment: best total similarity of matched pairs.
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below = score[i], score[i + 1]
        sims = similarity[i]
        for j in range(m - 1, -1, -1):
            best = below[j] if below[j] > row[j + 1] else row[j + 1]
            s = sims[j]
            if s >= MATCH and below[j + 1] + s > best:
                best = below[j + 1] + s
            row[j] = best
    partners: list[int | None] = [None] * n
    i = j = 0
    while i < n and j < m:
        s = similarity[i][j]
        if s >= MATCH and abs(score[i][j] - (score[i + 1][j + 1] + s)) < 1e-9:
            partners[i] = j
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            i += 1
        else:
            j += 1
    return partners


@dataclass
class Score:
    items: int = 0
    found: int = 0
    exact: int = 0
    fields: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    extra_items: int = 0  # extracted items that match no expected one
    roadmaps_expected: int = 0
    roadmaps_found: int = 0
    metadata_right: int = 0
    metadata_total: int = 0
    # (item label, field, got, expected) for every cell that differs.
    differences: list[tuple[str, str, object, object]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "items": self.items, "found": self.found, "exact": self.exact, "fields": dict(self.fields),
            "metadata_right": self.metadata_right, "metadata_total": self.metadata_total,
            "roadmaps_expected": self.roadmaps_expected, "roadmaps_found": self.roadmaps_found,
        }


def score(got: dict | None, want: dict) -> Score:
    """``got``: the extracted order as JSON (None when it was refused)."""
    result = Score()
    if want.get("refused"):
        # The right output is a clear refusal: one point, for refusing.
        result.metadata_total = 1
        result.metadata_right = int(got is None)
        if got is not None:
            result.differences.append(("документ", "refused", "прочитан", "отказ: это не приказ и не план"))
        return result
    want_items = [(r, i) for r in want.get("roadmaps", []) for i in r["items"]]
    result.items = len(want_items)
    result.roadmaps_expected = len(want.get("roadmaps", []))
    for name in DOCUMENT_FIELDS:
        wanted = _document_value(want.get("document", {}), name)
        if name == "place" and "place" not in want.get("document", {}):
            continue
        result.metadata_total += 1
        have = _document_value((got or {}).get("document", {}), name) if got else None
        if have == wanted:
            result.metadata_right += 1
        else:
            result.differences.append(("документ", name, have, wanted))
    if got is None:
        result.differences.append(("документ", "item", None, f"{result.items} пунктов: документ не прочитан"))
        return result
    got_items = [i for r in got.get("roadmaps", []) for i in r["items"]]
    result.roadmaps_found = len(got.get("roadmaps", []))
    partners = _align([i["activity"] for _, i in want_items], [i["activity"] for i in got_items])
    matched = {j for j in partners if j is not None}
    result.extra_items = len(got_items) - len(matched)
    for index, ((_, item), partner) in enumerate(zip(want_items, partners)):
        label = f"{index + 1}:{item.get('number') or '—'}"
        if partner is None:
            result.differences.append((label, "item", None, item["activity"][:80]))
            continue
        result.found += 1
        have = got_items[partner]
        exact = True
        for name in FIELDS:
            if name == "description" and "description" not in item:
                result.fields[name] += 1
                continue
            if _value(have, name) == _value(item, name):
                result.fields[name] += 1
            else:
                exact = False
                result.differences.append((label, name, _value(have, name), _value(item, name)))
        result.exact += exact
    return result
