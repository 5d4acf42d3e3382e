"""Installing and removing the app: the conversation references and the roster that proactive sends need.

Teams tells us in an installationUpdate (add / remove) and in a conversationUpdate (the bot among the members
added or removed); both are handled, and storing twice is harmless. A new personal chat gets the Swedish welcome
once, with the person's view ("my tasks"). The members of the conversation (with their e-mail) and a team's
channels come from the Bot Connector when it is at hand; without them the conversation itself is still stored.
"""

import asyncio
import logging

from microsoft_agents.activity import ChannelAccount
from microsoft_agents.hosting.core import AgentApplication, TurnContext, TurnState
from microsoft_agents.hosting.core.connector import ConnectorClientBase
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient
from microsoft_agents.hosting.msteams import TeamsAgentExtension

from bot.home.cache import home_view
from bot.runtime import Runtime
from bot.teams.installs import CHANNEL, PERSONAL, place_of, record_install, record_members, record_removal
from handlers.teams.actor import person_of
from handlers.teams.replies import reply_card
from handlers.teams.reply import send_text
from messages.render import render
from messages.teams.home import home_card

log = logging.getLogger(__name__)
ADDED, REMOVED = ("add", "add-upgrade"), ("remove", "remove-upgrade")


def register(app: AgentApplication, teams: TeamsAgentExtension, runtime: Runtime) -> None:
    @app.installation_update()
    async def installation_update(context: TurnContext, state: TurnState) -> None:
        action = context.activity.action
        if action in ADDED:
            await installed(context, runtime)
        elif action in REMOVED:
            await removed(context, runtime)
        else:
            log.info("ignored an installationUpdate with action %r", action)

    @app.conversation_update("membersAdded")
    async def members_added(context: TurnContext, state: TurnState) -> None:
        if _includes_bot(context, context.activity.members_added):
            await installed(context, runtime)
        else:
            now = runtime.clock.now()
            await asyncio.to_thread(
                record_members, runtime.engine, context.activity, context.activity.members_added, now
            )

    @app.conversation_update("membersRemoved")
    async def members_removed(context: TurnContext, state: TurnState) -> None:
        if _includes_bot(context, context.activity.members_removed):
            await removed(context, runtime)


async def installed(context: TurnContext, runtime: Runtime) -> None:
    """Store where the app now is and who is there; welcome a person in a new personal chat."""
    activity = context.activity
    place = place_of(activity)
    if place.address is None:
        log.warning("the app was added to a personal chat with a user Teams gave no object id; nothing stored")
        return
    channels = await _channel_ids(context, place.team_id) if place.kind == CHANNEL and place.team_id else []
    members = await _members(context)
    now = runtime.clock.now()
    new = await asyncio.to_thread(record_install, runtime.engine, activity, channels, members, now)
    log.info("Teams app installed at %s (%d new, %d members)", ", ".join(new) or place.address, len(new), len(members))
    if place.kind == PERSONAL and new:
        await send_text(context, render("teams_welcome"))
        person = await person_of(context, runtime)
        parts = await asyncio.to_thread(home_view, runtime.engine, runtime.config, person, now)
        await reply_card(context, home_card(parts), parts[0].text)


async def removed(context: TurnContext, runtime: Runtime) -> None:
    """Mark the references removed: nothing more is posted there."""
    addresses = await asyncio.to_thread(record_removal, runtime.engine, context.activity, runtime.clock.now())
    log.info("Teams app removed from %s", ", ".join(addresses) or "a conversation it had no reference for")


def _includes_bot(context: TurnContext, accounts: list[ChannelAccount] | None) -> bool:
    bot = context.activity.recipient.id if context.activity.recipient else None
    return bool(bot) and any(account.id == bot for account in accounts or [])


async def _members(context: TurnContext) -> list[ChannelAccount]:
    """The conversation's members with their e-mail (GET .../members); none without the Bot Connector."""
    connector = context.services.get(ConnectorClientBase)
    if connector is None:
        return []
    try:
        return await connector.conversations.get_conversation_members(context.activity.conversation.id)
    except Exception as error:  # noqa: BLE001 - the roster can be filled in later; the install itself must stand
        log.warning("could not read the members of a Teams conversation (%s)", type(error).__name__)
        return []


async def _channel_ids(context: TurnContext, team_id: str) -> list[str]:
    """The ids of the team's channels (GET v3/teams/{id}/conversations); none without the Bot Connector."""
    connector = context.services.get(ConnectorClientBase)
    if not isinstance(connector, TeamsConnectorClient):
        return []
    try:
        return [channel.id for channel in await connector.fetch_channel_list(team_id) if channel.id]
    except Exception as error:  # noqa: BLE001 - the channel the app was added in is stored all the same
        log.warning("could not list the channels of a Teams team (%s)", type(error).__name__)
        return []
