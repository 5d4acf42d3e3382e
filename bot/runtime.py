"""The composition root's output: everything a process needs, built once from settings."""

from dataclasses import dataclass

from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.clock import Clock, SystemClock
from bot.config import AssociationConfig, load_config
from bot.settings import Settings
from bot.slack.client import web_client
from storage.engine import make_engine
from storage.migrate import prepare_schema


@dataclass
class Runtime:
    settings: Settings
    config: AssociationConfig
    engine: Engine
    clock: Clock
    client: WebClient
    sender_client: WebClient


def build_runtime(settings: Settings, clock: Clock | None = None, config: AssociationConfig | None = None) -> Runtime:
    """Load the configuration, open and migrate the database, make the Slack clients."""
    config = config or load_config(settings.config_path)
    engine = make_engine(settings.database_url)
    prepare_schema(engine)
    return Runtime(
        settings=settings,
        config=config,
        engine=engine,
        clock=clock or SystemClock(),
        client=web_client(settings, for_sender=False),
        sender_client=web_client(settings, for_sender=True),
    )
