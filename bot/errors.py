"""Domain errors that the chat edge turns into Swedish replies (handlers/slack/replies.py)."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # bot.permissions raises NotAllowed, so it cannot be imported here at run time
    from bot.permissions import Action


class NotAllowed(Exception):
    """The caller may not do `action`; `department` names what it was about and `who` the names of those who may,
    where the refusal text says so."""

    def __init__(self, action: "Action", department: str | None = None, who: tuple[str, ...] = ()):
        super().__init__(action)
        self.action = action
        self.department = department
        self.who = who


class UnknownPerson(Exception):
    """The chat user is not in the association's configuration."""
