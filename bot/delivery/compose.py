"""Rendering a plan occurrence into the text its recipients read."""

from datetime import datetime, timedelta

from bot.config.model import AssociationConfig
from bot.plan.audience import Recipient
from bot.plan.occurrences import Occurrence
from messages.mrkdwn import Mrkdwn
from messages.render import render, render_string

# Rendered this long after its time (the bot was down), a message says when it was meant to arrive: its text
# may speak of "this week" or greet the morning.
LATE_AFTER = timedelta(minutes=30)


def occurrence_text(
    config: AssociationConfig, occurrence: Occurrence, recipient: Recipient, now: datetime | None = None
) -> str:
    """The item's own template inside the standard frame (title, body, owner), noting a late delivery."""
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
    late = now is not None and now - occurrence.at > LATE_AFTER
    return render("plan_message", body=body, late=late, **context)
