"""The scheduler's producer of the statistics digest to the board's channel, on the configured days."""

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.cases.deadlines import local_date
from bot.cases.statistics import case_statistics
from bot.config.model import AssociationConfig
from bot.delivery.outbox_rows import message_rows
from bot.plan.audience import Recipient
from messages.case_statistics import statistics_text
from storage import outbox

log = logging.getLogger(__name__)
DIGEST_SOURCE = "case-digest"
DIGEST_HEADING = "Synpunkter och klagomål – rapport till direktionen"


def digest_times(config: AssociationConfig, around: date) -> list[datetime]:
    """The digest's scheduled times in the year of `around` and the year before."""
    digest, zone = config.cases.digest, ZoneInfo(config.association.timezone)
    return [
        datetime(year, month, digest.day, digest.time.hour, digest.time.minute, tzinfo=zone)
        for year in (around.year - 1, around.year)
        for month in sorted(digest.months)
    ]


def reported_year(at: datetime) -> int:
    """The year a digest reports on: the year of the day before its month began (January reports last year)."""
    return (at.date().replace(day=1) - timedelta(days=1)).year


def enqueue_case_digest(session: Session, config: AssociationConfig, now: datetime) -> int:
    """Queue the digest when one fell due within the grace period; the outbox key makes it once only."""
    if config.cases is None or config.cases.digest is None:
        return 0
    grace = timedelta(hours=config.settings.grace_period_hours)
    forum = config.forum(config.cases.digest.forum)
    recipient = Recipient(f"channel:{forum.channel}", forum.channel, forum.name)
    rows: list[dict] = []
    for at in digest_times(config, local_date(config, now)):
        if now - grace <= at <= now:
            stats = case_statistics(session, config, reported_year(at), now)
            rows += message_rows(
                source=DIGEST_SOURCE,
                item_id="digest",
                occurrence_key=at.date().isoformat(),
                recipient=recipient,
                text=statistics_text(stats, DIGEST_HEADING),
                due_at=at,
                now=now,
                owner=config.roles["quality_manager"],
            )
    queued = outbox.enqueue(session, rows)
    if queued:
        log.info("queued the case statistics digest to %s", forum.name)
    return queued
