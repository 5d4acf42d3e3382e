"""The fake Bot Connector's HTTP side: routes Bot Connector REST v3 paths and upload PUTs to the fake."""

import json
import re
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

if TYPE_CHECKING:
    from bot.demo.fake_teams import FakeBotConnector

DROPPED = 0  # the status of a call whose connection the fake closed without answering


@dataclass
class Request:
    """One request as the fake received it: which operation, on what, with which body and token."""

    method: str
    path: str
    operation: str  # create, send, reply, update, members, member, channels, upload, unknown
    conversation_id: str | None = None
    item_id: str | None = None  # the activity id, member id or upload id in the path
    body: dict = field(default_factory=dict)
    raw: bytes = b""
    authorization: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Answer:
    status: int
    body: dict | list | None = None
    headers: dict[str, str] = field(default_factory=dict)


_ROUTES = [
    ("POST", re.compile(r"^/v3/conversations/?$"), "create"),
    ("POST", re.compile(r"^/v3/conversations/(?P<conversation>[^/]+)/activities/?$"), "send"),
    ("POST", re.compile(r"^/v3/conversations/(?P<conversation>[^/]+)/activities/(?P<item>[^/]+)$"), "reply"),
    ("PUT", re.compile(r"^/v3/conversations/(?P<conversation>[^/]+)/activities/(?P<item>[^/]+)$"), "update"),
    ("GET", re.compile(r"^/v3/conversations/(?P<conversation>[^/]+)/members/?$"), "members"),
    ("GET", re.compile(r"^/v3/conversations/(?P<conversation>[^/]+)/members/(?P<item>[^/]+)$"), "member"),
    ("GET", re.compile(r"^/v3/teams/(?P<item>[^/]+)/conversations/?$"), "channels"),
    ("PUT", re.compile(r"^/upload/(?P<item>[^/]+)$"), "upload"),
]


def route(method: str, path: str) -> tuple[str, str | None, str | None]:
    """The operation a method and path name, with the conversation and item ids in it (URL-decoded)."""
    for route_method, pattern, operation in _ROUTES:
        match = pattern.match(path)
        if route_method == method and match:
            groups = match.groupdict()
            conversation = groups.get("conversation")
            item = groups.get("item")
            return operation, unquote(conversation) if conversation else None, unquote(item) if item else None
    return "unknown", None, None


def handler_class(fake: "FakeBotConnector") -> type[BaseHTTPRequestHandler]:
    """A request handler that reads each request and lets `fake` answer it."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the SDK's aiohttp session expects of a real service

        def log_message(self, *args: object) -> None:
            pass

        def _request(self) -> Request:
            path = urlparse(self.path).path
            operation, conversation, item = route(self.command, path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body: dict = {}
            if raw and operation != "upload":
                try:
                    parsed = json.loads(raw)
                    body = parsed if isinstance(parsed, dict) else {"_not_an_object": parsed}
                except ValueError:
                    body = {"_unreadable": raw.decode(errors="replace")}
            return Request(
                method=self.command,
                path=path,
                operation=operation,
                conversation_id=conversation,
                item_id=item,
                body=body,
                raw=raw,
                authorization=self.headers.get("Authorization"),
                headers={key.lower(): value for key, value in self.headers.items()},
            )

        def _dispatch(self) -> None:
            request = self._request()
            answer = fake.handle(request)
            if fake.latency:
                time.sleep(fake.latency)
            if answer.status == DROPPED:
                self.close_connection = True  # no answer at all: the client sees a dropped connection
                return
            payload = b"" if answer.body is None else json.dumps(answer.body).encode()
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in answer.headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

        do_GET = _dispatch
        do_POST = _dispatch
        do_PUT = _dispatch

    return Handler
