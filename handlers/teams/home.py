"""The personal overview in Teams (`hem`, `mina uppgifter`): what the plan sends this person in the coming two
weeks, the same content as Slack's Home tab (bot/plan/command.py)."""

import asyncio

from microsoft_agents.hosting.core import AgentApplication, TurnContext, TurnState
from microsoft_agents.hosting.msteams import TeamsAgentExtension

from bot.plan.command import home_message
from bot.runtime import Runtime
from handlers.teams.actor import person_of
from handlers.teams.commands import on_command
from handlers.teams.replies import reply


async def send_home(context: TurnContext, runtime: Runtime) -> None:
    """Send the asker's overview; a Teams user the configuration does not know is told so in it."""
    person = await person_of(context, runtime)
    message = await asyncio.to_thread(home_message, runtime.config, person, runtime.clock.now())
    await reply(context, message)


def register(app: AgentApplication[TurnState], teams: TeamsAgentExtension[TurnState], runtime: Runtime) -> None:
    @on_command(app, "hem", "mina")  # `hem`, `mina uppgifter`
    async def home(context: TurnContext, state: TurnState, argument: str) -> None:
        await send_home(context, runtime)
