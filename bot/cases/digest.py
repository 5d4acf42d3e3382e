"""The scheduler's producer of the statistics digest to the board's channel, on the configured days."""

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.cases.statistics import case_statistics
from bot.config.model import AssociationConfig
from bot.delivery import keys
from bot.delivery.outbox_rows import message_rows
from bot.local_time import local_date
from bot.people import channel_recipient
from bot.permissions import Grant
from messages.case_labels import DIGEST_HEADING
from messages.case_statistics import monthly_chart, statistics_text
from messages.message import Message
from storage import outbox, state

log = logging.getLogger(__name__)
DIGEST_SOURCE = keys.Source.CASE_DIGEST
TICK_NAME = "case-digest"


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
    """Queue each digest that fell due since the last tick, once (the statistics, and their chart of cases per
    month and category, are computed only then).

    A digest that fell due while the bot was down goes out late rather than not at all: the board still
    needs the figures, and they cover the same year whenever they are sent.
    """
    if config.cases is None or config.cases.digest is None:
        return 0
    previous = state.last_tick(session, TICK_NAME)
    since = now - timedelta(hours=config.settings.grace_period_hours) if previous is None else previous
    state.record_tick(session, now, TICK_NAME)
    due = [at for at in digest_times(config, local_date(config, now)) if since < at <= now]
    done = outbox.existing_occurrences(session, DIGEST_SOURCE, {("digest", at.date().isoformat()) for at in due})
    forum = config.forum(config.cases.digest.forum)
    recipient = channel_recipient(forum.channel, forum.name)
    rows: list[dict] = []
    for at in due:
        if ("digest", at.date().isoformat()) in done:
            continue
        stats = case_statistics(session=session, config=config, year=reported_year(at), now=now)
        rows += message_rows(
            key=keys.case_digest(at.date()),
            recipient=recipient,
            message=Message(
                text=statistics_text(stats, DIGEST_HEADING),
                images=(monthly_chart(stats.year, stats.by_month),) if stats.total else (),
            ),
            due_at=at,
            now=now,
            owner=config.roles[Grant.QUALITY_MANAGER],
        )
    queued = outbox.enqueue(session, rows)
    if queued:
        log.info("queued the case statistics digest to %s", forum.name)
    return queued
