"""Who a Teams user is: the configured person with their Entra object id, or with the e-mail the roster has."""

from datetime import datetime

from microsoft_agents.activity import Activity
from sqlalchemy import Engine

from bot.config.model import AssociationConfig, Person
from bot.teams.installs import record_member


def person_for_member(config: AssociationConfig, object_id: str, email: str | None) -> Person | None:
    """The configured person by teams_id, else by e-mail (both case-insensitive)."""
    for person in config.people:
        if person.teams_id and person.teams_id.lower() == object_id.lower():
            return person
    if not email:
        return None
    return next((p for p in config.people if p.email and p.email.lower() == email.lower()), None)


def identify(
    engine: Engine, config: AssociationConfig, activity: Activity, now: datetime, email: str | None = None
) -> tuple[Person | None, str | None]:
    """The configured person behind the sender of `activity`, and the e-mail the roster has for them (after
    recording the sender as seen now, with `email` when the caller has learnt it)."""
    member = record_member(engine, activity, now, email)
    if member is None:
        return None, None
    return person_for_member(config, member.object_id, member.email), member.email
