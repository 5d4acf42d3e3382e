"""Building outbox rows for a message to one recipient: one row per part the recipient's platform needs."""

from datetime import datetime
from functools import lru_cache

from bot.delivery.keys import OutboxKey
from bot.people import Recipient
from messages.message import Message
from messages.splitting import split
from storage.outbox import Delivery, DeliveryStatus, RowKind
from storage.platform import Platform


def message_rows(
    *,
    key: OutboxKey,
    recipient: Recipient,
    message: Message,
    due_at: datetime,
    now: datetime,
    owner: str | None,
    status: str = DeliveryStatus.PENDING,
) -> list[dict]:
    """One row per message part needed to carry `message` to `recipient`."""
    rows = []
    for part, (text, stored) in enumerate(_parts(recipient.platform, message)):
        rows.append(
            {
                **key.columns(),
                "recipient": recipient.key,
                "part": part,
                "due_at": due_at,
                "platform": recipient.platform,
                "address": recipient.address,
                "text": text,
                "message": stored,
                "owner": owner,
                "status": status,
                "attempts": 0,
                "next_attempt_at": due_at,
                "created_at": now,
            }
        )
    return rows


def _parts(platform: Platform, message: Message) -> tuple[tuple[str, str], ...]:
    """(notification text, message as JSON) per part. Cached, as one item sends the same text to many people;
    not for a message with files, which the cache would keep in memory long after they are queued."""
    return _split(platform, message) if message.files else _cached_split(platform, message)


def _split(platform: Platform, message: Message) -> tuple[tuple[str, str], ...]:
    return tuple((part.summary or part.text, part.to_json()) for part in split(platform, message))


_cached_split = lru_cache(maxsize=512)(_split)


def update_row(*, target: Delivery, key: OutboxKey, now: datetime) -> dict:
    """A row that brings the message `target` posted up to date with what `target` holds when the row is sent.

    It carries no text of its own (a confidential case's contents stay only in the row that is rewritten)."""
    return {
        **key.columns(),
        "recipient": target.recipient,
        "part": target.part,
        "due_at": now,
        "platform": target.platform,
        "address": target.address,
        "row_kind": RowKind.UPDATE,
        "updates_id": target.id,
        "text": "",
        "owner": target.owner,
        "status": DeliveryStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
