"""What the outbox's sender needs from a chat platform: post, update, look for a post, upload files.

The platform-neutral sender (bot.delivery.sender) claims rows, retries and reports; a platform's sender
(bot.slack.sender.SlackSender, later a Teams one) only talks to its platform and says how a call failed.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum, StrEnum
from typing import Protocol

from messages.message import File, Message
from storage.outbox import Delivery
from storage.platform import Platform


@dataclass(frozen=True)
class Posted:
    """Where the platform put a message: a Slack channel and ts, a Teams conversation and activity id."""

    conversation: str | None
    id: str | None


class Lookup(Enum):
    CANNOT_TELL = "cannot tell"  # the platform has no history to search (Teams)


class Failure(StrEnum):
    """How a call failed, which decides what the sender does with the row."""

    PERMANENT = "permanent"  # will not work on retry: the row fails and its owner hears of it
    RETRY = "retry"  # not posted; try again after a backoff
    UNCERTAIN = "uncertain"  # may have been posted (a 5xx, a dropped connection): look before posting again
    RATE_LIMITED = "rate_limited"  # wait for `retry_after` seconds, without counting an attempt


class SendError(Exception):
    """A platform call that failed; `code` is the platform's error code, explained to users by messages."""

    def __init__(self, code: str, failure: Failure, retry_after: float = 1.0):
        super().__init__(code)
        self.code = code
        self.failure = failure
        self.retry_after = retry_after


class PlatformSender(Protocol):
    def post(self, row: Delivery, message: Message, now: datetime) -> Posted:
        """Post the row's message to its address, marked with the row's id where the platform allows."""

    def update(self, row: Delivery, posted: Posted, message: Message) -> None:
        """Replace the message posted at `posted` with `message` (for the update row `row`)."""

    def find_posted(self, row: Delivery, now: datetime) -> Posted | None | Lookup:
        """The row's message if it was posted before a crash, None if it was not, or CANNOT_TELL."""

    def upload(self, posted: Posted, files: tuple[File, ...]) -> None:
        """Share `files` where the message was posted."""


Senders = Mapping[Platform, PlatformSender]
