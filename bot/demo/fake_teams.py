"""A fake Bot Connector service on 127.0.0.1: the Teams side of proactive messages, for tests and the demo.

It serves Bot Connector REST v3 (create a 1:1 conversation, send, reply, update, the roster, a team's channels)
at `url`, the service URL a conversation reference carries, and OneDrive upload sessions for file consent at
`upload_url()`.
Tests install the app with `add_personal` and `add_channel`; the fake knows only those conversations and
refuses the rest as Teams does (fake_teams_api.py). It records every call, can answer 429 (with Retry-After),
412 and 5xx or drop the connection, before or after acting (`fail_next`), and with `require_token` it wants
`Authorization: Bearer <token>` as the real service does (401 otherwise). It never talks to the internet.
"""

import sys
import threading
from dataclasses import dataclass
from http.server import ThreadingHTTPServer

from bot.demo.fake_teams_api import (
    REFUSALS,
    ConnectorOperations,
    FakeConversation,
    FakeMember,
    error,
    personal_conversation_id,
    user_id,
)
from bot.demo.fake_teams_http import DROPPED, Answer, Request, handler_class

__all__ = ["DROPPED", "Call", "FakeBotConnector", "FakeConversation", "FakeMember", "personal_conversation_id"]

TENANT = "72f988bf-0000-4000-8000-00000000c0de"  # as bot/demo/teams_activities.py gives it


@dataclass
class Call:
    """A request the fake answered: `status` DROPPED when it closed the connection instead."""

    method: str
    path: str
    operation: str
    conversation_id: str | None
    body: dict
    authorization: str | None
    status: int
    acted: bool  # the call took effect (whatever its answer)


@dataclass
class Failure:
    status: int
    times: int
    retry_after: float | None
    drop_connection: bool
    after_acting: bool
    operation: str | None
    conversation_id: str | None

    def matches(self, request: Request) -> bool:
        return (self.operation is None or self.operation == request.operation) and (
            self.conversation_id is None or self.conversation_id == request.conversation_id
        )


