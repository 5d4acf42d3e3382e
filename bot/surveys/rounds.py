"""A survey's rounds: when each opens, is reminded and closes, and which round a form or a row is about."""

from dataclasses import dataclass
from datetime import date, datetime

from bot.config.model import AssociationConfig
from bot.config.surveys_model import Survey, month_day
from bot.local_time import at_local_time
from bot.workdays import add_working_days, next_working_day


@dataclass(frozen=True)
class SurveyRound:
    """One round of a survey: `opens` is the configured day (the round's key); the times are when it happens."""

    survey: Survey
    opens: date
    opens_at: datetime
    reminders: tuple[tuple[int, datetime], ...]  # (working days before closing, when), earliest first
    closes_at: datetime

    @property
    def key(self) -> str:
        """The round's id in outbox rows and forms: its opening day."""
        return self.opens.isoformat()

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at


def survey_round(config: AssociationConfig, survey: Survey, opens: date) -> SurveyRound:
    """The round of `survey` that opens on the configured day `opens` (the next working day when it is none)."""
    opening = next_working_day(opens)
    closing = (
        survey.closes if survey.closes is not None else add_working_days(opening, survey.closes_working_days_after)
    )
    reminders = tuple(
        (offset, at_local_time(config, add_working_days(closing, -offset)))
        for offset in sorted(set(survey.reminders_working_days_before), reverse=True)
    )
    return SurveyRound(survey, opens, at_local_time(config, opening), reminders, at_local_time(config, closing))


def opening_days(survey: Survey, last_year: int) -> list[date]:
    """The configured opening days of the survey's rounds, up to the end of `last_year`, in order."""
    if survey.opens:
        return sorted(day for day in survey.opens if day.year <= last_year)
    assert survey.first_year is not None  # the model requires it of a yearly survey
    end = min(last_year, survey.last_year) if survey.last_year is not None else last_year
    days = [month_day(text) for text in survey.yearly]
    return sorted(date(year, month, day) for year in range(survey.first_year, end + 1) for month, day in days)


def rounds_until(config: AssociationConfig, survey: Survey, now: datetime) -> list[SurveyRound]:
    """Every round of the survey that has opened by `now`, and those of the coming year, in order."""
    return [survey_round(config, survey, day) for day in opening_days(survey, now.year + 1)]


def open_rounds(config: AssociationConfig, now: datetime) -> list[SurveyRound]:
    """The rounds open now, of every survey."""
    return [round_ for survey in config.surveys for round_ in rounds_until(config, survey, now) if round_.is_open(now)]


def find_survey(config: AssociationConfig, survey_id: str) -> Survey | None:
    return next((survey for survey in config.surveys if survey.id == survey_id), None)


def find_round(config: AssociationConfig, survey_id: str, key: str) -> SurveyRound | None:
    """The round of a survey by its key (its opening day, ISO); None when there is no such round."""
    survey = find_survey(config, survey_id)
    try:
        opens = date.fromisoformat(key)
    except ValueError:
        return None
    if survey is None or opens not in opening_days(survey, opens.year):
        return None
    return survey_round(config, survey, opens)


def latest_round(config: AssociationConfig, survey: Survey, now: datetime) -> SurveyRound | None:
    """The round open now, or else the last one that has closed; None before the first opens."""
    started = [round_ for round_ in rounds_until(config, survey, now) if round_.opens_at <= now]
    return started[-1] if started else None


def next_round(config: AssociationConfig, now: datetime) -> SurveyRound | None:
    """The first round of any survey that has not opened yet."""
    upcoming = [
        round_ for survey in config.surveys for round_ in rounds_until(config, survey, now) if round_.opens_at > now
    ]
    return min(upcoming, key=lambda round_: round_.opens_at, default=None)
