"""The Home tab: the person's tasks and what the plan sends them (bot/home/), published on opening from the stored
rendering while it is clean."""

from slack_bolt import App, BoltContext

from bot.home.cache import home_view
from bot.runtime import Runtime
from handlers.slack.actor import actor_of
from messages.slack.home import home_view as slack_home_view


def register(app: App, runtime: Runtime) -> None:
    @app.event("app_home_opened")
    def app_home_opened(event: dict, client, context: BoltContext) -> None:
        if event.get("tab") != "home":
            return
        person = actor_of(context).person()  # None for a workspace user the configuration does not know
        parts = home_view(runtime.engine, runtime.config, person, runtime.clock.now())
        client.views_publish(user_id=event["user"], view=slack_home_view(parts))
