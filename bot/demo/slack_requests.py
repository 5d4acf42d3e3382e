"""Signed requests to the app's /slack/events, as Slack sends them (v0 HMAC-SHA256); payloads.py builds them."""

import hashlib
import hmac
import json
import time
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode

from bot.clock import Clock
from bot.demo.payloads import event_callback, slash_command
from bot.listener_work import ListenerWork


def signature(secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class SlackRequester:
    """Posts commands, interactions and events to `app_url` signed with `secret`, stamped with the time of
    `clock` (the app's own clock in tests and the demo, so that the app's 5-minute window holds) or the system's.

    `idle()` waits for what the app does after acknowledging (its `listener_work`): the one way to wait for it."""

    def __init__(
        self,
        app_url: str,
        secret: str,
        response_url: str = "http://127.0.0.1:9/response",
        clock: Clock | None = None,
        listener_work: ListenerWork | None = None,
    ):
        self.events_url = app_url.rstrip("/") + "/slack/events"
        self.secret = secret
        self.response_url = response_url
        self.clock = clock
        self.listener_work = listener_work

    def idle(self, timeout: float = 5.0) -> None:
        """Block until every listener the app started so far has finished what it does after the ack."""
        if self.listener_work is None:
            raise ValueError("this requester was not given the app's listener_work to wait for")
        if not self.listener_work.idle(timeout):
            raise TimeoutError(f"a listener of the app was still running after {timeout} s")

    def now(self) -> int:
        """The request timestamp Slack would send now (seconds since the epoch)."""
        return int(self.clock.now().timestamp() if self.clock else time.time())

    def post(self, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> Answer:
        timestamp = str(self.now())
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": signature(self.secret, timestamp, body),
            **(headers or {}),
        }
        return self.raw(body, all_headers)

    def raw(self, body: bytes, headers: dict[str, str]) -> Answer:
        request = urllib.request.Request(self.events_url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Answer(response.status, response.read())
        except HTTPError as error:
            return Answer(error.code, error.read())

    def command(self, command: str, text: str = "", user_id: str = "U0VMKF0001", **extra: str) -> Answer:
        form = slash_command(command, text, user_id, self.response_url, **extra)
        return self.post(urlencode(form).encode(), "application/x-www-form-urlencoded")

    def interaction(self, payload: dict[str, Any]) -> Answer:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded")

    def event(self, event: dict[str, Any], event_id: str, retry_num: int | None = None) -> Answer:
        envelope = event_callback(event, event_id, self.now())
        headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"} if retry_num else {}
        return self.post(json.dumps(envelope).encode(), "application/json", headers)
