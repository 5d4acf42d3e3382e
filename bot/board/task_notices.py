"""Outbox rows about decision tasks: the owner's reminder before the due date, the director's notices (a task
overdue, a task reported done or delayed), and the board's export sent as files to whoever asked for it."""

from datetime import date, datetime

from bot.board.meetings import find_meeting
from bot.board.tasks import DecisionTask
from bot.config.model import AssociationConfig, Person
from bot.delivery import keys
from bot.delivery.outbox_rows import message_rows
from bot.people import person_recipient
from bot.permissions import Grant
from messages.board_task_form import KIND_LABELS, report_button, report_buttons_id
from messages.message import File, Message
from messages.render import render
from storage.board import BoardTaskReport


def director(config: AssociationConfig) -> Person | None:
    """The director, who follows the tasks up; None when the association file names none."""
    return config.find_person(config.roles.get(Grant.DIRECTOR))


def _task_context(config: AssociationConfig, task: DecisionTask) -> dict[str, object]:
    """What every task template is given: the task, its meeting, its owner and the kinds of report."""
    owner = config.find_person(task.decision.owner)
    meeting = find_meeting(config, task.decision.meeting_id)
    return {"task": task, "meeting": meeting, "owner": owner, "kinds": KIND_LABELS}


def _dm(config: AssociationConfig, key: keys.OutboxKey, person: Person, message: Message, now: datetime) -> list[dict]:
    """A direct message to `person`; a failure is reported to the director."""
    owner = config.roles.get(Grant.DIRECTOR)
    return message_rows(key=key, recipient=person_recipient(person), message=message, due_at=now, now=now, owner=owner)


def reminder_rows(config: AssociationConfig, task: DecisionTask, owner: Person, now: datetime) -> list[dict]:
    """The owner reminded, before the task's due date, to report on it (the button opens the form)."""
    decision_id = task.decision.id
    assert decision_id is not None  # a task is a stored decision
    text = render("board_task_reminder", **_task_context(config, task))
    message = Message(text=text, buttons=(report_button(decision_id),), buttons_id=report_buttons_id(decision_id))
    return _dm(config, keys.board_task_reminder(decision_id, task.due), owner, message, now)


def overdue_rows(config: AssociationConfig, task: DecisionTask, to: Person, now: datetime) -> list[dict]:
    """The director told that a task passed its due date without being reported done."""
    decision_id = task.decision.id
    assert decision_id is not None
    text = render("board_task_overdue", **_task_context(config, task))
    message = Message(text=text, buttons=(report_button(decision_id),), buttons_id=report_buttons_id(decision_id))
    return _dm(config, keys.board_task_overdue(decision_id, task.due), to, message, now)


def reported_rows(
    config: AssociationConfig,
    task: DecisionTask,
    report: BoardTaskReport,
    previous_due: date,
    reporter: Person,
    to: Person,
    now: datetime,
) -> list[dict]:
    """The director told that a task was reported done or delayed (`task` as it was before the report)."""
    assert task.decision.id is not None and report.id is not None
    context = _task_context(config, task) | {"report": report, "reporter": reporter, "previous_due": previous_due}
    message = Message(text=render("board_task_reported", **context))
    return _dm(config, keys.board_task_reported(task.decision.id, report.id), to, message, now)


def export_rows(
    config: AssociationConfig, person: Person, year: int, count: int, files: tuple[File, ...], now: datetime
) -> list[dict]:
    """The board's decisions of `year` as CSV and Excel, to the person who asked."""
    message = Message(text=render("board_export_message", year=year, count=count), files=files)
    return _dm(config, keys.board_export(person.id, year, now), person, message, now)
