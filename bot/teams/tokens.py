"""The Bot Connector token the outbox sends with: the SDK's MSAL client-credentials flow, or none when anonymous.

MSAL caches the token and renews it before it expires, so asking for it on every call costs nothing. A failure
to get one (a wrong secret, a tenant that does not know the app, no network) is retried like any call that did
not post, and logged for the operator with what to check; the token itself is never logged.
"""

import logging
from collections.abc import Awaitable, Callable

from microsoft_agents.authentication.msal import MsalAuth
from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration, AuthTypes

from bot.delivery.platform import Failure, SendError
from bot.settings import Settings

log = logging.getLogger(__name__)

BOT_FRAMEWORK_RESOURCE = "https://api.botframework.com"
BOT_FRAMEWORK_SCOPE = f"{BOT_FRAMEWORK_RESOURCE}/.default"

TokenSource = Callable[[], Awaitable[str]]
"""Gives the bearer token for the next Bot Connector call ('' for none: anonymous, local testing only)."""


def fixed_token(token: str) -> TokenSource:
    """Always `token` (tests against the fake Bot Connector; '' for anonymous)."""

    async def source() -> str:
        return token

    return source


def msal_token(settings: Settings) -> TokenSource:
    """The app's token from Entra ID (TEAMS_APP_ID, TEAMS_APP_PASSWORD, TEAMS_TENANT_ID), cached by MSAL."""
    settings.require_teams()
    auth = MsalAuth(
        AgentAuthConfiguration(
            auth_type=AuthTypes.client_secret,
            client_id=settings.teams_app_id,
            tenant_id=settings.teams_tenant_id,
            client_secret=settings.teams_app_password,
            scopes=[BOT_FRAMEWORK_SCOPE],
        )
    )

    async def source() -> str:
        try:
            return await auth.get_access_token(BOT_FRAMEWORK_RESOURCE, [BOT_FRAMEWORK_SCOPE])
        except Exception as exc:  # MSAL's ValueError with Entra's error answer (no secret, no token), or the network's
            log.error(
                "could not get a Bot Framework token for app %s in tenant %s; check TEAMS_APP_ID, TEAMS_APP_PASSWORD "
                "(not expired) and TEAMS_TENANT_ID: %s: %.300s",
                settings.teams_app_id,
                settings.teams_tenant_id,
                type(exc).__name__,
                exc,
            )
            raise SendError("teams_token_error", Failure.RETRY) from exc

    return source


def token_source(settings: Settings) -> TokenSource:
    """No token in anonymous mode (TEAMS_ANONYMOUS=1, for the Agents Playground and tests), MSAL's otherwise."""
    return fixed_token("") if settings.teams_anonymous else msal_token(settings)
