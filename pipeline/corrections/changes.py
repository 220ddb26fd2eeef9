"""What a person changed: the corrected order against the order as read,
field by field, items followed by their identity (so a moved or split row
is told as such, not as every row below it changed)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from schemas import Item, Order

ITEM_FIELDS = {
    "number": "№",
    "section": "раздел",
    "activity": "мероприятие",
    "description": "описание",
    "deadline": "срок",
    "responsibles": "ответственные",
    "result": "результат",
}
REQUISITES = {
    "kind": "вид документа",
    "authority": "орган",
    "date": "дата",
    "number": "номер",
    "place": "место издания",
    "title": "заголовок",
    "preamble": "преамбула",
    "position": "должность подписавшего",
    "name": "подписал",
}
_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Change:
    kind: str  # changed, added, removed, moved
    where: str  # «реквизиты», «пункт 3 документа», «план 1, пункт 2.4»
    field: str  # Russian name of the field, "" for a whole row
    before: str
    after: str
    roadmap: int | None = None
    item: int | None = None  # position in the corrected roadmap, when it is still there

    def as_row(self) -> dict:
        from pipeline.lang.labels import label

        return {"Что": label("change_kind", self.kind), "Где": self.where, "Поле": self.field,
                "Было": self.before, "Стало": self.after}


def item_values(item: Item) -> dict[str, str]:
    return {
        "number": item.number or "",
        "section": item.section or "",
        "activity": item.activity or "",
        "description": item.description or "",
        "deadline": item.deadline.text if item.deadline else "",
        "responsibles": "; ".join(p.text for p in item.responsibles),
        "result": item.result or "",
    }


def _requisites(order: Order) -> dict[str, str]:
    meta = order.document
    return {
        "kind": meta.kind or "",
        "authority": meta.authority or "",
        "date": meta.date.strftime("%d.%m.%Y") if meta.date else "",
        "number": meta.number or "",
        "place": meta.place or "",
        "title": meta.title or "",
        "preamble": meta.preamble or "",
        "position": meta.signatory.position or "",
        "name": meta.signatory.name or "",
    }


def _clause_name(clause, position: int) -> str:
    return f"пункт {(clause.number or str(position + 1)).rstrip('.')} документа"


def _item_name(item: Item, position: int) -> str:
    return f"пункт {item.number.rstrip('.')}" if item.number else f"строка {position + 1}"


def changes(read: Order, read_ids: list[list[str]], order: Order, ids: list[list[str]]) -> list[Change]:
    out = requisite_changes(read, order) + clause_changes(read, order)
    for a_read, a_now in zip(read.appendices, order.appendices):
        if (a_read.heading or "") != (a_now.heading or ""):
            out.append(Change("changed", f"приложение {a_now.number or a_now.index}", "заголовок", a_read.heading or "", a_now.heading or ""))
    for r, roadmap in enumerate(order.roadmaps):
        old = read.roadmaps[r] if r < len(read.roadmaps) else None
        out += _roadmap_changes(r, old, read_ids[r] if old else [], roadmap, ids[r], len(order.roadmaps) > 1)
    return out


def requisite_changes(read: Order, order: Order) -> list[Change]:
    """The requisites that differ (``Change.field`` is the Russian name; the
    key is in ``REQUISITES``)."""
    before, after = _requisites(read), _requisites(order)
    return [Change("changed", "реквизиты", name, before[key], after[key]) for key, name in REQUISITES.items() if before[key] != after[key]]


def clause_changes(read: Order, order: Order) -> list[Change]:
    """Clauses aligned by their texts: changed, added, removed, renumbered."""
    out: list[Change] = []
    old = [c.text for c in read.clauses]
    new = [c.text for c in order.clauses]
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = list(zip(range(i1, i2), range(j1, j2)))
        for i, j in pairs:
            out.append(Change("changed", _clause_name(order.clauses[j], j), "текст", old[i], new[j]))
        for i in range(i1 + len(pairs), i2):
            out.append(Change("removed", _clause_name(read.clauses[i], i), "", old[i], ""))
        for j in range(j1 + len(pairs), j2):
            out.append(Change("added", _clause_name(order.clauses[j], j), "", "", new[j]))
    for i, j in ((i, j) for block in matcher.get_matching_blocks() for i, j in zip(range(block.a, block.a + block.size), range(block.b, block.b + block.size))):
        if (read.clauses[i].number or "") != (order.clauses[j].number or ""):
            out.append(Change("changed", _clause_name(order.clauses[j], j), "номер", read.clauses[i].number or "", order.clauses[j].number or ""))
    return out


def _roadmap_changes(r: int, old, old_ids: list[str], roadmap, new_ids: list[str], several: bool) -> list[Change]:
    prefix = f"план {r + 1}, " if several else ""
    out: list[Change] = []
    old_at = {key: k for k, key in enumerate(old_ids)}
    new_set = set(new_ids)
    kept = [key for key in new_ids if key in old_at]
    in_order = difflib.SequenceMatcher(a=[key for key in old_ids if key in new_set], b=kept, autojunk=False)
    steady = {kept[j] for block in in_order.get_matching_blocks() for j in range(block.b, block.b + block.size)}
    for k, key in enumerate(new_ids):
        item = roadmap.items[k]
        if key not in old_at:
            values = item_values(item)
            text = " · ".join(v for f, v in values.items() if v and f != "section")
            out.append(Change("added", prefix + _item_name(item, k), "", "", text, r, k))
            continue
        was = old.items[old_at[key]]
        name = prefix + _item_name(was, old_at[key])
        if key not in steady:
            out.append(Change("moved", name, "", f"позиция {old_at[key] + 1}", f"позиция {k + 1}", r, k))
        before, after = item_values(was), item_values(item)
        for field, title in ITEM_FIELDS.items():
            if before[field] != after[field]:
                out.append(Change("changed", name, title, before[field], after[field], r, k))
    for key, k in old_at.items():
        if key not in new_set:
            was = old.items[k]
            text = " · ".join(v for f, v in item_values(was).items() if v and f != "section")
            out.append(Change("removed", prefix + _item_name(was, k), "", text, "", r, None))
    return out


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """(op, text) pieces, op one of "same", "del", "ins": what a person sees
    struck out and added, by words (spaces kept)."""
    a, b = _TOKENS.findall(before), _TOKENS.findall(after)
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("ins", "".join(b[j1:j2])))
    return pieces
