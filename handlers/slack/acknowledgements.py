"""The acknowledge button ("Kvitterat") under a board digest, a plan message or a reminder, or in the Home tab's
list of tasks, in Slack: the click acknowledged (bot/acknowledgements/button.py), a refusal or 'redan kvitterat' to
the clicker alone, and the posted messages updated in place through the outbox. A click in the Home tab has no
message to answer under: the tab is published again at once, as it now stands."""

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.acknowledgements.button import press, read_value, send_updates
from bot.acknowledgements.service import InvalidAcknowledgement
from bot.home.cache import home_view
from bot.runtime import Runtime
from handlers.slack.actor import actor_of
from handlers.slack.payload import MalformedRequest
from messages.actions import ACKNOWLEDGE_ACTION
from messages.slack.home import home_view as slack_home_view


def register(app: App, runtime: Runtime) -> None:
    @app.action(ACKNOWLEDGE_ACTION)
    def acknowledge(
        ack: Ack, body: dict, action: dict, respond: Respond | None, client: WebClient, context: BoltContext
    ) -> None:
        try:
            subject, audience = read_value(action.get("value"))
            ack()
            pressed = press(
                engine=runtime.engine,
                config=runtime.config,
                asker=actor_of(context),
                subject=subject,
                audience=audience,
                now=runtime.clock.now(),
            )
        except InvalidAcknowledgement as error:
            raise MalformedRequest(f"the value of {ACKNOWLEDGE_ACTION}: {error.what}") from None
        if (body.get("container") or {}).get("type") == "view":
            actor = actor_of(context)
            parts = home_view(runtime.engine, runtime.config, actor.person(), runtime.clock.now())
            client.views_publish(user_id=actor.user_id, view=slack_home_view(parts))
        elif pressed.notice and respond is not None:
            respond(text=pressed.notice, response_type="ephemeral", replace_original=False)
        # A replay sends too: the first request may have ended before its updates went out.
        send_updates(runtime.engine, runtime.senders, runtime.config, pressed.updates, runtime.clock.now())
