"""One pass of the scheduler: queue what has fallen due, then send what is queued."""

import logging
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import Engine, text
from sqlmodel import Session

from bot.cases.digest import enqueue_case_digest
from bot.cases.reminders import enqueue_case_deadlines
from bot.config.model import AssociationConfig
from bot.delivery.enqueue import enqueue_due_plan
from bot.delivery.sender import Sender, SendReport
from bot.followup.schedule import enqueue_due_followup
from storage.engine import is_postgres, session_scope

log = logging.getLogger(__name__)
DueWork = Callable[[Session, AssociationConfig, datetime], Any]
TICK_LOCK_KEY = 0x5A4D5645  # any constant shared by all replicas

# Producers of due outbox rows, run in order inside one transaction per tick, each in its own savepoint.
DUE_WORK: list[DueWork] = [
    enqueue_due_plan,
    enqueue_due_followup,
    enqueue_case_deadlines,
    enqueue_case_digest,
]


@dataclass
class TickReport:
    queued: list[Any]
    send: SendReport
    errors: list[str] = field(default_factory=list)


@contextmanager
def _tick_lock(session: Session):
    """On PostgreSQL one replica at a time expands due work (the outbox key makes it idempotent anyway)."""
    if is_postgres(session):
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": TICK_LOCK_KEY})
    yield


def run_tick(engine: Engine, client: WebClient, config: AssociationConfig, now: datetime) -> TickReport:
    """Queue everything due as of `now` and send every due outbox row."""
    queued, errors = queue_due_work(engine, config, now)
    send = Sender(engine, client, config).send_due(now)
    return TickReport(queued=queued, send=send, errors=errors)


def queue_due_work(engine: Engine, config: AssociationConfig, now: datetime) -> tuple[list[Any], list[str]]:
    """Run every producer of due outbox rows; returns their reports and the errors of those that failed."""
    queued: list[Any] = []
    errors: list[str] = []
    with session_scope(engine) as session, _tick_lock(session):
        for produce in DUE_WORK:
            try:
                with session.begin_nested():
                    queued.append(produce(session, config, now))
            except Exception as exc:
                # One feature's failure must not stop the others, nor the sending of what is already queued.
                log.exception("scheduler: %s failed; its work is retried on the next tick", produce.__name__)
                queued.append(None)
                errors.append(f"{produce.__name__}: {exc!r}")
    return queued, errors
