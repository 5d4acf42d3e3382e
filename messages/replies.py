"""Ephemeral replies to slash commands: the text as a neutral message, rendered for Slack."""

from typing import Any

from messages.labels import label_list
from messages.message import Message
from messages.render import render
from messages.slack.message import ephemeral as slack_ephemeral

HELP_WORDS = frozenset(label_list("commands.help_words"))  # what a user may type for a command's help


def ephemeral(text: str) -> dict[str, Any]:
    """An ephemeral response carrying `text`, cut to one message's 50 blocks with a note if longer."""
    return slack_ephemeral(Message(text=text, summary=text))


def template_reply(name: str, **context: Any) -> dict[str, Any]:
    return ephemeral(render(name, **context))
