"""The communication plan as an iCalendar file, for Outlook and other calendars.

An rrule item is one recurring VEVENT whose RRULE and DTSTART make a calendar client expand exactly the
occurrences `occurrences_between` gives before the working-day move: DTSTART is the first of them (for
RFC 5545, DTSTART is always an instance; our `start` need not be one), UNTIL the instant of the last, in UTC
(RFC 5545 3.3.10 wants UTC with a TZID start; it also replaces COUNT, which cannot count from a later start).
An occurrence moved to a working day is an override (RECURRENCE-ID = its rule date, DTSTART = when it goes
out); one that a move merged into another day's is an EXDATE. Items relative to an event are single VEVENTs.
Times carry TZID=Europe/Stockholm with a VTIMEZONE in the file, so wall-clock times stay across daylight saving.
"""

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vRecur

from bot.config.model import AssociationConfig, PlanItem
from bot.plan.audience import recipients
from bot.plan.occurrences import Occurrence, occurrences_between, rule_occurrences, wall_time
from bot.plan.recurrence import parse_rule
from messages.plan_calendar import CATEGORY, calendar_name, event_description

EVENT_LENGTH = timedelta(minutes=15)


def plan_calendar(config: AssociationConfig, start: datetime, end: datetime, stamp: datetime) -> bytes:
    """Every occurrence between `start` and `end`: a series per rrule item, a VEVENT per event-relative one."""
    calendar = Calendar()
    calendar.add("prodid", "-//Samverkan//kommunikationsplan//SV")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", calendar_name(config.association.short_name))
    by_item: dict[str, list[Occurrence]] = {}
    for occurrence in occurrences_between(config, start, end):
        by_item.setdefault(occurrence.item.id, []).append(occurrence)
    for item_id, found in by_item.items():
        item = config.plan_item(item_id)
        if item.schedule.rrule:
            for event in _series(config, item, found, stamp):
                calendar.add_component(event)
            continue
        for occurrence in found:
            event = _event(config, item, occurrence.at, stamp, f"{item.id}/{occurrence.stable_key}")
            calendar.add_component(event)
    # The VTIMEZONE covers the file's times, including rule dates a few days outside the window.
    calendar.add_missing_timezones(
        first_date=(start - timedelta(days=31)).date(), last_date=(end + timedelta(days=31)).date()
    )
    return calendar.to_ical()


def _series(config: AssociationConfig, item: PlanItem, found: list[Occurrence], stamp: datetime) -> list[Event]:
    """The master VEVENT with its RRULE and EXDATEs, then one override per occurrence moved to another day."""
    nominals = sorted(occurrence.nominal for occurrence in found)
    first, last = nominals[0], nominals[-1]
    rule = parse_rule(item.schedule.rrule or "")
    master = _event(config, item, _wall_clock(config, item, first), stamp, item.id)
    master.add("rrule", vRecur.from_ical(rule.text_with(COUNT=None, UNTIL=f"{last.astimezone(UTC):%Y%m%dT%H%M%SZ}")))
    kept = set(nominals)
    merged = [moment for moment in rule_occurrences(config, item, first, last) if moment not in kept]
    if merged:
        master.add("exdate", [_wall_clock(config, item, moment) for moment in merged])
    events = [master]
    for occurrence in sorted(found, key=lambda occurrence: occurrence.nominal):
        if occurrence.at != occurrence.nominal:
            moved = _event(config, item, occurrence.at, stamp, item.id)
            moved.add("recurrence-id", _wall_clock(config, item, occurrence.nominal))
            events.append(moved)
    return events


def _wall_clock(config: AssociationConfig, item: PlanItem, moment: datetime) -> datetime:
    """The item's own wall-clock time on `moment`'s day: a client reads a time in the spring gap as we do
    (RFC 5545 3.3.5), and a series starting on that day keeps its time on the others."""
    return datetime.combine(moment.date(), wall_time(config, item), tzinfo=moment.tzinfo)


def _event(config: AssociationConfig, item: PlanItem, at: datetime, stamp: datetime, uid: str) -> Event:
    audience = [recipient.label for recipient in recipients(config, item.audience, item.delivery)]
    event = Event()
    event.add("uid", f"{uid}@{config.association.id}.samverkan")
    event.add("dtstamp", stamp)
    event.add("dtstart", at)
    event.add("dtend", at + EVENT_LENGTH)
    event.add("summary", item.title)
    owner = config.person(item.owner).name
    event.add("description", event_description(item.purpose, audience, item.delivery, owner))
    event.add("categories", [CATEGORY])
    return event
