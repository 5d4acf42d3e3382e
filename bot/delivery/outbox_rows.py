"""Building outbox rows for a message to one recipient (split into parts at Slack's limits)."""

import json
from datetime import datetime
from functools import lru_cache

from bot.people import Recipient
from messages.blocks import messages_for
from storage.outbox import DeliveryStatus


def message_rows(
    *,
    source: str,
    item_id: str,
    occurrence_key: str,
    recipient: Recipient,
    text: str,
    due_at: datetime,
    now: datetime,
    owner: str | None,
    status: str = DeliveryStatus.PENDING,
) -> list[dict]:
    """One row per message part needed to carry `text` to `recipient`."""
    rows = []
    for part, (fallback, blocks) in enumerate(_parts(text)):
        rows.append(
            {
                "source": source,
                "item_id": item_id,
                "occurrence_key": occurrence_key,
                "recipient": recipient.key,
                "part": part,
                "due_at": due_at,
                "address": recipient.address,
                "text": fallback,
                "blocks": blocks,
                "owner": owner,
                "status": status,
                "attempts": 0,
                "next_attempt_at": due_at,
                "created_at": now,
            }
        )
    return rows


@lru_cache(maxsize=512)
def _parts(text: str) -> tuple[tuple[str, str], ...]:
    """(fallback, blocks as JSON) per message part; cached, as one item sends the same text to many people."""
    return tuple((fallback, json.dumps(blocks, ensure_ascii=False)) for fallback, blocks in messages_for(text))
