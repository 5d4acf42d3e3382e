"""The baseline of the Teams ack benchmark: a bare Agents SDK app that only replies, served by aiohttp on 127.0.0.1.

It is the SDK's own hosting as its samples use it (CloudAdapter, AgentApplication, the JWT middleware), anonymous
(no token is checked on either side of the benchmark): a message gets one text reply, a card's Action.Execute of
`verb` a fixed 200 invoke response. The server runs on its own event loop in a daemon thread; the benchmark starts
it in a process of its own (`serve_bare_agent`, bench/apart.py).
"""

import asyncio
import logging
import threading

from aiohttp import web
from microsoft_agents.activity import AdaptiveCardInvokeResponse
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_middleware, start_agent_process
from microsoft_agents.hosting.core import (
    AgentApplication,
    AgentAuthConfiguration,
    ApplicationOptions,
    MemoryStorage,
    TurnContext,
    TurnState,
)

CONNECTION = "SERVICE_CONNECTION"
REPLY = "ok"
MESSAGE_CONTENT = "application/vnd.microsoft.activity.message"


def bare_agent(verb: str) -> tuple[AgentApplication[TurnState], CloudAdapter, AgentAuthConfiguration]:
    """The app, its adapter and the anonymous auth configuration its middleware reads."""
    auth = AgentAuthConfiguration(anonymous_allowed=True, connection_name=CONNECTION)
    connections = MsalConnectionManager(connections_configurations={CONNECTION: auth})
    adapter = CloudAdapter(connection_manager=connections)
    options = ApplicationOptions(storage=MemoryStorage(), adapter=adapter, bot_app_id="", start_typing_timer=False)
    app: AgentApplication[TurnState] = AgentApplication(options, connection_manager=connections)

    @app.activity("message")
    async def reply(context: TurnContext, state: TurnState) -> None:
        await context.send_activity(REPLY)

    @app.adaptive_card.action_execute(verb)
    async def executed(context: TurnContext, state: TurnState, data: object) -> AdaptiveCardInvokeResponse:
        return AdaptiveCardInvokeResponse(status_code=200, type=MESSAGE_CONTENT, value=REPLY)

    return app, adapter, auth


class BareAgentServer:
    """The bare app behind aiohttp on a free loopback port, on an event loop of its own in a daemon thread."""

    def __init__(self, verb: str) -> None:
        self._agent, self._adapter, self._auth = bare_agent(verb)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="bare-agent")
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def _messages(self, request: web.Request) -> web.StreamResponse:
        return await start_agent_process(request, self._agent, self._adapter)

    async def _start(self) -> str:
        app = web.Application(middlewares=[jwt_authorization_middleware])
        app["agent_configuration"] = self._auth
        app.router.add_post("/api/messages", self._messages)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = site._server.sockets[0].getsockname()[:2]  # the port the OS chose
        return f"http://{host}:{port}"

    def start(self) -> "BareAgentServer":
        self._thread.start()
        self.url = asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)


def serve_bare_agent(verb: str) -> BareAgentServer:
    """The bare app started, quiet: its SDK warns on every turn that its user-token client has no app id (anonymous,
    as intended)."""
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("microsoft_agents.hosting.core.connector.client.user_token_client").setLevel(logging.ERROR)
    return BareAgentServer(verb).start()
