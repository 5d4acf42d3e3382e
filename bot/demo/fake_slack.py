"""A fake Slack Web API on 127.0.0.1: records every call, keeps messages per channel, can answer 429 or 500.

Like Slack, it refuses what Slack refuses: a method it does not know (`unknown_method`), too many blocks or a
section's text too long (fake_slack_limits.py), a token without the scope. It can rate-limit chat.postMessage
per channel and across the workspace (429 with Retry-After, nothing posted), and it can act and then fail:
store the message, then answer 500 or drop the connection (fake_slack_load.py). Used by the tests,
`samverkan demo` and the benchmarks; it never talks to the internet.
"""

import threading
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any

from bot.demo.fake_slack_api import WebApiMethods
from bot.demo.fake_slack_http import DROPPED, handler_class
from bot.demo.fake_slack_limits import blocks_refusal, unknown_method
from bot.demo.fake_slack_load import LoadBehaviour
from bot.slack.scopes import WEB_API_SCOPES, needed_scopes

__all__ = ["DROPPED", "Call", "FakeSlack", "FakeWorkspace"]


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int = 200
    acted: bool = False  # the call took effect although its answer was a failure (or none)


@dataclass
class FakeWorkspace:
    users: dict[str, dict[str, str]] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)
    missing_channels: set[str] = field(default_factory=set)
    channels_without_bot: set[str] = field(default_factory=set)
    bot_token: str | None = None  # when set, any other token gets invalid_auth, as from Slack
    scopes: set[str] | None = None  # the token's granted scopes; None: every scope the app needs


class FakeSlack(LoadBehaviour, WebApiMethods):
    """The fake server. `url` is the base URL to give WebClient (SLACK_API_URL)."""

    def __init__(self, workspace: FakeWorkspace | None = None, per_channel_rate: float | None = None):
        self.workspace = workspace or FakeWorkspace()
        self.per_channel_rate = per_channel_rate
        self.calls: list[Call] = []
        self.responses: list[dict[str, Any]] = []
        self.refused_responses: list[dict[str, Any]] = []  # response_url posts refused as Slack would
        self._lock = threading.RLock()
        self._init_state()
        self._init_load_behaviour()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class(self))
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/api/"
        self.response_url = f"http://127.0.0.1:{self.port}/response"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True, name="fake-slack"
        )

    # lifecycle ---------------------------------------------------------------------------------
    def start(self) -> "FakeSlack":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "FakeSlack":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.messages.clear()
            self.responses.clear()
            self.refused_responses.clear()
            self._failures.clear()
            self._after_acting.clear()

    # inspection --------------------------------------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method and call.status == 200]

    def calls_in_order(self, *methods: str) -> list[Call]:
        """The successful calls of any of `methods`, in the order they came."""
        with self._lock:
            return [call for call in self.calls if call.method in methods and call.status == 200]

    def messages_in(self, channel: str) -> list[dict[str, Any]]:
        """The messages of one channel or DM (as they stand after any updates)."""
        with self._lock:
            return list(self.messages.get(channel, []))

    def posted(self) -> list[dict[str, Any]]:
        """Every message that reached a channel or DM, in order."""
        with self._lock:
            return sorted(
                (message for messages in self.messages.values() for message in messages),
                key=lambda message: float(message["ts"]),
            )

    # the API -----------------------------------------------------------------------------------
    def handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self._lock:
            failure = self._take_failure(method, params)
            if failure:
                self.calls.append(Call(method, params, failure.status))
                headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
                return failure.status, {"ok": False, "error": failure.error}, headers
            retry_after = self._rate_limited(method, params)
            if retry_after:
                self.calls.append(Call(method, params, 429))
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
            handler = getattr(self, "api_" + method.replace(".", "_"), None)
            body = blocks_refusal(method, params) or (handler(params) if handler else unknown_method(method))
            after = self._take_failure_after_acting(method, params) if body.get("ok") else None
            if after:
                self.calls.append(Call(method, params, DROPPED if after.drop else after.status, acted=True))
                return (DROPPED if after.drop else after.status), {"ok": False, "error": after.error}, {}
            self.calls.append(Call(method, params))
            return 200, body, {}

    def respond(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """A post to the response_url: kept in `responses`, unless Slack would refuse its blocks."""
        refusal = blocks_refusal("response_url", params)
        with self._lock:
            if refusal:
                self.refused_responses.append(params)
                return 400, refusal
            self.responses.append(params)
        return 200, {"ok": True}

    def receive_upload(self, file_id: str, content: bytes) -> None:
        with self._lock:
            self.uploads[file_id] = content

    # the token: invalid_auth, missing_scope and the granted scopes (x-oauth-scopes), as Slack answers them -------
    def granted_scopes(self) -> set[str]:
        return needed_scopes() if self.workspace.scopes is None else set(self.workspace.scopes)

    def refusal(self, method: str, params: dict[str, Any], token: str | None) -> tuple[int, dict, dict] | None:
        """Slack's answer to a call its token may not make (HTTP 200, ok false), or None to handle the call."""
        if not token:
            body = {"ok": False, "error": "not_authed"}
        elif self.workspace.bot_token is not None and token != self.workspace.bot_token:
            body = {"ok": False, "error": "invalid_auth"}
        else:
            scopes = WEB_API_SCOPES.get(method, ())
            granted = self.granted_scopes()
            if not scopes or granted & set(scopes):  # the scope for the kind of conversation is not modelled
                return None
            body = {"ok": False, "error": "missing_scope", "needed": scopes[0], "provided": ",".join(sorted(granted))}
        with self._lock:
            self.calls.append(Call(method, params))
        return 200, body, {}
