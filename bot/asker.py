"""Who sends a chat request, as the platform-neutral command code sees it (Slack's Actor, the Teams actor)."""

from typing import Protocol

from bot.config.model import Person


class Asker(Protocol):
    """The request's chat user and the configured person behind it, looked up when first asked for."""

    user_id: str

    def person(self) -> Person | None:
        """The configured person, or None for a chat user the configuration does not know."""
        ...

    def known(self) -> Person:
        """The configured person; UnknownPerson otherwise."""
        ...
