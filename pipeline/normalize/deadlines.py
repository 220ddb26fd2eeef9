"""Deadlines («сроки») as date intervals.

A small grammar over tokens, written for what date libraries do not parse
(ranges, lists, months without a year, «в течение года»; dateparser #262):

    deadline   := schedule | open | parts
    schedule   := «по» (графику | плану … | потребности …), «согласно …»   → no dates
    open       := («до» | «не позднее») point | («с» | «начиная с») point
    parts      := part ((«,» | «;» | «и» | nothing) part)*
    part       := throughout | every | schedule | point [(«-» | «–» | «по») point]
    throughout := «в течение» [year | «учебного года» | «года» | «месяца» | «дня» | month]
    every      := [N] «раз(а) в» [N] unit | weekday | «каждого» unit      → the plan period
    point      := dd.mm[.yyyy] | [day[-day]] month [year] | year | quarter [year]
                | half [year] | N[-M] «неделя» [month] | N «половина» [month]

Words come from ``lang/data/deadlines.toml`` and months from ``months.toml``
through pymorphy3 lemmas, so «октябрь», «в октябре», «октября» are one month.
A year missing from the text is taken from the context (the item's section, the
plan period in a title or heading, the order's date), nearest first, and the
result is marked ``basis="inferred"``.  A week or a half of a month without
its month takes the month of the item's section («СЕНТЯБРЬ» … «3 неделя»), a
time of day («10.00-11.00») the day of the item's section («25 марта»).
Nothing is guessed: text the grammar does not cover is ``unknown`` with no
dates.
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
    r"(?P<date>\d{1,2}\.\d{1,2}(?:\.\d{2,4})?)|(?P<num>\d+)|(?P<word>[а-яёa-z]+\.?)|(?P<dash>[-–—−])|(?P<sep>[,;])"
    r"|(?P<open>\()|(?P<close>\))|(?P<other>\S)"
)
_YEAR_WORDS = {"г", "г.", "гг", "гг.", "год", "года", "году", "годы", "годов"}
_FILLER = {"в", "во", "на", "течение", "срок", "сроки", "месяц", "месяца", "месяце"}
_JOINERS = {"и", "а", "но", "также", "далее", "не", "реже", "чаще", "затем"}
# A time of day, or a range or list of them: «10.00-11.00», «С 15.30-17.00»,
# «14:00- 16.00», «19..30-21.00», «10.00-11-00», «9.00-13.00, 16.00-18.00».
_TIME = r"(?:[01]?\d|2[0-4])\s?[.:]{1,2}\s?[0-5]\d"
_TIMES = re.compile(rf"^(?:[сc]\s*|в\s+)?{_TIME}(?:\s*[-–—]\s*(?:{_TIME}|\d{{1,2}}-\d{{2}}))?(?:\s*,\s*{_TIME}(?:\s*[-–—]\s*{_TIME})?)*$")


@dataclass(frozen=True, slots=True)
class DeadlineContext:
    """What a deadline's missing parts can come from, nearest first: the
    month or day the item's section names, the plan period and the date the
    plan is anchored to (the order's date)."""

    period: Period | None = None
    anchor: dt.date | None = None
    month: tuple[int, int] | None = None  # (year, month) of the item's month section
    day: dt.date | None = None  # the day of the item's day section («25 марта»)


@dataclass(slots=True)
class _Point:
    """A point of a deadline before its year is settled."""

    month: int | None = None  # None for a whole year
    day: int | None = None
    year: int | None = None
    explicit: bool = False  # the year was written in the text
    last_month: int | None = None  # a quarter or half-year ends here
    until_start: bool = False  # «до мая»: up to the day before the month
    days: tuple[int, int] | None = None  # a part of the month: a week, a half, «15-30»

    def span(self) -> tuple[dt.date, dt.date]:
        assert self.year is not None
        if self.month is None:
            return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
        last_day = calendar.monthrange(self.year, self.month)[1]
        if self.days is not None:
            first, last = self.days
            return dt.date(self.year, self.month, first), dt.date(self.year, self.month, min(last, last_day))
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


def _unit(word: str | None) -> str | None:
    """«неделя», «половина», «квартал», «полугодие» for a unit word."""
    if not word:
        return None
    base = lemma(word.rstrip("."))
    parts = load("deadlines")["parts"]
    for unit in ("week", "halfmonth", "quarter", "half"):
        if base in parts[unit]:
            return unit
    return None


def _month_after(tokens: _Tokens, context: DeadlineContext) -> tuple[int | None, int | None, int]:
    """The month a week or half of a month belongs to: written after it
    («3 неделя сентября»), «месяца», or the item's section; (month, year,
    tokens taken)."""
    nxt = tokens.peek()
    if nxt and nxt[0] == "word" and month_number(nxt[1]):
        return month_number(nxt[1]), None, 1
    taken = 1 if nxt and nxt[0] == "word" and lemma(nxt[1].rstrip(".")) == "месяц" else 0
    if context.month:
        return context.month[1], context.month[0], taken
    return None, None, taken


def _part_of_month(unit: str, first: int, last: int, month: int | None) -> tuple[int, int] | None:
    if month is None:
        return None
    if unit == "week" and 1 <= first <= last <= 5:
        return 7 * (first - 1) + 1, 7 * last
    if unit == "halfmonth" and 1 <= first <= last <= 2:
        return (1 if first == 1 else 16), (15 if last == 1 else 31)
    return None


def _parse_point(tokens: _Tokens, context: DeadlineContext) -> _Point | None:
    """One point; leaves the tokens after it.  None if no point starts here."""
    start = tokens.pos
    while not tokens.done() and tokens.peek()[1] in _FILLER:
        tokens.take()
    tok = tokens.peek()
    if tok is None:
        tokens.pos = start
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
            tokens.pos = start
            return None
        point = _Point(month=month, day=day, year=year, explicit=year is not None)
    elif kind in {"num", "word"} and (kind == "word" and _number_word(text) or kind == "num" and len(text) <= 2):
        point = _numbered_point(tokens, context)
    elif kind == "word" and month_number(text):
        tokens.take()
        point = _Point(month=month_number(text))
    if point is None and kind == "num" and _year(text):
        tokens.take()
        point = _Point(year=int(text), explicit=True)
    season = load("months")["seasons"].get(lemma(text.rstrip("."))) if point is None and kind == "word" else None
    if season:
        tokens.take()
        point = _Point(month=season[0], last_month=season[1])
    if point is None:
        tokens.pos = start
        return None
    # A year after the day and month: «мая 2020 г.», «сентябрь 2020 года».
    nxt = tokens.peek()
    if point.year is None and nxt and nxt[0] == "num" and _year(nxt[1]):
        tokens.take()
        point.year, point.explicit = int(nxt[1]), True
    while not tokens.done() and tokens.peek()[1] in _YEAR_WORDS:
        tokens.take()
    return point


def _numbered_point(tokens: _Tokens, context: DeadlineContext) -> _Point | None:
    """Points that open with a number or an ordinal: «15 мая», «15-30 ноября»,
    «I квартал», «3-4 квартал», «первое полугодие», «3 неделя [сентября]»,
    «1-2 неделя», «1 половина месяца», «Вторая половина месяца»."""
    save = tokens.pos
    kind, text = tokens.take()
    first = int(text) if kind == "num" else _number_word(text)
    last = first
    if tokens.peek() and tokens.peek()[0] == "dash" and tokens.peek(1) and tokens.peek(1)[0] == "num":
        dash_at = tokens.pos
        tokens.take()
        last = int(tokens.take()[1])
        # «15-30 ноября», «3-4 квартал», «1-2 неделя»; not «1 - 2020» and the like.
        nxt = tokens.peek()
        if not (nxt and nxt[0] == "word" and (month_number(nxt[1]) or _unit(nxt[1]))):
            tokens.pos = dash_at
            last = first
    nxt = tokens.peek()
    if first is None or nxt is None or nxt[0] != "word":
        tokens.pos = save
        return None
    if month_number(nxt[1]) and kind == "num" and 1 <= first <= last <= 31:
        tokens.take()
        month = month_number(nxt[1])
        if last != first:
            return _Point(month=month, days=(first, last))
        return _Point(month=month, day=first)
    unit = _unit(nxt[1])
    if unit == "quarter" and 1 <= first <= last <= 4:
        tokens.take()
        return _Point(month=3 * first - 2, last_month=3 * last)
    if unit == "half" and 1 <= first <= last <= 2:
        tokens.take()
        return _Point(month=6 * first - 5, last_month=6 * last)
    if unit in {"week", "halfmonth"}:
        tokens.take()
        month, year, taken = _month_after(tokens, context)
        days = _part_of_month(unit, first, last, month)
        if days is None:
            tokens.pos = save
            return None
        for _ in range(taken):
            tokens.take()
        return _Point(month=month, year=year, days=days)
    tokens.pos = save
    return None


def _parse_part(tokens: _Tokens, context: DeadlineContext) -> list[_Point] | None:
    """A point, or two points joined by a dash or «по»."""
    first = _parse_point(tokens, context)
    if first is None:
        return None
    nxt = tokens.peek()
    if nxt and (nxt[0] == "dash" or nxt[1] == "по"):
        save = tokens.pos
        tokens.take()
        second = _parse_point(tokens, context)
        if second is None:
            tokens.pos = save
            # «4 неделя по плану …»: «по» opens what follows, not a range.
            return [first] if nxt[1] == "по" else None
        return [first, second]
    return [first]


def _parse_parts(text: str, context: DeadlineContext) -> list[list[_Point]] | None:
    tokens = _Tokens(_tokens(text))
    parts: list[list[_Point]] = []
    while not tokens.done():
        part = _parse_part(tokens, context)
        if part is None:
            return None
        parts.append(part)
        if tokens.done():
            break
        sep = tokens.peek()
        if sep[0] == "sep" or sep[1] == "и":
            tokens.take()
    return parts or None


def _spread_years(parts: list[list[_Point]]) -> None:
    """A year written once serves the points before it in a range or list
    («Апрель - май 2020», «15.06 - 30.06.2020», «Июнь, декабрь 2021»), and
    failing that the points after it."""
    points = [p for part in parts for p in part]
    following: int | None = None
    for p in reversed(points):
        if p.year is not None and p.explicit:
            following = p.year
        elif p.year is None and following is not None:
            p.year, p.explicit = following, True
    preceding: int | None = None
    for p in points:
        if p.year is not None and p.explicit:
            preceding = p.year
        elif p.year is None and preceding is not None:
            p.year, p.explicit = preceding, True


def month_year(month: int, context: DeadlineContext, first_year: bool = False) -> int | None:
    """The year of a month written without one: the school year's months,
    September–December in its first year and January–August in its second
    (``first_year``: a month section that opens the plan before September);
    a one-year plan's year; in a plan of several years the first year whose
    month is not over by the anchor date; else the anchor's year."""
    period, anchor = context.period, context.anchor
    if period and period.academic:
        return period.start.year if (month >= 9 or first_year) else period.end.year
    if period and period.start.year == period.end.year:
        return period.start.year
    if period:
        if anchor and period.contains(anchor):
            for year in range(period.start.year, period.end.year + 1):
                if dt.date(year, month, calendar.monthrange(year, month)[1]) >= anchor:
                    return year
        return period.start.year
    if anchor:
        return anchor.year
    return None


def _infer_year(point: _Point, context: DeadlineContext) -> None:
    """A part of a year takes the year its last month falls in: «3-4 квартал»
    of a school year is July–December of its first year."""
    if point.year is not None or point.month is None:
        return
    point.year = month_year(point.last_month or point.month, context)


def _order_range(first: _Point, second: _Point, context: DeadlineContext) -> None:
    """«ноябрь – февраль»: an inferred end before the start is next year; in
    a school year a range the months' rule turns backwards («август-сентябрь»,
    «3-4 квартал») starts in the year before its end."""
    if first.year is None or second.year is None:
        return
    if second.span()[1] < first.span()[0]:
        academic = context.period is not None and context.period.academic
        if academic and not first.explicit:
            first.year -= 1
        elif not second.explicit:
            second.year += 1
        elif not first.explicit:
            first.year -= 1


_EVERY = re.compile(
    r"(?:(?P<count>\d+|[а-яё]+)\s+)?раза?\s+в\s+(?:(?P<n>\d+)\s+)?(?P<unit>[а-яё]+)"
)
_RECURRENCE_FILLER = {"далее", "обновление", "проведение", "а", "также", "и"}


def _every_unit(word: str) -> str | None:
    return load("deadlines")["every"].get(lemma(word))


def _recurrence(text: str) -> tuple[str | None, str]:
    """The recurrence an adverb names and the text left without it:
    «Май - август 2020, далее - ежегодное обновление» → annually, «Май -
    август 2020»; «ежегодно в сентябре» → annually, «в сентябре».  «N раз в
    …» stays in the text: it is a part of the deadline (``_parse_every``)."""
    table = load("deadlines")["recurrence"]
    found: str | None = None
    kept: list[str] = []
    for clause in re.split(r"[,;]", text):
        words = re.findall(r"[а-яё]+", clause)
        named = [table[lemma(w)] for w in words if lemma(w) in table]
        if named:
            found = found or named[0]
            clause = " ".join(w for w in re.findall(r"\S+", clause) if lemma(w.strip(".,()")) not in table)
            rest = [w for w in re.findall(r"[а-яё]+", clause) if w not in _RECURRENCE_FILLER]
            if not rest and not re.search(r"\d", clause):
                continue
        if clause.strip(" -–—"):
            kept.append(clause.strip(" -–—"))
    return found, ", ".join(kept)


def _parse_every(tokens: _Tokens) -> str | None:
    """«1 раз в квартал», «два раза в год», «раз в 14 дней», «не реже 1 раза
    в месяц», «понедельник», «последняя среда каждого месяца»: the recurrence,
    with the tokens after it; None if none starts here."""
    save = tokens.pos
    data = load("deadlines")
    rest = " ".join(t for _, t in tokens.items[tokens.pos :])
    m = _EVERY.match(rest)
    if m and _every_unit(m.group("unit")) and (m.group("count") is None or m.group("count").isdigit() or m.group("count") in data["counts"] or lemma(m.group("count")) in data["counts"]):
        used = len(_tokens(m.group(0)))
        tokens.pos += used
        return _every_unit(m.group("unit"))
    tok = tokens.peek()
    if tok and tok[0] == "word":
        base = lemma(tok[1].rstrip("."))
        if base in data["weekdays"]:
            tokens.take()
            return "weekly"
        if base in {"каждый", "ежедневный"} and tokens.peek(1) and _every_unit(tokens.peek(1)[1]):
            tokens.take()
            return _every_unit(tokens.take()[1])
        if base == "последний" and tokens.peek(1) and lemma(tokens.peek(1)[1]) in data["weekdays"]:
            tokens.take(), tokens.take()
            return "monthly"
    tokens.pos = save
    return None


def _starts_schedule(tokens: _Tokens) -> bool:
    data = load("deadlines")["schedule"]
    tok = tokens.peek()
    if tok is None or tok[0] != "word":
        return False
    word = tok[1].rstrip(".")
    nxt = tokens.peek(1)
    if word == "по" and nxt and nxt[0] == "word":
        after = nxt[1].rstrip(".")
        return lemma(after) in data["after_po"] or after in data["after_po"] or any(after.startswith(p) for p in data["after_po_prefixes"])
    if word in data["openers"] or lemma(word) in data["openers"]:
        return True
    return word in data["words"] or lemma(word) in data["words"]


def _is_schedule(low: str) -> bool:
    data = load("deadlines")["schedule"]
    words = re.findall(r"[а-яё]+", low)
    if not words or any(month_number(w) for w in words) or re.search(r"\d", low) or _EVERY.search(low):
        return False
    tokens = _Tokens(_tokens(low))
    if _starts_schedule(tokens):
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


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _throughout(rest: str, context: DeadlineContext) -> _Result:
    """What «в течение …» covers: a year written («в течение 2021 года»), a
    month («в течение сентября»), the section's month («в течение месяца»),
    the section's day («в течение дня»), else the plan period («в течение
    года», «постоянно»)."""
    period = parse_period(rest)
    if period:
        return _Result("throughout", start=period.start, end=period.end, explicit=True)
    words = re.findall(r"[а-яё]+", rest)
    first = lemma(words[0]) if words else None
    if words and month_number(words[0]):
        month = month_number(words[0])
        year = month_year(month, context)
        if year is None:
            return _Result("unknown")
        start, end = _month_span(year, month)
        return _Result("throughout", start=start, end=end, explicit=False)
    if first == "месяц" and context.month:
        start, end = _month_span(*context.month)
        return _Result("throughout", start=start, end=end, explicit=False)
    if first == "день" or (not words and context.day):
        if context.day is None:
            return _Result("unknown")
        return _Result("throughout", start=context.day, end=context.day, explicit=False)
    academic = any(lemma(w) in load("deadlines")["period"]["academic"] for w in words)
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
            _order_range(*part, context)
    if any(p.year is None for p in points):
        return _Result("unknown")
    try:
        spans = [(part[0].span()[0], part[-1].span()[1]) for part in parts]
    except ValueError:  # «31.02.2021»: no such day
        return _Result("unknown")
    explicit = all(p.explicit for p in points)
    first = parts[0][0]
    if len(parts) > 1:
        kind = "list"
    elif len(parts[0]) == 2 or first.last_month or first.days:
        kind = "range"
    elif first.day is not None:
        kind = "date"
    elif first.month is not None:
        kind = "month"
    else:
        kind = "throughout"
    return _Result(kind, [(s, e, "") for s, e in spans], min(s for s, _ in spans), max(e for _, e in spans), explicit)


@dataclass(slots=True)
class _Part:
    """One part of a deadline that lists several: dated points, a
    «throughout», a recurrence or a schedule."""

    kind: str  # points, throughout, every, schedule
    points: list[list[_Point]] = field(default_factory=list)
    text: str = ""
    recurrence: str | None = None


_SCHOOL_YEAR = re.compile(r"(?:(?:на|в)\s+)?\d{4}\s*[/–—-]\s*\d{2,4}\s*(?:г\.\s*)?учебн\w*\s+год\w*\.?", re.I)
_THROUGHOUT_WORDS = {"года", "год", "учебного", "учебный", "месяца", "дня", "периода", "всего", "недели"}


def _parse_sequence(text: str, context: DeadlineContext) -> list[_Part] | None:
    """The parts of a deadline that lists several, in any mixture: «4
    неделя В течение месяца», «09.10-02.11 1 раз в месяц», «Сентябрь и по мере
    необходимости», «По плану занятий, но не реже 2 раз в год»."""
    openers = load("deadlines")["throughout"]["openers"]
    tokens = _Tokens(_tokens(text))
    parts: list[_Part] = []
    while not tokens.done():
        kind, word = tokens.peek()
        if kind in {"sep", "dash"} or (kind == "word" and word in _JOINERS) or kind in {"open", "close"}:
            tokens.take()
            continue
        rest = " ".join(t for _, t in tokens.items[tokens.pos :])
        opener = _starts_with(rest, openers)
        if opener:
            tokens.pos += len(_tokens(opener))
            words: list[str] = []
            while not tokens.done() and tokens.peek()[0] in {"word", "num", "other", "dash"}:
                k, w = tokens.peek()
                if k in {"other", "dash"}:
                    # Two years of one school year: «в течение 2021/2022
                    # (2021 – 2022) учебного года».
                    following = tokens.items[tokens.pos + 1] if tokens.pos + 1 < len(tokens.items) else None
                    if w in {"/", "-", "–", "—"} and words and words[-1].isdigit() and _year(words[-1]) and following and following[0] == "num" and _year(following[1]):
                        words.append(tokens.take()[1])
                        continue
                    break
                if w in _THROUGHOUT_WORDS or month_number(w) or (k == "num" and _year(w)) or w in _YEAR_WORDS:
                    words.append(tokens.take()[1])
                else:
                    break
            parts.append(_Part("throughout", text=" ".join(words)))
            continue
        every = _parse_every(tokens)
        if every:
            parts.append(_Part("every", recurrence=every))
            continue
        if _starts_schedule(tokens):
            # The schedule runs to the next separator: «По плану АК», «по мере
            # необходимости (не реже 2 раза в год)».
            while not tokens.done() and tokens.peek()[0] not in {"sep", "open"}:
                tokens.take()
            parts.append(_Part("schedule"))
            continue
        part = _parse_part(tokens, context)
        if part is None:
            return None
        if parts and parts[-1].kind == "points":
            parts[-1].points.append(part)
        else:
            parts.append(_Part("points", points=[part]))
    return parts or None


def _sequence_result(parts: list[_Part], context: DeadlineContext) -> tuple[_Result, str | None]:
    """The interval of a deadline made of parts: a recurrence or «в течение
    года» covers the plan period, a schedule gives no dates."""
    spans: list[tuple[dt.date, dt.date, bool]] = []
    kinds: list[str] = []
    recurrence = next((p.recurrence for p in parts if p.kind == "every"), None)
    years_only = [p for p in parts if p.kind == "points" and all(pt.month is None for part in p.points for pt in part)]
    for part in parts:
        if part.kind == "schedule":
            continue
        if part.kind == "every":
            kinds.append("recurring")
            span = _context_span(context)
            if span:
                spans.append((span[0], span[1], False))
            continue
        if part.kind == "throughout":
            result = _throughout(part.text, context)
        else:
            result = _points_result(part.points, context)
            if recurrence and part in years_only and context.period and context.period.academic:
                # «2019-2020гг. раз в квартал» in the 2019-2020 school year:
                # the years name the plan's year.
                if (result.start, result.end) == (dt.date(context.period.start.year, 1, 1), dt.date(context.period.end.year, 12, 31)):
                    result = _Result("throughout", start=context.period.start, end=context.period.end, explicit=False)
        if result.kind == "unknown":
            return _Result("unknown"), recurrence
        kinds.append(result.kind if len(part.points) <= 1 else "list")
        if result.start is not None or result.end is not None:
            for s, e, _ in result.spans or [(result.start, result.end, "")]:
                spans.append((s, e, bool(result.explicit)))
    if not kinds:
        return _Result("schedule"), None
    if all(k == "recurring" for k in kinds):
        kind = "recurring"
    elif len(kinds) == 1:
        kind = kinds[0]
    else:
        kind = "list"
    if not spans:
        return _Result(kind), recurrence
    starts = [s for s, _, _ in spans if s is not None]
    ends = [e for _, e, _ in spans if e is not None]
    result = _Result(kind, [(s, e, "") for s, e, _ in spans], min(starts) if starts else None, max(ends) if ends else None)
    result.explicit = all(x for _, _, x in spans)
    return result, recurrence


def _on_the_day(low: str, context: DeadlineContext) -> _Result | None:
    """A deadline of an item whose section names a day («25 марта»): a time
    («10.00-11.00») or a schedule («По доп. графику») is on that day, «в
    течение дня» throughout it."""
    day = context.day
    if day is None:
        return None
    if _TIMES.match(low):
        return _Result("date", [(day, day, "")], day, day, False)
    if _is_schedule(low):
        return _Result("date", [(day, day, "")], day, day, False)
    words = re.findall(r"[а-яё]+", low)
    if 2 <= len(words) <= 3 and words[0] == "в" and lemma(words[1]) in {"течение", "теч"} and (len(words) == 2 or lemma(words[2]) == "день"):
        return _Result("throughout", [(day, day, "")], day, day, False)
    return None


def _clean(text: str) -> str:
    """Spellings that mean the same: «в течении», «в теч.», «в теч.дня»."""
    low = collapse(text).lower().rstrip(" .;,")
    low = re.sub(r"\bв\s+теч(?:ении|\.)\s*", "в течение ", low)
    low = re.sub(r"(?<=\d)\.\.(?=\d)", ".", low)
    return low.strip()


def normalize_deadline(text: str, context: DeadlineContext = DeadlineContext()) -> Deadline:
    """The deadline with kind, interval, parts, recurrence and basis filled."""
    low = _clean(text)
    deadline = Deadline(text=text)
    if not low:
        deadline.kind = "unknown"
        return deadline
    on_day = _on_the_day(low, context)
    if on_day is not None:
        return _filled(deadline, on_day, None)
    if _is_schedule(low):
        deadline.kind = "schedule"
        return deadline
    recurrence, rest = _recurrence(low)
    rest = rest.strip(" ,;-–—")
    result: _Result
    if not rest:
        result = _Result("unknown")  # a bare recurrence: filled in below
    elif (opener := _starts_with(rest, load("deadlines")["open"]["until"])) and (parts := _parse_parts(rest[len(opener) :], context)):
        result = _Result("unknown")
        if parts and len(parts) == 1 and len(parts[0]) == 1:
            point = parts[0][0]
            if point.day is None and point.days is None and point.month is not None:
                point.until_start = True
            inner = _points_result(parts, context)
            if inner.kind != "unknown":
                end = inner.end
                if point.until_start:  # «до мая»: before May begins
                    end = inner.start - dt.timedelta(days=1)
                result = _Result("until", [(end, end, "")], None, end, inner.explicit)
    elif (opener := _starts_with(rest, load("deadlines")["open"]["from"])) and (parts := _parse_parts(rest[len(opener) :], context)):
        result = _Result("unknown")
        if parts and len(parts) == 1:
            inner = _points_result(parts, context)
            if inner.kind != "unknown":
                if len(parts[0]) == 2:
                    result = _Result("range", inner.spans, inner.start, inner.end, inner.explicit)
                else:
                    result = _Result("from", [(inner.start, inner.start, "")], inner.start, None, inner.explicit)
    elif _SCHOOL_YEAR.fullmatch(rest) and (period := parse_period(rest)):
        # A school year named alone, «2021/2022 учебный год»: all of it.
        result = _Result("throughout", [(period.start, period.end, "")], period.start, period.end, True)
    else:
        parts = _parse_sequence(rest, context)
        if parts is None:
            # Read again without what brackets hold («(по графику)»).
            bare = re.sub(r"\([^()]*\)", " ", rest).strip()
            parts = _parse_sequence(bare, context) if bare != rest else None
        if parts is None:
            result = _Result("unknown")
        else:
            result, every = _sequence_result(parts, context)
            recurrence = recurrence or every
    if recurrence and result.kind == "unknown":
        # A recurrence alone, or what it qualifies not understood
        # («ежемесячно до 25 числа»): it still recurs over the plan period.
        span = _context_span(context)
        result = _Result("recurring")
        if span:
            result.start, result.end, result.explicit = span[0], span[1], False
    return _filled(deadline, result, recurrence)


def _filled(deadline: Deadline, result: _Result, recurrence: str | None) -> Deadline:
    deadline.kind = result.kind
    deadline.recurrence = recurrence
    if result.kind in {"unknown", "schedule"}:
        return deadline
    deadline.start, deadline.end = result.start, result.end
    if result.kind == "list":
        deadline.dates = [DateSpan(start=s, end=e) for s, e, _ in result.spans if s is not None and e is not None]
    if result.start is None and result.end is None:
        deadline.basis = None
    else:
        deadline.basis = None if result.explicit is None else ("explicit" if result.explicit else "inferred")
    return deadline
