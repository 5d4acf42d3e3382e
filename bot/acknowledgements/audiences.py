"""Who an audience is: its name, what acknowledging for it is about (who may is bot/permissions.py's:
Action.ACKNOWLEDGE), where its reminder goes, and which outbox recipient a plan message to it had.

- A member municipality: acknowledged by its acknowledger (the contact, else the chief); reminded by a DM to that
  person.
- A person (a DM): acknowledged by that person; reminded by a DM.
- A channel: acknowledged by an owner of the channel; reminded by a post in the channel itself, with the button
  again.
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
from bot.permissions import Action, Scope, allowed, named_channel_owners
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


def acknowledgers(config: AssociationConfig, audience: str) -> list[str]:
    """The people for whom acknowledging for `audience` is their own task (the "my tasks" view): those who may
    (Action.ACKNOWLEDGE), except for a channel the configuration gives to nobody, which is nobody's task."""
    scope = acknowledge_scope(config, audience)
    if scope.channel is not None and not named_channel_owners(config, scope.channel):
        return []
    return allowed(config, Action.ACKNOWLEDGE, scope)


def acknowledge_scope(config: AssociationConfig, audience: str) -> Scope:
    """What acknowledging for `audience` is about, for the permission model (Action.ACKNOWLEDGE): the member
    municipality, the person or the channel; an empty scope (nobody may) for a value that names none."""
    parsed = parse(audience)
    if parsed is None:
        return Scope()
    if parsed.kind == MEMBER:
        return Scope(member=find_member(config, parsed.id))
    if parsed.kind == PERSON:
        return Scope(addressee=parsed.id)
    return Scope(channel=parsed.id)


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
