"""The chat platforms a message can go to (a small module of its own: recipients name their platform without
importing the outbox's tables)."""

from enum import StrEnum


class Platform(StrEnum):
    """The chat platform a row goes to; its sender renders the row's neutral message for it."""

    SLACK = "slack"
    TEAMS = "teams"
