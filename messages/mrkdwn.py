"""Escaping for Slack mrkdwn: no inserted value can ping @channel or forge a link."""


class Mrkdwn(str):
    """Text that is already valid mrkdwn (built by our own templates) and must not be escaped again."""


def escape(value: object) -> str:
    """Escape &, < and > as Slack requires; Mrkdwn passes through unchanged."""
    if isinstance(value, Mrkdwn):
        return value
    text = "" if value is None else str(value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _id(value: str) -> str:
    """A Slack id inside <@...> or <#...>: a '|' would start a label, so it is dropped."""
    return escape(value).replace("|", "")


def user_mention(user_id: str, name: str | None = None) -> Mrkdwn:
    """A person: `<@ID>`, or `<@ID|Name>` with the name a platform without Slack's ids shows (Teams writes it in
    bold; Slack shows its own name for the id either way)."""
    return Mrkdwn(f"<@{_id(user_id)}|{_label(name)}>" if name and _label(name) else f"<@{_id(user_id)}>")


def channel_mention(channel_id: str) -> Mrkdwn:
    return Mrkdwn(f"<#{_id(channel_id)}>")


def channel_reference(channel: str) -> Mrkdwn:
    """A channel as its reader sees it: a '#name' as written, an id as a mention that Slack shows by name."""
    return Mrkdwn(escape(channel)) if channel.startswith("#") else channel_mention(channel)


def _url(url: str) -> str:
    """The address part of a link: '|' (which ends it) and whitespace (which breaks it) percent-encoded."""
    encoded = "".join(f"%{ord(char):02X}" if char == "|" or char.isspace() else char for char in str(url))
    return escape(encoded)


def _label(label: str) -> str:
    """The text part of a link, on one line; a '|' is shown as '¦' (Slack has no escape for it)."""
    return escape(" ".join(str(label).split())).replace("|", "¦")


def link(url: str, label: str) -> Mrkdwn:
    """The one way a `<url|label>` link is built: no stored or typed value can end it, split it or add a mention."""
    label_text = _label(label) or _label(url)
    return Mrkdwn(f"<{_url(url)}|{label_text}>")
