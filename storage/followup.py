"""Follow-up tables (answers, their revisions, delegations) and their queries."""

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Float, Index, Text, UniqueConstraint, delete, select
from sqlmodel import Field, Session, SQLModel

from storage.types import UTCDateTime


class FollowupAnswer(SQLModel, table=True):
    """A department's current answer for one indicator in one round."""

    __tablename__ = "followup_answer"
    __table_args__ = (
        UniqueConstraint("round_id", "department_id", "indicator_id", name="uq_followup_answer"),
        Index("ix_followup_answer_indicator", "indicator_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: str = Field(max_length=60)
    department_id: str = Field(max_length=60)
    indicator_id: str = Field(max_length=60)
    status: str = Field(max_length=20)
    value_number: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    value_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    actions: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    revision: int = 1
    submitted_by: str = Field(max_length=60)
    submitted_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class FollowupRevision(SQLModel, table=True):
    """One change to an answer: who, when, and each changed field as [before, after] (JSON)."""

    __tablename__ = "followup_revision"
    __table_args__ = (
        UniqueConstraint("round_id", "department_id", "indicator_id", "revision", name="uq_followup_revision"),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: str = Field(max_length=60)
    department_id: str = Field(max_length=60)
    indicator_id: str = Field(max_length=60)
    revision: int
    submitted_by: str = Field(max_length=60)
    submitted_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    changes: str = Field(sa_column=Column(Text, nullable=False))


class FollowupDelegation(SQLModel, table=True):
    """A department head's hand-over of one round to a deputy."""

    __tablename__ = "followup_delegation"

    round_id: str = Field(primary_key=True, max_length=60)
    department_id: str = Field(primary_key=True, max_length=60)
    person_id: str = Field(max_length=60)
    delegated_by: str = Field(max_length=60)
    delegated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class AnswerStatus(StrEnum):
    """How an indicator stands in a department's answer; stored as its value."""

    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    AT_RISK = "at_risk"


def answers_for_rounds(session: Session, round_ids: Iterable[str]) -> list[FollowupAnswer]:
    """Every answer in the given rounds, in one statement."""
    ids = sorted(set(round_ids))
    if not ids:
        return []
    statement = select(FollowupAnswer).where(FollowupAnswer.round_id.in_(ids))
    return list(session.scalars(statement))


def answers_for(session: Session, round_ids: Iterable[str], department_id: str) -> list[FollowupAnswer]:
    """One department's answers in the given rounds."""
    ids = sorted(set(round_ids))
    if not ids:
        return []
    statement = select(FollowupAnswer).where(
        FollowupAnswer.round_id.in_(ids), FollowupAnswer.department_id == department_id
    )
    return list(session.scalars(statement))


def answers_for_indicator(session: Session, indicator_id: str) -> list[FollowupAnswer]:
    statement = select(FollowupAnswer).where(FollowupAnswer.indicator_id == indicator_id)
    return list(session.scalars(statement))


def answered_pairs(session: Session, round_ids: Iterable[str]) -> set[tuple[str, str, str]]:
    """(round, department, indicator) for every answer in the given rounds."""
    ids = sorted(set(round_ids))
    if not ids:
        return set()
    statement = select(FollowupAnswer.round_id, FollowupAnswer.department_id, FollowupAnswer.indicator_id).where(
        FollowupAnswer.round_id.in_(ids)
    )
    return {(r, d, i) for r, d, i in session.execute(statement)}


def revisions_for_round(session: Session, round_id: str) -> list[FollowupRevision]:
    """Every change to the round's answers, in the order they were made per department and indicator."""
    statement = (
        select(FollowupRevision)
        .where(FollowupRevision.round_id == round_id)
        .order_by(FollowupRevision.department_id, FollowupRevision.indicator_id, FollowupRevision.revision)
    )
    return list(session.scalars(statement))


def delegations(session: Session, round_ids: Iterable[str]) -> list[FollowupDelegation]:
    ids = sorted(set(round_ids))
    if not ids:
        return []
    return list(session.scalars(select(FollowupDelegation).where(FollowupDelegation.round_id.in_(ids))))


def set_delegation(
    session: Session, round_id: str, department_id: str, person_id: str, delegated_by: str, now: datetime
) -> None:
    """Hand a department's answer in a round to `person_id`, replacing any earlier hand-over."""
    session.execute(
        delete(FollowupDelegation).where(
            FollowupDelegation.round_id == round_id, FollowupDelegation.department_id == department_id
        )
    )
    session.add(
        FollowupDelegation(
            round_id=round_id,
            department_id=department_id,
            person_id=person_id,
            delegated_by=delegated_by,
            delegated_at=now,
        )
    )
    session.flush()
