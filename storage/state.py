"""Small operational tables: scheduler progress, processed Slack events, the e-mail to user id cache."""

from datetime import datetime

from sqlalchemy import Column, func
from sqlmodel import Field, Session, SQLModel, select

from storage.engine import insert_ignoring_conflicts
from storage.types import UTCDateTime

PLAN_TICK = "plan"  # the plan's producer's position; the others name theirs


class SchedulerState(SQLModel, table=True):
    __tablename__ = "scheduler_state"

    name: str = Field(primary_key=True, max_length=60)
    last_tick_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ProcessedEvent(SQLModel, table=True):
    __tablename__ = "processed_event"

    event_id: str = Field(primary_key=True, max_length=100)
    received_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class SlackUser(SQLModel, table=True):
    """A person's Slack user id found by e-mail through users.lookupByEmail."""

    __tablename__ = "slack_user"

    email: str = Field(primary_key=True, max_length=320)
    user_id: str = Field(max_length=40, index=True)
    fetched_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


def last_tick(session: Session, name: str = PLAN_TICK) -> datetime | None:
    state = session.get(SchedulerState, name)
    return state.last_tick_at if state else None


def earliest_tick(session: Session, names: tuple[str, ...]) -> datetime | None:
    """The oldest position among the named producers: what the slowest of them has yet to look at comes after it."""
    return session.scalar(select(func.min(SchedulerState.last_tick_at)).where(SchedulerState.name.in_(names)))


def record_tick(session: Session, now: datetime, name: str = PLAN_TICK) -> None:
    state = session.get(SchedulerState, name)
    if state is None:
        session.add(SchedulerState(name=name, last_tick_at=now))
    elif now > state.last_tick_at:
        state.last_tick_at = now


def first_sighting_of_event(session: Session, event_id: str, now: datetime) -> bool:
    """Record a Slack event id; False when it was seen before (a retry)."""
    rows = [{"event_id": event_id, "received_at": now}]
    return insert_ignoring_conflicts(session, ProcessedEvent.__table__, rows) == 1


def cached_user_id(session: Session, email: str) -> str | None:
    row = session.get(SlackUser, email.lower())
    return row.user_id if row else None


def emails_of_user(session: Session, user_id: str) -> list[str]:
    return list(session.exec(select(SlackUser.email).where(SlackUser.user_id == user_id)))


def cache_user_id(session: Session, email: str, user_id: str, now: datetime) -> None:
    """Remember the user id behind an e-mail; two requests caching the same address at once both succeed."""
    values = {"email": email.lower(), "user_id": user_id, "fetched_at": now}
    if insert_ignoring_conflicts(session, SlackUser.__table__, [values]) == 1:
        return
    row = session.get(SlackUser, email.lower())
    row.user_id, row.fetched_at = user_id, now
