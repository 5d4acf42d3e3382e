"""Gallring: the configured retention rule decides which closed cases may be removed; nothing else deletes a case.

The cutoff is a day boundary: at any time on a given local day, cases closed before local midnight of the same
date `keep_years` earlier may go. A dry run and a real run on the same day therefore list and remove the same
cases, however many hours lie between them.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from sqlmodel import Session

from bot.config.model import AssociationConfig
from bot.local_time import local_date
from storage import cases as store
from storage.cases import CasePurge, FeedbackCase

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionRule:
    cutoff_day: date  # cases closed before the start of this local day may be removed
    cutoff: datetime
    categories: list[str]
    words: str


def retention_rule(config: AssociationConfig, now: datetime) -> RetentionRule:
    """The rule as it applies on `now`'s local day."""
    retention = config.cases.retention
    cutoff_day = local_date(config, now) - relativedelta(years=retention.keep_years)
    cutoff = datetime.combine(cutoff_day, time(0), tzinfo=ZoneInfo(config.association.timezone))
    words = (
        f"closed cases of categories {', '.join(retention.categories)} are kept {retention.keep_years} year(s) "
        f"after closing; removed if closed before {cutoff_day.isoformat()} (local midnight)"
    )
    return RetentionRule(cutoff_day, cutoff, list(retention.categories), words)


def purgeable(session: Session, config: AssociationConfig, now: datetime) -> list[FeedbackCase]:
    """The cases the retention rule allows to be removed on `now`'s day (what a dry run lists)."""
    if config.cases is None:
        return []
    rule = retention_rule(config, now)
    return store.closed_before(session, rule.cutoff, rule.categories)


def purge(session: Session, config: AssociationConfig, now: datetime) -> list[CasePurge]:
    """Remove exactly the purgeable cases with their history and outbox rows, recording each removal."""
    if config.cases is None:
        return []
    records = store.remove_cases(session, purgeable(session, config, now), now, retention_rule(config, now).words)
    for record in records:
        log.info("purged case %s under the retention rule", record.number)
    return records
