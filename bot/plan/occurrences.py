"""Expanding plan items into dated occurrences in Europe/Stockholm, right across daylight saving."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.config.model import AssociationConfig, Event, PlanItem
from bot.plan.recurrence import expand, local, parse_rule
from bot.workdays import add_working_days, move_to_working_day


@dataclass(frozen=True)
class Occurrence:
    """One due delivery of a plan item. `key` names the nominal occurrence and survives time edits (an rrule's
    date; an event and its date, so a moved event is a new occurrence); `nominal` is when the schedule itself puts
    it, before a move to a working day (`at` is when it goes out)."""

    item: PlanItem
    key: str
    at: datetime
    nominal: datetime
    event: Event | None = None

    @property
    def stable_key(self) -> str:
        """The occurrence's name across moves of its event: a calendar's UID, and the key versions before the
        event's date was part of `key` queued it under."""
        return event_key(self.event.id) if self.event is not None else self.key


def event_key(event_id: str) -> str:
    """An event's occurrences of an item, whatever the event's date."""
    return f"event:{event_id}"


def event_occurrence_key(event: Event) -> str:
    """An item's occurrence for `event` on the date the event has: moved, it is another occurrence."""
    return f"{event_key(event.id)}:{event.date.isoformat()}"


def relative_events(config: AssociationConfig, item: PlanItem) -> list[Event]:
    """The events an item's schedule is relative to (by id or kind) that take place: cancelled ones left out."""
    relative_to = item.schedule.relative_to
    if relative_to is None:
        return []
    return [event for event in config.events if relative_to in (event.id, event.kind) and not event.cancelled]


def event_day(item: PlanItem, event: Event) -> date:
    """The nominal date of the item's occurrence for `event` (before a move to a working day)."""
    schedule = item.schedule
    if schedule.offset_working_days is not None:
        return add_working_days(event.date, schedule.offset_working_days)
    return event.date + timedelta(days=schedule.offset_days or 0)


def wall_time(config: AssociationConfig, item: PlanItem) -> time:
    return item.schedule.time or config.settings.default_time


def rule_occurrences(config: AssociationConfig, item: PlanItem, first: datetime, last: datetime) -> Iterator[datetime]:
    """An rrule item's occurrences by RFC 5545 alone (no working-day move), first <= at <= last, in order."""
    schedule = item.schedule
    if not schedule.rrule or schedule.start is None:
        raise ValueError(f"plan item {item.id} has no rrule schedule")
    zone = ZoneInfo(config.association.timezone)
    return expand(parse_rule(schedule.rrule), schedule.start, wall_time(config, item), zone, first, last)


def _nominal_dates(config: AssociationConfig, item: PlanItem, first: date, last: date):
    """(key, nominal date, event) for the item's schedule between `first` and `last`, inclusive, with slack."""
    schedule = item.schedule
    if schedule.rrule:
        zone = ZoneInfo(config.association.timezone)
        begin = datetime.combine(first, time(), tzinfo=zone)
        end = datetime.combine(last, time.max, tzinfo=zone)
        for moment in rule_occurrences(config, item, begin, end):
            yield moment.date().isoformat(), moment.date(), None
        return
    for event in relative_events(config, item):
        day = event_day(item, event)
        if first <= day <= last:
            yield event_occurrence_key(event), day, event


def _once_a_day(moved: list[tuple]) -> list[tuple]:
    """A recurring item goes out at most once a day: when several dates move onto one working day (a daily
    rule over a weekend or holiday), keep the one that falls on that day itself, else the earliest."""
    chosen: dict[date, tuple] = {}
    for entry in moved:
        _key, day, nominal, _event = entry
        kept = chosen.get(day)
        if kept is None or (nominal == day and kept[2] != day):
            chosen[day] = entry
    return list(chosen.values())


def occurrences_between(
    config: AssociationConfig, start: datetime, end: datetime, items: list[PlanItem] | None = None
) -> list[Occurrence]:
    """Occurrences with start <= at <= end, sorted by time. `start` and `end` are aware datetimes."""
    zone = ZoneInfo(config.association.timezone)
    # Moving to a working day shifts a date by at most a couple of weeks (Christmas, Easter).
    first = start.astimezone(zone).date() - timedelta(days=16)
    last = end.astimezone(zone).date() + timedelta(days=16)
    found = []
    for item in config.plan if items is None else items:
        clock = wall_time(config, item)
        moved = [
            (key, move_to_working_day(nominal, item.non_working_day), nominal, event)
            for key, nominal, event in _nominal_dates(config, item, first, last)
        ]
        if item.schedule.rrule:
            moved = _once_a_day(moved)
        for key, day, nominal, event in moved:
            at = local(datetime.combine(day, clock), zone)
            # Instants, not wall-clock times: an aware comparison within one zone ignores the autumn fold.
            if start.astimezone(UTC) <= at.astimezone(UTC) <= end.astimezone(UTC):
                found.append(Occurrence(item, key, at, local(datetime.combine(nominal, clock), zone), event))
    found.sort(key=lambda occurrence: (occurrence.at.astimezone(UTC), occurrence.item.id))
    return found


def is_current(config: AssociationConfig, item_id: str, occurrence_key: str, due_at: datetime) -> bool | None:
    """Whether a queued occurrence of an event-relative item is still one the plan has: its event takes place on
    the date it was queued for. None for what is not about an event (an rrule item, an item no longer planned).

    A key written before the event's date was part of it names only the event; it is current while the event takes
    place and the item's occurrence for it still falls on the day the row was due.
    """
    item = next((entry for entry in config.plan if entry.id == item_id), None)
    if item is None or item.schedule.relative_to is None:
        return None
    zone = ZoneInfo(config.association.timezone)
    for event in relative_events(config, item):
        if occurrence_key == event_occurrence_key(event):
            return True
        if occurrence_key == event_key(event.id):
            day = move_to_working_day(event_day(item, event), item.non_working_day)
            return due_at.astimezone(zone).date() == day
    return False
