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


@rule("N001", "numbering-gap", "error", "A number is skipped in clauses or roadmap items.")
def numbering_gap(order: Order):
    """Numbers that skip: 1, 2, 4 — among clauses, sub-clauses or the items of
    a roadmap (per section where numbering restarts).

    Why: a skipped number is a lost clause or row, or a renumbering left half done.

    Bad:  4.1., 4.3.
    Good: 4.1., 4.2.
    """
    yield from _check(order, "gap")


@rule("N002", "numbering-duplicate", "error", "A number appears twice.")
def numbering_duplicate(order: Order):
    """The same number twice among siblings.

    Why: references to «пункт 4.2» become ambiguous (000 numbers 4.2 twice).

    Bad:  4.1., 4.2., 4.2., 4.3.
    Good: 4.1., 4.2., 4.3., 4.4.
    """
    yield from _check(order, "duplicate")


@rule("N003", "numbering-out-of-order", "error", "A number goes back.")
def numbering_out_of_order(order: Order):
    """A number smaller than the one before it.

    Why: rows moved without renumbering; references point to the wrong row.

    Bad:  5., 7., 6.
    Good: 5., 6., 7.
    """
    yield from _check(order, "order")


@rule("N004", "numbering-section-mismatch", "warning", "An item's number does not belong to its section.")
def numbering_section_mismatch(order: Order):
    """A hierarchical item number whose first part differs from its numbered
    section («2.3.» under section «3.»).

    Why: the row was copied from another section, or the section renumbered.

    Bad:  section «3. Контрольные мероприятия», item «2.6.»
    Good: section «3. Контрольные мероприятия», item «3.6.»
    """
    for r, roadmap in enumerate(order.roadmaps):
        sections = {f"{s.number} {s.title}".strip(): _parts(s.number.rstrip(".")) if s.number else None for s in roadmap.sections}
        for i, item in enumerate(roadmap.items):
            parts, section = _parts(item.number), sections.get(item.section or "")
            if parts and section and len(parts) > len(section) and parts[: len(section)] != section:
                yield Hit(f"пункт {item.number} стоит в разделе «{item.section}»", item_at(r, i, item, "number"))
