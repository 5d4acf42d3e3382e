"""Working-day deadlines of a case, and the local times at which reminders and escalations fall due."""

from dataclasses import dataclass
from datetime import date, datetime

from bot.config.model import AssociationConfig
from bot.delivery import keys
from bot.local_time import at_local_time
from bot.workdays import add_working_days
from storage.cases import CaseStatus, FeedbackCase


@dataclass(frozen=True)
class DeadlineNotice:
    """A reminder before, or an escalation after, one of a case's deadlines."""

    kind: str  # "reminder" or "escalation"
    stage: str  # "take" or "answer"
    deadline: date
    at: datetime

    def outbox_key(self, case_id: int) -> keys.OutboxKey:
        return keys.case_notice(case_id, self.kind == "escalation", self.stage, self.deadline)


def take_deadline(config: AssociationConfig, start: date) -> date:
    return add_working_days(start, config.cases.deadlines.take_working_days)


def answer_deadline(config: AssociationConfig, start: date) -> date:
    return add_working_days(start, config.cases.deadlines.answer_working_days)


def _notices(config: AssociationConfig, stage: str, deadline: date, since: datetime) -> list[DeadlineNotice]:
    before = config.cases.deadlines.remind_working_days_before
    found = []
    if before > 0:
        remind_at = at_local_time(config, add_working_days(deadline, -before))
        if remind_at > since:
            found.append(DeadlineNotice("reminder", stage, deadline, remind_at))
    found.append(DeadlineNotice("escalation", stage, deadline, at_local_time(config, add_working_days(deadline, 1))))
    return found


def pending_notices(config: AssociationConfig, case: FeedbackCase) -> list[DeadlineNotice]:
    """The reminders and escalations that apply to the case in its current state, due or not yet due."""
    if case.status == CaseStatus.NEW and case.taken_at is None:
        stage_notices = _notices(config, "take", case.take_due, case.registered_at)
        return stage_notices + _notices(config, "answer", case.current_answer_due, case.registered_at)
    if case.status in (CaseStatus.NEW, CaseStatus.TAKEN):
        return _notices(config, "answer", case.current_answer_due, case.registered_at)
    return []
