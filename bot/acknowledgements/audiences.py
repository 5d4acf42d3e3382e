"""Who an audience is: its name, who may acknowledge for it, where its reminder goes, and which outbox recipient a
plan message to it had.

- A member municipality: its acknowledger (the contact, else the chief) and nobody else, not even the director;
  reminded by a DM to that person.
- A person (a DM): that person; reminded by a DM.
- A channel: a member of the forum whose channel it is, the head or deputy of the department whose channel it is;
  any configured person for a channel the configuration gives no owner (the bot cannot see who is in a channel);
  reminded by a post in the channel itself, with the button again.
"""

from bot.acknowledgements.subjects import CHANNEL, MEMBER, PERSON, channel_audience, member_audience, person_audience
from bot.acknowledgements.subjects import parse_audience as parse
from bot.config.model import AssociationConfig, Member
from bot.people import (
    Recipient,
    RecipientKey,
    RecipientKind,
    channel_key,
    channel_recipient,
    person_key,
    person_recipient,
)
from bot.plan.audience import recipient_label


def find_member(config: AssociationConfig, member_id: str) -> Member | None:
    """The member municipality, or None when the configuration no longer has it."""
    return next((member for member in config.members if member.id == member_id), None)


def audience_name(config: AssociationConfig, audience: str) -> str:
    """A readable name: the municipality, the person, or the channel's owner."""
    parsed = parse(audience)
    if parsed is None:
        return audience
    if parsed.kind == MEMBER:
        member = find_member(config, parsed.id)
        return member.name if member else parsed.id
    if parsed.kind == PERSON:
        person = config.find_person(parsed.id)
        return person.name if person else parsed.id
    return recipient_label(config, channel_key(parsed.id))


def acknowledgers(config: AssociationConfig, audience: str) -> tuple[str, ...] | None:
    """The ids of the people who may acknowledge for `audience`; None when any configured person may."""
    parsed = parse(audience)
    if parsed is None:
        return ()
    if parsed.kind == MEMBER:
        member = find_member(config, parsed.id)
        return (member.acknowledger,) if member else ()
    if parsed.kind == PERSON:
        return (parsed.id,)
    owners: list[str] = []
    for forum in config.forums:
        if forum.channel == parsed.id:
            owners += forum.members
    for department in config.departments:
        if department.channel == parsed.id:
            owners += [department.head, *([department.deputy] if department.deputy else [])]
    for member in config.members:
        if member.channel == parsed.id:
            owners.append(member.acknowledger)
    return tuple(dict.fromkeys(owners)) or None


def plan_audience(config: AssociationConfig, recipient: str) -> str:
    """The audience of a plan message to the outbox recipient `recipient`: a DM's person, a member municipality
    for its channel, else the channel."""
    key = RecipientKey.read(recipient)
    if key.kind == RecipientKind.PERSON:
        return person_audience(key.ident)
    member = next((m for m in config.members if m.channel and m.channel == key.ident), None)
    return member_audience(member.id) if member else channel_audience(key.ident)


def plan_recipient(config: AssociationConfig, audience: str) -> str | None:
    """The outbox recipient a plan message to `audience` went to (plan_audience's inverse)."""
    parsed = parse(audience)
    if parsed is None:
        return None
    if parsed.kind == PERSON:
        return person_key(parsed.id)
    if parsed.kind == CHANNEL:
        return channel_key(parsed.id)
    member = find_member(config, parsed.id)
    return channel_key(member.channel) if member and member.channel else None


def reminder_recipient(config: AssociationConfig, audience: str) -> Recipient | None:
    """Where the reminder to acknowledge goes; None when the configuration no longer has the audience."""
    parsed = parse(audience)
    if parsed is None:
        return None
    if parsed.kind == CHANNEL:
        return channel_recipient(parsed.id, audience_name(config, audience))
    if parsed.kind == MEMBER:
        member = find_member(config, parsed.id)
        person = config.find_person(member.acknowledger) if member else None
    else:
        person = config.find_person(parsed.id)
    return person_recipient(person) if person else None
