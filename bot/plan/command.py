"""The plan command (`kommunikationsplan [filter|status]`), for any chat platform:
which reply an argument gets, as a neutral Message."""

from datetime import datetime

from sqlalchemy.engine import Engine

from bot.asker import Asker
from bot.config.model import AssociationConfig
from bot.delivery.status import delivery_status
from bot.plan.overview import find_subject, subjects, upcoming
from bot.replies import DOMAIN_ERRORS, error_reply, template_message
from messages.commands import HELP_WORDS
from messages.message import Message
from storage.engine import session_scope

DAYS = 14


def plan_help(config: AssociationConfig, argument: str) -> Message | None:
    """The help, for a help word or an argument that names nothing; None for the overview and the status."""
    if not argument or argument.casefold() == "status":
        return None
    if argument.casefold() not in HELP_WORDS and find_subject(config, argument) is not None:
        return None
    unknown = "" if argument.casefold() in HELP_WORDS else argument
    names = [s.name for s in subjects(config)]
    return template_message("plan_help", unknown=unknown, choices=names, example=_example(config))


def plan_reply(*, engine: Engine, config: AssociationConfig, asker: Asker, argument: str, now: datetime) -> Message:
    """The overview of the next 14 days (filtered by `argument`), or the delivery status for `status`.

    Only the status asks who the asker is; an unknown user is told, as anyone else, that it is not theirs to see."""
    if argument.casefold() == "status":
        with session_scope(engine) as session:
            try:
                view = delivery_status(session=session, config=config, person=asker.person())
            except DOMAIN_ERRORS as error:
                return error_reply(error, config, now)
        return template_message("delivery_status", view=view)
    subject = find_subject(config, argument) if argument else None
    owners = {person.id: person.name for person in config.people}
    entries = upcoming(config, now, DAYS, subject)
    return template_message("plan_overview", upcoming=entries, days=DAYS, subject=subject, owners=owners)


def _example(config: AssociationConfig) -> str:
    return config.departments[0].id if config.departments else "direktion"
