"""Bot Framework tokens on /api/messages: a valid one is let in; anything else gets 401, one log line without the
body, and has no effect (no row, no reply, no handler run). Keys come from a JWKS on 127.0.0.1, never the internet."""

import json
import logging
import time

import jwt
import pytest

from bot.demo import teams_activities as activities
from tests import teams_serving_support
from tests.slack_edge_support import row_counts
from tests.teams_serving_support import APP_ID, SigningKey, object_id

secured = teams_serving_support.secured
signing_key = teams_serving_support.signing_key
teams = teams_serving_support.teams
teams_loop = teams_serving_support.teams_loop
teams_runtime = teams_serving_support.teams_runtime

MARKER = "MARKER-body-must-not-be-logged"


def install(sender: dict) -> dict:
    """The activity with the most effect: it stores a conversation and a roster row, and welcomes the user."""
    activity = activities.installation_update("add", sender, activities.personal_chat(sender), expect_replies=True)
    return {**activity, "text": MARKER}


def test_a_valid_token_is_let_in(secured, signing_key):
    sender = activities.user(object_id())
    answer = secured.client.post(install(sender))
    assert answer.status == 200
    assert answer.texts  # the welcome
    assert signing_key.fetches == 1


def unsigned(key: SigningKey) -> str:
    """The right claims, no signature."""
    now = int(time.time())
    return jwt.encode({"iss": "https://api.botframework.com", "aud": APP_ID, "exp": now + 600}, None, algorithm="none")


TOKENS = {
    "garbage": lambda key: {"Authorization": "Bearer not-a-jwt"},
    "wrong scheme": lambda key: {"Authorization": f"Basic {key.token()}"},
    "no token after Bearer": lambda key: {"Authorization": "Bearer "},
    "two tokens": lambda key: {"Authorization": f"Bearer {key.token()} {key.token()}"},
    "no Authorization header": lambda key: {},
    "unsigned (alg none)": lambda key: {"Authorization": f"Bearer {unsigned(key)}"},
    "expired": lambda key: {"Authorization": f"Bearer {key.token(exp=int(time.time()) - 3600)}"},
    "wrong audience": lambda key: {"Authorization": f"Bearer {key.token(aud='another-app')}"},
    "no audience": lambda key: {"Authorization": f"Bearer {key.token(aud=None)}"},
    "wrong issuer": lambda key: {"Authorization": f"Bearer {key.token(iss='https://evil.example')}"},
    "unknown key id": lambda key: {"Authorization": f"Bearer {key.token(kid='another-key')}"},
    "signed by another key": lambda key: {"Authorization": f"Bearer {_foreign(key)}"},
}


def _foreign(key: SigningKey) -> str:
    foreign = SigningKey(kid=key.kid)
    try:
        return foreign.token()
    finally:
        foreign.stop()


@pytest.mark.parametrize("variant", TOKENS)
def test_a_request_without_a_valid_token_gets_401_and_has_no_effect(secured, signing_key, engine, caplog, variant):
    caplog.set_level(logging.DEBUG)
    rows = row_counts(engine)
    headers = {"Content-Type": "application/json", **TOKENS[variant](signing_key)}

    answer = secured.client.raw(json.dumps(install(activities.user(object_id()))).encode(), headers)

    assert answer.status == 401
    assert answer.json() == {"error": "Unauthorized"}
    assert row_counts(engine) == rows
    assert MARKER not in caplog.text
    [line] = [record for record in caplog.records if record.name == "bot.teams.http"]
    assert line.getMessage().startswith("refused a Teams request without a valid token: ")


def test_anonymous_mode_lets_in_a_request_without_a_token(teams):
    sender = activities.user(object_id())
    assert teams.client.post(install(sender)).status == 200


def test_anonymous_mode_still_refuses_a_token_that_does_not_validate(teams, engine):
    rows = row_counts(engine)
    answer = teams.client.post(install(activities.user(object_id())), token="not-a-jwt")
    assert answer.status == 401
    assert row_counts(engine) == rows


def test_a_valid_token_for_another_service_url_is_refused(secured, signing_key, engine):
    """A token the Bot Framework issued for one Bot Connector does not send the app's replies to another host."""
    rows = row_counts(engine)
    token = signing_key.token(serviceurl="https://smba.trafficmanager.net/emea/")
    answer = secured.client.post(install(activities.user(object_id())), token=token)
    assert answer.status == 401
    assert row_counts(engine) == rows


@pytest.mark.parametrize("where", ["conversation", "channelData"])
def test_an_activity_from_another_tenant_is_refused(secured, signing_key, engine, caplog, where):
    sender = activities.user(object_id())
    activity = activities.installation_update(
        "add", sender, activities.personal_chat(sender, tenant="another-tenant"), expect_replies=True
    )
    if where == "channelData":
        activity["conversation"].pop("tenantId", None)
    before = row_counts(engine)
    with caplog.at_level(logging.WARNING):
        answer = secured.client.post(activity)
    assert answer.status == 403 and row_counts(engine) == before
    assert [r.getMessage() for r in caplog.records if "tenant" in r.getMessage()] == [
        "refused a Teams request from another tenant than TEAMS_TENANT_ID"
    ]
