"""The Bot Connector calls the outbox makes (send, update, create a 1:1 conversation), with the SDK's
ConnectorClient on the process's asyncio loop, and Teams' answers sorted into what the sender does about them.

Teams asks bots to retry 429 (after Retry-After), 412, 502 and 504. A 429 or 412 was refused before anything was
posted; a 5xx, a timeout or a dropped connection may have posted all the same (uncertain); a connection that was
never made posted nothing. 404 ConversationNotFound and 403 BotNotInConversationRoster mean the app is not (or no
longer) installed there, 403 ConversationBlockedByUser or MessageWritesBlocked that the user blocked the bot (or
the thread is closed), 403 BotDisabledByAdmin that an admin turned the app off, 401 that the token was refused,
413 that the message is too large: retrying will not help.
"""

import json
import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from typing import TypeVar

import aiohttp
from microsoft_agents.activity import Activity, ChannelAccount, ConversationParameters
from microsoft_agents.hosting.core.connector.client import ConnectorClient

from bot.delivery.platform import Failure, SendError
from bot.teams.clients import KeptClients
from bot.teams.loop import AsyncLoop
from bot.teams.tokens import TokenSource

log = logging.getLogger(__name__)

T = TypeVar("T")
CALL_TIMEOUT = 30.0  # seconds for one call, answer included


def _error_code(exc: aiohttp.ClientResponseError) -> str:
    """The service's error code from the body the SDK put in the exception's message, '' when there is none."""
    try:
        body = json.loads(exc.message)
    except (TypeError, ValueError):
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    return str(error.get("code") or "") if isinstance(error, dict) else ""


def _retry_after(headers: Mapping[str, str] | None) -> float:
    """Retry-After in seconds (Teams gives seconds); 1 when it is missing or not a number."""
    try:
        return max(float((headers or {}).get("Retry-After", "1")), 1.0)
    except ValueError:
        return 1.0


def send_error(exc: aiohttp.ClientResponseError) -> SendError:
    """A Bot Connector error answer as the sender's SendError."""
    status, code = exc.status, _error_code(exc)
    if status == 429:
        return SendError("ratelimited", Failure.RATE_LIMITED, _retry_after(exc.headers))
    if status == 412:
        return SendError("teams_busy", Failure.RETRY)
    if status >= 500:
        return SendError("teams_server_error", Failure.UNCERTAIN)
    if status == 413:
        return SendError("teams_too_large", Failure.PERMANENT)
    if code == "BotNotInConversationRoster":
        return SendError("teams_bot_removed", Failure.PERMANENT)
    if code in ("ConversationBlockedByUser", "MessageWritesBlocked"):
        return SendError("teams_blocked", Failure.PERMANENT)
    if code == "BotDisabledByAdmin":
        return SendError("teams_disabled_by_admin", Failure.PERMANENT)
    if code == "ConversationNotFound":
        return SendError("teams_not_installed", Failure.PERMANENT)
    if code == "ActivityNotFound":
        return SendError("message_not_found", Failure.PERMANENT)
    if status == 401:
        return SendError("teams_unauthorized", Failure.PERMANENT)
    if status == 403:
        return SendError("teams_forbidden", Failure.PERMANENT)
    if status == 404:
        return SendError("teams_not_installed", Failure.PERMANENT)
    return SendError("teams_bad_request", Failure.PERMANENT)


@contextmanager
def _connector_errors(what: str) -> Iterator[None]:
    """Every failure of a Bot Connector call as a SendError, logged for the operator (never with the token)."""
    try:
        yield
    except SendError:
        raise
    except aiohttp.ClientResponseError as exc:
        error = send_error(exc)
        level = logging.WARNING if error.failure != Failure.PERMANENT else logging.ERROR
        log.log(level, "Teams %s: HTTP %s %s -> %s", what, exc.status, _error_code(exc) or "", error.code)
        if error.code == "teams_unauthorized":
            log.error("Teams refused the app's token: check TEAMS_APP_ID, TEAMS_APP_PASSWORD and TEAMS_TENANT_ID")
        raise error from exc
    except aiohttp.ClientConnectorError as exc:  # no connection was made: nothing was posted
        log.warning("Teams %s: cannot connect (%s), will retry", what, exc)
        raise SendError("teams_connection_error", Failure.RETRY) from exc
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        log.warning("Teams %s: connection lost or timed out (%s), will retry", what, type(exc).__name__)
        raise SendError("teams_connection_error", Failure.UNCERTAIN) from exc


class BotConnector:
    """Bot Connector REST calls from sync code: each runs on `loop`, through the clients kept for the life of the
    loop (bot/teams/clients.py)."""

    def __init__(self, loop: AsyncLoop, token: TokenSource, timeout: float = CALL_TIMEOUT):
        self.loop = loop
        self.token = token
        self.timeout = timeout
        self._clients = KeptClients(loop, timeout)

    async def _client(self, service_url: str) -> ConnectorClient:
        """The service URL's kept client, with a fresh token (MSAL's cache makes that cheap)."""
        return self._clients.connector(service_url, await self.token())

    def _run(self, what: str, call: Callable[[], Awaitable[T]]) -> T:
        async def guarded() -> T:
            with _connector_errors(what):
                return await call()

        try:
            return self.loop.run(guarded(), timeout=self.timeout + 5)
        except FutureTimeout as exc:
            log.warning("Teams %s: no answer in %s s, will retry", what, self.timeout + 5)
            raise SendError("teams_connection_error", Failure.UNCERTAIN) from exc

    def send(self, service_url: str, conversation_id: str, activity: dict) -> str:
        """Post `activity` to the conversation; the new activity's id."""

        async def call() -> str:
            client = await self._client(service_url)
            response = await client.conversations.send_to_conversation(
                conversation_id, Activity.model_validate(activity)
            )
            return response.id

        return self._run("send", call)

    def update(self, service_url: str, conversation_id: str, activity_id: str, activity: dict) -> None:
        """Replace the activity `activity_id` with `activity`."""

        async def call() -> None:
            client = await self._client(service_url)
            body = Activity.model_validate({**activity, "id": activity_id})
            await client.conversations.update_activity(conversation_id, activity_id, body)

        self._run("update", call)

    def create_personal(self, service_url: str, tenant_id: str | None, bot_id: str, user_id: str) -> str:
        """The 1:1 conversation between the bot and the user `user_id` (29:...), created or found by Teams."""

        async def call() -> str:
            client = await self._client(service_url)
            parameters = ConversationParameters(
                is_group=False,
                bot=ChannelAccount(id=bot_id),
                members=[ChannelAccount(id=user_id)],
                tenant_id=tenant_id,
                channel_data={"tenant": {"id": tenant_id}},
            )
            response = await client.conversations.create_conversation(parameters)
            return response.id

        return self._run("create conversation", call)
