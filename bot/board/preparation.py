"""The tick's producer for the board's preparation: before each meeting, the reminders that
config.board.preparation times (matters due, the chair municipality's preparation, the presidium's, the agenda).

Each reminder goes out once: the outbox keeps its rows under the meeting and its date, so a second tick finds them
and a meeting moved to another date is another occurrence, reminded anew. A reminder whose time fell while the bot
was down goes out late within the grace period; an older one is left out and logged. Rows still waiting for a
meeting that moved or was cancelled are withdrawn by bot.delivery.withdrawal, with `is_current` below.
"""

import logging
from datetime import date, datetime, timedelta

from sqlmodel import Session

from bot.board.deadlines import reminder_times
from bot.board.meetings import find_meeting, meetings
from bot.board.open_tasks import open_task_lines
from bot.board.preparation_notices import reminder_rows
from bot.config.model import AssociationConfig
from bot.delivery.keys import Preparation, Source, board_preparation
from storage import outbox, state

log = logging.getLogger(__name__)
TICK_NAME = "board-preparation"


def enqueue_due_preparation(session: Session, config: AssociationConfig, now: datetime) -> int:
    """Queue every preparation reminder due by `now` (at most the grace period late) not queued before; returns
    the rows queued."""
    if config.board is None:
        return 0
    grace = timedelta(hours=config.settings.grace_period_hours)
    previous = state.last_tick(session, TICK_NAME)
    due = []
    for meeting in meetings(config):
        for reminder, at in reminder_times(config, meeting).items():
            if now - grace <= at <= now:
                due.append((meeting, reminder, at))
            elif previous is not None and previous < at < now - grace:
                log.warning("board preparation %s of %s was missed (due %s)", reminder, meeting.id, at.isoformat())
    wanted = {_pair(meeting.id, reminder, meeting.date) for meeting, reminder, _ in due}
    sent = outbox.existing_occurrences(session, Source.BOARD_PREPARATION, wanted)
    rows = 0
    tasks = None
    for meeting, reminder, at in due:
        if _pair(meeting.id, reminder, meeting.date) in sent:
            continue
        if tasks is None:
            tasks = open_task_lines(session, config, now.date())
        rows += outbox.enqueue(session, reminder_rows(config, meeting, reminder, tasks, at, now))
        log.info("board preparation %s of %s queued", reminder, meeting.id)
    state.record_tick(session, now, TICK_NAME)
    return rows


def _pair(meeting_id: str, reminder: Preparation, day: date) -> tuple[str, str]:
    key = board_preparation(meeting_id, reminder, day)
    return key.item_id, key.occurrence


def is_current(config: AssociationConfig, meeting_id: str, occurrence_key: str, due_at: datetime) -> bool | None:
    """Whether a queued reminder is for a meeting that takes place on the date it was queued for (bot.delivery.
    withdrawal's check); None without a board section."""
    if config.board is None:
        return None
    meeting = find_meeting(config, meeting_id)
    if meeting is None or meeting.cancelled:
        return False
    return any(_pair(meeting.id, reminder, meeting.date)[1] == occurrence_key for reminder in Preparation)
