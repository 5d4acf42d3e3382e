"""The decisions of a board meeting: recorded by the board's secretary (or the director), edited with every change
kept as a revision, withdrawn, listed; all of it refused once the meeting's digests are released.

Every write takes the meeting's lock first (on PostgreSQL a transaction-level advisory lock; SQLite serialises
writers with BEGIN IMMEDIATE), so a decision is never added or changed while the digests are being released: the
digests hold exactly what is final."""

import json
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import func, select, text
from sqlmodel import Session

from bot.board.decision_input import DecisionInput, checked
from bot.board.meetings import find_meeting, meetings
from bot.config.model import AssociationConfig, Event, Person
from bot.local_time import local_date
from bot.permissions import Action, require
from bot.replays import claim
from messages.board_form import DecisionValues
from storage.board import BoardDecision, BoardDecisionRevision, BoardDigestRelease
from storage.engine import is_postgres

MEETING_LOCK_CLASS = 0x424F4152  # the first key of the advisory lock on one meeting's decisions


class Refusal(StrEnum):
    """Why a step on a meeting's decisions was refused (messages/templates/board_refused.j2 says it in Swedish)."""

    NOT_CONFIGURED = "not_configured"  # the association file has no board section
    UNKNOWN_MEETING = "unknown_meeting"
    NO_MEETING = "no_meeting"  # no held meeting left without released digests
    NOT_HELD = "not_held"
    CANCELLED = "cancelled"
    RELEASED = "released"
    UNKNOWN_DECISION = "unknown_decision"
    WITHDRAWN = "withdrawn"
    CHANGED = "changed"  # edited by someone else since the form was opened
    NO_DECISIONS = "no_decisions"  # nothing to release
    NO_TASK = "no_task"  # the decision is no task of a released meeting (no owner and due date, or still a draft)


class BoardRefused(Exception):
    """A step on a meeting's decisions that cannot be done now; `meeting` and `released_at` for the text."""

    def __init__(self, reason: Refusal, meeting: Event | None = None, released_at: datetime | None = None):
        super().__init__(reason)
        self.reason = reason
        self.meeting = meeting
        self.released_at = released_at


def held_meeting(config: AssociationConfig, meeting_id: str, now: datetime) -> Event:
    """The board meeting `meeting_id`, held by now and not cancelled; BoardRefused otherwise."""
    if config.board is None:
        raise BoardRefused(Refusal.NOT_CONFIGURED)
    meeting = find_meeting(config, meeting_id)
    if meeting is None:
        raise BoardRefused(Refusal.UNKNOWN_MEETING)
    if meeting.cancelled:
        raise BoardRefused(Refusal.CANCELLED, meeting)
    if meeting.date > local_date(config, now):
        raise BoardRefused(Refusal.NOT_HELD, meeting)
    return meeting


def latest_open_meeting(session: Session, config: AssociationConfig, now: datetime) -> Event:
    """The latest held meeting whose digests are not released; BoardRefused(NO_MEETING) when there is none."""
    if config.board is None:
        raise BoardRefused(Refusal.NOT_CONFIGURED)
    today = local_date(config, now)
    held = [meeting for meeting in meetings(config) if meeting.date <= today]
    released = set(session.scalars(select(BoardDigestRelease.meeting_id)))
    open_ = [meeting for meeting in held if meeting.id not in released]
    if not open_:
        raise BoardRefused(Refusal.NO_MEETING)
    return open_[-1]


def release_of(session: Session, meeting_id: str) -> BoardDigestRelease | None:
    return session.get(BoardDigestRelease, meeting_id)


def lock_meeting(session: Session, meeting: Event) -> None:
    """Hold the meeting's lock until the transaction ends, then refuse if its digests are released."""
    if is_postgres(session):
        key = zlib.crc32(meeting.id.encode()) - 2**31  # a stable int4 for the meeting
        session.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"), {"a": MEETING_LOCK_CLASS, "b": key})
    release = release_of(session, meeting.id)
    if release is not None:
        raise BoardRefused(Refusal.RELEASED, meeting, release.released_at)


def meeting_decisions(session: Session, meeting_id: str, *, withdrawn: bool = False) -> list[BoardDecision]:
    """The meeting's decisions by position; withdrawn ones only when asked for."""
    statement = select(BoardDecision).where(BoardDecision.meeting_id == meeting_id)
    if not withdrawn:
        statement = statement.where(BoardDecision.withdrawn_at.is_(None))
    return list(session.scalars(statement.order_by(BoardDecision.position)))


def _stored(decision: DecisionInput) -> dict[str, object]:
    """The decision's columns as they are stored."""
    return {
        "title": decision.title,
        "summary": decision.summary,
        "concerns_all": decision.concerns_all,
        "member_ids": json.dumps(list(decision.member_ids)),
        "department_ids": json.dumps(list(decision.department_ids)),
        "public": decision.public,
        "owner": decision.owner,
        "due": decision.due,
        "case_number": decision.case_number,
    }


