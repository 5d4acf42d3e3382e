"""Expanding an audience into recipients: channels for channel delivery, people for DMs."""

from bot.config.model import AssociationConfig, Audience, Person
from bot.people import Recipient, RecipientKey, RecipientKind, channel_recipient, person_recipient


def _chosen(config: AssociationConfig, section: str, chosen: list[str] | str) -> list:
    entries = getattr(config, section)
    if chosen == "all":
        return list(entries)
    return [entry for entry in entries if entry.id in chosen]


def audience_people(config: AssociationConfig, audience: Audience) -> list[Person]:
    """Everyone the audience names, once each, in a stable order."""
    ids: list[str] = []
    for forum in _chosen(config, "forums", audience.forums):
        ids.extend(forum.members)
    ids.extend(config.roles[role] for role in audience.roles)
    ids.extend(department.head for department in _chosen(config, "departments", audience.departments))
    ids.extend(member.chief for member in _chosen(config, "members", audience.members))
    ids.extend(audience.people)
    return [config.person(person_id) for person_id in dict.fromkeys(ids)]


def audience_channels(config: AssociationConfig, audience: Audience) -> list[Recipient]:
    """One recipient per distinct channel the audience names."""
    found: dict[str, Recipient] = {}
    for section, chosen in (
        ("forums", audience.forums),
        ("departments", audience.departments),
        ("members", audience.members),
    ):
        for entry in _chosen(config, section, chosen):
            if entry.channel:
                found.setdefault(entry.channel, channel_recipient(entry.channel, entry.name))
    for channel in audience.channels:
        found.setdefault(channel, channel_recipient(channel, channel))
    return list(found.values())


def recipients(config: AssociationConfig, audience: Audience, delivery: str) -> list[Recipient]:
    if delivery == "channel":
        return audience_channels(config, audience)
    return [person_recipient(person) for person in audience_people(config, audience)]


def mentions_audience(config: AssociationConfig, audience: Audience, subject: str) -> bool:
    """True when the audience names `subject`: a forum, department, member, role or person id."""
    named = {*audience.forums, *audience.roles, *audience.people}
    for section, chosen in (("departments", audience.departments), ("members", audience.members)):
        named.update(entry.id for entry in _chosen(config, section, chosen))
    return subject in named


def recipient_label(config: AssociationConfig, key: str) -> str:
    """A readable name for an outbox recipient key ('person:x' or 'channel:C...')."""
    recipient = RecipientKey.read(key)
    if recipient.kind == RecipientKind.PERSON:
        person = config.find_person(recipient.ident)
        return person.name if person else recipient.ident
    for section in (config.forums, config.departments, config.members):
        for entry in section:
            if entry.channel == recipient.ident:
                return entry.name
    return recipient.ident


def item_title(config: AssociationConfig, item_id: str) -> str:
    try:
        return config.plan_item(item_id).title
    except KeyError:
        return item_id
