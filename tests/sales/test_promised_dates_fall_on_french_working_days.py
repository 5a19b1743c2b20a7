"""Promised dates are working days: Monday to Friday, less the French public
holidays — eight fixed dates and three that follow Easter (Code du travail L3133-1)."""
from __future__ import annotations

from datetime import date

from sim.sales.working_days import add_working_days, easter, is_working_day, public_holidays


def test_easter_and_the_holidays_that_follow_it():
    assert easter(2026) == date(2026, 4, 5)
    assert easter(2027) == date(2027, 3, 28)
    assert easter(2000) == date(2000, 4, 23)
    holidays = public_holidays(2026)
    assert len(holidays) == 11
    assert {date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25)} <= holidays  # Easter Mon., Ascension, Whit Mon.
    assert {date(2026, 1, 1), date(2026, 5, 1), date(2026, 5, 8), date(2026, 7, 14), date(2026, 8, 15),
            date(2026, 11, 1), date(2026, 11, 11), date(2026, 12, 25)} <= holidays


def test_two_working_days_skip_weekends_and_holidays():
    assert add_working_days(date(2026, 12, 2), 2) == date(2026, 12, 4)    # Wed → Fri
    assert add_working_days(date(2026, 12, 3), 2) == date(2026, 12, 7)    # Thu → Mon
    assert add_working_days(date(2026, 12, 23), 2) == date(2026, 12, 28)  # Wed → (Fri 25 Dec) → Mon 28
    assert add_working_days(date(2026, 5, 12), 2) == date(2026, 5, 15)    # Tue → (Thu Ascension) → Fri
    assert not is_working_day(date(2026, 7, 14)) and is_working_day(date(2026, 7, 15))
