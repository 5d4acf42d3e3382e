"""The 'Öppna formuläret' button under follow-up invitations and reminders."""

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.runtime import Runtime
from handlers.slack.payload import our_json
from handlers.slack.views.followup_form import open_form
from messages.followup_form import OPEN_FORM_ACTION


def register(app: App, runtime: Runtime) -> None:
    @app.action(OPEN_FORM_ACTION)
    def open_form_button(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        target = our_json(action.get("value"), {"round": str, "department": str}, f"value of {OPEN_FORM_ACTION}")
        ack()  # after reading the value (instant), so that a broken one is answered in the ack's place
        user_id = body["user"]["id"]
        open_form(runtime, client, body["trigger_id"], user_id, target["round"], target["department"], respond=respond)
