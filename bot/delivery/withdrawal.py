"""Nothing stale goes out: rows queued for an event's date are withdrawn when the event moves or is cancelled
before they went out (a retry pending, the bot down), and put back when the event returns to that date.

Each producer whose rows are about an event says, for one of its occurrences, whether it is still current
(`CurrentCheck`); the tick runs this before it sends, so a row whose event changed is never claimed. Only pending
rows are withdrawn: a row a sender has claimed may already be posted. The moved event's own occurrence has another
key (its new date), so its producer queues it anew.
"""

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine

from bot.config.model import AssociationConfig
from storage import outbox
from storage.engine import session_scope
from storage.outbox import DeliveryStatus

log = logging.getLogger(__name__)
# (config, item_id, occurrence_key, due_at) -> still current; None when the occurrence is not about an event.
CurrentCheck = Callable[[AssociationConfig, str, str, datetime], bool | None]
WITHDRAWN_REASON = "withdrawn: its event was moved or cancelled"


@dataclass
class WithdrawalReport:
    withdrawn: int = 0
    restored: int = 0


def withdraw_stale(
    engine: Engine, config: AssociationConfig, now: datetime, checks: Mapping[str, CurrentCheck]
) -> WithdrawalReport:
    """Withdraw the pending rows of occurrences that are no longer current; put back the withdrawn rows of those
    current again and due within the grace period (older ones stay withdrawn: they would arrive too late)."""
    report = WithdrawalReport()
    grace = timedelta(hours=config.settings.grace_period_hours)
    sources = sorted(checks)
    with session_scope(engine) as session:
        for source, item_id, key, due_at in outbox.occurrences_in_status(session, DeliveryStatus.PENDING, sources):
            if checks[source](config, item_id, key, due_at) is False:
                moved = outbox.move_occurrence(
                    session, source, item_id, key, DeliveryStatus.PENDING, DeliveryStatus.WITHDRAWN, WITHDRAWN_REASON
                )
                log.info("withdrew %d row(s) of %s %s (%s): %s", moved, source, item_id, key, WITHDRAWN_REASON)
                report.withdrawn += moved
        back = outbox.occurrences_in_status(session, DeliveryStatus.WITHDRAWN, sources, due_since=now - grace)
        for source, item_id, key, due_at in back:
            if checks[source](config, item_id, key, due_at):
                moved = outbox.move_occurrence(
                    session, source, item_id, key, DeliveryStatus.WITHDRAWN, DeliveryStatus.PENDING, None
                )
                log.info("put back %d row(s) of %s %s (%s): its event is back on that day", moved, source, item_id, key)
                report.restored += moved
    return report
