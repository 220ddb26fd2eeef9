"""D — deadlines («сроки»)."""

from __future__ import annotations

from pipeline.validate.registry import Hit, rule
from pipeline.validate.rules._where import item_at, label
from schemas import Order

_DATED = {"date", "month", "range", "list", "until", "from", "throughout", "recurring"}


def _fmt(day) -> str:
    return day.strftime("%d.%m.%Y")


def _items(order: Order):
    for r, roadmap in enumerate(order.roadmaps):
        for i, item in enumerate(roadmap.items):
            yield r, roadmap, i, item


@rule("D001", "deadline-not-understood", "warning", "The deadline text is not a date, period or schedule the parser knows.")
def deadline_not_understood(order: Order):
    """A deadline that could not be read as dates, a period or a schedule.

    Why: a machine cannot plan or check an item whose deadline it cannot read;
    a person should look at it (often a typo or a free-text remark).

    Bad:  «после согласования бюджета»
    Good: «до 1 марта 2021 г.», «по отдельному графику»
    """
    for r, _, i, item in _items(order):
        if item.deadline and item.deadline.kind == "unknown":
            yield Hit(f"{label(item)}: срок «{item.deadline.text}» не распознан как дата или период", item_at(r, i, item, "deadline"))


@rule("D002", "deadline-outside-plan-period", "warning", "The deadline falls outside the plan period stated in the title.")
def deadline_outside_period(order: Order):
    """A deadline outside the period the plan states in its title.

    Why: «План на 2020 – 2021 учебный год» with an item due in December 2021 is
    either a typo in the year or an item that belongs to another plan.

    Bad:  plan «на 2020 – 2021 учебный год», deadline «декабрь 2021 г.»
    Good: plan «на 2020 – 2021 учебный год», deadline «декабрь 2020 г.»
    """
    for r, roadmap, i, item in _items(order):
        d, period = item.deadline, roadmap.period
        if not (d and period and d.kind in _DATED):
            continue
        if (d.start and d.start < period.start) or (d.end and d.end > period.end):
            span = f"{_fmt(d.start) if d.start else '…'} – {_fmt(d.end) if d.end else '…'}"
            yield Hit(
                f"{label(item)}: срок «{d.text}» ({span}) выходит за период плана {_fmt(period.start)} – {_fmt(period.end)}",
                item_at(r, i, item, "deadline"),
            )


@rule("D003", "deadline-start-after-end", "error", "A range or a part of a list starts after it ends.")
def deadline_start_after_end(order: Order):
    """A range whose start comes after its end.

    Why: «май – март 2021 г.» cannot be done; one of the months or years is wrong.

    Bad:  «октябрь 2021 г. – май 2020 г.»
    Good: «октябрь 2020 г. – май 2021 г.»
    """
    for r, _, i, item in _items(order):
        d = item.deadline
        if not d:
            continue
        spans = [(p.start, p.end) for p in d.dates] or [(d.start, d.end)]
        if any(s and e and s > e for s, e in spans):
            yield Hit(f"{label(item)}: в сроке «{d.text}» начало позже окончания", item_at(r, i, item, "deadline"))


@rule("D004", "deadline-before-order", "warning", "The whole deadline is over before the order's date.")
def deadline_before_order(order: Order):
    """A deadline that ends before the order was signed.

    Why: usually a wrong year; sometimes a plan approved after the fact
    (retroactive plans exist, so this is a warning).

    Bad:  order of 10.06.2021, deadline «май 2020 года»
    Good: order of 10.06.2021, deadline «сентябрь 2021 года»
    """
    signed = order.document.date
    if signed is None:
        return
    for r, _, i, item in _items(order):
        d = item.deadline
        if d and d.kind in _DATED and d.end and d.end < signed:
            yield Hit(
                f"{label(item)}: срок «{d.text}» истекает ({_fmt(d.end)}) раньше даты документа {_fmt(signed)}",
                item_at(r, i, item, "deadline"),
            )


@rule("D005", "deadline-out-of-order", "warning", "The parts of a list of dates are not in time order.")
def deadline_out_of_order(order: Order):
    """A list of dates whose parts go back in time.

    Why: «ноябрь 2021 г., сентябрь 2020 г.» is usually a mistyped year.

    Bad:  «Сентябрь 2021 года; ноябрь 2020 года»
    Good: «Сентябрь 2020 года; ноябрь 2020 года»
    """
    for r, _, i, item in _items(order):
        d = item.deadline
        if d and d.kind == "list" and any(b.start < a.start for a, b in zip(d.dates, d.dates[1:])):
            yield Hit(f"{label(item)}: даты в сроке «{d.text}» идут не по порядку", item_at(r, i, item, "deadline"))


@rule("D006", "deadline-missing", "warning", "The item has no deadline.")
def deadline_missing(order: Order):
    """An item with an empty deadline cell.

    Why: every activity of a roadmap needs a term; an empty cell is usually a
    lost line or a cell merged by mistake.

    Bad:  | 5. | Анкетирование школ |  | МОЦ |
    Good: | 5. | Анкетирование школ | октябрь 2020 г. | МОЦ |
    """
    for r, _, i, item in _items(order):
        if item.deadline is None and item.activity:
            yield Hit(f"{label(item)}: не указан срок", item_at(r, i, item, "deadline"))
