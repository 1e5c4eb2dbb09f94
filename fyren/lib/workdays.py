"""Working days in Sweden: weekdays that are not public holidays (from the
``holidays`` package) nor Midsummer Eve, Christmas Eve or New Year's Eve, which
the Working Hours Act treats as holidays. Pure."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _public_holidays(year: int) -> frozenset[dt.date]:
    public = holidays.country_holidays("SE", years=year)
    midsummer_eve = next(dt.date(year, 6, d) for d in range(19, 26) if dt.date(year, 6, d).weekday() == 4)
    return frozenset([*public, midsummer_eve, dt.date(year, 12, 24), dt.date(year, 12, 31)])


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    day = start
    left = max(0, days)
    while left:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day
