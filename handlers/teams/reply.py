"""Answering in the conversation an activity came from (the HTTP response for `expectReplies`, else the Bot
Connector)."""

from microsoft_agents.activity import Activity, ActivityTypes, TextFormatTypes
from microsoft_agents.hosting.core import TurnContext


async def send_text(context: TurnContext, text: str) -> None:
    """Send `text` (Samverkan markup) as a message in the activity's conversation."""
    await context.send_activity(Activity(type=ActivityTypes.message, text=text, text_format=TextFormatTypes.markdown))
