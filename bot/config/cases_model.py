"""The `cases:` section: feedback and complaints (synpunktshantering) deadlines, routing, retention, digest."""

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from bot.config.section import Id, Section, not_before

# A Slack channel id, a Teams channel ('teams:19:...@thread.tacv2'), or a '#name' in lower-case letters (å, ä, ö
# too), digits, '.', '_' and '-'. The Swedish letters are written as escapes: tests/test_swedish_text.py keeps every
# string in bot/ free of them.
Channel = Annotated[
    str,
    StringConstraints(
        pattern=r"^([CG][A-Z0-9]{2,}|teams:19:[A-Za-z0-9_.\-]+@thread\.(tacv2|skype)"
        r"|#[a-z0-9\u00e5\u00e4\u00f6][a-z0-9\u00e5\u00e4\u00f6._-]*)$"
    ),
]
Category = Literal["klagomal", "synpunkt", "forslag", "berom", "fraga"]
CATEGORIES: tuple[str, ...] = ("klagomal", "synpunkt", "forslag", "berom", "fraga")


class CaseDeadlines(Section):
    """Working-day deadlines counted from registration, and when reminders go out."""

    take_working_days: int = Field(default=2, ge=1, le=60)
    answer_working_days: int = Field(default=10, ge=1, le=120)
    remind_working_days_before: int = Field(default=1, ge=0, le=30)

    _ordered = not_before(
        "answer_working_days", "take_working_days", "answer_working_days must not be shorter than take_working_days"
    )


class CaseRouting(Section):
    """Where one department's cases are triaged, and who handles them besides its head."""

    department: Id
    triage_channel: Channel
    handlers: list[Id] = []


class CaseRetention(Section):
    """Gallring: closed cases of these categories may be removed `keep_years` (at least 1) after they were closed."""

    keep_years: int = Field(default=2, ge=1, le=100)
    categories: list[Category] = list(CATEGORIES)


class CaseDigest(Section):
    """The statistics digest to a forum's channel, on `day` of each of `months` at `time`."""

    forum: Id
    months: list[int] = [1, 7]
    day: int = Field(default=15, ge=1, le=28)
    time: dt.time = dt.time(9, 0)

    @model_validator(mode="after")
    def _valid_months(self) -> "CaseDigest":
        if not self.months or any(month < 1 or month > 12 for month in self.months):
            raise ValueError("months must list month numbers 1-12")
        return self


class CasesConfig(Section):
    prefix: str | None = Field(default=None, min_length=1, max_length=20)
    deadlines: CaseDeadlines = CaseDeadlines()
    routing: list[CaseRouting]
    retention: CaseRetention = CaseRetention()
    digest: CaseDigest | None = None

    def routing_for(self, department_id: str) -> CaseRouting | None:
        return next((route for route in self.routing if route.department == department_id), None)
