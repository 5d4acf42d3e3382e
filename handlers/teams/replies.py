"""Answering a Teams request with the neutral Message or Form a feature returned: as a card in the conversation
(the HTTP response of an `expectReplies` message, else the Bot Connector), or as a card action's invoke response,
which replaces the card in place.

`on_card_action` registers one handler for a card button or form of ours whichever way Teams sends it: as an
`Action.Execute` (an adaptiveCard/action invoke, answered with the card that replaces the clicked one) or, from a
client without Universal Actions, as the `Action.Submit` fallback (a message whose value is the data: the clicked
card updated in place, and a text meant for the clicker alone never shown in a channel or group chat)."""

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from microsoft_agents.activity import Activity, AdaptiveCardInvokeResponse
from microsoft_agents.hosting.core import AgentApplication, TurnContext, TurnState
from microsoft_agents.hosting.core.connector import ConnectorClientBase
from sqlalchemy import Engine

from bot.teams.installs import PERSONAL, personal_chat, place_of
from messages.message import Message
from messages.render import render
from messages.teams.card import card_attachment, message_card
from messages.teams.form import SubmissionError
from messages.teams.limits import activities
from messages.teams.markup import to_plain_text

log = logging.getLogger(__name__)
CARD_TYPE = "application/vnd.microsoft.card.adaptive"
MESSAGE_TYPE = "application/vnd.microsoft.activity.message"
Card = dict[str, Any]
# (context, the action's data) -> the card that replaces the clicked one, or a text (markup) shown to the clicker
# alone with the card left as it is (a refusal, a confidential case in full).
CardAction = Callable[[TurnContext, Mapping[str, Any]], Awaitable[Card | str]]


async def reply(context: TurnContext, message: Message) -> None:
    """Send `message` as a card in the activity's conversation (as several, should it not fit in one)."""
    for activity in activities(message):
        await context.send_activity(Activity.model_validate(activity))


async def reply_card(context: TurnContext, card: Card, summary: str | None = None) -> None:
    """Send `card` (a form) in the activity's conversation, with `summary` (markup) for the notification."""
    activity: Card = {"type": "message", "attachments": [card_attachment(card)]}
    if summary:
        activity["summary"] = to_plain_text(summary)
    await context.send_activity(Activity.model_validate(activity))


def text_card(text: str) -> Card:
    """A card that only says `text` (markup): a refusal or a confirmation in a card's place."""
    return message_card(Message(text=text))


def card_response(answer: Card | str) -> AdaptiveCardInvokeResponse:
    """The invoke response of a card action: a card replaces the clicked card; a text is shown to the clicker."""
    if isinstance(answer, str):
        return AdaptiveCardInvokeResponse(status_code=200, type=MESSAGE_TYPE, value=to_plain_text(answer))
    return AdaptiveCardInvokeResponse(status_code=200, type=CARD_TYPE, value=answer)


def on_card_action(
    app: AgentApplication[TurnState], engine: Engine, verb: str | re.Pattern[str], handler: CardAction
) -> None:
    """Route the card action `verb` (or every verb the pattern matches) to `handler`, as an Action.Execute invoke
    and as its Action.Submit fallback."""

    async def answer(context: TurnContext, data: Any) -> Card | str:
        try:
            if not isinstance(data, Mapping):
                raise Malformed("the action's data is not an object")
            return await handler(context, data)
        except (Malformed, SubmissionError) as error:
            return malformed_card(context, error)

    @app.adaptive_card.action_execute(verb)
    async def executed(context: TurnContext, state: TurnState, data: Any) -> AdaptiveCardInvokeResponse:
        return card_response(await answer(context, data))

    @app.adaptive_card.action_submit(verb)
    async def submitted(context: TurnContext, state: TurnState, data: Any) -> None:
        answered = await answer(context, data)
        if isinstance(answered, str):
            await tell_clicker(context, engine, answered)
        elif context.activity.reply_to_id and context.services.get(ConnectorClientBase) is not None:
            await replace_card(context, answered)
        else:
            await reply_card(context, answered)


async def tell_clicker(context: TurnContext, engine: Engine, text: str) -> None:
    """Show `text` (markup) to the clicker of an Action.Submit alone: as a reply in a personal chat; elsewhere in
    the clicker's personal chat with the bot, where it is installed (on the same Bot Connector service; not when
    the replies are expected in the response), and a neutral note in the conversation."""
    activity = context.activity
    if place_of(activity).kind == PERSONAL:
        await reply(context, Message(text=text))
        return
    object_id = activity.from_property.aad_object_id if activity.from_property else None
    chat = await asyncio.to_thread(personal_chat, engine, object_id) if object_id else None
    client = context.services.get(ConnectorClientBase)
    if chat is not None and client is not None and chat[0] == activity.service_url:
        for part in activities(Message(text=text)):
            await client.conversations.send_to_conversation(chat[1], Activity.model_validate(part))
    await reply(context, Message(text=render("teams_answer_private")))


async def replace_card(context: TurnContext, card: Card) -> None:
    """Update the clicked card (the activity's replyToId) to `card` in place."""
    activity = {"type": "message", "id": context.activity.reply_to_id, "attachments": [card_attachment(card)]}
    await context.update_activity(Activity.model_validate(activity))


class Malformed(Exception):
    """Card data or a request that no card of ours sends: `what` is wrong (for the operator's log)."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


def our_fields(data: Mapping[str, Any], schema: Mapping[str, type]) -> dict[str, Any]:
    """The fields of our own data that came back in a card action (its metadata, a button's value), each key of
    `schema` of that type; Malformed otherwise."""
    fields = {}
    for key, kind in schema.items():
        value = data.get(key)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise Malformed(f"no {key!r} of type {kind.__name__}")
        fields[key] = value
    return fields


def malformed_text(context: TurnContext, error: Exception) -> str:
    """One log line for the operator (what is wrong, never the data) and the polite Swedish note."""
    activity = context.activity
    log.warning("malformed Teams request (%s %s): %s", activity.type, activity.name or "", error)
    return render("teams_malformed_request")


def malformed_card(context: TurnContext, error: Exception) -> Card:
    """The polite Swedish note as a card, in the place of the card whose data could not be read."""
    return text_card(malformed_text(context, error))
