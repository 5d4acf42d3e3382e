"""The Bot Connector clients kept for the life of the loop (bot/teams/clients.py)."""

import asyncio

from bot.teams.clients import KeptClients
from bot.teams.loop import AsyncLoop

SERVICE_URL = "https://smba.trafficmanager.net/emea/"
TOKEN_SERVICE = "https://api.botframework.com"


def test_one_client_per_service_url_is_kept_until_the_token_changes():
    loop = AsyncLoop()

    async def clients() -> list:
        kept = KeptClients(loop, timeout=5.0)
        first = kept.connector(SERVICE_URL, "token-1")
        again = kept.connector(SERVICE_URL.rstrip("/"), "token-1")
        seen = [first, again, first.client.headers.get("Authorization")]
        renewed = kept.connector(SERVICE_URL, "token-2")
        seen += [renewed, renewed.client.headers.get("Authorization")]
        anonymous = kept.connector(SERVICE_URL, "")
        return [*seen, anonymous, anonymous.client.headers.get("Authorization")]

    first, again, first_header, renewed, renewed_header, anonymous, anonymous_header = loop.run(clients())
    assert again is first and first_header == "Bearer token-1"
    assert renewed is not first and renewed.client is first.client  # a new token: a new client on the same session
    assert renewed_header == "Bearer token-2"
    assert anonymous.client is first.client and anonymous_header is None  # anonymous: no token is sent
    loop.stop()


def test_the_sdk_closing_a_client_after_its_turn_leaves_the_session_open_until_the_loop_stops():
    loop = AsyncLoop()

    async def used_and_closed() -> tuple:
        kept = KeptClients(loop, timeout=5.0)
        connector = kept.connector(SERVICE_URL, "token")
        user_token = kept.user_token(TOKEN_SERVICE, "app-id")
        await connector.close()  # as the SDK does after every turn
        await user_token.close()
        assert kept.user_token(TOKEN_SERVICE, "app-id") is user_token
        return connector, user_token

    connector, user_token = loop.run(used_and_closed())
    assert not connector.client.closed and not user_token.client.closed
    loop.stop()
    assert connector.client.closed and user_token.client.closed


def test_a_session_closed_under_a_client_is_replaced():
    loop = AsyncLoop()

    async def replaced() -> bool:
        kept = KeptClients(loop, timeout=5.0)
        first = kept.connector(SERVICE_URL, "token")
        await first.client.close()
        await asyncio.sleep(0)
        second = kept.connector(SERVICE_URL, "token")
        return second is not first and not second.client.closed

    assert loop.run(replaced())
    loop.stop()
