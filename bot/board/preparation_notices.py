"""Outbox rows for a board meeting's preparation reminders: who gets each one, and its Swedish text."""

from datetime import datetime

from bot.board.deadlines import deadlines
from bot.board.meetings import board_of, chair_of, preparers
from bot.board.open_tasks import TaskLine
from bot.config.model import AssociationConfig, Event, Person
from bot.delivery.keys import Preparation, board_preparation
from bot.delivery.outbox_rows import message_rows
from bot.people import Recipient, channel_recipient, person_recipient
from bot.permissions import Grant
from messages.labels import labels
from messages.message import Message
from messages.render import render

TASK_REPORT_LABELS = labels("board_prep.task_reports")


def _people(people: list[Person]) -> list[Recipient]:
    """Each person once, in order."""
    seen: dict[str, Person] = {}
    for person in people:
        seen.setdefault(person.id, person)
    return [person_recipient(person) for person in seen.values()]


def reminder_recipients(config: AssociationConfig, meeting: Event, reminder: Preparation) -> list[Recipient]:
    """Matters: the director and the department heads; chair: the chair municipality's chief on the meeting's date
    and the director; presidium: its members; agenda: the board's channel."""
    prepare = preparers(config, meeting)
    if reminder == Preparation.MATTERS:
        heads = [config.person(department.head) for department in config.departments]
        return _people([prepare.director, *heads])
    if reminder == Preparation.CHAIR:
        return _people([person for person in (prepare.chief, prepare.director) if person is not None])
    if reminder == Preparation.PRESIDIUM:
        return _people(list(prepare.presidium))
    forum = config.forum(board_of(config).forum)
    return [channel_recipient(forum.channel, forum.name)] if forum.channel else []


def reminder_rows(
    config: AssociationConfig,
    meeting: Event,
    reminder: Preparation,
    tasks: list[TaskLine],
    due_at: datetime,
    now: datetime,
) -> list[dict]:
    """The reminder's rows, one message per recipient (the same text for each)."""
    text = render(
        f"board_prep_{reminder}",
        meeting=meeting,
        chair=chair_of(config, meeting),
        deadlines=deadlines(config, meeting),
        director=config.role_holder(Grant.DIRECTOR),
        tasks=tasks,
        report_labels=TASK_REPORT_LABELS,
    )
    rows: list[dict] = []
    for recipient in reminder_recipients(config, meeting, reminder):
        rows.extend(
            message_rows(
                key=board_preparation(meeting.id, reminder, meeting.date),
                recipient=recipient,
                message=Message(text=text),
                due_at=due_at,
                now=now,
                owner=config.roles[Grant.DIRECTOR],
            )
        )
    return rows
