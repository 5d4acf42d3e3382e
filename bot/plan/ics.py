"""The communication plan as an iCalendar file, for Outlook and other calendars."""

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from bot.config.model import AssociationConfig
from bot.plan.audience import recipients
from bot.plan.occurrences import occurrences_between

EVENT_LENGTH = timedelta(minutes=15)


def plan_calendar(config: AssociationConfig, start: datetime, end: datetime, stamp: datetime) -> bytes:
    """Every occurrence between `start` and `end` as a VEVENT with a stable UID."""
    calendar = Calendar()
    calendar.add("prodid", "-//Samverkan//kommunikationsplan//SV")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{config.association.short_name} kommunikationsplan")
    for occurrence in occurrences_between(config, start, end):
        item = occurrence.item
        audience = ", ".join(r.label for r in recipients(config, item.audience, item.delivery))
        event = Event()
        event.add("uid", f"{item.id}/{occurrence.key}@{config.association.id}.samverkan")
        event.add("dtstamp", stamp)
        # In UTC: a TZID needs a VTIMEZONE in the file (RFC 5545 3.2.19), and Outlook will not guess one.
        event.add("dtstart", occurrence.at.astimezone(UTC))
        event.add("dtend", occurrence.at.astimezone(UTC) + EVENT_LENGTH)
        event.add("summary", item.title)
        channel = "Inlägg i kanal" if item.delivery == "channel" else "DM"
        event.add(
            "description",
            f"{item.purpose}\n\nMottagare: {audience}\nKanal: {channel}\nAnsvarig: {config.person(item.owner).name}",
        )
        event.add("categories", ["Kommunikationsplan"])
        calendar.add_component(event)
    return calendar.to_ical()
