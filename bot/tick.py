"""One pass of the scheduler: queue what has fallen due, send what is queued, refresh stale personal views, prune
old delivery logs."""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import TypeVar

from sqlalchemy import Engine, text
from sqlmodel import Session

from bot.acknowledgements.reminders import enqueue_acknowledgement_reminders
from bot.board import preparation, secretary
from bot.board.preparation import enqueue_due_preparation
from bot.board.secretary import enqueue_protocol_requests
from bot.board.task_reminders import enqueue_task_reminders
from bot.cases.digest import enqueue_case_digest
from bot.cases.reminders import enqueue_case_deadlines
from bot.config.model import AssociationConfig
from bot.delivery.keys import Source
from bot.delivery.platform import Senders
from bot.delivery.retention import prune_delivery_log
from bot.delivery.sender import Sender, SendReport
from bot.delivery.withdrawal import CurrentCheck, withdraw_stale
from bot.followup.schedule import FollowupReport, enqueue_due_followup
from bot.home.refresh import refresh_home_views
from bot.plan import occurrences
from bot.plan.schedule import EnqueueReport, enqueue_due_plan
from bot.surveys.schedule import enqueue_due_surveys
from storage.engine import session_scope

log = logging.getLogger(__name__)
DueReport = FollowupReport | int  # what a producer of DUE_WORK returns: its report, or how many rows it queued
DueWork = Callable[[Session, AssociationConfig, datetime], DueReport]
Queued = EnqueueReport | DueReport | None  # a producer's report; None when it failed
T = TypeVar("T")
TICK_LOCK_KEY = 0x5A4D5645  # any constant shared by all replicas

# Producers of due outbox rows that write a few rows each: run in order inside one transaction per tick, each in
# its own savepoint. The plan, which may write tens of thousands, runs before them in transactions of its own.
DUE_WORK: list[DueWork] = [
    enqueue_due_followup,
    enqueue_case_deadlines,
    enqueue_case_digest,
    enqueue_protocol_requests,
    enqueue_task_reminders,
    enqueue_due_preparation,
    enqueue_due_surveys,
    enqueue_acknowledgement_reminders,
]
# The producers whose rows are about an event on a date, by source: before anything is sent, their rows still
# waiting for an event that moved or was cancelled are withdrawn (bot.delivery.withdrawal).
EVENT_ROWS: dict[str, CurrentCheck] = {
    Source.PLAN: occurrences.is_current,
    Source.BOARD_PREPARATION: preparation.is_current,
    Source.BOARD_DECISIONS: secretary.is_current,
}


@dataclass
class TickReport:
    queued: list[Queued]  # the plan's report, then DUE_WORK's in order
    send: SendReport
    errors: list[str] = field(default_factory=list)


@contextmanager
def _tick_lock(engine: Engine) -> Iterator[None]:
    """On PostgreSQL one replica at a time expands due work (the outbox key makes it idempotent anyway).

    A session-level advisory lock on a connection of its own, since the work commits several transactions.
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": TICK_LOCK_KEY})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": TICK_LOCK_KEY})
            connection.commit()


def run_tick(engine: Engine, senders: Senders, config: AssociationConfig, now: datetime) -> TickReport:
    """Queue everything due as of `now`, send every due outbox row, render and publish the personal views that
    became stale, then prune old delivery logs."""
    queued, errors = queue_due_work(engine, config, now)
    send = Sender(engine, senders, config).send_due(now)
    _attempt(errors, "refresh_home_views", partial(refresh_home_views, engine, senders, config, now))
    _attempt(errors, "prune_delivery_log", partial(prune_delivery_log, engine, config, now))
    return TickReport(queued=queued, send=send, errors=errors)


def queue_due_work(engine: Engine, config: AssociationConfig, now: datetime) -> tuple[list[Queued], list[str]]:
    """Run every producer of due outbox rows; returns their reports (the plan's first) and the errors of those
    that failed."""
    errors: list[str] = []
    with _tick_lock(engine):
        _attempt(errors, "withdraw_stale", partial(withdraw_stale, engine, config, now, EVENT_ROWS))
        queued: list[Queued] = [_attempt(errors, "enqueue_due_plan", partial(enqueue_due_plan, engine, config, now))]
        with session_scope(engine) as session:
            for produce in DUE_WORK:
                queued.append(_attempt(errors, produce.__name__, partial(_in_savepoint, session, produce, config, now)))
    return queued, errors


def _in_savepoint(session: Session, produce: DueWork, config: AssociationConfig, now: datetime) -> DueReport:
    with session.begin_nested():
        return produce(session, config, now)


def _attempt(errors: list[str], name: str, work: Callable[[], T]) -> T | None:
    """Run one job of the tick; a failure is logged and recorded, and stops neither the other jobs nor the
    sending of what is already queued. Returns the job's report, or None when it failed."""
    try:
        return work()
    except Exception as exc:
        log.exception("scheduler: %s failed; its work is retried on the next tick", name)
        errors.append(f"{name}: {exc!r}")
        return None
