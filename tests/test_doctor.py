"""`samverkan doctor` against the fake Slack, with each failure injected; the scope table against the code and
manifest.yml."""

import re
import socket
import subprocess
import sys

import pytest
import yaml

from bot.cli import main
from bot.slack.scopes import WEB_API_SCOPES, needed_scopes
from tests.conftest import EXAMPLE, ROOT

DOCTOR = ["doctor", "--config", str(EXAMPLE)]


@pytest.fixture
def slack_env(monkeypatch, fake_slack):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    monkeypatch.delenv("SAMVERKAN_CONFIG", raising=False)


def _doctor(capsys) -> tuple[int, list[str]]:
    code = main(DOCTOR)
    out, err = capsys.readouterr()
    assert err == ""
    return code, out.splitlines()


def _problems(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("- ")]


def test_a_workspace_that_matches_the_file_has_no_problems(slack_env, fake_slack, capsys):
    code, lines = _doctor(capsys)
    assert code == 0
    assert lines[1:] == [
        "ok       token: the bot user UBOT in the workspace Fake",
        f"ok       scopes: all {len(needed_scopes())} the app needs are granted",
        "ok       channels: the bot is a member of all 19",  # the board's public channel among them
        "ok       people: all 24 checked are in Slack",
        "no problems found",
    ]
    assert len(fake_slack.calls_to("conversations.info")) == 19
    assert len(fake_slack.calls_to("users.info")) + len(fake_slack.calls_to("users.lookupByEmail")) == 24


def test_an_invalid_token_is_the_one_problem_and_nothing_else_is_asked(slack_env, fake_slack, capsys):
    fake_slack.workspace.bot_token = "xoxb-the-right-one"
    code, lines = _doctor(capsys)
    assert code == 1
    assert _problems(lines) == ["- token: Slack refuses it (invalid_auth)"]
    assert "Fix: set SLACK_BOT_TOKEN to the app's Bot User OAuth Token (xoxb-...)" in "\n".join(lines)
    assert "skipped  scopes, channels and people: they need a working token" in lines
    assert [call.method for call in fake_slack.calls] == ["auth.test"]


def test_a_missing_scope_is_named_with_what_needs_it_and_its_checks_are_skipped(slack_env, fake_slack, capsys):
    fake_slack.workspace.scopes = needed_scopes() - {"users:read.email"}
    code, lines = _doctor(capsys)
    assert code == 1
    assert _problems(lines) == [
        "- scopes: the token lacks users:read.email (for users.info, users.lookupByEmail)",
    ]
    text = "\n".join(lines)
    assert "Fix: add them under OAuth & Permissions -> Bot Token Scopes" in text
    assert "skipped  20 people: users.info needs the scope users:read.email (see above)" in lines
    assert "skipped  4 people: users.lookupByEmail needs the scope users:read.email (see above)" in lines
    assert fake_slack.calls_to("users.info") == [] and fake_slack.calls_to("users.lookupByEmail") == []


def test_the_bot_outside_a_channel_and_an_unknown_channel(slack_env, fake_slack, capsys):
    fake_slack.workspace.channels_without_bot.add("C0SURAHAM1")
    fake_slack.workspace.missing_channels.add("C0VMKFITTR")
    code, lines = _doctor(capsys)
    assert code == 1
    assert _problems(lines) == [
        "- channel C0SURAHAM1 (member surahammar): the bot is not a member of #Surahammars kommun",
        "- channel C0VMKFITTR (triage channel of it): no such channel, or it is private and the bot is not in it",
    ]
    text = "\n".join(lines)
    assert "Fix: in Slack, open #Surahammars kommun and type /invite @Samverkan" in text
    assert "Fix: check the id in the file" in text


def test_an_email_that_does_not_resolve_an_unknown_and_a_deactivated_user_id(slack_env, fake_slack, capsys):
    users = fake_slack.workspace.users
    kungsor = next(user for user in users.values() if user["email"] == "kommunchef@kungsor.example")
    kungsor["email"] = "someone-else@kungsor.example"
    del users["U0VMKF0010"]
    users["U0VMKF0030"]["deleted"] = "true"
    code, lines = _doctor(capsys)
    assert code == 1
    assert _problems(lines) == [
        "- people: it-chef (IT-chefen (exempel)): no Slack user U0VMKF0010 in this workspace",
        "- people: ordforande (Direktionens ordförande (exempel)): the Slack account U0VMKF0030 is deactivated",
        "- people: kommunchef-kungsor (Kommunchef Kungsör (exempel)): no Slack user has the e-mail address "
        "kommunchef@kungsor.example",
    ]
    assert "Fix: copy the member id from the person's Slack profile" in "\n".join(lines)


