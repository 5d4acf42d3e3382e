"""The Bot Connector token: MSAL's for the app registration, none when anonymous, and a failure to get one retried
with a message for the operator that never shows the secret."""

import pytest
from microsoft_agents.authentication.msal import MsalAuth

from bot.delivery.platform import Failure, SendError
from bot.settings import Settings, SettingsError
from bot.teams.loop import AsyncLoop
from bot.teams.tokens import BOT_FRAMEWORK_RESOURCE, BOT_FRAMEWORK_SCOPE, msal_token, token_source

SECRET = "very-secret-client-secret"


def settings(**teams: object) -> Settings:
    values = {"teams_app_id": "app-id-1", "teams_app_password": SECRET, "teams_tenant_id": "tenant-1"}
    return Settings(None, None, None, "http://127.0.0.1:9/", "sqlite://", "x.yaml", **{**values, **teams})


@pytest.fixture
def loop():
    loop = AsyncLoop()
    yield loop
    loop.stop()


def test_anonymous_mode_sends_no_token(loop):
    assert loop.run(token_source(settings(teams_anonymous=True, teams_app_password=None))()) == ""


def test_the_app_registration_is_required_outside_anonymous_mode():
    with pytest.raises(SettingsError, match="TEAMS_APP_PASSWORD"):
        token_source(settings(teams_app_password=None))


def test_the_token_is_asked_of_msal_for_the_bot_framework(loop, monkeypatch):
    asked = []

    async def get_access_token(self, resource_url, scopes, force_refresh=False):
        asked.append((self.configuration.CLIENT_ID, self.configuration.TENANT_ID, resource_url, scopes))
        return "token-from-entra"

    monkeypatch.setattr(MsalAuth, "get_access_token", get_access_token)
    assert loop.run(msal_token(settings())()) == "token-from-entra"
    assert asked == [("app-id-1", "tenant-1", BOT_FRAMEWORK_RESOURCE, [BOT_FRAMEWORK_SCOPE])]


def test_a_token_entra_will_not_give_is_retried_and_the_operator_told_what_to_check(loop, monkeypatch, caplog):
    async def get_access_token(self, resource_url, scopes, force_refresh=False):
        raise ValueError(f"AADSTS7000215: Invalid client secret provided ({SECRET[:4]}...)")

    monkeypatch.setattr(MsalAuth, "get_access_token", get_access_token)
    with pytest.raises(SendError) as raised:
        loop.run(msal_token(settings())())
    assert (raised.value.code, raised.value.failure) == ("teams_token_error", Failure.RETRY)
    assert "TEAMS_APP_PASSWORD" in caplog.text and "app-id-1" in caplog.text
    assert "AADSTS7000215" in caplog.text and SECRET not in caplog.text
