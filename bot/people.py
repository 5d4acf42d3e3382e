"""Where a message to a person or a channel goes: recipients and their addresses."""

from dataclasses import dataclass

from bot.config.model import Person
from storage.platform import Platform


@dataclass(frozen=True)
class Recipient:
    """Where one copy of a message goes: a channel or a person on a platform, at `address` there (a Slack
    channel or user id, or 'email:<address>'). `key` is stable across runs and unique within a delivery."""

    key: str
    address: str
    label: str
    person: Person | None = None
    platform: Platform = Platform.SLACK


def person_address(person: Person) -> str:
    """A Slack user id, or 'email:<address>' to be looked up at send time."""
    return person.slack_id or f"email:{person.email}"


def person_recipient(person: Person) -> Recipient:
    return Recipient(key=f"person:{person.id}", address=person_address(person), label=person.name, person=person)
