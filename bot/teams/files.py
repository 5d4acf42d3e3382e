"""Files to a person in Teams: a file consent card per file, and on their accept the bytes PUT to the upload URL
Teams gave (their OneDrive), then a file info card in the chat.

A bot may send files only in a personal chat, and only with the user's consent: the card carries
`acceptContext` {"delivery": outbox row id, "file": index}; the bytes stay in that row's message until the user
accepts. The accept is recorded with the upload (bot.replays), so a replayed accept uploads nothing twice.
"""

import hashlib
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from bot.delivery.keys import Source
from bot.replays import claim
from messages.message import File, Message
from storage.engine import session_scope
from storage.outbox import Delivery
from storage.requests import ProcessedRequest

log = logging.getLogger(__name__)

FILE_CONSENT_CARD = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO_CARD = "application/vnd.microsoft.teams.card.file.info"
UPLOAD_TIMEOUT = 60.0


class FileNotAvailable(Exception):
    """The accept names no file the outbox still holds (the row was pruned, or the context is not ours)."""


class UploadFailed(Exception):
    """The upload URL refused the bytes or could not be reached."""


@dataclass(frozen=True)
class Consent:
    """What a consent card's context names: the outbox row and the file's index in its message."""

    delivery_id: int
    index: int

    @classmethod
    def read(cls, context: object) -> "Consent | None":
        """The context a card carried, or None when it is not one of ours."""
        if not isinstance(context, dict):
            return None
        delivery, index = context.get("delivery"), context.get("file")
        if type(delivery) is not int or type(index) is not int:  # not bool, which JSON's true would be
            return None
        return cls(delivery, index)

    def request_key(self) -> str:
        """The key recording that this file was uploaded (bot.replays)."""
        return hashlib.sha256(f"teams-file-consent:{self.delivery_id}:{self.index}".encode()).hexdigest()


def consent_activity(delivery_id: int, index: int, file: File) -> dict:
    """A message with the file consent card for the `index`th file of the outbox row `delivery_id`."""
    context = {"delivery": delivery_id, "file": index}
    card = {
        "contentType": FILE_CONSENT_CARD,
        "name": file.filename,
        "content": {
            "description": file.title,
            "sizeInBytes": len(file.content),
            "acceptContext": context,
            "declineContext": context,
        },
    }
    return {"type": "message", "attachments": [card]}


def file_info_activity(name: str, content_url: str, unique_id: str | None, file_type: str | None) -> dict:
    """A message with the file info card for a file uploaded to the user's OneDrive."""
    card = {
        "contentType": FILE_INFO_CARD,
        "name": name,
        "contentUrl": content_url,
        "content": {"uniqueId": unique_id, "fileType": file_type or name.rsplit(".", 1)[-1]},
    }
    return {"type": "message", "attachments": [card]}


@dataclass(frozen=True)
class OfferedFile:
    """A file a consent card offered, and whether it came with a follow-up round's summary."""

    file: File
    followup: bool


def offered_file(engine: Engine, consent: Consent, conversation_id: str) -> OfferedFile:
    """The file a consent card offered, from its outbox row, if the card was posted in `conversation_id` (where
    the accept came from: nobody fetches another person's file by naming its row)."""
    with session_scope(engine) as session:
        row = session.get(Delivery, consent.delivery_id)
        if row is None or row.posted_conversation != conversation_id:
            raise FileNotAvailable(f"delivery {consent.delivery_id} was not posted in this conversation")
        files = Message.from_json(row.message).files
        followup = row.source == Source.FOLLOWUP
    if not 0 <= consent.index < len(files):
        raise FileNotAvailable(f"delivery {consent.delivery_id} has no file {consent.index}")
    return OfferedFile(files[consent.index], followup)


def put_file(upload_url: str, content: bytes) -> None:
    """The whole file in one PUT to a OneDrive upload session (Content-Range covering every byte)."""
    request = urllib.request.Request(
        upload_url,
        data=content,
        method="PUT",
        headers={
            "Content-Range": f"bytes 0-{len(content) - 1}/{len(content)}",
            "Content-Type": "application/octet-stream",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=UPLOAD_TIMEOUT) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        raise UploadFailed(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise UploadFailed(type(exc).__name__) from exc


def _release(engine: Engine, key: str) -> None:
    """Give back the claim of an accept whose upload failed (a new accept of the same file may upload it)."""
    with session_scope(engine) as session:
        claimed = session.get(ProcessedRequest, key)
        if claimed is not None:
            session.delete(claimed)


def upload_consented(
    engine: Engine, consent: Consent, conversation_id: str, upload_url: str, now: datetime
) -> OfferedFile:
    """Upload the accepted file once: the accept is claimed and committed before the PUT (no transaction stays
    open while OneDrive answers), so a replay raises bot.replays.Replayed; a failed upload gives the claim back
    (UploadFailed), so a new accept uploads."""
    offered = offered_file(engine, consent, conversation_id)
    key = consent.request_key()
    with session_scope(engine) as session:
        claim(session, key, now)
    try:
        put_file(upload_url, offered.file.content)
    except UploadFailed:
        _release(engine, key)
        raise
    log.info("delivery %s: file %s uploaded to the user's OneDrive", consent.delivery_id, consent.index)
    return offered
