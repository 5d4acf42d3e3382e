"""Commands as messages to the bot: `uppfoljning status`, `/uppfoljning status`, `@Samverkan uppföljning status`.

A message's text loses its mentions (`<at>Samverkan</at>`) and leading slashes; its first word, case-folded and
without diacritics ('uppföljning' is 'uppfoljning', 'hjälp' is 'hjalp'), names the command, the rest is its
argument; a message that is only the bot's mention gets the help. The app's command menu sends the same text.
Feature modules register a handler per command with `on_command(app, name)`; one message route dispatches to
them, and a text no command knows gets the help.
"""

import re
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from microsoft_agents.activity import Activity, Mention
from microsoft_agents.hosting.core import AgentApplication, RouteRank, TurnContext, TurnState

from messages.teams.markup import html_to_text

MENTION = re.compile(r"<at\b[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)

CommandHandler = Callable[[TurnContext, TurnState, str], Awaitable[None]]  # (context, state, argument)


@dataclass(frozen=True)
class Command:
    """A parsed command message: the command's folded name, its argument and its first word as typed."""

    name: str
    argument: str
    word: str


def fold(word: str) -> str:
    """A word as commands are known by: case-folded, without diacritics ('Uppföljning' -> 'uppfoljning')."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def parse(text: str | None) -> Command | None:
    """The command in a message's text; None for a text with no words."""
    cleaned = html_to_text(MENTION.sub(" ", text or "")).lstrip("/").strip()
    if not cleaned:
        return None
    first, *rest = cleaned.split(maxsplit=1)
    return Command(fold(first), rest[0] if rest else "", first)


_REGISTRIES: "WeakKeyDictionary[AgentApplication, dict[str, CommandHandler]]" = WeakKeyDictionary()


def on_command(app: AgentApplication, *names: str) -> Callable[[CommandHandler], CommandHandler]:
    """Register the decorated handler for the command(s) `names` (written as users type them) of `app`."""
    registry = _REGISTRIES.setdefault(app, {})

    def decorate(handler: CommandHandler) -> CommandHandler:
        for name in names:
            key = fold(name)
            if key in registry:
                raise ValueError(f"the command '{key}' is registered twice")
            registry[key] = handler
        return handler

    return decorate


def commands_of(app: AgentApplication) -> dict[str, CommandHandler]:
    """The commands registered on `app`, by folded name."""
    return dict(_REGISTRIES.get(app, {}))


def is_command_message(context: TurnContext) -> bool:
    """A message with text, or only the bot's mention, and no card submission (an Action.Submit's message carries
    `value`)."""
    activity = context.activity
    if activity.type != "message" or activity.value is not None:
        return False
    return parse(activity.text) is not None or _mentions_bot(activity)


def _mentions_bot(activity: Activity) -> bool:
    """Whether the activity mentions the bot (its text may have lost the mention: the SDK removes it)."""
    recipient = activity.recipient.id if activity.recipient else None
    mentions = [entity for entity in activity.entities or [] if isinstance(entity, Mention)]
    return recipient is not None and any(m.mentioned is not None and m.mentioned.id == recipient for m in mentions)


def register_dispatch(app: AgentApplication, unknown: Callable[[TurnContext, Command | None], Awaitable[None]]) -> None:
    """The one message route: each command message to its handler, any other text (None: only the bot's mention)
    to `unknown`."""

    async def dispatch(context: TurnContext, state: TurnState) -> None:
        command = parse(context.activity.text)
        handler = commands_of(app).get(command.name) if command is not None else None
        if handler is None:
            await unknown(context, command)
        else:
            await handler(context, state, command.argument)

    app.add_route(is_command_message, dispatch, rank=RouteRank.LAST)
