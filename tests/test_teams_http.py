"""/api/messages over real HTTP: malformed bodies refused with 400 and one log line, a handler's bug answered
politely, the one server serving both platforms and its health check."""

import io
import json
import logging
import urllib.request
from urllib.error import HTTPError

import pytest
from microsoft_agents.hosting.core import TurnContext, TurnState

from bot.demo import teams_activities as activities
from bot.demo.teams_client import TeamsClient
from bot.server import build_wsgi_app
from bot.slack.app import build_bolt_app, slack_endpoint
from bot.teams.http import teams_endpoint
from bot.web import MAX_BODY_BYTES, BackgroundServer
from handlers.teams.commands import on_command
from messages.render import render
from tests import teams_serving_support
from tests.slack_edge_support import row_counts

teams = teams_serving_support.teams
teams_loop = teams_serving_support.teams_loop
teams_runtime = teams_serving_support.teams_runtime

MARKER = "MARKER-body-must-not-be-logged"
SENDER = activities.user("3f2504e0-4f89-41d3-9a0c-0305e82c3301")
CHAT = activities.personal_chat(SENDER)


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


MALFORMED = {
    "not JSON": b'{"type": "message", "text": "' + MARKER.encode(),
    "not UTF-8": b'{"type": "message", "text": "\xff' + MARKER.encode() + b'"}',
    "a JSON list": json.dumps([MARKER]).encode(),
    "no conversation": json.dumps({"type": "message", "text": MARKER, "from": SENDER}).encode(),
    "no type": json.dumps({k: v for k, v in activities.message(MARKER, SENDER, CHAT).items() if k != "type"}).encode(),
    "from is a number": json.dumps({**activities.message(MARKER, SENDER, CHAT), "from": 5}).encode(),
    "conversation is text": json.dumps({**activities.message(MARKER, SENDER, CHAT), "conversation": MARKER}).encode(),
    "channelData team is text": json.dumps(
        {**activities.message(MARKER, SENDER, CHAT), "channelData": {"team": MARKER}}
    ).encode(),
    "deeply nested": b'{"type": "message", "value": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
}


@pytest.mark.parametrize("kind", MALFORMED)
def test_a_malformed_activity_gets_400_and_one_log_line(teams, engine, caplog, kind):
    caplog.set_level(logging.DEBUG)
    rows = row_counts(engine)

    answer = teams.client.raw(MALFORMED[kind], {"Content-Type": "application/json"})

    assert answer.status == 400
    assert row_counts(engine) == rows
    assert MARKER not in caplog.text
    [line] = [record for record in caplog.records if record.name == "bot.teams.http"]
    assert line.getMessage().startswith("refused a malformed Teams request: ")


def test_an_oversized_body_is_refused_unread(teams_runtime, engine):
    """Behind another WSGI server than ours, the app still refuses a body larger than it takes, unread."""

    class Unreadable(io.RawIOBase):
        def read(self, size: int = -1) -> bytes:
            raise AssertionError("the body was read")

    from bot.teams.app import build_teams_app

    application = build_wsgi_app(teams_runtime, teams=teams_endpoint(build_teams_app(teams_runtime), teams_runtime))
    statuses = []
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/api/messages", "QUERY_STRING": "",
               "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(MAX_BODY_BYTES + 1),
               "wsgi.input": Unreadable()}  # fmt: skip
    b"".join(application(environ, lambda status, headers: statuses.append(status)))
    assert statuses == ["413 Request Entity Too Large"]


def test_a_bug_in_a_command_is_logged_and_answered_politely(teams, caplog):
    @on_command(teams.teams.app, "krasch")
    async def crash(context: TurnContext, state: TurnState, argument: str) -> None:
        raise RuntimeError("a bug")

    answer = teams.client.post(activities.message("krasch", SENDER, CHAT))

    assert answer.status == 200
    assert answer.texts == [render("internal_error")]
    [record] = [r for r in caplog.records if r.name == "handlers.teams.errors"]
    assert record.exc_info and "a bug" in str(record.exc_info[1])


def test_a_bug_behind_a_card_button_is_answered_on_the_card(teams):
    @teams.teams.app.adaptive_card.action_execute("krasch")
    async def crash(context: TurnContext, state: TurnState, data: dict) -> None:
        raise RuntimeError("a bug")

    answer = teams.client.post(activities.invoke_action("krasch", {"verb": "krasch"}, SENDER, CHAT))

    assert answer.status == 200
    assert answer.json() == {"statusCode": 200, "type": "application/vnd.microsoft.activity.message",
                             "value": render("internal_error")}  # fmt: skip


def test_an_invoke_no_handler_knows_is_501(teams):
    answer = teams.client.post(activities.invoke_action("nobody-knows", {}, SENDER, CHAT))
    assert answer.status == 501


def test_the_health_check_covers_the_database_and_both_platforms(teams_runtime):
    from bot.teams.app import build_teams_app

    slack = slack_endpoint(build_bolt_app(teams_runtime), teams_runtime)
    teams_app = build_teams_app(teams_runtime)
    server = BackgroundServer(
        build_wsgi_app(teams_runtime, slack=slack, teams=teams_endpoint(teams_app, teams_runtime))
    )
    server.start()
    try:
        assert get(f"{server.url}/healthz") == (
            200, {"status": "ok", "database": "ok", "platforms": {"slack": "served", "teams": "served"},
                  "teams_installations": 0})  # fmt: skip
        assert TeamsClient(server.url).post(activities.message("hjälp", SENDER, CHAT)).status == 200
    finally:
        server.stop()


def test_a_platform_not_served_is_404_and_said_so_by_the_health_check(teams):
    assert get(f"{teams.url}/healthz") == (
        200, {"status": "ok", "database": "ok", "platforms": {"slack": "not served", "teams": "served"},
                  "teams_installations": 0})  # fmt: skip
    request = urllib.request.Request(f"{teams.url}/slack/events", data=b"{}", method="POST")
    with pytest.raises(HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 404


def test_the_health_check_says_when_the_database_does_not_answer(teams_runtime):
    from sqlalchemy import create_engine

    broken = create_engine("sqlite:////nonexistent-dir/x.db")
    runtime = type(teams_runtime)(**{**teams_runtime.__dict__, "engine": broken})
    server = BackgroundServer(build_wsgi_app(runtime)).start()
    try:
        status, body = get(f"{server.url}/healthz")
    finally:
        server.stop()
    assert (status, body["status"], body["database"]) == (503, "unavailable", "unreachable")


def test_get_on_the_messaging_endpoint_is_404(teams):
    with pytest.raises(HTTPError) as refused:
        urllib.request.urlopen(f"{teams.url}/api/messages", timeout=5)
    assert refused.value.code == 404


def test_a_failure_outside_the_handlers_is_logged_and_answered_500(teams, caplog, monkeypatch):
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the SDK failed before any handler ran")

    monkeypatch.setattr(teams.teams.adapter._channel_service_client_factory, "create_user_token_client", broken)

    answer = teams.client.post(activities.message("hjälp", SENDER, CHAT))

    assert answer.status == 500
    [record] = [r for r in caplog.records if r.name == "bot.teams.http"]
    assert record.exc_info and "before any handler" in str(record.exc_info[1])
