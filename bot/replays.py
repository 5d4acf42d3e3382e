"""One effect per chat request: every state-changing service claims its request's key inside its transaction."""

import logging
from datetime import datetime

from sqlmodel import Session

from storage import requests

log = logging.getLogger(__name__)


class Replayed(Exception):
    """The request was processed before (a replay or a double-click); nothing was changed this time."""


def claim(session: Session, request_key: str | None, now: datetime) -> None:
    """Record `request_key` with the effect about to be written; raises Replayed when it is already recorded.

    None (the services' default) is for callers that are not a chat request: the CLI and tests of a single step.
    Raising rolls the caller's transaction back, so a replay writes nothing and queues nothing.
    """
    if request_key is not None and not requests.first_processing(session, request_key, now):
        log.info("request %s was processed before; ignored", request_key[:12])
        raise Replayed(request_key)
