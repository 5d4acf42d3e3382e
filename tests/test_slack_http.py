"""The Slack edge over real HTTP: request signatures, URL verification, event retries, the health check."""

import json
import urllib.request
from urllib.parse import urlencode

import pytest
from sqlmodel import select

from bot.demo.slack_requests import signature
from storage.engine import session_scope
from storage.state import ProcessedEvent
from tests.conftest import SIGNING_SECRET

COMMAND = urlencode(
    {
        "command": "/kommunikationsplan",
        "text": "hjälp",  # answered in the ack itself
        "user_id": "U0VMKF0001",
        "team_id": "TFAKE",
        "channel_id": "C0GENERAL1",
        "response_url": "http://127.0.0.1:9/response",
        "trigger_id": "trigger-1",
    }
).encode()
FORM = "application/x-www-form-urlencoded"


def signed_headers(body: bytes, timestamp: int, secret: str = SIGNING_SECRET) -> dict[str, str]:
    return {
        "Content-Type": FORM,
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": signature(secret, str(timestamp), body),
    }


def test_a_correctly_signed_command_is_answered(slack):
    answer = slack.raw(COMMAND, signed_headers(COMMAND, slack.now()))
    assert answer.status == 200
    assert answer.json()["response_type"] == "ephemeral"


@pytest.mark.parametrize(
    "headers_at",
    [
        pytest.param(lambda now: signed_headers(COMMAND, now, secret="wrong-secret"), id="forged"),
        pytest.param(lambda now: {"Content-Type": FORM}, id="missing"),
        pytest.param(lambda now: {"Content-Type": FORM, "X-Slack-Request-Timestamp": str(now)}, id="no-signature"),
        pytest.param(lambda now: signed_headers(COMMAND, now - 6 * 60), id="stale"),
        pytest.param(lambda now: signed_headers(COMMAND, now + 6 * 60), id="from-the-future"),
    ],
)
def test_requests_without_a_valid_recent_signature_are_refused(slack, fake_slack, headers_at):
    answer = slack.raw(COMMAND, headers_at(slack.now()))
    assert answer.status == 401
    assert fake_slack.calls == []


def test_a_signature_over_a_different_body_is_refused(slack):
    headers = signed_headers(COMMAND, slack.now())
    tampered = COMMAND.replace(b"U0VMKF0001", b"U0VMKF0002")
    assert slack.raw(tampered, headers).status == 401


def test_a_signature_just_inside_five_minutes_is_accepted(slack):
    assert slack.raw(COMMAND, signed_headers(COMMAND, slack.now() - 4 * 60)).status == 200


def test_url_verification_answers_the_challenge(slack):
    body = json.dumps({"token": "legacy", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                       "type": "url_verification"}).encode()  # fmt: skip
    answer = slack.post(body, "application/json")
    assert answer.status == 200
    assert answer.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_url_verification_with_a_bad_signature_is_refused(slack):
    body = json.dumps({"challenge": "abc", "type": "url_verification"}).encode()
    headers = signed_headers(body, slack.now(), secret="wrong")
    headers["Content-Type"] = "application/json"
    assert slack.raw(body, headers).status == 401


@pytest.fixture
def bolt(slack):
    """Signed requests to the real Bolt app over HTTP (`idle()` waits for its event listeners, which run after
    the ack)."""
    return slack


HOME_OPENED = {"type": "app_home_opened", "user": "U0VMKF0001", "channel": "D0VMKF0001", "tab": "home"}


def test_app_home_opened_publishes_the_home_view(bolt, fake_slack):
    requester = bolt
    assert requester.event(HOME_OPENED, event_id="Ev0HOME01").status == 200
    requester.idle()
    [publish] = fake_slack.calls_to("views.publish")
    assert publish.params["user_id"] == "U0VMKF0001"
    view = json.loads(publish.params["view"]) if isinstance(publish.params["view"], str) else publish.params["view"]
    text = "\n".join(block["text"]["text"] for block in view["blocks"] if block["type"] == "section")
    assert "Hej Förbundschefen (exempel)!" in text
    assert "Punkter till ledningsgruppens möte" in text  # the director sits in the leadership group


def test_event_retries_are_deduplicated_by_event_id(bolt, fake_slack, engine):
    requester = bolt
    first = requester.event(HOME_OPENED, event_id="Ev0HOME02")
    retries = [requester.event(HOME_OPENED, event_id="Ev0HOME02", retry_num=n) for n in (1, 2, 3)]
    other = requester.event({**HOME_OPENED, "user": "U0VMKF0002"}, event_id="Ev0HOME03")
    requester.idle()

    assert [answer.status for answer in [first, *retries, other]] == [200] * 5
    assert sorted(call.params["user_id"] for call in fake_slack.calls_to("views.publish")) == [
        "U0VMKF0001",
        "U0VMKF0002",
    ]
    with session_scope(engine) as session:
        seen = sorted(row.event_id for row in session.exec(select(ProcessedEvent)))
    assert seen == ["Ev0HOME02", "Ev0HOME03"]


def test_the_messages_tab_publishes_nothing(bolt, fake_slack):
    requester = bolt
    requester.event({**HOME_OPENED, "tab": "messages"}, event_id="Ev0HOME04")
    requester.idle()
    assert fake_slack.calls_to("views.publish") == []


def test_an_unknown_user_gets_a_home_tab_saying_so(bolt, fake_slack):
    requester = bolt
    requester.event({**HOME_OPENED, "user": "U0NOBODY99"}, event_id="Ev0HOME05")
    requester.idle()
    [publish] = fake_slack.calls_to("views.publish")
    assert "Du finns inte ännu bland förbundets personer" in json.dumps(publish.params["view"], ensure_ascii=False)


def test_healthz_answers_json(app_server):
    with urllib.request.urlopen(f"{app_server.url}/healthz", timeout=5) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/json"
        assert json.loads(response.read()) == {"status": "ok", "database": "ok", "platforms": {"slack": "served"}}
