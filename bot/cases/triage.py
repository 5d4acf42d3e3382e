"""Keeping a case's triage message current: the queued row rewritten, and the posted message updated through the
outbox (an UPDATE row per refresh, with the same claim, retries and failure reports as a post)."""

import logging
import uuid
from datetime import UTC, datetime

from sqlalchemy import Engine

from bot.cases.notices import triage_message
from bot.config.model import AssociationConfig
from bot.delivery import keys
from bot.delivery.outbox_rows import update_row
from bot.delivery.platform import Senders
from bot.delivery.sender import Sender
from storage import cases as store
from storage import outbox
from storage.engine import session_scope
from storage.outbox import Delivery, DeliveryStatus

log = logging.getLogger(__name__)
MAX_ROUNDS = 3


def _queue_update(
    engine: Engine, config: AssociationConfig, case_id: int, now: datetime, shown_version: int | None
) -> tuple[int, str, int] | None:
    """Rewrite the triage row to the case as it stands now, and, once that row is posted, queue the update of the
    posted message; returns (the update row's id, the case number, the version), or None when there is nothing
    to update or this refresh has shown this version already.

    The key names the case's version and this refresh: every refresh (each click) updates the message once, and
    the tick never sends an update that a request is sending, nor twice.

    Rewriting the row means that a row not yet sent goes out current, and that a confidential case's contents do
    not linger in the outbox (an update row holds none: it shows what the triage row holds when it is sent).
    """
    with session_scope(engine) as session:
        case = store.get_case(session, case_id)
        delivery = store.triage_delivery(session, case_id, keys.Kind.CASE_TRIAGE)
        if case is None or delivery is None:
            return None
        events = store.history(session, [case_id])[case_id]
        message = triage_message(config, case, events)
        outbox.mark(session, delivery.id, text=message.summary, message=message.to_json())
        version = events[-1].id  # the id of the case's latest history event
        if not _may_be_posted(delivery) or version == shown_version:
            return None
        row = update_row(target=delivery, key=keys.case_update(case_id, version, uuid.uuid4().hex[:12]), now=now)
        outbox.enqueue(session, [row])
        return outbox.row_id(session, row), case.number, version


def _may_be_posted(delivery: Delivery) -> bool:
    """Whether the triage message may be in the channel already: sent, being sent, or sent before a crash or an
    error that left it unrecorded. Only a row surely not posted yet goes out with the rewritten text by itself; for
    the others an update is queued, which waits (retrying) until the post is recorded, then shows the row as it is."""
    if delivery.status == DeliveryStatus.PENDING:
        return delivery.check_before_post
    return delivery.status in (DeliveryStatus.SENDING, DeliveryStatus.SENT)


def refresh_triage(
    engine: Engine, senders: Senders, config: AssociationConfig, case_id: int, now: datetime | None = None
) -> bool:
    """Show the case's current state in its triage channel; True when the posted message was updated.

    After updating, the case is read again: if another step happened meanwhile, the message is updated once more.
    An update that fails stays in the outbox (retried, or reported to the department head like any delivery).
    """
    updated, shown_version = False, None
    for _ in range(MAX_ROUNDS):
        at = now or datetime.now(UTC)
        queued = _queue_update(engine, config, case_id, at, shown_version)
        if queued is None:
            return updated
        row_id, number, shown_version = queued
        report = Sender(engine, senders, config).send_rows([row_id], at)
        if report.failed:
            reasons = ", ".join(reason for _, reason in report.failed)
            log.error("could not update the triage message of case %s: %s", number, reasons)
            return False
        if not report.sent:  # deferred (not posted yet, a rate limit) or taken by the tick: the outbox sends it
            reasons = ", ".join(reason for _, reason in report.deferred) or "taken by another sender"
            log.info("the triage message of case %s will be updated by the outbox: %s", number, reasons)
            return False
        updated = True
    return updated
