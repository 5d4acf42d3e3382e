"""Answering in the conversation an activity came from (the HTTP response for `expectReplies`, else the Bot
Connector)."""

from microsoft_agents.activity import Activity, ActivityTypes, TextFormatTypes
from microsoft_agents.hosting.core import TurnContext

from messages.teams.markup import to_teams_markdown


async def send_text(context: TurnContext, text: str) -> None:
    """Send `text` (Samverkan markup) as a markdown message in the activity's conversation."""
    activity = Activity(type=ActivityTypes.message, text=to_teams_markdown(text), text_format=TextFormatTypes.markdown)
    await context.send_activity(activity)
