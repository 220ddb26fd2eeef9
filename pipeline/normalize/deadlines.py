"""Deadlines («сроки») as date intervals.

A small grammar over tokens, written for what date libraries do not parse
(ranges, lists, months without a year, «в течение года»; dateparser #262):

    deadline   := schedule | throughout | open | parts
    schedule   := «по» (графику | плану … | потребности …)          → no dates
    throughout := «в течение» [year | «учебного года» | «года»]     → a period
    open       := («до» | «не позднее») point | («с» | «начиная с») point
    parts      := part ((«,» | «;» | «и») part)*
    part       := point [(«-» | «–» | «по») point]
    point      := dd.mm[.yyyy] | [day] month [year] | year | quarter [year] | half [year]

Words come from ``lang/data/deadlines.toml`` and months from ``months.toml``
through pymorphy3 lemmas, so «октябрь», «в октябре», «октября» are one month.
A year missing from the text is taken from the context (the item's year
section, the plan period in a title, the order's date), nearest first, and the
result is marked ``basis="inferred"``.  Nothing is guessed: text the grammar
does not cover is ``unknown`` with no dates.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from pipeline.lang.data import load
from pipeline.lang.dates import month_number
from pipeline.lang.morph import lemma
from pipeline.lang.periods import Period, parse_period
from pipeline.lang.words import collapse
from schemas import DateSpan, Deadline

_TOKEN = re.compile(
    r"(?P<date>\d{1,2}\.\d{1,2}(?:\.\d{2,4})?)|(?P<num>\d+)|(?P<word>[а-яёa-z]+\.?)|(?P<dash>[-–—−])|(?P<sep>[,;])|(?P<other>\S)"
)
_YEAR_WORDS = {"г", "г.", "гг", "гг.", "год", "года", "году", "годы", "годов"}
_FILLER = {"в", "во", "на", "течение", "срок", "сроки", "месяц", "месяца", "месяце"}


@dataclass(frozen=True, slots=True)
class DeadlineContext:
    """What a deadline's missing year can come from, nearest first: the plan
    period and the date the plan is anchored to (the order's date)."""

    period: Period | None = None
    anchor: dt.date | None = None


@dataclass(slots=True)
class _Point:
    """A point of a deadline before its year is settled."""

    month: int | None = None  # None for a whole year
    day: int | None = None
    year: int | None = None
    explicit: bool = False  # the year was written in the text
    last_month: int | None = None  # a quarter or half-year ends here
    until_start: bool = False  # «до мая»: up to the day before the month

    def span(self) -> tuple[dt.date, dt.date]:
        assert self.year is not None
        if self.month is None:
            return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
        if self.day is not None:
            day = dt.date(self.year, self.month, self.day)
            return day, day
        last = self.last_month or self.month
        return dt.date(self.year, self.month, 1), dt.date(self.year, last, calendar.monthrange(self.year, last)[1])


@dataclass(slots=True)
class _Tokens:
    items: list[tuple[str, str]]
    pos: int = 0

    def peek(self, k: int = 0) -> tuple[str, str] | None:
        return self.items[self.pos + k] if self.pos + k < len(self.items) else None

    def take(self) -> tuple[str, str]:
        tok = self.items[self.pos]
        self.pos += 1
        return tok

    def done(self) -> bool:
        return self.pos >= len(self.items)


def _tokens(text: str) -> list[tuple[str, str]]:
    return [(m.lastgroup, m.group()) for m in _TOKEN.finditer(text.lower())]


def _year(text: str) -> int | None:
    value = int(text)
    return value if 1990 <= value <= 2100 else None


def _number_word(word: str) -> int | None:
    parts = load("deadlines")["parts"]
    word = word.rstrip(".")
    if word in parts["roman"]:
        return parts["roman"][word]
    return parts["ordinals"].get(lemma(word))


def _parse_point(tokens: _Tokens) -> _Point | None:
    """One point; leaves the tokens after it.  None if no point starts here."""
    while not tokens.done() and tokens.peek()[1] in _FILLER:
        tokens.take()
    tok = tokens.peek()
    if tok is None:
        return None
    kind, text = tok
    point: _Point | None = None
    if kind == "date":
        tokens.take()
        parts = text.split(".")
        day, month = int(parts[0]), int(parts[1])
        year = None
        if len(parts) == 3 and parts[2]:
            year = int(parts[2]) + (2000 if len(parts[2]) == 2 else 0)
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        point = _Point(month=month, day=day, year=year, explicit=year is not None)
    elif kind == "num" and len(text) <= 2 and tokens.peek(1) and tokens.peek(1)[0] == "word" and month_number(tokens.peek(1)[1]):
        tokens.take()
        month = month_number(tokens.take()[1])
        point = _Point(month=month, day=int(text))
    elif kind == "word" and month_number(text):
        tokens.take()
        point = _Point(month=month_number(text))
    elif kind in {"num", "word"} and tokens.peek(1) and tokens.peek(1)[0] == "word":
        # «I квартал», «2 полугодие», «первое полугодие»
        number = int(text) if kind == "num" and len(text) == 1 else _number_word(text)
        unit = lemma(tokens.peek(1)[1].rstrip("."))
        parts = load("deadlines")["parts"]
        if number and unit in parts["quarter"] and 1 <= number <= 4:
            tokens.take(), tokens.take()
            point = _Point(month=3 * number - 2, last_month=3 * number)
        elif number and unit in parts["half"] and 1 <= number <= 2:
            tokens.take(), tokens.take()
            point = _Point(month=6 * number - 5, last_month=6 * number)
    if point is None and kind == "num" and _year(text):
        tokens.take()
        point = _Point(year=int(text), explicit=True)
    if point is None:
        return None
    # A year after the day and month: «мая 2020 г.», «сентябрь 2020 года».
    nxt = tokens.peek()
    if point.year is None and nxt and nxt[0] == "num" and _year(nxt[1]):
        tokens.take()
        point.year, point.explicit = int(nxt[1]), True
    while not tokens.done() and tokens.peek()[1] in _YEAR_WORDS:
        tokens.take()
    return point


def _parse_part(tokens: _Tokens) -> list[_Point] | None:
    """A point, or two points joined by a dash or «по»."""
    first = _parse_point(tokens)
    if first is None:
        return None
    nxt = tokens.peek()
    if nxt and (nxt[0] == "dash" or nxt[1] == "по"):
        tokens.take()
        second = _parse_point(tokens)
        if second is None:
            return None
        return [first, second]
    return [first]


def _parse_parts(text: str) -> list[list[_Point]] | None:
    tokens = _Tokens(_tokens(text))
    parts: list[list[_Point]] = []
    while not tokens.done():
        part = _parse_part(tokens)
        if part is None:
            return None
        parts.append(part)
        if tokens.done():
            break
        sep = tokens.take()
        if not (sep[0] == "sep" or sep[1] == "и"):
            return None
    return parts or None


def _spread_years(parts: list[list[_Point]]) -> None:
    """A year written once serves the points before it in a range or list
    («Апрель - май 2020», «15.06 - 30.06.2020», «Июнь, декабрь 2021»), and
    failing that the points after it."""
    points = [p for part in parts for p in part]
    following: int | None = None
    for p in reversed(points):
        if p.year is not None:
            following = p.year
        elif following is not None:
            p.year, p.explicit = following, True
    preceding: int | None = None
    for p in points:
        if p.year is not None:
            preceding = p.year
        elif preceding is not None:
            p.year, p.explicit = preceding, True


def _infer_year(point: _Point, context: DeadlineContext) -> None:
    if point.year is not None or point.month is None:
        return
    period, anchor = context.period, context.anchor
    if period and period.academic:
        point.year = period.start.year if point.month >= 9 else period.end.year
    elif period and period.start.year == period.end.year:
        point.year = period.start.year
    elif period:
        point.year = period.start.year
        if anchor and period.contains(anchor):
            for year in range(period.start.year, period.end.year + 1):
                if dt.date(year, point.month, calendar.monthrange(year, point.month)[1]) >= anchor:
                    point.year = year
                    break
    elif anchor:
        point.year = anchor.year


def _order_range(first: _Point, second: _Point) -> None:
    """«ноябрь – февраль»: an inferred end before the start is next year."""
    if first.year is None or second.year is None:
        return
    if second.span()[1] < first.span()[0]:
        if not second.explicit:
            second.year += 1
        elif not first.explicit:
            first.year -= 1


_EVERY = re.compile(r"раз\s+в\s+(квартал|месяц|год|полугодие|неделю)")
_EVERY_UNITS = {"квартал": "quarterly", "месяц": "monthly", "год": "annually", "полугодие": "semiannually", "неделю": "weekly"}
_RECURRENCE_FILLER = {"далее", "обновление", "проведение", "а", "также", "и"}


def _recurrence(text: str) -> tuple[str | None, str]:
    """The recurrence named in the text and the text left without it:
    «Май - август 2020, далее - ежегодное обновление» → annually, «Май -
    август 2020»; «ежегодно в сентябре» → annually, «в сентябре»."""
    table = load("deadlines")["recurrence"]
    found: str | None = None
    kept: list[str] = []
    for clause in re.split(r"[,;]", text):
        every = _EVERY.search(clause)
        if every:
            found = found or _EVERY_UNITS[every.group(1)]
            clause = clause[: every.start()] + clause[every.end() :]
        words = re.findall(r"[а-яё]+", clause)
        named = [table[lemma(w)] for w in words if lemma(w) in table]
        if named:
            found = found or named[0]
            clause = " ".join(w for w in re.findall(r"\S+", clause) if lemma(w.strip(".,")) not in table)
            rest = [w for w in re.findall(r"[а-яё]+", clause) if w not in _RECURRENCE_FILLER]
            if not rest and not re.search(r"\d", clause):
                continue
        if clause.strip(" -–—"):
            kept.append(clause.strip(" -–—"))
    return found, ", ".join(kept)


def _is_schedule(low: str) -> bool:
    data = load("deadlines")["schedule"]
    words = re.findall(r"[а-яё]+", low)
    if not words or any(month_number(w) for w in words) or re.search(r"\d", low):
        return False
    if words[0] == "по" and len(words) > 1 and lemma(words[1]) in data["after_po"]:
        return True
    return any(w in data["words"] or lemma(w) in data["words"] for w in words)


def _starts_with(low: str, phrases: list[str]) -> str | None:
    for phrase in sorted(phrases, key=len, reverse=True):
        if low == phrase or low.startswith(phrase + " "):
            return phrase
    return None


@dataclass(slots=True)
class _Result:
    kind: str
    spans: list[tuple[dt.date, dt.date, str]] = field(default_factory=list)
    start: dt.date | None = None
    end: dt.date | None = None
    explicit: bool | None = None


def _context_span(context: DeadlineContext, academic: bool = False) -> tuple[dt.date, dt.date] | None:
    period = context.period
    if academic and not (period and period.academic):
        anchor = context.anchor or (period.start if period else None)
        if anchor is None:
            return None
        first = anchor.year if anchor.month >= 9 else anchor.year - 1
        return dt.date(first, 9, 1), dt.date(first + 1, 8, 31)
    if period:
        return period.start, period.end
    if context.anchor:
        return dt.date(context.anchor.year, 1, 1), dt.date(context.anchor.year, 12, 31)
    return None


def _throughout(rest: str, context: DeadlineContext) -> _Result:
    period = parse_period(rest)
    if period:
        return _Result("throughout", start=period.start, end=period.end, explicit=True)
    academic = any(lemma(w) in load("deadlines")["period"]["academic"] for w in re.findall(r"[а-яё]+", rest))
    span = _context_span(context, academic)
    if span is None:
        return _Result("throughout")
    return _Result("throughout", start=span[0], end=span[1], explicit=False)


def _points_result(parts: list[list[_Point]], context: DeadlineContext) -> _Result:
    _spread_years(parts)
    points = [p for part in parts for p in part]
    for p in points:
        _infer_year(p, context)
    for part in parts:
        if len(part) == 2:
            _order_range(*part)
    if any(p.year is None for p in points):
        return _Result("unknown")
    try:
        spans = [(part[0].span()[0], part[-1].span()[1]) for part in parts]
    except ValueError:  # «31.02.2021»: no such day
        return _Result("unknown")
    explicit = all(p.explicit for p in points)
    if len(parts) > 1:
        kind = "list"
    elif len(parts[0]) == 2 or parts[0][0].last_month:
        kind = "range"
    elif parts[0][0].day is not None:
        kind = "date"
    elif parts[0][0].month is not None:
        kind = "month"
    else:
        kind = "throughout"
    return _Result(kind, [(s, e, "") for s, e in spans], min(s for s, _ in spans), max(e for _, e in spans), explicit)


def normalize_deadline(text: str, context: DeadlineContext = DeadlineContext()) -> Deadline:
    """The deadline with kind, interval, parts, recurrence and basis filled."""
    clean = collapse(text)
    low = clean.lower().rstrip(" .;,")
    deadline = Deadline(text=text)
    if not low:
        deadline.kind = "unknown"
        return deadline
    if _is_schedule(low):
        deadline.kind = "schedule"
        return deadline
    recurrence, rest = _recurrence(low)
    rest = rest.strip(" ,;-–—")
    result: _Result
    if not rest:
        span = _context_span(context) if recurrence else None
        result = _Result("recurring" if recurrence else "unknown")
        if span:
            result.start, result.end, result.explicit = span[0], span[1], False
    elif opener := _starts_with(rest, load("deadlines")["throughout"]["openers"]):
        result = _throughout(rest[len(opener) :], context)
    elif opener := _starts_with(rest, load("deadlines")["open"]["until"]):
        parts = _parse_parts(rest[len(opener) :])
        result = _Result("unknown")
        if parts and len(parts) == 1 and len(parts[0]) == 1:
            point = parts[0][0]
            if point.day is None and point.month is not None:
                point.until_start = True
            inner = _points_result(parts, context)
            if inner.kind != "unknown":
                end = inner.end
                if point.until_start:  # «до мая»: before May begins
                    end = inner.start - dt.timedelta(days=1)
                result = _Result("until", [(end, end, "")], None, end, inner.explicit)
    elif opener := _starts_with(rest, load("deadlines")["open"]["from"]):
        parts = _parse_parts(rest[len(opener) :])
        result = _Result("unknown")
        if parts and len(parts) == 1:
            inner = _points_result(parts, context)
            if inner.kind != "unknown":
                if len(parts[0]) == 2:
                    result = _Result("range", inner.spans, inner.start, inner.end, inner.explicit)
                else:
                    result = _Result("from", [(inner.start, inner.start, "")], inner.start, None, inner.explicit)
    else:
        parts = _parse_parts(rest)
        result = _points_result(parts, context) if parts else _Result("unknown")
    if recurrence and result.kind == "unknown" and rest:
        result = _Result("unknown")
    deadline.kind = result.kind
    deadline.recurrence = recurrence
    if result.kind == "unknown":
        return deadline
    deadline.start, deadline.end = result.start, result.end
    if result.kind == "list":
        deadline.dates = [DateSpan(start=s, end=e) for s, e, _ in result.spans]
    deadline.basis = None if result.explicit is None else ("explicit" if result.explicit else "inferred")
    return deadline
