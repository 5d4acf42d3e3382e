"""Keeping a case's triage message current: chat.update on the posted message, or the queued row rewritten."""

import json
import logging

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


def refresh_triage(engine: Engine, client: WebClient, config: AssociationConfig, case_id: int) -> bool:
    """Show the case's current state in its triage channel; True when a posted message was updated.

    The stored outbox row is rewritten too, so that a row not yet sent goes out current and a
    confidential case's contents do not linger in the outbox.
    """
    with session_scope(engine) as session:
        case = store.get_case(session, case_id)
        delivery = store.triage_delivery(session, case_id)
        if case is None or delivery is None:
            return False
        fallback, blocks = triage_message(config, case, store.history(session, [case_id])[case_id])
        outbox.mark(session, delivery.id, text=fallback, blocks=json.dumps(blocks, ensure_ascii=False))
        posted = delivery.status == DeliveryStatus.SENT and delivery.slack_ts
        channel, ts, number = delivery.slack_channel, delivery.slack_ts, case.number
    if not posted:
        return False
    try:
        client.chat_update(channel=channel, ts=ts, text=fallback, blocks=blocks)
    except SlackApiError as exc:
        log.error("could not update the triage message of case %s: %s", number, exc.response.get("error"))
        return False
    return True
