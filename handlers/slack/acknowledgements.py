"""The acknowledge button ("Kvitterat") under a board digest, a plan message or a reminder, in Slack: the click
acknowledged (bot/acknowledgements/button.py), a refusal or 'redan kvitterat' to the clicker alone, and the posted
messages updated in place through the outbox."""

from slack_bolt import Ack, App, BoltContext, Respond

from bot.acknowledgements.button import press, read_value, send_updates
from bot.acknowledgements.service import InvalidAcknowledgement
from bot.runtime import Runtime
from handlers.slack.actor import actor_of
from handlers.slack.payload import MalformedRequest
from messages.actions import ACKNOWLEDGE_ACTION


def register(app: App, runtime: Runtime) -> None:
    @app.action(ACKNOWLEDGE_ACTION)
    def acknowledge(ack: Ack, action: dict, respond: Respond, context: BoltContext) -> None:
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
        if pressed.notice:
            respond(text=pressed.notice, response_type="ephemeral", replace_original=False)
        # A replay sends too: the first request may have ended before its updates went out.
        send_updates(runtime.engine, runtime.senders, runtime.config, pressed.updates, runtime.clock.now())
