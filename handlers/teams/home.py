"""The personal view in Teams (`hem`, `mina uppgifter`, and the welcome in a new personal chat): the person's tasks
and what the plan sends them, the same content as Slack's Home tab (bot/home/), as one card."""

import asyncio

from microsoft_agents.hosting.core import AgentApplication, TurnContext, TurnState
from microsoft_agents.hosting.msteams import TeamsAgentExtension

from bot.home.cache import home_view
from bot.runtime import Runtime
from handlers.teams.actor import person_of
from handlers.teams.commands import on_command
from handlers.teams.replies import reply_card
from messages.teams.home import home_card


async def send_home(context: TurnContext, runtime: Runtime) -> None:
    """Send the asker's view; a Teams user the configuration does not know is told so in it."""
    person = await person_of(context, runtime)
    parts = await asyncio.to_thread(home_view, runtime.engine, runtime.config, person, runtime.clock.now())
    await reply_card(context, home_card(parts), parts[0].text)


def register(app: AgentApplication[TurnState], teams: TeamsAgentExtension[TurnState], runtime: Runtime) -> None:
    @on_command(app, "hem", "mina")  # `hem`, `mina uppgifter`
    async def home(context: TurnContext, state: TurnState, argument: str) -> None:
        await send_home(context, runtime)
