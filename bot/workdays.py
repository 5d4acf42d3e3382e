"""Swedish working days: weekends, public holidays and the days off in practice."""

from datetime import date, timedelta
from functools import cache

import holidays


@cache
def days_off(year: int) -> dict[date, str]:
    """Public holidays plus the de facto ones (midsummer eve, Christmas eve, New Year's eve), named as the
    `holidays` package names them in Swedish: the names are its calendar data, not our text."""
    return dict(holidays.country_holidays("SE", years=year, language="sv", categories=("public", "de_facto")))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in days_off(day.year)


def previous_working_day(day: date) -> date:
    """`day` itself if it is a working day, else the closest working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def next_working_day(day: date) -> date:
    """`day` itself if it is a working day, else the closest working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(day: date, count: int) -> date:
    """The date `count` working days after `day` (before it when negative); 0 gives `day` itself."""
    step = timedelta(days=1 if count >= 0 else -1)
    remaining = abs(count)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is before `start`)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for offset in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=offset)))


def move_to_working_day(day: date, rule: str) -> date:
    """Apply an item's non-working-day rule: 'previous', 'next' or 'keep'."""
    if rule == "previous":
        return previous_working_day(day)
    if rule == "next":
        return next_working_day(day)
    return day
