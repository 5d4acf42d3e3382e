"""Block Kit pieces: Samverkan markup as sections and dividers, headers, fields and buttons."""

from messages.chunks import chunk_text, cut
from messages.message import Button, Fact, Image
from messages.slack.limits import BUTTONS_PER_ACTIONS, FIELDS_PER_SECTION, SECTION_LIMIT, Block

DIVIDER_LINE = "\n---\n"
HEADER_LIMIT = 150
ALT_TEXT_LIMIT = 2000


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def text_blocks(text: str) -> list[Block]:
    """Samverkan markup as section blocks; a line '---' becomes a divider."""
    blocks: list[Block] = []
    for part in text.split(DIVIDER_LINE):
        if blocks:
            blocks.append({"type": "divider"})
        blocks.extend(section(chunk) for chunk in chunk_text(part.strip(), SECTION_LIMIT) if chunk)
    return blocks


def text_of(blocks: list[Block]) -> str:
    """The markup that `text_blocks` turns into exactly these sections and dividers."""
    pieces: list[list[str]] = [[]]
    for block in blocks:
        if block["type"] == "divider":
            pieces.append([])
        else:
            pieces[-1].append(block["text"]["text"])
    return DIVIDER_LINE.join("\n\n".join(piece) for piece in pieces)


def section_texts(blocks: list[Block]) -> str:
    """The mrkdwn of every text section, one after the other (a message's notification text)."""
    return "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section" and "text" in b)


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": cut(text, HEADER_LIMIT), "emoji": True}}


def fact_blocks(facts: tuple[Fact, ...]) -> list[Block]:
    """Facts as section fields, ten a section."""
    fields = [{"type": "mrkdwn", "text": f"*{fact.label}*\n{fact.value}"} for fact in facts]
    return [
        {"type": "section", "fields": fields[start : start + FIELDS_PER_SECTION]}
        for start in range(0, len(fields), FIELDS_PER_SECTION)
    ]


def item_blocks(items: tuple[str, ...]) -> list[Block]:
    return text_blocks("\n".join(f"• {item}" for item in items)) if items else []


def button(b: Button) -> Block:
    element: Block = {
        "type": "button",
        "action_id": b.action,
        "text": {"type": "plain_text", "text": b.label},
        "value": b.value,
    }
    if b.style:
        element["style"] = str(b.style)
    return element


def action_blocks(buttons: tuple[Button, ...], block_id: str | None) -> list[Block]:
    """Buttons as actions blocks, 25 a block; the first block carries `block_id`."""
    blocks: list[Block] = []
    for start in range(0, len(buttons), BUTTONS_PER_ACTIONS):
        block: Block = {
            "type": "actions",
            "elements": [button(b) for b in buttons[start : start + BUTTONS_PER_ACTIONS]],
        }
        if block_id and not blocks:
            block["block_id"] = block_id
        blocks.append(block)
    return blocks


def image_blocks(images: tuple[Image, ...], file_ids: tuple[str, ...]) -> list[Block]:
    """An image block per image, showing the file it was uploaded as (`slack_file`: the bot's own upload)."""
    return [
        {"type": "image", "slack_file": {"id": file_id}, "alt_text": cut(image.alt_text, ALT_TEXT_LIMIT)}
        for image, file_id in zip(images, file_ids, strict=True)
    ]
