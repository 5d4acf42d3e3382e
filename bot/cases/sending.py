"""Sending a case's own messages straight from the request that queued them (receipt, triage post, answer).

Only the case's rows are sent; everything else in the outbox, of every feature, is left to the tick.
"""

from datetime import datetime

from sqlalchemy import Engine

from bot.config.model import AssociationConfig
from bot.delivery import keys
from bot.delivery.platform import Senders
from bot.delivery.sender import Sender, SendReport
from storage import outbox
from storage.cases import CASE_SOURCE
from storage.engine import session_scope


def send_case_messages(
    engine: Engine, senders: Senders, config: AssociationConfig, case_id: int, now: datetime
) -> SendReport:
    with session_scope(engine, one_statement=True) as session:
        claimed = outbox.claim_item_posts(session, CASE_SOURCE, str(case_id), keys.CASE_REPLY_KINDS, now)
    return Sender(engine, senders, config).send_claimed(claimed, now)
