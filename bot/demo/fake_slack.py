"""A fake Slack Web API on 127.0.0.1: records every call, keeps messages per channel, can answer 429 or 500.

Like Slack, it can rate-limit chat.postMessage per channel and across the workspace (429 with Retry-After,
nothing posted), and it can act and then fail: store the message, then answer 500 or drop the connection.
Used by the tests, `samverkan demo` and the benchmarks; it never talks to the internet.
"""

import itertools
import json
import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from bot.slack.scopes import WEB_API_SCOPES, needed_scopes

DROPPED = 0  # the status of a call whose connection the fake closed without answering


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int = 200
    acted: bool = False  # the call took effect although its answer was a failure (or none)


@dataclass
class ScriptedFailure:
    status: int
    error: str
    retry_after: int | None = None
    channel: str | None = None


@dataclass
class FailureAfterActing:
    """Act, then answer `status` (or, with `drop`, close the connection without an answer)."""

    status: int
    error: str
    drop: bool
    channel: str | None = None


@dataclass
class TokenBucket:
    """`rate` requests a second on average, `burst` at once; `wait` is how long until the next is allowed."""

    rate: float
    burst: float
    tokens: float
    updated: float

    def take(self, now: float) -> float:
        """Take one token if there is one (0.0); otherwise the seconds until there is, taking nothing."""
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = max(self.updated, now)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


@dataclass
class FakeWorkspace:
    users: dict[str, dict[str, str]] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)
    missing_channels: set[str] = field(default_factory=set)
    channels_without_bot: set[str] = field(default_factory=set)
    bot_token: str | None = None  # when set, any other token gets invalid_auth, as from Slack
    scopes: set[str] | None = None  # the token's granted scopes; None: every scope the app needs


