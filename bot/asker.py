"""Who sends a chat request, as the platform-neutral command code sees it (Slack's Actor, the Teams asker)."""

from abc import ABC, abstractmethod

from bot.config.model import Person
from bot.errors import UnknownPerson


class Asker(ABC):
    """The request's chat user and the configured person behind it, looked up when first asked for."""

    user_id: str

    @abstractmethod
    def person(self) -> Person | None:
        """The configured person, or None for a chat user the configuration does not know."""

    def known(self) -> Person:
        """The configured person; UnknownPerson (the Swedish 'I do not know you') otherwise."""
        person = self.person()
        if person is None:
            raise UnknownPerson(self.user_id)
        return person
