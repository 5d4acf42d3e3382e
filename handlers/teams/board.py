"""`direktion [protokoll|kvittenser|...]` in Teams: a reply card, or a form as a card (bot/board/command.py
decides which, as for Slack's /direktion)."""

import asyncio

from microsoft_agents.hosting.core import AgentApplication, TurnContext, TurnState
from microsoft_agents.hosting.msteams import TeamsAgentExtension

from bot.board.command import BoardRequest, board_form, board_help, board_reply, opens_form, split_command
from bot.runtime import Runtime
from handlers.teams.asker import asker_of
from handlers.teams.commands import on_command
from handlers.teams.replies import reply, reply_card
from handlers.teams.request_keys import request_key
from messages.teams.form import form_card


def register(app: AgentApplication[TurnState], teams: TeamsAgentExtension[TurnState], runtime: Runtime) -> None:
    @on_command(app, "direktion")
    async def direktion(context: TurnContext, state: TurnState, argument: str) -> None:
        word, rest = split_command(argument)
        answer = board_help(runtime.config, word)
        if answer is None:
            request = BoardRequest(
                engine=runtime.engine,
                config=runtime.config,
                asker=asker_of(context, runtime),
                rest=rest,
                now=runtime.clock.now(),
                request_key=request_key(context.activity),
            )
            if opens_form(word):
                form = await asyncio.to_thread(board_form, request, word)
                await reply_card(context, form_card(form), form.title)
                return
            answer = await asyncio.to_thread(board_reply, request, word)
        if answer is not None:  # None: the same message delivered again, answered the first time
            await reply(context, answer)
