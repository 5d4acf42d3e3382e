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

    def with_config(self, path: str | None) -> "Settings":
        if not path:
            return self
        return Settings(**{**self.__dict__, "config_path": path})
