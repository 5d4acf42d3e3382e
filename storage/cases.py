"""Feedback and complaint cases: the yearly number sequence, the cases, their history and the purge record."""

import time
from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import (
    Column,
    Date,
    Engine,
    ForeignKey,
    Insert,
    Integer,
    Text,
    UniqueConstraint,
    bindparam,
    delete,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlmodel import Field, Session, SQLModel

from storage.engine import is_postgres, session_scope
from storage.outbox import Delivery, RowKind
from storage.types import UTCDateTime

CASE_SOURCE = "case"
LOCK_RETRIES = 5
T = TypeVar("T")


class CaseStatus(StrEnum):
    """Where a case stands; stored as its value (templates compare against the value)."""

    NEW = "new"
    TAKEN = "taken"
    ANSWERED = "answered"
    CLOSED = "closed"


class CaseEventKind(StrEnum):
    """One kind of step in a case's history."""

    REGISTERED = "registered"
    TAKEN = "taken"
    ASSIGNED = "assigned"
    ANSWERED = "answered"
    CLOSED = "closed"
    REOPENED = "reopened"
    CONFIDENTIAL = "confidential"
    NOT_CONFIDENTIAL = "not_confidential"


OPEN_STATUSES = (CaseStatus.NEW, CaseStatus.TAKEN, CaseStatus.ANSWERED)


class CaseSequence(SQLModel, table=True):
    """The last case number given out in a year; its row lock serialises concurrent registrations."""

    __tablename__ = "case_sequence"

    year: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    last_number: int = 0


class FeedbackCase(SQLModel, table=True):
    """One registered piece of feedback or complaint (a public document with a case number)."""

    @property
    def current_answer_due(self) -> date:
        """The answer deadline that applies now: the reopen deadline after a reopen, else the original one."""
        return self.reopen_answer_due or self.answer_due

    __tablename__ = "feedback_case"
    __table_args__ = (
        UniqueConstraint("number", name="uq_feedback_case_number"),
        UniqueConstraint("year", "serial", name="uq_feedback_case_year_serial"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=40)
    year: int
    serial: int
    category: str = Field(max_length=20)
    department_id: str = Field(max_length=60, index=True)
    service_id: str | None = Field(default=None, max_length=60)
    member_id: str | None = Field(default=None, max_length=60)
    description: str = Field(sa_column=Column(Text, nullable=False))
    contact: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    anonymous: bool = False
    reporter_user_id: str | None = Field(default=None, max_length=40)
    source_link: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    confidential: bool = False
    status: str = Field(default=CaseStatus.NEW, max_length=20)
    assignee: str | None = Field(default=None, max_length=60)
    registered_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    take_due: date = Field(sa_column=Column(Date, nullable=False))
    answer_due: date = Field(sa_column=Column(Date, nullable=False))  # as registered; statistics measure against it
    reopen_answer_due: date | None = Field(default=None, sa_column=Column(Date, nullable=True))  # after the last reopen
    taken_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    answered_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    answer: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    resolution: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class CaseEvent(SQLModel, table=True):
    """One step in a case's history: who (a configured person id, or nobody) did what, and when."""

    __tablename__ = "case_event"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(sa_column=Column(Integer, ForeignKey("feedback_case.id"), nullable=False, index=True))
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    actor: str | None = Field(default=None, max_length=60)
    kind: str = Field(max_length=30)
    detail: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class CasePurge(SQLModel, table=True):
    """What the retention rule removed: the case number and dates, never the contents."""

    __tablename__ = "case_purge"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=40)
    category: str = Field(max_length=20)
    department_id: str = Field(max_length=60)
    registered_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    closed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    purged_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    rule: str = Field(sa_column=Column(Text, nullable=False))


def _next_serial_statement(postgres: bool) -> Insert:
    """One upsert: the year's row with 1 when it has none, else its number plus one, RETURNING the number. On
    PostgreSQL the row stays locked until the transaction ends, so concurrent registrations wait in turn."""
    table = CaseSequence.__table__
    return (
        (postgresql if postgres else sqlite)
        .insert(table)
        .values(year=bindparam("year"), last_number=1)
        .on_conflict_do_update(index_elements=[table.c.year], set_={"last_number": table.c.last_number + 1})
        .returning(table.c.last_number)
    )


_NEXT_SERIAL = {postgres: _next_serial_statement(postgres) for postgres in (False, True)}


def next_serial(session: Session, year: int) -> int:
    """The next number in `year`'s sequence, taken inside the caller's transaction (rolled back with it)."""
    return session.execute(_NEXT_SERIAL[is_postgres(session)], {"year": year}).scalar_one()


# A case and its history events are inserted as Core statements, built once: they are written on every
# registration and step, and the ORM's unit of work (a flush per object) cost more than the statements themselves.
_CASES = FeedbackCase.__table__
_EVENTS = CaseEvent.__table__
_INSERT_CASE = _CASES.insert().returning(_CASES.c.id)
_INSERT_EVENT = _EVENTS.insert().returning(_EVENTS.c.id)


def insert_case(session: Session, case: FeedbackCase) -> None:
    """Insert the new case (not added to the session) and set its id."""
    values = {column.key: getattr(case, column.key) for column in _CASES.c if column.key != "id"}
    case.id = session.execute(_INSERT_CASE, values).scalar_one()


def add_event(
    session: Session, case_id: int, at: datetime, actor: str | None, kind: CaseEventKind, detail: str | None
) -> CaseEvent:
    """Append a step to the case's history; the event (with its id) is returned, not added to the session."""
    values = {"case_id": case_id, "at": at, "actor": actor, "kind": kind, "detail": detail}
    event_id = session.execute(_INSERT_EVENT, values).scalar_one()
    return CaseEvent(id=event_id, **values)


def get_case(session: Session, case_id: int, for_update: bool = False) -> FeedbackCase | None:
    """A case by id; with `for_update` its row stays locked on PostgreSQL until the transaction ends."""
    statement = select(FeedbackCase).where(FeedbackCase.id == case_id)
    if for_update and is_postgres(session):
        statement = statement.with_for_update()
    return session.scalars(statement).first()


def open_cases(session: Session) -> list[FeedbackCase]:
    statement = select(FeedbackCase).where(FeedbackCase.status.in_(OPEN_STATUSES)).order_by(FeedbackCase.id)
    return list(session.scalars(statement))


def cases_in_year(session: Session, year: int | None) -> list[FeedbackCase]:
    """Every case registered in `year` (every case when None), oldest first."""
    statement = select(FeedbackCase).order_by(FeedbackCase.year, FeedbackCase.serial)
    if year is not None:
        statement = statement.where(FeedbackCase.year == year)
    return list(session.scalars(statement))


def history(session: Session, case_ids: list[int]) -> dict[int, list[CaseEvent]]:
    """Each case's events in order."""
    found: dict[int, list[CaseEvent]] = {case_id: [] for case_id in case_ids}
    if not case_ids:
        return found
    statement = select(CaseEvent).where(CaseEvent.case_id.in_(case_ids)).order_by(CaseEvent.at, CaseEvent.id)
    for event in session.scalars(statement):
        found[event.case_id].append(event)
    return found


def closed_before(session: Session, before: datetime, categories: list[str]) -> list[FeedbackCase]:
    """Closed cases of `categories` closed before `before`, oldest first."""
    statement = (
        select(FeedbackCase)
        .where(
            FeedbackCase.status == CaseStatus.CLOSED,
            FeedbackCase.closed_at < before,
            FeedbackCase.category.in_(categories),
        )
        .order_by(FeedbackCase.year, FeedbackCase.serial)
    )
    return list(session.scalars(statement))


def remove_cases(session: Session, cases: list[FeedbackCase], purged_at: datetime, rule: str) -> list[CasePurge]:
    """Delete the cases, their history and their outbox rows (one DELETE per table), and record each removal."""
    records = [
        CasePurge(
            number=case.number,
            category=case.category,
            department_id=case.department_id,
            registered_at=case.registered_at,
            closed_at=case.closed_at,
            purged_at=purged_at,
            rule=rule,
        )
        for case in cases
    ]
    if not cases:
        return records
    session.add_all(records)
    ids = [case.id for case in cases]
    session.execute(delete(CaseEvent).where(CaseEvent.case_id.in_(ids)))
    session.execute(delete(Delivery).where(Delivery.source == CASE_SOURCE, Delivery.item_id.in_([str(i) for i in ids])))
    session.execute(delete(FeedbackCase).where(FeedbackCase.id.in_(ids)))
    return records


def triage_delivery(session: Session, case_id: int, kind: str) -> Delivery | None:
    """The outbox row that posts (or posted) the case to its triage channel (`kind`: the triage post's kind; the
    updates of that post have it too, and are not it)."""
    statement = select(Delivery).where(
        Delivery.source == CASE_SOURCE,
        Delivery.item_id == str(case_id),
        Delivery.kind == kind,
        Delivery.row_kind == RowKind.POST,
        Delivery.part == 0,
    )
    return session.scalars(statement).first()


def retrying_locks(engine: Engine, work: Callable[[Session], T]) -> T:
    """Run `work` in its own transaction; on SQLite a concurrent registration may find the database locked (the
    year's sequence row), so the whole transaction is retried a few times."""
    for attempt in range(1, LOCK_RETRIES):
        try:
            with session_scope(engine) as session:
                return work(session)
        except OperationalError as exc:
            if "locked" not in str(exc).lower():
                raise
            time.sleep(0.05 * attempt)
    with session_scope(engine) as session:  # the last attempt: its error is the caller's
        return work(session)
