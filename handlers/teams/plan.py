"""`kommunikationsplan [filter|status]` in Teams: the next 14 days of the plan, a filtered view, or delivery status
(bot/plan/command.py decides, as for Slack's /kommunikationsplan)."""

import asyncio

from microsoft_agents.hosting.core import AgentApplication, TurnContext, TurnState
from microsoft_agents.hosting.msteams import TeamsAgentExtension

from bot.plan.command import plan_help, plan_reply
from bot.runtime import Runtime
from handlers.teams.asker import asker_of
from handlers.teams.commands import on_command
from handlers.teams.replies import reply


def register(app: AgentApplication[TurnState], teams: TeamsAgentExtension[TurnState], runtime: Runtime) -> None:
    @on_command(app, "kommunikationsplan")
    async def kommunikationsplan(context: TurnContext, state: TurnState, argument: str) -> None:
        argument = argument.strip()
        answer = plan_help(runtime.config, argument)
        if answer is None:
            answer = await asyncio.to_thread(
                plan_reply,
                engine=runtime.engine,
                config=runtime.config,
                asker=asker_of(context, runtime),
                argument=argument,
                now=runtime.clock.now(),
            )
        await reply(context, answer)
