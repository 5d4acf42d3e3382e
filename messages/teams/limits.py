"""Teams' size limits: a message (the whole activity, card included) may carry about 28 KB.

An image travels inside the card as a data: URI (a third larger than the PNG). Images that do not fit beside the
text go in parts of their own, as many to a part as fit; an image too large for any card is left out and its
description (the alt text, which says what the picture shows) is listed in its place."""

import json
from dataclasses import replace

from messages.chunks import chunk_text, cut
from messages.message import Fact, Image, Message
from messages.mrkdwn import escape
from messages.teams.card import message_activity

# Teams refuses an activity over about 28 KB (413 "Request Entity Too Large"), counted as UTF-8 JSON (an å is two
# bytes). Every part is measured as the activity `message_activity` builds, and kept under ACTIVITY_LIMIT: the
# sender adds the addressing (conversation, from, recipient: a few hundred bytes), and the whole stays under
# 28,000 bytes. The text of a part starts at TEXT_LIMIT characters and is cut smaller while a part does not fit.
TEAMS_LIMIT = 28_000
ENVELOPE_ROOM = 1_000
ACTIVITY_LIMIT = TEAMS_LIMIT - ENVELOPE_ROOM
TEXT_LIMIT = 9000
SMALLEST_TEXT = 500


def activity_bytes(message: Message) -> int:
    """The size of the activity that carries `message`, as UTF-8 JSON."""
    return len(json.dumps(message_activity(message), ensure_ascii=False).encode())


def fits(message: Message) -> bool:
    return activity_bytes(message) <= ACTIVITY_LIMIT


def activities(message: Message) -> list[dict]:
    """The activities that carry `message`: in the common case one, rendered once (measuring it is rendering it)."""
    if len(message.text) <= TEXT_LIMIT:
        activity = message_activity(message)
        if len(json.dumps(activity, ensure_ascii=False).encode()) <= ACTIVITY_LIMIT:
            return [activity]
    return [message_activity(part) for part in split(message)]


def _text_parts(message: Message, limit: int) -> list[Message]:
    """The text in parts that each fit (the heading and summary on the first), cutting smaller as needed."""
    while True:
        parts = [Message(text=chunk) for chunk in chunk_text(message.text, limit)]
        parts[0] = replace(parts[0], heading=message.heading, summary=message.summary)
        if limit <= SMALLEST_TEXT or all(fits(part) for part in parts):
            return parts
        limit = max(SMALLEST_TEXT, limit * 3 // 4)


def _closing_parts(closing: Message, limit: int) -> list[Message]:
    """Facts, items, images, then buttons and files, packed into as few parts as fit (a too long fact or item
    cut)."""
    pieces = [Message(facts=(Fact(cut(f.label, limit), cut(f.value, limit)),)) for f in closing.facts]
    pieces += [Message(items=(cut(item, limit),)) for item in closing.items]
    pieces += [Message(images=(image,)) for image in closing.images]
    pieces.append(Message(buttons=closing.buttons, buttons_id=closing.buttons_id, files=closing.files))
    parts: list[Message] = []
    for piece in pieces:
        joined = (
            replace(
                parts[-1],
                facts=parts[-1].facts + piece.facts,
                items=parts[-1].items + piece.items,
                images=parts[-1].images + piece.images,
                buttons=piece.buttons,
                buttons_id=piece.buttons_id,
                files=piece.files,
            )
            if parts
            else piece
        )
        if parts and fits(joined):
            parts[-1] = joined
        else:
            parts.append(piece)
    return parts


def _image_fits(image: Image) -> bool:
    return fits(Message(images=(image,)))


def _described(message: Message) -> Message:
    """The message without the images too large for any card, their descriptions listed among its items."""
    too_large = [image for image in message.images if not _image_fits(image)]
    if not too_large:
        return message
    return replace(
        message,
        images=tuple(image for image in message.images if image not in too_large),
        items=message.items + tuple(escape(image.alt_text) for image in too_large),
    )


def split(message: Message, limit: int = TEXT_LIMIT) -> list[Message]:
    """The message as parts that each fit one Teams message: the heading opens the first, the rest closes the
    last (or the parts after it, when facts, items, images and buttons do not fit beside the text)."""
    if fits(message) and len(message.text) <= limit:
        return [message]
    message = _described(message)
    closing = replace(message, text="", heading=None, summary=None)
    parts = _text_parts(message, limit)
    last = replace(closing, text=parts[-1].text, heading=parts[-1].heading, summary=parts[-1].summary)
    if fits(last):
        return [*parts[:-1], last]
    return [part for part in [*parts, *_closing_parts(closing, limit)] if part != Message()]
