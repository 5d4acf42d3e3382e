"""What Teams told us when the app was installed: the conversations it may post in, and who is in them.

A bot cannot start a conversation in Teams with nobody's leave: it posts proactively through the conversation
reference Teams gave when the app was installed in a personal chat or a team. Each is stored under the address
the outbox uses ('aad:<Entra object id>' for a person's personal chat, 'teams:<channel id>' for a channel); the
roster maps the people met in those conversations (and in the teams' member lists) to their Teams user ids and
e-mail addresses, so a person configured by e-mail or object id can be reached.
"""

from datetime import datetime

from sqlalchemy import Column, bindparam, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, Session, SQLModel, select

from storage.engine import is_postgres
from storage.types import UTCDateTime


class TeamsConversation(SQLModel, table=True):
    """A conversation the app is installed in, under the outbox address that reaches it."""

    __tablename__ = "teams_conversation"

    address: str = Field(primary_key=True, max_length=400)
    conversation_id: str = Field(max_length=400)
    service_url: str = Field(max_length=500)
    tenant_id: str | None = Field(default=None, max_length=60)
    bot_id: str = Field(max_length=200)
    kind: str = Field(max_length=20)  # personal, channel, groupChat
    team_id: str | None = Field(default=None, max_length=400)
    installed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    removed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class TeamsMember(SQLModel, table=True):
    """A Teams user met in a conversation or a team's roster: their object id, Teams user id and e-mail."""

    __tablename__ = "teams_member"

    object_id: str = Field(primary_key=True, max_length=60)
    user_id: str = Field(max_length=200)  # 29:..., the id the Bot Connector knows the user by
    email: str | None = Field(default=None, max_length=320, index=True)  # lower case
    name: str | None = Field(default=None, max_length=200)
    tenant_id: str | None = Field(default=None, max_length=60)
    service_url: str = Field(max_length=500)
    seen_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


def _upsert(session: Session, row: SQLModel, key: str) -> None:
    """Insert `row`, or overwrite every column of the row with the same primary key."""
    values = row.model_dump()
    dialect = postgresql if is_postgres(session) else sqlite
    statement = dialect.insert(type(row)).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=[key], set_={name: value for name, value in values.items() if name != key}
    )
    session.execute(statement)


def save_conversation(session: Session, conversation: TeamsConversation) -> None:
    """Remember (or refresh, or reinstate after a removal) the conversation at its address."""
    _upsert(session, conversation, "address")


_CONVERSATIONS = TeamsConversation.__table__
_INSTALLED_AT = select(_CONVERSATIONS).where(
    _CONVERSATIONS.c.address == bindparam("address"), _CONVERSATIONS.c.removed_at.is_(None)
)  # built once, and read as plain rows: every message sent to Teams looks its conversation up


def conversation_at(session: Session, address: str) -> TeamsConversation | None:
    """The installed conversation reaching `address`, or None (never installed, or removed since); not added to
    the session."""
    row = session.execute(_INSTALLED_AT, {"address": address}).mappings().first()
    return TeamsConversation.model_construct(**row) if row is not None else None


def conversation_by_id(session: Session, conversation_id: str) -> TeamsConversation | None:
    """The installed conversation with Teams' conversation id, or None."""
    statement = select(TeamsConversation).where(
        TeamsConversation.conversation_id == conversation_id, TeamsConversation.removed_at.is_(None)
    )
    return session.exec(statement.limit(1)).first()


def removed_at(session: Session, address: str) -> datetime | None:
    """When the app was removed from the conversation at `address`; None if it is installed or was never stored."""
    row = session.get(TeamsConversation, address)
    return row.removed_at if row is not None else None


def mark_removed(session: Session, address: str, now: datetime) -> bool:
    """The app was uninstalled there: nothing more may be posted. False when nothing was stored."""
    row = session.get(TeamsConversation, address)
    if row is None:
        return False
    row.removed_at = now
    session.add(row)
    return True


def save_member(session: Session, member: TeamsMember) -> None:
    _upsert(session, member.model_copy(update={"email": member.email.lower() if member.email else None}), "object_id")


def member_by_object_id(session: Session, object_id: str) -> TeamsMember | None:
    return session.get(TeamsMember, object_id)


def member_by_email(session: Session, email: str) -> TeamsMember | None:
    """The roster's member with this e-mail address (case-insensitive), the most recently seen if several."""
    statement = (
        select(TeamsMember).where(TeamsMember.email == email.lower()).order_by(TeamsMember.seen_at.desc()).limit(1)
    )
    return session.exec(statement).first()


def installed_count(session: Session) -> int:
    """How many conversations the app is installed in now (for the health check and `doctor`)."""
    statement = select(func.count()).select_from(TeamsConversation).where(TeamsConversation.removed_at.is_(None))
    return session.exec(statement).one()
