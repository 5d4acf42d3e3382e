"""The board's tables: decisions recorded after a meeting (with every revision), when a meeting's digests were
released, and the reports on decisions that must be carried out. Queries live with the feature (bot/board/)."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Column, Date, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class BoardDecision(SQLModel, table=True):
    """One decision of one meeting, as it stands now; `revision` counts its edits (board_decision_revision)."""

    __tablename__ = "board_decision"
    __table_args__ = (
        UniqueConstraint("meeting_id", "position", name="uq_board_decision_position"),
        Index("ix_board_decision_owner_due", "owner", "due"),
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: str = Field(max_length=60, index=True)  # the event id of the meeting
    position: int  # the decision's order in the meeting (its paragraph), from 1
    title: str = Field(max_length=200)
    summary: str = Field(sa_column=Column(Text, nullable=False))
    # Whom it concerns: every member municipality and department, or the listed ones (JSON arrays of ids).
    concerns_all: bool = Field(sa_column=Column(Boolean, nullable=False))
    member_ids: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    department_ids: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    public: bool = Field(sa_column=Column(Boolean, nullable=False))
    owner: str | None = Field(default=None, max_length=60)  # the person who carries it out, when it must be
    due: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    case_number: str | None = Field(default=None, max_length=40)  # the board's diarienummer
    revision: int = 1
    created_by: str = Field(max_length=60)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_by: str = Field(max_length=60)
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    withdrawn_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class BoardDecisionRevision(SQLModel, table=True):
    """One change to a decision: who, when, and each changed field as [before, after] (JSON)."""

    __tablename__ = "board_decision_revision"
    __table_args__ = (UniqueConstraint("decision_id", "revision", name="uq_board_decision_revision"),)

    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="board_decision.id", index=True)
    revision: int
    edited_by: str = Field(max_length=60)
    edited_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    changes: str = Field(sa_column=Column(Text, nullable=False))


class BoardDigestRelease(SQLModel, table=True):
    """A meeting whose digests the secretary sent: its decisions are final from then on."""

    __tablename__ = "board_digest_release"

    meeting_id: str = Field(primary_key=True, max_length=60)
    released_by: str = Field(max_length=60)
    released_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class TaskReportKind(StrEnum):
    """What a decision task's owner reported."""

    DONE = "done"
    DELAYED = "delayed"  # with a new due date
    COMMENT = "comment"


class BoardTaskReport(SQLModel, table=True):
    """A report on a decision that must be carried out; the latest DONE closes it, a DELAYED moves its due date."""

    __tablename__ = "board_task_report"

    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="board_decision.id", index=True)
    kind: str = Field(max_length=20)
    new_due: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    reported_by: str = Field(max_length=60)
    reported_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
