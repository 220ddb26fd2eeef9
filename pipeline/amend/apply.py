"""An amending order's instructions applied to the order it amends: the
consolidated order, and for each instruction what was done — or why it could
not be (the row or clause it names is not there, the words to replace are
not in it, the order it cites is another one).  Nothing is guessed: an
instruction that cannot be applied exactly leaves the order as it was."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.amend.instructions import Instruction, recognise
from pipeline.corrections.edits import COLUMN_FIELD, item_field_text, set_item_field
from pipeline.lang.numerals import count
from pipeline.normalize import normalize
from pipeline.structure.roadmap import column_role
from schemas import Clause, Item, Order



@dataclass
class Outcome:
    instruction: Instruction
    applied: bool
    message: str  # Russian: what was done, or why not


@dataclass
class Amended:
    order: Order
    outcomes: list[Outcome] = field(default_factory=list)
    cites_base: bool = True  # the amending order names the base order by its number and date

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.applied]


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").strip().rstrip(".") == (b or "").strip().rstrip(".")


def _cites(amending: Order, base: Order) -> bool:
    """The amending order's title or clauses cite the base order's number."""
    text = " ".join([amending.document.title or "", *(c.text for c in amending.clauses)])
    return bool(base.document.number) and base.document.number in text


def _items(order: Order, number: str) -> list[tuple[int, int, Item]]:
    return [(r, i, item) for r, roadmap in enumerate(order.roadmaps) for i, item in enumerate(roadmap.items) if _same(item.number, number)]


def _only(found: list, where: str, number: str):
    """The one thing numbered ``number``: none, or several, is an instruction not to apply."""
    if not found:
        raise LookupError(f"в {where} нет пункта {number}")
    if len(found) > 1:
        raise LookupError(f"в {where} {len(found)} пункта с номером {number} — какой менять, не ясно")
    return found[0]


def _one_item(order: Order, number: str) -> tuple[int, int, Item]:
    return _only(_items(order, number), "плане", number)


def _clause_index(order: Order, number: str) -> int:
    return _only([k for k, c in enumerate(order.clauses) if _same(c.number, number)], "приказе", number)


def _replace_words(order: Order, ins: Instruction) -> str:
    if ins.target == "order":
        clause = order.clauses[_clause_index(order, ins.number)]
        if ins.old not in clause.text:
            raise LookupError(f"в пункте {ins.number} приказа нет слов «{ins.old}»")
        clause.text = clause.text.replace(ins.old, ins.new)
        return f"пункт {ins.number} приказа: «{ins.old}» → «{ins.new}»"
    _, _, item = _one_item(order, ins.number)
    if ins.column:
        role = column_role(ins.column)
        if role not in COLUMN_FIELD:  # a column's role, from its header word as the reader finds it
            raise LookupError(f"графа «{ins.column}» не узнана")
        fields = [COLUMN_FIELD[role]]
    else:
        fields = ["activity", "description", "deadline", "responsibles", "result"]
    for name in fields:
        text = item_field_text(item, name)
        if ins.old in text:
            set_item_field(item, name, text.replace(ins.old, ins.new))
            where = f" в графе «{ins.column}»" if ins.column else ""
            return f"пункт {ins.number} плана{where}: «{ins.old}» → «{ins.new}»"
    where = f" в графе «{ins.column}»" if ins.column else ""
    raise LookupError(f"в пункте {ins.number} плана{where} нет слов «{ins.old}»")


def _delete(order: Order, ins: Instruction) -> str:
    if ins.target == "order":
        del order.clauses[_clause_index(order, ins.number)]
        return f"пункт {ins.number} приказа исключён"
    r, i, _ = _one_item(order, ins.number)
    del order.roadmaps[r].items[i]
    return f"пункт {ins.number} плана исключён"


def _wording(order: Order, ins: Instruction, rows: list[Item]) -> str:
    if ins.target == "order":
        if not ins.new:
            raise LookupError("новая редакция пункта не приведена")
        k = _clause_index(order, ins.number)
        text = ins.new.strip()
        prefix = order.clauses[k].number or ""
        if prefix and text.startswith(prefix):
            text = text[len(prefix):].strip()
        order.clauses[k] = order.clauses[k].model_copy(update={"text": text})
        return f"пункт {ins.number} приказа изложен в новой редакции"
    r, i, item = _one_item(order, ins.number)
    if rows:  # the row is given as a table in the amending order
        row = rows.pop(0)
        order.roadmaps[r].items[i] = row.model_copy(update={"number": row.number or item.number, "section": item.section})
    elif ins.new:
        set_item_field(item, "activity", ins.new.strip().removeprefix(item.number or "").strip())
    else:
        raise LookupError("новая редакция строки не приведена (ни текстом, ни таблицей)")
    return f"пункт {ins.number} плана изложен в новой редакции"


def _add(order: Order, ins: Instruction, rows: list[Item]) -> str:
    if ins.target == "order":
        if not ins.new:
            raise LookupError("текст нового пункта не приведён")
        if any(_same(c.number, ins.number) for c in order.clauses):
            raise LookupError(f"в приказе уже есть пункт {ins.number}")
        text = ins.new.strip().removeprefix(ins.number).removeprefix(".").strip()
        order.clauses.append(Clause(number=ins.number + ".", text=text, level=ins.number.count(".") + 1))
        return f"приказ дополнен пунктом {ins.number}"
    if not order.roadmaps:
        raise LookupError("в приказе нет плана, который дополнить")
    roadmap = order.roadmaps[0]
    if _items(order, ins.number):
        raise LookupError(f"в плане уже есть пункт {ins.number}")
    if rows:
        row = rows.pop(0).model_copy(update={"number": ins.number})
    elif ins.new:
        row = Item(number=ins.number, activity=ins.new.strip())
    else:
        raise LookupError("текст новой строки не приведён (ни текстом, ни таблицей)")
    # After the row it follows in numbering: «4.3» after «4.2», «12» after «11»; else at the end of its section.
    head, _, last = ins.number.rstrip(".").rpartition(".")
    before = f"{head}.{int(last) - 1}" if head and last.isdigit() else str(int(last) - 1) if last.isdigit() else None
    at = next((k + 1 for k, item in enumerate(roadmap.items) if before and _same(item.number, before)), None)
    if at is None and head:
        at = max((k + 1 for k, item in enumerate(roadmap.items) if (item.number or "").startswith(head + ".")), default=None)
    if at is None:
        at = len(roadmap.items)
    neighbour = roadmap.items[at - 1] if at else None
    row.section = ins.section or (neighbour.section if neighbour else None)
    if neighbour and (neighbour.number or "").endswith(".") and not row.number.endswith("."):
        row.number += "."  # numbered as the plan numbers its rows: «6.1.» after «6.»
    roadmap.items.insert(at, row)
    return f"план дополнен пунктом {ins.number}"


def _replace_appendix(order: Order, amending: Order) -> str:
    if not amending.roadmaps:
        raise LookupError("новая редакция приложения не приложена (в приказе нет таблицы плана)")
    order.roadmaps = [r.model_copy(deep=True) for r in amending.roadmaps]
    return f"план изложен в новой редакции ({count(sum(len(r.items) for r in amending.roadmaps), 'пункт')})"


def apply_amendment(base: Order, amending: Order) -> Amended:
    """``base`` with every instruction of ``amending`` that can be applied."""
    order = base.model_copy(deep=True)
    result = Amended(order, cites_base=_cites(amending, base))
    instructions = recognise(amending.clauses)
    # Rows given as a table in the amending order serve the instructions that need rows, in order —
    # unless the whole appendix is replaced by that table.
    whole = any(i.kind == "replace-appendix" for i in instructions)
    rows = [] if whole else [item for roadmap in amending.roadmaps for item in roadmap.items]
    for ins in instructions:
        if ins.kind == "not-understood":
            result.outcomes.append(Outcome(ins, False, "указание не распознано — внесите его вручную"))
            continue
        try:
            if ins.kind == "replace-words":
                done = _replace_words(order, ins)
            elif ins.kind == "delete":
                done = _delete(order, ins)
            elif ins.kind == "wording":
                done = _wording(order, ins, rows)
            elif ins.kind == "add":
                done = _add(order, ins, rows)
            else:
                done = _replace_appendix(order, amending)
        except LookupError as exc:
            result.outcomes.append(Outcome(ins, False, str(exc)))
            continue
        result.outcomes.append(Outcome(ins, True, done))
    normalize(order)
    return result
