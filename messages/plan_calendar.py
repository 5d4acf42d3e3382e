"""The communication plan's calendar file in Swedish: its name, each event's description and its category."""

from collections.abc import Sequence

from messages.labels import labels
from messages.render import render_plain

CATEGORY = labels("plan.calendar")["category"]


def calendar_name(short_name: str) -> str:
    """'VMKF kommunikationsplan'."""
    return render_plain("plan_calendar_name", short_name=short_name)


def event_description(purpose: str, audience: Sequence[str], delivery: str, owner: str) -> str:
    """The item's purpose, then who receives it, how ('channel' or a DM) and who is responsible."""
    return render_plain("plan_calendar_event", purpose=purpose, audience=audience, delivery=delivery, owner=owner)
