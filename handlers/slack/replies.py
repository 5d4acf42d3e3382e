"""The domain errors' Swedish texts for a Slack request (the mapping itself is bot/replies.py, shared with Teams).

A domain error a listener does not catch reaches handlers/slack/errors.py, which answers it with the same text.
"""

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.replies import DOMAIN_ERRORS, DomainError, error_text
from bot.runtime import Runtime

__all__ = ["DOMAIN_ERRORS", "reply_text", "tell"]


def reply_text(error: DomainError, runtime: Runtime) -> str:
    """The Swedish reply to a domain error, at the runtime's clock."""
    return error_text(error, runtime.config, runtime.clock.now())


def tell(respond: Respond | None, client: WebClient, user_id: str, text: str) -> None:
    """Tell the user who clicked or typed, them alone: ephemerally where the request has a response_url, else (a
    button in the Home tab has none) in their chat with the app."""
    if respond is not None and respond.response_url:
        respond(text=text, response_type="ephemeral", replace_original=False)
    else:
        client.chat_postMessage(channel=user_id, text=text)
