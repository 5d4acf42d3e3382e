"""Ephemeral replies to slash commands: a neutral Message (or a text, or a rendered template) as a Slack response."""

from dataclasses import replace
from typing import Any

from messages.message import Message
from messages.render import render as render_template
from messages.slack.blocks import section
from messages.slack.limits import MESSAGE_BLOCK_LIMIT
from messages.slack.message import render


def reply(message: Message) -> dict[str, Any]:
    """An ephemeral response carrying `message`, cut to one message's 50 blocks with a note if longer; its text is
    the notification text unless it has a summary of its own."""
    rendered = render(replace(message, summary=message.summary or message.text))
    blocks = rendered.blocks
    if len(blocks) > MESSAGE_BLOCK_LIMIT:
        hidden = len(blocks) - (MESSAGE_BLOCK_LIMIT - 1)
        blocks = blocks[: MESSAGE_BLOCK_LIMIT - 1] + [section(render_template("reply_cut_short", hidden=hidden))]
    return {"response_type": "ephemeral", "text": rendered.text, "blocks": blocks}


def ephemeral(text: str) -> dict[str, Any]:
    """An ephemeral response carrying `text`."""
    return reply(Message(text=text))


def template_reply(name: str, **context: Any) -> dict[str, Any]:
    return ephemeral(render_template(name, **context))
