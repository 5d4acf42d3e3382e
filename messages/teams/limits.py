"""Teams' size limits: a message (the whole activity, card included) may carry about 28 KB."""

from dataclasses import replace

from messages.chunks import chunk_text
from messages.message import Message

# Teams refuses an activity over about 28 KB (413 "Request Entity Too Large"); the text of one part stays well
# under it, leaving room for the card's structure, facts, items and buttons (UTF-8: an å is two bytes).
TEXT_LIMIT = 9000


def split(message: Message, limit: int = TEXT_LIMIT) -> list[Message]:
    """The message as parts that each fit one Teams message: the heading opens the first, the rest closes the
    last."""
    chunks = chunk_text(message.text, limit)
    if len(chunks) == 1:
        return [message]
    parts = [Message(text=chunk) for chunk in chunks]
    parts[0] = replace(parts[0], heading=message.heading, summary=message.summary)
    parts[-1] = replace(message, text=parts[-1].text, heading=None, summary=None)
    return parts
