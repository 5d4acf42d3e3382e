"""Swedish formatting of dates, times and counts."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Europe/Stockholm")

WEEKDAYS = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


def local(value: date | datetime) -> date | datetime:
    """Aware datetimes in Swedish local time; dates and naive values unchanged."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(LOCAL_ZONE)
    return value


def date_long(value: date | datetime) -> str:
    """'måndag 14 februari 2027'."""
    value = local(value)
    return f"{WEEKDAYS[value.weekday()]} {value.day} {MONTHS[value.month - 1]} {value.year}"


def date_short(value: date | datetime) -> str:
    """'14 feb'."""
    value = local(value)
    return f"{value.day} {MONTHS[value.month - 1][:3]}"


def time_of_day(value: datetime) -> str:
    return local(value).strftime("%H:%M")


def plural(count: float, singular: str, plural_form: str, shown: str | None = None) -> str:
    """'1 meddelande', '2 meddelanden'; `shown` writes the number another way ('1,5 arbetsdagar')."""
    return f"{count if shown is None else shown} {singular if count == 1 else plural_form}"
