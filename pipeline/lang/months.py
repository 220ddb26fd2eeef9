"""Month arithmetic shared by the timeline, its XLSX grid and the diff:
how many months apart two days are, a day so many months on, the months a
span covers."""

from __future__ import annotations

import calendar
import datetime as dt


def months_between(a: dt.date, b: dt.date) -> int:
    """Calendar months from ``a``'s month to ``b``'s (negative when ``b`` is earlier)."""
    return (b.year - a.year) * 12 + b.month - a.month


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` as many months on: the same day, or that month's last."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of every month from ``start``'s to ``end``'s."""
    first = start.replace(day=1)
    return [add_months(first, k) for k in range(months_between(first, end) + 1)]
