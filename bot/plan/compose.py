"""Rendering a plan occurrence into the text its recipients read."""

from datetime import datetime, timedelta

from bot.acknowledgements import audiences  # the module: it imports the configuration, which imports this one
from bot.acknowledgements.subjects import plan_subject
from bot.config.model import AssociationConfig
from bot.people import Recipient
from bot.plan.occurrences import Occurrence
from messages.actions import ACKNOWLEDGE_BUTTONS_ID, acknowledge_button
from messages.message import Message
from messages.mrkdwn import Mrkdwn
from messages.render import render, render_string, template_names

# Rendered this long after its time (the bot was down), a message says when it was meant to arrive: its text
# may speak of "this week" or greet the morning.
LATE_AFTER = timedelta(minutes=30)
_BODY = "\x00body\x00"  # a placeholder no template can produce (NUL never comes out of escaped text)


def occurrence_texts(
    config: AssociationConfig, occurrence: Occurrence, targets: list[Recipient], now: datetime | None = None
) -> list[str]:
    """The text for each recipient (the item's template inside the standard frame, noting a late delivery),
    rendered as few times as the templates allow: one item may go to thousands.

    The item's template is rendered once when it does not name the recipient. The frame names nobody and puts
    the body in as it is, so it is rendered once around a placeholder that each body then replaces.
    """
    if not targets:
        return []
    item = occurrence.item
    context = {
        "association": config.association,
        "item": item,
        "at": occurrence.at,
        "event": occurrence.event,
        "chair": config.chair_on(occurrence.at.date()),
        "owner": config.person(item.owner),
        "late": now is not None and now - occurrence.at > LATE_AFTER,
    }
    if "recipient" in template_names(item.message):
        bodies = [render_string(item.message, recipient=recipient, **context) for recipient in targets]
    else:
        bodies = [render_string(item.message, recipient=targets[0], **context)] * len(targets)
    frame = render("plan_message", body=Mrkdwn(_BODY), recipient=targets[0], **context)
    if frame.count(_BODY) != 1:  # the frame does something with the body: render it for each one
        return [
            render("plan_message", body=Mrkdwn(body), recipient=recipient, **context)
            for body, recipient in zip(bodies, targets, strict=True)
        ]
    before, after = frame.split(_BODY)
    return [f"{before}{body}{after}" for body in bodies]


def occurrence_message(config: AssociationConfig, occurrence: Occurrence, recipient: Recipient, text: str) -> Message:
    """The message one recipient gets: its text, and the acknowledge button when the item asks for acknowledgement
    (for the person of a DM, the member municipality of a member's channel, else the channel)."""
    item = occurrence.item
    if not item.acknowledge:
        return Message(text=text)
    button = acknowledge_button(plan_subject(item.id, occurrence.key), audiences.plan_audience(config, recipient.key))
    return Message(text=text, buttons=(button,), buttons_id=ACKNOWLEDGE_BUTTONS_ID)
