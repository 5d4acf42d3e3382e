"""The real app on the fake Slack (or the fake Bot Connector), as the tests, `samverkan demo` and the benchmarks
run it: its settings and its HTTP server, and signed requests to it that can wait for what it does after
acknowledging."""

from bot.clock import Clock
from bot.demo.slack_requests import SlackRequester
from bot.runtime import Runtime
from bot.settings import Settings
from bot.slack.app import build_bolt_app, build_wsgi_app
from bot.web import BackgroundServer


def fake_slack_settings(
    fake_url: str, database_url: str, config_path: str, signing_secret: str, bot_token: str
) -> Settings:
    """Settings whose Slack clients call the fake Slack at `fake_url` (HTTP mode: no app token) and whose store is
    `database_url`."""
    return Settings(
        slack_bot_token=bot_token,
        slack_signing_secret=signing_secret,
        slack_app_token=None,
        slack_api_url=fake_url,
        database_url=database_url,
        config_path=config_path,
    )


class AppServer:
    """The real Bolt app behind waitress on a free loopback port, started."""

    def __init__(self, runtime: Runtime):
        self.app = build_bolt_app(runtime)
        self._server = BackgroundServer(build_wsgi_app(self.app, runtime)).start()
        self.url = self._server.url

    def requester(self, signing_secret: str, response_url: str, clock: Clock | None) -> SlackRequester:
        """Signed requests to this app, whose `idle()` waits for the app's listeners."""
        return SlackRequester(self.url, signing_secret, response_url, clock, self.app.listener_work)

    def stop(self) -> None:
        self._server.stop()


def fake_teams_settings(database_url: str, config_path: str) -> Settings:
    """Settings for Teams alone in anonymous mode (no Bot Framework token asked for or sent), as the Agents
    Playground is run; the Bot Connector is wherever each conversation's serviceUrl says (the fake's)."""
    return Settings(
        slack_bot_token=None,
        slack_signing_secret=None,
        slack_app_token=None,
        slack_api_url="http://127.0.0.1:9/",
        database_url=database_url,
        config_path=config_path,
        teams_anonymous=True,
    )


class TeamsAppServer:
    """The real Teams app (the Agents SDK app behind POST /api/messages) behind waitress on a loopback port."""

    def __init__(self, runtime: Runtime):
        from bot.server import build_wsgi_app as build_server  # Teams' edge: loaded only when asked for
        from bot.teams.app import build_teams_app
        from bot.teams.http import teams_endpoint

        app = build_teams_app(runtime)
        self._server = BackgroundServer(build_server(runtime, teams=teams_endpoint(app, runtime))).start()
        self.url = self._server.url

    def stop(self) -> None:
        self._server.stop()