def test_a_rate_limit_is_waited_out_and_retried(slack_env, fake_slack, capsys):
    fake_slack.fail_next("conversations.info", status=429, error="ratelimited", retry_after=0)
    code, lines = _doctor(capsys)
    assert code == 0
    refused = [call for call in fake_slack.calls if call.method == "conversations.info" and call.status == 429]
    assert len(refused) == 1 and len(fake_slack.calls_to("conversations.info")) == 19


def test_a_server_error_that_persists_is_reported_and_the_rest_still_checked(slack_env, fake_slack, capsys):
    fake_slack.fail_next("users.info", status=503, error="service_unavailable", times=2)  # the call and its retry
    code, lines = _doctor(capsys)
    assert code == 1
    assert _problems(lines) == [
        "- people: forbundschef (Förbundschefen (exempel)): not checked: Slack answered HTTP 503 to users.info "
        "after retrying"
    ]
    assert "  Fix: Slack is busy or having trouble: run samverkan doctor again in a few minutes" in lines
    assert len(fake_slack.calls_to("users.info")) == 19  # every other person was still looked up


def test_a_rate_limit_that_persists_is_reported(slack_env, fake_slack, capsys):
    fake_slack.fail_next("auth.test", status=429, error="ratelimited", retry_after=0, times=4)
    code, lines = _doctor(capsys)
    assert code == 1
    assert _problems(lines) == [
        "- token: not checked: Slack still answered 429 (rate limited) to auth.test after retrying"
    ]


def test_slack_out_of_reach_is_one_problem_and_exit_3(slack_env, monkeypatch, capsys):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv("SLACK_API_URL", f"http://127.0.0.1:{port}/api/")
    code, lines = _doctor(capsys)
    assert code == 3  # something outside failed, as the exit-code rule says
    problems = _problems(lines)
    assert len(problems) == 1 and problems[0].startswith(
        f"- Slack: no answer from the Slack API at http://127.0.0.1:{port}"
    )


def test_doctor_without_a_token_is_a_settings_error(slack_env, monkeypatch, fake_slack, capsys):
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    assert main(DOCTOR) == 2
    assert capsys.readouterr().err.startswith("samverkan: SLACK_BOT_TOKEN is not set")
    assert fake_slack.calls == []


def test_doctor_through_the_real_command(fake_slack):
    fake_slack.workspace.channels_without_bot.add("C0DIREKTIO")
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", *DOCTOR],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": fake_slack.url},
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "- channel C0DIREKTIO (forum direktion): the bot is not a member of #Direktionen" in done.stdout


def test_the_fake_refuses_a_method_whose_scope_is_not_granted(fake_slack):
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    fake_slack.workspace.scopes = needed_scopes() - {"im:write"}
    client = WebClient(token="xoxb-test", base_url=fake_slack.url)
    with pytest.raises(SlackApiError) as raised:
        client.conversations_open(users="U0VMKF0010")
    assert raised.value.response["error"] == "missing_scope" and raised.value.response["needed"] == "im:write"
    assert "im:write" not in client.auth_test().headers["x-oauth-scopes"].split(",")


def _called_methods() -> set[str]:
    """Every Slack Web API method the code calls through a WebClient (bot/, handlers/; not the demo's fake)."""
    uploads = {"files_upload_v2": ["files.getUploadURLExternal", "files.completeUploadExternal"]}
    called = set()
    sources = [*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/**/*.py")]
    for path in sources:
        if "demo" in path.relative_to(ROOT).parts:
            continue
        for name in re.findall(r"\bclient\.([a-z]+_[A-Za-z0-9_]+)\(", path.read_text(encoding="utf-8")):
            called.update(uploads.get(name) or [name.replace("_", ".", 1)])
    return called


def test_every_web_api_method_the_code_calls_is_in_the_scope_table():
    called = _called_methods()
    assert {"chat.postMessage", "users.lookupByEmail", "conversations.info", "views.open"} <= called
    assert called - set(WEB_API_SCOPES) == set()


def test_the_manifest_asks_for_exactly_the_scopes_the_table_needs():
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == needed_scopes()
