"""Chat requests already processed (form submissions, buttons, commands), by a key derived from the request.

The key is recorded in the same transaction as the request's effect: a crash before the commit loses both, and a
replay or a double-click finds the key and changes nothing. The primary key makes two concurrent copies of one
request meet: on PostgreSQL the second INSERT waits for the first transaction and then inserts nothing; on SQLite
write transactions are serialised (BEGIN IMMEDIATE), so the second sees the first's committed row.
"""

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, Session, SQLModel

from storage.engine import insert_ignoring_conflicts
from storage.types import UTCDateTime

KEY_LENGTH = 64  # a SHA-256 hex digest: no Slack id or typed text is stored, so an anonymous report stays anonymous


class ProcessedRequest(SQLModel, table=True):
    __tablename__ = "processed_request"

    key: str = Field(primary_key=True, max_length=KEY_LENGTH)
    received_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


def first_processing(session: Session, key: str, now: datetime) -> bool:
    """Record the request key in the caller's transaction; False when it was processed before (a replay)."""
    return insert_ignoring_conflicts(session, ProcessedRequest.__table__, [{"key": key, "received_at": now}]) == 1
