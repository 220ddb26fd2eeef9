"""Two versions of an order compared: requisites, clauses, sections and
roadmap items (matched by :mod:`.match`), each matched pair field by field —
the activity's words, the deadline and how its interval moved, the parties
added and removed by key, the result."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from pipeline.corrections.changes import clause_changes, requisite_changes, word_diff
from pipeline.diff.match import DEFAULT, MatchSettings, match_items
from pipeline.lang.months import add_months, months_between
from pipeline.lang.numerals import count
from schemas import Item, Order
from schemas.diff import (
    DeadlineChange,
    FieldChange,
    Interval,
    ItemDiff,
    ItemRef,
    OrderDiff,
    PartyRef,
    SectionRename,
    Side,
    WordPiece,
)

_DIGITS = re.compile(r"\d+")
TEXT_FIELDS = {"activity": "мероприятие", "description": "описание", "result": "результат"}
LONG = 40  # texts longer than this get a word diff


def _side(order: Order, path: str) -> Side:
    return Side(path=path, kind=order.document.kind, number=order.document.number, date=order.document.date)


def _ref(roadmap: int, index: int, item: Item) -> ItemRef:
    return ItemRef(roadmap=roadmap, index=index, number=item.number, section=item.section, activity=item.activity)


def _field(key: str, label: str, before: str, after: str) -> FieldChange:
    words = [WordPiece(op=op, text=t) for op, t in word_diff(before, after)] if max(len(before), len(after)) > LONG else []
    return FieldChange(field=key, label=label, before=before, after=after, words=words)


def _interval(item: Item) -> Interval | None:
    d = item.deadline
    if d is None:
        return None
    return Interval(text=d.text, kind=d.kind, start=d.start, end=d.end)


def _shift_words(a: dt.date, b: dt.date) -> str:
    """«на 3 месяца», «на 12 дней»: how far ``b`` is from ``a``."""
    months = months_between(a, b)
    if abs(months) >= 1 and a.day == b.day or abs(months) >= 2:
        return f"на {count(abs(months), 'месяц')}"
    return f"на {count(abs((b - a).days), 'день')}"


def _moved(day: dt.date | None, months: int) -> dt.date | None:
    return add_months(day, months) if day is not None and months else day


def deadline_change(old: Item, new: Item, period_shift: int = 0) -> DeadlineChange | None:
    """How the deadline changed.  A plan republished for a new period
    (``period_shift`` months later) moves with it: «октябрь» of 2017/18 and
    «октябрь» of 2019/20 are the same place in the plan, and are compared so."""
    before, after = _interval(old), _interval(new)
    if (before.text if before else "") == (after.text if after else ""):
        return None
    if before is not None and period_shift:
        before = before.model_copy(update={"start": _moved(before.start, period_shift), "end": _moved(before.end, period_shift)})
    if before is None or after is None:
        return DeadlineChange(before=before, after=after, shift="other",
                              summary="срок добавлен" if before is None else "срок убран")
    open_before = before.end is None or before.kind in {"until", "from"}
    open_after = after.end is None or after.kind in {"until", "from"}
    if (before.start, before.end) == (after.start, after.end) and before.kind == after.kind:
        if period_shift and _DIGITS.sub("#", before.text) == _DIGITS.sub("#", after.text):
            return None  # «2021-2022» → «2025-2026» in a plan four years on: the same place in the plan
        same = "изменена запись, даты те же" + (" (в периоде нового плана)" if period_shift else "")
        return DeadlineChange(before=_interval(old), after=after, shift="same-dates", summary=same)
    if after.kind in {"until", "from"} and before.kind not in {"until", "from"} or (after.end is None and before.end is not None):
        return DeadlineChange(before=before, after=after, shift="open", summary="срок стал открытым" + (f" («{after.text}»)" if after.text else ""))
    if open_before and not open_after and after.start and after.end:
        return DeadlineChange(before=before, after=after, shift="closed", summary="открытый срок стал определённым")
    if before.end and after.end and before.end != after.end:
        later = after.end > before.end
        return DeadlineChange(before=before, after=after, shift="later" if later else "earlier",
                              summary=f"перенесён {_shift_words(before.end, after.end)} {'позже' if later else 'раньше'}")
    if before.start and after.start and before.start != after.start:
        later = after.start > before.start
        return DeadlineChange(before=before, after=after, shift="later" if later else "earlier",
                              summary=f"начало перенесено {_shift_words(before.start, after.start)} {'позже' if later else 'раньше'}")
    return DeadlineChange(before=before, after=after, shift="other", summary="срок изменён")


def _party_map(item: Item) -> dict[str, str]:
    return {p.key or p.text.lower(): p.name or p.text for p in item.responsibles}


def item_diff(r_old: int, i_old: int, old: Item, r_new: int, i_new: int, new: Item, similarity: float,
              period_shift: int = 0) -> ItemDiff:
    diff = ItemDiff(kind="unchanged", old=_ref(r_old, i_old, old), new=_ref(r_new, i_new, new), similarity=round(similarity, 1))
    if (old.number or "") != (new.number or ""):
        diff.events.append("renumbered")
        diff.fields.append(_field("number", "№", old.number or "", new.number or ""))
    if (old.section or "") != (new.section or ""):
        diff.events.append("moved")
        diff.fields.append(_field("section", "раздел", old.section or "", new.section or ""))
    for key, label in TEXT_FIELDS.items():
        before, after = getattr(old, key) or "", getattr(new, key) or ""
        if " ".join(before.split()) != " ".join(after.split()):
            diff.events.append("activity" if key != "result" else "result")
            diff.fields.append(_field(key, label, before, after))
    if (deadline := deadline_change(old, new, period_shift)) is not None:
        diff.deadline = deadline.model_copy(update={"before": _interval(old)})
        diff.events.append({"earlier": "deadline-earlier", "later": "deadline-later", "open": "deadline-open"}.get(deadline.shift, "deadline-changed"))
    before, after = _party_map(old), _party_map(new)
    diff.parties_added = [PartyRef(key=k, name=v) for k, v in after.items() if k not in before]
    diff.parties_removed = [PartyRef(key=k, name=v) for k, v in before.items() if k not in after]
    if diff.parties_added or diff.parties_removed:
        diff.events.append("parties")
    diff.events = list(dict.fromkeys(diff.events))
    if diff.events:
        diff.kind = "changed"
    return diff


def _renamed_sections(r: int, old_items: list[Item], new_items: list[Item], pairs) -> list[SectionRename]:
    """A section whose matched items mostly sit under one new title of another
    wording was renamed (not its items moved)."""
    votes: dict[str, Counter] = {}
    for i_old, i_new, _ in pairs:
        a, b = old_items[i_old].section, new_items[i_new].section
        if a and b:
            votes.setdefault(a, Counter())[b] += 1
    old_titles = {i.section for i in old_items if i.section}
    new_titles = {i.section for i in new_items if i.section}
    renames = []
    for before, counter in votes.items():
        after, hits = counter.most_common(1)[0]
        if after != before and before not in new_titles and after not in old_titles and hits * 2 > sum(counter.values()):
            renames.append(SectionRename(roadmap=r, before=before, after=after))
    return renames


def compare(old: Order, new: Order, old_path: str = "old", new_path: str = "new", settings: MatchSettings = DEFAULT) -> OrderDiff:
    """Two versions compared.  Deadlines are compared within their plans'
    periods: when the new plan is for a later period, its dates are set
    against the old ones moved by as many months."""
    diff = OrderDiff(old=_side(old, old_path), new=_side(new, new_path))
    diff.requisites = [FieldChange(field="requisite", label=c.field, before=c.before, after=c.after) for c in requisite_changes(old, new)]
    diff.clauses = [_field("clause", c.where, c.before, c.after) for c in clause_changes(old, new)]
    for r in range(max(len(old.roadmaps), len(new.roadmaps))):
        old_items = old.roadmaps[r].items if r < len(old.roadmaps) else []
        new_items = new.roadmaps[r].items if r < len(new.roadmaps) else []
        pairs = match_items(old_items, new_items, settings)
        old_period = old.roadmaps[r].period if r < len(old.roadmaps) else None
        new_period = new.roadmaps[r].period if r < len(new.roadmaps) else None
        shift = months_between(old_period.start, new_period.start) if old_period and new_period else 0
        renames = _renamed_sections(r, old_items, new_items, pairs)
        diff.sections_renamed += renames
        renamed = {(x.before, x.after) for x in renames}
        matched_old = {p[0] for p in pairs}
        by_new = {p[1]: p for p in pairs}
        for i_new, item in enumerate(new_items):
            if i_new not in by_new:
                diff.items.append(ItemDiff(kind="added", new=_ref(r, i_new, item), events=["added"]))
                continue
            i_old, _, score = by_new[i_new]
            one = item_diff(r, i_old, old_items[i_old], r, i_new, item, score, shift)
            if (old_items[i_old].section, item.section) in renamed:  # the section was renamed, the item did not move
                one.events = [e for e in one.events if e != "moved"]
                one.fields = [f for f in one.fields if f.field != "section"]
                one.kind = "changed" if one.events else "unchanged"
            diff.items.append(one)
        for i_old, item in enumerate(old_items):
            if i_old not in matched_old:
                diff.items.append(ItemDiff(kind="removed", old=_ref(r, i_old, item), events=["removed"]))
    events = Counter(e for item in diff.items for e in item.events)
    if diff.requisites:
        events["requisites"] = len(diff.requisites)
    if diff.clauses:
        events["clauses"] = len(diff.clauses)
    if diff.sections_renamed:
        events["section-renamed"] = len(diff.sections_renamed)
    diff.counts = {**Counter(i.kind for i in diff.items), **events}
    return diff
