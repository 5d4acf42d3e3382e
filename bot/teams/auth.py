"""Who may call /api/messages: the Bot Framework token on each request, validated by the Agents SDK.

The token's signature is checked against the Bot Framework's published keys (JWKS), its audience against our app
id, its issuer against the Bot Framework's and our tenant's, its expiry against the clock. Anonymous requests are
let in only with TEAMS_ANONYMOUS=1 (the Agents Playground, locally). The keys' address can be given (tests serve
their own JWKS on 127.0.0.1); by default the SDK picks it from the token's issuer.
"""

import asyncio
import logging
from dataclasses import dataclass

from jwt import PyJWK, PyJWKClient
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.core import AgentAuthConfiguration
from microsoft_agents.hosting.core.authorization import ClaimsIdentity
from microsoft_agents.hosting.core.authorization.jwt import JwtTokenValidator

from bot.settings import Settings

log = logging.getLogger(__name__)
SERVICE_CONNECTION = "SERVICE_CONNECTION"


def auth_configuration(settings: Settings) -> AgentAuthConfiguration:
    """The SDK's configuration of our app registration: app id (the tokens' audience), secret, tenant."""
    return AgentAuthConfiguration(
        client_id=settings.teams_app_id,
        tenant_id=settings.teams_tenant_id,
        client_secret=settings.teams_app_password,
        anonymous_allowed=settings.teams_anonymous,
        validate_issuer=True,
        connection_name=SERVICE_CONNECTION,
    )


def connection_manager(settings: Settings) -> MsalConnectionManager:
    """The SDK's connections: the tokens we send to the Bot Connector are our app's, from MSAL."""
    return MsalConnectionManager(connections_configurations={SERVICE_CONNECTION: auth_configuration(settings)})


class _FixedJwks:
    """The signing keys from one JWKS address, whatever the token's issuer (the SDK's key cache, pinned)."""

    def __init__(self, url: str) -> None:
        self._client = PyJWKClient(url, timeout=5)

    async def get_signing_key(self, jwks_uri: str, header: dict[str, object]) -> PyJWK:
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise ValueError("the token names no signing key")
        return await asyncio.to_thread(self._client.get_signing_key, kid)


class _Validator(JwtTokenValidator):
    """The SDK's validator, with the keys from `jwks` when given."""

    def __init__(self, configuration: AgentAuthConfiguration, jwks: _FixedJwks | None) -> None:
        super().__init__(configuration)
        if jwks is not None:
            self._jwk_client_manager = jwks


@dataclass(frozen=True)
class Refusal:
    """Why a request's token is refused (for the one log line; the caller gets only 401)."""

    reason: str


class Authenticator:
    """Validates the Authorization header of a request to /api/messages."""

    def __init__(self, settings: Settings, jwks_url: str | None = None) -> None:
        self._configuration = auth_configuration(settings)
        self._anonymous = settings.teams_anonymous
        self._validator = _Validator(self._configuration, _FixedJwks(jwks_url) if jwks_url else None)

    async def identify(self, authorization: str | None) -> ClaimsIdentity | Refusal:
        """The caller's claims, or why they are refused."""
        if not authorization:
            if self._anonymous:
                return self._validator.get_anonymous_claims()
            return Refusal("no Authorization header")
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or any(c.isspace() for c in token):
            return Refusal("the Authorization header is not 'Bearer <token>'")
        try:
            return await self._validator.validate_token(token)
        except Exception as error:  # noqa: BLE001 - any failure to validate is a refusal, never a 500
            return Refusal(f"the token does not validate ({type(error).__name__}: {_first_line(error)})")


def _first_line(error: Exception) -> str:
    return (str(error).splitlines() or [""])[0][:200]
