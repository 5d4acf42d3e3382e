"""Delivery status for the director and the quality manager: what went out, what failed or was missed."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from bot.config.model import AssociationConfig, Person
from bot.delivery.reports import REPORT_SOURCES
from bot.errors import NotAllowed
from storage import outbox
from storage.outbox import Delivery, DeliveryStatus

STATUS_ROLES = ("director", "quality_manager")


@dataclass(frozen=True)
class DeliveryStatusView:
    sent: list[Delivery]
    failed: list[Delivery]
    missed: list[Delivery]
    waiting: int


def may_see_status(config: AssociationConfig, person: Person | None) -> bool:
    return person is not None and person.id in {config.roles.get(role) for role in STATUS_ROLES}


def delivery_status(
    session: Session, config: AssociationConfig, person: Person | None, limit: int = 10
) -> DeliveryStatusView:
    """The last deliveries and failures; only the director and the quality manager may see them."""
    if not may_see_status(config, person):
        raise NotAllowed("se leveransstatus")
    waiting = session.scalar(
        select(func.count())
        .select_from(Delivery)
        .where(Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING]))
    )
    return DeliveryStatusView(
        # The owners' own failure and missed reports are not deliveries of the plan.
        sent=outbox.recent(session, limit, (DeliveryStatus.SENT,), REPORT_SOURCES),
        failed=outbox.recent(session, limit, (DeliveryStatus.FAILED,), REPORT_SOURCES),
        missed=outbox.recent(session, limit, (DeliveryStatus.MISSED,), REPORT_SOURCES),
        waiting=waiting or 0,
    )
