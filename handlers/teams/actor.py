"""Who sent an activity: the Teams user, and the configured person behind them.

Looked up only when a handler asks (an anonymous report must leave no trace of its reporter): by the user's Entra
object id (a person's teams_id), else by the e-mail the roster has for them; when the roster has none and the
Bot Connector is at hand, it is asked for the member once, and the answer kept in the roster.
"""

import asyncio
import logging

from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.connector import ConnectorClientBase

from bot.config.model import Person
from bot.people import teams_user_address
from bot.runtime import Runtime
from bot.teams.directory import identify
from bot.teams.installs import member_email

log = logging.getLogger(__name__)


async def person_of(context: TurnContext, runtime: Runtime) -> Person | None:
    """The configured person who sent this activity; None for a user the association file does not know (on the
    turn's event loop)."""
    activity = context.activity
    now = runtime.clock.now()
    person, email = await asyncio.to_thread(identify, runtime.engine, runtime.config, activity, now)
    if person is not None or email is not None:
        return person
    email = await email_from_connector(context)
    if email is None:
        return None
    person, _ = await asyncio.to_thread(identify, runtime.engine, runtime.config, activity, now, email)
    return person


def person_in_thread(
    context: TurnContext, runtime: Runtime, loop: asyncio.AbstractEventLoop, timeout: float
) -> Person | None:
    """person_of from a worker thread: the database look-ups run in this thread, only the Bot Connector's member
    look-up (a coroutine that needs no worker thread) on the turn's event loop."""
    activity = context.activity
    now = runtime.clock.now()
    person, email = identify(runtime.engine, runtime.config, activity, now)
    if person is not None or email is not None:
        return person
    email = asyncio.run_coroutine_threadsafe(email_from_connector(context), loop).result(timeout)
    if email is None:
        return None
    return identify(runtime.engine, runtime.config, activity, now, email)[0]


def reporter_id(context: TurnContext) -> str:
    """The sender as the services store a chat user ('aad:<object id>'; the Teams user id when Teams gave none)."""
    sender = context.activity.from_property
    return teams_user_address(sender.aad_object_id) if sender.aad_object_id else sender.id


async def email_from_connector(context: TurnContext) -> str | None:
    """The sender's e-mail from the Bot Connector's member look-up; None when it cannot tell."""
    connector = context.services.get(ConnectorClientBase)
    activity = context.activity
    if connector is None or activity.from_property is None or not activity.from_property.id:
        return None  # an `expectReplies` turn has no connector client
    try:
        member = await connector.conversations.get_conversation_member(
            activity.conversation.id, activity.from_property.id
        )
    except Exception as error:  # noqa: BLE001 - the look-up is a courtesy: the user is then unknown, not a failure
        log.warning("could not look up a Teams member's e-mail (%s)", type(error).__name__)
        return None
    return member_email(member)
