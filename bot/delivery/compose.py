"""Rendering a plan occurrence into the text its recipients read."""

from bot.config.model import AssociationConfig
from bot.plan.audience import Recipient
from bot.plan.occurrences import Occurrence
from messages.mrkdwn import Mrkdwn
from messages.render import render, render_string


def occurrence_text(config: AssociationConfig, occurrence: Occurrence, recipient: Recipient) -> str:
    """The item's own template inside the standard frame (title, body, owner)."""
    item = occurrence.item
    local_at = occurrence.at
    context = {
        "association": config.association,
        "item": item,
        "at": local_at,
        "event": occurrence.event,
        "chair": config.chair_on(local_at.date()),
        "recipient": recipient,
        "owner": config.person(item.owner),
    }
    body = Mrkdwn(render_string(item.message, **context))
    return render("plan_message", body=body, **context)
