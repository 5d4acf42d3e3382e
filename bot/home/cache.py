"""The personal view served from its stored rendering while that is clean, rendered and stored again when not."""

import json
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from bot.config.model import AssociationConfig, Person
from bot.home.tasks import gather_tasks
from bot.home.validity import valid_until
from bot.home.view import view_parts
from messages.message import Message
from storage.engine import session_scope
from storage.home import fresh_parts, store_view, version_of


def home_view(engine: Engine, config: AssociationConfig, person: Person | None, now: datetime) -> list[Message]:
    """The view of `person` as of `now`: the stored one when clean (one statement, nothing gathered), else rendered
    and stored. A user the configuration does not know (None) is told so; nothing is stored for them."""
    if person is None:
        return view_parts(config, None, None, now)
    with session_scope(engine) as session:
        stored = fresh_parts(session, person.id, now)
        if stored is not None:
            return [Message.from_json(part) for part in json.loads(stored)]
        return render_view(session, config, person, now)


def render_view(session: Session, config: AssociationConfig, person: Person, now: datetime) -> list[Message]:
    """Gather and render the view of `person`, and store it (clean unless a write marked it meanwhile)."""
    read_version = version_of(session, person.id)
    parts = view_parts(config, person, gather_tasks(session, config, person, now), now)
    stored = json.dumps([part.to_json() for part in parts])
    store_view(session, person.id, stored, valid_until(config, person, now), now, read_version)
    return parts
