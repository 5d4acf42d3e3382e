"""How each chat platform's renderer cuts a neutral message into the parts that platform can carry.

The table is keyed by the platform's name as the outbox stores it (the values of storage/platform.py's Platform,
a StrEnum, so a Platform looks its splitter up directly): messages/ renders and never imports storage/, and the
outbox, which does import both, picks the splitter of a recipient's platform here.
"""

from collections.abc import Callable

from messages.message import Message
from messages.slack.message import split as slack_split
from messages.teams.limits import split as teams_split

SPLITTERS: dict[str, Callable[[Message], list[Message]]] = {"slack": slack_split, "teams": teams_split}


def split(platform: str, message: Message) -> list[Message]:
    """The parts `message` goes out in on `platform`."""
    return SPLITTERS[platform](message)
