"""Settings from the environment, each missing one reported in one line saying what to set."""

import os
from dataclasses import dataclass

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///samverkan.db"
DEFAULT_CONFIG = "samverkan.yaml"


class SettingsError(Exception):
    pass


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str | None
    slack_signing_secret: str | None
    slack_app_token: str | None
    slack_api_url: str
    database_url: str
    config_path: str
    # Teams: the Azure Bot's app registration (Microsoft Entra app id, a client secret and its tenant).
    teams_app_id: str | None = None
    teams_app_password: str | None = None
    teams_tenant_id: str | None = None
    # Only for trying the bot locally (the Agents Playground): accept requests without a Bot Framework token and
    # send without one. Never in production.
    teams_anonymous: bool = False

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        api_url = env.get("SLACK_API_URL") or DEFAULT_SLACK_API_URL
        return cls(
            slack_bot_token=env.get("SLACK_BOT_TOKEN") or None,
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
            slack_app_token=env.get("SLACK_APP_TOKEN") or None,
            slack_api_url=api_url if api_url.endswith("/") else api_url + "/",
            # Set but empty (a secret that did not resolve) is an error, not the local SQLite file: see check_driver.
            database_url=env["DATABASE_URL"] if "DATABASE_URL" in env else DEFAULT_DATABASE_URL,
            config_path=env.get("SAMVERKAN_CONFIG") or DEFAULT_CONFIG,
            teams_app_id=env.get("TEAMS_APP_ID") or None,
            teams_app_password=env.get("TEAMS_APP_PASSWORD") or None,
            teams_tenant_id=env.get("TEAMS_TENANT_ID") or None,
            teams_anonymous=(env.get("TEAMS_ANONYMOUS") or "").strip().lower() in {"1", "true", "yes"},
        )

    def require_slack(self, socket_mode: bool = False) -> None:
        """Raise SettingsError naming the first Slack setting that is missing."""
        if not self.slack_bot_token:
            raise SettingsError(
                "SLACK_BOT_TOKEN is not set: set it to the app's Bot User OAuth Token (xoxb-...), "
                "from the Slack app's OAuth & Permissions page"
            )
        if not socket_mode and not self.slack_signing_secret:
            raise SettingsError(
                "SLACK_SIGNING_SECRET is not set: set it to the Signing Secret "
                "from the Slack app's Basic Information page"
            )

    def require_teams(self) -> None:
        """Raise SettingsError naming the first Teams setting that is missing (none in anonymous mode, which must not
        be combined with a secret)."""
        if self.teams_anonymous:
            if self.teams_app_password:
                raise SettingsError(
                    "TEAMS_ANONYMOUS=1 and TEAMS_APP_PASSWORD are both set: anonymous mode is only for local "
                    "testing; unset one"
                )
            return
        for name, value, where in (
            ("TEAMS_APP_ID", self.teams_app_id, "the Azure Bot's Microsoft App ID"),
            ("TEAMS_APP_PASSWORD", self.teams_app_password, "a client secret of that app registration"),
            ("TEAMS_TENANT_ID", self.teams_tenant_id, "the tenant (directory) id of that app registration"),
        ):
            if not value:
                raise SettingsError(
                    f"{name} is not set: set it to {where} (or TEAMS_ANONYMOUS=1, only for local testing)"
                )

    def with_config(self, path: str | None) -> "Settings":
        if not path:
            return self
        return Settings(**{**self.__dict__, "config_path": path})
