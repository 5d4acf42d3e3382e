"""Sending a case's own messages straight from the request that queued them (receipt, triage post, answer).

Only the case's rows are sent; everything else in the outbox, of every feature, is left to the tick.
"""

from datetime import datetime

from sqlalchemy import Engine

from bot.config.model import AssociationConfig
from bot.delivery import keys
from bot.delivery.platform import Senders
from bot.delivery.sender import Sender, SendReport
from storage import cases as store
from storage.engine import session_scope


def send_case_messages(
    engine: Engine, senders: Senders, config: AssociationConfig, case_id: int, now: datetime
) -> SendReport:
    with session_scope(engine, reading=True) as session:
        ids = store.reply_delivery_ids(session, case_id, keys.CASE_REPLY_KINDS)
    return Sender(engine, senders, config).send_rows(ids, now)
