"""Turning due plan occurrences into outbox rows: on time, once, and missed ones reported, never dropped."""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.config.model import AssociationConfig
from bot.delivery.compose import occurrence_text
from bot.delivery.outbox_rows import message_rows
from bot.delivery.reports import missed_report_rows, template_error_report_rows
from bot.plan.audience import Recipient, recipients
from bot.plan.occurrences import Occurrence, occurrences_between
from storage import outbox, state
from storage.outbox import DeliveryStatus

log = logging.getLogger(__name__)
PLAN_SOURCE = "plan"


@dataclass
class EnqueueReport:
    queued: list[Occurrence] = field(default_factory=list)
    missed: list[Occurrence] = field(default_factory=list)
    failed: list[tuple[Occurrence, str]] = field(default_factory=list)
    already_queued: int = 0
    rows: int = 0


def enqueue_due_plan(session: Session, config: AssociationConfig, now: datetime) -> EnqueueReport:
    """Queue every plan occurrence that is due by `now` and not queued before.

    The window starts at the last tick (or `now` minus the grace period on the very first start).
    Occurrences older than the grace period are recorded as missed and reported to the item's owner, and so
    is, as failed, an occurrence whose message template cannot be filled in (the rest of the plan goes on).
    """
    grace = timedelta(hours=config.settings.grace_period_hours)
    previous = state.last_tick(session)
    window_start = now - grace if previous is None else min(previous, now - grace)
    report = EnqueueReport()
    due = occurrences_between(config, window_start, now)
    done = outbox.existing_occurrences(session, PLAN_SOURCE, {(o.item.id, o.key) for o in due})
    missed_by_item: dict[str, list[Occurrence]] = defaultdict(list)
    rows: list[dict] = []
    for occurrence in due:
        if (occurrence.item.id, occurrence.key) in done:
            report.already_queued += 1
            continue
        on_time = occurrence.at >= now - grace
        status = DeliveryStatus.PENDING if on_time else DeliveryStatus.MISSED
        targets = recipients(config, occurrence.item.audience, occurrence.item.delivery)
        try:
            texts = [occurrence_text(config, occurrence, recipient, now) for recipient in targets]
        except Exception as exc:  # TemplateError, or a filter given what it cannot format (None, a string)
            # One broken message must not stop the rest of the plan: record it as failed and tell the owner.
            log.error(
                "plan item %s (%s): its message could not be rendered: %s", occurrence.item.id, occurrence.key, exc
            )
            rows.extend(_rows(occurrence, targets, [""] * len(targets), now, DeliveryStatus.FAILED, f"template: {exc}"))
            report.failed.append((occurrence, str(exc)))
            continue
        rows.extend(_rows(occurrence, targets, texts, now, status))
        if on_time:
            report.queued.append(occurrence)
        else:
            report.missed.append(occurrence)
            missed_by_item[occurrence.item.id].append(occurrence)
    report.rows = outbox.enqueue(session, rows)
    for occurrence, error in report.failed:
        outbox.enqueue(session, template_error_report_rows(config, occurrence, error, now))
    for occurrences in missed_by_item.values():
        log.warning("%d occurrence(s) of plan item %s were missed", len(occurrences), occurrences[0].item.id)
        outbox.enqueue(session, missed_report_rows(config, occurrences, now))
    state.record_tick(session, now)
    return report


def _rows(
    occurrence: Occurrence,
    targets: list[Recipient],
    texts: list[str],
    now: datetime,
    status: str,
    error: str | None = None,
) -> list[dict]:
    """The outbox rows of one occurrence, one message per recipient."""
    rows = []
    for recipient, text in zip(targets, texts, strict=True):
        rows.extend(
            message_rows(
                source=PLAN_SOURCE,
                item_id=occurrence.item.id,
                occurrence_key=occurrence.key,
                recipient=recipient,
                text=text,
                due_at=occurrence.at,
                now=now,
                owner=occurrence.item.owner,
                status=status,
            )
        )
    for row in rows:
        row["error"] = error
    return rows
