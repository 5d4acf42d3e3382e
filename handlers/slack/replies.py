"""The domain errors' Swedish texts for a Slack request (the mapping itself is bot/replies.py, shared with Teams).

A domain error a listener does not catch reaches handlers/slack/errors.py, which answers it with the same text.
"""

from bot.replies import DOMAIN_ERRORS, DomainError, error_text
from bot.runtime import Runtime

__all__ = ["DOMAIN_ERRORS", "reply_text"]


def reply_text(error: DomainError, runtime: Runtime) -> str:
    """The Swedish reply to a domain error, at the runtime's clock."""
    return error_text(error, runtime.config, runtime.clock.now())
