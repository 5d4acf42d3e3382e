"""Wiring the Teams app: the Agents SDK's AgentApplication with the Teams extension, every handler, and an adapter
that runs one request's activity through it."""

import logging
from dataclasses import dataclass

from microsoft_agents.activity import Channels
from microsoft_agents.hosting.core import (
    AgentApplication,
    ApplicationOptions,
    ChannelServiceClientFactoryBase,
    HttpAdapterBase,
    MemoryStorage,
    TurnContext,
    TurnState,
)
from microsoft_agents.hosting.core.authorization import AuthenticationConstants, ClaimsIdentity
from microsoft_agents.hosting.core.connector import ConnectorClientBase
from microsoft_agents.hosting.core.connector.client import UserTokenClient
from microsoft_agents.hosting.msteams import TeamsAgentExtension
from microsoft_teams.api.models.channel_data import ChannelData

from bot.runtime import Runtime
from bot.teams.auth import Authenticator, connection_manager
from bot.teams.clients import KeptClients
from bot.teams.connector import CALL_TIMEOUT
from bot.teams.loop import AsyncLoop
from bot.teams.tokens import TokenSource, token_source
from handlers.teams import register_all

log = logging.getLogger(__name__)
ANONYMOUS_APP = "anonymous"  # the user-token client's app id when the request carried none (it is never used)


class ConnectorFactory(ChannelServiceClientFactoryBase):
    """The clients a turn gets: a Bot Connector client at the activity's serviceUrl with the app's token (none for
    an anonymous request), and a user-token client that never fetches a token (the app has no sign-in flows; the
    SDK's own factory would ask Entra ID for one on every turn). Both are kept from turn to turn
    (bot/teams/clients.py), where the SDK's factory makes new ones each time."""

    def __init__(self, loop: AsyncLoop, token: TokenSource) -> None:
        self._token = token
        self._clients = KeptClients(loop, CALL_TIMEOUT)

    async def create_connector_client(
        self,
        context: TurnContext | None,
        claims_identity: ClaimsIdentity,
        service_url: str,
        audience: str,
        scopes: list[str] | None = None,
        use_anonymous: bool = False,
    ) -> ConnectorClientBase:
        return self._clients.connector(service_url, "" if use_anonymous else await self._token())

    async def create_user_token_client(
        self, context: TurnContext, claims_identity: ClaimsIdentity, use_anonymous: bool = False
    ) -> UserTokenClient:
        app_id = claims_identity.get_app_id() or ANONYMOUS_APP
        return self._clients.user_token(AuthenticationConstants.AGENTS_SDK_OAUTH_URL, app_id)


class TeamsExtension(TeamsAgentExtension[TurnState]):
    """The SDK's Teams routes, without the Teams API client the SDK's extension builds (an httpx client) before
    every turn and closes after it: nothing of ours calls that client (our sends go through bot/teams/connector.py),
    so before a turn only the activity's channelData is read as Teams' ChannelData, as the SDK's own hook does."""

    def _configure_app(self) -> None:
        async def read_channel_data(context: TurnContext, state: TurnState) -> bool:
            data = context.activity.channel_data
            if context.activity.channel_id == Channels.ms_teams and isinstance(data, dict):
                context.activity.channel_data = ChannelData.model_validate(data)
            return True

        self._app.before_turn(read_channel_data)


class TeamsAdapter(HttpAdapterBase):
    """The SDK's framework-neutral HTTP adapter; replies to normal messages go out through the Bot Connector at
    the activity's serviceUrl, those to `expectReplies` messages and invokes come back in the HTTP response."""

    def __init__(self, loop: AsyncLoop, token: TokenSource) -> None:
        super().__init__(channel_service_client_factory=ConnectorFactory(loop, token))

        async def on_turn_error(context: TurnContext, error: Exception) -> None:
            log.error("a Teams turn failed outside the handlers (%s)", context.activity.type, exc_info=error)

        self.on_turn_error = on_turn_error


@dataclass(frozen=True)
class TeamsApp:
    """The Teams side of the process: the SDK app, its Teams routes, the adapter and the token check."""

    app: AgentApplication[TurnState]
    teams: TeamsAgentExtension[TurnState]
    adapter: TeamsAdapter
    authenticator: Authenticator


def build_teams_app(runtime: Runtime, jwks_url: str | None = None, token: TokenSource | None = None) -> TeamsApp:
    """The SDK app with every handler registered. Tests replace the Bot Framework's keys (`jwks_url`) and the
    app's token for the Bot Connector (`token`)."""
    loop = runtime.loop
    if loop is None:
        raise ValueError("the runtime has no AsyncLoop: Teams is not enabled in its configuration")
    options = ApplicationOptions(
        storage=MemoryStorage(),  # nothing of ours lives in the SDK's turn state: the database holds it
        bot_app_id=runtime.settings.teams_app_id or "",
        start_typing_timer=False,  # every reply is quick; a typing indicator would be one more call per message
    )
    connections = connection_manager(runtime.settings)
    app: AgentApplication[TurnState] = AgentApplication(options, connection_manager=connections)
    teams = TeamsExtension(app)
    register_all(app, teams, runtime)
    return TeamsApp(
        app=app,
        teams=teams,
        adapter=TeamsAdapter(loop, token or token_source(runtime.settings)),
        authenticator=Authenticator(runtime.settings, jwks_url),
    )
