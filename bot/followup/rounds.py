"""When a round opens, reminds, escalates and closes; which indicators a department reports."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from bot.config.followup_model import FollowupRound, Goal, Indicator
from bot.config.model import AssociationConfig
from bot.local_time import at_local_time
from bot.workdays import add_working_days, next_working_day


class RoundNotOpen(Exception):
    """The round is unknown, not yet open, or closed; `round_id` is empty when no specific round was asked for."""

    def __init__(self, round_id: str = "") -> None:
        super().__init__(round_id)
        self.round_id = round_id

    def state(self, config: AssociationConfig, now: datetime) -> Literal["none", "not_yet", "closed"]:
        """Whether no specific round was asked for, or the asked round has not opened yet, or is closed (or unknown)."""
        if not self.round_id:
            return "none"
        round_ = find_round(config, self.round_id)
        if round_ is not None and round_times(config, round_).opens_at > now:
            return "not_yet"
        return "closed"


@dataclass(frozen=True)
class RoundTimes:
    opens_at: datetime
    deadline: date
    reminders: tuple[tuple[int, datetime], ...]
    escalation_at: datetime
    closes_at: datetime


def deadline_of(config: AssociationConfig, round_: FollowupRound) -> date:
    """The deadline date: fixed, or counted in working days from the configured event."""
    deadline = round_.deadline
    if deadline.date is not None:
        return deadline.date
    event = next(event for event in config.events if event.id == deadline.relative_to)
    return add_working_days(event.date, deadline.offset_working_days)


def round_times(config: AssociationConfig, round_: FollowupRound) -> RoundTimes:
    """Every moment of the round, at the configured default time of day (Swedish working days)."""
    deadline = deadline_of(config, round_)
    reminders = tuple(
        (offset, at_local_time(config, add_working_days(deadline, -offset)))
        for offset in sorted(set(round_.reminders_working_days_before), reverse=True)
    )
    return RoundTimes(
        opens_at=at_local_time(config, next_working_day(round_.opens)),
        deadline=deadline,
        reminders=reminders,
        escalation_at=at_local_time(config, add_working_days(deadline, round_.escalation_working_days_after)),
        closes_at=at_local_time(config, add_working_days(deadline, round_.closes_working_days_after)),
    )


def is_open(config: AssociationConfig, round_: FollowupRound, now: datetime) -> bool:
    times = round_times(config, round_)
    return times.opens_at <= now < times.closes_at


def open_rounds(config: AssociationConfig, now: datetime) -> list[FollowupRound]:
    return [round_ for round_ in config.followup_rounds if is_open(config, round_, now)]


def next_round(config: AssociationConfig, now: datetime) -> FollowupRound | None:
    """The first round that has not opened yet."""
    upcoming = [round_ for round_ in rounds_in_order(config) if round_times(config, round_).opens_at > now]
    return upcoming[0] if upcoming else None


def find_round(config: AssociationConfig, round_id: str) -> FollowupRound | None:
    return next((round_ for round_ in config.followup_rounds if round_.id == round_id), None)


def previous_round(config: AssociationConfig, round_: FollowupRound) -> FollowupRound | None:
    """The round that opened last before this one."""
    earlier = [other for other in config.followup_rounds if other.opens < round_.opens]
    return max(earlier, key=lambda other: other.opens, default=None)


def rounds_in_order(config: AssociationConfig) -> list[FollowupRound]:
    return sorted(config.followup_rounds, key=lambda round_: round_.opens)


def indicators_for(config: AssociationConfig, department_id: str) -> list[tuple[Goal, Indicator]]:
    """The indicators a department reports, with their goals, in configuration order."""
    return [
        (goal, indicator)
        for goal in config.goals
        for indicator in goal.indicators
        if indicator.reported_by(department_id)
    ]


def all_indicators(config: AssociationConfig) -> dict[str, tuple[Goal, Indicator]]:
    return {indicator.id: (goal, indicator) for goal in config.goals for indicator in goal.indicators}


def reporting_departments(config: AssociationConfig) -> list[str]:
    """Departments that report at least one indicator."""
    return [department.id for department in config.departments if indicators_for(config, department.id)]
