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
from storage.outbox import DeliveryStatus

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
        delivery = store.triage_delivery(session, case_id)
        if case is None or delivery is None:
            return None
        events = store.history(session, [case_id])[case_id]
        message = triage_message(config, case, events)
        outbox.mark(session, delivery.id, text=message.summary, message=message.to_json())
        version = events[-1].id  # the id of the case's latest history event
        if delivery.status != DeliveryStatus.SENT or not delivery.posted_id or version == shown_version:
            return None
        row = update_row(target=delivery, key=keys.case_update(case_id, version, uuid.uuid4().hex[:12]), now=now)
        outbox.enqueue(session, [row])
        return outbox.row_id(session, row), case.number, version


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
        if not report.sent:
            reasons = ", ".join(reason for _, reason in report.failed + report.deferred) or "taken by another sender"
            log.error("could not update the triage message of case %s: %s", number, reasons)
            return False
        updated = True
    return updated
