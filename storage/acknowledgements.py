"""Acknowledgements ("Kvitterat"): who confirmed having received what, for a board digest or any plan item that
asks for it. The subject names what was sent (one meeting's digest, one plan occurrence), the audience whom it was
sent to (a member municipality, a person, a channel)."""

from datetime import datetime

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class Acknowledgement(SQLModel, table=True):
    """One audience's acknowledgement of one subject; the first click counts, later ones change nothing."""

    __tablename__ = "acknowledgement"
    __table_args__ = (UniqueConstraint("subject", "audience", name="uq_acknowledgement"),)

    id: int | None = Field(default=None, primary_key=True)
    subject: str = Field(max_length=200, index=True)
    audience: str = Field(max_length=200)
    person_id: str = Field(max_length=60)  # who clicked (a configured person)
    acknowledged_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
