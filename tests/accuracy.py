"""How close an extracted order is to its golden JSON, item by item.

Items are matched by (section, number); an item is exact when every field
but the OCR confidence is equal.  Used by the scan tests and by
``bench/ocr_accuracy.py``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

FIELDS = ("number", "section", "activity", "description", "deadline", "responsibles", "result")
EXPECTED = Path(__file__).resolve().parent.parent / "corpus" / "expected"


def without_locations(value):
    if isinstance(value, dict):
        return {k: without_locations(v) for k, v in value.items() if k not in {"location", "source"}}
    if isinstance(value, list):
        return [without_locations(v) for v in value]
    return value


@dataclass
class Accuracy:
    items: int = 0
    found: int = 0
    exact: int = 0
    fields: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    # (item number, field, got, expected) for every field that differs.
    differences: list[tuple[str, str, object, object]] = field(default_factory=list)
    document_fields_right: list[str] = field(default_factory=list)
    document_fields_wrong: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.exact / self.items if self.items else 0.0


def compare(order_json: dict, expected: dict) -> Accuracy:
    got = without_locations(order_json)
    expected = without_locations(expected)
    by_key = {(i["section"], i["number"]): i for r in got["roadmaps"] for i in r["items"]}
    result = Accuracy()
    for want in (i for r in expected["roadmaps"] for i in r["items"]):
        result.items += 1
        have = by_key.get((want["section"], want["number"]))
        if have is None:
            result.differences.append((want["number"], "item", None, "missing"))
            continue
        result.found += 1
        exact = True
        for name in FIELDS:
            if have.get(name) == want.get(name):
                result.fields[name] += 1
            else:
                exact = False
                result.differences.append((want["number"], name, have.get(name), want.get(name)))
        result.exact += exact
    for name, value in expected["document"].items():
        (result.document_fields_right if got["document"].get(name) == value else result.document_fields_wrong).append(name)
    return result


def golden(stem: str) -> dict:
    return json.loads((EXPECTED / f"{stem}.json").read_text(encoding="utf-8"))
