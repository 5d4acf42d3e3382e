"""Reading and writing the acknowledgement table (storage/acknowledgements.py)."""

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from storage.acknowledgements import Acknowledgement
from storage.engine import insert_ignoring_conflicts


def find_acknowledgement(session: Session, subject: str, audience: str) -> Acknowledgement | None:
    statement = select(Acknowledgement).where(Acknowledgement.subject == subject, Acknowledgement.audience == audience)
    return session.scalars(statement).first()


def record_acknowledgement(
    session: Session, subject: str, audience: str, person_id: str, now: datetime
) -> tuple[Acknowledgement, bool]:
    """The acknowledgement of (subject, audience), and whether this call recorded it: a concurrent click that got
    there first keeps its own (the unique key decides)."""
    row = {"subject": subject, "audience": audience, "person_id": person_id, "acknowledged_at": now}
    inserted = insert_ignoring_conflicts(session, Acknowledgement.__table__, [row]) == 1
    found = find_acknowledgement(session, subject, audience)
    assert found is not None  # inserted now, or by the request that won
    return found, inserted


def acknowledgements_of(session: Session, subjects: set[str]) -> dict[tuple[str, str], Acknowledgement]:
    """The acknowledgements of the given subjects, by (subject, audience)."""
    if not subjects:
        return {}
    statement = select(Acknowledgement).where(Acknowledgement.subject.in_(sorted(subjects)))
    return {(found.subject, found.audience): found for found in session.scalars(statement)}
