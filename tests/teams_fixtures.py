"""Fixtures for the outbox on Teams (tests use them with `pytest_plugins = ["tests.teams_fixtures"]`): the fake
Bot Connector wanting a token, the asyncio loop, the connector and the Teams sender on it."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from bot.config.model import AssociationConfig
from bot.delivery.platform import Senders
from bot.demo.fake_teams import FakeBotConnector
from bot.teams.connector import BotConnector
from bot.teams.loop import AsyncLoop
from bot.teams.sender import TeamsSender
from bot.teams.tokens import fixed_token
from storage.platform import Platform
from tests.teams_outbox_support import DM_PLAN, TOKEN, install, teams_config


@pytest.fixture
def fake_teams() -> Iterator[FakeBotConnector]:
    with FakeBotConnector(require_token=TOKEN) as fake:
        yield fake


@pytest.fixture
def teams_loop() -> Iterator[AsyncLoop]:
    loop = AsyncLoop()
    yield loop
    loop.stop()


@pytest.fixture
def connector(teams_loop: AsyncLoop) -> BotConnector:
    return BotConnector(teams_loop, fixed_token(TOKEN), timeout=5.0)


@pytest.fixture
def teams_senders(engine: Engine, connector: BotConnector) -> Senders:
    return {Platform.TEAMS: TeamsSender(engine, connector)}


@pytest.fixture
def installed(engine: Engine, fake_teams: FakeBotConnector) -> AssociationConfig:
    """The shared association on Teams with a weekly reminder DM to the quality manager, the app installed for
    everyone and in every channel."""
    config = teams_config(more_plan=DM_PLAN)
    install(engine, fake_teams, config)
    return config
