"""Slack listeners, each module with register(app, runtime)."""

from slack_bolt import App

from bot.runtime import Runtime
from handlers.slack import errors, middleware
from handlers.slack.commands import kommunikationsplan
from handlers.slack.events import app_home

MODULES = [errors, middleware, kommunikationsplan, app_home]


def register_all(app: App, runtime: Runtime) -> None:
    for module in MODULES:
        module.register(app, runtime)
