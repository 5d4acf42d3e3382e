"""Rendering a plan occurrence into the text its recipients read."""

from bot.config.model import AssociationConfig
from bot.plan.audience import Recipient
from bot.plan.occurrences import Occurrence
from messages.mrkdwn import Mrkdwn
from messages.render import render, render_string, template_names


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


def occurrence_texts(config: AssociationConfig, occurrence: Occurrence, targets: list[Recipient]) -> list[str]:
    """The text for each recipient; rendered once when the item's template does not name the recipient.

    (The standard frame, plan_message.j2, does not name it either.)
    """
    if not targets:
        return []
    if "recipient" in template_names(occurrence.item.message):
        return [occurrence_text(config, occurrence, recipient) for recipient in targets]
    return [occurrence_text(config, occurrence, targets[0])] * len(targets)
