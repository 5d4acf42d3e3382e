"""Sending outbox rows to Slack: exactly once, with retries, and failures reported to the owner (or, when a
report cannot reach its owner, to the director and the quality manager)."""

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from bot.config.model import AssociationConfig
from bot.delivery.describe import what_was_sent
from bot.delivery.reports import (
    FALLBACK_REPORT_SOURCE,
    REPORT_SOURCES,
    attachment_failure_report_rows,
    failure_report_rows,
    fallback_report_rows,
)
from bot.slack.directory import UnknownSlackUser, resolve_address
from messages.message import Message
from messages.slack.message import render
from storage import outbox
from storage.engine import session_scope
from storage.outbox import Delivery, DeliveryStatus, RowKind

log = logging.getLogger(__name__)

METADATA_EVENT = "samverkan_delivery"
PERMANENT_ERRORS = {
    "channel_not_found",
    "not_in_channel",
    "user_not_found",
    "users_not_found",
    "is_archived",
    "channel_is_archived",
    "cannot_dm_bot",
    "user_disabled",
    "invalid_blocks",
    "msg_too_long",
    "no_text",
    "restricted_action",
}
OPERATOR_ERRORS = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "missing_scope"}
MAX_ATTEMPTS = 8
STALE_AFTER = timedelta(minutes=15)  # far longer than a batch can take
HISTORY_PAGES = 5
WORKSPACE_WAIT = timedelta(seconds=20)  # in all, per tick, for Slack's workspace-wide limit; ticks are 30 s apart


@dataclass
class SendReport:
    sent: list[Delivery] = field(default_factory=list)
    recovered: list[Delivery] = field(default_factory=list)
    deferred: list[tuple[Delivery, str]] = field(default_factory=list)
    failed: list[tuple[Delivery, str]] = field(default_factory=list)

    @property
    def rate_limited(self) -> int:
        return sum(1 for _, reason in self.deferred if reason == "ratelimited")


