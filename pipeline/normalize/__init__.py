"""Normalization: deadlines as date intervals, parties as resolved entities.

Reads and fills an :class:`~schemas.Order` produced by structure recovery;
never looks back at the layout.
"""

from __future__ import annotations

import datetime as dt
import re

from pipeline.lang.dates import month_number
from pipeline.lang.periods import Period, parse_period
from pipeline.lang.words import collapse
from pipeline.normalize.deadlines import DeadlineContext, month_year, normalize_deadline
from pipeline.normalize.parties import PartyDirectory, normalize_party
from schemas import Appendix, Order, PlanPeriod, Roadmap

# A section that names a month («Сентябрь», «СЕНТЯБРЬ 2019») or a day («25
# марта», «23марта»).
_SECTION_DAY = re.compile(r"^(?:(?P<day>\d{1,2})\s*)?(?P<month>[А-Яа-яЁё]+)\.?(?:\s+(?P<year>(?:19|20)\d{2})\s*(?:г\.?|года?)?)?$")


def _plan_period(*texts: str | None) -> Period | None:
    for text in texts:
        period = parse_period(text)
        if period:
            return period
    return None


def _anchor(order: Order, appendix: Appendix | None):
    if appendix and appendix.cites and appendix.cites.date:
        return appendix.cites.date
    return order.document.date


def _roadmap_context(order: Order, roadmap: Roadmap) -> tuple[Period | None, object]:
    appendix = next((a for a in order.appendices if a.index == roadmap.appendix), None)
    if roadmap.period is not None:
        # The period structure recovery found stated nearest above the table.
        period = Period(roadmap.period.start, roadmap.period.end, roadmap.period.academic)
    else:
        period = _plan_period(roadmap.title, appendix.title if appendix else None, order.document.title)
    return period, _anchor(order, appendix)


def _section_date(section: str | None) -> tuple[int | None, int, int | None] | None:
    """(day, month, year) a section names, or None: «Сентябрь» → (None, 9,
    None), «25 марта» → (25, 3, None), «Сентябрь 2019» → (None, 9, 2019)."""
    if not section:
        return None
    m = _SECTION_DAY.match(section.strip())
    if not m:
        return None
    month = month_number(m.group("month"))
    if month is None:
        return None
    day = int(m.group("day")) if m.group("day") else None
    if day is not None and not 1 <= day <= 31:
        return None
    return day, month, int(m.group("year")) if m.group("year") else None


def _early_months(roadmap: Roadmap) -> set[str]:
    """Month sections standing before «Сентябрь» in a table that runs in the
    school year's order («Август» opening the plan): they are in its first
    year."""
    early: set[str] = set()
    for section in roadmap.sections:
        text = collapse(f"{section.number or ''} {section.title}")  # as items name it
        found = _section_date(text)
        if found is None:
            continue
        if found[1] == 9:
            break
        early.add(text)
    return early


def _item_context(section: str | None, period: Period | None, anchor, early: set[str]) -> DeadlineContext:
    """The context of one item's deadline: its section's year, month or day
    first, then the plan period and the anchor date."""
    section_period = parse_period(section)
    base = DeadlineContext(section_period or period, anchor)
    found = _section_date(section)
    if found is None:
        return base
    day, month, year = found
    if year is None:
        year = month_year(month, base, first_year=section in early)
    if year is None:
        return base
    try:
        on_day = dt.date(year, month, day) if day else None
    except ValueError:
        on_day = None
    return DeadlineContext(base.period, anchor, (year, month), on_day)


def normalize(order: Order) -> Order:
    """Fill every deadline's interval and every party's resolution in place."""
    directory = PartyDirectory.of(order)
    for roadmap in order.roadmaps:
        period, anchor = _roadmap_context(order, roadmap)
        if period:
            roadmap.period = PlanPeriod(start=period.start, end=period.end, academic=period.academic)
        early = _early_months(roadmap) if period and period.academic else set()
        for item in roadmap.items:
            if item.deadline is not None:
                # The item's own section (a year, a month, a day) is the nearest context.
                context = _item_context(item.section, period, anchor, early)
                item.deadline = normalize_deadline(item.deadline.text, context)
            item.responsibles = [normalize_party(p, directory) for p in item.responsibles]
    return order