class FakeSlack:
    """The fake server. `url` is the base URL to give WebClient (SLACK_API_URL)."""

    def __init__(self, workspace: FakeWorkspace | None = None, per_channel_rate: float | None = None):
        self.workspace = workspace or FakeWorkspace()
        self.per_channel_rate = per_channel_rate
        self.calls: list[Call] = []
        self.messages: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.responses: list[dict[str, Any]] = []
        self.uploads: dict[str, bytes] = {}
        self.shared_files: list[dict[str, Any]] = []
        self._pending_files: dict[str, dict[str, Any]] = {}
        self._failures: dict[str, deque[ScriptedFailure]] = defaultdict(deque)
        self._last_post: dict[str, float] = {}
        self._lock = threading.RLock()
        self._ts = itertools.count(1)
        self._init_load_behaviour()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
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

    # scripting ---------------------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        status: int = 500,
        error: str = "internal_error",
        times: int = 1,
        retry_after: int | None = None,
        channel: str | None = None,
    ) -> None:
        """The next `times` calls of `method` (to `channel`, if given) answer with this failure."""
        with self._lock:
            for _ in range(times):
                self._failures[method].append(ScriptedFailure(status, error, retry_after, channel))

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.messages.clear()
            self.responses.clear()
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

    def dm_channel(self, user_id: str) -> str:
        return "D" + user_id[1:]

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
            body = handler(params) if handler else {"ok": True}
            after = self._take_failure_after_acting(method, params) if body.get("ok") else None
            if after:
                self.calls.append(Call(method, params, DROPPED if after.drop else after.status, acted=True))
                return (DROPPED if after.drop else after.status), {"ok": False, "error": after.error}, {}
            self.calls.append(Call(method, params))
            return 200, body, {}

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

    def _take_failure(self, method: str, params: dict[str, Any]) -> ScriptedFailure | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        for failure in list(queue):
            if failure.channel is None or failure.channel == params.get("channel"):
                queue.remove(failure)
                return failure
        return None

    # load: rate limits, failures after acting, a clock -----------------------------------------
    def _init_load_behaviour(self) -> None:
        self.clock: Callable[[], float] | None = None
        self._workspace_bucket: TokenBucket | None = None
        self._after_acting: dict[str, deque[FailureAfterActing]] = defaultdict(deque)
        self._last_ts = 0.0

    def use_clock(self, clock: Callable[[], float]) -> None:
        """Take time (epoch seconds) from `clock`: rate limits refill by it and message ts follow it, as
        Slack's follow its own clock. Without one, rate limits follow time.monotonic and ts count up."""
        with self._lock:
            self.clock = clock

    def limit_workspace(self, per_second: float, burst: int) -> None:
        """chat.postMessage across the whole workspace: `burst` at once, then `per_second`; beyond that 429
        with Retry-After (whole seconds, as Slack sends it) and nothing posted."""
        with self._lock:
            self._workspace_bucket = TokenBucket(per_second, float(burst), float(burst), self._now())

    def fail_after_acting(
        self,
        method: str,
        status: int = 500,
        error: str = "internal_error",
        times: int = 1,
        drop: bool = False,
        channel: str | None = None,
    ) -> None:
        """The next `times` calls of `method` that succeed (to `channel`, if given) take effect, and then
        answer `status` or, with `drop`, close the connection without an answer. Give the fake the caller's
        clock (use_clock) too: the sender looks for the message by ts from the row's creation on."""
        with self._lock:
            for _ in range(times):
                self._after_acting[method].append(FailureAfterActing(status, error, drop, channel))

    def acted_but_failed(self, method: str) -> list[Call]:
        """The calls of `method` that took effect but were answered with a failure or not at all."""
        with self._lock:
            return [call for call in self.calls if call.method == method and call.acted]

    def _take_failure_after_acting(self, method: str, params: dict[str, Any]) -> FailureAfterActing | None:
        queue = self._after_acting.get(method)
        for failure in list(queue or ()):
            if failure.channel is None or failure.channel == params.get("channel"):
                queue.remove(failure)
                return failure
        return None

    def _now(self) -> float:
        return self.clock() if self.clock is not None else time.monotonic()

    def _rate_limited(self, method: str, params: dict[str, Any]) -> int:
        """Seconds the caller must wait (Retry-After), or 0 when the call may go ahead."""
        if method != "chat.postMessage":
            return 0
        now = self._now()
        channel = str(params.get("channel"))
        if self.per_channel_rate is not None:
            last = self._last_post.get(channel)
            if last is not None and now - last < 1.0 / self.per_channel_rate:
                return 1
        if self._workspace_bucket is not None:
            wait = self._workspace_bucket.take(now)
            if wait:
                return max(1, math.ceil(wait))
        if self.per_channel_rate is not None:
            self._last_post[channel] = now
        return 0

    def _next_ts(self) -> str:
        if self.clock is None:
            return f"{1_800_000_000 + next(self._ts)}.000100"
        self._last_ts = max(self.clock(), self._last_ts + 0.000001)  # unique and increasing, like Slack's
        return f"{self._last_ts:.6f}"

    def api_auth_test(self, params: dict) -> dict:
        return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "TFAKE", "team": "Fake"}

    def api_chat_postMessage(self, params: dict) -> dict:
        channel = str(params.get("channel", ""))
        if channel in self.workspace.missing_channels:
            return {"ok": False, "error": "channel_not_found"}
        if channel in self.workspace.channels_without_bot:
            return {"ok": False, "error": "not_in_channel"}
        if channel.startswith(("U", "W")):
            if self.workspace.users and channel not in self.workspace.users:
                return {"ok": False, "error": "user_not_found"}
            channel = self.dm_channel(channel)
        message = {
            "ts": self._next_ts(),
            "channel": channel,
            "text": params.get("text", ""),
            "blocks": _maybe_json(params.get("blocks")),
            "metadata": _maybe_json(params.get("metadata")),
        }
        self.messages[channel].append(message)
        return {"ok": True, "channel": channel, "ts": message["ts"], "message": message}

    def api_chat_update(self, params: dict) -> dict:
        channel, ts = str(params.get("channel")), str(params.get("ts"))
        for message in self.messages.get(channel, []):
            if message["ts"] == ts:
                message.update(text=params.get("text", ""), blocks=_maybe_json(params.get("blocks")))
                return {"ok": True, "channel": channel, "ts": ts}
        return {"ok": False, "error": "message_not_found"}

    def api_chat_postEphemeral(self, params: dict) -> dict:
        return {"ok": True, "message_ts": self._next_ts()}

    def api_conversations_open(self, params: dict) -> dict:
        user = str(params.get("users", "")).split(",")[0]
        return {"ok": True, "channel": {"id": self.dm_channel(user)}}

    def api_conversations_history(self, params: dict) -> dict:
        channel = str(params.get("channel"))
        oldest = float(params.get("oldest") or 0)
        found = [m for m in self.messages.get(channel, []) if float(m["ts"]) >= oldest]
        return {"ok": True, "messages": list(reversed(found)), "has_more": False}

    def api_conversations_info(self, params: dict) -> dict:
        channel = str(params.get("channel", ""))
        if channel in self.workspace.missing_channels:
            return {"ok": False, "error": "channel_not_found"}
        name = self.workspace.channels.get(channel, channel)
        is_member = channel not in self.workspace.channels_without_bot
        return {"ok": True, "channel": {"id": channel, "name": name, "is_member": is_member, "is_archived": False}}

    def api_users_lookupByEmail(self, params: dict) -> dict:
        email = str(params.get("email", "")).lower()
        for user_id, user in self.workspace.users.items():
            if user.get("email", "").lower() == email:
                return {"ok": True, "user": {"id": user_id, "name": user.get("name", "")}}
        return {"ok": False, "error": "users_not_found"}

    def api_users_info(self, params: dict) -> dict:
        user_id = str(params.get("user"))
        user = self.workspace.users.get(user_id)
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        profile = {"email": user.get("email")}
        deleted = user.get("deleted") == "true"
        return {"ok": True, "user": {"id": user_id, "name": user.get("name"), "deleted": deleted, "profile": profile}}

    def api_views_open(self, params: dict) -> dict:
        return {"ok": True, "view": {"id": f"V{next(self._ts)}", **(_maybe_json(params.get("view")) or {})}}

    api_views_push = api_views_open

    def api_views_update(self, params: dict) -> dict:
        return {"ok": True, "view": {"id": params.get("view_id") or "V0", **(_maybe_json(params.get("view")) or {})}}

    def api_views_publish(self, params: dict) -> dict:
        return {"ok": True, "view": {"id": f"V{next(self._ts)}"}}

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _params(self) -> dict[str, Any]:
                parsed = urlparse(self.path)
                params: dict[str, Any] = {k: v[0] for k, v in parse_qs(parsed.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if raw:
                    if "json" in (self.headers.get("Content-Type") or ""):
                        params.update(json.loads(raw))
                    else:
                        params.update({k: v[0] for k, v in parse_qs(raw.decode()).items()})
                return params

            def _answer(self, status: int, body: dict, headers: dict[str, str]) -> None:
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)

            def _dispatch(self) -> None:
                path = urlparse(self.path).path
                if path.startswith("/upload/"):
                    length = int(self.headers.get("Content-Length") or 0)
                    fake.receive_upload(path.removeprefix("/upload/"), self.rfile.read(length))
                    self._answer(200, {"ok": True}, {})
                    return
                params = self._params()
                if path.startswith("/response"):
                    with fake._lock:
                        fake.responses.append(params)
                    self._answer(200, {"ok": True}, {})
                    return
                method = path.removeprefix("/api/")
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ") or params.get("token")
                status, body, headers = fake.refusal(method, params, token) or fake.handle(method, params)
                if status == DROPPED:
                    self.close_connection = True  # acted, then no answer at all: the client sees a dropped line
                    return
                self._answer(status, body, {**headers, "x-oauth-scopes": ",".join(sorted(fake.granted_scopes()))})

            do_GET = _dispatch
            do_POST = _dispatch

        return Handler

    # file uploads (files.getUploadURLExternal, the upload URL, files.completeUploadExternal) -------
    def api_files_getUploadURLExternal(self, params: dict) -> dict:
        file_id = f"F{next(self._ts):08d}"
        self.uploads[file_id] = b""
        pending = {"filename": params.get("filename"), "length": int(params.get("length") or 0)}
        self._pending_files[file_id] = pending
        return {"ok": True, "file_id": file_id, "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}"}

    def receive_upload(self, file_id: str, content: bytes) -> None:
        with self._lock:
            self.uploads[file_id] = content

    def api_files_completeUploadExternal(self, params: dict) -> dict:
        files = _maybe_json(params.get("files")) or []
        pending = self._pending_files
        shared = []
        for entry in files:
            file_id = entry["id"]
            if file_id not in pending:
                return {"ok": False, "error": "file_not_found"}
            shared.append(
                {
                    "id": file_id,
                    "title": entry.get("title"),
                    "name": pending[file_id]["filename"],
                    "channel": params.get("channel_id"),
                    "thread_ts": params.get("thread_ts"),
                    "content": self.uploads.get(file_id, b""),
                }
            )
        self.shared_files.extend(shared)
        return {"ok": True, "files": [{"id": f["id"], "title": f["title"], "name": f["name"]} for f in shared]}

    def api_chat_getPermalink(self, params: dict) -> dict:
        channel, ts = str(params.get("channel")), str(params.get("message_ts"))
        return {
            "ok": True,
            "channel": channel,
            "permalink": f"https://fake.slack.com/archives/{channel}/p{ts.replace('.', '')}",
        }


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
