"""N — numbering of clauses and roadmap items."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.validate.registry import Hit, rule
from pipeline.validate.rules._where import clause_at, item_at
from schemas import Order

_DOTTED = re.compile(r"^(\d+(?:\.\d+)*)\.?$")
_PAREN = re.compile(r"^(\d+)\)$")


def _parts(number: str | None) -> tuple[int, ...] | None:
    if not number:
        return None
    m = _DOTTED.match(number.strip()) or _PAREN.match(number.strip())
    return tuple(int(p) for p in m.group(1).split(".")) if m else None


def _sequence_faults(numbers: list[tuple[int, ...]]) -> Iterator[tuple[int, str, str]]:
    """(position, kind, message) for gaps, repeats and steps back among
    siblings, each number compared with the one before it."""
    seen: set[int] = set()
    previous: int | None = None
    for position, parts in enumerate(numbers):
        last = parts[-1]
        shown = ".".join(map(str, parts))
        if last in seen:
            yield position, "duplicate", f"номер {shown} повторяется"
        elif previous is not None and last < previous:
            yield position, "order", f"номер {shown} идёт после {'.'.join(map(str, parts[:-1] + (previous,)))}"
        elif last > (previous or 0) + 1:
            expected = ".".join(map(str, parts[:-1] + ((previous or 0) + 1,)))
            yield position, "gap", f"после {'.'.join(map(str, parts[:-1] + (previous,))) if previous else 'начала'} пропущен номер {expected}"
        seen.add(last)
        previous = max(previous or 0, last)


def _clause_groups(order: Order):
    groups: dict[tuple, list] = {}
    for clause in order.clauses:
        parts = _parts(clause.number)
        if parts is None:
            continue
        paren = clause.number.strip().endswith(")")
        key = ("paren", clause.parent) if paren else ("dotted", parts[:-1])
        groups.setdefault(key, []).append((parts if not paren else (parts[-1],), clause))
    return groups.values()


def _item_groups(order: Order):
    for r, roadmap in enumerate(order.roadmaps):
        numbered = [(i, item, _parts(item.number)) for i, item in enumerate(roadmap.items)]
        numbered = [(i, item, p) for i, item, p in numbered if p]
        # Flat numbers restart in each section when the first item of a later
        # section is 1 again (002: «2021 год» starts at 1).
        restarts = any(
            p == (1,) and i > 0 and roadmap.items[i - 1].section != item.section for i, item, p in numbered
        )
        groups: dict[tuple, list] = {}
        for i, item, parts in numbered:
            scope = item.section if (restarts and len(parts) == 1) else None
            groups.setdefault((scope, parts[:-1]), []).append((parts, (r, i, item)))
        yield from groups.values()


def _check(order: Order, wanted: str) -> Iterator[Hit]:
    for group in _clause_groups(order):
        for position, kind, message in _sequence_faults([p for p, _ in group]):
            if kind == wanted:
                clause = group[position][1]
                yield Hit(f"пункт {clause.number} документа: {message}", clause_at(clause))
    for group in _item_groups(order):
        for position, kind, message in _sequence_faults([p for p, _ in group]):
            if kind == wanted:
                r, i, item = group[position][1]
                where = f" (раздел «{item.section}»)" if item.section else ""
                yield Hit(f"пункт {item.number} плана{where}: {message}", item_at(r, i, item, "number"))


@rule("N001", "numbering-gap", "error", "В нумерации пунктов документа или плана пропущен номер.")
def numbering_gap(order: Order):
    """Нумерация с пропуском (1, 2, 4) — в пунктах и подпунктах документа или
    в пунктах плана (в каждом разделе отдельно, если нумерация в нём начинается
    заново).

    Почему: пропущенный номер — это потерянный пункт или строка либо
    незаконченная перенумерация.

    Плохо:  4.1., 4.3.
    Хорошо: 4.1., 4.2.
    """
    yield from _check(order, "gap")


@rule("N002", "numbering-duplicate", "error", "Номер повторяется.")
def numbering_duplicate(order: Order):
    """Один и тот же номер дважды на одном уровне нумерации.

    Почему: ссылка на «пункт 4.2» становится неоднозначной.

    Плохо:  4.1., 4.2., 4.2., 4.3.
    Хорошо: 4.1., 4.2., 4.3., 4.4.
    """
    yield from _check(order, "duplicate")


@rule("N003", "numbering-out-of-order", "error", "Номер меньше предыдущего.")
def numbering_out_of_order(order: Order):
    """Номер меньше стоящего перед ним.

    Почему: строки переставили без перенумерации, и ссылки указывают не на те
    строки.

    Плохо:  5., 7., 6.
    Хорошо: 5., 6., 7.
    """
    yield from _check(order, "order")


@rule("N004", "numbering-section-mismatch", "warning", "Номер пункта не соответствует номеру его раздела.")
def numbering_section_mismatch(order: Order):
    """Многоуровневый номер пункта, первая часть которого не совпадает с номером
    раздела («2.3.» в разделе «3.»).

    Почему: строку скопировали из другого раздела или раздел перенумеровали.

    Плохо:  раздел «3. Контрольные мероприятия», пункт «2.6.»
    Хорошо: раздел «3. Контрольные мероприятия», пункт «3.6.»
    """
    for r, roadmap in enumerate(order.roadmaps):
        sections = {f"{s.number} {s.title}".strip(): _parts(s.number.rstrip(".")) if s.number else None for s in roadmap.sections}
        for i, item in enumerate(roadmap.items):
            parts, section = _parts(item.number), sections.get(item.section or "")
            if parts and section and len(parts) > len(section) and parts[: len(section)] != section:
                yield Hit(f"пункт {item.number} стоит в разделе «{item.section}»", item_at(r, i, item, "number"))
