"""Test-rendering each plan item's message the way a tick does, so that `plan check` finds what would fail.

A message can be valid Jinja with only known names and still fail on every occurrence: `event.date` on an rrule
item (no event), `1/0`, a loop the sandbox refuses. Each item is rendered once, through the tick's own path
(bot.plan.compose.occurrence_texts), for a representative occurrence: the next one from `today` (the last
one when all are past), with its event for an event-relative item and event=None for an rrule item.
"""

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import TemplateSyntaxError

from bot.config.model import MESSAGE_NAMES, AssociationConfig, Event, PlanItem, Schedule
from bot.people import Recipient, person_recipient
from bot.plan.audience import recipients
from bot.plan.compose import occurrence_texts
from bot.plan.occurrences import Occurrence, event_occurrence_key, rule_occurrences, wall_time
from bot.plan.recurrence import local
from messages.render import template_names

Loc = tuple[Any, ...]
Problem = tuple[Loc, str]


def check_rendering(sections: dict[str, Any], today: date) -> list[Problem]:
    """A problem at `plan[i].message` for each item whose message cannot be rendered for its occurrence.

    Items that another check already refuses (a field that did not validate, a syntax error, an unknown name, an
    owner or event that does not exist) are skipped: their own error says what is wrong.
    """
    plan = sections.get("plan")
    if not isinstance(plan, list) or "association" not in sections or "people" not in sections:
        return []
    config = AssociationConfig.model_construct(**sections)
    problems: list[Problem] = []
    for index, item in enumerate(plan):
        occurrence = _representative(config, item, today)
        target = _target(config, occurrence) if occurrence is not None else None
        if occurrence is None or target is None:
            continue
        try:
            occurrence_texts(config, occurrence, [target])
        except Exception as exc:  # the same failures the tick records (see bot.plan.schedule._render)
            problems.append((("plan", index, "message"), f"cannot be filled in: {str(exc) or type(exc).__name__}"))
    return problems


def _renderable(item: object) -> bool:
    """Whether the item validated and its message only uses known names (else its own error is reported)."""
    if not isinstance(item, PlanItem) or not isinstance(item.message, str) or not isinstance(item.schedule, Schedule):
        return False
    try:
        return template_names(item.message) <= set(MESSAGE_NAMES)
    except TemplateSyntaxError:
        return False


def _representative(config: AssociationConfig, item: object, today: date) -> Occurrence | None:
    """The item's next occurrence from `today`, or its last one; None when it has none to render."""
    if not _renderable(item):
        return None
    assert isinstance(item, PlanItem)
    try:
        zone = ZoneInfo(config.association.timezone)
        clock = wall_time(config, item)
        if item.schedule.rrule:
            return _rule_occurrence(config, item, today, zone, clock)
        events = [event for event in config.events if item.schedule.relative_to in (event.id, event.kind)]
    except Exception:  # a section this needs did not validate: its own error is reported
        return None
    event = _next_event(events, today)
    if event is None:
        return None
    at = local(datetime.combine(event.date, clock), zone)
    return Occurrence(item, event_occurrence_key(event), at, at, event)


def _rule_occurrence(config: AssociationConfig, item: PlanItem, today: date, zone: ZoneInfo, clock: time) -> Occurrence:
    begin = datetime.combine(max(today, item.schedule.start or today), time(), tzinfo=zone)
    at = next(iter(rule_occurrences(config, item, begin, begin + timedelta(days=2 * 366))), None)
    if at is None:  # the rule has ended: its first occurrence renders the same names
        at = local(datetime.combine(item.schedule.start or today, clock), zone)
    return Occurrence(item, at.date().isoformat(), at, at, None)


def _next_event(events: list[Event], today: date) -> Event | None:
    if not events:
        return None
    coming = [event for event in events if event.date >= today]
    return min(coming, key=lambda event: event.date) if coming else max(events, key=lambda event: event.date)


def _target(config: AssociationConfig, occurrence: Occurrence) -> Recipient | None:
    """One of the item's recipients (the owner when the audience is empty); None when the context cannot be built."""
    item = occurrence.item
    try:
        config.person(item.owner)
        config.chair_on(occurrence.at.date())
        found = recipients(config, item.audience, item.delivery)
        return found[0] if found else person_recipient(config.person(item.owner))
    except Exception:  # an unknown reference: reported by bot.config.references
        return None
