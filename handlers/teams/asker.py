"""Who sends a Teams activity, for the platform-neutral command code (bot/asker.py): the configured person is
looked up only when that code first asks (an anonymous report must leave no trace of its reporter).

The neutral code runs in a worker thread (asyncio.to_thread), so the database look-ups run there too; only the Bot
Connector's member look-up, a coroutine of the SDK's turn that needs no worker thread, is run on the turn's event
loop and waited for (waiting there for a coroutine that itself needs a worker could starve the pool)."""

import asyncio

from microsoft_agents.hosting.core import TurnContext

from bot.asker import Asker
from bot.config.model import Person
from bot.runtime import Runtime
from handlers.teams.actor import person_in_thread, reporter_id

LOOKUP_TIMEOUT = 10.0  # seconds; the roster is in the database, the Bot Connector is asked at most once


class TeamsAsker(Asker):
    """The activity's Teams user ('aad:<object id>') and the configured person behind them."""

    def __init__(self, context: TurnContext, runtime: Runtime, loop: asyncio.AbstractEventLoop):
        self.user_id = reporter_id(context)
        self._context, self._runtime, self._loop = context, runtime, loop
        self._person: Person | None = None
        self._resolved = False

    def person(self) -> Person | None:
        """The configured person, or None for a Teams user the configuration does not know (from a worker thread)."""
        if not self._resolved:
            self._person = person_in_thread(self._context, self._runtime, self._loop, LOOKUP_TIMEOUT)
            self._resolved = True
        return self._person


def asker_of(context: TurnContext, runtime: Runtime) -> TeamsAsker:
    """The asker of the turn being handled (called on the turn's event loop)."""
    return TeamsAsker(context, runtime, asyncio.get_running_loop())
