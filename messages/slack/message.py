"""A neutral Message as a Slack message: (fallback text, blocks), split into parts at Slack's limits."""

from dataclasses import dataclass, replace

from messages.message import Message
from messages.slack.blocks import (
    Block,
    action_blocks,
    fact_blocks,
    header,
    image_blocks,
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


def blocks_of(message: Message, image_ids: tuple[str, ...] = ()) -> list[Block]:
    """Heading, text, facts, items, images and buttons, in that order (files go up after the post). The images
    are shown once uploaded, as the files `image_ids` (one per image); before, they have no block."""
    blocks = [header(message.heading)] if message.heading else []
    blocks += text_blocks(message.text)
    blocks += fact_blocks(message.facts)
    blocks += item_blocks(message.items)
    blocks += image_blocks(message.images, image_ids) if image_ids else []
    blocks += action_blocks(message.buttons, message.buttons_id)
    return blocks


def block_count(message: Message) -> int:
    """How many blocks the message takes once its images are uploaded (one each)."""
    return len(blocks_of(message)) + len(message.images)


def render(message: Message, image_ids: tuple[str, ...] = ()) -> SlackMessage:
    """The message's fallback text and blocks; `image_ids`: the files its images were uploaded as."""
    blocks = blocks_of(message, image_ids)
    return SlackMessage(fallback_text(message.summary or section_texts(blocks)), blocks)


def split(message: Message, limit: int = MESSAGE_BLOCK_LIMIT) -> list[Message]:
    """The message as parts that each fit one Slack message: the text is cut between sections, the heading
    opens the first part, and facts, items, images, buttons and files close the last one."""
    if block_count(message) <= limit:
        return [message]
    closing = replace(message, text="", heading=None, summary=None)
    room = limit - block_count(closing)
    first = 1 if message.heading else 0
    blocks = text_blocks(message.text)
    pages = (
        [blocks[: limit - first], *paginate(blocks[limit - first :], limit)] if blocks[limit - first :] else [blocks]
    )
    parts = [Message(text=text_of(page)) for page in pages]
    parts[0] = replace(parts[0], heading=message.heading, summary=message.summary)
    if block_count(parts[-1]) <= room:
        parts[-1] = replace(closing, text=parts[-1].text, heading=parts[-1].heading, summary=parts[-1].summary)
    else:
        parts.append(closing)
    return parts
