"""The scheduler's producer of case reminders and escalations: each queued once, when due, through the outbox."""

import logging
from datetime import datetime

from sqlmodel import Session

from bot.cases.deadlines import pending_notices
from bot.cases.notices import notice_rows
from bot.config.model import AssociationConfig
from storage import cases as store
from storage import outbox

log = logging.getLogger(__name__)


def enqueue_case_deadlines(session: Session, config: AssociationConfig, now: datetime) -> int:
    """Queue every reminder and escalation due by `now` for open cases; returns how many rows were new."""
    if config.cases is None:
        return 0
    rows: list[dict] = []
    for case in store.open_cases(session):
        for notice in pending_notices(config, case):
            if notice.at <= now:
                rows.extend(notice_rows(config, case, notice, now))
    queued = outbox.enqueue(session, rows)
    if queued:
        log.info("queued %d case reminder(s) and escalation(s)", queued)
    return queued
