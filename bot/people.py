"""Where a message to a person or a channel goes: recipients and their addresses."""

from dataclasses import dataclass
from enum import StrEnum

from bot.config.channels import channel_platform
from bot.config.model import Person
from storage.platform import Platform


class RecipientKind(StrEnum):
    PERSON = "person"  # a configured person, by id
    CHANNEL = "channel"  # a channel, by id or #name
    USER = "user"  # a chat user known only by their platform id (a case's reporter)


_KINDS = frozenset(RecipientKind)  # `in` on a frozenset: Enum.__members__ builds a mapping on every call


@dataclass(frozen=True)
class RecipientKey:
    """Who a row is for, stored in the outbox as '<kind>:<id>': built and read here only."""

    kind: RecipientKind | None  # None: a key this version does not know
    ident: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.ident}"

    @classmethod
    def read(cls, stored: str) -> "RecipientKey":
        kind, _, ident = stored.partition(":")
        return cls(RecipientKind(kind) if kind in _KINDS else None, ident)


def person_key(person_id: str) -> str:
    return str(RecipientKey(RecipientKind.PERSON, person_id))


def channel_key(channel: str) -> str:
    return str(RecipientKey(RecipientKind.CHANNEL, channel))


def user_key(user_id: str) -> str:
    return str(RecipientKey(RecipientKind.USER, user_id))


@dataclass(frozen=True)
class Recipient:
    """Where one copy of a message goes: a channel or a person on a platform, at `address` there (a Slack
    channel or user id; a Teams channel as 'teams:<channel id>' or a Teams user as 'aad:<Entra object id>';
    or 'email:<address>', looked up on the platform when sending). `key` is stable across runs and unique
    within a delivery."""

    key: str
    address: str
    label: str
    person: Person | None = None
    platform: Platform = Platform.SLACK


TEAMS_USER_PREFIX = "aad:"
EMAIL_PREFIX = "email:"  # an address looked up by e-mail on the platform when sending


def teams_user_address(object_id: str) -> str:
    """A Teams user's address (and, for a case's reporter, their stored user id): 'aad:<Entra object id>'."""
    return f"{TEAMS_USER_PREFIX}{object_id}"


def user_platform(user_id: str) -> Platform:
    """The platform of a chat user id as the services store it (a Slack user id, or a Teams 'aad:' address)."""
    return Platform.TEAMS if user_id.startswith(TEAMS_USER_PREFIX) else Platform.SLACK


def person_address(person: Person) -> str:
    """The person's id on their platform, or 'email:<address>' to be looked up at send time."""
    if person.chat_platform == Platform.TEAMS:
        return teams_user_address(person.teams_id) if person.teams_id else f"{EMAIL_PREFIX}{person.email}"
    return person.slack_id or f"{EMAIL_PREFIX}{person.email}"


def person_recipient(person: Person) -> Recipient:
    return Recipient(
        key=person_key(person.id),
        address=person_address(person),
        label=person.name,
        person=person,
        platform=person.chat_platform,
    )


def channel_recipient(channel: str, label: str) -> Recipient:
    return Recipient(key=channel_key(channel), address=channel, label=label, platform=channel_platform(channel))


def person_with_user_id(people: list[Person], user_id: str) -> Person | None:
    """The configured person a chat user id belongs to (a Slack user id, or a Teams 'aad:' address), if any."""
    return next(
        (p for p in people if user_id in (p.slack_id, p.teams_id and teams_user_address(p.teams_id))),
        None,
    )


def user_recipient(user_id: str, label: str) -> Recipient:
    """A chat user known only by their id (a case's reporter), on the platform the id is from."""
    return Recipient(key=user_key(user_id), address=user_id, label=label, platform=user_platform(user_id))
