"""Delivery status for the director and the quality manager: what went out, what failed or was missed."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from bot.acknowledgements.overview import OccurrenceAcknowledgements, plan_acknowledgements
from bot.config.model import AssociationConfig, Person
from bot.delivery.describe import what_was_sent
from bot.delivery.reports import REPORT_SOURCES
from bot.permissions import Action, require
from messages.deliveries import Explanation, describe, explain_error
from messages.mrkdwn import Mrkdwn
from storage import outbox
from storage.outbox import Delivery, DeliveryStatus, RowKind


@dataclass(frozen=True)
class StatusLine:
    """One delivery as the status shows it: when, what it was and where it went, and why it failed."""

    at: datetime
    what: Mrkdwn
    reason: Explanation | None = None


@dataclass(frozen=True)
class DeliveryStatusView:
    sent: list[StatusLine]
    failed: list[StatusLine]
    missed: list[StatusLine]
    waiting: int
    # Per occurrence of each item that asks for acknowledgement: delivered, acknowledged, missing.
    acknowledgements: list[OccurrenceAcknowledgements]


def delivery_status(
    *, session: Session, config: AssociationConfig, person: Person | None, limit: int = 10
) -> DeliveryStatusView:
    """The last deliveries and failures (failed reports too); only the director and the quality manager may see them."""
    require(config, person, Action.SEE_DELIVERY_STATUS)
    waiting = session.scalar(
        select(func.count())
        .select_from(Delivery)
        .where(Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING]), Delivery.row_kind == RowKind.POST)
    )

    def lines(status: str) -> list[Delivery]:
        # Reports that went out are not deliveries of the plan; one that failed means someone was not told.
        return outbox.recent(session, limit, (status,), () if status == DeliveryStatus.FAILED else REPORT_SOURCES)

    def line(row: Delivery, at: datetime, failed: bool = False) -> StatusLine:
        what = describe(what_was_sent(session, config, row))
        return StatusLine(at, what, explain_error(row.error) if failed else None)

    return DeliveryStatusView(
        sent=[line(row, row.sent_at or row.due_at) for row in lines(DeliveryStatus.SENT)],
        failed=[line(row, row.due_at, failed=True) for row in lines(DeliveryStatus.FAILED)],
        missed=[line(row, row.due_at) for row in lines(DeliveryStatus.MISSED)],
        waiting=waiting or 0,
        acknowledgements=plan_acknowledgements(session, config),
    )
