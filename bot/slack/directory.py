"""Finding people's Slack user ids: configured ids, or e-mail addresses looked up once and cached."""

from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.config.model import AssociationConfig, Person
from bot.people import EMAIL_PREFIX
from storage import state


class UnknownSlackUser(Exception):
    """No Slack user has this e-mail address."""


def resolve_address(session: Session, client: WebClient, address: str, now: datetime) -> str:
    """A postable Slack id for an outbox address; 'email:' addresses go through users.lookupByEmail."""
    if not address.startswith(EMAIL_PREFIX):
        return address
    email = address.removeprefix(EMAIL_PREFIX)
    cached = state.cached_user_id(session, email)
    if cached:
        return cached
    try:
        response = client.users_lookupByEmail(email=email)
    except SlackApiError as exc:
        if exc.response.get("error") == "users_not_found":
            raise UnknownSlackUser(email) from exc
        raise
    user_id = response["user"]["id"]
    state.cache_user_id(session, email, user_id, now)
    return user_id


def person_for_user(session: Session, config: AssociationConfig, user_id: str) -> Person | None:
    """The configured person behind a Slack user id (by slack_id, or by a cached e-mail lookup)."""
    for person in config.people:
        if person.slack_id == user_id:
            return person
    emails = set(state.emails_of_user(session, user_id))
    for person in config.people:
        if person.email and person.email.lower() in emails:
            return person
    return None


def identify(
    session: Session, client: WebClient, config: AssociationConfig, user_id: str, now: datetime
) -> Person | None:
    """The configured person behind a Slack user; asks users.info for the e-mail once when needed."""
    person = person_for_user(session, config, user_id)
    if person is not None:
        return person
    try:
        profile = client.users_info(user=user_id)["user"].get("profile", {})
    except SlackApiError:
        return None
    email = (profile.get("email") or "").lower()
    if not email:
        return None
    state.cache_user_id(session, email, user_id, now)
    return next((p for p in config.people if p.email and p.email.lower() == email), None)
