"""The composition root's output: everything a process needs, built once from settings."""

from dataclasses import dataclass

from sqlalchemy import Engine

from bot.clock import Clock, SystemClock
from bot.config import AssociationConfig, load_config
from bot.delivery.platform import Senders
from bot.settings import Settings
from bot.slack.client import WebClient, web_client
from bot.slack.sender import slack_senders
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
    senders: Senders  # the outbox's senders by platform (Slack's on sender_client, which retries nothing itself)


def build_runtime(settings: Settings, clock: Clock | None = None, config: AssociationConfig | None = None) -> Runtime:
    """Load the configuration, open and migrate the database, make the Slack clients."""
    config = config or load_config(settings.config_path)
    engine = make_engine(settings.database_url)
    prepare_schema(engine)
    sender_client = web_client(settings, for_sender=True)
    return Runtime(
        settings=settings,
        config=config,
        engine=engine,
        clock=clock or SystemClock(),
        client=web_client(settings, for_sender=False),
        sender_client=sender_client,
        senders=slack_senders(engine, sender_client),
    )
