"""The Teams settings from the environment: what require_teams refuses, in one line each."""

import pytest

from bot.settings import Settings, SettingsError

PRODUCTION = {"TEAMS_APP_ID": "app", "TEAMS_APP_PASSWORD": "secret", "TEAMS_TENANT_ID": "tenant"}


def test_anonymous_mode_with_a_secret_is_refused():
    settings = Settings.from_env({**PRODUCTION, "TEAMS_ANONYMOUS": "1"})
    with pytest.raises(SettingsError) as error:
        settings.require_teams()
    assert str(error.value) == (
        "TEAMS_ANONYMOUS=1 and TEAMS_APP_PASSWORD are both set: anonymous mode is only for local testing; unset one"
    )


def test_anonymous_mode_without_a_secret_and_production_settings_are_accepted():
    Settings.from_env({"TEAMS_ANONYMOUS": "1"}).require_teams()
    Settings.from_env(PRODUCTION).require_teams()


@pytest.mark.parametrize("missing", sorted(PRODUCTION))
def test_a_missing_production_setting_is_named(missing):
    settings = Settings.from_env({k: v for k, v in PRODUCTION.items() if k != missing})
    with pytest.raises(SettingsError, match=f"^{missing} is not set"):
        settings.require_teams()
