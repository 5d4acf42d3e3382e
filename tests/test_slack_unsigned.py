"""Requests that do not verify: 401, and no effect at all (no call out, no row, no log line with the body)."""

import io
import json
import logging
import socket
from urllib.parse import urlencode

import pytest

from bot.demo.slack_requests import signature
from bot.slack.app import MAX_BODY_BYTES, build_bolt_app, build_wsgi_app
from tests import slack_edge_support
from tests.conftest import SIGNING_SECRET
from tests.slack_edge_support import row_counts

edge = slack_edge_support.edge

MARKER = "MARKER-body-must-not-be-logged"
FORM = "application/x-www-form-urlencoded"


def bodies(response_url: str) -> dict[str, tuple[bytes, str]]:
    """One body of each kind, each naming the fake's response_url: what an attacker would have the bot call."""
    command = {"command": "/kommunikationsplan", "text": MARKER, "user_id": "U0VMKF0001", "team_id": "TFAKE",
               "channel_id": "C0GENERAL1", "response_url": response_url, "trigger_id": "trigger-1"}  # fmt: skip
    action = {"type": "block_actions", "user": {"id": "U0VMKF0001"}, "trigger_id": "t", "response_url": response_url,
              "actions": [{"action_id": "case_take", "block_id": "b", "value": MARKER}]}  # fmt: skip
    view = {"type": "view_submission", "user": {"id": "U0VMKF0001"},
            "response_urls": [{"response_url": response_url}],
            "view": {"id": "V1", "type": "modal", "callback_id": "case_report", "private_metadata": MARKER,
                     "state": {"values": {}}}}  # fmt: skip
    event = {"type": "event_callback", "event_id": MARKER, "event": {"type": "app_home_opened", "user": "U0VMKF0001",
             "tab": "home"}}  # fmt: skip
    return {
        "command": (urlencode(command).encode(), FORM),
        "action": (urlencode({"payload": json.dumps(action)}).encode(), FORM),
        "view": (urlencode({"payload": json.dumps(view)}).encode(), FORM),
        "event": (json.dumps(event).encode(), "application/json"),
        "broken json": (b'{"type": "event_callback", "x": "' + MARKER.encode(), "application/json"),
    }


def signed(body: bytes, timestamp: str, secret: str = SIGNING_SECRET) -> dict[str, str]:
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature(secret, timestamp, body)}


# Each variant: the headers (beyond Content-Type) for `body` sent at `now`.
VARIANTS = {
    "timestamp not a number": lambda body, now: signed(body, "abc"),
    "empty timestamp": lambda body, now: signed(body, ""),
    "timestamp with a sign": lambda body, now: signed(body, f"+{now}"),
    "timestamp with spaces": lambda body, now: signed(body, f" {now} "),
    "timestamp as a float": lambda body, now: signed(body, f"{now}.0"),
    "no timestamp": lambda body, now: {"X-Slack-Signature": signed(body, str(now))["X-Slack-Signature"]},
    "no headers at all": lambda body, now: {},
    "stale by 5 minutes and a second": lambda body, now: signed(body, str(now - 301)),
    "5 minutes and a second ahead": lambda body, now: signed(body, str(now + 301)),
    "no signature": lambda body, now: {"X-Slack-Request-Timestamp": str(now)},
    "empty signature": lambda body, now: {"X-Slack-Request-Timestamp": str(now), "X-Slack-Signature": ""},
    "wrong secret": lambda body, now: signed(body, str(now), secret="not-the-secret"),
    "wrong version": lambda body, now: {
        **signed(body, str(now)),
        "X-Slack-Signature": "v1=" + signed(body, str(now))["X-Slack-Signature"][3:],
    },
    "signature in upper case": lambda body, now: {
        **signed(body, str(now)),
        "X-Slack-Signature": "v0=" + signed(body, str(now))["X-Slack-Signature"][3:].upper(),
    },
    "signature over another body": lambda body, now: signed(body + b"&x=1", str(now)),
    "signature over another timestamp": lambda body, now: {
        **signed(body, str(now - 1)),
        "X-Slack-Request-Timestamp": str(now),
    },
}


@pytest.mark.parametrize("kind", ["command", "action", "view", "event", "broken json"])
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_a_request_that_does_not_verify_gets_401_and_has_no_effect(
    edge,
    fake_slack,
    engine,
    caplog,
    kind,
    variant,
):
    caplog.set_level(logging.DEBUG)
    body, content_type = bodies(fake_slack.response_url)[kind]
    rows = row_counts(engine)
    headers = {"Content-Type": content_type, **VARIANTS[variant](body, edge.requester.now())}

    answer = edge.requester.raw(body, headers)
    edge.requester.idle()

    assert answer.status == 401
    assert fake_slack.calls == [] and fake_slack.responses == []
    assert row_counts(engine) == rows
    assert MARKER not in caplog.text
    [line] = [record for record in caplog.records if record.name == "bot.slack.app"]
    assert line.getMessage().startswith("refused a Slack request that does not verify: ")


def test_an_oversized_body_is_refused_unread_by_the_app_itself(runtime, fake_slack, engine, caplog):
    """Behind another WSGI server than ours, the app still refuses a body larger than it takes, unread."""

    class Unreadable(io.RawIOBase):
        def read(self, size: int = -1) -> bytes:
            raise AssertionError("the body was read")

    caplog.set_level(logging.DEBUG)
    rows = row_counts(engine)
    statuses = []
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/slack/events", "QUERY_STRING": "",
               "CONTENT_TYPE": FORM, "CONTENT_LENGTH": str(MAX_BODY_BYTES + 1), "wsgi.input": Unreadable()}  # fmt: skip
    application = build_wsgi_app(build_bolt_app(runtime), runtime)
    b"".join(application(environ, lambda status, headers: statuses.append(status)))
    assert statuses == ["401 Unauthorized"]
    assert fake_slack.calls == [] and row_counts(engine) == rows
    assert f"body larger than {MAX_BODY_BYTES} bytes" in caplog.text


def test_five_minutes_exactly_is_still_accepted_by_the_runtime_clock(edge, clock):
    body, content_type = bodies("http://127.0.0.1:9/response")["command"]
    now = int(clock.now().timestamp())
    for timestamp in (now - 300, now + 300):
        answer = edge.requester.raw(body, {"Content-Type": content_type, **signed(body, str(timestamp))})
        assert answer.status == 200


def test_bolt_does_not_verify_a_second_time(edge):
    """One verification path: ours, on the raw bytes; Bolt's middleware would log every rejected body."""
    assert not any(type(m).__name__ == "RequestVerification" for m in edge.app._middleware_list)


def test_a_huge_content_length_is_refused_before_any_of_the_body_is_read(edge):
    """waitress answers 413 from the headers alone, so an unsigned client cannot make the server buffer the body."""
    host, port = edge.requester.events_url.removeprefix("http://").split("/")[0].split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 524288000\r\n\r\n" + b"{" * 1024
        )
        assert connection.recv(1024).startswith(b"HTTP/1.1 413")
