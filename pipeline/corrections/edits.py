"""Corrections a person makes to an order as read: one typed edit per kind of
fix, applied through the schema's models and followed by a new
normalization (deadlines are parsed again, parties resolved again).

Each roadmap item carries an identity for the life of a correction session
(``ids``, parallel to each roadmap's items): an item keeps it when it is
edited, moved, or split (the upper half), so that what changed can be told
against what was read, cell by cell, whatever rows were added or removed.
"""

from __future__ import annotations

import secrets
import unicodedata
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from pipeline.lang.dates import clean_number, find_date
from pipeline.normalize import normalize
from schemas import Clause, Deadline, Finding, Item, Order, Party, Section

ItemField = Literal["number", "section", "activity", "description", "deadline", "responsibles", "result"]
RequisiteField = Literal["kind", "number", "date", "authority", "title", "place", "preamble", "position", "name"]
# The columns a finding names, by the item field that holds them.
COLUMN_FIELD = {"responsible": "responsibles", "deadline": "deadline", "activity": "activity",
                "result": "result", "number": "number", "description": "description", "section": "section"}


class EditError(ValueError):
    """An edit that cannot be made; the message is Russian, for the user."""


class _Edit(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SetRequisite(_Edit):
    op: Literal["requisite"]
    field: RequisiteField
    value: str


class SetClause(_Edit):
    op: Literal["clause"]
    index: int
    number: str | None = None
    text: str


class AddClause(_Edit):
    op: Literal["add-clause"]
    after: int = Field(-1, description="the new clause follows this one; -1 puts it first")


class DeleteClause(_Edit):
    op: Literal["delete-clause"]
    index: int


class SetCell(_Edit):
    op: Literal["cell"]
    roadmap: int
    item: int
    field: ItemField
    value: str


class RenameSection(_Edit):
    op: Literal["section"]
    roadmap: int
    old: str
    new: str


class AddItem(_Edit):
    op: Literal["add-item"]
    roadmap: int
    after: int = Field(-1, description="the new row follows this item; -1 puts it first")


class DeleteItem(_Edit):
    op: Literal["delete-item"]
    roadmap: int
    item: int


class SplitItem(_Edit):
    """A row read as one that is two: each field's text for the upper and the lower row."""

    op: Literal["split-item"]
    roadmap: int
    item: int
    upper: dict[ItemField, str]
    lower: dict[ItemField, str]


class MergeItems(_Edit):
    """A row cut in two (by a page break, most often): the item and the next one become one."""

    op: Literal["merge-items"]
    roadmap: int
    item: int


class MoveItem(_Edit):
    op: Literal["move-item"]
    roadmap: int
    item: int
    to: int


class ApplyFix(_Edit):
    """The fix a finding carries, by the finding's position in the current
    findings; its code guards against a list that changed meanwhile."""

    op: Literal["fix"]
    finding: int
    code: str


Edit = Annotated[
    SetRequisite | SetClause | AddClause | DeleteClause | SetCell | RenameSection | AddItem | DeleteItem | SplitItem | MergeItems | MoveItem | ApplyFix,
    Field(discriminator="op"),
]
EDIT = TypeAdapter(Edit)


def new_id() -> str:
    return "n" + secrets.token_hex(4)


def read_ids(order: Order) -> list[list[str]]:
    """The identities of the items as read: roadmap and position."""
    return [[f"r{r}.{i}" for i in range(len(roadmap.items))] for r, roadmap in enumerate(order.roadmaps)]


def _clean(value: str) -> str:
    return unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _line(value: str) -> str:
    return " ".join(_clean(value).split())


def _roadmap(order: Order, index: int):
    if not 0 <= index < len(order.roadmaps):
        raise EditError("нет такой таблицы мероприятий")
    return order.roadmaps[index]


def _item_index(roadmap, index: int) -> int:
    if not 0 <= index < len(roadmap.items):
        raise EditError("нет такого пункта")
    return index


def set_item_field(item: Item, field: str, value: str) -> None:
    """One cell from the text a person typed; responsibles one per line."""
    if field == "deadline":
        text = _line(value)
        item.deadline = Deadline(text=text) if text else None
    elif field == "responsibles":
        item.responsibles = [Party(text=" ".join(line.split())) for line in _clean(value).split("\n") if line.strip()]
    elif field == "activity":
        item.activity = _line(value)
    elif field in {"number", "section", "description", "result"}:
        setattr(item, field, _line(value) or None)
    else:
        raise EditError("это поле не редактируется")


def item_field_text(item: Item, field: str) -> str:
    """A cell as the person edits it (the inverse of :func:`set_item_field`)."""
    if field == "deadline":
        return item.deadline.text if item.deadline else ""
    if field == "responsibles":
        return "\n".join(p.text for p in item.responsibles)
    return getattr(item, field) or ""


def _set_requisite(order: Order, field: str, value: str) -> None:
    meta = order.document
    text = _line(value)
    if field == "date":
        if not text:
            meta.date = meta.date_text = None
            return
        found = find_date(text)
        if found is None:
            raise EditError(f"«{text}» — не дата; напишите, например, «17.08.2021» или «17 августа 2021 г.»")
        meta.date, meta.date_text = found.date, found.text
    elif field == "number":
        meta.number = clean_number(text.lstrip("№N ")) or None
    elif field in {"position", "name"}:
        setattr(meta.signatory, field, text or None)
    elif field == "kind":
        meta.kind = text.lower() or None
    else:
        setattr(meta, field, text or None)


def _joined(upper: str | None, lower: str | None) -> str | None:
    parts = [p for p in (upper, lower) if p]
    return " ".join(parts) if parts else None


def _merge(upper: Item, lower: Item) -> Item:
    """Two halves of one row as one item: texts joined in reading order,
    parties of both (the same spelling once), the upper's number and place."""
    deadline = _joined(upper.deadline.text if upper.deadline else None, lower.deadline.text if lower.deadline else None)
    seen = {p.text for p in upper.responsibles}
    return upper.model_copy(
        update={
            "number": upper.number or lower.number,
            "section": upper.section or lower.section,
            "activity": _joined(upper.activity, lower.activity) or "",
            "description": _joined(upper.description, lower.description),
            "deadline": Deadline(text=deadline) if deadline else None,
            "responsibles": [*upper.responsibles, *(p for p in lower.responsibles if p.text not in seen)],
            "result": _joined(upper.result, lower.result),
            "extra": {k: _joined(upper.extra.get(k), lower.extra.get(k)) or "" for k in {**upper.extra, **lower.extra}},
            "confidence": {},
        },
        deep=True,
    )


def _replace_once(text: str | None, old: str, new: str) -> str | None:
    if text is None or old not in text:
        return None
    return text.replace(old, new)


def apply_fix(order: Order, finding: Finding) -> None:
    """Put a finding's fix where it points: a misspelt abbreviation in its
    cell or clause, the number or date an appendix heading cites."""
    loc = finding.location
    if not finding.fix or not finding.replaces:
        raise EditError(f"у замечания {finding.code} нет исправления, которое можно внести само")
    if loc.roadmap is not None and loc.item_index is not None:
        roadmap = _roadmap(order, loc.roadmap)
        item = roadmap.items[_item_index(roadmap, loc.item_index)]
        fields = [COLUMN_FIELD.get(loc.column or "", "")] if loc.column else ["activity", "responsibles", "result", "description"]
        for field in fields:
            if field == "responsibles":
                for party in item.responsibles:
                    if (fixed := _replace_once(party.text, finding.replaces, finding.fix)) is not None:
                        party.text = fixed
                        return
            elif field and (fixed := _replace_once(getattr(item, field) if field != "deadline" else (item.deadline.text if item.deadline else None), finding.replaces, finding.fix)) is not None:
                set_item_field(item, field, fixed)
                return
    elif loc.appendix is not None:
        appendix = next((a for a in order.appendices if a.index == loc.appendix), None)
        if appendix is not None and appendix.cites is not None:
            cites = appendix.cites
            if cites.number == finding.replaces:
                cites.number = finding.fix
            elif cites.date_text == finding.replaces:
                found = find_date(finding.fix)
                cites.date, cites.date_text = (found.date if found else cites.date), finding.fix
            else:
                raise EditError("в заголовке приложения уже нет того, что исправляется")
            if appendix.heading and finding.replaces in appendix.heading:
                appendix.heading = appendix.heading.replace(finding.replaces, finding.fix, 1)
            return
    elif loc.clause is not None:
        for clause in order.clauses:
            if clause.number == loc.clause and (fixed := _replace_once(clause.text, finding.replaces, finding.fix)) is not None:
                clause.text = fixed
                return
    raise EditError(f"замечание {finding.code}: исправляемый текст «{finding.replaces}» уже изменён")


def apply(order: Order, ids: list[list[str]], edit, findings: list[Finding] | None = None) -> None:
    """Make ``edit`` on ``order`` (and its item ``ids``) in place, then
    normalize.  Raises :class:`EditError` for an edit that cannot be made."""
    if isinstance(edit, SetRequisite):
        _set_requisite(order, edit.field, edit.value)
    elif isinstance(edit, SetClause):
        if not 0 <= edit.index < len(order.clauses):
            raise EditError("нет такого пункта документа")
        text = _line(edit.text)
        if not text:
            raise EditError("пункт документа не может быть пустым; чтобы убрать его, удалите пункт")
        clause = order.clauses[edit.index]
        clause.text, clause.number = text, (_line(edit.number) or None) if edit.number is not None else clause.number
    elif isinstance(edit, AddClause):
        if not -1 <= edit.after < len(order.clauses):
            raise EditError("нет такого пункта документа")
        order.clauses.insert(edit.after + 1, Clause(text="Новый пункт"))
    elif isinstance(edit, DeleteClause):
        if not 0 <= edit.index < len(order.clauses):
            raise EditError("нет такого пункта документа")
        del order.clauses[edit.index]
    elif isinstance(edit, SetCell):
        roadmap = _roadmap(order, edit.roadmap)
        set_item_field(roadmap.items[_item_index(roadmap, edit.item)], edit.field, edit.value)
    elif isinstance(edit, RenameSection):
        roadmap = _roadmap(order, edit.roadmap)
        new = _line(edit.new)
        if not new:
            raise EditError("название раздела не может быть пустым")
        touched = False
        for section in roadmap.sections:
            if section.title == edit.old:
                section.title, touched = new, True
        for item in roadmap.items:
            if item.section == edit.old:
                item.section, touched = new, True
        if not touched:
            raise EditError(f"нет раздела «{edit.old}»")
    elif isinstance(edit, AddItem):
        roadmap = _roadmap(order, edit.roadmap)
        if not -1 <= edit.after < len(roadmap.items):
            raise EditError("нет такого пункта")
        neighbour = roadmap.items[edit.after] if edit.after >= 0 else (roadmap.items[0] if roadmap.items else None)
        roadmap.items.insert(edit.after + 1, Item(section=neighbour.section if neighbour else None))
        ids[edit.roadmap].insert(edit.after + 1, new_id())
    elif isinstance(edit, DeleteItem):
        roadmap = _roadmap(order, edit.roadmap)
        del roadmap.items[_item_index(roadmap, edit.item)]
        del ids[edit.roadmap][edit.item]
    elif isinstance(edit, SplitItem):
        roadmap = _roadmap(order, edit.roadmap)
        item = roadmap.items[_item_index(roadmap, edit.item)]
        lower = Item(section=item.section, location=item.location.model_copy())
        for field, text in edit.upper.items():
            set_item_field(item, field, text)
        for field, text in edit.lower.items():
            set_item_field(lower, field, text)
        item.confidence = {}
        roadmap.items.insert(edit.item + 1, lower)
        ids[edit.roadmap].insert(edit.item + 1, new_id())
    elif isinstance(edit, MergeItems):
        roadmap = _roadmap(order, edit.roadmap)
        index = _item_index(roadmap, edit.item)
        if index + 1 >= len(roadmap.items):
            raise EditError("у последнего пункта нет следующего, с которым его объединить")
        roadmap.items[index : index + 2] = [_merge(roadmap.items[index], roadmap.items[index + 1])]
        del ids[edit.roadmap][index + 1]
    elif isinstance(edit, MoveItem):
        roadmap = _roadmap(order, edit.roadmap)
        index = _item_index(roadmap, edit.item)
        to = _item_index(roadmap, edit.to)
        item = roadmap.items.pop(index)
        roadmap.items.insert(to, item)
        ids[edit.roadmap].insert(to, ids[edit.roadmap].pop(index))
        # A row moved across a section boundary joins the section it lands in.
        neighbours = [roadmap.items[k] for k in (to - 1, to + 1) if 0 <= k < len(roadmap.items)]
        if neighbours and all(n.section != item.section for n in neighbours):
            item.section = (roadmap.items[to - 1] if to > 0 else neighbours[0]).section
    elif isinstance(edit, ApplyFix):
        if findings is None or not 0 <= edit.finding < len(findings) or findings[edit.finding].code != edit.code:
            raise EditError("замечания изменились — обновите страницу")
        apply_fix(order, findings[edit.finding])
    else:  # pragma: no cover — the union is closed
        raise EditError("неизвестная правка")
    _sync_sections(order)
    normalize(order)


def _sync_sections(order: Order) -> None:
    """A section an item was given that the roadmap does not list yet is
    listed after the section of the item before it; none is dropped (a
    section may be printed with no rows)."""
    for roadmap in order.roadmaps:
        titles = [s.title for s in roadmap.sections]
        previous = None
        for item in roadmap.items:
            if item.section and item.section not in titles:
                at = titles.index(previous) + 1 if previous in titles else len(titles)
                titles.insert(at, item.section)
                roadmap.sections.insert(at, Section(title=item.section))
            previous = item.section or previous
