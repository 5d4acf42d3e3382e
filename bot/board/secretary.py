"""The tick's producer that asks the board's secretary for a meeting's decisions: a DM with the button that opens
the decision form, the day after each meeting that was held (board.follow_up.protocol_after_days calendar days
after it, moved to the next working day), once per meeting date: a meeting moved after its request was queued
has that request withdrawn if it is still waiting, and is asked about again after its new date."""

from datetime import datetime, timedelta

from sqlmodel import Session

from bot.board.decisions import release_of
from bot.board.meetings import find_meeting, meetings
from bot.config.model import AssociationConfig, Event
from bot.delivery import keys
from bot.delivery.outbox_rows import message_rows
from bot.local_time import at_local_time
from bot.people import person_recipient
from bot.workdays import next_working_day
from messages.board_form import record_button
from messages.message import Message
from messages.render import render
from storage import outbox, state

TICK_NAME = "board-secretary"


def request_time(config: AssociationConfig, meeting: Event) -> datetime:
    """When the secretary is asked for the meeting's decisions."""
    assert config.board is not None  # only a configured board has meetings
    after = config.board.follow_up.protocol_after_days
    return at_local_time(config, next_working_day(meeting.date + timedelta(days=after)))


def enqueue_protocol_requests(session: Session, config: AssociationConfig, now: datetime) -> int:
    """Queue the secretary's request for every meeting whose time fell since the last tick (at most the grace
    period back on the first tick, so a new installation does not ask about last year's meetings), unless it was
    asked before, the meeting was cancelled or its digests are already released. Returns the rows queued."""
    board = config.board
    if board is None:
        return 0
    previous = state.last_tick(session, TICK_NAME)
    grace = now - timedelta(hours=config.settings.grace_period_hours)
    window_start = grace if previous is None else min(previous, grace)
    due = [m for m in meetings(config) if window_start < request_time(config, m) <= now]
    keyed = {meeting.id: keys.board_protocol_request(meeting.id, meeting.date) for meeting in due}
    # A request written before the key carried the meeting's date counts as asked: it cannot say for which date.
    wanted = {(m.id, occurrence) for m in due for occurrence in (keyed[m.id].occurrence, keys.PROTOCOL_REQUEST)}
    asked = {meeting_id for meeting_id, _ in outbox.existing_occurrences(session, keys.Source.BOARD_DECISIONS, wanted)}
    secretary = config.role_holder(board.secretary_role)
    rows: list[dict] = []
    for meeting in due:
        key = keyed[meeting.id]
        if meeting.id in asked or release_of(session, meeting.id) is not None:
            continue
        text = render("board_secretary_request", meeting=meeting)
        message = Message(text=text, buttons=(record_button(meeting.id),), buttons_id=f"board_request:{meeting.id}")
        rows += message_rows(
            key=key, recipient=person_recipient(secretary), message=message, due_at=now, now=now, owner=secretary.id
        )
    state.record_tick(session, now, TICK_NAME)
    return outbox.enqueue(session, rows)


def is_current(config: AssociationConfig, meeting_id: str, occurrence_key: str, due_at: datetime) -> bool | None:
    """Whether a queued request is for a meeting held on the date it was queued for (bot.delivery.withdrawal's
    check); None for the source's other rows (the owners' task DMs), for a request keyed without a date, and
    without a board section."""
    if config.board is None or not occurrence_key.startswith(f"{keys.PROTOCOL_REQUEST}:"):
        return None
    meeting = find_meeting(config, meeting_id)
    if meeting is None or meeting.cancelled:
        return False
    return keys.board_protocol_request(meeting.id, meeting.date).occurrence == occurrence_key
