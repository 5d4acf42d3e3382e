"""What goes out in the coming days, and to whom: the answer to /kommunikationsplan."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config.model import AssociationConfig
from bot.plan.audience import Recipient, mentions_audience, recipients
from bot.plan.occurrences import Occurrence, occurrences_between
from messages.deliveries import channel_reference


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
    found = []
    for occurrence in occurrences_between(config, now, now + timedelta(days=days)):
        if subject and not mentions_audience(config, occurrence.item.audience, subject.id):
            continue
        targets = recipients(config, occurrence.item.audience, occurrence.item.delivery)
        found.append(UpcomingDelivery(occurrence, [_shown(target) for target in targets]))
    return found
