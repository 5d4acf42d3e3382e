"""`/direktion` alone: the board's next meetings with their chair municipality and who prepares them, the next
meeting's preparation dates, the budget dialogues, and the open decision tasks."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bot.board.deadlines import deadlines
from bot.board.meetings import Preparers, budget_dialogues, meetings, next_meetings, preparers
from bot.board.open_tasks import open_task_lines
from bot.board.preparation_notices import TASK_REPORT_LABELS
from bot.config.model import AssociationConfig, Event
from bot.local_time import local_date
from bot.replies import template_message
from messages.message import Message
from storage.engine import session_scope

if TYPE_CHECKING:  # the command imports this module to register it
    from bot.board.command import BoardRequest

MEETINGS_SHOWN = 3  # the next meetings that take place; cancelled ones among them are shown as such


@dataclass(frozen=True)
class MeetingLine:
    meeting: Event
    preparers: Preparers


def shown_meetings(config: AssociationConfig, today: date) -> list[Event]:
    """The next MEETINGS_SHOWN meetings that take place, and the cancelled ones from today up to the last of them
    (all cancelled ones ahead when none takes place), by date."""
    coming = next_meetings(config, today, MEETINGS_SHOWN)
    last = coming[-1].date if coming else date.max
    cancelled = [m for m in meetings(config, include_cancelled=True) if m.cancelled and today <= m.date <= last]
    return sorted([*coming, *cancelled], key=lambda meeting: (meeting.date, meeting.cancelled, meeting.id))


def board_overview(request: "BoardRequest") -> Message:
    """The overview for any person the association knows."""
    request.asker.known()
    config = request.config
    today = local_date(config, request.now)
    shown = shown_meetings(config, today)
    following = next((meeting for meeting in shown if not meeting.cancelled), None)
    with session_scope(request.engine) as session:
        tasks = open_task_lines(session, config, today)
    return template_message(
        "board_overview",
        meetings=[MeetingLine(meeting, preparers(config, meeting)) for meeting in shown],
        next_meeting=following,
        deadlines=deadlines(config, following) if following else None,
        dialogues=budget_dialogues(config, today),
        tasks=tasks,
        report_labels=TASK_REPORT_LABELS,
        today=today,
    )
