"""The tick's producer for decision tasks: the owner reminded before the due date, the director told when it has
passed. Each once per task and due date, so a 'delayed' report's new date gets a reminder (and an overdue notice)
of its own, and a task reported done gets nothing more."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.board.task_notices import director, overdue_rows, reminder_rows
from bot.board.tasks import DecisionTask, released_tasks
from bot.config.model import AssociationConfig
from bot.delivery import keys
from bot.local_time import at_local_time, local_date
from bot.workdays import add_working_days
from storage import outbox
from storage.board import TaskReportKind

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TaskNotice:
    """A reminder to the owner (`overdue` False) or a notice to the director, and when it falls due."""

    overdue: bool
    at: datetime

    def key(self, task: DecisionTask) -> keys.OutboxKey:
        assert task.decision.id is not None  # a task is a stored decision
        build = keys.board_task_overdue if self.overdue else keys.board_task_reminder
        return build(task.decision.id, task.due)


def task_notices(config: AssociationConfig, task: DecisionTask) -> list[TaskNotice]:
    """The notices of the task's current due date, due or not yet: the reminder `task_reminder_working_days`
    working days before it (none when that is 0, or when the owner set this date by a report after the
    reminder's time: they have just said when), and the director's notice the working day after it."""
    assert config.board is not None
    notices = []
    before = config.board.follow_up.task_reminder_working_days
    if before > 0:
        remind_at = at_local_time(config, add_working_days(task.due, -before))
        delays = [report for report in task.reports if report.kind == TaskReportKind.DELAYED]
        if not delays or delays[-1].reported_at < remind_at:
            notices.append(TaskNotice(overdue=False, at=remind_at))
    notices.append(TaskNotice(overdue=True, at=at_local_time(config, add_working_days(task.due, 1))))
    return notices


def enqueue_task_reminders(session: Session, config: AssociationConfig, now: datetime) -> int:
    """Queue every task notice due by `now`; returns how many rows were new.

    Only the tasks of meetings whose digests were sent: a decision the secretary is still editing is nobody's task
    yet. A reminder whose due date has passed is skipped (the director's notice says it instead); one that fell due
    before the digests were sent goes out at once. A notice is found in the outbox by its key; one that fell due
    longer ago than the delivery logs are kept is not sent, since its row may be gone and it would go out twice.
    An owner or director the association file no longer names is skipped and logged; the notice waits for them.
    """
    if config.board is None:
        return 0
    tasks = released_tasks(session)
    queued = outbox.occurrence_keys_of_items(session, keys.Source.BOARD_TASK, {str(t.decision.id) for t in tasks})
    today = local_date(config, now)
    kept_since = now - timedelta(days=config.settings.delivery_log_days)
    to_director = director(config)
    rows: list[dict] = []
    for task in tasks:
        for notice in task_notices(config, task):
            key = notice.key(task)
            if not kept_since < notice.at <= now or (key.item_id, key.occurrence) in queued:
                continue
            if not notice.overdue and task.due < today:
                continue
            person = to_director if notice.overdue else config.find_person(task.decision.owner)
            if person is None:
                log.warning("decision %s: nobody to send its %s to; it waits", task.decision.id, key.kind)
                continue
            build = overdue_rows if notice.overdue else reminder_rows
            rows.extend(build(config, task, person, now))
    queued_rows = outbox.enqueue(session, rows)
    if queued_rows:
        log.info("queued %d decision task reminder(s) and overdue notice(s)", queued_rows)
    return queued_rows
