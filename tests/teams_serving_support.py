"""The Teams edge over real HTTP for the tests: the real app behind waitress, anonymous or with Bot Framework tokens
signed by a test key whose JWKS a local server publishes (no test reaches the internet)."""

import dataclasses
import json
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from bot.demo import teams_activities
from bot.demo.teams_client import TeamsClient
from bot.runtime import Runtime
from bot.server import build_wsgi_app
from bot.settings import Settings
from bot.teams.app import TeamsApp, build_teams_app
from bot.teams.http import teams_endpoint
from bot.teams.loop import AsyncLoop
from bot.web import BackgroundServer
from storage.platform import Platform

APP_ID = teams_activities.BOT_APP_ID
TENANT = teams_activities.TENANT
BOT_FRAMEWORK = "https://api.botframework.com"


class SigningKey:
    """An RSA key that signs Bot Framework tokens, and its JWKS served on 127.0.0.1 (counting the fetches)."""

    def __init__(self, kid: str = "test-key-1") -> None:
        self.kid = kid
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(RSAAlgorithm.to_jwk(self.private.public_key()))
        self.jwks = json.dumps({"keys": [{**jwk, "kid": kid, "use": "sig", "alg": "RS256"}]}).encode()
        self.fetches = 0
        self._server = BackgroundServer(self._serve).start()
        self.url = f"{self._server.url}/keys"

    def _serve(self, environ: dict, start_response: Callable) -> list[bytes]:
        self.fetches += 1
        start_response("200 OK", [("content-type", "application/json")])
        return [self.jwks]

    def token(self, kid: str | None = None, **claims: object) -> str:
        """A token as the Bot Framework signs it for our app, with `claims` replacing (None: removing) its own, and
        naming the key `kid` (by default this key's id)."""
        now = int(time.time())
        payload = {"iss": BOT_FRAMEWORK, "aud": APP_ID, "iat": now, "nbf": now - 5, "exp": now + 3600,
                   "serviceurl": teams_activities.SERVICE_URL, "appid": "bot-framework"}  # fmt: skip
        payload = {k: v for k, v in {**payload, **claims}.items() if v is not None}
        return jwt.encode(payload, self.private, algorithm="RS256", headers={"kid": kid or self.kid})

    def stop(self) -> None:
        self._server.stop()


@dataclass
class TeamsEdge:
    """The real app on a loopback port, a client posting to it, and its parts for tests that reach inside."""

    runtime: Runtime
    teams: TeamsApp
    client: TeamsClient
    url: str


def teams_settings(database_url: str, config_path: str, anonymous: bool = True) -> Settings:
    """Settings for Teams alone: our app registration, or anonymous access (the Agents Playground's way)."""
    return Settings(
        slack_bot_token=None,
        slack_signing_secret=None,
        slack_app_token=None,
        slack_api_url="http://127.0.0.1:9/",
        database_url=database_url,
        config_path=config_path,
        teams_app_id=None if anonymous else APP_ID,
        teams_app_password=None if anonymous else "test-secret",
        teams_tenant_id=None if anonymous else TENANT,
        teams_anonymous=anonymous,
    )


def with_teams(runtime: Runtime, settings: Settings, loop: AsyncLoop) -> Runtime:
    """`runtime` (Slack's, from conftest) with Teams enabled too: both platforms in one process."""
    config = runtime.config.model_copy(update={"platforms": [Platform.SLACK, Platform.TEAMS]})
    merged = dataclasses.replace(settings, slack_bot_token=runtime.settings.slack_bot_token,
                                 slack_signing_secret=runtime.settings.slack_signing_secret,
                                 slack_api_url=runtime.settings.slack_api_url)  # fmt: skip
    return dataclasses.replace(runtime, settings=merged, config=config, loop=loop)


CONNECTOR_TOKEN = "test-connector-token"  # what the app sends the (fake) Bot Connector when not anonymous


async def connector_token() -> str:
    return CONNECTOR_TOKEN


def start_edge(
    runtime: Runtime, jwks_url: str | None = None, token: str | None = None
) -> tuple[TeamsEdge, BackgroundServer]:
    """The app on a loopback port; `token` is the Bot Framework token its client sends."""
    teams = build_teams_app(runtime, jwks_url, connector_token)
    server = BackgroundServer(build_wsgi_app(runtime, teams=teams_endpoint(teams, runtime))).start()
    return TeamsEdge(runtime, teams, TeamsClient(server.url, token), server.url), server


@pytest.fixture
def teams_loop() -> Iterator[AsyncLoop]:
    loop = AsyncLoop()
    yield loop
    loop.stop()


@pytest.fixture
def teams_runtime(runtime: Runtime, database_url: str, teams_loop: AsyncLoop) -> Runtime:
    """The test runtime with Teams enabled in anonymous mode."""
    return with_teams(runtime, teams_settings(database_url, runtime.settings.config_path), teams_loop)


@pytest.fixture
def teams(teams_runtime: Runtime) -> Iterator[TeamsEdge]:
    """The real Teams app over HTTP, anonymous (requests without a token are let in)."""
    edge, server = start_edge(teams_runtime)
    yield edge
    server.stop()


@pytest.fixture
def signing_key() -> Iterator[SigningKey]:
    key = SigningKey()
    yield key
    key.stop()


@pytest.fixture
def secured(runtime: Runtime, database_url: str, teams_loop: AsyncLoop, signing_key: SigningKey) -> Iterator[TeamsEdge]:
    """The real Teams app over HTTP validating Bot Framework tokens against the test key's JWKS."""
    settings = teams_settings(database_url, runtime.settings.config_path, anonymous=False)
    edge, server = start_edge(with_teams(runtime, settings, teams_loop), signing_key.url, signing_key.token())
    yield edge
    server.stop()


def object_id() -> str:
    """A fresh Entra object id."""
    return str(uuid.uuid4())
