"""The one error handler of the Teams app: a handler's failure is logged with its traceback for the operator, and
the user gets the Swedish apology (in an invoke's response, so a card or a dialog shows it; else as a message)."""

import logging

from microsoft_agents.activity import Activity, ActivityTypes, InvokeResponse
from microsoft_agents.hosting.core import AgentApplication, TurnContext
from microsoft_agents.hosting.msteams import TeamsAgentExtension

from bot.runtime import Runtime
from handlers.teams.reply import send_text
from messages.render import render

log = logging.getLogger(__name__)
ADAPTIVE_CARD_ACTION = "adaptiveCard/action"
DIALOGS = ("composeExtension/fetchTask", "composeExtension/submitAction", "task/fetch", "task/submit")


def register(app: AgentApplication, teams: TeamsAgentExtension, runtime: Runtime) -> None:
    @app.error
    async def handle_error(context: TurnContext, error: Exception) -> None:
        activity = context.activity
        log.error("unhandled error in a Teams handler (%s %s)", activity.type, activity.name or "", exc_info=error)
        try:
            await apologise(context)
        except Exception as second:  # noqa: BLE001 - the apology is a courtesy: it must not become a second error
            log.warning("could not tell the user about a failed Teams turn (%s)", type(second).__name__)


async def apologise(context: TurnContext) -> None:
    """Tell the user, in the way this kind of activity allows, that their request failed (never with a 500)."""
    text = render("internal_error")
    activity = context.activity
    if activity.type == ActivityTypes.invoke and activity.name == ADAPTIVE_CARD_ACTION:  # the card shows it
        body: dict | None = {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": text}
    elif activity.type == ActivityTypes.invoke and activity.name in DIALOGS:  # the dialog (task module) shows it
        body = {"task": {"type": "message", "value": text}}
    else:
        await send_text(context, text)
        body = None
    if activity.type == ActivityTypes.invoke:
        response = InvokeResponse(status=200, body=body)
        await context.send_activity(Activity(type=ActivityTypes.invoke_response, value=response))
