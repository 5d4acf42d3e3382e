"""Expanding plan items into dated occurrences in Europe/Stockholm, right across daylight saving."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from bot.config.model import AssociationConfig, Event, PlanItem
from bot.plan.calendar import add_working_days, move_to_working_day


@dataclass(frozen=True)
class Occurrence:
    """One due delivery of a plan item. `key` names the nominal occurrence and survives time edits."""

    item: PlanItem
    key: str
    at: datetime
    event: Event | None = None


@lru_cache(maxsize=4096)
def _rule(text: str, start: datetime):
    """The parsed rule, shared by every call: with cache=True it remembers the dates it has computed, so asking for
    the next fortnight walks a list instead of recomputing every date since `start` (dateutil locks the cache)."""
    return rrulestr(text, dtstart=start, ignoretz=True, cache=True)


def _nominal_dates(config: AssociationConfig, item: PlanItem, first: date, last: date):
    """(key, nominal date, event) for the item's schedule between `first` and `last`, inclusive, with slack."""
    schedule = item.schedule
    if schedule.rrule:
        rule = _rule(schedule.rrule, datetime.combine(schedule.start, time()))
        for moment in rule.between(datetime.combine(first, time()), datetime.combine(last, time.max), inc=True):
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
        wall_time = item.schedule.time or config.settings.default_time
        moved = [
            (key, move_to_working_day(nominal, item.non_working_day), nominal, event)
            for key, nominal, event in _nominal_dates(config, item, first, last)
        ]
        if item.schedule.rrule:
            moved = _once_a_day(moved)
        for key, day, _nominal, event in moved:
            at = datetime.combine(day, wall_time, tzinfo=zone)
            if start <= at <= end:
                found.append(Occurrence(item=item, key=key, at=at, event=event))
    found.sort(key=lambda occurrence: (occurrence.at, occurrence.item.id))
    return found
