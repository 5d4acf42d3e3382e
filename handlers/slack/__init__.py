"""Slack listeners, each module with register(app, runtime)."""

from slack_bolt import App

from bot.runtime import Runtime
from handlers.slack import errors, middleware
from handlers.slack.actions import followup_open_form
from handlers.slack.commands import kommunikationsplan, uppfoljning
from handlers.slack.events import app_home
from handlers.slack.views import followup_form

MODULES = [errors, middleware, kommunikationsplan, app_home, uppfoljning, followup_open_form, followup_form]


def register_all(app: App, runtime: Runtime) -> None:
    for module in MODULES:
        module.register(app, runtime)
