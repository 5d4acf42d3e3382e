"""The tick's step for the personal views: notice the messages sent since the last pass that made someone a task,
render every stale view again, and publish it where the platform shows it unasked (Slack's Home tab; Teams shows
the view only when asked, from the stored rendering)."""

import logging
from datetime import datetime
from typing import Protocol, runtime_checkable

from sqlalchemy import Engine

from bot.config.model import AssociationConfig, Person
from bot.delivery.platform import Senders
from bot.home.cache import render_view
from bot.home.dirty import mark_sent
from messages.message import Message
from storage import state
from storage.engine import session_scope
from storage.home import stale_people

log = logging.getLogger(__name__)
TICK_NAME = "home"


@runtime_checkable
class HomePublisher(Protocol):
    """A platform sender that can show a person's view without being asked (Slack: views.publish)."""

    def publish_home(self, person: Person, parts: list[Message], now: datetime) -> None: ...


def refresh_home_views(engine: Engine, senders: Senders, config: AssociationConfig, now: datetime) -> int:
    """Render and publish every stale view; returns how many were rendered. A failed publish is logged: the
    stored view is current, and the next opening publishes it."""
    with session_scope(engine) as session:
        mark_sent(session, config, state.last_tick(session, TICK_NAME), now)
        state.record_tick(session, now, TICK_NAME)
        stale = stale_people(session, now)
    rendered = 0
    for person_id in stale:
        person = config.find_person(person_id)
        if person is None:
            continue  # no longer in the configuration: nobody opens the view
        with session_scope(engine) as session:
            parts = render_view(session, config, person, now)
        rendered += 1
        publisher = senders.get(person.chat_platform)
        if isinstance(publisher, HomePublisher):
            try:
                publisher.publish_home(person, parts, now)
            except Exception:
                log.exception("home: publishing the view of %s failed; the next opening publishes it", person_id)
    return rendered
