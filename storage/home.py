"""The personal view ("my tasks": Slack's Home tab, the Teams personal card) as last rendered, per person.

A row is clean until something that changes the person's tasks marks it dirty (bot/home/dirty.py) or its
`valid_until` passes (the next moment time alone changes the view: a new day, a round opening or closing). Opening
the view when it is clean reads this row and nothing else. `version` grows with every mark, so a view rendered
while a write marked it is stored still dirty (the write's change may not be in it).
"""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Column, Text, bindparam, case, select, update
from sqlmodel import Field, Session, SQLModel

from storage.engine import insert_ignoring_conflicts
from storage.followup import FollowupDelegation
from storage.types import UTCDateTime


class HomeView(SQLModel, table=True):
    __tablename__ = "home_view"

    person_id: str = Field(primary_key=True, max_length=60)
    parts: str = Field(sa_column=Column(Text, nullable=False))  # a JSON list of neutral messages (Message.to_json)
    dirty: bool = False
    version: int = 0
    valid_until: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    rendered_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


def fresh_parts(session: Session, person_id: str, now: datetime) -> str | None:
    """The stored view of the person when it is clean and still valid at `now`; None when it must be rendered."""
    statement = select(HomeView.parts).where(
        HomeView.person_id == person_id, HomeView.dirty.is_(False), HomeView.valid_until > now
    )
    return session.scalars(statement).first()


def version_of(session: Session, person_id: str) -> int | None:
    """The row's version before a rendering (None: no row yet)."""
    return session.scalars(select(HomeView.version).where(HomeView.person_id == person_id)).first()


def store_view(
    session: Session, person_id: str, parts: str, valid_until: datetime, now: datetime, read_version: int | None
) -> None:
    """Store a rendering; it is clean only if nothing marked the person since `read_version` was read."""
    if read_version is None:
        row = {"person_id": person_id, "parts": parts, "dirty": False, "version": 0, "valid_until": valid_until,
               "rendered_at": now}  # fmt: skip
        if insert_ignoring_conflicts(session, HomeView.__table__, [row]) == 1:
            return
        read_version = -1  # a concurrent rendering inserted first: store ours, dirty
    statement = (
        update(HomeView)
        .where(HomeView.person_id == person_id)
        .values(
            parts=parts,
            valid_until=valid_until,
            rendered_at=now,
            dirty=case((HomeView.version == read_version, False), else_=True),
        )
    )
    session.execute(statement)


# Marking runs inside many writes (a case registered, an answer saved): one statement each, built once, with the
# people as one expanding parameter; on the table, so no ORM bookkeeping of loaded views is done for it.
_views = HomeView.__table__
_MARK = update(_views).values(dirty=True, version=_views.c.version + 1)
_PEOPLE = _views.c.person_id.in_(bindparam("people", expanding=True))
_MARK_PEOPLE = _MARK.where(_PEOPLE)
_MARK_PEOPLE_AND_DELEGATES = _MARK.where(
    _PEOPLE
    | _views.c.person_id.in_(
        select(FollowupDelegation.person_id).where(FollowupDelegation.department_id == bindparam("department"))
    )
)


def mark_dirty(session: Session, person_ids: Iterable[str | None]) -> None:
    """Mark the stored views of these people dirty (people without a stored view have nothing to mark)."""
    wanted = sorted({person_id for person_id in person_ids if person_id})
    if wanted:
        session.execute(_MARK_PEOPLE, {"people": wanted})


def mark_dirty_with_delegates(session: Session, person_ids: Iterable[str | None], department_id: str) -> None:
    """Mark these people's views dirty and those of whoever a follow-up round of the department was handed to,
    in one statement."""
    wanted = sorted({person_id for person_id in person_ids if person_id})
    session.execute(_MARK_PEOPLE_AND_DELEGATES, {"people": wanted, "department": department_id})


def mark_all_dirty(session: Session) -> None:
    """Mark every stored view dirty (a change whose reach is everyone's, e.g. a new configuration)."""
    session.execute(_MARK)


def stale_people(session: Session, now: datetime) -> list[str]:
    """The people whose stored view is dirty or no longer valid at `now`."""
    statement = select(HomeView.person_id).where((HomeView.dirty.is_(True)) | (HomeView.valid_until <= now))
    return list(session.scalars(statement.order_by(HomeView.person_id)))
