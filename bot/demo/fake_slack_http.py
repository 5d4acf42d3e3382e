"""The fake Slack's HTTP side: the Web API under /api/, response_url posts under /response, file uploads."""

import json
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlparse

if TYPE_CHECKING:
    from bot.demo.fake_slack import FakeSlack

DROPPED = 0  # the status of a call whose connection the fake closed without answering


def handler_class(fake: "FakeSlack") -> type[BaseHTTPRequestHandler]:
    """A request handler that reads each request's arguments and lets `fake` answer it."""

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
                status, body = fake.respond(params)
                self._answer(status, body, {})
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