def _shown(name: str, value: object) -> object:
    """A column's value as a revision records it (JSON): dates as ISO text, the lists of ids as lists."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if name in ("member_ids", "department_ids") and isinstance(value, str):
        return json.loads(value)
    return value


def add_decision(
    *,
    session: Session,
    config: AssociationConfig,
    person: Person,
    meeting_id: str,
    typed: DecisionValues,
    now: datetime,
    request_key: str | None = None,
) -> BoardDecision:
    """Record a new decision of a held meeting, after the meeting's others."""
    require(config, person, Action.RECORD_BOARD_DECISIONS)
    meeting = held_meeting(config, meeting_id, now)
    lock_meeting(session, meeting)
    claim(session, request_key, now)
    decision = checked(config, meeting, typed)
    last = session.scalar(select(func.max(BoardDecision.position)).where(BoardDecision.meeting_id == meeting.id))
    row = BoardDecision(
        meeting_id=meeting.id,
        position=(last or 0) + 1,
        **_stored(decision),
        created_by=person.id,
        created_at=now,
        updated_by=person.id,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class Edited:
    decision: BoardDecision
    changes: dict[str, list[object]]  # field -> [before, after]; empty when nothing changed


def edit_decision(
    *,
    session: Session,
    config: AssociationConfig,
    person: Person,
    decision_id: int,
    revision: int,
    typed: DecisionValues,
    now: datetime,
    request_key: str | None = None,
) -> Edited:
    """Change a decision as the form opened at `revision` shows it (withdrawing it when `typed.withdraw`); each
    change is kept as a revision. Refused when someone changed it since the form was opened."""
    require(config, person, Action.RECORD_BOARD_DECISIONS)
    row = session.get(BoardDecision, decision_id)
    if row is None:
        raise BoardRefused(Refusal.UNKNOWN_DECISION)
    meeting = held_meeting(config, row.meeting_id, now)
    lock_meeting(session, meeting)
    claim(session, request_key, now)
    session.refresh(row)  # as it stands now that the meeting is ours
    if row.withdrawn_at is not None:
        raise BoardRefused(Refusal.WITHDRAWN, meeting)
    if row.revision != revision:
        raise BoardRefused(Refusal.CHANGED, meeting)
    wanted = _stored(checked(config, meeting, typed))
    if typed.withdraw:
        wanted["withdrawn_at"] = now
    changes = {
        name: [_shown(name, getattr(row, name)), _shown(name, value)]
        for name, value in wanted.items()
        if getattr(row, name) != value
    }
    if changes:
        _revise(session, row, person, now, changes, wanted)
    return Edited(row, changes)


def withdraw_decision(
    *,
    session: Session,
    config: AssociationConfig,
    person: Person,
    decision_id: int,
    now: datetime,
    request_key: str | None = None,
) -> BoardDecision:
    """Withdraw a decision: it keeps its position (as a struck paragraph) and is left out of the digests."""
    require(config, person, Action.RECORD_BOARD_DECISIONS)
    row = session.get(BoardDecision, decision_id)
    if row is None:
        raise BoardRefused(Refusal.UNKNOWN_DECISION)
    meeting = held_meeting(config, row.meeting_id, now)
    lock_meeting(session, meeting)
    claim(session, request_key, now)
    session.refresh(row)
    if row.withdrawn_at is not None:
        raise BoardRefused(Refusal.WITHDRAWN, meeting)
    _revise(session, row, person, now, {"withdrawn_at": [None, now.isoformat()]}, {"withdrawn_at": now})
    return row


def _revise(
    session: Session,
    row: BoardDecision,
    person: Person,
    now: datetime,
    changes: dict[str, list[object]],
    values: dict[str, object],
) -> None:
    for name, value in values.items():
        setattr(row, name, value)
    row.revision += 1
    row.updated_by, row.updated_at = person.id, now
    assert row.id is not None  # a stored decision
    session.add(row)
    session.add(
        BoardDecisionRevision(
            decision_id=row.id,
            revision=row.revision,
            edited_by=person.id,
            edited_at=now,
            changes=json.dumps(changes, ensure_ascii=False),
        )
    )
    session.flush()


def decision_revisions(session: Session, decision_id: int) -> list[BoardDecisionRevision]:
    """A decision's revisions, oldest first."""
    statement = select(BoardDecisionRevision).where(BoardDecisionRevision.decision_id == decision_id)
    return list(session.scalars(statement.order_by(BoardDecisionRevision.revision)))


def member_ids(decision: BoardDecision) -> list[str]:
    return list(json.loads(decision.member_ids))


def department_ids(decision: BoardDecision) -> list[str]:
    return list(json.loads(decision.department_ids))
