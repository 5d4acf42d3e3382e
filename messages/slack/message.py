"""A neutral Message as a Slack message: (fallback text, blocks), split into parts at Slack's limits."""

from dataclasses import dataclass, replace

from messages.message import Message
from messages.slack.blocks import (
    Block,
    action_blocks,
    fact_blocks,
    header,
    item_blocks,
    section_texts,
    text_blocks,
    text_of,
)
from messages.slack.limits import MESSAGE_BLOCK_LIMIT, fallback_text, paginate


@dataclass(frozen=True)
class SlackMessage:
    text: str
    blocks: list[Block]


def blocks_of(message: Message) -> list[Block]:
    """Heading, text, facts, items and buttons, in that order (files go up after the post)."""
    blocks = [header(message.heading)] if message.heading else []
    blocks += text_blocks(message.text)
    blocks += fact_blocks(message.facts)
    blocks += item_blocks(message.items)
    blocks += action_blocks(message.buttons, message.buttons_id)
    return blocks


def render(message: Message) -> SlackMessage:
    blocks = blocks_of(message)
    return SlackMessage(fallback_text(message.summary or section_texts(blocks)), blocks)


def split(message: Message, limit: int = MESSAGE_BLOCK_LIMIT) -> list[Message]:
    """The message as parts that each fit one Slack message: the text is cut between sections, the heading
    opens the first part, and facts, items, buttons and files close the last one."""
    if len(blocks_of(message)) <= limit:
        return [message]
    closing = replace(message, text="", heading=None, summary=None)
    room = limit - len(blocks_of(closing))
    first = 1 if message.heading else 0
    blocks = text_blocks(message.text)
    pages = (
        [blocks[: limit - first], *paginate(blocks[limit - first :], limit)] if blocks[limit - first :] else [blocks]
    )
    parts = [Message(text=text_of(page)) for page in pages]
    parts[0] = replace(parts[0], heading=message.heading, summary=message.summary)
    if len(blocks_of(parts[-1])) <= room:
        parts[-1] = replace(closing, text=parts[-1].text, heading=parts[-1].heading, summary=parts[-1].summary)
    else:
        parts.append(closing)
    return parts
