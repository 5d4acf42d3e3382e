"""Escaping for Slack mrkdwn: no inserted value can ping @channel or forge a link."""


class Mrkdwn(str):
    """Text that is already valid mrkdwn (built by our own templates) and must not be escaped again."""


def escape(value: object) -> str:
    """Escape &, < and > as Slack requires; Mrkdwn passes through unchanged."""
    if isinstance(value, Mrkdwn):
        return value
    text = "" if value is None else str(value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def user_mention(user_id: str) -> Mrkdwn:
    return Mrkdwn(f"<@{escape(user_id)}>")


def channel_mention(channel_id: str) -> Mrkdwn:
    return Mrkdwn(f"<#{escape(channel_id)}>")


def link(url: str, label: str) -> Mrkdwn:
    return Mrkdwn(f"<{escape(url)}|{escape(label).replace('|', '¦')}>")
