"""The plan in time: lanes (sections or parties) of rows, each row the
marks of one item's deadline — a bar for an interval, a diamond for a day,
an open bar for «до …» / «с …», a period with ticks for a recurring task, a
note for a deadline without dates.  Drawn by :mod:`.draw` (SVG, PNG, HTML)
and laid out as a month grid in the XLSX (:mod:`pipeline.export.xlsx`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipeline.lang.months import add_months
from schemas import Finding, Item, Order

Grouping = str  # "section" or "party"
NO_SECTION = "Без раздела"
NO_PARTY = "Ответственный не указан"
# Recurrences by the months between their ticks; weekly and daily are drawn as a band.
STEP_MONTHS = {"monthly": 1, "quarterly": 3, "semiannually": 6, "annually": 12}


@dataclass(frozen=True)
class Mark:
    shape: str  # bar, diamond, open-start (no start: «до …»), open-end (no end: «с …»), band (recurring or whole period)
    start: dt.date
    end: dt.date
    ticks: tuple[dt.date, ...] = ()  # the days a recurring task comes round


@dataclass
class Row:
    roadmap: int
    item: int
    number: str
    activity: str
    deadline: str
    kind: str | None
    marks: list[Mark] = field(default_factory=list)
    note: str | None = None  # a deadline without dates: «по графику», «не распознан», «не указан»
    severity: str | None = None  # the worst finding on the item


@dataclass
class Lane:
    title: str
    rows: list[Row] = field(default_factory=list)
    key: str = ""  # the party's key, for a lane of a party


@dataclass
class Timeline:
    title: str
    grouping: Grouping
    start: dt.date
    end: dt.date
    lanes: list[Lane]
    today: dt.date | None

    @property
    def rows(self) -> list[Row]:
        return [row for lane in self.lanes for row in lane.rows]


def recurrence_ticks(start: dt.date, end: dt.date, recurrence: str | None) -> tuple[dt.date, ...]:
    step = STEP_MONTHS.get(recurrence or "")
    if not step:
        return ()
    ticks, day = [], start.replace(day=1)
    while day <= end:
        ticks.append(max(day, start))
        day = add_months(day, step)
    return tuple(ticks)


def item_marks(item: Item, period_start: dt.date, period_end: dt.date) -> tuple[list[Mark], str | None]:
    """How one deadline is drawn, and the note when it has no dates."""
    d = item.deadline
    if d is None or not d.text:
        return [], "срок не указан"
    if d.dates:
        return [Mark("diamond" if s.start == s.end else "bar", s.start, s.end) for s in d.dates], None
    if d.kind == "until" and d.end and d.start is None:
        return [Mark("open-start", min(period_start, d.end), d.end)], None
    if d.kind == "from" and d.start and d.end is None:
        return [Mark("open-end", d.start, max(period_end, d.start))], None
    if d.start and d.end:
        if d.recurrence or d.kind == "recurring":
            return [Mark("band", d.start, d.end, recurrence_ticks(d.start, d.end, d.recurrence))], None
        if d.kind == "throughout":
            return [Mark("band", d.start, d.end)], None
        return [Mark("diamond" if d.start == d.end else "bar", d.start, d.end)], None
    from pipeline.lang.labels import label

    return [], label("deadline_kind", d.kind or "unknown") if d.kind == "schedule" else "срок не распознан"


def _worst(findings: list[Finding]) -> str | None:
    from pipeline.validate import SEVERITY_ORDER

    return min((f.severity for f in findings), key=SEVERITY_ORDER.get, default=None)


def build_timeline(order: Order, grouping: Grouping = "section", findings: list[Finding] | None = None,
                   today: dt.date | None = None) -> Timeline:
    """The timeline of every roadmap of ``order`` (one lane list; several
    roadmaps' lanes are prefixed by the plan's title)."""
    if grouping not in {"section", "party"}:
        raise ValueError(grouping)
    flagged: dict[tuple[int, int], list[Finding]] = {}
    for f in findings or []:
        if f.location.roadmap is not None and f.location.item_index is not None:
            flagged.setdefault((f.location.roadmap, f.location.item_index), []).append(f)
    lanes: dict[str, Lane] = {}
    starts, ends = [], []
    for r, roadmap in enumerate(order.roadmaps):
        if roadmap.period:
            starts.append(roadmap.period.start)
            ends.append(roadmap.period.end)
        for item in roadmap.items:
            for d in ([item.deadline] if item.deadline else []):
                starts += [x for x in (d.start, *(s.start for s in d.dates)) if x]
                ends += [x for x in (d.end, *(s.end for s in d.dates)) if x]
    today = today or dt.date.today()
    if not starts:
        start = end = today
    else:
        start, end = min(starts), max(ends or starts)
    prefix = len(order.roadmaps) > 1
    for r, roadmap in enumerate(order.roadmaps):
        p_start = roadmap.period.start if roadmap.period else start
        p_end = roadmap.period.end if roadmap.period else end
        head = f"{roadmap.title or f'План {r + 1}'}: " if prefix else ""
        for i, item in enumerate(roadmap.items):
            marks, note = item_marks(item, p_start, p_end)
            row = Row(r, i, (item.number or "").rstrip("."), item.activity, item.deadline.text if item.deadline else "",
                      item.deadline.kind if item.deadline else None, marks, note, _worst(flagged.get((r, i), [])))
            if grouping == "section":
                titles = [item.section or NO_SECTION]
            else:
                titles = list(dict.fromkeys(p.key or p.text for p in item.responsibles)) or [NO_PARTY]
            for title in titles:
                lanes.setdefault(head + title, Lane(head + title, key=title)).rows.append(row)
    if grouping == "party":
        _name_party_lanes(order, lanes)
    title = order.roadmaps[0].title if len(order.roadmaps) == 1 and order.roadmaps[0].title else (order.document.title or "План мероприятий")
    return Timeline(title, grouping, start, end, list(lanes.values()), today if start <= today <= end else None)


def _name_party_lanes(order: Order, lanes: dict[str, Lane]) -> None:
    """Party lanes are keyed by the party's key, so «ТОИПКРО» and «Томский
    областной институт …» are one lane; it is named by the full name, with
    the abbreviation."""
    from pipeline.views import parties_view

    names = {}
    for party in parties_view(order):
        name = party["name"] or party["forms"][0]
        if party["abbreviation"] and party["abbreviation"] != name:
            name = f"{name} ({party['abbreviation']})"
        names[party["key"]] = name
    for lane in lanes.values():
        if lane.key in names:
            lane.title = lane.title[: len(lane.title) - len(lane.key)] + names[lane.key]
