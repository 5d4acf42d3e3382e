"""Where the app is installed in Teams, and who is there: the conversation references the outbox sends through, and
the roster that people in the association file are matched by (Entra object id, or e-mail).

A personal chat is reached at 'aad:<the user's object id>', a team's channel at 'teams:<channel id>' (a team's
General channel has the team's id), a group chat at 'teams:<conversation id>'.
"""

from dataclasses import dataclass
from datetime import datetime

from microsoft_agents.activity import Activity, ChannelAccount
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.config.channels import TEAMS_CHANNEL_PREFIX
from bot.people import teams_user_address
from storage.engine import session_scope
from storage.teams import (
    TeamsConversation,
    TeamsMember,
    conversation_at,
    mark_removed,
    member_by_object_id,
    save_conversation,
    save_member,
)

PERSONAL, CHANNEL, GROUP_CHAT = "personal", "channel", "groupChat"


@dataclass(frozen=True)
class Place:
    """Where an activity happened, as the outbox addresses it."""

    kind: str  # personal, channel or groupChat
    address: str | None  # None: a personal chat with a user Teams gave no object id for
    team_id: str | None
    tenant_id: str | None


def channel_data(activity: Activity) -> dict:
    """The activity's channelData as JSON (the Teams extension turns it into a model before the handlers run)."""
    data = activity.channel_data
    if data is None:
        return {}
    if isinstance(data, dict):
        return data
    return data.model_dump(by_alias=True, exclude_none=True)


def _id_in(data: dict, key: str) -> str | None:
    value = data.get(key)
    return value.get("id") if isinstance(value, dict) and isinstance(value.get("id"), str) else None


def place_of(activity: Activity) -> Place:
    """The conversation of `activity`: a personal chat, a team's channel or a group chat."""
    data = channel_data(activity)
    tenant = activity.conversation.tenant_id or _id_in(data, "tenant")
    team = _id_in(data, "team")
    kind = activity.conversation.conversation_type or (CHANNEL if team else PERSONAL)
    if kind == PERSONAL:
        object_id = activity.from_property.aad_object_id if activity.from_property else None
        return Place(PERSONAL, teams_user_address(object_id) if object_id else None, None, tenant)
    if kind == CHANNEL:
        channel = _id_in(data, "channel") or team or activity.conversation.id
        return Place(CHANNEL, f"{TEAMS_CHANNEL_PREFIX}{channel}", team, tenant)
    return Place(GROUP_CHAT, f"{TEAMS_CHANNEL_PREFIX}{activity.conversation.id}", None, tenant)


def member_email(account: ChannelAccount) -> str | None:
    """The e-mail the Bot Connector gives a member (its `email`, else its user principal name)."""
    extra = account.model_extra or {}
    for key in ("email", "userPrincipalName"):
        value = extra.get(key)
        if isinstance(value, str) and "@" in value:
            return value.strip().lower()
    return None


def record_install(
    engine: Engine, activity: Activity, channel_ids: list[str], members: list[ChannelAccount], now: datetime
) -> list[str]:
    """Store the reference of the conversation `activity` came from (for a team: of each channel in
    `channel_ids`, or the one it came from) and the members seen; the addresses that were not installed before."""
    place = place_of(activity)
    if place.address is None:
        return []
    channels = [f"{TEAMS_CHANNEL_PREFIX}{channel}" for channel in channel_ids] if place.kind == CHANNEL else []
    addresses = [place.address, *(address for address in channels if address != place.address)]
    new = []
    with session_scope(engine) as session:
        for address in addresses:
            if conversation_at(session, address) is None:
                new.append(address)
            save_conversation(session, _conversation(activity, place, address, now))
        _save_all(session, [*members, activity.from_property], activity, place, now)
    return new


def record_members(engine: Engine, activity: Activity, accounts: list[ChannelAccount], now: datetime) -> int:
    """Add the members in `accounts` (those joining a conversation) to the roster; how many had an object id."""
    with session_scope(engine) as session:
        return _save_all(session, accounts, activity, place_of(activity), now)


def _save_all(
    session: Session, accounts: list[ChannelAccount | None], activity: Activity, place: Place, now: datetime
) -> int:
    """Save each account that has an object id (the bot has none), with the e-mail the Bot Connector gave."""
    saved: dict[str, ChannelAccount] = {}
    for account in accounts:
        if account is not None and account.aad_object_id:
            saved.setdefault(account.aad_object_id, account)  # the roster's entry (with the e-mail) comes first
    for account in saved.values():
        _save(session, account, activity, place, now, member_email(account))
    return len(saved)


def _conversation(activity: Activity, place: Place, address: str, now: datetime) -> TeamsConversation:
    personal_or_group = place.kind != CHANNEL
    return TeamsConversation(
        address=address,
        conversation_id=activity.conversation.id if personal_or_group else address.removeprefix(TEAMS_CHANNEL_PREFIX),
        service_url=activity.service_url,
        tenant_id=place.tenant_id,
        bot_id=activity.recipient.id,
        kind=place.kind,
        team_id=place.team_id,
        installed_at=now,
        removed_at=None,
    )


def record_removal(engine: Engine, activity: Activity, now: datetime) -> list[str]:
    """The app was uninstalled or removed where `activity` came from (for a team: from all its channels): mark
    each stored reference removed, so nothing more is posted there. The addresses marked."""
    place = place_of(activity)
    with session_scope(engine) as session:
        addresses = [place.address] if place.address else []
        if place.kind == CHANNEL and place.team_id:
            statement = select(TeamsConversation.address).where(TeamsConversation.team_id == place.team_id)
            addresses = sorted({*addresses, *session.exec(statement).all()})
        return [address for address in addresses if mark_removed(session, address, now)]


def roster_entry(engine: Engine, object_id: str) -> TeamsMember | None:
    """What the roster has of the Teams user with this object id, if anything."""
    with session_scope(engine) as session:
        member = member_by_object_id(session, object_id)
        if member is not None:
            session.expunge(member)
        return member


def record_member(engine: Engine, activity: Activity, now: datetime, email: str | None = None) -> TeamsMember | None:
    """Remember the sender of `activity` as seen now (keeping the e-mail the roster had); None without an object id."""
    sender = activity.from_property
    if sender is None or not sender.aad_object_id:
        return None
    with session_scope(engine) as session:
        return _save(session, sender, activity, place_of(activity), now, email)


def _save(
    session: Session, account: ChannelAccount, activity: Activity, place: Place, now: datetime, email: str | None
) -> TeamsMember:
    """Upsert the roster's row of `account`, keeping what the roster knew that this activity does not say."""
    known = member_by_object_id(session, account.aad_object_id)
    member = TeamsMember(
        object_id=account.aad_object_id,
        user_id=account.id,
        email=email or (known.email if known else None),
        name=account.name or (known.name if known else None),
        tenant_id=place.tenant_id or (known.tenant_id if known else None),
        service_url=activity.service_url,
        seen_at=now,
    )
    save_member(session, member)
    return member


def personal_chat(engine: Engine, object_id: str) -> tuple[str, str] | None:
    """The installed personal chat of the user `object_id` as (service url, conversation id), or None."""
    with session_scope(engine) as session:
        row = conversation_at(session, teams_user_address(object_id))
        return (row.service_url, row.conversation_id) if row is not None else None
