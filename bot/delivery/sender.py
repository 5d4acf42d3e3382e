"""Sending outbox rows through their platform's sender: exactly once, with retries, and failures reported to
the owner (or, when a report cannot reach its owner, to the director and the quality manager).

What is guaranteed: a row is claimed by one sender at a time and marked sent once its post is recorded. A post
that may have reached the platform without being recorded (a crash, a 5xx, a dropped connection) is looked for
before it is posted again, where the platform can search its history (Slack: the row id in the message's
metadata). Where it cannot (Teams), such a post is sent again: at least once, and at most twice after a crash.
"""

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine

from bot.config.model import AssociationConfig
from bot.delivery import keys
from bot.delivery.describe import what_was_sent
from bot.delivery.platform import Failure, Lookup, PlatformSender, Posted, SendError, Senders
from bot.delivery.reports import (
    REPORT_SOURCES,
    attachment_failure_report_rows,
    failure_report_rows,
    fallback_report_rows,
)
from messages.message import Message
from storage import outbox
from storage.engine import session_scope
from storage.outbox import Delivery, DeliveryStatus, RowKind

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
STALE_AFTER = timedelta(minutes=15)  # far longer than a batch can take
WORKSPACE_WAIT = timedelta(seconds=20)  # in all, per tick, for a platform-wide limit; ticks are 30 s apart


@dataclass
class SendReport:
    sent: list[Delivery] = field(default_factory=list)
    recovered: list[Delivery] = field(default_factory=list)
    deferred: list[tuple[Delivery, str]] = field(default_factory=list)
    failed: list[tuple[Delivery, str]] = field(default_factory=list)

    @property
    def rate_limited(self) -> int:
        """How many rows waited for a rate limit (the fan-out benchmark and the sender's tests count them)."""
        return sum(1 for _, reason in self.deferred if reason == "ratelimited")


@dataclass
class RateLimits:
    """What the platform's 429s said during one call: which addresses to leave alone until when, or, once two
    different addresses were refused, the whole workspace (chat.postMessage has a workspace-wide limit
    besides the per-channel one, and a 429 does not say which it was)."""

    addresses: dict[str, datetime] = field(default_factory=dict)
    workspace_until: datetime | None = None

    def hold(self, address: str) -> datetime | None:
        """Until when a post to `address` must wait, if it must."""
        return self.workspace_until or self.addresses.get(address)

    def refused(self, address: str, until: datetime) -> None:
        if self.addresses and address not in self.addresses:
            self.workspace_until = max(until, *self.addresses.values())
        self.addresses[address] = until


class NotPosted(SendError):
    """The message an update row is for was not posted: not yet (retried), or never (permanent)."""


def wait(seconds: float) -> None:
    """Wait out a workspace-wide limit, in real time (tests put the fake Slack's clock forward instead)."""
    time.sleep(seconds)


def backoff(attempts: int) -> timedelta:
    """30 s, 2 min, 8 min, ... capped at an hour."""
    return min(timedelta(seconds=30 * 4 ** max(attempts - 1, 0)), timedelta(hours=1))


