"""Teams' side of sending the outbox: proactive posts and updates through the stored conversation references,
the 1:1 conversation created for a person known from a team's roster, and file consent cards for files.

Teams keeps no message metadata a bot can search, so a post that may have gone through before a crash cannot be
found again: `find_posted` cannot tell, and the neutral sender posts it again (at least once, see README).
"""

import logging
from dataclasses import replace
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.delivery.platform import Failure, Lookup, Posted, SendError, Senders
from bot.people import EMAIL_PREFIX, TEAMS_USER_PREFIX, teams_user_address
from bot.settings import Settings
from bot.teams.connector import BotConnector
from bot.teams.files import consent_activity
from bot.teams.installs import PERSONAL
from bot.teams.loop import AsyncLoop
from bot.teams.tokens import token_source
from messages.message import File, Message
from messages.teams.card import message_activity
from storage import teams
from storage.engine import session_scope
from storage.outbox import Delivery
from storage.platform import Platform
from storage.teams import TeamsConversation

log = logging.getLogger(__name__)

GONE = ("teams_not_installed", "teams_bot_removed", "teams_blocked")  # the app may no longer post there


def not_in_channel() -> SendError:
    """A channel whose team does not have the app."""
    return SendError("teams_not_installed", Failure.PERMANENT)


def not_for_person() -> SendError:
    """A person the app has no chat with and cannot start one with (in no team with the app, or unknown)."""
    return SendError("teams_user_not_installed", Failure.PERMANENT)


def app_removed() -> SendError:
    """A person who removed the app from their personal chat (until they add it again)."""
    return SendError("teams_app_removed", Failure.PERMANENT)


def _installed_in_tenant(session: Session, tenant_id: str | None) -> TeamsConversation | None:
    """A conversation the app is installed in within the tenant (it gives the bot's own id there)."""
    statement = select(TeamsConversation).where(
        TeamsConversation.tenant_id == tenant_id, TeamsConversation.removed_at.is_(None)
    )
    return session.exec(statement.limit(1)).first()


class TeamsSender:
    """The Bot Connector behind bot.delivery.platform.PlatformSender."""

    def __init__(self, engine: Engine, connector: BotConnector):
        self.engine = engine
        self.connector = connector

    def conversation(self, address: str, now: datetime) -> TeamsConversation:
        """The installed conversation reaching an outbox address; a person's 1:1 chat is created (and stored) when
        the roster knows them from a team the app is in. A channel without the app is teams_not_installed, a
        person who removed the app teams_app_removed, a person the app cannot reach teams_user_not_installed
        (permanent SendErrors)."""
        with session_scope(self.engine, reading=True) as session:
            if address.startswith(EMAIL_PREFIX):
                member = teams.member_by_email(session, address.removeprefix(EMAIL_PREFIX))
                if member is None:
                    raise not_for_person()
                address = teams_user_address(member.object_id)
            found = teams.conversation_at(session, address)
            if found is not None:
                return found
            if not address.startswith(TEAMS_USER_PREFIX):
                raise not_in_channel()
            if teams.removed_at(session, address) is not None:  # they removed the app: no new chat behind their back
                raise app_removed()
            member = teams.member_by_object_id(session, address.removeprefix(TEAMS_USER_PREFIX))
            install = _installed_in_tenant(session, member.tenant_id) if member else None
            if member is None or install is None:
                raise not_for_person()
        try:
            conversation_id = self.connector.create_personal(
                member.service_url, member.tenant_id, install.bot_id, member.user_id
            )
        except SendError as exc:
            if exc.code in GONE:  # Teams will not let the bot reach this user
                raise not_for_person() from exc
            raise
        created = TeamsConversation(
            address=address,
            conversation_id=conversation_id,
            service_url=member.service_url,
            tenant_id=member.tenant_id,
            bot_id=install.bot_id,
            kind=PERSONAL,
            installed_at=now,
        )
        with session_scope(self.engine) as session:
            teams.save_conversation(session, created)
        log.info("created the personal chat with Teams user %s (from the roster)", member.object_id)
        return created

    def _gone(self, address: str, exc: SendError, now: datetime) -> None:
        """Forget a conversation Teams says the app is not in, so later rows fail without a call."""
        if exc.code in GONE:
            with session_scope(self.engine) as session:
                teams.mark_removed(session, address, now)

    def post(self, row: Delivery, message: Message, now: datetime) -> Posted:
        conversation = self.conversation(row.address, now)
        if conversation.kind != PERSONAL:  # no file consent cards follow in a channel: the card does not name them
            message = replace(message, files=())
        try:
            activity_id = self.connector.send(
                conversation.service_url, conversation.conversation_id, message_activity(message)
            )
        except SendError as exc:
            self._gone(conversation.address, exc, now)
            raise
        return Posted(conversation.conversation_id, activity_id)

    def update(self, row: Delivery, posted: Posted, message: Message) -> None:
        """PUT the message in place of the activity posted before (through the row's address's service URL)."""
        conversation = self.conversation(row.address, row.created_at)
        try:
            self.connector.update(conversation.service_url, posted.conversation, posted.id, message_activity(message))
        except SendError as exc:
            self._gone(conversation.address, exc, row.created_at)
            raise

    def find_posted(self, row: Delivery, now: datetime) -> Lookup:
        """Teams has no history a bot can search for the row's id."""
        return Lookup.CANNOT_TELL

    def upload(self, posted: Posted, files: tuple[File, ...]) -> None:
        """A file consent card per file in the personal chat the message went to (found by its conversation id: the
        row's address may be the person's e-mail); the user's accept uploads it (handlers/teams/files.py). Teams
        lets a bot send files only in a personal chat."""
        with session_scope(self.engine) as session:
            statement = select(Delivery).where(
                Delivery.posted_conversation == posted.conversation, Delivery.posted_id == posted.id
            )
            row = session.exec(statement).first()
            conversation = teams.conversation_by_id(session, posted.conversation)
        if row is None or conversation is None:
            raise SendError("teams_not_installed", Failure.PERMANENT)
        if conversation.kind != PERSONAL:
            raise SendError("teams_files_in_channel", Failure.PERMANENT)
        for index, file in enumerate(files):
            self.connector.send(
                conversation.service_url, conversation.conversation_id, consent_activity(row.id, index, file)
            )


def teams_senders(engine: Engine, settings: Settings, loop: AsyncLoop) -> Senders:
    """The senders by platform, Teams' through the Bot Connector with the app's token (none when anonymous)."""
    return {Platform.TEAMS: TeamsSender(engine, BotConnector(loop, token_source(settings)))}
