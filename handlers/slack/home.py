"""The Home tab: what the plan sends to this person in the coming two weeks (bot/plan/command.py)."""

from slack_bolt import App, BoltContext

from bot.plan.command import home_message
from bot.runtime import Runtime
from handlers.slack.actor import actor_of
from messages.slack.blocks import text_blocks
from messages.slack.limits import MESSAGE_BLOCK_LIMIT

HOME_BLOCK_LIMIT = 2 * MESSAGE_BLOCK_LIMIT


def register(app: App, runtime: Runtime) -> None:
    @app.event("app_home_opened")
    def app_home_opened(event: dict, client, context: BoltContext) -> None:
        if event.get("tab") != "home":
            return
        person = actor_of(context).person()  # None for a workspace user the configuration does not know
        text = home_message(runtime.config, person, runtime.clock.now()).text
        client.views_publish(
            user_id=event["user"], view={"type": "home", "blocks": text_blocks(text)[:HOME_BLOCK_LIMIT]}
        )
