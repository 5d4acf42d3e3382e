"""Slack's size limits and the splitting of text to fit them: 3,000 characters a section, 50 blocks a message."""

from typing import Any

SECTION_LIMIT = 3000
MESSAGE_BLOCK_LIMIT = 50
FALLBACK_TEXT_LIMIT = 3000
FIELDS_PER_SECTION = 10
BUTTONS_PER_ACTIONS = 25

Block = dict[str, Any]  # a Block Kit block as Slack's JSON


def cut(text: str, limit: int) -> str:
    """`text`, cut with an ellipsis to at most `limit` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _split_long_line(line: str, limit: int) -> list[str]:
    pieces = []
    while len(line) > limit:
        at = line.rfind(" ", 0, limit)
        at = at if at > limit // 2 else limit
        pieces.append(line[:at])
        line = line[at:].lstrip(" ")
    pieces.append(line)
    return pieces


def chunk_text(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Split text into chunks of at most `limit` characters, at paragraph, then line, then word boundaries."""
    chunks: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        candidate = f"{current}\n\n{paragraph}" if current else paragraph
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        current = ""
        for line in paragraph.split("\n"):
            for piece in _split_long_line(line, limit):
                candidate = f"{current}\n{piece}" if current else piece
                if len(candidate) <= limit:
                    current = candidate
                else:
                    chunks.append(current)
                    current = piece
    if current:
        chunks.append(current)
    return chunks or [""]


def paginate(blocks: list[Block], limit: int = MESSAGE_BLOCK_LIMIT) -> list[list[Block]]:
    """Split a list of blocks into messages of at most `limit` blocks."""
    return [blocks[start : start + limit] for start in range(0, len(blocks), limit)] or [[]]


def fallback_text(text: str) -> str:
    """The notification text sent beside blocks."""
    return cut(text, FALLBACK_TEXT_LIMIT)
