"""The `surveys:` section: BAS surveys to the member municipalities: when each round opens and closes, its
reminders, whether it is anonymous, the smallest number of answers a figure is shown for, and which services of the
catalogue it asks about. Who is asked comes from each member's `service_contacts`."""

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from bot.config.section import Id, Section

MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


def month_day(text: str) -> tuple[int, int]:
    """(month, day) of a 'MM-DD' text; ValueError when it is no day of a year (29 February is refused: it is not
    in every year)."""
    match = MONTH_DAY.match(text)
    if match is None:
        raise ValueError(f"'{text}' is not a day of the year; write it as MM-DD, e.g. '03-01'")
    month, day = int(match[1]), int(match[2])
    try:
        dt.date(2027, month, day)  # a year that is not a leap year
    except ValueError:
        raise ValueError(f"'{text}' is not a day of every year") from None
    return month, day


class Survey(Section):
    """One survey, asked in rounds: on each `opens` date, or on each `yearly` day (MM-DD) from `first_year`
    (to `last_year`, when given)."""

    id: Id
    name: str
    opens: list[dt.date] = []
    yearly: list[str] = []
    first_year: int | None = Field(default=None, ge=2000, le=2100)
    last_year: int | None = Field(default=None, ge=2000, le=2100)
    closes: dt.date | None = None  # only for a survey with one round: the day it closes
    closes_working_days_after: int = Field(default=10, ge=1, le=60)
    reminders_working_days_before: list[Annotated[int, Field(ge=1, le=30)]] = [3, 1]
    anonymous: bool = False
    min_answers: int = Field(default=3, ge=1, le=50)
    services: list[Id] | Literal["all"] = "all"
    digest_forum: Id | None = None  # the forum whose channel gets the results; default: the leadership group

    @field_validator("yearly")
    @classmethod
    def _days_of_the_year(cls, days: list[str]) -> list[str]:
        for day in days:
            month_day(day)
        if len(set(days)) != len(days):
            raise ValueError("a day is listed twice in yearly")
        return days

    @model_validator(mode="after")
    def _one_calendar(self) -> "Survey":
        if bool(self.opens) == bool(self.yearly):
            raise ValueError("give either opens (dates) or yearly (days of the year, MM-DD), not both or neither")
        if self.yearly and self.first_year is None:
            raise ValueError("a yearly survey needs first_year")
        if self.opens and (self.first_year is not None or self.last_year is not None):
            raise ValueError("first_year and last_year belong to a yearly survey")
        if self.first_year is not None and self.last_year is not None and self.last_year < self.first_year:
            raise ValueError("last_year is before first_year")
        if self.closes is not None:
            if len(self.opens) != 1:
                raise ValueError("closes is for a survey with one opens date; otherwise use closes_working_days_after")
            if self.closes <= self.opens[0]:
                raise ValueError("the survey closes before it opens")
        return self
