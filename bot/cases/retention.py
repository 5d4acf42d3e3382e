"""Gallring: the configured retention rule decides which closed cases may be removed; nothing else deletes a case."""

import logging
from datetime import datetime

from dateutil.relativedelta import relativedelta
from sqlmodel import Session

from bot.config.model import AssociationConfig
from storage import cases as store
from storage.cases import CasePurge, FeedbackCase

log = logging.getLogger(__name__)


def retention_rule(config: AssociationConfig, now: datetime) -> tuple[datetime, list[str], str]:
    """(closed before, categories, the rule in words) as it applies at `now`."""
    retention = config.cases.retention
    cutoff = now - relativedelta(years=retention.keep_years)
    words = (
        f"closed cases of categories {', '.join(retention.categories)} are kept {retention.keep_years} year(s) "
        f"after closing; removed if closed before {cutoff.isoformat()}"
    )
    return cutoff, list(retention.categories), words


def purgeable(session: Session, config: AssociationConfig, now: datetime) -> list[FeedbackCase]:
    """The cases the retention rule allows to be removed at `now` (what a dry run lists)."""
    if config.cases is None:
        return []
    cutoff, categories, _ = retention_rule(config, now)
    return store.closed_before(session, cutoff, categories)


def purge(session: Session, config: AssociationConfig, now: datetime) -> list[CasePurge]:
    """Remove exactly the purgeable cases with their history and outbox rows, recording each removal."""
    if config.cases is None:
        return []
    _, _, words = retention_rule(config, now)
    records = [store.remove_case(session, case, now, words) for case in purgeable(session, config, now)]
    for record in records:
        log.info("purged case %s under the retention rule", record.number)
    return records
