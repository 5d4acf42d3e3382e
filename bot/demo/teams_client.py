"""Posting activities to a running app's /api/messages, as the Bot Framework Service does (teams_activities.py
builds them), and reading what comes back."""

import json
import urllib.request
from dataclasses import dataclass
from urllib.error import HTTPError

MESSAGES_PATH = "/api/messages"


@dataclass
class Answer:
    """The HTTP answer to one activity."""

    status: int
    body: bytes

    def json(self) -> object:
        return json.loads(self.body) if self.body else None

    @property
    def replies(self) -> list[dict]:
        """The bot's replies to an `expectReplies` message (ExpectedReplies.activities)."""
        body = self.json()
        return body.get("activities", []) if isinstance(body, dict) else []

    @property
    def texts(self) -> list[str]:
        """The text of each reply that has one."""
        return [reply["text"] for reply in self.replies if reply.get("text")]


class TeamsClient:
    """Posts activities to `app_url`/api/messages, with `Authorization: Bearer <token>` when a token is given."""

    def __init__(self, app_url: str, token: str | None = None, timeout: float = 10.0) -> None:
        self.url = app_url.rstrip("/") + MESSAGES_PATH
        self.token = token
        self.timeout = timeout

    def post(self, activity: dict, token: str | None = None) -> Answer:
        token = token or self.token
        headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
        return self.raw(json.dumps(activity).encode(), headers)

    def raw(self, body: bytes, headers: dict[str, str]) -> Answer:
        """`body` with exactly `headers` (for requests Teams would never send)."""
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return Answer(response.status, response.read())
        except HTTPError as error:
            return Answer(error.code, error.read())
