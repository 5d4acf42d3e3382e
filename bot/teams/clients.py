"""Bot Connector clients kept for the life of the loop they live on: one aiohttp session per service URL, and on it
one client per token, reused until the token changes.

The SDK's clients open a new aiohttp session and read the SDK's version from the installed packages' metadata (a
scan of sys.path, for the User-Agent) each time one is made. The SDK makes a connector and a user-token client for
every turn and closes them after it; the outbox sent through a new one for every message. The clients here close
nothing when the SDK closes them; their sessions are closed when the loop they live on stops (bot/teams/loop.py), and
they are used on that loop only.
"""

import aiohttp
from microsoft_agents.hosting.core.connector.client import UserTokenClient
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient

from bot.teams.loop import AsyncLoop


class KeptConnectorClient(TeamsConnectorClient):
    """A connector client on a kept session: the SDK's close after a turn leaves the session open."""

    async def close(self) -> None:
        return None


class KeptUserTokenClient(UserTokenClient):
    """A user-token client on a kept session: the SDK's close after a turn leaves the session open."""

    async def close(self) -> None:
        return None


class KeptClients:
    """The kept clients per service URL and token, on one loop (see the module's docstring)."""

    def __init__(self, loop: AsyncLoop, timeout: float) -> None:
        loop.at_stop(self.close)
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._sessions: dict[str, aiohttp.ClientSession] = {}
        self._connectors: dict[str, tuple[str, KeptConnectorClient]] = {}
        self._user_tokens: dict[tuple[str, str], KeptUserTokenClient] = {}

    def _session(self, endpoint: str) -> aiohttp.ClientSession:
        session = self._sessions.get(endpoint)
        if session is None or session.closed:
            session = aiohttp.ClientSession(base_url=endpoint, timeout=self._timeout)
            self._sessions[endpoint] = session
            self._connectors.pop(endpoint, None)
            self._user_tokens = {key: client for key, client in self._user_tokens.items() if key[0] != endpoint}
        return session

    def connector(self, service_url: str, token: str) -> KeptConnectorClient:
        """The connector client for the service URL with `token` ('' when anonymous: no Authorization header)."""
        endpoint = _endpoint(service_url)
        session = self._session(endpoint)
        kept = self._connectors.get(endpoint)
        if kept is not None and kept[0] == token:
            return kept[1]
        session.headers.pop("Authorization", None)  # the SDK sets it only when there is a token
        client = KeptConnectorClient(endpoint, token, session=session)
        self._connectors[endpoint] = (token, client)
        return client

    def user_token(self, endpoint: str, app_id: str) -> KeptUserTokenClient:
        """The user-token client for the token service at `endpoint`, for the app `app_id`, without a token (it
        fetches none: the app has no sign-in flows)."""
        endpoint = _endpoint(endpoint)
        session = self._session(endpoint)
        key = (endpoint, app_id)
        client = self._user_tokens.get(key)
        if client is None:
            client = KeptUserTokenClient(endpoint, "", app_id=app_id, session=session)
            self._user_tokens[key] = client
        return client

    async def close(self) -> None:
        """Close every session (the loop is stopping)."""
        for session in self._sessions.values():
            await session.close()
        self._sessions.clear()
        self._connectors.clear()
        self._user_tokens.clear()


def _endpoint(service_url: str) -> str:
    return service_url if service_url.endswith("/") else service_url + "/"
