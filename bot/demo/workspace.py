"""A fake workspace populated from a configuration: every person a user, every channel present."""

import hashlib

from bot.config.model import AssociationConfig
from bot.demo.fake_slack import FakeWorkspace
from bot.golive.report import configured_channels
from messages.labels import labels
from storage.platform import Platform


def user_id_for_email(email: str) -> str:
    """A stable made-up Slack id for a person configured only by e-mail."""
    return "UE" + hashlib.sha1(email.lower().encode()).hexdigest()[:8].upper()


def board_channels(config: AssociationConfig) -> dict[str, str]:
    """The board's staff and public channels, named after the audiences their digests are for."""
    if config.board is None:
        return {}
    audiences = labels("board.decisions.audiences")
    named = ((config.board.staff_channel, audiences["staff"]), (config.board.public_channel, audiences["public"]))
    return {channel: name for channel, name in named if channel}


def workspace_for(config: AssociationConfig) -> FakeWorkspace:
    users = {}
    for person in config.people:
        user_id = person.slack_id or user_id_for_email(person.email or person.id)
        users[user_id] = {"name": person.name, "email": person.email or f"{person.id}@example.invalid"}
    channels = {}
    for section in (config.forums, config.departments, config.members):
        for entry in section:
            if entry.channel:
                channels[entry.channel] = entry.name
    for item in config.plan:
        for channel in item.audience.channels:  # a channel only Slack can name: named after the item here
            channels.setdefault(channel, item.id)
    channels.update((channel, name) for channel, name in board_channels(config).items() if channel not in channels)
    for channel in configured_channels(config, Platform.SLACK):  # the rest the file names
        channels.setdefault(channel, channel.lower())
    return FakeWorkspace(users=users, channels=channels)
