"""The scheduler's producer of case reminders and escalations: each queued once, when due, through the outbox."""

import logging
from datetime import datetime

from sqlmodel import Session

from bot.cases.deadlines import pending_notices
from bot.cases.notices import notice_rows
from bot.cases.permissions import department_routed
from bot.config.model import AssociationConfig
from bot.delivery import keys
from bot.local_time import local_date
from storage import cases as store
from storage import outbox

log = logging.getLogger(__name__)


def enqueue_case_deadlines(session: Session, config: AssociationConfig, now: datetime) -> int:
    """Queue every reminder and escalation due by `now` for open cases; returns how many rows were new.

    A notice already in the outbox is not rendered again. A reminder whose deadline has passed is skipped (the
    escalation says it instead). An escalation is still sent after downtime, however late: somebody must hear
    about the missed deadline. A case whose department the configuration no longer routes is skipped and
    logged; it stays open and its notices wait until the configuration routes it again.
    """
    if config.cases is None:
        return 0
    cases = store.open_cases(session)
    queued_keys = outbox.occurrence_keys_of_items(session, keys.Source.CASE, {str(case.id) for case in cases})
    today = local_date(config, now)
    rows: list[dict] = []
    for case in cases:
        if not department_routed(config, case.department_id):
            log.warning(
                "case %s: department %r is not in the configuration; its reminders wait",
                case.number,
                case.department_id,
            )
            continue
        for notice in pending_notices(config, case):
            if notice.at > now or (str(case.id), notice.outbox_key(case.id).occurrence) in queued_keys:
                continue
            if notice.kind == "reminder" and notice.deadline < today:
                continue
            rows.extend(notice_rows(config, case, notice, now))
    queued = outbox.enqueue(session, rows)
    if queued:
        log.info("queued %d case reminder(s) and escalation(s)", queued)
    return queued
