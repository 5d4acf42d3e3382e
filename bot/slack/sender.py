"""Slack's side of sending the outbox: chat.postMessage with the row id in its metadata, the history check after a
crash, chat.update, file upload, and Slack's error codes sorted into what the sender does about them.

A message's images are uploaded first, as files private to the bot (files.getUploadURLExternal and
files.completeUploadExternal without a channel: nobody sees them on their own), and the post shows each in an
image block by its file id. Only the post is visible, so exactly-once stays the post's: an upload repeated after
a crash leaves an unseen private file, never a second message. Slack may refuse a file that it is still
processing (invalid_blocks naming the slack_file); the row is retried later with the same uploads, which are
kept per row until its post goes through.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from bot.config.model import Person
from bot.delivery.platform import Failure, Posted, SendError, Senders
from bot.people import person_address
from bot.slack.directory import UnknownSlackUser, resolve_address
from messages.message import File, Image, Message
from messages.slack.home import home_view
from messages.slack.message import render
from storage.engine import session_scope
from storage.outbox import Delivery
from storage.platform import Platform

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
HISTORY_PAGES = 5


def _image_not_ready(error: str, details: list[str]) -> bool:
    """Slack refused an image block's file: still being processed after its upload (or gone)."""
    return error == "invalid_blocks" and any("slack_file" in detail for detail in details)


@contextmanager
def _slack_errors(row_id: int | None) -> Iterator[None]:
    """Slack's errors as SendErrors: 429 rate-limited (with Retry-After), the permanent codes, the token's
    trouble (retried, and logged for the operator), 5xx and dropped connections uncertain, the rest permanent."""
    try:
        yield
    except UnknownSlackUser as exc:
        raise SendError("users_not_found", Failure.PERMANENT) from exc
    except SlackApiError as exc:
        error = exc.response.get("error") or f"http_{exc.response.status_code}"
        status = exc.response.status_code
        if status == 429 or error == "ratelimited":
            retry_after = int(exc.response.headers.get("Retry-After", exc.response.headers.get("retry-after", 1)))
            raise SendError("ratelimited", Failure.RATE_LIMITED, retry_after) from exc
        if _image_not_ready(error, exc.response.get("errors") or []):
            raise SendError("image_not_ready", Failure.RETRY) from exc
        if error in PERMANENT_ERRORS:
            raise SendError(error, Failure.PERMANENT) from exc
        if error in OPERATOR_ERRORS:
            log.error("delivery %s: Slack refused the bot token (%s); check SLACK_BOT_TOKEN and scopes", row_id, error)
            raise SendError(error, Failure.RETRY) from exc
        if status >= 500:
            log.warning("delivery %s: Slack answered %s (%s), will retry", row_id, status, error)
            raise SendError(error, Failure.UNCERTAIN) from exc
        raise SendError(error, Failure.PERMANENT) from exc
    except (URLError, ConnectionError, TimeoutError, OSError) as exc:
        log.warning("delivery %s: connection problem (%s), will retry", row_id, exc)
        raise SendError("connection_error", Failure.UNCERTAIN) from exc


class SlackSender:
    """The Slack Web API behind bot.delivery.platform.PlatformSender."""

    def __init__(self, engine: Engine, client: WebClient):
        self.engine = engine
        self.client = client
        self._image_uploads: dict[int, tuple[str, ...]] = {}  # row id -> its images' file ids, until posted

    def _uploaded_images(self, row: Delivery, images: tuple[Image, ...]) -> tuple[str, ...]:
        """The file ids of the row's images, uploaded privately the first time they are needed."""
        if not images:
            return ()
        if row.id not in self._image_uploads:
            uploads = [
                {"content": image.png, "filename": image.filename, "title": image.filename, "alt_txt": image.alt_text}
                for image in images
            ]
            response = self.client.files_upload_v2(file_uploads=uploads)
            self._image_uploads[row.id] = tuple(file["id"] for file in response["files"])
        return self._image_uploads[row.id]

    def _address(self, row: Delivery, now: datetime) -> str:
        """A user or channel id ('email:' addresses looked up, and cached, through the directory)."""
        with session_scope(self.engine) as session:
            return resolve_address(session, self.client, row.address, now)

    def post(self, row: Delivery, message: Message, now: datetime) -> Posted:
        with _slack_errors(row.id):
            rendered = render(message, self._uploaded_images(row, message.images))
            response = self.client.chat_postMessage(
                channel=self._address(row, now),
                text=rendered.text,
                blocks=rendered.blocks,
                metadata={"event_type": METADATA_EVENT, "event_payload": {"delivery_id": row.id}},
                unfurl_links=False,
                unfurl_media=False,
            )
        self._image_uploads.pop(row.id, None)
        return Posted(response.get("channel"), response.get("ts"))

    def update(self, row: Delivery, posted: Posted, message: Message) -> None:
        with _slack_errors(row.id):
            rendered = render(message, self._uploaded_images(row, message.images))
            self.client.chat_update(
                channel=posted.conversation, ts=posted.id, text=rendered.text, blocks=rendered.blocks
            )
        self._image_uploads.pop(row.id, None)

    def find_posted(self, row: Delivery, now: datetime) -> Posted | None:
        """After a crash between posting and recording: look for the row id in the metadata of the channel's
        messages since the row was created."""
        with _slack_errors(row.id):
            address = self._address(row, now)
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
                        return Posted(channel, message.get("ts"))
                cursor = (history.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
        return None

    def publish_home(self, person: Person, parts: list[Message], now: datetime) -> None:
        """Publish the person's Home tab (bot.home.refresh.HomePublisher)."""
        with session_scope(self.engine) as session:
            user_id = resolve_address(session, self.client, person_address(person), now)
        self.client.views_publish(user_id=user_id, view=home_view(parts))

    def upload(self, posted: Posted, files: tuple[File, ...]) -> None:
        """files.getUploadURLExternal + completeUploadExternal, into the channel the message went to."""
        uploads = [{"content": f.content, "filename": f.filename, "title": f.title} for f in files]
        try:
            self.client.files_upload_v2(file_uploads=uploads, channel=posted.conversation)
        except SlackApiError as exc:
            raise SendError(exc.response.get("error") or type(exc).__name__, Failure.PERMANENT) from exc


def slack_senders(engine: Engine, client: WebClient) -> Senders:
    """The senders by platform, Slack's on `client`."""
    return {Platform.SLACK: SlackSender(engine, client)}
