"""Recording an acknowledgement: who may give it, once per subject and audience, shown in the messages at once."""

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.acknowledgements.audiences import acknowledge_scope, audience_name
from bot.acknowledgements.carriers import Shown, carriers, show_acknowledgement
from bot.acknowledgements.records import find_acknowledgement, record_acknowledgement
from bot.acknowledgements.subjects import parse_audience, parse_subject
from bot.config.model import AssociationConfig, Person
from bot.errors import NotAllowed
from bot.home.dirty import mark_audience
from bot.permissions import Action, allowed, may
from storage.acknowledgements import Acknowledgement

log = logging.getLogger(__name__)


class InvalidAcknowledgement(Exception):
    """A button value no message of ours carries: `what` is wrong (for the operator's one log line)."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


@dataclass(frozen=True)
class Outcome:
    """The acknowledgement as recorded; `new` when this request recorded it (not a second click or a replay)."""

    acknowledgement: Acknowledgement
    new: bool
    shown: Shown


def acknowledge(
    *, session: Session, config: AssociationConfig, person: Person, subject: str, audience: str, now: datetime
) -> Outcome:
    """Record that `person` acknowledges `subject` for `audience`, and show it in every message carrying the button.

    A subject already acknowledged is left as it is (whoever clicks again is told by whom and when); a person who
    may not acknowledge for the audience is refused (NotAllowed, naming who may); a value that names nothing we sent is
    InvalidAcknowledgement.
    """
    if parse_subject(subject) is None or parse_audience(audience) is None:
        raise InvalidAcknowledgement("the value names no subject and audience")
    existing = find_acknowledgement(session, subject, audience)
    if existing is None:
        if not carriers(session, config, subject, audience):
            raise InvalidAcknowledgement("no message carries a button for the value's subject and audience")
        scope = acknowledge_scope(config, audience)
        if not may(config, person, Action.ACKNOWLEDGE, scope):
            names = tuple(
                found.name for found in map(config.find_person, allowed(config, Action.ACKNOWLEDGE, scope)) if found
            )
            raise NotAllowed(Action.ACKNOWLEDGE, audience_name(config, audience), names)
    recorded, new = (
        (existing, False) if existing else record_acknowledgement(session, subject, audience, person.id, now)
    )
    if new:
        log.info("%s acknowledged %s for %s", person.id, subject, audience)
        mark_audience(session, config, audience)
    return Outcome(recorded, new, show_acknowledgement(session, config, recorded, now))
