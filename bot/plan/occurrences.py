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
    """One due delivery of a plan item. `key` names the nominal occurrence and survives time edits; `nominal` is
    when the schedule itself puts it, before a move to a working day (`at` is when it goes out)."""

    item: PlanItem
    key: str
    at: datetime
    nominal: datetime
    event: Event | None = None


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
    for event in config.events:
        if schedule.relative_to not in (event.id, event.kind):
            continue
        if schedule.offset_working_days is not None:
            day = add_working_days(event.date, schedule.offset_working_days)
        else:
            day = event.date + timedelta(days=schedule.offset_days or 0)
        if first <= day <= last:
            yield f"event:{event.id}", day, event


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
