"""The Teams app package an administrator uploads to Teams: manifest.json (schema 1.19) and the two icons, zipped.

The manifest names the bot by its Microsoft App ID (TEAMS_APP_ID), offers it in personal chats, teams and group
chats with a command menu per scope, accepts files (the file consent card), and adds the message action
"Registrera som synpunkt". Its texts are Swedish, from labels.toml (teams_app).
"""

import io
import json
import re
import uuid
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import version as installed_version
from urllib.parse import urlsplit

from bot.config.model import AssociationConfig
from bot.settings import Settings, SettingsError
from bot.teams.icons import color_icon, outline_icon
from messages.chunks import cut
from messages.labels import label_tables, labels

SCHEMA_URL = "https://developer.microsoft.com/en-us/json-schemas/teams/v1.19/MicrosoftTeams.schema.json"
MANIFEST_VERSION = "1.19"
ACCENT_COLOR = "#1D4F91"  # the Slack app's background colour (manifest.yml)
MESSAGE_ACTION_ID = "registrera_synpunkt"  # the composeExtension command id the message action invokes
# Which commands the menu offers where: the personal ones answer with what only the asker should see.
COMMANDS_BY_SCOPE = {
    "personal": ("kommunikationsplan", "uppfoljning", "synpunkt", "direktion", "mina_uppgifter", "hjalp"),
    "team": ("kommunikationsplan", "synpunkt", "hjalp"),
    "groupChat": ("kommunikationsplan", "synpunkt", "hjalp"),
}
# A stable namespace for the app id derived from the bot id: the same bot gets the same app on every run, so an
# uploaded package replaces the earlier one.
APP_ID_NAMESPACE = uuid.UUID("0c6b0f3e-8d0a-4b7c-9a55-5a6d5e7c2f11")
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
HOST = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")
DEVELOPER_NAME_LIMIT = 32


@dataclass(frozen=True)
class PackageSettings:
    """What the package needs from the environment, each checked: the bot, the host, the app's identity and the
    developer's pages."""

    bot_id: str
    public_host: str
    app_id: str
    version: str
    developer_name: str | None
    website_url: str
    privacy_url: str
    terms_url: str

    @classmethod
    def from_env(cls, settings: Settings, environ: Mapping[str, str]) -> "PackageSettings":
        """Read and check them; SettingsError in one line naming the first one to fix."""
        bot_id = _bot_id(settings)
        host = _public_host(environ.get("SAMVERKAN_PUBLIC_HOST", ""))
        app_id = environ.get("TEAMS_APP_PACKAGE_ID") or str(uuid.uuid5(APP_ID_NAMESPACE, bot_id.lower()))
        if not GUID.match(app_id):
            raise SettingsError(f"TEAMS_APP_PACKAGE_ID {app_id!r} is not a GUID: leave it unset to derive one")
        version = environ.get("TEAMS_APP_VERSION") or installed_version("samverkan")
        if not SEMVER.match(version):
            raise SettingsError(f"TEAMS_APP_VERSION {version!r} is not a version like 1.0.3 (three numbers)")
        site = f"https://{host}/"
        return cls(
            bot_id=bot_id,
            public_host=host,
            app_id=app_id,
            version=version,
            developer_name=environ.get("TEAMS_APP_DEVELOPER") or None,
            website_url=_https_url("TEAMS_APP_WEBSITE_URL", environ.get("TEAMS_APP_WEBSITE_URL") or site),
            privacy_url=_https_url("TEAMS_APP_PRIVACY_URL", environ.get("TEAMS_APP_PRIVACY_URL") or site),
            terms_url=_https_url("TEAMS_APP_TERMS_URL", environ.get("TEAMS_APP_TERMS_URL") or site),
        )


def _bot_id(settings: Settings) -> str:
    if not settings.teams_app_id:
        raise SettingsError(
            "TEAMS_APP_ID is not set: set it to the Azure Bot's Microsoft App ID (Azure portal -> the Azure Bot -> "
            "Configuration), the bot the package installs"
        )
    if not GUID.match(settings.teams_app_id):
        raise SettingsError(
            f"TEAMS_APP_ID {settings.teams_app_id!r} is not a GUID: copy the Microsoft App ID from the Azure Bot's "
            "Configuration page"
        )
    return settings.teams_app_id