class Sender:
    def __init__(self, engine: Engine, senders: Senders, config: AssociationConfig):
        self.engine = engine
        self.senders = senders
        self.config = config

    def send_due(self, now: datetime, batch: int = 25) -> SendReport:
        """Claim and send every due row (and rows left 'sending' by a crashed process), batch by batch.

        Failure reports queued along the way go out in the same call. A sent or failed row leaves the queue, a
        deferred one waits until after `now`. Once the platform limits the whole workspace, the batch in hand is
        put back until its Retry-After without being tried, and the call waits that long, then goes on from the
        later `now`, as long as its waits add up to no more than WORKSPACE_WAIT; after that the rest is left
        to the next tick. So no post is tried against a limit the platform has announced, and a large fan-out
        still goes at the rate the platform allows.
        """
        report = SendReport()
        limits = RateLimits()
        waited = timedelta()
        while True:
            with session_scope(self.engine, one_statement=True) as session:
                claimed = outbox.claim_due(session, now, stale_before=now - STALE_AFTER, limit=batch)
            if not claimed:
                return report
            self._send_claimed(claimed, now, report, limits)
            if limits.workspace_until is None:
                continue
            pause = max(limits.workspace_until - now, timedelta(seconds=1))
            if waited + pause > WORKSPACE_WAIT:
                return report
            wait(pause.total_seconds())
            waited += pause
            now += pause
            limits = RateLimits()

    def send_rows(self, ids: list[int], now: datetime) -> SendReport:
        """Send only the given rows, those of them still pending and due (a reply that should not wait for the
        tick); everything else in the outbox is left to the tick."""
        with session_scope(self.engine, one_statement=True) as session:
            claimed = outbox.claim_rows(session, ids, now)
        return self.send_claimed(claimed, now)

    def send_claimed(self, claimed: list[Delivery], now: datetime) -> SendReport:
        """Send rows the caller claimed (outbox.claim_rows, claim_item_posts)."""
        report = SendReport()
        self._send_claimed(claimed, now, report, RateLimits())
        return report

    def _send_claimed(self, claimed: list[Delivery], now: datetime, report: SendReport, limits: RateLimits) -> None:
        """Send each claimed row, or, while a rate limit holds its address, put it back until then."""
        for row in claimed:
            held = limits.hold(row.address)
            if held is not None:
                self._defer(row, held, "ratelimited", report, count_attempt=False)
                continue
            self._send_one(row, now, report, limits)

    def _send_one(self, row: Delivery, now: datetime, report: SendReport, limits: RateLimits) -> None:
        try:
            sent = self._update(row) if row.row_kind == RowKind.UPDATE else self._post(row, now)
        except SendError as exc:
            self._handle_error(row, exc, now, report, limits)
            return
        except Exception:
            # Anything unforeseen: the row backs off like a server error instead of blocking the queue.
            log.exception("delivery %s: unexpected error while sending, will retry", row.id)
            self._retry_or_fail(row, "unexpected_error", now, report, uncertain=True)
            return
        if sent is None:
            report.recovered.append(row)
            return
        posted, message = sent
        self._mark_sent(row, posted, now)
        report.sent.append(row)
        if message.files:
            self._upload_files(row, posted, message, now)

    def _platform(self, row: Delivery) -> PlatformSender:
        """The row's platform's sender; a platform this process does not serve (not enabled) is a permanent failure,
        not something to retry for hours."""
        sender = self.senders.get(row.platform)
        if sender is None:
            raise SendError("platform_not_enabled", Failure.PERMANENT)
        return sender

    def _post(self, row: Delivery, now: datetime) -> tuple[Posted, Message] | None:
        """Post the row's message; None when a look found it posted before a crash (and recorded it)."""
        platform = self._platform(row)
        if row.check_before_post:
            found = platform.find_posted(row, now)
            if isinstance(found, Posted):
                self._mark_sent(row, found, now)
                log.info("delivery %s was already posted before a restart; recorded, not sent again", row.id)
                return None
            if found is Lookup.CANNOT_TELL:
                log.warning("delivery %s may have been posted before a restart; the platform cannot tell", row.id)
            with session_scope(self.engine, one_statement=True) as session:  # looked (or cannot look): post
                outbox.mark(session, row.id, check_before_post=False)
        message = Message.from_json(row.message)
        return platform.post(row, message, now), message

    def _update(self, row: Delivery) -> tuple[Posted, Message]:
        """Update the message row `updates_id` posted to what that row holds now (idempotent: a retry needs no
        look first); an update uploads no files."""
        with session_scope(self.engine, reading=True) as session:
            target = session.get(Delivery, row.updates_id)
            if target is None or target.status in (
                DeliveryStatus.FAILED,
                DeliveryStatus.MISSED,
                DeliveryStatus.WITHDRAWN,
            ):
                raise NotPosted("message_not_found", Failure.PERMANENT)
            if target.status != DeliveryStatus.SENT or not target.posted_id:
                raise NotPosted("not_posted_yet", Failure.RETRY)
            posted = Posted(target.posted_conversation, target.posted_id)
            message = Message.from_json(target.message)
        self._platform(row).update(row, posted, message)
        return posted, Message()

    def _mark_sent(self, row: Delivery, posted: Posted, now: datetime) -> None:
        with session_scope(self.engine, one_statement=True) as session:
            outbox.mark(
                session,
                row.id,
                status=DeliveryStatus.SENT,
                posted_conversation=posted.conversation,
                posted_id=posted.id,
                sent_at=now,
                error=None,
                check_before_post=False,
            )

    def _upload_files(self, row: Delivery, posted: Posted, message: Message, now: datetime) -> None:
        """Share the message's files where it went.

        The message is already posted, so a failed upload is not retried; the owner is told which files are
        missing instead, through the outbox like any other failure report."""
        try:
            self.senders[row.platform].upload(posted, message.files)
        except Exception as exc:  # whatever went wrong, the files did not reach the channel
            error = exc.code if isinstance(exc, SendError) else type(exc).__name__
            log.error("delivery %s: the message was posted but its files could not be uploaded: %s", row.id, exc)
            with session_scope(self.engine) as session:
                what = what_was_sent(session, self.config, row)
                outbox.mark(session, row.id, error=f"attachments not uploaded: {exc}")
                outbox.enqueue(session, attachment_failure_report_rows(self.config, row, what, error, now))

    def _handle_error(
        self, row: Delivery, exc: SendError, now: datetime, report: SendReport, limits: RateLimits
    ) -> None:
        if exc.failure == Failure.RATE_LIMITED:
            until = now + timedelta(seconds=exc.retry_after)
            limits.refused(row.address, until)
            self._defer(row, until, "ratelimited", report, count_attempt=False)
        elif exc.failure == Failure.PERMANENT:
            self._fail(row, exc.code, now, report)
        else:
            self._retry_or_fail(row, exc.code, now, report, uncertain=exc.failure == Failure.UNCERTAIN)

    def _defer(
        self,
        row: Delivery,
        when: datetime,
        reason: str,
        report: SendReport,
        count_attempt: bool,
        uncertain: bool = False,
    ) -> None:
        """Back to pending until `when`; `uncertain` when the message may have been posted all the same."""
        attempts = row.attempts if count_attempt else max(row.attempts - 1, 0)
        values = {"check_before_post": True} if uncertain else {}
        with session_scope(self.engine, one_statement=True) as session:
            outbox.mark(
                session,
                row.id,
                status=DeliveryStatus.PENDING,
                next_attempt_at=when,
                attempts=attempts,
                error=reason,
                claimed_at=None,
                **values,
            )
        report.deferred.append((row, reason))

    def _retry_or_fail(
        self, row: Delivery, error: str, now: datetime, report: SendReport, uncertain: bool = False
    ) -> None:
        if row.attempts >= MAX_ATTEMPTS:
            self._fail(row, error if error != "connection_error" else "too_many_attempts", now, report)
        else:
            self._defer(row, now + backoff(row.attempts), error, report, count_attempt=True, uncertain=uncertain)

    def _fail(self, row: Delivery, error: str, now: datetime, report: SendReport) -> None:
        """Mark the row failed and tell its owner; a report that failed goes to the fallback, once."""
        log.error("delivery %s (%s %s to %s) failed: %s", row.id, row.source, row.item_id, row.recipient, error)
        with session_scope(self.engine) as session:
            outbox.mark(session, row.id, status=DeliveryStatus.FAILED, error=error, claimed_at=None)
            if row.source in REPORT_SOURCES:
                reports = fallback_report_rows(self.config, outbox.message_parts(session, row), error, now)
                if not reports and row.source != keys.Source.FALLBACK_REPORT:
                    log.error(
                        "delivery %s: nobody to tell in its owner's place (no director or quality manager)", row.id
                    )
            else:
                reports = failure_report_rows(self.config, row, what_was_sent(session, self.config, row), error, now)
            outbox.enqueue(session, reports)
        report.failed.append((row, error))
