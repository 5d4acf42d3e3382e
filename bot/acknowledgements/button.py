"""The acknowledge button ("Kvitterat"), for any chat platform: what a click does and what the clicker is told.

The platform's handler reads the button's value (`read_value`), calls `press`, tells the clicker the notice (to
them alone), and sends the update rows (`send_updates`) so the posted messages show the acknowledgement in place.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine

from bot.acknowledgements.carriers import done_text, who_and_when
from bot.acknowledgements.service import InvalidAcknowledgement, acknowledge
from bot.acknowledgements.subjects import read_button_value
from bot.asker import Asker
from bot.config.model import AssociationConfig
from bot.delivery.platform import Senders
from bot.delivery.sender import Sender
from bot.replies import DOMAIN_ERRORS, error_text
from messages.message import Message
from messages.render import render
from storage.engine import session_scope

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pressed:
    """What a click did: `notice` for the clicker alone (a refusal, or who acknowledged it before), the messages as
    they stand now by the platform id of their post, and the update rows to send."""

    notice: str | None = None
    messages: dict[str, Message] = field(default_factory=dict)
    updates: list[int] = field(default_factory=list)
    done: str = ""  # 'Kvitterat av <name> <date>', once acknowledged


def read_value(value: object) -> tuple[str, str]:
    """The (subject, audience) the button's value names; InvalidAcknowledgement for anything else."""
    names = read_button_value(value)
    if names is None:
        raise InvalidAcknowledgement("the value is not a JSON object with a subject and an audience")
    return names


def press(
    *, engine: Engine, config: AssociationConfig, asker: Asker, subject: str, audience: str, now: datetime
) -> Pressed:
    """Acknowledge for the asker: the first allowed click records it; a second click or a replay changes nothing and
    is told who acknowledged and when; anyone else is refused. InvalidAcknowledgement for a value naming nothing
    we sent (nothing is written)."""
    try:
        person = asker.known()
        with session_scope(engine) as session:
            outcome = acknowledge(
                session=session, config=config, person=person, subject=subject, audience=audience, now=now
            )
            done, who = done_text(config, outcome.acknowledgement), who_and_when(config, outcome.acknowledgement)
    except DOMAIN_ERRORS as error:  # an unknown user, or one who may not acknowledge for the audience
        return Pressed(notice=error_text(error, config, now))
    notice = None if outcome.new else render("ack_already", **who)
    return Pressed(notice, outcome.shown.messages, outcome.shown.updates, done)


def send_updates(engine: Engine, senders: Senders, config: AssociationConfig, ids: list[int], now: datetime) -> None:
    """Send the update rows now; one that cannot go now stays in the outbox (retried, or reported like any row)."""
    if not ids:
        return
    report = Sender(engine, senders, config).send_rows(ids, now)
    for row, reason in report.failed:
        log.error("could not show an acknowledgement in message %s: %s", row.updates_id, reason)
    for row, reason in report.deferred:
        log.info("an acknowledgement will be shown in message %s by the outbox: %s", row.updates_id, reason)