@dataclass
class RateLimits:
    """What Slack's 429s said during one call: which addresses to leave alone until when, or, once two
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


class NotPosted(Exception):
    """The message an update row is for was not posted: not yet (retried), or never (`final`)."""

    def __init__(self, final: bool):
        super().__init__("not posted" if final else "not posted yet")
        self.final = final


def wait(seconds: float) -> None:
    """Wait out Slack's workspace-wide limit, in real time (tests put the fake Slack's clock forward instead)."""
    time.sleep(seconds)


def backoff(attempts: int) -> timedelta:
    """30 s, 2 min, 8 min, ... capped at an hour."""
    return min(timedelta(seconds=30 * 4 ** max(attempts - 1, 0)), timedelta(hours=1))


class Sender:
    def __init__(self, engine: Engine, client: WebClient, config: AssociationConfig):
        self.engine = engine
        self.client = client
        self.config = config

    def send_due(self, now: datetime, batch: int = 25) -> SendReport:
        """Claim and send every due row (and rows left 'sending' by a crashed process), batch by batch.

        Failure reports queued along the way go out in the same call. A sent or failed row leaves the queue, a
        deferred one waits until after `now`. Once Slack limits the whole workspace, the batch in hand is put
        back until its Retry-After without being tried, and the call waits that long, then goes on from the
        later `now`, as long as its waits add up to no more than WORKSPACE_WAIT; after that the rest is left
        to the next tick. So no post is tried against a limit Slack has announced, and a large fan-out still
        goes at the rate Slack allows.
        """
        report = SendReport()
        limits = RateLimits()
        waited = timedelta()
        while True:
            with session_scope(self.engine) as session:
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
        report = SendReport()
        with session_scope(self.engine) as session:
            claimed = outbox.claim_rows(session, ids, now)
        self._send_claimed(claimed, now, report, RateLimits())
        return report

    def _send_claimed(self, claimed: list[Delivery], now: datetime, report: SendReport, limits: RateLimits) -> None:
        """Send each claimed row, or, while Slack's rate limit holds its address, put it back until then."""
        for row in claimed:
            held = limits.hold(row.address)
            if held is not None:
                self._defer(row, held, "ratelimited", report, count_attempt=False)
                continue
            self._send_one(row, now, report, limits)

    def _send_one(self, row: Delivery, now: datetime, report: SendReport, limits: RateLimits) -> None:
        try:
            posted = self._update(row) if row.row_kind == RowKind.UPDATE else self._post(row, now)
        except NotPosted as exc:
            if exc.final:
                self._fail(row, "message_not_found", now, report)
            else:
                self._retry_or_fail(row, "not_posted_yet", now, report)
            return
        except UnknownSlackUser:
            self._fail(row, "users_not_found", now, report)
            return
        except SlackApiError as exc:
            self._handle_api_error(row, exc, now, report, limits)
            return
        except (URLError, ConnectionError, TimeoutError, OSError) as exc:
            log.warning("delivery %s: connection problem (%s), will retry", row.id, exc)
            self._retry_or_fail(row, "connection_error", now, report, uncertain=True)
            return
        except Exception:
            # Anything unforeseen: the row backs off like a server error instead of blocking the queue.
            log.exception("delivery %s: unexpected error while sending, will retry", row.id)
            self._retry_or_fail(row, "unexpected_error", now, report, uncertain=True)
            return
        if posted is None:
            report.recovered.append(row)
            return
        channel, ts, message = posted
        self._mark_sent(row, channel, ts, now)
        report.sent.append(row)
        if message.files:
            self._upload_files(row, message, channel, now)

    def _post(self, row: Delivery, now: datetime) -> tuple[str | None, str | None, Message] | None:
        """chat.postMessage with the row id in its metadata; None when a look found it posted before a crash."""
        with session_scope(self.engine) as session:
            address = resolve_address(session, self.client, row.address, now)
        if row.check_before_post:
            if self._record_if_already_posted(row, address, now):
                return None
            with session_scope(self.engine) as session:  # looked, and it is not there: safe to post
                outbox.mark(session, row.id, check_before_post=False)
        message = Message.from_json(row.message)
        rendered = render(message)
        response = self.client.chat_postMessage(
            channel=address,
            text=rendered.text,
            blocks=rendered.blocks,
            metadata={"event_type": METADATA_EVENT, "event_payload": {"delivery_id": row.id}},
            unfurl_links=False,
            unfurl_media=False,
        )
        return response.get("channel"), response.get("ts"), message

    def _update(self, row: Delivery) -> tuple[str, str, Message]:
        """chat.update of the message row `updates_id` posted, to what that row holds now (an update is
        idempotent, so a retry needs no look first)."""
        with session_scope(self.engine) as session:
            target = session.get(Delivery, row.updates_id)
            if target is None or target.status in (DeliveryStatus.FAILED, DeliveryStatus.MISSED):
                raise NotPosted(final=True)
            if target.status != DeliveryStatus.SENT or not target.posted_id or not target.posted_conversation:
                raise NotPosted(final=False)
            channel, ts, message = target.posted_conversation, target.posted_id, Message.from_json(target.message)
        rendered = render(message)
        self.client.chat_update(channel=channel, ts=ts, text=rendered.text, blocks=rendered.blocks)
        return channel, ts, Message()

    def _mark_sent(self, row: Delivery, channel: str | None, ts: str | None, now: datetime) -> None:
        with session_scope(self.engine) as session:
            outbox.mark(
                session,
                row.id,
                status=DeliveryStatus.SENT,
                posted_conversation=channel,
                posted_id=ts,
                sent_at=now,
                error=None,
                check_before_post=False,
            )

    def _upload_files(self, row: Delivery, message: Message, channel: str | None, now: datetime) -> None:
        """Share the row's files in the channel the message went to (files.getUploadURLExternal + complete).

        The message is already posted, so a failed upload is not retried; the owner is told which files are
        missing instead, through the outbox like any other failure report."""
        try:
            files = [{"content": f.content, "filename": f.filename, "title": f.title} for f in message.files]
            self.client.files_upload_v2(file_uploads=files, channel=channel)
        except Exception as exc:  # whatever went wrong, the files did not reach the channel
            error = exc.response.get("error") if isinstance(exc, SlackApiError) else None
            error = error or type(exc).__name__
            log.error("delivery %s: the message was posted but its files could not be uploaded: %s", row.id, exc)
            with session_scope(self.engine) as session:
                what = what_was_sent(session, self.config, row)
                outbox.mark(session, row.id, error=f"attachments not uploaded: {exc}")
                outbox.enqueue(session, attachment_failure_report_rows(self.config, row, what, error, now))

    def _handle_api_error(
        self, row: Delivery, exc: SlackApiError, now: datetime, report: SendReport, limits: RateLimits
    ) -> None:
        error = exc.response.get("error") or f"http_{exc.response.status_code}"
        status = exc.response.status_code
        if status == 429 or error == "ratelimited":
            retry_after = int(exc.response.headers.get("Retry-After", exc.response.headers.get("retry-after", 1)))
            until = now + timedelta(seconds=retry_after)
            limits.refused(row.address, until)
            self._defer(row, until, "ratelimited", report, count_attempt=False)
        elif error in PERMANENT_ERRORS:
            self._fail(row, error, now, report)
        elif error in OPERATOR_ERRORS:
            log.error("delivery %s: Slack refused the bot token (%s); check SLACK_BOT_TOKEN and scopes", row.id, error)
            self._retry_or_fail(row, error, now, report)
        elif status >= 500:
            log.warning("delivery %s: Slack answered %s (%s), will retry", row.id, status, error)
            self._retry_or_fail(row, error, now, report, uncertain=True)
        else:
            self._fail(row, error, now, report)

    def _record_if_already_posted(self, row: Delivery, address: str, now: datetime) -> bool:
        """After a crash between posting and recording: look for our metadata in the channel since the row
        was created, and record the message as sent if it is there."""
        channel = address
        if address.startswith(("U", "W")):
            channel = self.client.conversations_open(users=address)["channel"]["id"]
        oldest = f"{(row.created_at - timedelta(minutes=1)).timestamp():.6f}"
        cursor = None
        for _ in range(HISTORY_PAGES):
            history = self.client.conversations_history(
                channel=channel, oldest=oldest, limit=200, include_all_metadata=True, cursor=cursor
            )
            for message in history.get("messages", []):
                metadata = message.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == METADATA_EVENT and payload.get("delivery_id") == row.id:
                    self._mark_sent(row, channel, message.get("ts"), now)
                    log.info("delivery %s was already posted before a restart; recorded, not sent again", row.id)
                    return True
            cursor = (history.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
        return False

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
        with session_scope(self.engine) as session:
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
                if not reports and row.source != FALLBACK_REPORT_SOURCE:
                    log.error(
                        "delivery %s: nobody to tell in its owner's place (no director or quality manager)", row.id
                    )
            else:
                reports = failure_report_rows(self.config, row, what_was_sent(session, self.config, row), error, now)
            outbox.enqueue(session, reports)
        report.failed.append((row, error))
