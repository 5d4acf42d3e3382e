"""The real app for a benchmark: settings and runtime on the fake Slack and one database, and its HTTP server."""

from datetime import datetime

from bot.clock import FixedClock
from bot.config import AssociationConfig
from bot.demo.fake_slack import FakeSlack
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings
from bot.slack.app import build_bolt_app, build_wsgi_app
from bot.web import BackgroundServer

SIGNING_SECRET = "bench-signing-secret"


def bench_settings(fake: FakeSlack, database_url: str, config_path: str) -> Settings:
    """Settings whose Slack clients call `fake` and whose store is `database_url` (already migrated)."""
    return Settings(
        slack_bot_token="xoxb-bench",
        slack_signing_secret=SIGNING_SECRET,
        slack_app_token=None,
        slack_api_url=fake.url,
        database_url=database_url,
        config_path=config_path,
    )


def bench_runtime(
    fake: FakeSlack, database_url: str, config: AssociationConfig, config_path: str, now: datetime
) -> Runtime:
    """The app's runtime for `config` on `fake` and `database_url`, its clock fixed at `now`."""
    return build_runtime(bench_settings(fake, database_url, config_path), FixedClock(now), config)


def serve(runtime: Runtime) -> BackgroundServer:
    """The real Bolt app behind waitress on a free loopback port, started."""
    return BackgroundServer(build_wsgi_app(build_bolt_app(runtime), runtime)).start()
