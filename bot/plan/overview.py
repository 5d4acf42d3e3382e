"""What goes out in the coming days, and to whom: the answer to /kommunikationsplan."""

import threading
import weakref
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.config.model import AssociationConfig, Person
from bot.people import Recipient
from bot.plan.audience import audience_people, mentions_audience, recipients
from bot.plan.occurrences import Occurrence, occurrences_between
from messages.mrkdwn import channel_reference


@dataclass(frozen=True)
class Subject:
    """A forum, department or member municipality that the overview can be filtered by."""

    id: str
    name: str
    kind: str


@dataclass(frozen=True)
class UpcomingDelivery:
    occurrence: Occurrence
    recipients: list[str]


def subjects(config: AssociationConfig) -> list[Subject]:
    found = [Subject(forum.id, forum.name, "forum") for forum in config.forums]
    found += [Subject(department.id, department.name, "department") for department in config.departments]
    found += [Subject(member.id, member.name, "member") for member in config.members]
    return found


def find_subject(config: AssociationConfig, text: str) -> Subject | None:
    """A subject by id or name, ignoring case; a unique prefix of a name also matches."""
    wanted = text.strip().casefold()
    candidates = subjects(config)
    for subject in candidates:
        if wanted in (subject.id.casefold(), subject.name.casefold()):
            return subject
    prefixed = [s for s in candidates if s.name.casefold().startswith(wanted) or s.id.startswith(wanted)]
    return prefixed[0] if len(prefixed) == 1 else None


def _shown(recipient: Recipient) -> str:
    """A recipient's name; a channel the configuration does not name is left for Slack to name."""
    if recipient.key.startswith("channel:") and recipient.label == recipient.address:
        return channel_reference(recipient.address)
    return recipient.label


def upcoming(
    config: AssociationConfig, now: datetime, days: int = 14, subject: Subject | None = None
) -> list[UpcomingDelivery]:
    """Occurrences from `now` through the next `days` days, optionally only those naming `subject`."""
    end = now + timedelta(days=days)
    return [entry for entry in _CACHE.day(config, now, days, subject) if now <= entry.occurrence.at <= end]


def upcoming_for(config: AssociationConfig, person: Person | None, now: datetime, days: int) -> list[UpcomingDelivery]:
    """What the plan sends to `person` (one of its audience) from `now` through the next `days` days; nothing for
    someone the configuration does not know."""
    if person is None:
        return []
    return [
        entry
        for entry in upcoming(config, now, days)
        if person in audience_people(config, entry.occurrence.item.audience)
    ]


class _DayCache:
    """The overview of one local day per configuration, filter and length, computed once that day.

    Expanding every item's schedule costs time in proportion to the plan and its age, and the answer changes only
    with the day (and the configuration, which a reload replaces as a new object).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple, tuple[weakref.ref, list[UpcomingDelivery]]] = {}

    def day(
        self, config: AssociationConfig, now: datetime, days: int, subject: Subject | None
    ) -> list[UpcomingDelivery]:
        zone = ZoneInfo(config.association.timezone)
        day = now.astimezone(zone).date()
        key = (id(config), day, days, subject)
        with self._lock:
            found = self._entries.get(key)
        if found is not None and found[0]() is config:
            return found[1]
        start = datetime.combine(day, time(), tzinfo=zone)
        entries = _compute(config, start, start + timedelta(days=days + 1), subject)
        with self._lock:
            # Yesterday's entries and those of replaced configurations go.
            self._entries = {k: v for k, v in self._entries.items() if k[1] == day and v[0]() is not None}
            self._entries[key] = (weakref.ref(config), entries)
        return entries


def _compute(
    config: AssociationConfig, start: datetime, end: datetime, subject: Subject | None
) -> list[UpcomingDelivery]:
    found = []
    for occurrence in occurrences_between(config, start, end):
        if subject and not mentions_audience(config, occurrence.item.audience, subject.id):
            continue
        targets = recipients(config, occurrence.item.audience, occurrence.item.delivery)
        found.append(UpcomingDelivery(occurrence, [_shown(target) for target in targets]))
    return found


_CACHE = _DayCache()
