"""Ephemeral replies to slash commands, as Slack response payloads."""

from typing import Any

from messages.blocks import MESSAGE_BLOCK_LIMIT, fallback_text, section, text_blocks
from messages.render import render
from messages.swedish import plural


def ephemeral(text: str) -> dict[str, Any]:
    """An ephemeral response carrying `text`, cut to one message's 50 blocks with a note if longer."""
    blocks = text_blocks(text)
    if len(blocks) > MESSAGE_BLOCK_LIMIT:
        hidden = len(blocks) - (MESSAGE_BLOCK_LIMIT - 1)
        blocks = blocks[: MESSAGE_BLOCK_LIMIT - 1] + [
            section(f"_… och {plural(hidden, 'avsnitt', 'avsnitt')} till som inte ryms här._")
        ]
    return {"response_type": "ephemeral", "text": fallback_text(text), "blocks": blocks}


def template_reply(name: str, **context: Any) -> dict[str, Any]:
    return ephemeral(render(name, **context))
