"""The real app for a benchmark: settings and runtime on the fake Slack and one database, and its HTTP server."""

from datetime import datetime

from bot.clock import FixedClock
from bot.config import AssociationConfig
from bot.demo.harness import AppServer, fake_slack_settings
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings

SIGNING_SECRET = "bench-signing-secret"


def bench_settings(fake_url: str, database_url: str, config_path: str) -> Settings:
    """Settings whose Slack clients call the fake Slack at `fake_url` and whose store is `database_url` (already
    migrated)."""
    return fake_slack_settings(fake_url, database_url, config_path, SIGNING_SECRET, "xoxb-bench")


def bench_runtime(
    fake_url: str, database_url: str, config: AssociationConfig, config_path: str, now: datetime
) -> Runtime:
    """The app's runtime for `config` on the fake Slack at `fake_url` and `database_url`, its clock fixed at `now`."""
    return build_runtime(bench_settings(fake_url, database_url, config_path), FixedClock(now), config)


def serve(runtime: Runtime) -> AppServer:
    """The real Bolt app behind waitress on a free loopback port, started."""
    return AppServer(runtime)
