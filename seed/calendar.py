"""Working days in France: weekends and the eleven public holidays (jours fériés,
Code du travail L3133-1) are days without shipments, receipts or payments."""
from __future__ import annotations

from datetime import date, timedelta

from sim.sales.working_days import (  # noqa: F401 - re-exported for the generator
    add_working_days, easter, is_working_day, next_working_day, public_holidays,
)


# The French calendar is the one the services use (promised dates): one definition.
easter_sunday = easter


def previous_working_day(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def working_days(start: date, end: date) -> list[date]:
    """Working days in [start, end), in order."""
    days, day = [], start
    while day < end:
        if is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def months_before(day: date, months: int) -> date:
    """The same day of the month ``months`` earlier (clamped to the month's end)."""
    import calendar

    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
