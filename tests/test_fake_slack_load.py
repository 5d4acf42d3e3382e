"""The fake Slack refuses what Slack refuses under load: per-channel and workspace-wide rate limits on
chat.postMessage (429 with Retry-After, nothing posted), and it can act and then fail (500 or no answer)."""

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.demo.fake_slack import FakeSlack


class Clock:
    """Epoch seconds that move only when told."""

    def __init__(self, start: float = 1_800_000_000.0):
        self.value = start

    def __call__(self) -> float:
        return self.value


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fake(clock: Clock):
    with FakeSlack() as server:
        server.use_clock(clock)
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    """Like the sender's: no retries of its own."""
    return WebClient(token="xoxb-test", base_url=fake.url, retry_handlers=[])


def post(client: WebClient, channel: str, text: str = "hej"):
    return client.chat_postMessage(channel=channel, text=text)


def refused(client: WebClient, channel: str) -> SlackApiError:
    with pytest.raises(SlackApiError) as raised:
        post(client, channel)
    return raised.value


def test_the_workspace_limit_refuses_past_the_burst_whatever_the_channel(fake, client, clock):
    fake.limit_workspace(per_second=2, burst=3)
    for n in range(3):
        post(client, f"C{n}")

    error = refused(client, "C9")

    assert error.response.status_code == 429 and error.response["error"] == "ratelimited"
    assert error.response.headers["Retry-After"] == "1"
    assert fake.messages_in("C9") == [] and len(fake.posted()) == 3


def test_the_workspace_limit_refills_at_its_rate_and_a_refusal_takes_no_token(fake, client, clock):
    fake.limit_workspace(per_second=0.25, burst=1)
    post(client, "C1")
    assert refused(client, "C2").response.headers["Retry-After"] == "4"
    clock.value += 3
    assert refused(client, "C2").response.headers["Retry-After"] == "1"
    clock.value += 1

    post(client, "C2")

    assert [m["channel"] for m in fake.posted()] == ["C1", "C2"]
    assert [call.status for call in fake.calls] == [200, 429, 429, 200]


def test_the_channel_limit_refuses_a_second_post_within_the_second_but_not_another_channel(client, clock):
    with FakeSlack(per_channel_rate=1.0) as fake:
        fake.use_clock(clock)
        client = WebClient(token="xoxb-test", base_url=fake.url, retry_handlers=[])
        post(client, "C1")
        assert refused(client, "C1").response.status_code == 429
        post(client, "C2")
        clock.value += 1
        post(client, "C1")
        assert len(fake.messages_in("C1")) == 2


def test_a_500_after_acting_leaves_the_message_in_the_channel(fake, client):
    fake.fail_after_acting("chat.postMessage", status=500, error="internal_error")

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(
            channel="U0VMKF0001",
            text="hej",
            metadata={"event_type": "samverkan_delivery", "event_payload": {"delivery_id": 7}},
        )

    assert raised.value.response.status_code == 500
    [message] = fake.messages_in("D0VMKF0001")
    assert message["metadata"]["event_payload"] == {"delivery_id": 7}
    history = client.conversations_history(channel="D0VMKF0001", include_all_metadata=True)
    assert [m["ts"] for m in history["messages"]] == [message["ts"]]
    assert [call.status for call in fake.acted_but_failed("chat.postMessage")] == [500]
    assert fake.calls_to("chat.postMessage") == []


def test_a_dropped_connection_after_acting_leaves_the_message_and_gives_no_answer(fake, client):
    fake.fail_after_acting("chat.postMessage", drop=True)

    with pytest.raises(OSError):  # http.client.RemoteDisconnected: the line closed without an answer
        post(client, "C1")

    assert len(fake.messages_in("C1")) == 1
    post(client, "C1")  # the next call is answered normally
    assert len(fake.messages_in("C1")) == 2


def test_a_failure_after_acting_can_wait_for_its_channel_and_skips_refused_calls(fake, client):
    fake.fail_after_acting("chat.postMessage", channel="C2")
    fake.workspace.missing_channels.add("C3")
    post(client, "C1")
    with pytest.raises(SlackApiError):
        post(client, "C3")  # refused, so it did not act: the scripted failure is still waiting

    with pytest.raises(SlackApiError) as raised:
        post(client, "C2")

    assert raised.value.response.status_code == 500 and len(fake.messages_in("C2")) == 1


def test_message_timestamps_follow_the_clock_and_never_repeat(fake, client, clock):
    clock.value = 1_900_000_000.5
    first, second = post(client, "C1")["ts"], post(client, "C2")["ts"]
    clock.value += 10
    third = post(client, "C1")["ts"]

    assert first == "1900000000.500000" and second == "1900000000.500001"
    assert third == "1900000010.500000"
