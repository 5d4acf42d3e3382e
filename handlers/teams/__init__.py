"""Teams handlers: the chat edge per feature, each module with register(app, teams, runtime)."""

from microsoft_agents.hosting.core import AgentApplication, TurnState
from microsoft_agents.hosting.msteams import TeamsAgentExtension

from bot.runtime import Runtime
from handlers.teams import (
    acknowledgements,
    board,
    case_triage,
    cases,
    errors,
    files,
    followup,
    help,
    home,
    install,
    plan,
)

MODULES = [errors, install, files, plan, followup, cases, case_triage, board, home, help, acknowledgements]


def register_all(app: AgentApplication[TurnState], teams: TeamsAgentExtension[TurnState], runtime: Runtime) -> None:
    for module in MODULES:
        module.register(app, teams, runtime)
