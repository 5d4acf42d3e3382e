"""The example association (bot/demo/vmkf.yaml) moved to Teams for `samverkan demo --platform teams`: Teams as its
platform, each person with a Slack id given an Entra object id instead (people given only by e-mail stay so, and
are found by it in the roster), each channel a Teams channel, the General channel of a team of its own."""

import re
import uuid
from pathlib import Path

from bot.config.model import AssociationConfig
from bot.demo.workspace import board_channels

SLACK_USER = re.compile(r"slack_id: (U[A-Z0-9]+)")
SLACK_CHANNEL = re.compile(r"\b(C0[A-Z0-9]{8})\b")
E_MAIL_ONLY = re.compile(r"^(  - \{id: [^}\n]*email: [^}\n]*)\}$", re.MULTILINE)
TEAMS_PREFIX = "teams:"


def object_id(slack_id: str) -> str:
    """The Entra object id the Teams twin of a Slack user of the example has."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"slack:{slack_id}"))


def channel_id(slack_channel: str) -> str:
    """The Teams channel id the Teams twin of a Slack channel of the example has."""
    return f"19:{slack_channel.lower()}@thread.tacv2"


def teams_text(slack_example: str) -> str:
    """The association file's text with Teams as its platform, each person and channel on Teams."""
    text = slack_example.replace("\nsettings:", "\nplatforms: [teams]\nsettings:", 1)
    text = SLACK_USER.sub(lambda match: f"teams_id: {object_id(match.group(1))}", text)
    text = E_MAIL_ONLY.sub(lambda match: f"{match.group(1)}, platform: teams}}", text)
    return SLACK_CHANNEL.sub(lambda match: f'"{TEAMS_PREFIX}{channel_id(match.group(1))}"', text)


def write_teams_example(slack_example: Path, directory: Path) -> Path:
    """The Teams variant of `slack_example` written beside the demo's database (where a user can read it)."""
    path = directory / f"{slack_example.stem}-teams.yaml"
    path.write_text(teams_text(slack_example.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def teams_channels(config: AssociationConfig) -> dict[str, str]:
    """Every Teams channel the association names, by conversation id, with its name."""
    channels: dict[str, str] = {}
    for section in (config.forums, config.departments, config.members):
        for entry in section:
            if entry.channel and entry.channel.startswith(TEAMS_PREFIX):
                channels[entry.channel.removeprefix(TEAMS_PREFIX)] = entry.name
    for item in config.plan:
        for channel in item.audience.channels:
            if channel.startswith(TEAMS_PREFIX):
                channels.setdefault(channel.removeprefix(TEAMS_PREFIX), item.id)
    for channel, name in board_channels(config).items():
        if channel.startswith(TEAMS_PREFIX):
            channels.setdefault(channel.removeprefix(TEAMS_PREFIX), name)
    for routing in config.cases.routing if config.cases else []:
        name = f"{config.department(routing.department).name} – synpunkter (triage)"
        channels[routing.triage_channel.removeprefix(TEAMS_PREFIX)] = name
    return channels
