"""Keeping a case's triage message current: chat.update on the posted message, or the queued row rewritten."""

import json
import logging
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from bot.cases.notices import triage_message
from bot.config.model import AssociationConfig
from storage import cases as store
from storage import outbox
from storage.engine import session_scope
from storage.outbox import DeliveryStatus

log = logging.getLogger(__name__)
MAX_ROUNDS = 3


@dataclass(frozen=True)
class _Shown:
    version: int  # the id of the case's latest history event
    number: str
    channel: str | None
    ts: str | None
    fallback: str
    blocks: list


def _current(engine: Engine, config: AssociationConfig, case_id: int) -> _Shown | None:
    """The message as the case stands now; the stored outbox row is rewritten to match.

    Rewriting the row means that a row not yet sent goes out current, and that a confidential
    case's contents do not linger in the outbox.
    """
    with session_scope(engine) as session:
        case = store.get_case(session, case_id)
        delivery = store.triage_delivery(session, case_id)
        if case is None or delivery is None:
            return None
        events = store.history(session, [case_id])[case_id]
        fallback, blocks = triage_message(config, case, events)
        outbox.mark(session, delivery.id, text=fallback, blocks=json.dumps(blocks, ensure_ascii=False))
        posted = delivery.status == DeliveryStatus.SENT and delivery.slack_ts
        return _Shown(
            version=events[-1].id,
            number=case.number,
            channel=delivery.slack_channel if posted else None,
            ts=delivery.slack_ts if posted else None,
            fallback=fallback,
            blocks=blocks,
        )


def refresh_triage(engine: Engine, client: WebClient, config: AssociationConfig, case_id: int) -> bool:
    """Show the case's current state in its triage channel; True when the posted message was updated.

    After updating, the case is read again: if another step happened meanwhile (and a concurrent
    refresh may have shown an older state last), the message is updated once more.
    """
    updated, shown_version = False, None
    for _ in range(MAX_ROUNDS):
        shown = _current(engine, config, case_id)
        if shown is None or shown.ts is None or shown.version == shown_version:
            return updated
        try:
            client.chat_update(channel=shown.channel, ts=shown.ts, text=shown.fallback, blocks=shown.blocks)
        except SlackApiError as exc:
            log.error("could not update the triage message of case %s: %s", shown.number, exc.response.get("error"))
            return False
        updated, shown_version = True, shown.version
    return updated
