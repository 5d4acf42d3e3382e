"""The messages that carry an acknowledge button, and showing the acknowledgement in them.

A button for (subject, audience) sits under the digest or plan message itself and under the reminder to acknowledge
it. Once acknowledged, each such outbox row is rewritten (the button replaced by "Kvitterat av ..."), so a row not
posted yet goes out current, and a row that may be posted gets an UPDATE row, which the outbox sends like any other
(claimed once, retried, failures reported), as bot/cases/triage.py does for a triage post.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from bot.acknowledgements.audiences import plan_recipient
from bot.acknowledgements.subjects import parse_subject, read_button_value
from bot.config.model import AssociationConfig
from bot.delivery import keys
from bot.delivery.describe import delivery_kind
from bot.delivery.outbox_rows import update_row
from messages.actions import ACKNOWLEDGE_ACTION
from messages.message import Button, Message
from messages.render import render
from storage import outbox
from storage.acknowledgements import Acknowledgement
from storage.outbox import Delivery, DeliveryStatus, RowKind


@dataclass(frozen=True)
class Shown:
    """What showing an acknowledgement did: the messages as they stand now, by the platform id of their post (the
    Teams answer to a click replaces the clicked card with its own), and the update rows that are waiting."""

    messages: dict[str, Message]
    updates: list[int]


def button_names(button: Button) -> tuple[str, str] | None:
    """The (subject, audience) an acknowledge button names; None for another button or a broken value."""
    return read_button_value(button.value) if button.action == ACKNOWLEDGE_ACTION else None


def _candidates(config: AssociationConfig, subject: str, audience: str) -> list:
    """Conditions on the rows that may carry the button: the reminders, and the digest or the plan message."""
    conditions = [
        and_(Delivery.source == keys.Source.ACKNOWLEDGEMENT, Delivery.item_id == subject, Delivery.about == audience)
    ]
    parsed = parse_subject(subject)
    if parsed is not None and parsed.meeting_id is not None:
        conditions.append(and_(Delivery.source == keys.Source.BOARD_DIGEST, Delivery.item_id == parsed.meeting_id))
    elif parsed is not None and (recipient := plan_recipient(config, audience)) is not None:
        conditions.append(
            and_(
                Delivery.source == keys.Source.PLAN,
                Delivery.item_id == parsed.item_id,
                Delivery.occurrence_key == parsed.occurrence_key,
                Delivery.recipient == recipient,
            )
        )
    return conditions


def carriers(session: Session, config: AssociationConfig, subject: str, audience: str) -> list[Delivery]:
    """The posts whose message carries the acknowledge button of (subject, audience), oldest first."""
    statement = (
        select(Delivery)
        .where(Delivery.row_kind == RowKind.POST, or_(*_candidates(config, subject, audience)))
        .order_by(Delivery.id)
    )
    return [row for row in session.scalars(statement) if _carries(row, (subject, audience))]


def _carries(row: Delivery, names: tuple[str, str]) -> bool:
    return any(button_names(button) == names for button in Message.from_json(row.message).buttons)


def _acknowledged(message: Message, names: tuple[str, str], done: str) -> Message:
    """The message with its acknowledge button replaced by the line saying who acknowledged it and when."""
    buttons = tuple(button for button in message.buttons if button_names(button) != names)
    return replace(message, text=f"{message.text}\n\n{done}" if message.text else done, buttons=buttons)


def who_and_when(config: AssociationConfig, acknowledgement: Acknowledgement) -> dict[str, object]:
    """The name of who acknowledged and when, for the templates."""
    person = config.find_person(acknowledgement.person_id)
    return {"who": person.name if person else acknowledgement.person_id, "at": acknowledgement.acknowledged_at}


def done_text(config: AssociationConfig, acknowledgement: Acknowledgement) -> str:
    """'Kvitterat av <name> <date>'."""
    return render("ack_done", **who_and_when(config, acknowledgement))


def show_acknowledgement(
    session: Session, config: AssociationConfig, acknowledgement: Acknowledgement, now: datetime
) -> Shown:
    """Rewrite every row that carries the button, queue an update of each that may be posted, and list the update
    rows still waiting for this subject (a replay sends those its first request may not have sent)."""
    subject, audience = acknowledgement.subject, acknowledgement.audience
    names, done = (subject, audience), done_text(config, acknowledgement)
    shown: dict[str, Message] = {}
    for row in carriers(session, config, subject, audience):
        message = _acknowledged(Message.from_json(row.message), names, done)
        outbox.mark(session, row.id, message=message.to_json())
        if row.posted_id:
            shown[row.posted_id] = message
        if _may_be_posted(row):
            key = keys.acknowledgement_update(subject, row, delivery_kind(row))
            outbox.enqueue(session, [update_row(target=row, key=key, now=now)])
    waiting = select(Delivery.id).where(
        Delivery.source == keys.Source.ACKNOWLEDGEMENT,
        Delivery.item_id == subject,
        Delivery.row_kind == RowKind.UPDATE,
        Delivery.status == DeliveryStatus.PENDING,
    )
    return Shown(shown, list(session.scalars(waiting.order_by(Delivery.id))))


def _may_be_posted(row: Delivery) -> bool:
    """Whether the message may be in its conversation already (as bot/cases/triage.py decides for a triage post):
    only a row surely not posted yet goes out rewritten by itself."""
    if row.status == DeliveryStatus.PENDING:
        return row.check_before_post
    return row.status in (DeliveryStatus.SENDING, DeliveryStatus.SENT)
