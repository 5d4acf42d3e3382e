"""The fake Bot Connector refuses what the real service refuses, and the connector (the SDK's ConnectorClient)
turns each refusal into what the outbox's sender does about it."""

import json
import urllib.error
import urllib.request

import pytest

from bot.delivery.platform import Failure, SendError
from bot.demo.fake_teams import DROPPED, FakeBotConnector
from bot.settings import Settings
from bot.teams.connector import BotConnector
from bot.teams.sender import teams_senders
from bot.teams.tokens import fixed_token
from storage.platform import Platform
from tests.teams_outbox_support import TOKEN

pytest_plugins = ["tests.teams_fixtures"]

CHANNEL = "19:general@thread.tacv2"
CARD = {"contentType": "application/vnd.microsoft.card.adaptive", "content": {"type": "AdaptiveCard", "version": "1.5"}}


def call(fake: FakeBotConnector, method: str, path: str, body: object = None, token: str | None = TOKEN):
    """One raw HTTP request to the fake: (status, JSON body or None, headers)."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    request = urllib.request.Request(fake.url + path.lstrip("/"), data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None, dict(response.headers)
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        return exc.code, json.loads(raw) if raw else None, dict(exc.headers)


def post(fake: FakeBotConnector, text: str = "x", token: str | None = TOKEN):
    """A message posted to the channel."""
    return call(fake, "POST", f"/v3/conversations/{CHANNEL}/activities", {"type": "message", "text": text}, token)


@pytest.fixture
def installed(fake_teams):
    fake_teams.add_channel(CHANNEL, "team-1")
    return fake_teams.add_personal("0b3e1a2c-0000-4000-8000-000000000001", "Anna@Example.se", "Anna")


def test_a_message_to_an_installed_conversation_is_kept_and_given_an_id(fake_teams, installed):
    status, body, _ = post(fake_teams, "Hej")
    assert status == 201 and body["id"]
    assert [(a["id"], a["text"]) for a in fake_teams.sent(CHANNEL)] == [(body["id"], "Hej")]
    [recorded] = fake_teams.calls_to("send", CHANNEL)
    assert recorded.authorization == f"Bearer {TOKEN}" and recorded.body["text"] == "Hej" and recorded.acted


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        (
            "/v3/conversations/19:nowhere@thread.tacv2/activities",
            {"type": "message", "text": "x"},
            404,
            "ConversationNotFound",
        ),
        (f"/v3/conversations/{CHANNEL}/activities", {"type": "message"}, 400, "BadArgument"),
        (
            f"/v3/conversations/{CHANNEL}/activities",
            {"type": "message", "text": "x" * 29_000},
            413,
            "MessageSizeTooBig",
        ),
        (
            f"/v3/conversations/{CHANNEL}/activities",
            {"type": "message", "attachments": [{**CARD, "content": {"type": "AdaptiveCard"}}]},
            400,
            "BadArgument",
        ),
        (
            f"/v3/conversations/{CHANNEL}/activities/activity-999",
            {"type": "message", "text": "x"},
            404,
            "ActivityNotFound",
        ),
    ],
    ids=["unknown_conversation", "empty_message", "too_large", "card_without_version", "update_unknown_activity"],
)
def test_what_teams_refuses_is_refused_and_nothing_is_posted(fake_teams, installed, path, body, status, code):
    method = "PUT" if "activity-9" in path else "POST"
    answer, refusal, _ = call(fake_teams, method, path, body)
    assert (answer, refusal["error"]["code"]) == (status, code)
    assert fake_teams.sent() == []


def test_a_removed_bot_is_refused_with_bot_not_in_conversation_roster(fake_teams, installed):
    fake_teams.remove_bot(CHANNEL)
    status, body, _ = post(fake_teams)
    assert (status, body["error"]["code"]) == (403, "BotNotInConversationRoster")


@pytest.mark.parametrize("token", [None, "wrong"], ids=["no_token", "wrong_token"])
def test_a_call_without_the_token_is_denied(fake_teams, installed, token):
    status, body, _ = post(fake_teams, token=token)
    assert status == 401 and fake_teams.sent() == []


def test_anonymous_fake_takes_calls_without_a_token():
    with FakeBotConnector() as fake:
        fake.add_channel(CHANNEL, "team-1")
        status, _, _ = post(fake, token=None)
    assert status == 201


def test_injected_429_carries_retry_after_and_posts_nothing(fake_teams, installed):
    fake_teams.fail_next(429, retry_after=7)
    status, _, headers = post(fake_teams)
    assert (status, headers["Retry-After"]) == (429, "7") and fake_teams.sent() == []
    assert post(fake_teams)[0] == 201


def test_a_failure_after_acting_posts_and_then_answers_the_error(fake_teams, installed):
    fake_teams.fail_next(502, after_acting=True)
    status, _, _ = post(fake_teams)
    assert status == 502 and len(fake_teams.sent(CHANNEL)) == 1


def test_the_roster_gives_ids_object_ids_and_emails(fake_teams, installed):
    status, members, _ = call(fake_teams, "GET", f"/v3/conversations/{installed.id}/members")
    assert status == 200
    [member] = members
    assert (member["aadObjectId"], member["email"], member["name"]) == (
        installed.members[0].object_id,
        "Anna@Example.se",
        "Anna",
    )
    status, one, _ = call(fake_teams, "GET", f"/v3/conversations/{installed.id}/members/{member['aadObjectId']}")
    assert status == 200 and one["id"] == member["id"]


def test_a_personal_conversation_is_created_once_per_member(fake_teams):
    member = fake_teams.add_member("0b3e1a2c-0000-4000-8000-000000000002", "bo@example.se", "Bo")
    body = {"isGroup": False, "bot": {"id": "28:bot"}, "members": [{"id": member.id}], "tenantId": fake_teams.tenant_id}
    first = call(fake_teams, "POST", "/v3/conversations", body)
    second = call(fake_teams, "POST", "/v3/conversations", body)
    assert first[0] == second[0] == 201 and first[1]["id"] == second[1]["id"]
    unknown = call(fake_teams, "POST", "/v3/conversations", {**body, "members": [{"id": "29:nobody"}]})
    assert unknown[0] == 404


def test_an_upload_wants_the_whole_file_with_its_content_range_and_completes_once(fake_teams):
    url = fake_teams.upload_url("svar.csv")

    def put(content: bytes, content_range: str) -> int:
        request = urllib.request.Request(url, data=content, method="PUT", headers={"Content-Range": content_range})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    assert put(b"a;b\n", "bytes 0-1/4") == 400
    assert put(b"a;b\n", "bytes 0-3/4") == 201
    assert put(b"a;b\n", "bytes 0-3/4") == 409
    assert list(fake_teams.uploaded().values()) == [b"a;b\n"]


def test_a_dropped_connection_is_recorded_as_dropped(fake_teams, installed):
    fake_teams.fail_next(500, drop_connection=True)
    with pytest.raises((urllib.error.URLError, ConnectionError)):
        post(fake_teams)
    assert [c.status for c in fake_teams.calls] == [DROPPED]


@pytest.mark.parametrize(
    ("break_it", "code", "failure"),
    [
        (lambda fake: fake.fail_next(429, retry_after=4), "ratelimited", Failure.RATE_LIMITED),
        (lambda fake: fake.fail_next(412), "teams_busy", Failure.RETRY),
        (lambda fake: fake.fail_next(500), "teams_server_error", Failure.UNCERTAIN),
        (lambda fake: fake.fail_next(502), "teams_server_error", Failure.UNCERTAIN),
        (lambda fake: fake.fail_next(503), "teams_server_error", Failure.UNCERTAIN),
        (lambda fake: fake.fail_next(504), "teams_server_error", Failure.UNCERTAIN),
        (lambda fake: fake.fail_next(500, drop_connection=True), "teams_connection_error", Failure.UNCERTAIN),
        (lambda fake: fake.remove_bot(CHANNEL), "teams_bot_removed", Failure.PERMANENT),
        (lambda fake: fake.conversations.pop(CHANNEL), "teams_not_installed", Failure.PERMANENT),
        (lambda fake: setattr(fake, "require_token", "another"), "teams_unauthorized", Failure.PERMANENT),
    ],
    ids=["429", "412", "500", "502", "503", "504", "dropped", "bot_removed", "not_found", "401"],
)
def test_the_connector_sorts_teams_answers_for_the_sender(fake_teams, installed, connector, break_it, code, failure):
    break_it(fake_teams)
    with pytest.raises(SendError) as raised:
        connector.send(fake_teams.url, CHANNEL, {"type": "message", "text": "Hej"})
    assert (raised.value.code, raised.value.failure) == (code, failure)
    if failure == Failure.RATE_LIMITED:
        assert raised.value.retry_after == 4


def test_the_connector_maps_too_large_and_bad_cards_to_permanent_failures(fake_teams, installed, connector):
    for activity, code in (
        ({"type": "message", "text": "å" * 15_000}, "teams_too_large"),
        ({"type": "message", "attachments": [{**CARD, "content": {"type": "AdaptiveCard"}}]}, "teams_bad_request"),
    ):
        with pytest.raises(SendError) as raised:
            connector.send(fake_teams.url, CHANNEL, activity)
        assert (raised.value.code, raised.value.failure) == (code, Failure.PERMANENT)


def test_the_connector_sends_to_a_service_url_with_or_without_its_slash(fake_teams, installed, connector):
    for text in ("ett", "två", "tre"):
        connector.send(fake_teams.url, CHANNEL, {"type": "message", "text": text})
    connector.send(fake_teams.url.rstrip("/"), CHANNEL, {"type": "message", "attachments": [CARD]})
    assert [a.get("text") for a in fake_teams.sent(CHANNEL)] == ["ett", "två", "tre", None]


def test_the_connector_creates_a_personal_chat(fake_teams, installed, connector):
    member = installed.members[0]
    created = connector.create_personal(fake_teams.url, fake_teams.tenant_id, "28:bot", member.id)
    assert created == installed.id


def test_an_anonymous_connector_sends_no_authorization(teams_loop):
    with FakeBotConnector() as fake:
        fake.add_channel(CHANNEL, "team-1")
        connector = BotConnector(teams_loop, fixed_token(""), timeout=5.0)
        connector.send(fake.url, CHANNEL, {"type": "message", "text": "x"})
        assert [c.authorization for c in fake.calls] == [None]


def test_a_reply_is_kept_with_the_activity_it_answers(fake_teams, installed):
    status, first, _ = post(fake_teams, "Fråga")
    status, reply, _ = call(
        fake_teams,
        "POST",
        f"/v3/conversations/{CHANNEL}/activities/{first['id']}",
        {
            "type": "message",
            "text": "Svar",
        },
    )
    assert status == 201
    assert [(a["text"], a.get("replyToId")) for a in fake_teams.sent(CHANNEL)] == [
        ("Fråga", None),
        ("Svar", first["id"]),
    ]


def test_teams_senders_sends_anonymously_when_the_settings_say_so(engine, teams_loop):
    settings = Settings(None, None, None, "http://127.0.0.1:9/", "sqlite://", "x.yaml", teams_anonymous=True)
    with FakeBotConnector() as fake:
        fake.add_channel(CHANNEL, "team-1")
        sender = teams_senders(engine, settings, teams_loop)[Platform.TEAMS]
        sender.connector.send(fake.url, CHANNEL, {"type": "message", "text": "x"})
        assert [c.authorization for c in fake.calls] == [None]


def test_a_teams_channels_are_listed_while_the_bot_is_in_the_team(fake_teams, installed):
    fake_teams.add_channel("19:other@thread.tacv2", "team-1")
    status, body, _ = call(fake_teams, "GET", "/v3/teams/team-1/conversations")
    assert status == 200 and [c["id"] for c in body["conversations"]] == [CHANNEL, "19:other@thread.tacv2"]
    assert call(fake_teams, "GET", "/v3/teams/team-2/conversations")[0] == 404
