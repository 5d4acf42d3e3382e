"""A fake workspace populated from a configuration: every person a user, every channel present."""

import hashlib

from bot.config.model import AssociationConfig
from bot.demo.fake_slack import FakeWorkspace
from bot.golive.report import configured_channels
from storage.platform import Platform


def user_id_for_email(email: str) -> str:
    """A stable made-up Slack id for a person configured only by e-mail."""
    return "UE" + hashlib.sha1(email.lower().encode()).hexdigest()[:8].upper()


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
    for channel in configured_channels(config, Platform.SLACK):  # the rest the file names (the board's channels)
        channels.setdefault(channel, channel.lower())
    return FakeWorkspace(users=users, channels=channels)
