"""Who a Teams user is: the configured person with their Entra object id, or with the e-mail the roster has."""

from datetime import datetime

from microsoft_agents.activity import Activity
from sqlalchemy import Engine

from bot.config.model import AssociationConfig, Person
from bot.teams.installs import record_member, roster_entry


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
    """The configured person behind the sender of `activity`, and the e-mail known for them (`email` when the
    caller has learnt it, else the roster's). A configured person, or someone the roster already has, is recorded
    as seen now; a Teams user the association does not know leaves nothing behind."""
    sender = activity.from_property
    if sender is None or not sender.aad_object_id:
        return None, None
    known = roster_entry(engine, sender.aad_object_id)
    email = email or (known.email if known else None)
    person = person_for_member(config, sender.aad_object_id, email)
    if person is None and known is None:
        return None, email
    member = record_member(engine, activity, now, email)
    return person, member.email if member else email
