"""Working days in France: Monday to Friday, less the public holidays (Code du
travail L3133-1): eight fixed dates and three that follow Easter.

Whit Monday is kept as a holiday, as most SMEs' warehouses close on it (the
"journée de solidarité" is often worked elsewhere in the year). Alsace-Moselle's
two extra days (Good Friday, 26 December) are not modelled.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

FIXED = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))
AFTER_EASTER = (1, 39, 50)  # Easter Monday, Ascension Thursday, Whit Monday


def easter(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the anonymous Meeus/Butcher rule)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    sunday = easter(year)
    return frozenset([date(year, m, d) for m, d in FIXED] + [sunday + timedelta(days=n) for n in AFTER_EASTER])


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def next_working_day(day: date) -> date:
    """``day`` itself if it is a working day, else the first one after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (``day`` itself not counted);
    before it when ``count`` is negative."""
    step = 1 if count >= 0 else -1
    for _ in range(abs(count)):
        day += timedelta(days=step)
        while not is_working_day(day):
            day += timedelta(days=step)
    return day