def _public_host(value: str) -> str:
    """The host name Teams reaches the bot at; 'https://host/' is accepted for 'host'."""
    text = value.strip()
    if not text:
        raise SettingsError(
            "SAMVERKAN_PUBLIC_HOST is not set: set it to the host name of the bot's messaging endpoint "
            "(https://<host>/api/messages), e.g. samverkan.example.se"
        )
    parts = urlsplit(text if "://" in text else f"https://{text}")
    if parts.scheme != "https" or parts.path not in ("", "/") or parts.query or not HOST.match(parts.netloc):
        raise SettingsError(
            f"SAMVERKAN_PUBLIC_HOST {value!r} is not a host name: give only the host of the messaging endpoint, "
            "e.g. samverkan.example.se"
        )
    return parts.netloc.lower()


def _https_url(name: str, value: str) -> str:
    if not value.lower().startswith("https://"):
        raise SettingsError(f"{name} {value!r} is not an https:// address: Teams shows only https pages")
    return value


def _commands(scope: str) -> list[dict[str, str]]:
    menu = label_tables("teams_app.commands")
    return [
        {"title": menu[command]["title"], "description": menu[command]["description"]}
        for command in COMMANDS_BY_SCOPE[scope]
    ]


def _developer(config: AssociationConfig) -> str:
    """The association's name when it fits the developer's 32 characters, else its short name."""
    name = config.association.name
    return name if len(name) <= DEVELOPER_NAME_LIMIT else config.association.short_name


def build_manifest(config: AssociationConfig, package: PackageSettings) -> dict:
    """The manifest.json of the package, as a dict."""
    texts = labels("teams_app.texts")
    action = labels("teams_app.message_action")
    association = config.association.name
    return {
        "$schema": SCHEMA_URL,
        "manifestVersion": MANIFEST_VERSION,
        "version": package.version,
        "id": package.app_id,
        "localizationInfo": {"defaultLanguageTag": "sv-se"},
        "developer": {
            "name": cut(package.developer_name or _developer(config), DEVELOPER_NAME_LIMIT),
            "websiteUrl": package.website_url,
            "privacyUrl": package.privacy_url,
            "termsOfUseUrl": package.terms_url,
        },
        "name": {"short": texts["name"], "full": cut(texts["full_name"].format(association=association), 100)},
        "description": {"short": texts["short_description"], "full": texts["full_description"]},
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": ACCENT_COLOR,
        "bots": [
            {
                "botId": package.bot_id,
                "scopes": list(COMMANDS_BY_SCOPE),
                "supportsFiles": True,
                "isNotificationOnly": False,
                "commandLists": [{"scopes": [scope], "commands": _commands(scope)} for scope in COMMANDS_BY_SCOPE],
            }
        ],
        "composeExtensions": [
            {
                "botId": package.bot_id,
                "commands": [
                    {
                        "id": MESSAGE_ACTION_ID,
                        "type": "action",
                        "context": ["message"],
                        "fetchTask": True,
                        "title": action["title"],
                        "description": action["description"],
                    }
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [package.public_host],
        "defaultInstallScope": "personal",
    }


def _member(name: str, data: bytes) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))  # a fixed time: the same bytes on every run
    info.compress_type = zipfile.ZIP_DEFLATED
    return info, data


def app_package(config: AssociationConfig, package: PackageSettings) -> bytes:
    """The zip to upload: manifest.json, color.png and outline.png at its root."""
    manifest = json.dumps(build_manifest(config, package), ensure_ascii=False, indent=2) + "\n"
    members = (
        _member("manifest.json", manifest.encode("utf-8")),
        _member("color.png", color_icon(ACCENT_COLOR)),
        _member("outline.png", outline_icon()),
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info, data in members:
            archive.writestr(info, data)
    return buffer.getvalue()
