"""The composition root's output: everything a process needs, built once from settings."""

from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from sqlalchemy import Engine

from bot.clock import Clock, SystemClock
from bot.config import AssociationConfig, load_config
from bot.settings import Settings
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


def web_client(settings: Settings, *, for_sender: bool) -> WebClient:
    """A WebClient on SLACK_API_URL.

    The listeners' client retries dropped connections and 429s itself. The sender's retries nothing: a post
    whose connection dropped may have reached Slack, so the sender reschedules it and checks the channel
    for it before posting again, and it handles 429s itself (rescheduling the row; waiting within the tick
    only for a workspace-wide limit, see bot.delivery.sender).
    """
    handlers = (
        []
        if for_sender
        else [ConnectionErrorRetryHandler(max_retry_count=2), RateLimitErrorRetryHandler(max_retry_count=2)]
    )
    return WebClient(
        token=settings.slack_bot_token, base_url=settings.slack_api_url, retry_handlers=handlers, timeout=10
    )


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
