"""The fake Slack refuses what Slack refuses: a method it does not know, more blocks than a message (50) or a
view (100) may hold, a section's text over 3,000 characters; with Slack's error and nothing stored."""

import json
import urllib.request
from urllib.error import HTTPError

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.demo.fake_slack import FakeSlack


@pytest.fixture
def fake():
    with FakeSlack() as server:
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake.url, retry_handlers=[])


def sections(count: int, text: str = "rad") -> list[dict]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": text}} for _ in range(count)]


def refusal(call) -> dict:
    with pytest.raises(SlackApiError) as raised:
        call()
    return raised.value.response.data


def test_a_method_the_fake_does_not_know_is_unknown_method(fake, client):
    answer = refusal(lambda: client.api_call("chat.scheduleMessage", json={"channel": "C1", "text": "hej"}))
    assert answer == {"ok": False, "error": "unknown_method", "req_method": "chat.scheduleMessage"}


def test_a_message_of_50_blocks_is_posted_and_one_of_51_refused(fake, client):
    client.chat_postMessage(channel="C1", text="hej", blocks=sections(50))
    answer = refusal(lambda: client.chat_postMessage(channel="C1", text="hej", blocks=sections(51)))
    assert answer["error"] == "invalid_blocks"
    assert answer["response_metadata"]["messages"] == ["[ERROR] no more than 50 items allowed [json-pointer:/blocks]"]
    assert len(fake.messages_in("C1")) == 1


def test_a_section_of_3000_characters_is_posted_and_one_of_3001_refused(fake, client):
    client.chat_postMessage(channel="C1", text="hej", blocks=sections(1, "x" * 3000))
    blocks = sections(2) + sections(1, "x" * 3001)
    answer = refusal(lambda: client.chat_postMessage(channel="C1", text="hej", blocks=blocks))
    assert answer["error"] == "invalid_blocks"
    assert answer["response_metadata"]["messages"] == [
        "[ERROR] must be less than 3001 characters [json-pointer:/blocks/2/text/text]"
    ]
    assert len(fake.messages_in("C1")) == 1


def test_an_update_beyond_the_limits_leaves_the_message_as_it_was(fake, client):
    posted = client.chat_postMessage(channel="C1", text="hej", blocks=sections(1))
    answer = refusal(lambda: client.chat_update(channel="C1", ts=posted["ts"], text="ny", blocks=sections(51)))
    assert answer["error"] == "invalid_blocks"
    [message] = fake.messages_in("C1")
    assert (message["text"], len(message["blocks"])) == ("hej", 1)


def test_an_ephemeral_message_has_the_message_limits(fake, client):
    answer = refusal(lambda: client.chat_postEphemeral(channel="C1", user="U1", text="hej", blocks=sections(51)))
    assert answer["error"] == "invalid_blocks"


@pytest.mark.parametrize("method", ["views.open", "views.update", "views.push", "views.publish"])
def test_a_view_holds_100_blocks_and_not_101(fake, client, method):
    def call(count: int) -> None:
        view = {"type": "modal", "title": {"type": "plain_text", "text": "T"}, "blocks": sections(count)}
        client.api_call(method, json={"trigger_id": "t", "view_id": "V1", "user_id": "U1", "view": view})

    call(100)
    answer = refusal(lambda: call(101))
    assert answer["error"] == "invalid_arguments"
    assert answer["response_metadata"]["messages"] == [
        "[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]"
    ]
    assert len(fake.calls_to(method)) == 2  # recorded, as every call is; the first one only was shown


def test_a_view_section_over_3000_characters_is_refused(fake, client):
    view = {"type": "home", "blocks": sections(1, "x" * 3001)}
    answer = refusal(lambda: client.views_publish(user_id="U1", view=view))
    assert answer["response_metadata"]["messages"] == [
        "[ERROR] must be less than 3001 characters [json-pointer:/view/blocks/0/text/text]"
    ]


def post_response(fake: FakeSlack, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        fake.response_url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_response_url_reply_has_the_message_limits_and_a_refused_one_is_not_shown(fake):
    assert post_response(fake, {"text": "hej", "blocks": sections(50)}) == (200, {"ok": True})
    status, answer = post_response(fake, {"text": "hej", "blocks": sections(51)})
    assert (status, answer["error"]) == (400, "invalid_blocks")
    assert len(fake.responses) == 1
    assert len(fake.refused_responses) == 1
