"""Slack's size limits and the splitting of text to fit them: 3,000 characters a section, 50 blocks a message."""

from typing import Any

from messages.chunks import cut

SECTION_LIMIT = 3000
MESSAGE_BLOCK_LIMIT = 50
FALLBACK_TEXT_LIMIT = 3000
FIELDS_PER_SECTION = 10
BUTTONS_PER_ACTIONS = 25

Block = dict[str, Any]  # a Block Kit block as Slack's JSON


def paginate(blocks: list[Block], limit: int = MESSAGE_BLOCK_LIMIT) -> list[list[Block]]:
    """Split a list of blocks into messages of at most `limit` blocks."""
    return [blocks[start : start + limit] for start in range(0, len(blocks), limit)] or [[]]


def fallback_text(text: str) -> str:
    """The notification text sent beside blocks."""
    return cut(text, FALLBACK_TEXT_LIMIT)
