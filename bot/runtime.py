"""The composition root's output: everything a process needs, built once from settings."""

from dataclasses import dataclass, field

from sqlalchemy import Engine

from bot.clock import Clock, SystemClock
from bot.config import AssociationConfig, load_config
from bot.delivery.platform import PlatformSender, Senders
from bot.listener_work import ListenerWork
from bot.settings import Settings
from bot.slack.client import WebClient, web_client
from bot.slack.sender import slack_senders
from bot.teams.loop import AsyncLoop
from storage.engine import make_engine, session_scope
from storage.home import mark_all_dirty
from storage.migrate import prepare_schema
from storage.platform import Platform


@dataclass
class Runtime:
    settings: Settings
    config: AssociationConfig
    engine: Engine
    clock: Clock
    client: WebClient | None  # Slack's, for the listeners; None when the association does not enable Slack
    sender_client: WebClient | None  # Slack's for the outbox, which retries nothing itself; None likewise
    senders: Senders  # the outbox's senders by platform, one for each platform the association enables
    loop: AsyncLoop | None = None  # where the Agents SDK's coroutines run; None when Teams is not enabled
    # What Teams handlers do after answering (sends a request caused); Bolt keeps its own for Slack's listeners.
    background: ListenerWork = field(default_factory=ListenerWork)


def build_runtime(settings: Settings, clock: Clock | None = None, config: AssociationConfig | None = None) -> Runtime:
    """Load the configuration, open and migrate the database, make the clients of each enabled platform. The
    stored personal views are marked dirty: a process starts with the configuration it is given (a changed file
    reaches the processes only by a restart), and a view rendered under an earlier one may show other tasks."""
    config = config or load_config(settings.config_path)
    engine = make_engine(settings.database_url)
    prepare_schema(engine)
    with session_scope(engine, one_statement=True) as session:
        mark_all_dirty(session)
    client = sender_client = loop = None
    senders: dict[Platform, PlatformSender] = {}
    if Platform.SLACK in config.platforms:
        client = web_client(settings, for_sender=False)
        sender_client = web_client(settings, for_sender=True)
        senders.update(slack_senders(engine, sender_client))
    if Platform.TEAMS in config.platforms:
        from bot.teams.sender import teams_senders  # only here: a Slack-only process loads no Agents SDK

        loop = AsyncLoop()
        senders.update(teams_senders(engine, settings, loop))
    return Runtime(
        settings=settings,
        config=config,
        engine=engine,
        clock=clock or SystemClock(),
        client=client,
        sender_client=sender_client,
        senders=senders,
        loop=loop,
    )
