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


@rule("D001", "deadline-not-understood", "warning", "Срок не распознан как дата, период или график.")
def deadline_not_understood(order: Order):
    """Срок, который не удалось прочитать как даты, период или график.

    Почему: пункт, срок которого не прочитан, программа не может ни запланировать,
    ни проверить; такой срок должен посмотреть человек (часто это опечатка или
    произвольное примечание).

    Плохо:  «после согласования бюджета»
    Хорошо: «до 1 марта 2021 г.», «по отдельному графику»
    """
    for r, _, i, item in _items(order):
        if item.deadline and item.deadline.kind == "unknown":
            yield Hit(f"{label(item)}: срок «{item.deadline.text}» не распознан как дата или период", item_at(r, i, item, "deadline"))


@rule("D002", "deadline-outside-plan-period", "warning", "Срок выходит за период плана, указанный в его наименовании.")
def deadline_outside_period(order: Order):
    """Срок за пределами периода, на который, согласно наименованию, составлен план.

    Почему: если план называется «План на 2020 – 2021 учебный год», а срок пункта —
    декабрь 2021 г., то это либо опечатка в годе, либо пункт из другого плана.

    Плохо:  план «на 2020 – 2021 учебный год», срок «декабрь 2021 г.»
    Хорошо: план «на 2020 – 2021 учебный год», срок «декабрь 2020 г.»
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


@rule("D003", "deadline-start-after-end", "error", "Период или часть перечня сроков начинается позже, чем заканчивается.")
def deadline_start_after_end(order: Order):
    """Период, начало которого позже окончания.

    Почему: срок «май – март 2021 г.» выполнить невозможно: один из месяцев или
    годов указан неверно.

    Плохо:  «октябрь 2021 г. – май 2020 г.»
    Хорошо: «октябрь 2020 г. – май 2021 г.»
    """
    for r, _, i, item in _items(order):
        d = item.deadline
        if not d:
            continue
        spans = [(p.start, p.end) for p in d.dates] or [(d.start, d.end)]
        if any(s and e and s > e for s, e in spans):
            yield Hit(f"{label(item)}: в сроке «{d.text}» начало позже окончания", item_at(r, i, item, "deadline"))


@rule("D004", "deadline-before-order", "warning", "Срок целиком истёк до даты документа.")
def deadline_before_order(order: Order):
    """Срок, который закончился до подписания документа.

    Почему: обычно это ошибка в годе; иногда план утверждают уже после того, как
    мероприятия прошли (такое бывает, поэтому это только предупреждение).

    Плохо:  приказ от 10.06.2021, срок «май 2020 года»
    Хорошо: приказ от 10.06.2021, срок «сентябрь 2021 года»
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


@rule("D005", "deadline-out-of-order", "warning", "Даты в перечне идут не в хронологическом порядке.")
def deadline_out_of_order(order: Order):
    """Перечень дат, в котором более поздняя дата стоит перед более ранней.

    Почему: срок «ноябрь 2021 г., сентябрь 2020 г.» обычно означает опечатку в годе.

    Плохо:  «Сентябрь 2021 года; ноябрь 2020 года»
    Хорошо: «Сентябрь 2020 года; ноябрь 2020 года»
    """
    for r, _, i, item in _items(order):
        d = item.deadline
        if d and d.kind == "list" and any(b.start < a.start for a, b in zip(d.dates, d.dates[1:])):
            yield Hit(f"{label(item)}: даты в сроке «{d.text}» идут не по порядку", item_at(r, i, item, "deadline"))


@rule("D006", "deadline-missing", "warning", "У пункта не указан срок.")
def deadline_missing(order: Order):
    """Пункт плана с пустой ячейкой срока.

    Почему: у каждого мероприятия плана должен быть срок; пустая ячейка — обычно
    потерянная строка или ошибочно объединённые ячейки.

    Плохо:  | 5. | Анкетирование школ |  | МОЦ |
    Хорошо: | 5. | Анкетирование школ | октябрь 2020 г. | МОЦ |
    """
    for r, _, i, item in _items(order):
        if item.deadline is None and item.activity:
            yield Hit(f"{label(item)}: не указан срок", item_at(r, i, item, "deadline"))