class FakeBotConnector(ConnectorOperations):
    """The fake service; `url` is the service URL to store in conversation references."""

    def __init__(self, require_token: str | None = None, latency: float = 0.0, tenant_id: str = TENANT):
        self.require_token = require_token
        self.latency = latency
        self.tenant_id = tenant_id
        self.calls: list[Call] = []
        self._failures: list[Failure] = []
        self._lock = threading.RLock()
        self._init_state()
        self._server = _QuietServer(("127.0.0.1", 0), handler_class(self))
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True, name="fake-teams"
        )

    # lifecycle ---------------------------------------------------------------------------------
    def start(self) -> "FakeBotConnector":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "FakeBotConnector":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # installing the app ------------------------------------------------------------------------
    def add_member(self, object_id: str, email: str, name: str) -> FakeMember:
        """A user of the tenant the bot may know of (from a team's roster) without a personal chat yet."""
        with self._lock:
            member = FakeMember(user_id(object_id), object_id, email, name, self.tenant_id)
            self.members[member.id] = member
            return member

    def add_personal(self, object_id: str, email: str, name: str) -> FakeConversation:
        """The app installed in a user's personal scope: their 1:1 conversation with the bot."""
        with self._lock:
            member = self.add_member(object_id, email, name)
            conversation = FakeConversation(personal_conversation_id(object_id), "personal", self.tenant_id, [member])
            self.conversations[conversation.id] = conversation
            return conversation

    def add_channel(self, channel_id: str, team_id: str, members: tuple[FakeMember, ...] = ()) -> FakeConversation:
        """The app installed in a team: its channel `channel_id` is a conversation with the team's members."""
        with self._lock:
            conversation = FakeConversation(channel_id, "channel", self.tenant_id, list(members), team_id)
            self.conversations[channel_id] = conversation
            return conversation

    def remove_bot(self, conversation_id: str, code: str = "BotNotInConversationRoster") -> None:
        """The app uninstalled there (or blocked, or disabled: `code` is one of REFUSALS): every call about the
        conversation is refused with 403 `code` from now on."""
        if code not in REFUSALS:
            raise ValueError(f"Teams refuses a conversation with one of {sorted(REFUSALS)}, not {code}")
        with self._lock:
            self.conversations[conversation_id].refusal = code

    def upload_url(self, name: str) -> str:
        """A new OneDrive upload session for a file consent card's `uploadInfo.uploadUrl`."""
        with self._lock:
            upload_id = f"{next(self._ids)}-{name}"
            self.uploads[upload_id] = b""
            return f"{self.url}upload/{upload_id}"

    def uploaded(self) -> dict[str, bytes]:
        """The completed uploads by upload session (id-filename)."""
        with self._lock:
            return {upload_id: content for upload_id, content in self.uploads.items() if content}

    # failures ----------------------------------------------------------------------------------
    def fail_next(
        self,
        status: int,
        times: int = 1,
        retry_after: float | None = None,
        drop_connection: bool = False,
        *,
        after_acting: bool = False,
        operation: str | None = None,
        conversation_id: str | None = None,
    ) -> None:
        """Answer the next `times` matching calls with `status` (or drop the connection), without acting, or,
        with `after_acting`, after doing what was asked (a post that went through behind a 502)."""
        with self._lock:
            self._failures.append(
                Failure(status, times, retry_after, drop_connection, after_acting, operation, conversation_id)
            )

    def _take_failure(self, request: Request, after_acting: bool) -> Failure | None:
        for failure in self._failures:
            if failure.after_acting == after_acting and failure.matches(request):
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                return failure
        return None

    @staticmethod
    def _failed(failure: Failure) -> Answer:
        if failure.drop_connection:
            return Answer(DROPPED)
        headers = {"Retry-After": f"{failure.retry_after:g}"} if failure.retry_after is not None else {}
        codes = {429: "TooManyRequests", 412: "PreconditionFailed", 502: "BadGateway", 504: "GatewayTimeout"}
        answer = error(failure.status, codes.get(failure.status, "ServiceError"), "Injected failure")
        return Answer(failure.status, answer.body, headers)

    # the service -------------------------------------------------------------------------------
    def handle(self, request: Request) -> Answer:
        """Answer one request as Teams would, and record it."""
        with self._lock:
            answer, acted = self._answer(request)
            call = Call(
                request.method,
                request.path,
                request.operation,
                request.conversation_id,
                request.body,
                request.authorization,
                answer.status,
                acted,
            )
            self.calls.append(call)
            return answer

    def _answer(self, request: Request) -> tuple[Answer, bool]:
        if request.operation != "upload" and self.require_token is not None:
            if request.authorization != f"Bearer {self.require_token}":
                return Answer(401, {"message": "Authorization has been denied for this request."}), False
        failure = self._take_failure(request, after_acting=False)
        if failure:
            return self._failed(failure), False
        operation = getattr(self, f"op_{request.operation}", None)
        if operation is None:
            return error(404, "NotFound", f"No such operation: {request.method} {request.path}"), False
        answer = operation(request)
        acted = answer.status < 300
        failure = self._take_failure(request, after_acting=True) if acted else None
        return (self._failed(failure) if failure else answer), acted

    # inspection --------------------------------------------------------------------------------
    def calls_to(self, operation: str, conversation_id: str | None = None) -> list[Call]:
        """The calls of one operation (send, reply, update, create, members, member, upload), in order."""
        with self._lock:
            return [
                call
                for call in self.calls
                if call.operation == operation and conversation_id in (None, call.conversation_id)
            ]

    def sent(self, conversation_id: str | None = None) -> list[dict]:
        """The activities that reached a conversation (sends and replies), in order, as they stand now."""
        with self._lock:
            conversations = [self.conversations[conversation_id]] if conversation_id else self.conversations.values()
            activities = [activity for conversation in conversations for activity in conversation.activities]
            return sorted(activities, key=lambda activity: int(activity["id"].rsplit("-", 1)[1]))

    def updates(self) -> list[Call]:
        """The update (PUT) calls that replaced an activity."""
        with self._lock:
            return [call for call in self.calls if call.operation == "update" and call.acted]


class _QuietServer(ThreadingHTTPServer):
    """A client that drops its connection (as the sender's timeouts and the injected drops do) is no error."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)
