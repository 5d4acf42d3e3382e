"""Configured channels: the form of a channel id, and which platform it is on."""

from typing import Annotated

from pydantic import StringConstraints

from storage.platform import Platform

# Channel ids, not names: recovering after a crash reads the channel's history, which needs the id. A Slack
# channel id (C..., G...), or a Teams channel as 'teams:' and its id (19:...@thread.tacv2), which the app's
# installation in that team makes reachable.
Channel = Annotated[
    str, StringConstraints(pattern=r"^([CG][A-Z0-9]{2,}|teams:19:[A-Za-z0-9_.\-]+@thread\.(tacv2|skype))$")
]
TEAMS_CHANNEL_PREFIX = "teams:"


def channel_platform(channel: str) -> Platform:
    """The platform a configured channel is on, by its form."""
    return Platform.TEAMS if channel.startswith(TEAMS_CHANNEL_PREFIX) else Platform.SLACK
