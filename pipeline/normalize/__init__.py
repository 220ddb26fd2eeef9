"""Normalization: deadlines as date intervals, parties as resolved entities.

Reads and fills an :class:`~schemas.Order` produced by structure recovery;
never looks back at the layout.
"""

from __future__ import annotations

from pipeline.normalize.deadlines import DeadlineContext, Period, normalize_deadline, parse_period
from pipeline.normalize.parties import PartyDirectory, normalize_party
from schemas import Appendix, Order, PlanPeriod, Roadmap


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


def normalize(order: Order) -> Order:
    """Fill every deadline's interval and every party's resolution in place."""
    directory = PartyDirectory.of(order)
    for roadmap in order.roadmaps:
        period, anchor = _roadmap_context(order, roadmap)
        if period:
            roadmap.period = PlanPeriod(start=period.start, end=period.end, academic=period.academic)
        for item in roadmap.items:
            if item.deadline is not None:
                # The item's own year section is the nearest context.
                section_period = parse_period(item.section)
                context = DeadlineContext(section_period or period, anchor)
                item.deadline = normalize_deadline(item.deadline.text, context)
            item.responsibles = [normalize_party(p, directory) for p in item.responsibles]
    return order
