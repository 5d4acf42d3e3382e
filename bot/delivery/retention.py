"""Gallring of delivery logs: finished outbox rows older than the configured period are removed, a batch at a time.

Outbox rows are logs of deliveries, not the records themselves (the plan lives in the association file, the
documents where they are filed, cases in their own tables under their own rule), so they are kept only as long
as `settings.delivery_log_days` says. Case rows are left to the cases' retention rule, which removes them with
their case. The cutoff never reaches into the window a tick still examines (the last tick minus the grace
period, for the producer furthest behind), so a removed row can never make an old occurrence look unqueued.

The keys of processed chat requests and Slack events are forgotten after a week: a signed request is refused
once its timestamp is 5 minutes old and Slack retries an event within the hour, so an older key can never match.
"""

import logging
from datetime import datetime, timedelta

from sqlalchemy import Engine

from bot.config.model import AssociationConfig
from bot.delivery import keys
from bot.followup.schedule import TICK_NAME as FOLLOWUP_TICK
from storage import outbox, state
from storage.engine import delete_before, session_scope
from storage.requests import ProcessedRequest
from storage.state import PLAN_TICK, ProcessedEvent

log = logging.getLogger(__name__)
# The producers that decide from outbox rows what they have done within a window reaching back from their last
# tick. (The digest looks only after its own last tick; case rows are not pruned here.)
WINDOWED_PRODUCERS = (PLAN_TICK, FOLLOWUP_TICK)
BATCH_ROWS = 500  # rows per delete transaction: short, like the tick's writes
BATCHES_PER_TICK = 20  # a backlog of a million rows is gone in under two hours of ticks
REQUEST_KEYS_KEPT = timedelta(days=7)


def prune_delivery_log(engine: Engine, config: AssociationConfig, now: datetime) -> int:
    """Remove up to BATCHES_PER_TICK batches of old finished rows, completion marks and request keys; returns rows
    removed."""
    grace = timedelta(hours=config.settings.grace_period_hours)
    with session_scope(engine) as session:
        last_tick = state.earliest_tick(session, WINDOWED_PRODUCERS)
    cutoff = now - timedelta(days=config.settings.delivery_log_days)
    if last_tick is not None:
        cutoff = min(cutoff, last_tick - grace)
    removed = 0
    for _ in range(BATCHES_PER_TICK):
        with session_scope(engine) as session:
            batch = outbox.prune(session, cutoff, (keys.Source.CASE,), BATCH_ROWS)
            batch += outbox.prune_queued_marks(session, cutoff, BATCH_ROWS)
            for key, received in (
                (ProcessedRequest.key, ProcessedRequest.received_at),
                (ProcessedEvent.event_id, ProcessedEvent.received_at),
            ):
                batch += delete_before(session, key, received, now - REQUEST_KEYS_KEPT, BATCH_ROWS)
        removed += batch
        if batch == 0:
            break
    if removed:
        log.info("removed %d delivery log row(s) older than %s", removed, cutoff.date().isoformat())
    return removed
