"""A board meeting's preparation dates, counted in working days back from the meeting (config.board.preparation),
and the moments its reminders go out."""

from dataclasses import dataclass
from datetime import date, datetime

from bot.board.meetings import board_of, meetings
from bot.config.model import AssociationConfig, Event
from bot.delivery.keys import Preparation
from bot.local_time import at_local_time
from bot.workdays import add_working_days

# The matters reminder goes out this many working days before the matters are due, so there is time to send them.
MATTERS_NOTICE_WORKING_DAYS = 5


@dataclass(frozen=True)
class Deadlines:
    """The dates before a meeting; None where the configuration leaves a step out (0 working days, no presidium)."""

    matters_due: date | None  # matters (ärenden) due to the director
    chair: date | None  # the chair municipality's chief and the director start preparing
    presidium: date | None  # the presidium's preparation
    agenda: date | None  # the agenda goes to the board's channel


def _before(meeting: Event, working_days: int) -> date | None:
    return add_working_days(meeting.date, -working_days) if working_days else None


def deadlines(config: AssociationConfig, meeting: Event) -> Deadlines:
    board = board_of(config)
    preparation = board.preparation
    return Deadlines(
        matters_due=_before(meeting, preparation.matters_due_working_days),
        chair=_before(meeting, preparation.chair_working_days),
        presidium=_before(meeting, preparation.presidium_working_days) if board.presidium else None,
        agenda=_before(meeting, preparation.agenda_working_days),
    )


def reminder_times(config: AssociationConfig, meeting: Event) -> dict[Preparation, datetime]:
    """When each of the meeting's reminders goes out (at the association's default time), those it has."""
    found = deadlines(config, meeting)
    days = {
        Preparation.MATTERS: found.matters_due and add_working_days(found.matters_due, -MATTERS_NOTICE_WORKING_DAYS),
        Preparation.CHAIR: found.chair,
        Preparation.PRESIDIUM: found.presidium,
        Preparation.AGENDA: found.agenda,
    }
    return {reminder: at_local_time(config, day) for reminder, day in days.items() if day is not None}


def preparation_times_between(config: AssociationConfig, start: datetime, end: datetime) -> list[datetime]:
    """The moments in [start, end] when a preparation reminder of a meeting that takes place goes out."""
    if config.board is None:
        return []
    moments = {at for meeting in meetings(config) for at in reminder_times(config, meeting).values()}
    return sorted(moment for moment in moments if start <= moment <= end)
