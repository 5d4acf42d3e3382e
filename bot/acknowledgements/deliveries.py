"""What was delivered to whom, as acknowledgements count it: one entry per message (all its parts) of a member's
board digest or of a plan occurrence, with whether it arrived and when."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlmodel import Session

from bot.delivery import keys
from storage.outbox import Delivery, DeliveryStatus, RowKind


class Arrival(StrEnum):
    """Where a message is: every part sent, some part failed or missed for good, or still on its way."""

    SENT = "sent"
    FAILED = "failed"
    WAITING = "waiting"


@dataclass(frozen=True)
class Sent:
    """One message to one recipient: its item (a meeting, a plan item), occurrence, recipient and `about` (a
    member digest's member), where it is, and when its last part was sent."""

    item_id: str
    occurrence_key: str
    recipient: str
    about: str | None
    arrival: Arrival
    sent_at: datetime | None


def digests_to_members(session: Session, meeting_ids: set[str] | None = None) -> list[Sent]:
    """The board digests to member municipalities (the rows whose `about` is the member), of the given meetings or
    of all, in the order they were queued."""
    where = [Delivery.source == keys.Source.BOARD_DIGEST, Delivery.about.is_not(None)]
    if meeting_ids is not None:
        where.append(Delivery.item_id.in_(sorted(meeting_ids)))
    return _messages(session, where)


def plan_messages(session: Session, item_ids: set[str], since: datetime | None = None) -> list[Sent]:
    """The messages of the given plan items (queued since `since`), in the order they were queued."""
    if not item_ids:
        return []
    where = [Delivery.source == keys.Source.PLAN, Delivery.item_id.in_(sorted(item_ids))]
    if since is not None:
        where.append(Delivery.due_at >= since)
    return _messages(session, where)


def latest_plan_occurrences(session: Session, item_ids: set[str], per_item: int) -> list[Sent]:
    """The messages of the latest `per_item` occurrences (by when they were due) of each of the given items."""
    if not item_ids:
        return []
    due = func.max(Delivery.due_at)
    statement = (
        select(Delivery.item_id, Delivery.occurrence_key, due)
        .where(Delivery.source == keys.Source.PLAN, Delivery.item_id.in_(sorted(item_ids)))
        .group_by(Delivery.item_id, Delivery.occurrence_key)
        .order_by(due.desc())
    )
    latest: dict[str, list[str]] = {}
    for item_id, occurrence_key, _ in session.execute(statement):
        if len(latest.setdefault(item_id, [])) < per_item:
            latest[item_id].append(occurrence_key)
    wanted = {(item_id, key) for item_id, found in latest.items() for key in found}
    occurrence_keys = sorted({key for _, key in wanted})
    where = [
        Delivery.source == keys.Source.PLAN,
        Delivery.item_id.in_(sorted(latest)),
        Delivery.occurrence_key.in_(occurrence_keys),
    ]
    return [sent for sent in _messages(session, where) if (sent.item_id, sent.occurrence_key) in wanted]


def _messages(session: Session, where: list) -> list[Sent]:
    columns = (Delivery.item_id, Delivery.occurrence_key, Delivery.recipient, Delivery.about, Delivery.status,
               Delivery.sent_at)  # fmt: skip
    statement = select(*columns).where(Delivery.row_kind == RowKind.POST, *where).order_by(Delivery.id)
    parts: dict[tuple[str, str, str], list[tuple[str | None, str, datetime | None]]] = {}
    for item_id, occurrence_key, recipient, about, status, sent_at in session.execute(statement):
        parts.setdefault((item_id, occurrence_key, recipient), []).append((about, status, sent_at))
    return [_message(key, found) for key, found in parts.items()]


def _message(key: tuple[str, str, str], parts: list[tuple[str | None, str, datetime | None]]) -> Sent:
    statuses = {status for _, status, _ in parts}
    if statuses == {DeliveryStatus.SENT}:
        arrival = Arrival.SENT
    elif statuses & {DeliveryStatus.FAILED, DeliveryStatus.MISSED}:
        arrival = Arrival.FAILED
    else:
        arrival = Arrival.WAITING
    sent_at = max((at for _, _, at in parts if at is not None), default=None) if arrival == Arrival.SENT else None
    return Sent(*key, about=parts[0][0], arrival=arrival, sent_at=sent_at)
