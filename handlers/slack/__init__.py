"""Slack listeners: the chat edge per feature, each module with register(app, runtime)."""

from slack_bolt import App

from bot.runtime import Runtime
from handlers.slack import (
    acknowledgements,
    actor,
    board,
    board_decisions,
    board_tasks,
    case_triage,
    cases,
    errors,
    followup,
    home,
    middleware,
    plan,
    surveys,
)

MODULES = [
    errors,
    middleware,
    actor,
    plan,
    home,
    followup,
    cases,
    case_triage,
    board,
    board_decisions,
    board_tasks,
    acknowledgements,
    surveys,
]


def register_all(app: App, runtime: Runtime) -> None:
    for module in MODULES:
        module.register(app, runtime)
