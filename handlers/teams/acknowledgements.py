"""The acknowledge button ("Kvitterat") in Teams (Action.Execute): the click acknowledged
(bot/acknowledgements/button.py) and answered with the clicked card as it stands now, "Kvitterat av ..." in the
button's place; a refusal or 'redan kvitterat' to the clicker alone. The other posts that carried the button (and
this one, for those not looking at the answer) are updated through the outbox after answering."""

import asyncio
from collections.abc import Mapping
from typing import Any

from microsoft_agents.hosting.core import AgentApplication, TurnContext, TurnState
from microsoft_agents.hosting.msteams import TeamsAgentExtension

from bot.acknowledgements.button import press, read_value, send_updates
from bot.acknowledgements.service import InvalidAcknowledgement
from bot.runtime import Runtime
from handlers.teams.asker import asker_of
from handlers.teams.replies import Card, CardAction, Malformed, on_card_action
from messages.actions import ACKNOWLEDGE_ACTION
from messages.teams.card import message_card


def _acknowledged(runtime: Runtime) -> CardAction:
    async def clicked(context: TurnContext, data: Mapping[str, Any]) -> Card | str:
        try:
            subject, audience = read_value(data.get("value"))
            pressed = await asyncio.to_thread(
                press,
                engine=runtime.engine,
                config=runtime.config,
                asker=asker_of(context, runtime),
                subject=subject,
                audience=audience,
                now=runtime.clock.now(),
            )
        except InvalidAcknowledgement as error:
            raise Malformed(f"the value of {ACKNOWLEDGE_ACTION}: {error.what}") from None
        # A replay sends too: the first request may have ended before its updates went out.
        now = runtime.clock.now()
        runtime.background.submit(send_updates, runtime.engine, runtime.senders, runtime.config, pressed.updates, now)
        if pressed.notice:
            return pressed.notice
        message = pressed.messages.get(context.activity.reply_to_id or "")
        return message_card(message) if message is not None else pressed.done

    return clicked


def register(app: AgentApplication[TurnState], teams: TeamsAgentExtension[TurnState], runtime: Runtime) -> None:
    on_card_action(app, runtime.engine, ACKNOWLEDGE_ACTION, _acknowledged(runtime))
