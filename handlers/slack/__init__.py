"""Slack listeners, each module with register(app, runtime)."""

from slack_bolt import App

from bot.runtime import Runtime
from handlers.slack import errors, middleware
from handlers.slack.actions import case_buttons, followup_open_form
from handlers.slack.commands import kommunikationsplan, synpunkt, uppfoljning
from handlers.slack.events import app_home
from handlers.slack.shortcuts import register_feedback
from handlers.slack.views import case_handling, case_report, followup_form

MODULES = [
    errors,
    middleware,
    kommunikationsplan,
    app_home,
    uppfoljning,
    followup_open_form,
    followup_form,
    synpunkt,
    register_feedback,
    case_report,
    case_handling,
    case_buttons,
]


def register_all(app: App, runtime: Runtime) -> None:
    for module in MODULES:
        module.register(app, runtime)
