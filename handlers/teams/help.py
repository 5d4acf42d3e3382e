"""The help: the commands this app has, in Swedish; the answer to `hjalp` and to any text no command knows."""

from microsoft_agents.hosting.core import AgentApplication, TurnContext, TurnState
from microsoft_agents.hosting.msteams import TeamsAgentExtension

from bot.runtime import Runtime
from handlers.teams.commands import Command, commands_of, on_command, register_dispatch
from handlers.teams.reply import send_text
from messages.commands import HELP_WORDS
from messages.labels import labels
from messages.render import render

DESCRIPTIONS = labels("teams_commands")  # each command's line in the help, in the order shown


def help_text(app: AgentApplication, unknown: str | None = None) -> str:
    """The help listing the commands registered on `app`; with what was not understood, when it was not."""
    known = commands_of(app)
    commands = [(name, description) for name, description in DESCRIPTIONS.items() if name in known]
    return render("teams_help", unknown=unknown, commands=commands)


def register(app: AgentApplication, teams: TeamsAgentExtension, runtime: Runtime) -> None:
    @on_command(app, *HELP_WORDS)
    async def show_help(context: TurnContext, state: TurnState, argument: str) -> None:
        await send_text(context, help_text(app))

    async def not_understood(context: TurnContext, command: Command | None) -> None:
        await send_text(context, help_text(app, unknown=command.word if command is not None else None))

    register_dispatch(app, not_understood)
