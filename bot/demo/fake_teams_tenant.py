"""A Teams tenant for the fake Bot Connector: the app installed for people and in teams, on both sides.

Installing the app makes Teams hold a conversation and makes the bot store its reference (what the
installationUpdate handler stores in production); these helpers do both at once, so the outbox can be tested
against the fake without going through /api/messages. `install_for(config)` installs everything the
association file names on Teams: each person's personal chat and each channel's team.
"""

import uuid
from datetime import datetime

from sqlalchemy import Engine

from bot.config.model import AssociationConfig
from bot.demo.fake_teams import FakeBotConnector, FakeConversation, FakeMember
from bot.people import teams_user_address
from storage import teams
from storage.engine import session_scope
from storage.platform import Platform
from storage.teams import TeamsConversation, TeamsMember

BOT_ID = "28:00000000-0000-4000-8000-0000000b0700"  # as bot/demo/teams_activities.py gives it
TEAMS_PREFIX = "teams:"


def object_id_for_email(email: str) -> str:
    """A stable made-up Entra object id for a person configured only by e-mail."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"mailto:{email.lower()}"))


def _store_member(engine: Engine, fake: FakeBotConnector, member: FakeMember, now: datetime) -> None:
    with session_scope(engine) as session:
        teams.save_member(
            session,
            TeamsMember(
                object_id=member.object_id,
                user_id=member.id,
                email=member.email,
                name=member.name,
                tenant_id=member.tenant_id,
                service_url=fake.url,
                seen_at=now,
            ),
        )


def _store_conversation(
    engine: Engine, fake: FakeBotConnector, address: str, conversation: FakeConversation, now: datetime
) -> None:
    with session_scope(engine) as session:
        teams.save_conversation(
            session,
            TeamsConversation(
                address=address,
                conversation_id=conversation.id,
                service_url=fake.url,
                tenant_id=conversation.tenant_id,
                bot_id=BOT_ID,
                kind=conversation.kind,
                team_id=conversation.team_id,
                installed_at=now,
            ),
        )


def install_personal(
    engine: Engine, fake: FakeBotConnector, object_id: str, email: str, name: str, now: datetime
) -> FakeConversation:
    """The app installed in the person's personal scope: their chat with the bot, and them in the roster."""
    conversation = fake.add_personal(object_id, email, name)
    _store_conversation(engine, fake, teams_user_address(object_id), conversation, now)
    _store_member(engine, fake, conversation.members[0], now)
    return conversation


def install_channel(
    engine: Engine,
    fake: FakeBotConnector,
    channel_id: str,
    team_id: str,
    now: datetime,
    members: tuple[FakeMember, ...] = (),
) -> FakeConversation:
    """The app installed in a team: its channel, and the team's members in the roster."""
    conversation = fake.add_channel(channel_id, team_id, members)
    _store_conversation(engine, fake, f"{TEAMS_PREFIX}{channel_id}", conversation, now)
    for member in members:
        _store_member(engine, fake, member, now)
    return conversation


def team_member(fake: FakeBotConnector, object_id: str, email: str, name: str) -> FakeMember:
    """A user of the tenant who is in a team, without the app in their personal scope."""
    return fake.add_member(object_id, email, name)


def install_for(
    engine: Engine, fake: FakeBotConnector, config: AssociationConfig, now: datetime, skip: tuple[str, ...] = ()
) -> None:
    """The app installed for every person the association reaches on Teams (but the person ids in `skip`) and in
    every Teams channel it names."""
    for person in config.people:
        if person.chat_platform == Platform.TEAMS and person.id not in skip:
            email = person.email or f"{person.id}@example.invalid"
            install_personal(engine, fake, person.teams_id or object_id_for_email(email), email, person.name, now)
    for section in (config.forums, config.departments, config.members):
        for entry in section:
            if entry.channel and entry.channel.startswith(TEAMS_PREFIX):
                channel_id = entry.channel.removeprefix(TEAMS_PREFIX)
                install_channel(engine, fake, channel_id, f"team-{entry.id}", now)
