"""The Slack Web API clients: one for listeners, one for the sender."""

from slack_sdk import WebClient  # re-exported: the composition root types its clients with it
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.settings import Settings


def web_client(settings: Settings, *, for_sender: bool) -> WebClient:
    """A WebClient on SLACK_API_URL.

    The listeners' client retries dropped connections and 429s itself. The sender's retries nothing: a post
    whose connection dropped may have reached Slack, so the sender reschedules it and checks the channel
    for it before posting again, and it handles 429s itself (rescheduling the row; waiting within the tick
    only for a workspace-wide limit, see bot.slack.sender).
    """
    handlers = (
        []
        if for_sender
        else [ConnectionErrorRetryHandler(max_retry_count=2), RateLimitErrorRetryHandler(max_retry_count=2)]
    )
    return WebClient(
        token=settings.slack_bot_token, base_url=settings.slack_api_url, retry_handlers=handlers, timeout=10
    )
