"""Teams handlers: the chat edge per feature, each module with register(app, teams, runtime)."""

from microsoft_agents.hosting.core import AgentApplication, TurnState
from microsoft_agents.hosting.msteams import TeamsAgentExtension

from bot.runtime import Runtime
from handlers.teams import (
    acknowledgements,
    board,
    board_decisions,
    board_tasks,
    case_triage,
    cases,
    errors,
    files,
    followup,
    help,
    home,
    install,
    plan,
    surveys,
)

MODULES = [
    errors,
    install,
    files,
    plan,
    followup,
    cases,
    case_triage,
    board,
    board_decisions,
    board_tasks,
    surveys,
    home,
    help,
    acknowledgements,
]


def register_all(app: AgentApplication[TurnState], teams: TeamsAgentExtension[TurnState], runtime: Runtime) -> None:
    for module in MODULES:
        module.register(app, teams, runtime)
