"""Turning due plan occurrences into outbox rows: on time, once, and missed ones reported, never dropped.

The tick's heaviest work (one item may be a DM to every employee), so it holds no write lock while it renders:
every message is rendered first, outside any transaction, and then written in short transactions of at most
`chunk_rows` rows, so that a form submitted meanwhile waits for one chunk at most. An occurrence counts as queued
once its completion mark (storage.outbox.QueuedOccurrence) is written, in the transaction of its last chunk: after
a crash between chunks the occurrence is unmarked, the next tick writes it again, and the outbox's unique key
drops the rows that were already in. Nothing is lost, nothing doubled.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import DataError, IntegrityError
from sqlmodel import Session

from bot.config.model import AssociationConfig
from bot.delivery import keys
from bot.delivery.outbox_rows import message_rows
from bot.delivery.reports import missed_report_rows, template_error_report_rows
from bot.people import Recipient, person_recipient
from bot.plan.audience import recipients
from bot.plan.compose import occurrence_message, occurrence_texts
from bot.plan.occurrences import Occurrence, occurrences_between
from messages.message import Message
from messages.render import render
from storage import outbox, state
from storage.engine import session_scope
from storage.outbox import DeliveryStatus

log = logging.getLogger(__name__)
CHUNK_ROWS = 500  # rows per write transaction: a few milliseconds of lock on either database


@dataclass
class EnqueueReport:
    queued: list[Occurrence] = field(default_factory=list)
    missed: list[Occurrence] = field(default_factory=list)
    failed: list[tuple[Occurrence, str]] = field(default_factory=list)
    unqueued: list[tuple[Occurrence, str]] = field(default_factory=list)
    already_queued: int = 0
    rows: int = 0


@dataclass
class _Pending:
    """One occurrence's rows, rendered and ready to write, with the owner's report rows that go with them."""

    occurrence: Occurrence
    rows: list[dict]
    reports: list[dict] = field(default_factory=list)
    error: str | None = None


def enqueue_due_plan(
    engine: Engine, config: AssociationConfig, now: datetime, chunk_rows: int = CHUNK_ROWS
) -> EnqueueReport:
    """Queue every plan occurrence that is due by `now` and not queued before.

    The window starts at the last tick (or `now` minus the grace period on the very first start).
    Occurrences older than the grace period are recorded as missed and reported to the item's owner, and so
    is, as failed, an occurrence whose message template cannot be filled in. An occurrence whose rows the outbox
    cannot hold is marked as not queued and reported to its owner and in one log line. None of these stops the
    rest of the plan, and the tick position moves on past them.
    """
    grace = timedelta(hours=config.settings.grace_period_hours)
    with session_scope(engine) as session:
        previous = state.last_tick(session)
    window_start = now - grace if previous is None else min(previous, now - grace)
    due = occurrences_between(config, window_start, now)
    with session_scope(engine) as session:
        done = _queued_before(session, due)
    report = EnqueueReport()
    pending = []
    for occurrence in due:
        if (occurrence.item.id, occurrence.key) in done:
            report.already_queued += 1
            continue
        pending.append(_render(config, occurrence, now, grace, report))
    _attach_missed_reports(config, pending, report, now)
    for entry in pending:
        report.rows += _write(engine, config, entry, now, chunk_rows, report)
    with session_scope(engine) as session:
        state.record_tick(session, now)
    return report


def _queued_before(session: Session, due: list[Occurrence]) -> outbox.Pairs:
    """Those of the `due` occurrences that are marked as queued. An event's occurrence queued by a version that
    keyed it by the event alone counts when that mark was written on or after the day it goes out now (an
    upgrade does not send it again; the event moved to a later date is a new occurrence)."""
    wanted = {(o.item.id, o.key) for o in due} | {(o.item.id, o.stable_key) for o in due if o.event is not None}
    marks = outbox.queued_marks(session, keys.Source.PLAN, wanted)
    found = set()
    for occurrence in due:
        earlier = marks.get((occurrence.item.id, occurrence.stable_key)) if occurrence.event is not None else None
        day_start = occurrence.at.replace(hour=0, minute=0, second=0, microsecond=0)
        if (occurrence.item.id, occurrence.key) in marks or (earlier is not None and earlier >= day_start):
            found.add((occurrence.item.id, occurrence.key))
    return found


def _render(
    config: AssociationConfig, occurrence: Occurrence, now: datetime, grace: timedelta, report: EnqueueReport
) -> _Pending:
    """The occurrence's rows: pending, missed (older than the grace period), or failed with the owner's report."""
    targets = recipients(config, occurrence.item.audience, occurrence.item.delivery)
    try:
        texts = occurrence_texts(config, occurrence, targets, now)
    except Exception as exc:  # TemplateError, or a filter given what it cannot format (None, a string)
        # One broken message must not stop the rest of the plan: record it as failed and tell the owner.
        log.error("plan item %s (%s): its message could not be rendered: %s", occurrence.item.id, occurrence.key, exc)
        report.failed.append((occurrence, str(exc)))
        rows = _rows(config, occurrence, targets, [""] * len(targets), now, DeliveryStatus.FAILED, f"template: {exc}")
        return _Pending(occurrence, rows, template_error_report_rows(config, occurrence, str(exc), now))
    if occurrence.at >= now - grace:
        report.queued.append(occurrence)
        return _Pending(occurrence, _rows(config, occurrence, targets, texts, now, DeliveryStatus.PENDING))
    report.missed.append(occurrence)
    return _Pending(occurrence, _rows(config, occurrence, targets, texts, now, DeliveryStatus.MISSED))


def _attach_missed_reports(
    config: AssociationConfig, pending: list[_Pending], report: EnqueueReport, now: datetime
) -> None:
    """One DM per item listing its missed occurrences, written with the first of them (so never without them)."""
    missed_by_item: dict[str, list[_Pending]] = defaultdict(list)
    missed = {id(occurrence) for occurrence in report.missed}
    for entry in pending:
        if id(entry.occurrence) in missed:
            missed_by_item[entry.occurrence.item.id].append(entry)
    for entries in missed_by_item.values():
        occurrences = [entry.occurrence for entry in entries]
        log.warning("%d occurrence(s) of plan item %s were missed", len(occurrences), occurrences[0].item.id)
        entries[0].reports.extend(missed_report_rows(config, occurrences, now))


def _write(
    engine: Engine, config: AssociationConfig, entry: _Pending, now: datetime, chunk_rows: int, report: EnqueueReport
) -> int:
    """Write one occurrence in transactions of at most `chunk_rows` rows, marking it queued with the last one."""
    occurrence = entry.occurrence
    problem = next(filter(None, map(outbox.row_problem, entry.rows)), None)
    if problem is None:
        chunks = [entry.rows[start : start + chunk_rows] for start in range(0, len(entry.rows), chunk_rows)] or [[]]
        inserted = 0
        try:
            for index, chunk in enumerate(chunks):
                with session_scope(engine) as session:
                    if index == 0 and entry.reports:
                        outbox.enqueue(session, entry.reports)
                    inserted += outbox.enqueue(session, chunk)
                    if index == len(chunks) - 1:
                        outbox.mark_queued(session, keys.Source.PLAN, occurrence.item.id, occurrence.key, now)
            return inserted
        except (DataError, IntegrityError) as exc:  # what the database refuses for good; others retry next tick
            problem = f"{type(exc.orig).__name__}: {str(exc.orig).splitlines()[0]}"
    # Once: the mark keeps the occurrence from being tried again, and the report has a unique key.
    log.error("plan item %s (%s) could not be queued: %s", occurrence.item.id, occurrence.key, problem)
    report.unqueued.append((occurrence, problem))
    with session_scope(engine) as session:
        outbox.enqueue(session, entry.reports + _unqueued_report_rows(config, occurrence, now))
        outbox.mark_queued(session, keys.Source.PLAN, occurrence.item.id, occurrence.key, now, error=problem)
    return 0


def _unqueued_report_rows(config: AssociationConfig, occurrence: Occurrence, now: datetime) -> list[dict]:
    """A DM to the item's owner: this occurrence could not be put in the outbox and nobody gets it from the bot."""
    item = occurrence.item
    text = render("plan_unqueued_report", item=item, at=occurrence.at)
    return message_rows(
        key=keys.unqueued_report(item.id, occurrence.key),
        recipient=person_recipient(config.person(item.owner)),
        message=Message(text=text),
        due_at=now,
        now=now,
        owner=None,
    )


def _rows(
    config: AssociationConfig,
    occurrence: Occurrence,
    targets: list[Recipient],
    texts: list[str],
    now: datetime,
    status: str,
    error: str | None = None,
) -> list[dict]:
    """The outbox rows of one occurrence, one message per recipient."""
    rows = []
    key = keys.plan_occurrence(occurrence.item.id, occurrence.key)
    for recipient, text in zip(targets, texts, strict=True):
        rows.extend(
            message_rows(
                key=key,
                recipient=recipient,
                message=occurrence_message(config, occurrence, recipient, text),
                due_at=occurrence.at,
                now=now,
                owner=occurrence.item.owner,
                status=status,
            )
        )
    for row in rows:
        row["error"] = error
    return rows
