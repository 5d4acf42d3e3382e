"""/api/messages over real HTTP: malformed bodies refused with 400 and one log line, a handler's bug answered
politely, the one server serving both platforms and its health check."""

import io
import json
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.error import HTTPError

import pytest
from microsoft_agents.hosting.core import TurnContext, TurnState

from bot.cli import main
from bot.demo import teams_activities as activities
from bot.demo.teams_client import TeamsClient
from bot.server import build_wsgi_app
from bot.slack.app import build_bolt_app, slack_endpoint
from bot.teams.http import teams_endpoint
from bot.web import MAX_BODY_BYTES, BackgroundServer
from handlers.teams.commands import on_command
from messages.render import render
from tests import teams_serving_support
from tests.conftest import EXAMPLE, ROOT
from tests.slack_edge_support import row_counts
from tests.teams_serving_support import APP_ID, TENANT

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


def teams_only_config(folder: Path) -> Path:
    """The example association on Teams alone: people by Entra object id, channels as Teams channels."""
    text = EXAMPLE.read_text(encoding="utf-8").split("\ncases:")[0]
    text = re.sub(r", slack_id: U0\w+", "", text)
    head, people, rest = re.split(r"(?m)^(?=people:|roles:)", text)
    text = head + re.sub(r"^  - \{id: ([\w-]+), name:", _with_teams_id, people, flags=re.M) + rest
    text = re.sub(r"\b(C0[A-Z0-9]{8})\b", lambda m: f"'teams:19:{m[1].lower()}@thread.tacv2'", text)
    path = folder / "teams.yaml"
    path.write_text("platforms: [teams]\n" + text, encoding="utf-8")
    return path


def _with_teams_id(person: re.Match) -> str:
    return f"  - {{id: {person[1]}, teams_id: {uuid.uuid5(uuid.NAMESPACE_OID, person[1])}, name:"


def teams_environment(database_url: str, config: Path) -> dict[str, str]:
    """The environment of a Teams-only deployment: the app registration, no Slack variable at all."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMS_"))}
    return {**environ, "DATABASE_URL": database_url, "SAMVERKAN_CONFIG": str(config), "TEAMS_APP_ID": APP_ID,
            "TEAMS_APP_PASSWORD": "secret", "TEAMS_TENANT_ID": TENANT, "PYTHONPATH": str(ROOT)}  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_with_a_teams_only_configuration_starts_and_serves_teams_alone(tmp_path, database_url):
    port = free_port()
    command = [sys.executable, "-m", "bot.cli", "serve", "--port", str(port), "--no-scheduler"]
    environment = teams_environment(database_url, teams_only_config(tmp_path))
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stderr=subprocess.PIPE, text=True)
    try:
        health = _wait_for_health(f"http://127.0.0.1:{port}/healthz", process)
        unsigned = TeamsClient(f"http://127.0.0.1:{port}").post(activities.message("hjälp", SENDER, CHAT))
        slack = urllib.request.Request(f"http://127.0.0.1:{port}/slack/events", data=b"{}", method="POST")
        with pytest.raises(HTTPError) as refused:
            urllib.request.urlopen(slack, timeout=5)
    finally:
        process.terminate()
        _, log = process.communicate(timeout=10)
    assert health == {"status": "ok", "database": "ok", "platforms": {"teams": "served"}, "teams_installations": 0}
    assert unsigned.status == 401  # TEAMS_ANONYMOUS is not set: a token is required
    assert refused.value.code == 404
    assert f"serving Teams on :{port}/api/messages, health check on :{port}/healthz" in log


def _wait_for_health(url: str, process: subprocess.Popen, timeout: float = 30.0) -> dict:
    """The health check's answer once the server is up (it is polled: the process starts in its own time)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited with {process.returncode}: {process.stderr.read()}")
        try:
            return get(url)[1]
        except OSError:
            time.sleep(0.1)
    raise AssertionError("serve did not answer its health check")


def teams_only(monkeypatch, database_url: str, folder: Path) -> None:
    """The process environment of a Teams-only deployment (no Slack variable at all)."""
    for name in [n for n in os.environ if n.startswith(("SLACK_", "TEAMS_"))]:
        monkeypatch.delenv(name)
    for name, value in teams_environment(database_url, teams_only_config(folder)).items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize("command", [["serve", "--port", "0"], ["clock"], ["tick"]])
def test_a_command_needs_the_teams_settings_when_teams_is_enabled(tmp_path, database_url, monkeypatch, capsys, command):
    teams_only(monkeypatch, database_url, tmp_path)
    monkeypatch.delenv("TEAMS_APP_PASSWORD")

    assert main(command) == 2
    assert capsys.readouterr().err.splitlines() == [
        "samverkan: TEAMS_APP_PASSWORD is not set: set it to a client secret of that app registration "
        "(or TEAMS_ANONYMOUS=1, only for local testing)"
    ]


def test_tick_with_a_teams_only_configuration_needs_no_slack_setting(tmp_path, database_url, monkeypatch, capsys):
    teams_only(monkeypatch, database_url, tmp_path)
    monkeypatch.setenv("TEAMS_ANONYMOUS", "1")
    monkeypatch.delenv("TEAMS_APP_PASSWORD")  # anonymous mode with a secret is refused

    assert main(["tick", "--now", "2027-02-01T07:00+01:00"]) == 0
    assert capsys.readouterr().out.startswith("tick at 2027-02-01T07:00:00+01:00: 0 sent")


def test_a_failure_outside_the_handlers_is_logged_and_answered_500(teams, caplog, monkeypatch):
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the SDK failed before any handler ran")

    monkeypatch.setattr(teams.teams.adapter._channel_service_client_factory, "create_user_token_client", broken)

    answer = teams.client.post(activities.message("hjälp", SENDER, CHAT))

    assert answer.status == 500
    [record] = [r for r in caplog.records if r.name == "bot.teams.http"]
    assert record.exc_info and "before any handler" in str(record.exc_info[1])
